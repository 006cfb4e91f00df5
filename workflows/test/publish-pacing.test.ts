import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedulePublication } from '../src/client.js';
import { EmulatorClock } from '../src/emulators/core.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { servedStorage, testVault } from './helpers.js';
import { connectTikTokAccount, createCarouselPublication } from './support/publishing.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

// Acceptance: 100 posts scheduled for one TikTok account in the same minute all publish, no
// 429 reaches anyone, and the platform sees at most 6 init calls in any minute.
//
// Sixteen platform minutes would be a long test, so the platform's clock runs 60 times faster
// than the wall clock and the worker's rate limits are configured for the same speed (a
// "minute" of 1 s). Workflow timers and the gates run on real time; only the scale changes.

const speed = 60;
const platformMinute = 60_000;

/** The emulator's clock, running `speed` times faster than real time. */
class FastClock extends EmulatorClock {
  private readonly origin = Date.now();
  private shift = 0;
  override now(): number {
    return this.origin + (Date.now() - this.origin) * speed + this.shift;
  }
  override advance(ms: number): void {
    this.shift += ms;
  }
}

/** The most requests for `path` in any window of `windowMs` (emulator clock). */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

const taskQueue = `publish-pacing-${randomBytes(4).toString('hex')}`;

describe('publishing 100 posts to one TikTok account in the same minute', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let emulator: TikTokEmulator;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const vault = testVault();

  beforeAll(async () => {
    emulator = new TikTokEmulator({
      clock: new FastClock(),
      processingMs: 3_000,
      moderationMs: 0,
      dailyPostCap: 1_000,
    });
    const baseUrl = await emulator.start();
    media = await servedStorage();
    const minute = platformMinute / speed;
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        storage: media.storage,
        settings: {
          tiktokLimits: {
            creator_info: { limit: 20, windowMs: minute },
            init: { limit: 6, windowMs: minute },
            status: { limit: 30, windowMs: minute },
          },
          pollInitialMs: 100,
          pollMaxMs: 400,
          gateLeaseMs: 10_000,
        },
        tiktok: tiktokClientFor(emulator, baseUrl, { timeoutMs: 5_000 }),
      }),
      cleanups: [() => emulator.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  // 100 publishes now take four activities each (prepare, publish, upload, status): about a
  // minute on a quiet machine, more when the machine is shared.
  it('publishes all of them with no 429 and at most 6 inits per platform minute', { timeout: 180_000 }, async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const scheduledAt = new Date();
    const publications = [];
    for (let i = 0; i < 100; i++) {
      publications.push(
        await createCarouselPublication(db, media.storage, account, { scheduledAt, slides: 1, caption: `Tip ${i}` }),
      );
    }
    const started = Date.now();
    const handles = await Promise.all(
      publications.map((publication) => schedulePublication(client, publication.id, { taskQueue })),
    );
    const results = await Promise.all(handles.map((handle) => handle.result()));
    const elapsedMs = Date.now() - started;
    expect(results.every((result) => result.state === 'PUBLISHED')).toBe(true);

    const posts = emulator.listPosts().filter((post) => post.openId === account.openId);
    expect(posts).toHaveLength(publications.length);
    expect(new Set(posts.map((post) => post.publishId)).size).toBe(publications.length);

    const requests = emulator.server.requests;
    const at = (path: string) => requests.filter((request) => request.path === path).map((request) => request.at);
    const inits = at('/v2/post/publish/content/init/');
    // Every init that reached the platform made a post: none was refused with a 429.
    expect(inits).toHaveLength(publications.length);
    const initPeak = busiestWindow(inits, platformMinute);
    const statusPeak = busiestWindow(at('/v2/post/publish/status/fetch/'), platformMinute);
    const creatorPeak = busiestWindow(at('/v2/post/publish/creator_info/query/'), platformMinute);
    expect(initPeak).toBeLessThanOrEqual(6);
    expect(statusPeak).toBeLessThanOrEqual(30);
    expect(creatorPeak).toBeLessThanOrEqual(20);

    const attempts = await db.publishAttempt.findMany({
      where: { publication: { socialAccountId: account.socialAccountId } },
    });
    expect(attempts).toHaveLength(publications.length);
    expect(attempts.filter((attempt) => attempt.failureCategory !== null)).toEqual([]);
    const platformMinutes = (Math.max(...inits) - Math.min(...inits)) / platformMinute;
    console.log(
      `100 posts: ${elapsedMs} ms real, ${platformMinutes.toFixed(1)} platform minutes of inits; ` +
        `busiest platform minute: ${initPeak} inits, ${statusPeak} status fetches, ${creatorPeak} creator_info`,
    );
  });
});
