import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import { socialAccountTokenContext } from '@pressroom/db/vault';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelPublication,
  publicationWorkflowId,
  reschedulePublication,
  retryPublication,
  schedulePublication,
} from '../src/client.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { recordingEmail, servedStorage, testVault } from './helpers.js';
import {
  connectTikTokAccount,
  createCarouselPublication,
  createVideoPublication,
  fastSettings,
  waitFor,
} from './support/publishing.js';
import { saveHistory } from './support/histories.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `publish-test-${randomBytes(4).toString('hex')}`;

describe('publish workflow', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let emulator: TikTokEmulator;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const vault = testVault();
  // Slow enough that a failure is visible in the database while its activity still runs.
  const mail = recordingEmail({ delayMs: 1_000 });
  const emails = mail.sent;

  beforeAll(async () => {
    emulator = new TikTokEmulator({ processingMs: 300, moderationMs: 0, dailyPostCap: 1000 });
    const baseUrl = await emulator.start();
    media = await servedStorage();
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        storage: media.storage,
        settings: fastSettings,
        tiktok: tiktokClientFor(emulator, baseUrl, { timeoutMs: 2_000, backoffBaseMs: 50 }),
        email: mail.sender,
      }),
      cleanups: [() => emulator.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });

  afterAll(() => harness?.close());

  const postsOf = (openId: string) => emulator.listPosts().filter((post) => post.openId === openId);
  const result = (publicationId: string) => client.workflow.getHandle(publicationWorkflowId(publicationId)).result();

  it('publishes a carousel once, recording the attempt with its request and response', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account);
    await schedulePublication(client, publication.id, { taskQueue });
    await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED', attempts: 1 });

    const posts = postsOf(account.openId);
    expect(posts).toHaveLength(1);
    const stored = await db.publication.findUniqueOrThrow({
      where: { id: publication.id },
      include: { attempts: true },
    });
    expect(stored).toMatchObject({ state: 'PUBLISHED', platformPublishId: posts[0]!.publishId, attemptCount: 1 });
    // The id TikTok's status answer reported (an int64, kept exact) and the video's link.
    expect(stored.platformPostId).toBe(posts[0]!.videoId);
    expect(stored.platformUrl).toMatch(new RegExp(`/video/${posts[0]!.videoId}$`));
    expect(stored.attempts).toHaveLength(1);
    expect(stored.attempts[0]).toMatchObject({
      status: 'SUCCEEDED',
      step: 'POLL',
      responseCode: 200,
      platformPublishId: posts[0]!.publishId,
      request: expect.objectContaining({ endpoint: 'content/init' }) as unknown,
    });
    expect(await db.post.findUniqueOrThrow({ where: { id: publication.postId } })).toMatchObject({
      status: 'PUBLISHED',
    });
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-tiktok-carousel');
    await saveHistory(client, `rate-gate:tiktok:${account.socialAccountId}:init`, 'rate-gate-init-publisher');
  });

  it('uploads a video in chunks and publishes it', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createVideoPublication(db, media.storage, account, { bytes: 11 * 1024 * 1024 });
    await schedulePublication(client, publication.id, { taskQueue });
    await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
    const posts = postsOf(account.openId);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ source: 'FILE_UPLOAD', uploadedBytes: 11 * 1024 * 1024, totalChunkCount: 2 });
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-tiktok-video');
  });

  it('after a lost init answer finds the post on the video list instead of posting again', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account);
    emulator.server.inject({ method: 'POST', pathPrefix: '/v2/post/publish/content/init/' }, { kind: 'lost-response' });
    await schedulePublication(client, publication.id, { taskQueue });
    await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED', attempts: 1 });

    const posts = postsOf(account.openId);
    expect(posts).toHaveLength(1);
    const stored = await db.publication.findUniqueOrThrow({
      where: { id: publication.id },
      include: { attempts: true },
    });
    expect(stored.platformPostId).toBe(posts[0]!.videoId);
    expect(stored.platformUrl).toMatch(new RegExp(`/video/${posts[0]!.videoId}$`));
    expect(stored.attempts[0]).toMatchObject({ status: 'SUCCEEDED', step: 'RECONCILE' });
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-tiktok-lost-init');
  });

  it('refreshes an access token that expired mid-run once and stores the rotated refresh token', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account);
    const refreshesBefore = emulator.calls.refreshes;
    // The platform's clock passes the token's lifetime; ours still believes it fresh.
    emulator.clock.advance(3 * 3600_000);
    try {
      await schedulePublication(client, publication.id, { taskQueue });
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
    } finally {
      emulator.clock.advance(-3 * 3600_000);
    }
    expect(emulator.calls.refreshes - refreshesBefore).toBe(1);
    const stored = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    const refreshToken = vault.decrypt(
      stored.tokenKeyId!,
      stored.refreshTokenCiphertext!,
      socialAccountTokenContext(stored, 'refresh'),
    );
    expect(emulator.isRefreshTokenValid(refreshToken)).toBe(true);
    expect(postsOf(account.openId)).toHaveLength(1);
  });

  it('waits for its time, can be rescheduled and cancelled before the platform has the post', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account, {
      scheduledAt: new Date(Date.now() + 3600_000),
    });
    await schedulePublication(client, publication.id, { taskQueue });
    const later = new Date(Date.now() + 7200_000);
    await expect(reschedulePublication(client, publication.id, later)).resolves.toEqual({
      scheduledAtMs: later.getTime(),
    });
    expect((await db.publication.findUniqueOrThrow({ where: { id: publication.id } })).scheduledAt).toEqual(later);
    await expect(cancelPublication(client, publication.id)).resolves.toEqual({ cancelled: true });
    await expect(result(publication.id)).resolves.toMatchObject({ state: 'CANCELLED', attempts: 0 });
    expect(await db.publication.findUniqueOrThrow({ where: { id: publication.id } })).toMatchObject({
      state: 'CANCELLED',
    });
    expect(postsOf(account.openId)).toHaveLength(0);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-tiktok-cancelled');
  });

  it('refuses to cancel once the platform has the post', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account);
    // Status polls hang, so the publish sits after its init.
    emulator.server.inject({ method: 'POST', pathPrefix: '/v2/post/publish/status/fetch/' }, { kind: 'timeout' }, 1);
    await schedulePublication(client, publication.id, { taskQueue });
    await waitFor(
      () => postsOf(account.openId).length,
      (count) => count === 1,
      20_000,
      'the init',
    );
    await expect(cancelPublication(client, publication.id)).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
    expect(postsOf(account.openId)).toHaveLength(1);
  });

  it('fails with the classified platform reason; an operator retry is a new attempt on the same publication', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account);
    emulator.failNextPublish('spam_risk_too_many_pending_share');
    await schedulePublication(client, publication.id, { taskQueue });
    const failed = await waitFor(
      () => db.publication.findUniqueOrThrow({ where: { id: publication.id } }),
      (row) => row.state === 'FAILED',
      20_000,
      'the publication to fail',
    );
    expect(failed).toMatchObject({ failureCategory: 'REJECTED_BY_PLATFORM', attemptCount: 1 });
    expect(failed.failureReason).toContain('spam_risk_too_many_pending_share');
    // An operator retries as soon as the failure shows, while the owner is still being emailed.
    const retried = await retryPublication(client, publication.id, { triggeredById: account.userId }, { taskQueue });
    expect(retried.attemptNumber).toBe(2);
    // The owner, who may retry it, is told in-app and by email, once, with the reason.
    const told = await waitFor(
      () => db.notification.findMany({ where: { organizationId: account.organizationId, kind: 'publication.failed' } }),
      (rows) => rows.some((row) => row.channel === 'EMAIL' && row.status === 'SENT'),
      10_000,
      'the owner to be told',
    );
    expect(told.map((row) => [row.userId, row.channel]).sort()).toEqual([
      [account.userId, 'EMAIL'],
      [account.userId, 'IN_APP'],
    ]);
    expect(told[0]!.body).toContain('spam_risk_too_many_pending_share');
    const owner = await db.user.findUniqueOrThrow({ where: { id: account.userId } });
    expect(emails.filter((email) => email.to.includes(owner.email))).toHaveLength(1);

    await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED', attempts: 2 });
    const attempts = await db.publishAttempt.findMany({
      where: { publicationId: publication.id },
      orderBy: { number: 'asc' },
    });
    expect(
      attempts.map((attempt) => [attempt.number, attempt.status, attempt.failureCategory, attempt.triggeredById]),
    ).toEqual([
      [1, 'FAILED', 'REJECTED_BY_PLATFORM', null],
      [2, 'SUCCEEDED', null, account.userId],
    ]);
    // The failed post never became a video; the retry made the one that did.
    expect(postsOf(account.openId).filter((post) => post.videoId)).toHaveLength(1);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-tiktok-retried');
  });
});
