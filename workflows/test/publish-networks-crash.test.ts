import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, temporalAddress, type TestDatabase } from '@pressroom/db/testing';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicationWorkflowId, schedulePublication } from '../src/client.js';
import { listen } from '../src/emulators/http.js';
import { FacebookEmulator } from '../src/emulators/facebook.js';
import { InstagramEmulator } from '../src/emulators/instagram.js';
import { TelegramEmulator } from '../src/emulators/telegram.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { VkEmulator } from '../src/emulators/vk.js';
import { YouTubeEmulator } from '../src/emulators/youtube.js';
import { packVkRefreshToken } from '../src/platforms/vk/index.js';
import {
  createLocalStorage,
  createSignedObjectHandler,
  createUrlSigner,
  type ObjectStorage,
} from '../src/storage/index.js';
import {
  connectNetworkAccount,
  createCarouselPublication,
  createVideoPublication,
  waitFor,
} from './support/publishing.js';
import { workerProcesses } from './support/worker-process.js';

// The worker PROCESS is SIGKILLed in the middle of publishing to YouTube, Instagram,
// Telegram, Facebook and VK; a new process finishes the publication and the network holds one post at most
// (exactly one where the network can tell).

const taskQueue = `publish-networks-crash-${randomBytes(4).toString('hex')}`;

// A killed worker's activity is noticed after its heartbeat timeout and retried after the first
// retry interval: short ones here (production: 5 s, 30 s for the database, 1–2 s).
const activityTimeouts = { heartbeatMs: 2_000, storeMs: 5_000, retryInitialMs: 200 };

