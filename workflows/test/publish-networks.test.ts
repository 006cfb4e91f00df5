import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import { socialAccountTokenContext } from '@pressroom/db/vault';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicationWorkflowId, schedulePublication, startAccountSync } from '../src/client.js';
import { FacebookEmulator } from '../src/emulators/facebook.js';
import { InstagramEmulator } from '../src/emulators/instagram.js';
import { TelegramEmulator } from '../src/emulators/telegram.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { YouTubeEmulator } from '../src/emulators/youtube.js';
import { nextPacificMidnight, youtubeQuotaLedger, youtubeUploadUnits } from '../src/activities/publishers/youtube.js';
import { createFacebookClient, metaScopes } from '../src/platforms/facebook/index.js';
import { createInstagramClient } from '../src/platforms/instagram/index.js';
import { createYouTubeClient } from '../src/platforms/youtube/index.js';
import type { Client } from '@temporalio/client';
import { servedStorage, testVault } from './helpers.js';
import { saveHistory } from './support/histories.js';
import {
  connectNetworkAccount,
  createCarouselPublication,
  createVideoPublication,
  fastSettings,
  waitFor,
  type SeededAccount,
} from './support/publishing.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

// Instagram, YouTube and Telegram behind the publish workflow's NetworkPublisher: each
// publishes exactly once on its emulator, resolves a lost answer without posting twice (or
// says it cannot tell), refreshes an expiring token once, and respects its budget.

const taskQueue = `publish-networks-${randomBytes(4).toString('hex')}`;
const quota = 6 * youtubeUploadUnits;

