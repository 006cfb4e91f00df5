// The integrator's journey through the sdk alone, against a live api, worker and emulators:
// a batch from a brief followed by subscription, a reviewer's approval, scheduling,
// publishing on the TikTok emulator, the metrics the sync brings back, and paging.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Batch, Pressroom, Publication } from '../src/index.js';
import { startStack, type Stack } from './stack.js';

let stack: Stack;
let editor: Pressroom;
let reviewer: Pressroom;

beforeAll(async () => {
  // A generous budget: pacing has its own test; here it would only make the paging slow.
  stack = await startStack({ API_TOKEN_COST_BUCKET: '100000', API_TOKEN_COST_RESTORE_RATE: '50000' });
  ({ pressroom: editor } = await stack.client([
    'brands:read',
    'posts:read',
    'posts:write',
    'posts:schedule',
    'analytics:read',
  ]));
  ({ pressroom: reviewer } = await stack.client(['brands:read', 'posts:read', 'posts:review']));
}, 120_000);
afterAll(() => stack?.close());

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 45_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

test('brief → batch followed by subscription → approved by a reviewer token → scheduled → published → metrics', async () => {
  const [brand] = await editor.brands.list().toArray();
  expect(brand?.id).toBe(stack.org.brand.gid);

  const batch = await editor.batches.create({
    brandId: brand!.id,
    brief: 'Autumn launch of the cinnamon roll',
    count: 2,
    platforms: ['TIKTOK'],
  });
  expect(batch.status).toBe('QUEUED');

  const seen: Batch[] = [];
  const finished = await editor.batches.waitUntilFinished(batch.id, (update) => seen.push(update));
  expect(finished.status).toBe('READY');
  expect(finished.generatedCount).toBe(2);
  // Progress came over the socket: at least the update that finished it.
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.at(-1)!.status).toBe('READY');

  const posts = await editor.batches.posts(batch.id).toArray();
  expect(posts).toHaveLength(2);
  expect(posts.every((post) => post.status === 'IN_REVIEW')).toBe(true);
  const post = posts[0]!;
  expect(post.slides.length).toBeGreaterThan(0);

  const approved = await reviewer.reviews.approve(post.id, { comment: 'Ship it' });
  expect(approved.status).toBe('APPROVED');

  const publications = editor.publications.changes();
  const scheduled = await editor.posts.schedule(post.id, { scheduledAt: new Date(Date.now() + 1_000) });
  expect(scheduled.status).toBe('SCHEDULED');

  // Followed by subscription until the platform has it.
  let published: Publication | null = null;
  for await (const publication of publications) {
    if (publication?.post.id === post.id && publication.state === 'PUBLISHED') {
      published = publication;
      break;
    }
  }
  if (!published) throw new Error('the subscription ended before the post was published');
  expect(published.platformPostId).toBeTruthy();
  const detail = await editor.posts.get(post.id);
  expect(detail.status).toBe('PUBLISHED');
  expect(detail.reviews.map((review) => review.decision)).toEqual(['APPROVED']);

  // The account's sync reads the new video's numbers.
  await editor.accounts.syncNow(stack.accountGid);
  const metrics = await until(
    () => editor.analytics.publication(published.id, { from: new Date(Date.now() - 3_600_000) }),
    (value) => value.latest !== null,
    'the publication metrics',
  );
  expect(Number(metrics.latest!.viewCount)).toBeGreaterThanOrEqual(0);
  expect(metrics.latest!.capturedAt).toBeTruthy();
  const account = await editor.analytics.account(stack.accountGid, { from: new Date(Date.now() - 3_600_000) });
  expect(account.latest).not.toBeNull();
}, 120_000);

test('the iterator pages through 250 posts, each once, in the order the api lists them', async () => {
  const { db, org } = { db: stack.api.db, org: stack.org };
  await db.post.createMany({
    data: Array.from({ length: 250 }, (_, index) => ({
      organizationId: org.organization.id,
      brandId: org.brand.id,
      status: 'DRAFT' as const,
      caption: `bulk ${index}`,
    })),
  });
  const expected = await db.post.count({ where: { organizationId: org.organization.id, status: 'DRAFT' } });
  expect(expected).toBeGreaterThanOrEqual(250);

  const ids: string[] = [];
  let pages = 0;
  const iterator = editor.posts.list({ status: ['DRAFT'], pageSize: 40 });
  for await (const page of iterator.pages()) {
    pages += 1;
    ids.push(...page.map((post) => post.id));
  }
  expect(ids).toHaveLength(expected);
  expect(new Set(ids).size).toBe(expected);
  expect(pages).toBe(Math.ceil(expected / 40));

  // The plain iterator yields the same posts, one at a time.
  const one: string[] = [];
  for await (const post of editor.posts.list({ status: ['DRAFT'], pageSize: 100 })) one.push(post.id);
  expect(one).toEqual(ids);
}, 120_000);
