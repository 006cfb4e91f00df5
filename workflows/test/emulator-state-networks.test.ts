import { afterEach, expect, it } from 'vitest';
import { FacebookEmulator, type FacebookEmulatorState } from '../src/emulators/facebook.js';
import { GoogleOAuthEmulator, type GoogleOAuthEmulatorState } from '../src/emulators/google.js';
import { InstagramEmulator, type InstagramEmulatorState } from '../src/emulators/instagram.js';
import { TelegramEmulator, type TelegramEmulatorState } from '../src/emulators/telegram.js';
import { VkEmulator, type VkEmulatorState } from '../src/emulators/vk.js';
import { YouTubeEmulator, type YouTubeEmulatorState } from '../src/emulators/youtube.js';
import { createFacebookClient, metaRefresh } from '../src/platforms/facebook/index.js';
import { createInstagramClient } from '../src/platforms/instagram/index.js';
import { createTelegramClient } from '../src/platforms/telegram/index.js';
import { staticAccessToken } from '../src/platforms/tokens.js';
import { createVkClient, packVkRefreshToken, vkRefresh } from '../src/platforms/vk/index.js';
import { createYouTubeClient } from '../src/platforms/youtube/index.js';

// `npm start` keeps what the Instagram, Facebook, YouTube (with Google OAuth), VK and Telegram
// emulators hold across restarts, as it does TikTok's: a new emulator given the old one's state
// (through JSON, as the launcher writes it) honours the old tokens and credentials and has the
// old posts with their counts, so connected accounts keep publishing and syncing.

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});
const http = { maxRetries: 0 };
/** Written to a file and read back, as the launcher does. */
const throughJson = <T>(state: T): T => JSON.parse(JSON.stringify(state)) as T;

async function start<E extends { start(): Promise<string>; stop(): Promise<void> }>(emulator: E) {
  const url = await emulator.start();
  stops.push(() => emulator.stop());
  return url;
}

it('Instagram: old tokens (a Meta page token too), media and their numbers survive a restart', async () => {
  const before = new InstagramEmulator();
  await start(before);
  const issued = before.issueToken();
  before.adoptToken('EAApage', issued.igUserId, Infinity);
  before.account(issued.igUserId).followers = 321;
  before.media.push({
    id: '1790001',
    igUserId: issued.igUserId,
    containerId: 'c1',
    caption: 'kept',
    publishedAt: before.clock.now(),
    permalink: 'https://www.instagram.com/p/kept/',
  });
  before.setMediaMetrics('1790001', { views: 77, likes: 5, comments: 2, shares: 1 });
  const saved = throughJson<InstagramEmulatorState>(before.snapshot());

  const after = new InstagramEmulator();
  const client = createInstagramClient({ baseUrl: await start(after), http });
  after.restore(saved);
  for (const token of [issued.accessToken, 'EAApage']) {
    await expect(client.account(staticAccessToken(token), issued.igUserId)).resolves.toMatchObject({
      followers_count: 321,
      media_count: 1,
    });
  }
  await expect(
    client.insights(staticAccessToken(issued.accessToken), '1790001', ['views', 'likes', 'comments', 'shares']),
  ).resolves.toEqual({ views: 77, likes: 5, comments: 2, shares: 1 });
});

it('Facebook: the app credentials, the login and page tokens, pages and posts survive a restart', async () => {
  const before = new FacebookEmulator();
  await start(before);
  const user = before.createUser({ pages: 1, instagram: false });
  const pageId = user.pageIds[0]!;
  const userToken = before.issueUserToken(user.id, true);
  const pageToken = before.issuePageToken(userToken, pageId);
  before.posts.push({ id: `${pageId}_1`, pageId, kind: 'feed', message: 'kept', photoIds: [], createdAt: 0 });
  before.setPostStats(`${pageId}_1`, { impressions: 40, reactions: 4, comments: 3, shares: 2 });
  const saved = throughJson<FacebookEmulatorState>(before.snapshot());

  const after = new FacebookEmulator();
  const url = await start(after);
  after.restore(saved);
  expect([after.appId, after.appSecret]).toEqual([before.appId, before.appSecret]);
  const client = createFacebookClient({ graphBaseUrl: url, appId: after.appId, appSecret: after.appSecret, http });
  // A page token from a long-lived login never expires: it still works.
  await expect(client.pageStats(staticAccessToken(pageToken), pageId)).resolves.toMatchObject({ followers: 100 });
  await expect(client.postStats(staticAccessToken(pageToken), `${pageId}_1`)).resolves.toEqual({
    views: 40,
    likes: 4,
    comments: 3,
    shares: 2,
  });
  // And the stored user token still derives a new page token.
  const refreshed = await metaRefresh(client, { platform: 'FACEBOOK', platformAccountId: pageId })(userToken);
  expect(refreshed.accessToken).not.toBe(pageToken);
});