describe('killing the worker process while publishing to other networks', () => {
  let database: TestDatabase;
  let db: Database;
  let client: Client;
  let storage: ObjectStorage;
  let mediaDir: string;
  let mediaServer: Server;
  let mediaBaseUrl: string;
  const mediaSecret = randomBytes(32).toString('hex');
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const vault = createVault(parseKeyRing(keys));
  const tiktok = new TikTokEmulator();
  const instagram = new InstagramEmulator({ imageProcessingMs: 2_000 });
  const youtube = new YouTubeEmulator({ processingMs: 1_000 });
  const telegram = new TelegramEmulator({ perGroupPerMinute: 1000 });
  const facebook = new FacebookEmulator();
  const vk = new VkEmulator();

  const workers = workerProcesses('publish-worker.ts', () => ({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporalAddress(),
    TASK_QUEUE: taskQueue,
    TIKTOK_BASE_URL: tiktok.server.baseUrl,
    TIKTOK_CLIENT_KEY: tiktok.clientKey,
    TIKTOK_CLIENT_SECRET: tiktok.clientSecret,
    INSTAGRAM_BASE_URL: instagram.server.baseUrl,
    YOUTUBE_BASE_URL: youtube.server.baseUrl,
    TELEGRAM_BASE_URL: telegram.server.baseUrl,
    FACEBOOK_BASE_URL: facebook.server.baseUrl,
    FACEBOOK_APP_ID: facebook.appId,
    FACEBOOK_APP_SECRET: facebook.appSecret,
    VK_BASE_URL: vk.server.baseUrl,
    VK_CLIENT_ID: vk.clientId,
    TOKEN_KEYS: keys,
    MEDIA_DIR: mediaDir,
    MEDIA_BASE_URL: `${mediaBaseUrl}/media`,
    MEDIA_SECRET: mediaSecret,
  }));
  const startWorker = () => workers.start();
  const kill = (child: ChildProcess) => workers.kill(child);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url });
    mediaDir = await mkdtemp(join(tmpdir(), 'pressroom-crash-networks-'));
    mediaServer = createServer();
    mediaBaseUrl = await listen(mediaServer);
    const signer = createUrlSigner({ baseUrl: `${mediaBaseUrl}/media`, secret: mediaSecret });
    storage = createLocalStorage({ root: mediaDir, signer });
    const handler = createSignedObjectHandler(storage, signer);
    mediaServer.on('request', (req, res) => void handler(req, res));
    await Promise.all([
      tiktok.start(),
      instagram.start(),
      youtube.start(),
      telegram.start(),
      facebook.start(),
      vk.start(),
    ]);
    client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
    // Bundled once here rather than inside the first test's time.
    await workers.prepare();
  }, 60_000);

  afterAll(async () => {
    await workers.stopAll();
    await client?.connection.close();
    await Promise.all([tiktok.stop(), instagram.stop(), youtube.stop(), telegram.stop(), facebook.stop(), vk.stop()]);
    mediaServer?.closeAllConnections();
    await new Promise<void>((resolve) => mediaServer.close(() => resolve()));
    await db?.$disconnect();
    await database?.drop();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  const result = (publicationId: string) => client.workflow.getHandle(publicationWorkflowId(publicationId)).result();

  it(
    'YouTube, during the upload: the new process resumes the session; one video with every byte',
    { timeout: 90_000 },
    async () => {
      const issued = youtube.issueToken();
      const account = await connectNetworkAccount(db, vault, {
        platform: 'YOUTUBE',
        platformAccountId: issued.channelId,
        accessToken: issued.accessToken,
        accessTokenExpiresAt: new Date(Date.now() + issued.expiresIn * 1000),
      });
      const bytes = 6 * 256 * 1024 + 77;
      const publication = await createVideoPublication(db, storage, account, { bytes, platform: 'YOUTUBE' });
      const puts = () => youtube.server.requests.filter((request) => request.method === 'PUT').length;
      const before = puts();
      const sessions = () =>
        youtube.server.requests.filter(
          (request) => request.method === 'POST' && request.path === '/upload/youtube/v3/videos',
        ).length;
      const sessionsBefore = sessions();
      // The status query, two chunks, then a chunk that never gets an answer: the process dies sending it.
      youtube.server.inject({ method: 'PUT', pathPrefix: '/upload/youtube/v3/videos', skip: 3 }, { kind: 'timeout' });
      await startWorker();
      await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
      await waitFor(puts, (count) => count >= before + 4, 30_000, 'the fourth PUT');
      await kill(workers.current!);
      expect(youtube.videosOf(account.openId)).toHaveLength(0);

      await startWorker();
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
      const videos = youtube.videosOf(account.openId);
      expect(videos).toHaveLength(1);
      expect(videos[0]!.bytes).toBe(bytes);
      // Resumed, not restarted: the one session the first process opened took every byte (a
      // restart opens another). Counting PUTs instead raced the heartbeat timeouts under load.
      expect(sessions() - sessionsBefore).toBe(1);
    },
  );

  const youtubeChannel = async () => {
    const issued = youtube.issueToken();
    return connectNetworkAccount(db, vault, {
      platform: 'YOUTUBE',
      platformAccountId: issued.channelId,
      accessToken: issued.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + issued.expiresIn * 1000),
    });
  };
  const youtubeSessions = () =>
    youtube.server.requests.filter(
      (request) => request.method === 'POST' && request.path === '/upload/youtube/v3/videos',
    ).length;
  const youtubePuts = () => youtube.server.requests.filter((request) => request.method === 'PUT').length;

  it(
    'YouTube, after the first platform call (the session opened, no byte acknowledged): the new process uses that session; one video',
    { timeout: 90_000 },
    async () => {
      const account = await youtubeChannel();
      const bytes = 3 * 256 * 1024 + 11;
      const publication = await createVideoPublication(db, storage, account, { bytes, platform: 'YOUTUBE' });
      const sessionsBefore = youtubeSessions();
      const putsBefore = youtubePuts();
      // The session opens; the first request on it (asking what it holds) never gets an answer.
      youtube.server.inject({ method: 'PUT', pathPrefix: '/upload/youtube/v3/videos' }, { kind: 'timeout' });
      await startWorker();
      await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
      await waitFor(youtubePuts, (count) => count > putsBefore, 30_000, 'the first request on the session');
      await kill(workers.current!);
      expect(youtubeSessions() - sessionsBefore).toBe(1);
      expect(youtube.videosOf(account.openId)).toHaveLength(0);

      await startWorker();
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
      const videos = youtube.videosOf(account.openId);
      expect(videos).toHaveLength(1);
      expect(videos[0]!.bytes).toBe(bytes);
      // No second session: the saved one was resumed from its first byte.
      expect(youtubeSessions() - sessionsBefore).toBe(1);
    },
  );

  it(
    'YouTube, while processing is polled: the new process polls the same video; one video',
    { timeout: 90_000 },
    async () => {
      const account = await youtubeChannel();
      const bytes = 2 * 256 * 1024 + 5;
      const publication = await createVideoPublication(db, storage, account, { bytes, platform: 'YOUTUBE' });
      const sessionsBefore = youtubeSessions();
      const polls = () =>
        youtube.server.requests.filter((request) => request.method === 'GET' && request.path === '/youtube/v3/videos')
          .length;
      const pollsBefore = polls();
      // The whole video is sent; the first status poll never gets an answer.
      youtube.server.inject({ method: 'GET', pathPrefix: '/youtube/v3/videos' }, { kind: 'timeout' });
      await startWorker();
      await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
      await waitFor(polls, (count) => count > pollsBefore, 30_000, 'the first status poll');
      await kill(workers.current!);
      expect(youtube.videosOf(account.openId)).toHaveLength(1);

      await startWorker();
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
      const videos = youtube.videosOf(account.openId);
      expect(videos).toHaveLength(1);
      expect(youtubeSessions() - sessionsBefore).toBe(1);
      const row = await db.publication.findUniqueOrThrow({ where: { id: publication.id } });
      expect(row.platformPostId).toBe(videos[0]!.id);
    },
  );

  it('Instagram, after the first platform call and while polling: one media', { timeout: 90_000 }, async () => {
    const issued = instagram.issueToken();
    const account = await connectNetworkAccount(db, vault, {
      platform: 'INSTAGRAM',
      platformAccountId: issued.igUserId,
      accessToken: issued.accessToken,
      refreshToken: issued.accessToken,
      accessTokenExpiresAt: new Date(Date.now() + issued.expiresIn * 1000),
    });
    const publication = await createCarouselPublication(db, storage, account, { platform: 'INSTAGRAM' });
    const containers = () => instagram.containers.filter((container) => container.igUserId === account.openId);
    await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
    // The carousel container exists and is still processing (2 s): the process dies polling it.
    await waitFor(
      () => db.publishAttempt.findFirst({ where: { publicationId: publication.id, platformPublishId: { not: null } } }),
      (attempt) => attempt !== null,
      30_000,
      'the carousel container to be recorded',
    );
    await kill(workers.current!);
    expect(instagram.media.filter((media) => media.igUserId === account.openId)).toHaveLength(0);

    await startWorker();
    await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
    expect(instagram.media.filter((media) => media.igUserId === account.openId)).toHaveLength(1);
    // The containers the first process made were used, not made again.
    expect(containers()).toHaveLength(3);
  });

  it('Telegram, while the send is unanswered: the new process does not send again', { timeout: 90_000 }, async () => {
    const chat = String(-1_000_000_000_000 - Math.floor(Math.random() * 1e9));
    const account = await connectNetworkAccount(db, vault, {
      platform: 'TELEGRAM',
      platformAccountId: chat,
      accessToken: telegram.botToken,
    });
    const publication = await createCarouselPublication(db, storage, account, { platform: 'TELEGRAM' });
    const sends = () => telegram.server.requests.filter((request) => request.path.endsWith('/sendMediaGroup')).length;
    const before = sends();
    telegram.server.inject(
      { method: 'POST', pathPrefix: `/bot${telegram.botToken}/sendMediaGroup` },
      { kind: 'timeout' },
    );
    await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
    await waitFor(sends, (count) => count > before, 30_000, 'the send');
    await kill(workers.current!);

    await startWorker();
    const failed = await waitFor(
      () => db.publication.findUniqueOrThrow({ where: { id: publication.id } }),
      (row) => row.state === 'FAILED',
      30_000,
      'the publication to end',
    );
    expect(failed.failureCategory).toBe('OUTCOME_UNKNOWN');
    expect(sends()).toBe(before + 1);
    expect(telegram.messagesIn(chat).length).toBeLessThanOrEqual(1);
  });

  const facebookPage = () => {
    const user = facebook.createUser({ pages: 1, instagram: false });
    const userToken = facebook.issueUserToken(user.id);
    const pageId = user.pageIds[0]!;
    return connectNetworkAccount(db, vault, {
      platform: 'FACEBOOK',
      platformAccountId: pageId,
      accessToken: facebook.issuePageToken(userToken, pageId),
      refreshToken: userToken,
    });
  };
  const facebookPosts = (pageId: string) => facebook.posts.filter((post) => post.pageId === pageId);
  const posted = (server: { requests: Array<{ method: string; path: string }> }, path: string) =>
    server.requests.filter((request) => request.method === 'POST' && request.path.endsWith(path)).length;

  it(
    'Facebook, after the first platform call (the second photo unanswered): one feed post',
    { timeout: 150_000 },
    async () => {
      const account = await facebookPage();
      const page = account.openId;
      const publication = await createCarouselPublication(db, storage, account, { platform: 'FACEBOOK', slides: 3 });
      const before = posted(facebook.server, `/${page}/photos`);
      facebook.server.inject({ method: 'POST', pathPrefix: `/v21.0/${page}/photos`, skip: 1 }, { kind: 'timeout' });
      await startWorker();
      await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
      await waitFor(
        () => posted(facebook.server, `/${page}/photos`),
        (n) => n >= before + 2,
        30_000,
        'two photos',
      );
      await kill(workers.current!);
      expect(facebookPosts(page)).toHaveLength(0);

      await startWorker();
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
      const posts = facebookPosts(page);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.photoIds).toHaveLength(3);
      expect(posted(facebook.server, `/${page}/feed`)).toBe(1);
    },
  );

  it(
    'Facebook, while the feed post is unanswered: the new process looks first, then posts once',
    { timeout: 150_000 },
    async () => {
      const account = await facebookPage();
      const page = account.openId;
      const publication = await createCarouselPublication(db, storage, account, { platform: 'FACEBOOK' });
      facebook.server.inject({ method: 'POST', pathPrefix: `/v21.0/${page}/feed` }, { kind: 'timeout' });
      await startWorker();
      await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
      await waitFor(
        () => posted(facebook.server, `/${page}/feed`),
        (n) => n >= 1,
        30_000,
        'the feed post',
      );
      await kill(workers.current!);

      await startWorker();
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
      expect(facebookPosts(page)).toHaveLength(1);
      // The page's posts were read before the second (and only answered) feed call.
      const reads = facebook.server.requests.filter((request) => request.path.endsWith(`/${page}/published_posts`));
      expect(reads.length).toBeGreaterThanOrEqual(1);
      expect(posted(facebook.server, `/${page}/feed`)).toBe(2);
      const row = await db.publication.findUniqueOrThrow({ where: { id: publication.id } });
      expect(row.platformPostId).toBe(facebookPosts(page)[0]!.id);
    },
  );

  it(
    'Facebook, while the video is processing: the new process polls the same video; one video post',
    { timeout: 150_000 },
    async () => {
      const account = await facebookPage();
      const page = account.openId;
      const publication = await createVideoPublication(db, storage, account, { bytes: 100_000, platform: 'FACEBOOK' });
      await startWorker();
      await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
      // The page's video is made (15 s of processing in this emulator) and its status asked.
      const videoId = await waitFor(
        () => facebookPosts(page)[0]?.videoId,
        (id) => id !== undefined,
        30_000,
        'the video post',
      );
      await waitFor(
        () =>
          facebook.server.requests.filter((request) => request.method === 'GET' && request.path.endsWith(`/${videoId}`))
            .length,
        (count) => count >= 1,
        30_000,
        'a status poll of the video',
      );
      await kill(workers.current!);
      expect(facebookPosts(page)).toHaveLength(1);

      await startWorker();
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
      expect(facebookPosts(page)).toHaveLength(1);
      expect(posted(facebook.server, `/${page}/videos`)).toBe(1);
      const row = await db.publication.findUniqueOrThrow({ where: { id: publication.id } });
      expect(row.platformUrl).toContain(`/${page}/videos/`);
    },
  );

  const vkCommunity = () => {
    const user = vk.createUser({ groups: 1 });
    const issued = vk.issueTokens(user.id);
    return connectNetworkAccount(db, vault, {
      platform: 'VK',
      platformAccountId: String(user.groupIds[0]!),
      accessToken: issued.access_token,
      refreshToken: packVkRefreshToken(issued.deviceId, issued.refresh_token),
      accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
    });
  };
  const wallOf = (groupId: string) => vk.posts.filter((post) => post.groupId === Number(groupId));

  it(
    'VK, during the photo uploads: the new process continues from the saved photos; one post',
    { timeout: 150_000 },
    async () => {
      const account = await vkCommunity();
      const publication = await createCarouselPublication(db, storage, account, { platform: 'VK', slides: 3 });
      const before = posted(vk.server, '/upload/wall');
      // The first photo is uploaded and saved; the second upload never gets an answer.
      vk.server.inject({ method: 'POST', pathPrefix: '/upload/wall', skip: 1 }, { kind: 'timeout' });
      await startWorker();
      await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
      await waitFor(
        () => posted(vk.server, '/upload/wall'),
        (n) => n >= before + 2,
        30_000,
        'the second upload',
      );
      await kill(workers.current!);
      expect(wallOf(account.openId)).toHaveLength(0);

      await startWorker();
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
      const wall = wallOf(account.openId);
      expect(wall).toHaveLength(1);
      expect(wall[0]!.attachments).toHaveLength(3);
      // Resumed: the second and third photos uploaded again, not all three.
      expect(posted(vk.server, '/upload/wall') - before).toBe(4);
    },
  );

  it(
    'VK, while wall.post is unanswered: the new process reads the wall, then posts once',
    { timeout: 150_000 },
    async () => {
      const account = await vkCommunity();
      const publication = await createCarouselPublication(db, storage, account, { platform: 'VK' });
      const before = posted(vk.server, '/method/wall.post');
      vk.server.inject({ method: 'POST', pathPrefix: '/method/wall.post' }, { kind: 'timeout' });
      await startWorker();
      await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
      await waitFor(
        () => posted(vk.server, '/method/wall.post'),
        (n) => n > before,
        30_000,
        'the wall post',
      );
      await kill(workers.current!);

      await startWorker();
      await expect(result(publication.id)).resolves.toMatchObject({ state: 'PUBLISHED' });
      expect(wallOf(account.openId)).toHaveLength(1);
      const row = await db.publication.findUniqueOrThrow({ where: { id: publication.id } });
      expect(row.platformUrl).toBe(`https://vk.com/wall-${account.openId}_${wallOf(account.openId)[0]!.id}`);
    },
  );
});