describe('publishing to Instagram, YouTube and Telegram', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const vault = testVault();
  const instagram = new InstagramEmulator({ imageProcessingMs: 300, videoProcessingMs: 600, publishingQuota: 25 });
  const youtube = new YouTubeEmulator({ processingMs: 500, dailyQuotaUnits: 100_000 });
  const telegram = new TelegramEmulator({ perGroupPerMinute: 1000 });
  const tiktok = new TikTokEmulator();
  // Meta login: the page tokens it mints reach the linked Instagram accounts.
  const facebook = new FacebookEmulator({
    onPageToken: (token, page) => {
      if (page.igUserId) instagram.adoptToken(token, page.igUserId, page.expiresAt);
    },
  });

  beforeAll(async () => {
    media = await servedStorage();
    const [igUrl, ytUrl, tgUrl, ttUrl, fbUrl] = await Promise.all([
      instagram.start(),
      youtube.start(),
      telegram.start(),
      tiktok.start(),
      facebook.start(),
    ]);
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        storage: media.storage,
        tiktok: tiktokClientFor(tiktok, ttUrl),
        networks: {
          instagram: createInstagramClient({ baseUrl: igUrl, http: { backoffBaseMs: 20 } }),
          youtube: createYouTubeClient({
            baseUrl: ytUrl,
            oauthBaseUrl: ytUrl,
            clientId: youtube.clientId,
            clientSecret: youtube.clientSecret,
            http: { backoffBaseMs: 20, timeoutMs: 3_000 },
          }),
          telegram: { baseUrl: tgUrl },
          facebook: createFacebookClient({
            graphBaseUrl: fbUrl,
            appId: facebook.appId,
            appSecret: facebook.appSecret,
            http: { backoffBaseMs: 20 },
          }),
        },
        settings: { ...fastSettings, youtubeChunkBytes: 256 * 1024, youtubeDailyQuotaUnits: quota },
      }),
      cleanups: [
        () => instagram.stop(),
        () => youtube.stop(),
        () => telegram.stop(),
        () => tiktok.stop(),
        () => facebook.stop(),
        () => media.close(),
      ],
    });
    db = harness.db;
    client = harness.client;
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  const published = async (publicationId: string) => {
    await expect(client.workflow.getHandle(publicationWorkflowId(publicationId)).result()).resolves.toMatchObject({
      state: 'PUBLISHED',
    });
    return db.publication.findUniqueOrThrow({ where: { id: publicationId }, include: { attempts: true } });
  };
  const settled = (publicationId: string, state: string) =>
    waitFor(
      () => db.publication.findUniqueOrThrow({ where: { id: publicationId }, include: { attempts: true } }),
      (publication) => publication.state === state,
      30_000,
      `the publication to be ${state}`,
    );
  const requests = (server: { requests: Array<{ method: string; path: string }> }, path: string) =>
    server.requests.filter((request) => request.path.endsWith(path)).length;

  // ── Telegram ──

  const channel = () => String(-1_000_000_000_000 - Math.floor(Math.random() * 1e9));
  const telegramAccount = (chat = channel()) =>
    connectNetworkAccount(db, vault, { platform: 'TELEGRAM', platformAccountId: chat, accessToken: telegram.botToken });

  it('Telegram: a carousel goes out once as a media group captioned with its Telegram version', async () => {
    const account = await telegramAccount();
    const publication = await createCarouselPublication(db, media.storage, account, {
      platform: 'TELEGRAM',
      slides: 3,
    });
    await db.postVersion.create({
      data: {
        postId: publication.postId,
        platform: 'TELEGRAM',
        caption: 'Fresh from the roaster',
        hashtags: ['beans'],
        hashtagsSet: true,
      },
    });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const messages = telegram.messagesIn(account.openId);
    expect(messages).toHaveLength(3);
    expect(new Set(messages.map((message) => message.mediaGroupId)).size).toBe(1);
    expect(messages[0]!.caption).toBe('Fresh from the roaster #beans');
    expect(done.platformPostId).toBe(String(messages[0]!.message_id));
    expect(done.platformUrl).toBe(`https://t.me/c/${account.openId.slice(4)}/${messages[0]!.message_id}`);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-telegram');
  });

  it('Telegram: a send whose answer was lost ends OUTCOME_UNKNOWN and is never sent again', async () => {
    const account = await telegramAccount();
    const publication = await createVideoPublication(db, media.storage, account, {
      bytes: 300_000,
      platform: 'TELEGRAM',
    });
    telegram.server.inject(
      { method: 'POST', pathPrefix: `/bot${telegram.botToken}/sendVideo` },
      { kind: 'lost-response' },
    );
    await schedulePublication(client, publication.id, { taskQueue });
    const failed = await settled(publication.id, 'FAILED');
    expect(failed.failureCategory).toBe('OUTCOME_UNKNOWN');
    expect(failed.failureReason).toMatch(/cannot say whether the message arrived/);
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0]!.status).toBe('OUTCOME_UNKNOWN');
    // The message arrived once; nothing sent it again.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(telegram.messagesIn(account.openId)).toHaveLength(1);
    expect(telegram.messagesIn(account.openId)[0]!.videoUrl).toBeDefined();
  });

  // ── Instagram ──

  const instagramAccount = (options: { expiresInMs?: number } = {}) => {
    const issued = instagram.issueToken();
    return connectNetworkAccount(db, vault, {
      platform: 'INSTAGRAM',
      platformAccountId: issued.igUserId,
      accessToken: issued.accessToken,
      refreshToken: issued.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + (options.expiresInMs ?? issued.expiresIn * 1000)),
    });
  };
  const mediaOf = (account: SeededAccount) => instagram.media.filter((item) => item.igUserId === account.openId);

  it('Instagram: a carousel is read against the quota, made of containers, polled, and published once', async () => {
    const account = await instagramAccount();
    const publication = await createCarouselPublication(db, media.storage, account, {
      platform: 'INSTAGRAM',
      slides: 3,
    });
    const before = requests(instagram.server, '/content_publishing_limit');
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    expect(requests(instagram.server, '/content_publishing_limit')).toBe(before + 1);
    const posts = mediaOf(account);
    expect(posts).toHaveLength(1);
    const container = instagram.containers.find((candidate) => candidate.id === posts[0]!.containerId)!;
    expect(container.kind).toBe('CAROUSEL');
    expect(container.params.children!.split(',')).toHaveLength(3);
    expect(posts[0]!.caption).toMatch(/^Three ways to brew a better morning cup \w+ #coffee #morning$/);
    expect(done).toMatchObject({ platformPostId: posts[0]!.id, platformUrl: posts[0]!.permalink });
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-instagram');
  });

  it('Instagram: a used-up content_publishing_limit holds the post back before any container is made', async () => {
    const account = await instagramAccount();
    // 25 posts already today on this account.
    for (let i = 0; i < 25; i++) {
      instagram.media.push({
        id: `x${i}${randomBytes(3).toString('hex')}`,
        igUserId: account.openId,
        containerId: 'none',
        caption: 'earlier',
        publishedAt: instagram.clock.now(),
        permalink: 'https://www.instagram.com/p/x/',
      });
    }
    const containers = instagram.containers.length;
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'INSTAGRAM' });
    await schedulePublication(client, publication.id, { taskQueue });
    const failed = await settled(publication.id, 'FAILED');
    expect(failed.failureCategory).toBe('RATE_LIMITED');
    expect(failed.failureReason).toMatch(/content_publishing_limit/);
    expect(instagram.containers.length).toBe(containers);
  });

  it('Instagram: a media_publish whose answer was lost is found among recent media, never published twice', async () => {
    const account = await instagramAccount();
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'INSTAGRAM' });
    instagram.server.inject(
      { method: 'POST', pathPrefix: `/v21.0/${account.openId}/media_publish` },
      { kind: 'lost-response' },
    );
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const posts = mediaOf(account);
    expect(posts).toHaveLength(1);
    expect(done.platformPostId).toBe(posts[0]!.id);
    expect(requests(instagram.server, `/${account.openId}/media_publish`)).toBe(1);
    expect(done.attempts).toHaveLength(1);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-instagram-lost-publish');
  });

  it('Instagram: a token about to expire is refreshed once, and the post goes out with the new one', async () => {
    // Instagram refreshes long-lived tokens only once they are a day old.
    const account = await instagramAccount({ expiresInMs: 60_000 });
    instagram.clock.advance(25 * 3600_000);
    const before = requests(instagram.server, '/refresh_access_token');
    const stored = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'INSTAGRAM' });
    await schedulePublication(client, publication.id, { taskQueue });
    await published(publication.id);
    expect(requests(instagram.server, '/refresh_access_token')).toBe(before + 1);
    const after = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    expect(after.accessTokenCiphertext).not.toEqual(stored.accessTokenCiphertext);
    expect(after.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
    expect(mediaOf(account)).toHaveLength(1);
  });

  it('Instagram connected through Meta login: an expired token is refreshed once through the Meta exchange', async () => {
    // The account's token is the page token, its refresh token the person's long-lived user
    // token: Instagram's own ig_refresh_token cannot renew either.
    const user = facebook.createUser({ pages: 1 });
    const igUserId = facebook.pages.get(user.pageIds[0]!)!.igUserId!;
    const userToken = facebook.issueUserToken(user.id);
    const pageToken = facebook.issuePageToken(userToken, user.pageIds[0]!);
    const account = await connectNetworkAccount(db, vault, {
      platform: 'INSTAGRAM',
      platformAccountId: igUserId,
      accessToken: pageToken,
      refreshToken: userToken,
      accessTokenExpiresAt: new Date(Date.now() - 60_000),
      scopes: metaScopes,
    });
    const igRefreshes = requests(instagram.server, '/refresh_access_token');
    const exchanges = facebook.calls.longLivedExchanges;
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'INSTAGRAM' });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    expect(facebook.calls.longLivedExchanges).toBe(exchanges + 1);
    expect(requests(instagram.server, '/refresh_access_token')).toBe(igRefreshes);
    const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    expect(row.status).toBe('ACTIVE');
    // A page token derived from a long-lived login does not expire: no expiry left to refresh on.
    expect(row.accessTokenExpiresAt).toBeNull();
    expect(
      vault.decrypt(row.tokenKeyId!, row.accessTokenCiphertext!, socialAccountTokenContext(row, 'access')),
    ).not.toBe(pageToken);
    expect(mediaOf(account)).toHaveLength(1);
    expect(done.attempts).toHaveLength(1);

    // A second post reads the stored token as it is: no second refresh.
    const second = await createCarouselPublication(db, media.storage, account, { platform: 'INSTAGRAM' });
    await schedulePublication(client, second.id, { taskQueue });
    await published(second.id);
    expect(facebook.calls.longLivedExchanges).toBe(exchanges + 1);
    expect(mediaOf(account)).toHaveLength(2);
  });

  it('Instagram: a video post without a video is refused with a typed error, nothing made', async () => {
    const account = await instagramAccount();
    const publication = await createVideoPublication(db, media.storage, account, {
      bytes: 1000,
      platform: 'INSTAGRAM',
    });
    await db.media.updateMany({ where: { postId: publication.postId }, data: { status: 'DELETED' } });
    const containers = instagram.containers.length;
    await schedulePublication(client, publication.id, { taskQueue });
    const failed = await settled(publication.id, 'FAILED');
    expect(failed).toMatchObject({ failureCategory: 'REJECTED_BY_PLATFORM' });
    expect(failed.failureReason).toMatch(/a reel needs a video/);
    expect(instagram.containers.length).toBe(containers);
  });

  // ── YouTube ──

  const youtubeAccount = () => {
    const issued = youtube.issueToken();
    return {
      issued,
      account: connectNetworkAccount(db, vault, {
        platform: 'YOUTUBE',
        platformAccountId: issued.channelId,
        accessToken: issued.accessToken,
        refreshToken: issued.refreshToken,
        accessTokenExpiresAt: new Date(Date.now() + issued.expiresIn * 1000),
      }),
    };
  };
  const bytes = 3 * 256 * 1024 + 1000;

  it('YouTube: a vertical video is uploaded in chunks, processed, and goes out once as a Short', async () => {
    const { account: pending } = youtubeAccount();
    const account = await pending;
    const publication = await createVideoPublication(db, media.storage, account, {
      bytes,
      platform: 'YOUTUBE',
      width: 1080,
      height: 1920,
      durationMs: 40_000,
    });
    await db.postVersion.create({
      data: { postId: publication.postId, platform: 'YOUTUBE', title: 'Latte art, the short version' },
    });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const videos = youtube.videosOf(account.openId);
    expect(videos).toHaveLength(1);
    expect(videos[0]).toMatchObject({
      bytes,
      snippet: { title: 'Latte art, the short version', tags: ['latteart'] },
      status: { privacyStatus: 'public' },
    });
    expect(videos[0]!.snippet.description).toMatch(/#latteart #Shorts$/);
    expect(done).toMatchObject({
      platformPostId: videos[0]!.id,
      platformUrl: `https://www.youtube.com/shorts/${videos[0]!.id}`,
    });
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-youtube');
  });

  it('YouTube: the last chunk’s lost answer is settled by asking the session: one video', async () => {
    const { account: pending } = youtubeAccount();
    const account = await pending;
    const publication = await createVideoPublication(db, media.storage, account, { bytes, platform: 'YOUTUBE' });
    // The fourth PUT is the last chunk: the video is made, the answer never arrives.
    youtube.server.inject(
      { method: 'PUT', pathPrefix: '/upload/youtube/v3/videos', skip: 4 },
      { kind: 'lost-response' },
    );
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const videos = youtube.videosOf(account.openId);
    expect(videos).toHaveLength(1);
    expect(done.platformPostId).toBe(videos[0]!.id);
  });

  it('YouTube: an access token the API refuses is refreshed once', async () => {
    const { issued, account: pending } = youtubeAccount();
    const account = await pending;
    youtube.expireToken(issued.accessToken);
    const before = requests(youtube.server, '/token');
    const publication = await createVideoPublication(db, media.storage, account, { bytes, platform: 'YOUTUBE' });
    await schedulePublication(client, publication.id, { taskQueue });
    await published(publication.id);
    expect(requests(youtube.server, '/token')).toBe(before + 1);
    expect(youtube.videosOf(account.openId)).toHaveLength(1);
  });

  const readsSent = () =>
    youtube.server.requests.filter((request) => request.method === 'GET' && request.path.startsWith('/youtube/v3/'))
      .length;
  const readUnits = () => youtubeQuotaLedger(db).spent(Date.now());

  it('YouTube: publishing’s own reads (the lost-upload lookup, processing polls) are counted in the project’s quota', async () => {
    const { account: pending } = youtubeAccount();
    const account = await pending;
    const publication = await createVideoPublication(db, media.storage, account, { bytes, platform: 'YOUTUBE' });
    // The last chunk's answer is lost on every send of the attempt (the client's three retries
    // too), then the session is gone: the next attempt lists the channel's uploads.
    youtube.server.inject(
      { method: 'PUT', pathPrefix: '/upload/youtube/v3/videos', skip: 4 },
      { kind: 'lost-response' },
      4,
    );
    youtube.server.inject(
      { method: 'PUT', pathPrefix: '/upload/youtube/v3/videos' },
      { kind: 'status', status: 404, code: 'notFound', message: 'Upload session not found' },
    );
    const [sentBefore, unitsBefore] = [readsSent(), await readUnits()];
    const lookups = requests(youtube.server, '/youtube/v3/playlistItems');
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    expect(youtube.videosOf(account.openId)).toHaveLength(1);
    expect(done.platformPostId).toBe(youtube.videosOf(account.openId)[0]!.id);
    expect(requests(youtube.server, '/youtube/v3/playlistItems')).toBe(lookups + 1);
    // channels.list + playlistItems.list + at least one videos.list poll, each a unit, all counted.
    const sent = readsSent() - sentBefore;
    expect(sent).toBeGreaterThanOrEqual(3);
    expect((await readUnits()) - unitsBefore).toBe(sent);
  });

  it('YouTube: analytics reads are counted, and held back (not sent) once the quota left is down to the publishing reserve', async () => {
    const uploadsToday = async () =>
      Number(
        (
          await db.$queryRaw<Array<{ count: bigint }>>`
            SELECT count(*)::bigint AS count FROM "PublishAttempt" a JOIN "Publication" p ON p.id = a."publicationId"
            WHERE p.platform = 'YOUTUBE' AND a.response ? 'sessionStartedAtMs'`
        )[0]!.count,
      );
    const { account: pending } = youtubeAccount();
    const account = await pending;
    const fill = async (uploads: number) => {
      for (let i = await uploadsToday(); i < uploads; i++) {
        const filler = await createVideoPublication(db, media.storage, account, { bytes: 10, platform: 'YOUTUBE' });
        await db.publishAttempt.create({
          data: {
            publicationId: filler.id,
            number: 1,
            status: 'SUCCEEDED',
            response: { sessionStartedAtMs: Date.now() },
          },
        });
      }
      expect(await uploadsToday()).toBe(uploads);
    };
    const sync = async () => (await startAccountSync(client, account.socialAccountId, { taskQueue })).result();
    // Two uploads' worth left (less the reads so far): above the reserve of one upload, the sync reads.
    await fill(quota / youtubeUploadUnits - 2);
    let [sentBefore, unitsBefore] = [readsSent(), await readUnits()];
    await expect(sync()).resolves.toMatchObject({ state: 'SYNCED' });
    expect(readsSent()).toBeGreaterThan(sentBefore);
    expect((await readUnits()) - unitsBefore).toBe(readsSent() - sentBefore);
    const { lastSyncedAt } = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    // One upload's worth left: the reserve. The sync is held back without a call.
    await fill(quota / youtubeUploadUnits - 1);
    [sentBefore, unitsBefore] = [readsSent(), await readUnits()];
    const held = await sync();
    expect(held).toMatchObject({ state: 'DEFERRED', videos: 0 });
    expect(held.reason).toMatch(/^quotaReserve: .*1600 are kept for publishing/);
    expect(held.reason).toContain(new Date(nextPacificMidnight(Date.now())).toISOString());
    expect(readsSent()).toBe(sentBefore);
    expect(await readUnits()).toBe(unitsBefore);
    expect(await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } })).toMatchObject({
      lastSyncedAt,
      status: 'ACTIVE',
    });
  });

  it('YouTube: the project’s daily quota is counted; an upload that does not fit waits for midnight Pacific', async () => {
    // Fill today's quota with uploads recorded by earlier publications.
    const spent = await db.$queryRaw<Array<{ count: bigint }>>`
      SELECT count(*)::bigint AS count FROM "PublishAttempt" a JOIN "Publication" p ON p.id = a."publicationId"
      WHERE p.platform = 'YOUTUBE' AND a.response ? 'sessionStartedAtMs'`;
    const { account: pending } = youtubeAccount();
    const account = await pending;
    for (let i = Number(spent[0]!.count); i < quota / youtubeUploadUnits; i++) {
      const filler = await createVideoPublication(db, media.storage, account, { bytes: 10, platform: 'YOUTUBE' });
      await db.publishAttempt.create({
        data: {
          publicationId: filler.id,
          number: 1,
          status: 'SUCCEEDED',
          response: { sessionStartedAtMs: Date.now() },
        },
      });
    }
    const sessions = requests(youtube.server, '/upload/youtube/v3/videos');
    const publication = await createVideoPublication(db, media.storage, account, { bytes, platform: 'YOUTUBE' });
    await schedulePublication(client, publication.id, { taskQueue });
    const failed = await settled(publication.id, 'FAILED');
    expect(failed.failureCategory).toBe('RATE_LIMITED');
    expect(failed.failureReason).toContain(new Date(nextPacificMidnight(Date.now())).toISOString());
    expect(requests(youtube.server, '/upload/youtube/v3/videos')).toBe(sessions);
  });
});
