import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatch } from '../src/client.js';
import { AnthropicEmulator } from '../src/emulators/anthropic.js';
import { emulatedImage, OpenAIEmulator } from '../src/emulators/openai.js';
import { createAnthropicGenerator } from '../src/platforms/anthropic/index.js';
import { createOpenAIImageGenerator } from '../src/platforms/openai/index.js';
import { renderSlide } from '../src/rendering/carousel.js';
import { seedTenant, servedStorage, testVault } from './helpers.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `ai-images-test-${randomBytes(4).toString('hex')}`;

/**
 * AI images: an article's hero image and a carousel's slide background come from the images
 * endpoint (OpenAI's wire format) with the brand's image style in the prompt, kept with the
 * prompt and settings; an organization without the images opt-in gets plain posts and sends
 * nothing to the images endpoint.
 */
describe('AI images', () => {
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
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault: testVault(),
        storage: media.storage,
        tiktok: tiktokClientFor({ clientKey: 'x', clientSecret: 'x' }, 'http://127.0.0.1:9'),
        ai: createAnthropicGenerator({ apiKey: 'test-anthropic-key', baseUrl: anthropicUrl }),
        images: createOpenAIImageGenerator({ apiKey: 'test-openai-key', baseUrl: openaiUrl }),
        contentSettings: { slidesPerPost: 2 },
      }),
      cleanups: [() => anthropic.stop(), () => openai.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  async function runBatch(tenant: { organizationId: string; brandId: string }) {
    const batch = await db.batch.create({
      data: {
        organizationId: tenant.organizationId,
        brandId: tenant.brandId,
        brief: 'Cold brew at home',
        count: 2,
        format: 'ARTICLE',
        formats: ['ARTICLE', 'CAROUSEL'],
        platforms: ['TIKTOK'],
      },
    });
    const result = await (await createBatch(client, batch.id, { taskQueue })).result();
    expect(result.status).toBe('READY');
    return db.post.findMany({
      where: { batchId: batch.id },
      orderBy: { batchIndex: 'asc' },
      include: {
        article: { include: { hero: true } },
        slides: { orderBy: { position: 'asc' }, include: { background: true, media: true } },
      },
    });
  }

  it("makes the hero image and slide background with the brand's style, keeping prompt and settings", async () => {
    const tenant = await seedTenant(db);
    await db.organizationSettings.create({
      data: {
        organizationId: tenant.organizationId,
        aiTextEnabled: true,
        aiImagesEnabled: true,
        aiImageModel: 'dall-e-3',
      },
    });
    await db.brand.update({ where: { id: tenant.brandId }, data: { imageStyle: 'flat pastel illustration' } });
    const [article, carousel] = await runBatch(tenant);

    expect(openai.imageRequests).toHaveLength(2);
    for (const request of openai.imageRequests) {
      expect(request).toMatchObject({ model: 'dall-e-3', n: 1, response_format: 'b64_json' });
      expect(String(request.prompt)).toMatch(/Style: flat pastel illustration$/);
    }
    // The two posts are written in parallel: the requests come in either order.
    const requestOfSize = (size: string) => openai.imageRequests.find((request) => request.size === size)!;

    const hero = article!.article!.hero!;
    expect(hero.aiPrompt).toBe(requestOfSize('1536x1024').prompt);
    expect(hero.aiImageSettings).toMatchObject({ model: 'dall-e-3', size: '1536x1024' });
    expect([hero.width, hero.height]).toEqual([1536, 1024]);
    // The stored image is exactly what the endpoint answered for that prompt.
    const stored = Buffer.from((await media.storage.get(hero.storageKey))!.body);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(
      createHash('sha256')
        .update(await emulatedImage(hero.aiPrompt!, 1536, 1024))
        .digest('hex'),
    );
    expect(hero.sha256).toBe(createHash('sha256').update(stored).digest('hex'));

    // Every slide is rendered over the one background, which shows through the veil.
    const background = carousel!.slides[0]!.background!;
    expect(background.aiPrompt).toBe(requestOfSize('1024x1536').prompt);
    expect(carousel!.slides.every((slide) => slide.backgroundMediaId === background.id)).toBe(true);
    const backgroundBytes = Buffer.from((await media.storage.get(background.storageKey))!.body);
    expect((await sharp(backgroundBytes).metadata()).format).toBe('png');
    // The slide differs from the same slide on the brand's plain background.
    expect(await differenceFromPlain(tenant.brandId, carousel!.slides[0]!)).toBeGreaterThan(8);
  });

  it('with images off, sends nothing to the images endpoint and makes plain posts', async () => {
    const before = openai.received.length;
    const imageCalls = () => openai.server.requests.filter((request) => request.path === '/v1/images/generations');
    const callsBefore = imageCalls().length;
    const tenant = await seedTenant(db);
    await db.organizationSettings.create({
      data: { organizationId: tenant.organizationId, aiTextEnabled: true, aiImagesEnabled: false },
    });
    await db.brand.update({ where: { id: tenant.brandId }, data: { imageStyle: 'flat pastel illustration' } });
    const [article, carousel] = await runBatch(tenant);
    expect(openai.received).toHaveLength(before);
    expect(imageCalls()).toHaveLength(callsBefore);
    expect(article!.article!.heroMediaId).toBeNull();
    expect(carousel!.slides.every((slide) => slide.backgroundMediaId === null)).toBe(true);
    expect(await differenceFromPlain(tenant.brandId, carousel!.slides[0]!)).toBeLessThan(2);
  });

  /** Mean absolute difference per channel (0-255) between a stored slide and its plain rendering. */
  async function differenceFromPlain(
    brandId: string,
    slide: { heading: string; body: string; media: { storageKey: string } | null },
  ): Promise<number> {
    const brand = await db.brand.findUniqueOrThrow({ where: { id: brandId } });
    const plain = await renderSlide(brand, slide, { index: 0, total: 2 });
    const stored = Buffer.from((await media.storage.get(slide.media!.storageKey))!.body);
    const [a, b] = await Promise.all([plain.bytes, stored].map((bytes) => sharp(bytes).removeAlpha().raw().toBuffer()));
    let total = 0;
    for (let i = 0; i < a!.length; i++) total += Math.abs(a![i]! - b![i]!);
    return total / a!.length;
  }
});
