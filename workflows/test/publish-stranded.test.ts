// Every way a publish run can end leaves the publication in a state an operator can act on:
// a look for the post that fails, a run cancelled or terminated from outside (the periodic
// check repairs what the run could not record), an operator's check of an unknown outcome.
import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkPublication,
  ensurePublicationCheckSchedule,
  publicationCheckScheduleId,
  publicationWorkflowId,
  retryPublication,
  schedulePublication,
} from '../src/client.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { publicationCheckWorkflow } from '../src/workflows/publish.js';
import { servedStorage, testVault } from './helpers.js';
import { saveHistory } from './support/histories.js';
import { connectTikTokAccount, createCarouselPublication, fastSettings, waitFor } from './support/publishing.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `publish-stranded-${randomBytes(4).toString('hex')}`;

describe('a publication is never stranded', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let emulator: TikTokEmulator;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const vault = testVault();

  beforeAll(async () => {
    // Slow processing, so a run can be stopped while TikTok still works on the post.
    emulator = new TikTokEmulator({ processingMs: 2_500, moderationMs: 0, dailyPostCap: 1000 });
    const baseUrl = await emulator.start();
    media = await servedStorage();
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        storage: media.storage,
        settings: fastSettings,
        tiktok: tiktokClientFor(emulator, baseUrl, { timeoutMs: 2_000, backoffBaseMs: 50 }),
      }),
      cleanups: [() => emulator.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });

  afterAll(() => harness?.close());

  const postsOf = (openId: string) => emulator.listPosts().filter((post) => post.openId === openId);
  const row = (publicationId: string) =>
    db.publication.findUniqueOrThrow({
      where: { id: publicationId },
      include: { attempts: { orderBy: { number: 'asc' } } },
    });
  const settled = (publicationId: string, state: string, what: string) =>
    waitFor(
      () => row(publicationId),
      (publication) => publication.state === state,
      30_000,
      what,
    );
  /** Runs the periodic check until it has repaired `publicationId` (visibility may lag a moment). */
  const checkUntilRepaired = (publicationId: string) =>
    waitFor(
      async () => {
        await client.workflow.execute(publicationCheckWorkflow, {
          workflowId: `check-${randomBytes(4).toString('hex')}`,
          taskQueue,
          args: [{ graceMs: 0 }],
        });
        return row(publicationId);
      },
      (publication) => publication.state !== 'PUBLISHING' && publication.state !== 'SCHEDULED',
      30_000,
      'the periodic check to repair the publication',
    );

  it('a look for a lost post that fails ends OUTCOME_UNKNOWN, and the retry looks before posting', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account);
    // The init's answer is lost, then the video list refuses the token even after a refresh
    // (as for an account revoked meanwhile): the post cannot be looked for.
    emulator.server.inject({ method: 'POST', pathPrefix: '/v2/post/publish/content/init/' }, { kind: 'lost-response' });
    emulator.server.inject(
      { pathPrefix: '/v2/video/list/' },
      { kind: 'status', status: 401, code: 'access_token_invalid' },
      2,
    );
    await schedulePublication(client, publication.id, { taskQueue });

    const failed = await settled(publication.id, 'FAILED', 'the publication to fail');
    expect(failed).toMatchObject({ failureCategory: 'OUTCOME_UNKNOWN' });
    expect(failed.failureReason).toContain('could not be asked');
    expect(failed.attempts.map((attempt) => [attempt.number, attempt.status])).toEqual([[1, 'OUTCOME_UNKNOWN']]);
    const description = await client.workflow.getHandle(publicationWorkflowId(publication.id)).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(postsOf(account.openId)).toHaveLength(1);

    // The operator retries: the new attempt looks for the post first and finds it.
    await retryPublication(client, publication.id, { triggeredById: account.userId }, { taskQueue });
    const published = await settled(publication.id, 'PUBLISHED', 'the retry to find the post');
    expect(postsOf(account.openId)).toHaveLength(1);
    expect(published.attempts.map((attempt) => [attempt.number, attempt.status, attempt.step])).toEqual([
      [1, 'OUTCOME_UNKNOWN', 'RECONCILE'],
      [2, 'SUCCEEDED', 'RECONCILE'],
    ]);
    expect(published.platformPostId).toBe(postsOf(account.openId)[0]!.videoId);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-tiktok-look-failed-retried');
  });

  it('a run cancelled from outside while waiting records the publication CANCELLED', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account, {
      scheduledAt: new Date(Date.now() + 3_600_000),
    });
    const handle = await schedulePublication(client, publication.id, { taskQueue });
    await waitFor(
      () => row(publication.id),
      (found) => found.workflowId !== null,
      10_000,
      'the workflow to load',
    );
    await handle.cancel();
    const cancelled = await settled(publication.id, 'CANCELLED', 'the cancel to be recorded');
    expect(cancelled.failureCategory).toBe('CANCELLED');
    await handle.result().catch(() => undefined);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-tiktok-run-cancelled');
  });

  it('the periodic check repairs a terminated waiting run; the operators are told; a retry publishes', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account, {
      scheduledAt: new Date(Date.now() + 3_600_000),
    });
    const handle = await schedulePublication(client, publication.id, { taskQueue });
    await waitFor(
      () => row(publication.id),
      (found) => found.workflowId !== null,
      10_000,
      'the workflow to load',
    );
    await handle.terminate('an operator stopped it by hand');

    const repaired = await checkUntilRepaired(publication.id);
    expect(repaired).toMatchObject({ state: 'FAILED', failureCategory: 'TRANSIENT' });
    expect(repaired.failureReason).toContain('terminated');
    const told = await db.notification.findMany({
      where: { organizationId: account.organizationId, kind: 'publication.failed', channel: 'IN_APP' },
    });
    expect(told.map((notification) => notification.userId)).toEqual([account.userId]);
    expect(told[0]!.body).toContain('terminated');

    await retryPublication(client, publication.id, { triggeredById: account.userId }, { taskQueue });
    await settled(publication.id, 'PUBLISHED', 'the retry to publish');
    expect(postsOf(account.openId)).toHaveLength(1);
  });

  it('a run terminated while TikTok processes: unknown outcome, then a check finds it published', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account);
    const handle = await schedulePublication(client, publication.id, { taskQueue });
    await waitFor(
      () => row(publication.id),
      (found) => found.attempts.some((attempt) => attempt.platformPublishId !== null),
      20_000,
      'the init',
    );
    await handle.terminate('the worker never came back');

    const repaired = await checkUntilRepaired(publication.id);
    expect(repaired).toMatchObject({ state: 'FAILED', failureCategory: 'OUTCOME_UNKNOWN' });
    expect(repaired.failureReason).toContain('still processing');
    expect(repaired.attempts.map((attempt) => attempt.status)).toEqual(['OUTCOME_UNKNOWN']);
    const told = await db.notification.findFirstOrThrow({
      where: { organizationId: account.organizationId, kind: 'publication.failed', channel: 'IN_APP' },
    });
    expect(told.body).toContain('Check the publication');

    // An operator checks once TikTok has finished: the post is there, so it is PUBLISHED.
    const checked = await waitFor(
      () => checkPublication(client, publication.id, { taskQueue }),
      (result) => result.state === 'PUBLISHED',
      20_000,
      'the check to find the post',
    );
    expect(checked).toMatchObject({ changed: true, platform: 'published', workflowStatus: 'TERMINATED' });
    const published = await row(publication.id);
    expect(published.attempts.map((attempt) => attempt.status)).toEqual(['SUCCEEDED']);
    expect(published.platformPostId).toBe(postsOf(account.openId)[0]!.videoId);
    expect(postsOf(account.openId)).toHaveLength(1);
  });

  it('the worker keeps the periodic check on a Schedule', async () => {
    await ensurePublicationCheckSchedule(client, { taskQueue });
    await ensurePublicationCheckSchedule(client, { taskQueue });
    const schedule = client.schedule.getHandle(publicationCheckScheduleId);
    try {
      const description = await schedule.describe();
      expect(description.action).toMatchObject({ workflowType: 'publicationCheckWorkflow' });
      expect(description.spec.intervals).toHaveLength(1);
    } finally {
      await schedule.delete();
    }
  });
});
