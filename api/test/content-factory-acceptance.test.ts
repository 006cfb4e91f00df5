// Issue 15's first acceptance point, end to end through the api and an in-process worker: a mixed
// batch (2 articles, 2 scripts, 2 carousels) is written by the AI emulator, rendered, approved
// by a reviewer and published — the articles to the brand's public blog (checked with a real
// HTML parser, the sitemap and the Atom feed as XML, the JSON-LD as JSON), the carousels and the
// scripts' videos to the TikTok emulator, once each.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { TikTokEmulator } from '@pressroom/workflows/emulators';
import { saveConnectedAccount } from '@pressroom/workflows/platforms';
import { extractFrame, probeVideo } from '@pressroom/workflows/rendering';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const publicBase = 'https://press.example.test';
const tiktok = new TikTokEmulator({ processingMs: 300 });
let api: TestApi;
let org: SeededOrganization;
let tiktokAccount: { id: string; openId: string };
let work: string;

beforeAll(async () => {
  const tiktokUrl = await tiktok.start();
  api = await startTestApi(
    {
      PUBLIC_BASE_URL: publicBase,
      TIKTOK_CLIENT_KEY: 'pressroom-emulated-client',
      TIKTOK_CLIENT_SECRET: 'pressroom-emulated-secret',
      TIKTOK_AUTH_BASE_URL: tiktokUrl,
      TIKTOK_API_BASE_URL: tiktokUrl,
      WORKFLOW_UPDATE_TIMEOUT_MS: '20000',
    },
    {
      worker: {
        publishSettings: { pollInitialMs: 200, pollMaxMs: 500, automaticAttempts: 1 },
        activities: { contentSettings: { slidesPerPost: 3 } },
      },
    },
  );
  org = await seedOrganization(api);
  work = await mkdtemp(join(tmpdir(), 'pressroom-acceptance-'));
  // Facts for the writer: each script's scenes and each article's sections are drawn from them.
  await api.db.brandKnowledgeDocument.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      title: 'Brewing guide',
      content: [
        'Pour-over coffee needs a medium-fine grind, about like table salt.',
        'Water just off the boil, around 94 degrees, extracts the best flavour.',
        'A bloom of thirty seconds lets the coffee release its gas before the main pour.',
        'Weigh your coffee and water; a ratio of one to sixteen is a good start.',
        'Rinse the paper filter first so it does not taste of paper.',
      ].join(' '),
    },
  });
  const creator = tiktok.createUser();
  const issued = tiktok.issueTokens(creator.openId);
  const account = await saveConnectedAccount(api.db, createVault(parseKeyRing(api.config.PRESSROOM_TOKEN_KEYS!)), {
    organizationId: org.organization.id,
    brandId: org.brand.id,
    platform: 'TIKTOK',
    platformAccountId: creator.openId,
    displayName: 'TikTok account',
    tokens: {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
    },
  });
  tiktokAccount = { id: account.id, openId: creator.openId };
}, 180_000);

afterAll(async () => {
  await api?.close();
  await tiktok.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 180_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function walk(node: Node, visit: (element: Element) => void) {
  if ('tagName' in node) visit(node);
  for (const child of 'childNodes' in node ? node.childNodes : []) walk(child, visit);
}

/** parse5 with every parse error collected: a page with any is not valid HTML. */
function parseHtml(html: string) {
  const errors: string[] = [];
  const document = parse(html, { onParseError: (error) => errors.push(`${error.code} at ${error.startLine}`) });
  const elements: Element[] = [];
  walk(document, (element) => elements.push(element));
  const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
  const text = (element: Element): string =>
    element.childNodes
      .map((child) => ('value' in child ? child.value : 'tagName' in child ? text(child) : ''))
      .join('');
  return { errors, attr, text, byTag: (tag: string) => elements.filter((e) => e.tagName === tag) };
}

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['url', 'entry'].includes(name) });

/** Luma spread of a frame: a blank (single-colour) frame has none. */
async function lumaSpread(jpeg: Buffer) {
  const stats = await sharp(jpeg).greyscale().stats();
  return { stdev: stats.channels[0]!.stdev, min: stats.channels[0]!.min, max: stats.channels[0]!.max };
}

