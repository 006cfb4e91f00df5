import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database, Platform } from '@pressroom/db';
import { socialAccountTokenContext } from '@pressroom/db/vault';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAccountSync } from '../src/client.js';
import { FacebookEmulator } from '../src/emulators/facebook.js';
import { InstagramEmulator } from '../src/emulators/instagram.js';
import { TelegramEmulator } from '../src/emulators/telegram.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { VkEmulator } from '../src/emulators/vk.js';
import { YouTubeEmulator } from '../src/emulators/youtube.js';
import { createFacebookClient, type FacebookClient } from '../src/platforms/facebook/index.js';
import { createInstagramClient } from '../src/platforms/instagram/index.js';
import { createVkClient, packVkRefreshToken, type VkClient } from '../src/platforms/vk/index.js';
import { createYouTubeClient } from '../src/platforms/youtube/index.js';
import { vkPostNumber } from '../src/activities/sync-networks.js';
import { createLocalStorage, createUrlSigner } from '../src/storage/index.js';
import { testVault } from './helpers.js';
import { connectNetworkAccount, type SeededAccount } from './support/publishing.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

// Analytics for Instagram, Facebook Pages, YouTube, VK and Telegram through the same sync
// workflow TikTok uses: followers and each published post's counts, read by the post id its
// publisher stored, exactly as the emulator reports them; a deleted post keeps its last counts;
// an expired token is refreshed once; a dead grant marks the account for reconnecting.

const taskQueue = `sync-networks-${randomBytes(4).toString('hex')}`;

interface Counts {
  views: number;
  likes: number;
  comments: number;
  shares: number;
}