it('YouTube and Google OAuth: the client, tokens, grants, videos and subscribers survive a restart', async () => {
  const before = new YouTubeEmulator();
  const beforeGoogle = new GoogleOAuthEmulator(before);
  await start(before);
  const channel = beforeGoogle.createChannel('Kept');
  const issued = beforeGoogle.issueTokens(channel.id);
  before.subscribers.set(channel.id, 900);
  before.videos.push({
    id: 'keptvideo01',
    channelId: channel.id,
    snippet: { title: 'kept' },
    status: { privacyStatus: 'public' },
    bytes: 10,
    uploadedAt: 0,
    viewCount: 500,
  });
  const saved = throughJson<{ youtube: YouTubeEmulatorState; google: GoogleOAuthEmulatorState }>({
    youtube: before.snapshot(),
    google: beforeGoogle.snapshot(),
  });

  const after = new YouTubeEmulator();
  const afterGoogle = new GoogleOAuthEmulator(after);
  const url = await start(after);
  after.restore(saved.youtube);
  afterGoogle.restore(saved.google);
  expect(afterGoogle.clientId).toBe(beforeGoogle.clientId);
  const client = createYouTubeClient({
    baseUrl: url,
    oauthBaseUrl: url,
    clientId: afterGoogle.clientId,
    clientSecret: afterGoogle.clientSecret,
    http,
  });
  const tokens = staticAccessToken(issued.access_token);
  await expect(client.statistics(tokens, ['keptvideo01'])).resolves.toMatchObject([
    { id: 'keptvideo01', viewCount: 500 },
  ]);
  // Google's channels.list (mounted over YouTube's) knows the channel and its videos.
  await expect(client.channelStatistics(tokens)).resolves.toMatchObject({ id: channel.id, videoCount: 1 });
  const refreshed = await client.refresh(issued.refresh_token!);
  expect(refreshed.accessToken).not.toBe(issued.access_token);
});

it('VK: the app id, tokens (refresh with its device), communities and posts survive a restart', async () => {
  const before = new VkEmulator();
  await start(before);
  const user = before.createUser({ groups: 1 });
  const groupId = user.groupIds[0]!;
  const issued = before.issueTokens(user.id);
  before.posts.push({ id: 1, groupId, fromUserId: user.id, text: 'kept', attachments: [], date: 0 });
  before.setPostCounts(groupId, 1, { views: 60, likes: 6, comments: 1, reposts: 2 });
  const saved = throughJson<VkEmulatorState>(before.snapshot());

  const after = new VkEmulator();
  const url = await start(after);
  after.restore(saved);
  expect(after.clientId).toBe(before.clientId);
  const client = createVkClient({ apiBaseUrl: url, idBaseUrl: url, clientId: after.clientId, http });
  const tokens = staticAccessToken(issued.access_token);
  await expect(client.group(tokens, String(groupId))).resolves.toMatchObject({ members_count: 250 });
  await expect(client.postsById(tokens, String(groupId), [1])).resolves.toMatchObject([
    { id: 1, views: { count: 60 }, likes: { count: 6 }, reposts: { count: 2 }, comments: { count: 1 } },
  ]);
  const refreshed = await vkRefresh(client)(packVkRefreshToken(issued.deviceId, issued.refresh_token));
  expect(refreshed.accessToken).not.toBe(issued.access_token);
});

it('Telegram: the server bot, other bots, channels and messages survive a restart', async () => {
  const before = new TelegramEmulator();
  await start(before);
  const bot = before.createBot();
  const channel = before.createChannel({ adminBots: [{ id: bot.id }], members: 42 });
  const saved = throughJson<TelegramEmulatorState>(before.snapshot());

  const after = new TelegramEmulator();
  const url = await start(after);
  after.restore(saved);
  expect(after.botToken).toBe(before.botToken);
  for (const token of [bot.token, after.botToken]) {
    await expect(
      createTelegramClient({ botToken: token, baseUrl: url, http }).getChatMemberCount(channel.id),
    ).resolves.toBe(42);
  }
  expect(after.channels.get(channel.id)!.admins.get(bot.id)).toBe(true);
});
