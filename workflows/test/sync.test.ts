import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@pressroom/db';
import { socialAccountTokenContext } from '@pressroom/db/vault';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSyncSchedule, removeSyncSchedule, startAccountSync, syncAccountNow } from '../src/client.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import type { TikTokClient } from '../src/platforms/tiktok/index.js';
import { createLocalStorage, createUrlSigner } from '../src/storage/index.js';
import { recordingEmail, testVault } from './helpers.js';
import { saveHistory } from './support/histories.js';
import { connectTikTokAccount, waitFor, type SeededAccount } from './support/publishing.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `sync-test-${randomBytes(4).toString('hex')}`;

describe('analytics sync workflow', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let emulator: TikTokEmulator;
  let tiktok: TikTokClient;
  const vault = testVault();
  const mail = recordingEmail();
  const emails = mail.sent;

  beforeAll(async () => {
    emulator = new TikTokEmulator({ seededVideos: 5_000 });
    const baseUrl = await emulator.start();
    tiktok = tiktokClientFor(emulator, baseUrl);
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        tiktok,
        storage: createLocalStorage({
          root: join(tmpdir(), `pressroom-sync-${randomBytes(4).toString('hex')}`),
          signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
        }),
        email: mail.sender,
      }),
      cleanups: [() => emulator.stop()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  /** A publication already PUBLISHED for `account`, as the publish workflow leaves it. */
  async function publishedPublication(
    account: SeededAccount,
    fields: { platformPostId?: string; matchText: string; publishedAt: Date },
  ) {
    const post = await db.post.create({
      data: { organizationId: account.organizationId, brandId: account.brandId, status: 'PUBLISHED' },
    });
    return db.publication.create({
      data: {
        organizationId: account.organizationId,
        postId: post.id,
        socialAccountId: account.socialAccountId,
        platform: 'TIKTOK',
        state: 'PUBLISHED',
        scheduledAt: fields.publishedAt,
        publishedAt: fields.publishedAt,
        platformPostId: fields.platformPostId ?? null,
        attempts: {
          create: {
            number: 1,
            status: 'SUCCEEDED',
            step: 'POLL',
            request: { endpoint: 'content/init', matchText: fields.matchText },
          },
        },
      },
    });
  }

  it('syncs an account with 5,000 videos: batched writes, metrics as on the platform, publications linked', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const user = emulator.users.get(account.openId)!;
    const now = Date.now();
    user.videos.push(
      {
        id: '7500000000000000001',
        createTimeMs: now - 30 * 60_000,
        title: 'Reported at publish time',
        description: 'Reported at publish time',
        duration: 12,
        likeCount: 7,
        commentCount: 3,
        shareCount: 1,
        viewCount: 99,
      },
      {
        id: '7500000000000000002',
        createTimeMs: now - 20 * 60_000,
        title: 'Found by its caption',
        description: 'Found by its caption #coffee',
        duration: 0,
        likeCount: 70,
        commentCount: 30,
        shareCount: 10,
        viewCount: 990,
      },
    );
    const byId = await publishedPublication(account, {
      platformPostId: '7500000000000000001',
      matchText: 'something else',
      publishedAt: new Date(now - 31 * 60_000),
    });
    const byCaption = await publishedPublication(account, {
      matchText: 'Found by its caption #coffee',
      publishedAt: new Date(now - 20 * 60_000 - 20_000),
    });
    // Same caption, but published two days earlier: not the video's publication.
    const tooEarly = await publishedPublication(account, {
      matchText: 'Found by its caption #coffee',
      publishedAt: new Date(now - 48 * 3600_000),
    });

    const started = Date.now();
    const handle = await startAccountSync(client, account.socialAccountId, { taskQueue });
    const result = await handle.result();
    const elapsedMs = Date.now() - started;
    expect(result).toMatchObject({ state: 'SYNCED', videos: 5_002, matched: 2 });
    // One upsert and one createMany per batch of 25 pages (500 videos), never a row at a time.
    const batches = Math.ceil(Math.ceil(5_002 / 20) / 25);
    expect(result.writeStatements).toBeLessThanOrEqual(2 * batches);

    const stored = await db.platformVideo.findMany({ where: { socialAccountId: account.socialAccountId } });
    expect(stored).toHaveLength(5_002);
    const platform = new Map(user.videos.map((video) => [video.id, video]));
    const mismatched = stored.filter((video) => {
      const truth = platform.get(video.platformVideoId);
      return (
        !truth ||
        video.viewCount !== BigInt(truth.viewCount) ||
        video.likeCount !== BigInt(truth.likeCount) ||
        video.commentCount !== BigInt(truth.commentCount) ||
        video.shareCount !== BigInt(truth.shareCount) ||
        video.postedAt.getTime() !== Math.floor(truth.createTimeMs / 1000) * 1000
      );
    });
    expect(mismatched).toEqual([]);
    expect(
      await db.videoMetricSnapshot.count({ where: { platformVideo: { socialAccountId: account.socialAccountId } } }),
    ).toBe(5_002);
    const linked = Object.fromEntries(
      stored.filter((video) => video.publicationId).map((video) => [video.platformVideoId, video.publicationId]),
    );
    expect(linked).toEqual({ '7500000000000000001': byId.id, '7500000000000000002': byCaption.id });
    expect(Object.values(linked)).not.toContain(tooEarly.id);
    // The matched publications learn their video's id and link (the publish may not have).
    const shareUrl = (id: string) => stored.find((video) => video.platformVideoId === id)!.shareUrl;
    expect(shareUrl('7500000000000000002')).toContain('7500000000000000002');
    expect(await db.publication.findUniqueOrThrow({ where: { id: byCaption.id } })).toMatchObject({
      platformPostId: '7500000000000000002',
      platformUrl: shareUrl('7500000000000000002'),
    });
    expect(await db.publication.findUniqueOrThrow({ where: { id: byId.id } })).toMatchObject({
      platformPostId: '7500000000000000001',
      platformUrl: shareUrl('7500000000000000001'),
    });
    expect(await db.publication.findUniqueOrThrow({ where: { id: tooEarly.id } })).toMatchObject({
      platformPostId: null,
      platformUrl: null,
    });

    const snapshot = await db.accountSnapshot.findFirstOrThrow({ where: { socialAccountId: account.socialAccountId } });
    expect(snapshot).toMatchObject({ followerCount: user.followerCount, videoCount: 5_002 });
    expect(
      (await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } })).lastSyncedAt,
    ).not.toBeNull();
    console.log(`sync of 5,002 videos: ${elapsedMs} ms (${Math.round((5_002 / elapsedMs) * 1000)} videos/s)`);
    await saveHistory(client, handle.workflowId, 'sync-account');
  });

  it('marks a revoked account and tells its owners', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const stored = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    await tiktok.revoke(
      vault.decrypt(stored.tokenKeyId!, stored.refreshTokenCiphertext!, socialAccountTokenContext(stored, 'refresh')),
    );
    const handle = await startAccountSync(client, account.socialAccountId, { taskQueue });
    await expect(handle.result()).resolves.toMatchObject({ state: 'REVOKED' });
    expect(await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } })).toMatchObject({
      status: 'REVOKED',
    });
    const notifications = await db.notification.findMany({
      where: { organizationId: account.organizationId },
      orderBy: { channel: 'asc' },
    });
    expect(notifications).toMatchObject([
      { userId: account.userId, kind: 'social_account.revoked', channel: 'EMAIL', status: 'SENT' },
      { userId: account.userId, kind: 'social_account.revoked', channel: 'IN_APP' },
    ]);
    const owner = await db.user.findUniqueOrThrow({ where: { id: account.userId } });
    expect(emails.filter((email) => email.to.includes(owner.email))).toMatchObject([
      { subject: expect.stringContaining('needs to be connected again') as unknown },
    ]);
    await saveHistory(client, handle.workflowId, 'sync-revoked');
  });

  it('runs from the account Schedule on demand', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    await ensureSyncSchedule(client, account.socialAccountId, { taskQueue });
    await ensureSyncSchedule(client, account.socialAccountId, { taskQueue });
    const description = await client.schedule.getHandle(`sync:${account.socialAccountId}`).describe();
    expect(description.spec.intervals?.[0]?.every).toBe(6 * 3600_000);
    try {
      await syncAccountNow(client, account.socialAccountId);
      await waitFor(
        () => db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } }),
        (row) => row.lastSyncedAt !== null,
        45_000,
        'the triggered sync',
      );
    } finally {
      await removeSyncSchedule(client, account.socialAccountId);
    }
  });
});