test('a mixed batch generates, renders, is approved and publishes: articles on the blog, carousels and script videos on TikTok once each', async () => {
  const formats = ['ARTICLE', 'ARTICLE', 'SCRIPT', 'SCRIPT', 'CAROUSEL', 'CAROUSEL'];
  const created = await org.members.EDITOR.client.gql<{
    createBatch: { __typename: string; data?: { id: string } };
  }>(
    `mutation($id: ID!, $formats: [PostFormat!]) {
      createBatch(brandId: $id, brief: "Pour-over coffee at home for beginners", count: 6, formats: $formats,
        platforms: [TIKTOK]) { __typename ... on MutationCreateBatchSuccess { data { id } } } }`,
    { id: org.brand.gid, formats },
  );
  expect(created.body.errors).toBeUndefined();
  expect(created.body.data?.createBatch.__typename).toBe('MutationCreateBatchSuccess');
  const batchId = Buffer.from(created.body.data!.createBatch.data!.id, 'base64url').toString().split(':')[1]!;

  // Generated and rendered: every post in review, in its own format.
  const batch = await waitFor(
    () => api.db.batch.findUniqueOrThrow({ where: { id: batchId } }),
    (row) => row.status === 'READY' || row.status === 'FAILED',
    'the batch to be generated',
  );
  expect(batch.status).toBe('READY');
  const posts = await api.db.post.findMany({
    where: { batchId },
    orderBy: { batchIndex: 'asc' },
    include: {
      article: true,
      scenes: { orderBy: { position: 'asc' } },
      slides: { include: { media: true } },
      media: { where: { deletedAt: null } },
    },
  });
  expect(posts.map((post) => [post.format, post.status, post.generationError])).toEqual(
    formats.map((format) => [format, 'IN_REVIEW', null]),
  );
  const articles = posts.filter((post) => post.format === 'ARTICLE');
  const scripts = posts.filter((post) => post.format === 'SCRIPT');
  const carousels = posts.filter((post) => post.format === 'CAROUSEL');
  expect(new Set(articles.map((post) => post.article!.slug)).size).toBe(2);
  for (const carousel of carousels) {
    expect(carousel.slides).toHaveLength(3);
    expect(carousel.slides.every((slide) => slide.media?.status === 'READY')).toBe(true);
  }

  // Each script's video decodes: H.264, vertical 1080×1920, as long as its scenes; its frames
  // are scene cards (text on a background), not blank.
  for (const [index, script] of scripts.entries()) {
    const video = script.media.find((row) => row.kind === 'VIDEO');
    expect(video).toMatchObject({ status: 'READY', contentType: 'video/mp4' });
    const file = join(work, `script-${index}.mp4`);
    const bytes = await readFile(join(api.mediaDir, video!.storageKey));
    await writeFile(file, bytes);
    const probed = await probeVideo(file);
    const seconds = script.scenes.reduce((sum, scene) => sum + scene.durationSeconds, 0);
    expect(probed).toMatchObject({ codec: 'h264', width: 1080, height: 1920 });
    expect(Math.abs(probed.durationSec - seconds)).toBeLessThan(0.1);
    const frames = [];
    for (const [scene, at] of [
      [0, script.scenes[0]!.durationSeconds / 2],
      [1, script.scenes[0]!.durationSeconds + script.scenes[1]!.durationSeconds / 2],
    ] as const) {
      const frame = await extractFrame(bytes, at);
      expect(await sharp(frame).metadata()).toMatchObject({ width: 1080, height: 1920 });
      const spread = await lumaSpread(frame);
      // Text on a card: dark and light pixels both, far apart.
      expect(spread.stdev, `script ${index} scene ${scene}`).toBeGreaterThan(8);
      expect(spread.max - spread.min, `script ${index} scene ${scene}`).toBeGreaterThan(100);
      frames.push(frame);
      if (process.env.PRESSROOM_KEEP_FRAMES) {
        await writeFile(
          join(process.env.PRESSROOM_KEEP_FRAMES, `acceptance-script-${index}-scene-${scene}.jpg`),
          frame,
        );
      }
    }
    // Timed to the script: the second scene's card is another picture.
    const difference = await sharp(frames[0])
      .composite([{ input: frames[1], blend: 'difference' }])
      .stats();
    expect(Math.max(...difference.channels.map((channel) => channel.max))).toBeGreaterThan(64);
  }

  // Reviewed: the reviewer approves all six.
  for (const post of posts) {
    const answer = await org.members.REVIEWER.client.gql<{ approvePost: { __typename: string } }>(
      `mutation($id: ID!) { approvePost(id: $id) { __typename } }`,
      { id: gid('Post', post.id) },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.approvePost.__typename).toBe('MutationApprovePostSuccess');
  }
  expect(
    (await api.db.post.findMany({ where: { batchId }, select: { status: true } })).map((post) => post.status),
  ).toEqual(formats.map(() => 'APPROVED'));

  // Scheduled: articles to the brand's blog (their one target), the others to TikTok, each two
  // seconds after it is scheduled (one time for all six was in the past by the last on a busy
  // machine, and refused as such).
  for (const post of posts) {
    const at = new Date(Date.now() + 2_000).toISOString();
    const accounts = post.format === 'ARTICLE' ? undefined : [gid('SocialAccount', tiktokAccount.id)];
    const answer = await org.members.EDITOR.client.gql<{ schedulePost: { __typename: string; message?: string } }>(
      `mutation($id: ID!, $at: DateTime!, $accounts: [ID!]) {
        schedulePost(id: $id, scheduledAt: $at, socialAccountIds: $accounts) { __typename ... on Error { message } } }`,
      { id: gid('Post', post.id), at, accounts },
    );
    expect(answer.body.data?.schedulePost, post.format).toEqual({ __typename: 'MutationSchedulePostSuccess' });
  }
  const settled = await waitFor(
    () => api.db.publication.findMany({ where: { post: { batchId } }, include: { attempts: true, post: true } }),
    (rows) => rows.length === 6 && rows.every((row) => row.state === 'PUBLISHED' || row.state === 'FAILED'),
    'six publications to settle',
  );
  expect(
    settled.map((row) => [row.post.format, row.platform, row.state, row.failureReason, row.attempts.length]).sort(),
  ).toEqual(
    [
      ['ARTICLE', 'BLOG', 'PUBLISHED', null, 1],
      ['ARTICLE', 'BLOG', 'PUBLISHED', null, 1],
      ['CAROUSEL', 'TIKTOK', 'PUBLISHED', null, 1],
      ['CAROUSEL', 'TIKTOK', 'PUBLISHED', null, 1],
      ['SCRIPT', 'TIKTOK', 'PUBLISHED', null, 1],
      ['SCRIPT', 'TIKTOK', 'PUBLISHED', null, 1],
    ].sort(),
  );
  expect(
    (await api.db.post.findMany({ where: { batchId }, select: { status: true } })).map((post) => post.status),
  ).toEqual(formats.map(() => 'PUBLISHED'));

  // TikTok: exactly one post per carousel (a photo post) and per script (a video), each the
  // one its publication recorded.
  const made = tiktok.listPosts().filter((row) => row.openId === tiktokAccount.openId);
  expect(made).toHaveLength(4);
  for (const publication of settled.filter((row) => row.platform === 'TIKTOK')) {
    const mine = made.filter((row) => row.publishId === publication.platformPublishId);
    expect(mine, publication.post.format).toHaveLength(1);
    expect(mine[0]!.endpoint).toBe(publication.post.format === 'CAROUSEL' ? 'content/init' : 'video/init');
  }

  // The blog: both articles on the index, each page valid HTML with one H1, its title and a
  // JSON-LD Article; the sitemap and the feed list both.
  const organization = await api.db.organization.findUniqueOrThrow({ where: { id: org.organization.id } });
  const brand = await api.db.brand.findUniqueOrThrow({ where: { id: org.brand.id } });
  const path = `/b/${organization.slug}/${brand.slug}`;
  const index = await fetch(`${api.url}${path}/`);
  expect(index.status).toBe(200);
  const indexPage = parseHtml(await index.text());
  expect(indexPage.errors).toEqual([]);
  expect(indexPage.byTag('h2').map(indexPage.text).sort()).toEqual(articles.map((post) => post.title).sort());

  const urls = [];
  for (const post of articles) {
    const article = await api.db.article.findUniqueOrThrow({ where: { postId: post.id } });
    const url = `${publicBase}${path}/${article.slug}`;
    urls.push(url);
    const answer = await fetch(`${api.url}${path}/${article.slug}`);
    expect(answer.status).toBe(200);
    const page = parseHtml(await answer.text());
    expect(page.errors).toEqual([]);
    const h1 = page.byTag('h1');
    expect(h1).toHaveLength(1);
    expect(page.text(h1[0]!).trim()).toBe(article.body.match(/^# (.+)$/m)![1]!.trim());
    expect(page.byTag('title').map(page.text)).toEqual([article.metaTitle]);
    const link = page.byTag('link').find((element) => page.attr(element, 'rel') === 'canonical');
    expect(link && page.attr(link, 'href')).toBe(url);
    const scripts = page.byTag('script').filter((s) => page.attr(s, 'type') === 'application/ld+json');
    expect(scripts).toHaveLength(1);
    const jsonLd = JSON.parse(page.text(scripts[0]!)) as Record<string, unknown>;
    expect(jsonLd).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Article',
      headline: article.metaTitle,
      description: article.metaDescription,
      datePublished: article.publishedAt!.toISOString(),
      mainEntityOfPage: { '@id': url },
    });
  }

  const sitemap = await (await fetch(`${api.url}${path}/sitemap.xml`)).text();
  expect(XMLValidator.validate(sitemap)).toBe(true);
  const locs = (xml.parse(sitemap) as { urlset: { url: { loc: string }[] } }).urlset.url.map((u) => u.loc);
  expect(locs.sort()).toEqual([`${publicBase}${path}/`, ...urls].sort());
  const feed = await (await fetch(`${api.url}${path}/feed.xml`)).text();
  expect(XMLValidator.validate(feed)).toBe(true);
  const entries = (xml.parse(feed) as { feed: { entry: { id: string; title: string }[] } }).feed.entry;
  expect(entries.map((entry) => entry.id).sort()).toEqual([...urls].sort());
  expect(entries.map((entry) => entry.title).sort()).toEqual(articles.map((post) => post.title).sort());
}, 420_000);
