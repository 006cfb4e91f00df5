import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPublication, publicationWorkflowId, schedulePublication } from '../src/client.js';
import { FacebookEmulator } from '../src/emulators/facebook.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { VkEmulator } from '../src/emulators/vk.js';
import { createFacebookClient } from '../src/platforms/facebook/index.js';
import { createVkClient, packVkRefreshToken } from '../src/platforms/vk/index.js';
import { servedStorage, testVault } from './helpers.js';
import { saveHistory } from './support/histories.js';
import {
  connectNetworkAccount,
  createCarouselPublication,
  createVideoPublication,
  fastSettings,
  waitFor,
} from './support/publishing.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

// Facebook Pages and VK behind the publish workflow's NetworkPublisher: each publishes exactly
// once on its emulator, finds a post whose answer was lost instead of posting again, refreshes
// a dead token once, and respects its limits (VK's 50 wall posts a day).

const taskQueue = `publish-fb-vk-${randomBytes(4).toString('hex')}`;

describe('publishing to Facebook Pages and VK', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const vault = testVault();
  const facebook = new FacebookEmulator({ videoProcessingMs: 500 });
  const vk = new VkEmulator();
  const tiktok = new TikTokEmulator();

  beforeAll(async () => {
    media = await servedStorage();
    const [fbUrl, vkUrl, ttUrl] = await Promise.all([facebook.start(), vk.start(), tiktok.start()]);
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        storage: media.storage,
        tiktok: tiktokClientFor(tiktok, ttUrl),
        networks: {
          facebook: createFacebookClient({
            graphBaseUrl: fbUrl,
            appId: facebook.appId,
            appSecret: facebook.appSecret,
            // Short, so that a request the emulator never answers becomes a lost answer quickly.
            http: { backoffBaseMs: 20, timeoutMs: 2_000 },
          }),
          vk: createVkClient({
            apiBaseUrl: vkUrl,
            idBaseUrl: vkUrl,
            clientId: vk.clientId,
            http: { backoffBaseMs: 20 },
          }),
        },
        settings: fastSettings,
      }),
      cleanups: [() => facebook.stop(), () => vk.stop(), () => tiktok.stop(), () => media.close()],
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
  const requests = (server: { requests: Array<{ method: string; path: string }> }, path: string, method = 'POST') =>
    server.requests.filter((request) => request.method === method && request.path.endsWith(path)).length;

  // ── Facebook ──

  /** A Page connected the way Meta login stores it: the page token, and the user token as the refresh token. */
  const facebookPage = async () => {
    const user = facebook.createUser({ pages: 1, instagram: false });
    const userToken = facebook.issueUserToken(user.id);
    const pageId = user.pageIds[0]!;
    const pageToken = facebook.issuePageToken(userToken, pageId);
    const account = await connectNetworkAccount(db, vault, {
      platform: 'FACEBOOK',
      platformAccountId: pageId,
      accessToken: pageToken,
      refreshToken: userToken,
    });
    return { account, pageId, pageToken };
  };
  const postsOf = (pageId: string) => facebook.posts.filter((post) => post.pageId === pageId);

  it('Facebook: a carousel becomes unpublished photos attached to one feed post, made once', async () => {
    const { account, pageId } = await facebookPage();
    const publication = await createCarouselPublication(db, media.storage, account, {
      platform: 'FACEBOOK',
      slides: 3,
    });
    await db.postVersion.create({
      data: { postId: publication.postId, platform: 'FACEBOOK', caption: 'Brewing at the roastery today' },
    });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const posts = postsOf(pageId);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ kind: 'feed', message: 'Brewing at the roastery today #coffee #morning' });
    expect(posts[0]!.photoIds).toHaveLength(3);
    expect(requests(facebook.server, `/${pageId}/photos`)).toBe(3);
    expect(requests(facebook.server, `/${pageId}/feed`)).toBe(1);
    expect(done).toMatchObject({
      platformPostId: posts[0]!.id,
      platformUrl: `https://www.facebook.com/${pageId}/posts/${posts[0]!.id.split('_')[1]}`,
    });
    expect(done.attempts).toHaveLength(1);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-facebook');
  });

  it('Facebook: a post whose Facebook version has a link goes out once as a link post on /feed', async () => {
    const { account, pageId } = await facebookPage();
    const publication = await createCarouselPublication(db, media.storage, account, {
      platform: 'FACEBOOK',
      slides: 0,
    });
    await db.post.update({ where: { id: publication.postId }, data: { format: 'TEXT' } });
    await db.postVersion.create({
      data: {
        postId: publication.postId,
        platform: 'FACEBOOK',
        caption: 'Our new roast is in',
        link: 'https://roastery.example/new-roast',
      },
    });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const posts = postsOf(pageId);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      kind: 'feed',
      message: 'Our new roast is in #coffee #morning',
      link: 'https://roastery.example/new-roast',
      photoIds: [],
    });
    expect(done.platformPostId).toBe(posts[0]!.id);
    expect(requests(facebook.server, `/${pageId}/feed`)).toBe(1);
  });

  it('Facebook: a single photo is a photo post of its own', async () => {
    const { account, pageId } = await facebookPage();
    const publication = await createCarouselPublication(db, media.storage, account, {
      platform: 'FACEBOOK',
      slides: 1,
    });
    const done = await schedulePublication(client, publication.id, { taskQueue }).then(() => published(publication.id));
    const posts = postsOf(pageId);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ kind: 'photo' });
    expect(posts[0]!.message).toMatch(/^Three ways to brew a better morning cup \w+ #coffee #morning$/);
    expect(done.platformPostId).toBe(posts[0]!.id);
    expect(requests(facebook.server, `/${pageId}/feed`)).toBe(0);
  });

  it('Facebook: a video whose answer was lost is found among the page’s videos, never posted twice', async () => {
    const { account, pageId } = await facebookPage();
    const publication = await createVideoPublication(db, media.storage, account, {
      bytes: 200_000,
      platform: 'FACEBOOK',
    });
    facebook.server.inject({ method: 'POST', pathPrefix: `/v21.0/${pageId}/videos` }, { kind: 'lost-response' });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const posts = postsOf(pageId);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.kind).toBe('video');
    expect(requests(facebook.server, `/${pageId}/videos`)).toBe(1);
    expect(done).toMatchObject({
      platformPostId: posts[0]!.videoId,
      platformUrl: `https://www.facebook.com/${pageId}/videos/${posts[0]!.videoId}`,
    });
    expect(done.attempts).toHaveLength(1);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-facebook-lost-video');
  });

  it('Facebook: a video is PUBLISHED only once Facebook has processed it; a failed processing ends FAILED with the reason', async () => {
    const { account, pageId } = await facebookPage();
    const publication = await createVideoPublication(db, media.storage, account, {
      bytes: 200_000,
      platform: 'FACEBOOK',
    });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const videoId = postsOf(pageId)[0]!.videoId!;
    expect(done.platformPostId).toBe(videoId);
    // Its status was read until processing completed (the emulator processes for 500 ms).
    expect(requests(facebook.server, `/v21.0/${videoId}`, 'GET')).toBeGreaterThanOrEqual(1);
    expect(done.publishedAt!.getTime() - done.attempts[0]!.startedAt.getTime()).toBeGreaterThanOrEqual(500);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-facebook-video');

    const { account: other, pageId: otherPage } = await facebookPage();
    const broken = await createVideoPublication(db, media.storage, other, { bytes: 200_000, platform: 'FACEBOOK' });
    facebook.failNextVideo('The video file is corrupt or in a format we cannot read');
    await schedulePublication(client, broken.id, { taskQueue });
    const failed = await waitFor(
      () => db.publication.findUniqueOrThrow({ where: { id: broken.id }, include: { attempts: true } }),
      (row) => row.state === 'FAILED',
      30_000,
      'the publication to fail',
    );
    expect(failed.failureCategory).toBe('REJECTED_BY_PLATFORM');
    expect(failed.failureReason).toBe(
      'Facebook could not process the video: The video file is corrupt or in a format we cannot read',
    );
    expect(failed.attempts).toHaveLength(1);
    expect(failed.attempts[0]!.status).toBe('FAILED');
    // The video was posted once and never again.
    expect(requests(facebook.server, `/${otherPage}/videos`)).toBe(1);
    expect(postsOf(otherPage)).toHaveLength(1);
  });

  it('Facebook: a feed post whose answer was lost is found on the page by its text', async () => {
    const { account, pageId } = await facebookPage();
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'FACEBOOK' });
    facebook.server.inject({ method: 'POST', pathPrefix: `/v21.0/${pageId}/feed` }, { kind: 'lost-response' });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    expect(postsOf(pageId)).toHaveLength(1);
    expect(done.platformPostId).toBe(postsOf(pageId)[0]!.id);
    expect(requests(facebook.server, `/${pageId}/feed`)).toBe(1);
  });

  it('Facebook: a lost feed post is never settled on an earlier post of the same text; it is made once', async () => {
    const { account, pageId } = await facebookPage();
    const sameText = async (publication: { postId: string }) =>
      db.postVersion.create({
        data: { postId: publication.postId, platform: 'FACEBOOK', caption: 'Doors open at nine' },
      });
    const first = await createCarouselPublication(db, media.storage, account, { platform: 'FACEBOOK' });
    await sameText(first);
    await schedulePublication(client, first.id, { taskQueue });
    const firstDone = await published(first.id);
    // The second post's feed call never reaches the page (no answer either): the look-up finds
    // only the first post, with the very same text, minutes (here: moments) older.
    const second = await createCarouselPublication(db, media.storage, account, { platform: 'FACEBOOK' });
    await sameText(second);
    facebook.server.inject({ method: 'POST', pathPrefix: `/v21.0/${pageId}/feed` }, { kind: 'timeout' });
    await schedulePublication(client, second.id, { taskQueue });
    const secondDone = await published(second.id);
    const posts = postsOf(pageId);
    expect(posts).toHaveLength(2);
    expect(posts[0]!.message).toBe(posts[1]!.message);
    expect(firstDone.platformPostId).toBe(posts[0]!.id);
    expect(secondDone.platformPostId).toBe(posts[1]!.id);
    // The lost call, then the one made after the look-up window said nothing was made.
    expect(requests(facebook.server, `/${pageId}/feed`)).toBe(3);
  });

  it('Facebook: a page token Graph refuses is derived again from the user token, once', async () => {
    const { account, pageId, pageToken } = await facebookPage();
    facebook.expireToken(pageToken);
    const before = facebook.calls.longLivedExchanges;
    const stored = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    const publication = await createCarouselPublication(db, media.storage, account, {
      platform: 'FACEBOOK',
      slides: 1,
    });
    await schedulePublication(client, publication.id, { taskQueue });
    await published(publication.id);
    expect(facebook.calls.longLivedExchanges).toBe(before + 1);
    const after = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    expect(after.accessTokenCiphertext).not.toEqual(stored.accessTokenCiphertext);
    expect(postsOf(pageId)).toHaveLength(1);
  });

  // ── VK ──

  /** A community connected the way VK ID connect stores it (the refresh token carries the device id). */
  const vkCommunity = async () => {
    const user = vk.createUser({ groups: 1 });
    const issued = vk.issueTokens(user.id);
    const groupId = String(user.groupIds[0]!);
    const account = await connectNetworkAccount(db, vault, {
      platform: 'VK',
      platformAccountId: groupId,
      accessToken: issued.access_token,
      refreshToken: packVkRefreshToken(issued.deviceId, issued.refresh_token),
      accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
    });
    return { account, groupId, issued };
  };
  const wallOf = (groupId: string) => vk.posts.filter((post) => post.groupId === Number(groupId));
  const vkCalls = (method: string) => requests(vk.server, `/method/${method}`);

  it('VK: photos uploaded, saved to the wall album, and one wall post made with them', async () => {
    const { account, groupId } = await vkCommunity();
    const saves = vkCalls('photos.saveWallPhoto');
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'VK', slides: 3 });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    const wall = wallOf(groupId);
    expect(wall).toHaveLength(1);
    expect(wall[0]!.attachments).toHaveLength(3);
    expect(wall[0]!.text).toMatch(/^Three ways to brew a better morning cup \w+ #coffee #morning$/);
    // At least one save per photo; more when VK's 3 requests a second answered error 6 and it was retried.
    expect(vkCalls('photos.saveWallPhoto')).toBeGreaterThanOrEqual(saves + 3);
    expect(done).toMatchObject({
      platformPostId: String(wall[0]!.id),
      platformUrl: `https://vk.com/wall-${groupId}_${wall[0]!.id}`,
    });
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-vk');
  });

  it('VK: a wall.post whose answer was lost is found on the wall, never posted twice', async () => {
    const { account, groupId } = await vkCommunity();
    const posts = vkCalls('wall.post');
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'VK' });
    vk.server.inject({ method: 'POST', pathPrefix: '/method/wall.post' }, { kind: 'lost-response' });
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    expect(wallOf(groupId)).toHaveLength(1);
    expect(vkCalls('wall.post')).toBe(posts + 1);
    expect(done.platformPostId).toBe(String(wallOf(groupId)[0]!.id));
    expect(done.attempts).toHaveLength(1);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-vk-lost-post');
  });

  it('VK: a wall.post refused as too many requests per second is tried again after the second VK asked for, made once', async () => {
    const { account, groupId } = await vkCommunity();
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'VK', slides: 1 });
    // VK answers error 6 with HTTP 200; after an outage every waiting publication reaches VK at
    // once. The client tries 4 times (a second apart, as VK asks), then the attempt is refused.
    vk.server.inject(
      { method: 'POST', pathPrefix: '/method/wall.post' },
      { kind: 'status', status: 200, code: '6', message: 'Too many requests per second' },
      4,
    );
    await schedulePublication(client, publication.id, { taskQueue });
    const done = await published(publication.id);
    expect(wallOf(groupId)).toHaveLength(1);
    const [first, second] = [...done.attempts].sort((a, b) => a.number - b.number);
    expect(done.attempts).toHaveLength(2);
    expect(first!.failureCategory).toBe('RATE_LIMITED');
    expect(first!.failureReason).toMatch(/Too many requests per second/);
    // The automatic retry waited VK's second (doubled per attempt, jittered: at most twice as
    // long), not the settings' delay between automatic attempts (200 ms here, a minute in
    // production): the timer the run started after recording the refused attempt.
    const events = (await client.workflow.getHandle(publicationWorkflowId(publication.id)).fetchHistory()).events ?? [];
    const finished = events.findIndex(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'finishAttempt',
    );
    const timer = events.slice(finished).find((event) => event.timerStartedEventAttributes);
    const waitMs =
      Number(timer?.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0) * 1000 +
      Math.round((timer?.timerStartedEventAttributes?.startToFireTimeout?.nanos ?? 0) / 1e6);
    expect(waitMs).toBeGreaterThanOrEqual(1_000);
    expect(waitMs).toBeLessThan(2_000);
    expect(second!.startedAt.getTime()).toBeGreaterThan(first!.finishedAt!.getTime());
  });

  it('VK: an access token VK refuses is refreshed once, and the rotated refresh token is kept', async () => {
    const { account, groupId, issued } = await vkCommunity();
    vk.expireAccessToken(issued.access_token);
    const before = vk.calls.refreshes;
    const stored = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'VK', slides: 1 });
    await schedulePublication(client, publication.id, { taskQueue });
    await published(publication.id);
    expect(vk.calls.refreshes).toBe(before + 1);
    const after = await db.socialAccount.findUniqueOrThrow({ where: { id: account.socialAccountId } });
    expect(after.refreshTokenCiphertext).not.toEqual(stored.refreshTokenCiphertext);
    expect(wallOf(groupId)).toHaveLength(1);
  });

  it('VK: a community with 50 wall posts in the last day is refused before anything is uploaded', async () => {
    const { account, groupId } = await vkCommunity();
    for (let id = 1; id <= 50; id++) {
      vk.posts.push({
        id,
        groupId: Number(groupId),
        fromUserId: 1,
        text: `earlier ${id}`,
        attachments: [],
        date: vk.clock.now() - id * 60_000,
      });
    }
    const uploads = requests(vk.server, '/upload/wall');
    const posts = vkCalls('wall.post');
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'VK' });
    await schedulePublication(client, publication.id, { taskQueue });
    const failed = await waitFor(
      () => db.publication.findUniqueOrThrow({ where: { id: publication.id } }),
      (row) => row.state === 'FAILED',
      30_000,
      'the publication to fail',
    );
    expect(failed.failureCategory).toBe('RATE_LIMITED');
    expect(failed.failureReason).toMatch(/50 a day/);
    expect(requests(vk.server, '/upload/wall')).toBe(uploads);
    expect(vkCalls('wall.post')).toBe(posts);
    expect(wallOf(groupId)).toHaveLength(50);
  });

  it('VK: a publication whose run is gone is settled with a reason naming VK, not TikTok', async () => {
    const { account } = await vkCommunity();
    const publication = await createCarouselPublication(db, media.storage, account, { platform: 'VK' });
    // Left PUBLISHING by a run that no longer exists, before anything was sent.
    await db.publication.update({ where: { id: publication.id }, data: { state: 'PUBLISHING', attemptCount: 1 } });
    await db.publishAttempt.create({ data: { publicationId: publication.id, number: 1, status: 'RUNNING' } });
    await checkPublication(client, publication.id, { taskQueue });
    const row = await db.publication.findUniqueOrThrow({ where: { id: publication.id }, include: { post: true } });
    expect(row).toMatchObject({ state: 'FAILED', failureCategory: 'TRANSIENT' });
    expect(row.failureReason).toBe('its publish workflow is gone before anything reached VK');
    expect(row.post.status).toBe('FAILED');
  });
});