describe('analytics sync for every network', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let fbClient: FacebookClient;
  let vkClient: VkClient;
  const vault = testVault();
  const instagram = new InstagramEmulator();
  const facebook = new FacebookEmulator();
  const youtube = new YouTubeEmulator();
  const vk = new VkEmulator({ requestsPerSecond: 3 });
  const telegram = new TelegramEmulator();
  const tiktok = new TikTokEmulator();

  beforeAll(async () => {
    const [igUrl, fbUrl, ytUrl, vkUrl, tgUrl, ttUrl] = await Promise.all([
      instagram.start(),
      facebook.start(),
      youtube.start(),
      vk.start(),
      telegram.start(),
      tiktok.start(),
    ]);
    const http = { backoffBaseMs: 20, timeoutMs: 3_000 };
    fbClient = createFacebookClient({
      graphBaseUrl: fbUrl,
      appId: facebook.appId,
      appSecret: facebook.appSecret,
      http,
    });
    vkClient = createVkClient({
      apiBaseUrl: vkUrl,
      idBaseUrl: vkUrl,
      clientId: vk.clientId,
      now: () => vk.clock.now(),
      http,
    });
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        tiktok: tiktokClientFor(tiktok, ttUrl),
        storage: createLocalStorage({
          root: join(tmpdir(), `pressroom-sync-networks-${randomBytes(4).toString('hex')}`),
          signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
        }),
        networks: {
          instagram: createInstagramClient({ baseUrl: igUrl, http }),
          youtube: createYouTubeClient({
            baseUrl: ytUrl,
            oauthBaseUrl: ytUrl,
            clientId: youtube.clientId,
            clientSecret: youtube.clientSecret,
            http,
          }),
          telegram: { baseUrl: tgUrl },
          facebook: fbClient,
          vk: vkClient,
        },
      }),
      cleanups: [
        () => instagram.stop(),
        () => facebook.stop(),
        () => youtube.stop(),
        () => vk.stop(),
        () => telegram.stop(),
        () => tiktok.stop(),
      ],
    });
    ({ db, client } = harness);
  }, 60_000);
  afterAll(() => harness?.close());

  const requests = (server: { requests: Array<{ path: string }> }, path: string) =>
    server.requests.filter((request) => request.path.endsWith(path)).length;

  /** A publication PUBLISHED on `account` whose publisher stored `platformPostId`. */
  async function publishedPublication(account: SeededAccount, platform: Platform, platformPostId: string) {
    const post = await db.post.create({
      data: { organizationId: account.organizationId, brandId: account.brandId, status: 'PUBLISHED' },
    });
    const publishedAt = new Date(Date.now() - 3600_000);
    return db.publication.create({
      data: {
        organizationId: account.organizationId,
        postId: post.id,
        socialAccountId: account.socialAccountId,
        platform,
        state: 'PUBLISHED',
        scheduledAt: publishedAt,
        publishedAt,
        platformPostId,
        platformUrl: `https://example.invalid/${platformPostId}`,
      },
    });
  }

  async function sync(account: SeededAccount) {
    const handle = await startAccountSync(client, account.socialAccountId, { taskQueue });
    return handle.result();
  }

  /** The stored counts of each publication's post, and how many captures it has. */
  async function storedCounts(account: SeededAccount) {
    const videos = await db.platformVideo.findMany({
      where: { socialAccountId: account.socialAccountId },
      include: { _count: { select: { snapshots: true } } },
    });
    return Object.fromEntries(
      videos.map((video) => [
        video.publicationId ?? `unlinked:${video.platformVideoId}`,
        {
          views: Number(video.viewCount),
          likes: Number(video.likeCount),
          comments: Number(video.commentCount),
          shares: Number(video.shareCount),
          captures: video._count.snapshots,
        },
      ]),
    );
  }

  async function latestFollowers(account: SeededAccount) {
    const snapshot = await db.accountSnapshot.findFirstOrThrow({
      where: { socialAccountId: account.socialAccountId },
      orderBy: { capturedAt: 'desc' },
    });
    return snapshot.followerCount;
  }

  async function accountRow(account: SeededAccount) {
    return db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
  }

  /**
   * The shared story: two published posts with the network's numbers; a sync stores them
   * exactly and tells the dashboard; then one post is deleted on the network and the other's
   * numbers change; the next sync updates the live one and leaves the deleted one as it was.
   */
  async function postsScenario(
    account: SeededAccount,
    platform: Platform,
    network: {
      post: (index: number) => string;
      setCounts: (postId: string, counts: Counts) => void;
      remove: (postId: string) => void;
      setFollowers: (followers: number) => void;
      /** The network reports no shares: they are stored as 0. */
      noShares?: boolean;
    },
  ) {
    const shares = (count: number) => (network.noShares ? 0 : count);
    const first = network.post(0);
    const second = network.post(1);
    const a = await publishedPublication(account, platform, first);
    const b = await publishedPublication(account, platform, second);
    network.setCounts(first, { views: 1234, likes: 56, comments: 7, shares: 8 });
    network.setCounts(second, { views: 98_765, likes: 4321, comments: 210, shares: 99 });
    network.setFollowers(4242);

    const result = await sync(account);
    expect(result).toMatchObject({ state: 'SYNCED', videos: 2, matched: 0 });
    expect(await storedCounts(account)).toEqual({
      [a.id]: { views: 1234, likes: 56, comments: 7, shares: shares(8), captures: 1 },
      [b.id]: { views: 98_765, likes: 4321, comments: 210, shares: shares(99), captures: 1 },
    });
    expect(await latestFollowers(account)).toBe(4242);
    const row = await accountRow(account);
    expect(row.lastSyncedAt).not.toBeNull();
    // What the dashboard's accountMetricsUpdated subscription hears.
    const announced = await db.domainEvent.findMany({ where: { kind: 'metrics.updated' } });
    expect(
      announced.filter((event) => (event.payload as { socialAccountId?: string }).socialAccountId === row.id),
    ).toHaveLength(1);

    network.remove(first);
    network.setCounts(second, { views: 100_000, likes: 5000, comments: 300, shares: 120 });
    network.setFollowers(4300);
    await expect(sync(account)).resolves.toMatchObject({ state: 'SYNCED', videos: 1 });
    expect(await storedCounts(account)).toEqual({
      [a.id]: { views: 1234, likes: 56, comments: 7, shares: shares(8), captures: 1 },
      [b.id]: { views: 100_000, likes: 5000, comments: 300, shares: shares(120), captures: 2 },
    });
    expect(await latestFollowers(account)).toBe(4300);
  }

  // ── Instagram ──

  const instagramAccount = async (expiresInMs?: number) => {
    const issued = instagram.issueToken();
    const account = await connectNetworkAccount(db, vault, {
      platform: 'INSTAGRAM',
      platformAccountId: issued.igUserId,
      accessToken: issued.accessToken,
      refreshToken: issued.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + (expiresInMs ?? issued.expiresIn * 1000)),
    });
    return { account, issued };
  };
  const instagramMedia = (igUserId: string) => {
    const id = `1790${randomBytes(6).readUIntBE(0, 6)}`;
    instagram.media.push({
      id,
      igUserId,
      containerId: `c${id}`,
      caption: 'posted',
      publishedAt: instagram.clock.now() - 3600_000,
      permalink: `https://www.instagram.com/p/${id}/`,
    });
    return id;
  };

  it('Instagram: followers_count and each media’s insights (views, likes, comments, shares)', async () => {
    const { account, issued } = await instagramAccount();
    await postsScenario(account, 'INSTAGRAM', {
      post: () => instagramMedia(issued.igUserId),
      setCounts: (id, counts) => instagram.setMediaMetrics(id, { ...counts, reach: 1, saved: 2 }),
      remove: (id) => instagram.deleteMedia(id),
      setFollowers: (followers) => (instagram.account(issued.igUserId).followers = followers),
    });
  });

  it('Instagram: a token about to expire is refreshed once; a dead one marks the account', async () => {
    const { account, issued } = await instagramAccount(60_000);
    // Instagram refreshes a long-lived token only once it is a day old.
    instagram.clock.advance(25 * 3600_000);
    const before = requests(instagram.server, '/refresh_access_token');
    await expect(sync(account)).resolves.toMatchObject({ state: 'SYNCED' });
    expect(requests(instagram.server, '/refresh_access_token')).toBe(before + 1);
    const refreshed = await accountRow(account);
    expect(refreshed.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
    expect(
      vault.decrypt(
        refreshed.tokenKeyId!,
        refreshed.accessTokenCiphertext!,
        socialAccountTokenContext(refreshed, 'access'),
      ),
    ).not.toBe(issued.accessToken);

    const { account: dead, issued: deadToken } = await instagramAccount();
    instagram.revokeToken(deadToken.accessToken);
    await expect(sync(dead)).resolves.toMatchObject({ state: 'REVOKED' });
    expect(await accountRow(dead)).toMatchObject({ status: 'REVOKED' });
  });

  // ── Facebook Pages ──

  const facebookAccount = async () => {
    const user = facebook.createUser({ pages: 1, instagram: false });
    const pageId = user.pageIds[0]!;
    const userToken = facebook.issueUserToken(user.id, true);
    const pageToken = facebook.issuePageToken(userToken, pageId);
    const account = await connectNetworkAccount(db, vault, {
      platform: 'FACEBOOK',
      platformAccountId: pageId,
      accessToken: pageToken,
      refreshToken: userToken,
    });
    return { account, pageId, pageToken, userToken };
  };
  const facebookPost = (pageId: string) => {
    const id = `${pageId}_${randomBytes(6).readUIntBE(0, 6)}`;
    facebook.posts.push({
      id,
      pageId,
      kind: 'feed',
      message: 'posted',
      photoIds: [],
      createdAt: facebook.clock.now() - 3600_000,
    });
    return id;
  };

  it('Facebook: page followers_count and each post’s reactions, comments, shares and impressions', async () => {
    const { account, pageId } = await facebookAccount();
    await postsScenario(account, 'FACEBOOK', {
      post: () => facebookPost(pageId),
      setCounts: (id, counts) =>
        facebook.setPostStats(id, {
          impressions: counts.views,
          reactions: counts.likes,
          comments: counts.comments,
          shares: counts.shares,
        }),
      remove: (id) => facebook.deletePost(id),
      setFollowers: (followers) => (facebook.pages.get(pageId)!.followers = followers),
    });
  });

  it('Facebook: an expired page token is derived again once; a revoked login marks the account', async () => {
    const { account, pageToken } = await facebookAccount();
    facebook.expireToken(pageToken);
    const exchanges = facebook.calls.longLivedExchanges;
    await expect(sync(account)).resolves.toMatchObject({ state: 'SYNCED' });
    expect(facebook.calls.longLivedExchanges).toBe(exchanges + 1);
    expect(await accountRow(account)).toMatchObject({ status: 'ACTIVE' });

    const revoked = await facebookAccount();
    await fbClient.revoke(revoked.userToken);
    await expect(sync(revoked.account)).resolves.toMatchObject({ state: 'REVOKED' });
    expect(await accountRow(revoked.account)).toMatchObject({ status: 'REVOKED' });
  });

  // ── YouTube ──

  const youtubeAccount = async () => {
    const issued = youtube.issueToken();
    const account = await connectNetworkAccount(db, vault, {
      platform: 'YOUTUBE',
      platformAccountId: issued.channelId,
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken,
      accessTokenExpiresAt: new Date(Date.now() + issued.expiresIn * 1000),
    });
    return { account, issued };
  };
  const youtubeVideo = (channelId: string) => {
    const id = randomBytes(8).toString('base64url').slice(0, 11);
    youtube.videos.push({
      id,
      channelId,
      snippet: { title: 'posted' },
      status: { privacyStatus: 'public' },
      bytes: 1000,
      uploadedAt: youtube.clock.now() - 3600_000,
      viewCount: 0,
    });
    return id;
  };

  it('YouTube: subscriberCount and each video’s statistics (no shares in the Data API)', async () => {
    const { account, issued } = await youtubeAccount();
    await postsScenario(account, 'YOUTUBE', {
      post: () => youtubeVideo(issued.channelId),
      setCounts: (id, counts) =>
        youtube.setStatistics(id, { viewCount: counts.views, likeCount: counts.likes, commentCount: counts.comments }),
      // YouTube's Data API has no share count.
      noShares: true,
      remove: (id) => youtube.deleteVideo(id),
      setFollowers: (followers) => youtube.subscribers.set(issued.channelId, followers),
    });
  });

  it('YouTube: a refused access token is refreshed once; a revoked grant marks the account', async () => {
    const { account, issued } = await youtubeAccount();
    youtube.expireToken(issued.accessToken);
    const before = requests(youtube.server, '/token');
    await expect(sync(account)).resolves.toMatchObject({ state: 'SYNCED' });
    expect(requests(youtube.server, '/token')).toBe(before + 1);

    const revoked = await youtubeAccount();
    youtube.revokeGrant(revoked.issued.refreshToken);
    await expect(sync(revoked.account)).resolves.toMatchObject({ state: 'REVOKED' });
    expect(await accountRow(revoked.account)).toMatchObject({ status: 'REVOKED' });
  });

  // ── VK ──

  const vkAccount = async () => {
    const user = vk.createUser({ groups: 1 });
    const groupId = user.groupIds[0]!;
    const issued = vk.issueTokens(user.id);
    const account = await connectNetworkAccount(db, vault, {
      platform: 'VK',
      platformAccountId: String(groupId),
      accessToken: issued.access_token,
      refreshToken: packVkRefreshToken(issued.deviceId, issued.refresh_token),
      accessTokenExpiresAt: new Date(vk.clock.now() + issued.expires_in * 1000),
    });
    return { account, groupId, issued, userId: user.id };
  };
  let vkPostId = 0;
  const vkPost = (groupId: number, userId: number) => {
    const id = ++vkPostId;
    vk.posts.push({
      id,
      groupId,
      fromUserId: userId,
      text: 'posted',
      attachments: [],
      date: vk.clock.now() - 3600_000,
    });
    return id;
  };

  it('VK: community members_count and each wall post’s views, likes, comments and reposts', async () => {
    const { account, groupId, userId } = await vkAccount();
    // Publishers may store the bare post id or the wall reference; both are read.
    await postsScenario(account, 'VK', {
      post: (index) => {
        const id = vkPost(groupId, userId);
        return index === 0 ? String(id) : `wall-${groupId}_${id}`;
      },
      setCounts: (id, counts) =>
        vk.setPostCounts(groupId, vkPostNumber(id)!, {
          views: counts.views,
          likes: counts.likes,
          comments: counts.comments,
          reposts: counts.shares,
        }),
      remove: (id) => vk.deletePost(groupId, vkPostNumber(id)!),
      setFollowers: (followers) => (vk.groups.get(groupId)!.members = followers),
    });
  });

  it('VK: an expired access token is refreshed once (the rotated refresh token kept); a revoked grant marks the account', async () => {
    const { account, issued } = await vkAccount();
    vk.expireAccessToken(issued.access_token);
    const refreshes = vk.calls.refreshes;
    await expect(sync(account)).resolves.toMatchObject({ state: 'SYNCED' });
    expect(vk.calls.refreshes).toBe(refreshes + 1);
    const row = await accountRow(account);
    const stored = vault.decrypt(
      row.tokenKeyId!,
      row.refreshTokenCiphertext!,
      socialAccountTokenContext(row, 'refresh'),
    );
    expect(stored).not.toBe(packVkRefreshToken(issued.deviceId, issued.refresh_token));
    expect(stored.startsWith(`${issued.deviceId} `)).toBe(true);

    const revoked = await vkAccount();
    await vkClient.revoke(revoked.issued.access_token);
    await expect(sync(revoked.account)).resolves.toMatchObject({ state: 'REVOKED' });
    expect(await accountRow(revoked.account)).toMatchObject({ status: 'REVOKED' });
  });

  // ── Telegram ──

  it('Telegram: the channel’s subscribers only (the Bot API has no per-message numbers); a revoked bot marks the account', async () => {
    const bot = telegram.createBot();
    const channel = telegram.createChannel({ adminBots: [{ id: bot.id }], members: 777 });
    const account = await connectNetworkAccount(db, vault, {
      platform: 'TELEGRAM',
      platformAccountId: String(channel.id),
      accessToken: bot.token,
    });
    await publishedPublication(account, 'TELEGRAM', '5');
    await expect(sync(account)).resolves.toMatchObject({ state: 'SYNCED', videos: 0 });
    expect(await latestFollowers(account)).toBe(777);
    expect(await storedCounts(account)).toEqual({});

    telegram.revokeBot(bot.token);
    await expect(sync(account)).resolves.toMatchObject({ state: 'REVOKED' });
    expect(await accountRow(account)).toMatchObject({ status: 'REVOKED' });
  });

  it('reads VK post ids in every form a publisher may store them', () => {
    expect(['17', '-220000001_17', 'wall-220000001_17'].map(vkPostNumber)).toEqual([17, 17, 17]);
    expect(vkPostNumber('photo-1_2x')).toBeUndefined();
  });
});

