import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@pressroom/db';
import { readingMinutes, seoChecklist, slugPattern } from '@pressroom/db/articles';
import type { Client } from '@temporalio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatch } from '../src/client.js';
import { AnthropicEmulator } from '../src/emulators/anthropic.js';
import { OpenAIEmulator } from '../src/emulators/openai.js';
import { createAnthropicGenerator } from '../src/platforms/anthropic/index.js';
import { createOpenAIGenerator } from '../src/platforms/openai/index.js';
import { extractFrame, probeVideo } from '../src/rendering/index.js';
import { seedTenant, servedStorage, testVault } from './helpers.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `content-formats-${randomBytes(4).toString('hex')}`;

const knowledge = [
  'Pour-over coffee needs a medium-fine grind, about like table salt.',
  'Water just off the boil, around 94 degrees, extracts the best flavour.',
  'A bloom of thirty seconds lets the coffee release its gas before the main pour.',
  'Our Ethiopian single origin tastes of blueberry and jasmine.',
  'Weigh your coffee and water; a ratio of one to sixteen is a good start.',
  'Rinse the paper filter first so it does not taste of paper.',
].join(' ');

describe('mixed batches: articles, scripts, text posts and carousels', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let anthropic: AnthropicEmulator;
  let openai: OpenAIEmulator;
  let media: Awaited<ReturnType<typeof servedStorage>>;

  beforeAll(async () => {
    anthropic = new AnthropicEmulator({ apiKeys: ['test-anthropic-key'], requestsPerMinute: 1_000 });
    openai = new OpenAIEmulator({ apiKeys: ['test-openai-key'], requestsPerMinute: 1_000 });
    const anthropicUrl = await anthropic.start();
    const openaiUrl = await openai.start();
    media = await servedStorage();
    const claude = createAnthropicGenerator({ apiKey: 'test-anthropic-key', baseUrl: anthropicUrl });
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault: testVault(),
        storage: media.storage,
        tiktok: tiktokClientFor({ clientKey: 'x', clientSecret: 'x' }, 'http://127.0.0.1:9'),
        ai: claude,
        aiProviders: {
          ANTHROPIC: claude,
          OPENAI: createOpenAIGenerator({ apiKey: 'test-openai-key', baseUrl: openaiUrl }),
        },
        contentSettings: { slidesPerPost: 3 },
      }),
      cleanups: [() => anthropic.stop(), () => openai.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  async function tenantWithAi(provider?: 'OPENAI' | 'ANTHROPIC') {
    const tenant = await seedTenant(db);
    await db.organizationSettings.create({
      data: { organizationId: tenant.organizationId, aiTextEnabled: true, aiProvider: provider ?? null },
    });
    await db.brandKnowledgeDocument.create({
      data: {
        organizationId: tenant.organizationId,
        brandId: tenant.brandId,
        title: 'Brewing guide',
        content: knowledge,
      },
    });
    return tenant;
  }

  async function runBatch(
    tenant: { organizationId: string; brandId: string },
    formats: Array<'ARTICLE' | 'SCRIPT' | 'TEXT' | 'CAROUSEL'>,
  ) {
    const batch = await db.batch.create({
      data: {
        organizationId: tenant.organizationId,
        brandId: tenant.brandId,
        brief: 'Pour-over coffee at home for beginners. Simple steps, better cups.',
        count: formats.length,
        format: formats[0]!,
        formats,
        platforms: ['TIKTOK'],
      },
    });
    const result = await (await createBatch(client, batch.id, { taskQueue })).result();
    const posts = await db.post.findMany({
      where: { batchId: batch.id },
      orderBy: { batchIndex: 'asc' },
      include: {
        article: true,
        scenes: { orderBy: { position: 'asc' } },
        slides: true,
        media: { where: { deletedAt: null } },
      },
    });
    return { result, posts };
  }

  it('writes each post in its own format through Anthropic tool calls, and renders scripts to vertical MP4', async () => {
    const tenant = await tenantWithAi();
    const before = anthropic.received.length;
    const { result, posts } = await runBatch(tenant, ['ARTICLE', 'SCRIPT', 'TEXT', 'CAROUSEL']);
    expect(posts.map((post) => post.generationError)).toEqual([null, null, null, null]);
    expect(result.status).toBe('READY');
    expect(posts.map((post) => [post.format, post.status])).toEqual([
      ['ARTICLE', 'IN_REVIEW'],
      ['SCRIPT', 'IN_REVIEW'],
      ['TEXT', 'IN_REVIEW'],
      ['CAROUSEL', 'IN_REVIEW'],
    ]);
    // The provider was asked for each format by its own forced tool (a retried activity on a
    // loaded machine may ask twice).
    const tools = new Set(
      anthropic.received.slice(before).map((request) => (request.tool_choice as { name: string }).name),
    );
    expect([...tools].sort()).toEqual(['emit_article', 'emit_posts', 'emit_script']);

    const [articlePost, scriptPost, textPost, carouselPost] = posts as [
      (typeof posts)[number],
      (typeof posts)[number],
      (typeof posts)[number],
      (typeof posts)[number],
    ];
    const article = articlePost.article!;
    expect(article.slug).toMatch(slugPattern);
    expect(article.metaTitle.length).toBeGreaterThan(0);
    expect(article.metaTitle.length).toBeLessThanOrEqual(60);
    expect(article.metaDescription.length).toBeLessThanOrEqual(160);
    expect(article.keywords.length).toBeGreaterThan(0);
    expect(article.outline.length).toBeGreaterThanOrEqual(2);
    expect(article.body.match(/^# /gm)).toHaveLength(1);
    expect(article.body.match(/^## /gm)!.length).toBeGreaterThanOrEqual(2);
    expect(article.readingMinutes).toBe(readingMinutes(article.body));
    expect(articlePost.caption).toBe(article.excerpt);
    const seo = seoChecklist({ ...article, title: articlePost.title });
    const passed = Object.fromEntries(seo.checks.map((check) => [check.id, check.passed]));
    expect(passed).toMatchObject({
      KEYWORD_IN_TITLE: true,
      KEYWORD_IN_H1: true,
      KEYWORD_IN_FIRST_PARAGRAPH: true,
      SINGLE_H1: true,
      HEADING_ORDER: true,
      SECTIONS: true,
    });
    expect(seo.readabilityScore).toBeGreaterThan(0);

    expect(scriptPost.scenes.length).toBeGreaterThanOrEqual(3);
    for (const scene of scriptPost.scenes) {
      expect(scene.voiceOver.length).toBeGreaterThan(0);
      expect(scene.onScreenText.length).toBeGreaterThan(0);
      expect(scene.shot.length).toBeGreaterThan(0);
      expect(scene.durationSeconds).toBeGreaterThan(0);
    }
    const video = scriptPost.media.find((row) => row.kind === 'VIDEO')!;
    const poster = scriptPost.media.find((row) => row.kind === 'IMAGE')!;
    expect(video).toMatchObject({ status: 'READY', contentType: 'video/mp4', width: 1080, height: 1920 });
    const bytes = Buffer.from((await media.storage.get(video.storageKey))!.body);
    const dir = await mkdtemp(join(tmpdir(), 'script-video-'));
    await writeFile(join(dir, 'script.mp4'), bytes);
    const probed = await probeVideo(join(dir, 'script.mp4'));
    const scriptSeconds = scriptPost.scenes.reduce((sum, scene) => sum + scene.durationSeconds, 0);
    expect(probed).toMatchObject({ codec: 'h264', width: 1080, height: 1920, pixelFormat: 'yuv420p' });
    expect(Math.abs(probed.durationSec - scriptSeconds)).toBeLessThan(0.1);
    // The poster is a real vertical frame.
    const posterBytes = Buffer.from((await media.storage.get(poster.storageKey))!.body);
    expect(await sharp(posterBytes).metadata()).toMatchObject({ format: 'jpeg', width: 1080, height: 1920 });
    // Scene cards change with the script's timing: the middle of scene 1 and of scene 2 differ.
    const second = scriptPost.scenes[0]!.durationSeconds + scriptPost.scenes[1]!.durationSeconds / 2;
    const first = await extractFrame(bytes, scriptPost.scenes[0]!.durationSeconds / 2);
    const next = await extractFrame(bytes, second);
    const difference = await sharp(first)
      .composite([{ input: next, blend: 'difference' }])
      .stats();
    expect(Math.max(...difference.channels.map((channel) => channel.max))).toBeGreaterThan(64);
    if (process.env.PRESSROOM_KEEP_FRAMES) {
      await writeFile(join(process.env.PRESSROOM_KEEP_FRAMES, 'script-scene-1.jpg'), first);
      await writeFile(join(process.env.PRESSROOM_KEEP_FRAMES, 'script-scene-2.jpg'), next);
    }

    expect(textPost.caption.length).toBeGreaterThan(0);
    expect(textPost.slides).toHaveLength(0);
    expect(textPost.media).toHaveLength(0);
    expect(carouselPost.slides).toHaveLength(3);
  }, 240_000);

  it('answers in OpenAI’s json_schema format for an organization that chose OpenAI, the same for the same prompt', async () => {
    const tenant = await tenantWithAi('OPENAI');
    const before = openai.received.length;
    const anthropicBefore = anthropic.received.length;
    const first = await runBatch(tenant, ['ARTICLE', 'SCRIPT']);
    expect(first.result.status).toBe('READY');
    const names = openai.received
      .slice(before)
      .map((request) => (request.response_format as { json_schema: { name: string } }).json_schema.name)
      .sort();
    expect([...new Set(names)]).toEqual(['article', 'script']);
    expect(anthropic.received.length).toBe(anthropicBefore);

    // The same brief, brand and place in the batch: the same article and scenes; another slug
    // (the brand already has the first one's).
    const again = await runBatch(tenant, ['ARTICLE', 'SCRIPT']);
    const [a, b] = [first.posts[0]!.article!, again.posts[0]!.article!];
    expect(b.body).toBe(a.body);
    expect(b.slug).toBe(`${a.slug}-2`);
    const scenes = (posts: typeof first.posts) =>
      posts[1]!.scenes.map(({ voiceOver, onScreenText, shot, durationSeconds }) => ({
        voiceOver,
        onScreenText,
        shot,
        durationSeconds,
      }));
    expect(scenes(again.posts)).toEqual(scenes(first.posts));
  }, 300_000);
});