describe('paging and pacing of a network sync', () => {
  const pacedQueue = `sync-paced-${randomBytes(4).toString('hex')}`;
  const instagram = new InstagramEmulator();
  const tiktok = new TikTokEmulator();
  const vault = testVault();
  let harness: WorkerHarness;
  const window = { limit: 3, windowMs: 3_000 };

  beforeAll(async () => {
    const [igUrl, ttUrl] = await Promise.all([instagram.start(), tiktok.start()]);
    harness = await startWorkerHarness({
      taskQueue: pacedQueue,
      activities: () => ({
        vault,
        tiktok: tiktokClientFor(tiktok, ttUrl),
        storage: createLocalStorage({
          root: join(tmpdir(), `pressroom-sync-paced-${randomBytes(4).toString('hex')}`),
          signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
        }),
        networks: { instagram: createInstagramClient({ baseUrl: igUrl }) },
        // Two publications an activity; Instagram's window shrunk to 3 reads in 3 s, and a wait
        // longer than half a second ends the activity.
        syncSettings: { postsPerActivity: 2, networkLimits: { INSTAGRAM: window }, maxPaceWaitMs: 500 },
      }),
      cleanups: [() => instagram.stop(), () => tiktok.stop()],
    });
  }, 60_000);
  afterAll(() => harness?.close());

  it('reads every publication across activities, never faster than the network window allows', async () => {
    const { db, client } = harness;
    const issued = instagram.issueToken();
    const account = await connectNetworkAccount(db, vault, {
      platform: 'INSTAGRAM',
      platformAccountId: issued.igUserId,
      accessToken: issued.accessToken,
      refreshToken: issued.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + issued.expiresIn * 1000),
    });
    const expected: Record<string, number> = {};
    for (let index = 0; index < 7; index++) {
      const id = String(17_950_000_000 + index);
      instagram.media.push({
        id,
        igUserId: issued.igUserId,
        containerId: `c${id}`,
        caption: `post ${index}`,
        publishedAt: instagram.clock.now() - 3600_000,
        permalink: `https://www.instagram.com/p/${id}/`,
      });
      instagram.setMediaMetrics(id, { views: 1000 + index, likes: index, comments: 0, shares: 0 });
      const post = await db.post.create({
        data: { organizationId: account.organizationId, brandId: account.brandId, status: 'PUBLISHED' },
      });
      const publication = await db.publication.create({
        data: {
          organizationId: account.organizationId,
          postId: post.id,
          socialAccountId: account.socialAccountId,
          platform: 'INSTAGRAM',
          state: 'PUBLISHED',
          scheduledAt: new Date(Date.now() - 3600_000 + index),
          publishedAt: new Date(Date.now() - 3600_000 + index),
          platformPostId: id,
        },
      });
      expected[publication.id] = 1000 + index;
    }
    const handle = await startAccountSync(client, account.socialAccountId, { taskQueue: pacedQueue });
    await expect(handle.result()).resolves.toMatchObject({ state: 'SYNCED', videos: 7 });
    const stored = await db.platformVideo.findMany({ where: { socialAccountId: account.socialAccountId } });
    expect(Object.fromEntries(stored.map((video) => [video.publicationId, Number(video.viewCount)]))).toEqual(expected);
    // Each media read once, and no more than 3 reads in any 3 s (the emulator stamps a read when
    // it arrives, a few ms after the worker counted it: 150 ms of slack; unpaced, 7 reads take
    // well under a second).
    const reads = instagram.server.requests
      .filter((request) => request.path.endsWith('/insights'))
      .map((request) => request.at);
    expect(reads).toHaveLength(7);
    for (let index = window.limit; index < reads.length; index++) {
      expect(reads[index]! - reads[index - window.limit]!).toBeGreaterThanOrEqual(window.windowMs - 150);
    }
    // More than one activity did it: the sync history has several page steps.
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'syncVideoPages',
    );
    expect(scheduled.length).toBeGreaterThanOrEqual(4);
  });
});
