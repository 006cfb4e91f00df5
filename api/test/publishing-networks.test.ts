// One post scheduled through GraphQL to TikTok, Instagram, Facebook, YouTube, Telegram and VK
// at once: a publication per account, each its own publish workflow on its own emulator;
// per-network versions of the text; every network's limits checked before anything is scheduled.
import { randomBytes } from 'node:crypto';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import {
  FacebookEmulator,
  InstagramEmulator,
  TelegramEmulator,
  TikTokEmulator,
  VkEmulator,
  YouTubeEmulator,
} from '@pressroom/workflows/emulators';
import {
  facebook as fb,
  instagram as ig,
  saveConnectedAccount,
  vk as vkApi,
  youtube as yt,
} from '@pressroom/workflows/platforms';
import sharp from 'sharp';
import { createLocalStorage, createUrlSigner } from '@pressroom/workflows/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
const tiktok = new TikTokEmulator({ processingMs: 300 });
const instagram = new InstagramEmulator({ imageProcessingMs: 300, videoProcessingMs: 500 });
const youtube = new YouTubeEmulator({ processingMs: 500 });
const telegram = new TelegramEmulator({ perGroupPerMinute: 1000 });
const facebook = new FacebookEmulator();
const vk = new VkEmulator();
type Network = 'TIKTOK' | 'INSTAGRAM' | 'FACEBOOK' | 'YOUTUBE' | 'TELEGRAM' | 'VK';
const accounts: Record<Network, { id: string; platformId: string }> = {
  TIKTOK: { id: '', platformId: '' },
  INSTAGRAM: { id: '', platformId: '' },
  FACEBOOK: { id: '', platformId: '' },
  YOUTUBE: { id: '', platformId: '' },
  TELEGRAM: { id: '', platformId: '' },
  VK: { id: '', platformId: '' },
};

beforeAll(async () => {
  const [tiktokUrl, igUrl, ytUrl, tgUrl, fbUrl, vkUrl] = await Promise.all([
    tiktok.start(),
    instagram.start(),
    youtube.start(),
    telegram.start(),
    facebook.start(),
    vk.start(),
  ]);
  api = await startTestApi(
    {
      TIKTOK_CLIENT_KEY: 'pressroom-emulated-client',
      TIKTOK_CLIENT_SECRET: 'pressroom-emulated-secret',
      TIKTOK_AUTH_BASE_URL: tiktokUrl,
      TIKTOK_API_BASE_URL: tiktokUrl,
      WORKFLOW_UPDATE_TIMEOUT_MS: '20000',
    },
    {
      worker: {
        publishSettings: { pollInitialMs: 200, pollMaxMs: 500, automaticAttempts: 1 },
        networks: {
          instagram: ig.createInstagramClient({ baseUrl: igUrl }),
          youtube: yt.createYouTubeClient({
            baseUrl: ytUrl,
            oauthBaseUrl: ytUrl,
            clientId: youtube.clientId,
            clientSecret: youtube.clientSecret,
          }),
          telegram: { baseUrl: tgUrl },
          facebook: fb.createFacebookClient({
            graphBaseUrl: fbUrl,
            appId: facebook.appId,
            appSecret: facebook.appSecret,
          }),
          vk: vkApi.createVkClient({ apiBaseUrl: vkUrl, idBaseUrl: vkUrl, clientId: vk.clientId }),
        },
      },
    },
  );
  org = await seedOrganization(api);
  const vault = createVault(parseKeyRing(api.config.PRESSROOM_TOKEN_KEYS!));
  const save = async (
    platform: keyof typeof accounts,
    platformAccountId: string,
    tokens: Parameters<typeof saveConnectedAccount>[2]['tokens'],
  ) => {
    const account = await saveConnectedAccount(api.db, vault, {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      platform,
      platformAccountId,
      displayName: `${platform} account`,
      tokens,
    });
    accounts[platform] = { id: account.id, platformId: platformAccountId };
  };
  const creator = tiktok.createUser();
  const issued = tiktok.issueTokens(creator.openId);
  await save('TIKTOK', creator.openId, {
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
  });
  const igToken = instagram.issueToken();
  await save('INSTAGRAM', igToken.igUserId, {
    accessToken: igToken.accessToken,
    refreshToken: igToken.accessToken,
    accessTokenExpiresAt: new Date(Date.now() + igToken.expiresIn * 1000),
  });
  const ytToken = youtube.issueToken();
  await save('YOUTUBE', ytToken.channelId, {
    accessToken: ytToken.accessToken,
    refreshToken: ytToken.refreshToken,
    accessTokenExpiresAt: new Date(Date.now() + ytToken.expiresIn * 1000),
  });
  await save('TELEGRAM', '-1001234567890', { accessToken: telegram.botToken });
  const person = facebook.createUser({ pages: 1, instagram: false });
  const userToken = facebook.issueUserToken(person.id);
  await save('FACEBOOK', person.pageIds[0]!, {
    accessToken: facebook.issuePageToken(userToken, person.pageIds[0]!),
    refreshToken: userToken,
  });
  const admin = vk.createUser({ groups: 1 });
  const vkTokens = vk.issueTokens(admin.id);
  await save('VK', String(admin.groupIds[0]!), {
    accessToken: vkTokens.access_token,
    refreshToken: vkApi.packVkRefreshToken(vkTokens.deviceId, vkTokens.refresh_token),
    accessTokenExpiresAt: new Date(Date.now() + vkTokens.expires_in * 1000),
  });
  // Only these six are targets.
  await api.db.socialAccount.updateMany({
    where: { organizationId: org.organization.id, id: { notIn: Object.values(accounts).map((a) => a.id) } },
    data: { status: 'REVOKED' },
  });
}, 180_000);

afterAll(async () => {
  await api?.close();
  await Promise.all([tiktok.stop(), instagram.stop(), youtube.stop(), telegram.stop(), facebook.stop(), vk.stop()]);
});

type Result = { __typename: string; code?: string; message?: string; violations?: unknown[] };

/** An approved vertical video post (its video stored where the api's /media route serves it). */
async function approvedVideo(caption: string) {
  const created = await org.members.EDITOR.client.gql<{ createPost: { data: { id: string } } }>(
    `mutation($brand: ID!, $caption: String!) {
      createPost(brandId: $brand, caption: $caption, hashtags: ["latte"], slides: [{ heading: "One" }]) {
        ... on MutationCreatePostSuccess { data { id } } } }`,
    { brand: org.brand.gid, caption },
  );
  const postGid = created.body.data!.createPost.data.id;
  const postId = Buffer.from(postGid, 'base64url').toString().split(':')[1]!;
  const storage = createLocalStorage({
    root: api.config.PRESSROOM_MEDIA_DIR,
    signer: createUrlSigner({ baseUrl: `${api.url}/media`, secret: api.config.PRESSROOM_MEDIA_SECRET! }),
  });
  const bytes = randomBytes(600_000);
  const storageKey = `org/${org.organization.id}/media/${postId}.mp4`;
  await storage.put(storageKey, bytes, { contentType: 'video/mp4' });
  await api.db.post.update({ where: { id: postId }, data: { format: 'VIDEO' } });
  await api.db.media.create({
    data: {
      organizationId: org.organization.id,
      postId,
      kind: 'VIDEO',
      status: 'READY',
      contentType: 'video/mp4',
      byteSize: bytes.length,
      width: 1080,
      height: 1920,
      durationMs: 20_000,
      storageKey,
    },
  });
  for (const [field, client] of [
    ['submitPostForReview', org.members.EDITOR.client],
    ['approvePost', org.members.REVIEWER.client],
  ] as const) {
    const answer = await client.gql(`mutation($id: ID!) { ${field}(id: $id) { __typename } }`, { id: postGid });
    expect(answer.body.errors).toBeUndefined();
  }
  return { gid: postGid, id: postId };
}

/**
 * An approved carousel with its two slides rendered (JPEG) and its slideshow video beside them,
 * as rendering leaves it: networks that take photos get the slides, YouTube gets the video.
 */
async function approvedCarouselWithSlideshow(caption: string) {
  const created = await org.members.EDITOR.client.gql<{ createPost: { data: { id: string } } }>(
    `mutation($brand: ID!, $caption: String!) {
      createPost(brandId: $brand, caption: $caption, hashtags: ["latte"], slides: [{ heading: "One" }, { heading: "Two" }]) {
        ... on MutationCreatePostSuccess { data { id } } } }`,
    { brand: org.brand.gid, caption },
  );
  const postGid = created.body.data!.createPost.data.id;
  const postId = Buffer.from(postGid, 'base64url').toString().split(':')[1]!;
  const storage = createLocalStorage({
    root: api.config.PRESSROOM_MEDIA_DIR,
    signer: createUrlSigner({ baseUrl: `${api.url}/media`, secret: api.config.PRESSROOM_MEDIA_SECRET! }),
  });
  const image = await sharp({ create: { width: 1080, height: 1350, channels: 3, background: '#c0ffee' } })
    .jpeg()
    .toBuffer();
  for (const position of [0, 1]) {
    const storageKey = `org/${org.organization.id}/media/${postId}-${position}.jpg`;
    await storage.put(storageKey, image, { contentType: 'image/jpeg' });
    const media = await api.db.media.create({
      data: {
        organizationId: org.organization.id,
        postId,
        kind: 'IMAGE',
        status: 'READY',
        contentType: 'image/jpeg',
        byteSize: image.length,
        width: 1080,
        height: 1350,
        storageKey,
      },
    });
    await api.db.slide.update({ where: { postId_position: { postId, position } }, data: { mediaId: media.id } });
  }
  const video = randomBytes(400_000);
  const storageKey = `org/${org.organization.id}/media/${postId}/slideshow.mp4`;
  await storage.put(storageKey, video, { contentType: 'video/mp4' });
  await api.db.media.create({
    data: {
      organizationId: org.organization.id,
      postId,
      kind: 'VIDEO',
      status: 'READY',
      contentType: 'video/mp4',
      byteSize: video.length,
      width: 1080,
      height: 1920,
      durationMs: 6_500,
      storageKey,
    },
  });
  for (const [field, client] of [
    ['submitPostForReview', org.members.EDITOR.client],
    ['approvePost', org.members.REVIEWER.client],
  ] as const) {
    const answer = await client.gql(`mutation($id: ID!) { ${field}(id: $id) { __typename } }`, { id: postGid });
    expect(answer.body.errors).toBeUndefined();
  }
  return { gid: postGid, id: postId };
}

async function setVersion(postGid: string, network: string, fields: Record<string, unknown>) {
  const answer = await org.members.EDITOR.client.gql<{ setPostVersion: Result }>(
    `mutation($id: ID!, $network: Platform!, $caption: String, $hashtags: [String!], $title: String) {
      setPostVersion(id: $id, network: $network, caption: $caption, hashtags: $hashtags, title: $title) {
        __typename ... on Error { code message } } }`,
    { id: postGid, network, ...fields },
  );
  expect(answer.body.data?.setPostVersion.__typename).toBe('MutationSetPostVersionSuccess');
}

async function schedule(postGid: string, networks: Network[], at: Date) {
  const answer = await org.members.EDITOR.client.gql<{ schedulePost: Result }>(
    `mutation($id: ID!, $at: DateTime!, $accounts: [ID!]) {
      schedulePost(id: $id, scheduledAt: $at, socialAccountIds: $accounts) {
        __typename ... on Error { code message }
        ... on NetworkLimitsError { violations { network limit message } } } }`,
    { id: postGid, at: at.toISOString(), accounts: networks.map((n) => gid('SocialAccount', accounts[n].id)) },
  );
  expect(answer.body.errors).toBeUndefined();
  return answer.body.data!.schedulePost;
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('publishing one post to several networks', () => {
  test('limits of every target network are checked up front, each violation naming network and limit', async () => {
    const post = await approvedVideo(`Too long for Instagram ${Date.now()}`);
    await setVersion(post.gid, 'INSTAGRAM', { caption: 'x'.repeat(2_300) });
    await setVersion(post.gid, 'TELEGRAM', { hashtags: [] });
    const read = await org.members.EDITOR.client.gql<{ node: { versions: unknown[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Post { versions { network caption hashtags title } } } }`,
      { id: post.gid },
    );
    expect(read.body.data?.node.versions).toEqual([
      { network: 'INSTAGRAM', caption: 'x'.repeat(2_300), hashtags: null, title: null },
      { network: 'TELEGRAM', caption: null, hashtags: [], title: null },
    ]);

    await setVersion(post.gid, 'FACEBOOK', { hashtags: Array.from({ length: 31 }, (_, i) => `tag${i}`) });

    const refused = await schedule(
      post.gid,
      ['INSTAGRAM', 'FACEBOOK', 'YOUTUBE', 'TELEGRAM', 'VK'],
      new Date(Date.now() + 60_000),
    );
    expect(refused).toMatchObject({ __typename: 'NetworkLimitsError', code: 'BAD_USER_INPUT' });
    // The post was made without a title: YouTube needs one. VK walls take text and photos, not video.
    expect(refused.violations).toHaveLength(4);
    expect(refused.violations).toEqual(
      expect.arrayContaining([
        {
          network: 'INSTAGRAM',
          limit: 'CAPTION_LENGTH',
          message: 'Instagram: the caption with its hashtags is 2307 characters, at most 2200',
        },
        { network: 'FACEBOOK', limit: 'HASHTAG_COUNT', message: 'Facebook: 31 hashtags, at most 30' },
        { network: 'YOUTUBE', limit: 'TITLE_REQUIRED', message: 'YouTube: a title is required' },
        {
          network: 'VK',
          limit: 'MEDIA_TYPE',
          message: 'VK: video posts are not published here, only text and photos',
        },
      ]),
    );
    expect(await api.db.publication.count({ where: { postId: post.id } })).toBe(0);
    expect((await api.db.post.findUniqueOrThrow({ where: { id: post.id } })).status).toBe('APPROVED');
  });

  test('TikTok and Telegram limits are refused up front too, naming the network and the limit', async () => {
    const post = await approvedVideo(`Too long for a Telegram caption ${Date.now()}`);
    // Telegram: a caption beside media is 1024 characters at most (4096 is for text alone).
    await setVersion(post.gid, 'TELEGRAM', { caption: 'x'.repeat(1_100), hashtags: [] });
    await setVersion(post.gid, 'TIKTOK', { hashtags: Array.from({ length: 31 }, (_, i) => `tag${i}`) });
    const refused = await schedule(post.gid, ['TIKTOK', 'TELEGRAM'], new Date(Date.now() + 60_000));
    expect(refused).toMatchObject({ __typename: 'NetworkLimitsError', code: 'BAD_USER_INPUT' });
    expect(refused.violations).toHaveLength(2);
    expect(refused.violations).toEqual(
      expect.arrayContaining([
        { network: 'TIKTOK', limit: 'HASHTAG_COUNT', message: 'TikTok: 31 hashtags, at most 30' },
        {
          network: 'TELEGRAM',
          limit: 'CAPTION_LENGTH',
          message: 'Telegram: the caption with its hashtags is 1100 characters, at most 1024',
        },
      ]),
    );
    expect(await api.db.publication.count({ where: { postId: post.id } })).toBe(0);
    expect((await api.db.post.findUniqueOrThrow({ where: { id: post.id } })).status).toBe('APPROVED');
  });

  test('a Facebook link: only in the Facebook version, http or https, and never beside photos or a video', async () => {
    const post = await approvedVideo(`A link to share ${Date.now()}`);
    const setLink = (network: string, link: string) =>
      org.members.EDITOR.client.gql<{ setPostVersion: Result }>(
        `mutation($id: ID!, $network: Platform!, $link: String) {
          setPostVersion(id: $id, network: $network, link: $link) { __typename ... on Error { code message } } }`,
        { id: post.gid, network, link },
      );
    const elsewhere = await setLink('INSTAGRAM', 'https://roastery.example/');
    expect(elsewhere.body.data?.setPostVersion).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(elsewhere.body.data?.setPostVersion.message).toMatch(/only the Facebook version of a post has a link/);
    const notWeb = await setLink('FACEBOOK', 'ftp://roastery.example/beans');
    expect(notWeb.body.data?.setPostVersion).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(notWeb.body.data?.setPostVersion.message).toMatch(/http or https/);
    const set = await setLink('FACEBOOK', 'https://roastery.example/new-roast');
    expect(set.body.data?.setPostVersion.__typename).toBe('MutationSetPostVersionSuccess');
    const read = await org.members.EDITOR.client.gql<{ node: { versions: unknown[] } }>(
      `query($id: ID!) { node(id: $id) { ... on Post { versions { network link } } } }`,
      { id: post.gid },
    );
    expect(read.body.data?.node.versions).toEqual([
      { network: 'FACEBOOK', link: 'https://roastery.example/new-roast' },
    ]);
    // The post is a video: Graph shares a link as a post of its own, so scheduling is refused.
    const refused = await schedule(post.gid, ['FACEBOOK'], new Date(Date.now() + 60_000));
    expect(refused).toMatchObject({ __typename: 'NetworkLimitsError', code: 'BAD_USER_INPUT' });
    expect(refused.violations).toEqual([
      {
        network: 'FACEBOOK',
        limit: 'MEDIA_COUNT',
        message: 'Facebook: a link post carries no photos or video; the post has a video',
      },
    ]);
    expect(await api.db.publication.count({ where: { postId: post.id } })).toBe(0);
  });

  test('six networks at once: each publishes once; one failing holds none up; its retry publishes only there', async () => {
    const caption = `Latte art at six places ${Date.now()}`;
    const post = await approvedCarouselWithSlideshow(caption);
    await setVersion(post.gid, 'YOUTUBE', { title: 'Latte art in sixty seconds' });
    await setVersion(post.gid, 'TELEGRAM', { caption: 'On the channel today: latte art' });
    // VK refuses the first wall post (the person lost their rights on the community's wall, say).
    vk.server.inject(
      { method: 'POST', pathPrefix: '/method/wall.post' },
      { kind: 'status', status: 403, code: '15', message: 'Access denied: no access to this wall' },
    );
    const networks: Network[] = ['TIKTOK', 'INSTAGRAM', 'FACEBOOK', 'YOUTUBE', 'TELEGRAM', 'VK'];
    const scheduled = await schedule(post.gid, networks, new Date(Date.now() + 1_500));
    expect(scheduled.__typename).toBe('MutationSchedulePostSuccess');

    type Row = {
      id: string;
      platform: Network;
      state: string;
      platformUrl: string | null;
      platformPostId: string | null;
      attemptCount: number;
      attempts: Array<{ number: number; status: string; step: string; failureCategory: string | null }>;
    };
    const read = () =>
      org.members.ADMIN.client
        .gql<{ node: { status: string; publications: Row[] } }>(
          `query($id: ID!) { node(id: $id) { ... on Post { status publications {
            id platform state platformUrl platformPostId attemptCount
            attempts { number status step failureCategory } } } } }`,
          { id: post.gid },
        )
        .then((response) => response.body.data!.node);
    const settled = await waitFor(
      read,
      (node) =>
        node.publications.length === 6 &&
        node.publications.every((row) => row.state === 'PUBLISHED' || row.state === 'FAILED'),
      'six publications to settle',
    );
    const by = Object.fromEntries(settled.publications.map((row) => [row.platform, row])) as Record<Network, Row>;
    expect(by.VK).toMatchObject({ state: 'FAILED', attemptCount: 1, platformUrl: null });
    const outcomes = (row: Row) =>
      row.attempts.map(({ number, status, failureCategory }) => [number, status, failureCategory]);
    expect(outcomes(by.VK)).toEqual([[1, 'FAILED', 'REJECTED_BY_PLATFORM']]);
    // Five of six out is not a published post: the post says FAILED whichever publication ended last.
    expect(settled.status).toBe('FAILED');
    for (const network of networks.filter((n) => n !== 'VK')) {
      expect(by[network]).toMatchObject({ state: 'PUBLISHED', attemptCount: 1 });
      expect(outcomes(by[network])).toEqual([[1, 'SUCCEEDED', null]]);
    }

    const tiktokPosts = () => tiktok.listPosts().filter((row) => JSON.stringify(row.request).includes(caption));
    const igPosts = () => instagram.media.filter((media) => media.igUserId === accounts.INSTAGRAM.platformId);
    const fbPosts = () => facebook.posts.filter((row) => row.pageId === accounts.FACEBOOK.platformId);
    const ytVideos = () => youtube.videosOf(accounts.YOUTUBE.platformId);
    const tgMessages = () => telegram.messagesIn(accounts.TELEGRAM.platformId);
    const vkPosts = () => vk.posts.filter((row) => row.groupId === Number(accounts.VK.platformId));
    expect(tiktokPosts()).toHaveLength(1);
    expect(igPosts()).toHaveLength(1);
    expect(igPosts()[0]!.caption).toBe(`${caption} #latte`);
    expect(by.INSTAGRAM.platformUrl).toBe(igPosts()[0]!.permalink);
    expect(fbPosts()).toHaveLength(1);
    expect(fbPosts()[0]).toMatchObject({ kind: 'feed', message: `${caption} #latte` });
    expect(fbPosts()[0]!.photoIds).toHaveLength(2);
    expect(by.FACEBOOK).toMatchObject({
      platformPostId: fbPosts()[0]!.id,
      platformUrl: `https://www.facebook.com/${accounts.FACEBOOK.platformId}/posts/${fbPosts()[0]!.id.split('_')[1]}`,
    });
    expect(ytVideos()).toHaveLength(1);
    expect(ytVideos()[0]!.snippet.title).toBe('Latte art in sixty seconds');
    expect(by.YOUTUBE.platformUrl).toBe(`https://www.youtube.com/shorts/${ytVideos()[0]!.id}`);
    // Two slides as one media group: one post, two messages.
    expect(tgMessages()).toHaveLength(2);
    expect(tgMessages()[0]!.caption).toBe('On the channel today: latte art #latte');
    expect(by.TELEGRAM.platformUrl).toMatch(/^https:\/\/t\.me\/c\/\d+\/\d+$/);
    expect(vkPosts()).toHaveLength(0);
    const vkPublication = Buffer.from(by.VK.id, 'base64url').toString().split(':')[1]!;
    const failed = await api.db.publication.findUniqueOrThrow({ where: { id: vkPublication } });
    expect(failed).toMatchObject({ failureCategory: 'REJECTED_BY_PLATFORM' });
    expect(failed.failureReason).toMatch(/no access to this wall/);

    // What every other network's emulator was asked so far: the retry must not add to it.
    const others = [tiktok, instagram, facebook, youtube, telegram];
    const logged = () => others.map((emulator) => emulator.server.requests.length);
    const before = logged();
    const retried = await org.members.ADMIN.client.gql<{ retryPublication: Result }>(
      `mutation($id: ID!) { retryPublication(id: $id) { __typename ... on Error { message } } }`,
      { id: by.VK.id },
    );
    expect(retried.body.data?.retryPublication.__typename).toBe('MutationRetryPublicationSuccess');
    const after = await waitFor(
      read,
      (node) => node.publications.find((row) => row.platform === 'VK')?.state === 'PUBLISHED',
      'the VK retry',
    );
    const retriedVk = after.publications.find((row) => row.platform === 'VK')!;
    expect(retriedVk).toMatchObject({ attemptCount: 2 });
    expect(after.status).toBe('PUBLISHED');
    expect(retriedVk.attempts.map((attempt) => attempt.status)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(vkPosts()).toHaveLength(1);
    expect(vkPosts()[0]!.attachments).toHaveLength(2);
    expect(retriedVk.platformUrl).toBe(`https://vk.com/wall-${accounts.VK.platformId}_${vkPosts()[0]!.id}`);
    // The retry published only there.
    expect(logged()).toEqual(before);
    expect(tiktokPosts()).toHaveLength(1);
    expect(igPosts()).toHaveLength(1);
    expect(fbPosts()).toHaveLength(1);
    expect(ytVideos()).toHaveLength(1);
    expect(tgMessages()).toHaveLength(2);
  });

  test('TEXT posts and scripts are checked against each target network’s limits, named; a TEXT post goes out where text alone is a post', async () => {
    const approved = async (format: 'TEXT' | 'SCRIPT', caption: string) => {
      const post = await api.db.post.create({
        data: {
          organizationId: org.organization.id,
          brandId: org.brand.id,
          format,
          status: 'APPROVED',
          title: 'A title',
          caption,
          ...(format === 'SCRIPT'
            ? {
                scenes: {
                  create: [{ position: 0, voiceOver: 'Hi', onScreenText: 'Hi', shot: 'Close-up', durationSeconds: 3 }],
                },
              }
            : {}),
        },
      });
      return { id: post.id, gid: gid('Post', post.id) };
    };
    const pairs = (result: Result) =>
      (result.violations as Array<{ network: string; limit: string; message: string }>)
        .map((v) => [v.network, v.limit])
        .sort();
    const later = () => new Date(Date.now() + 60_000);

    // Text alone is no post on TikTok, Instagram or YouTube; Telegram takes it.
    const text = await approved('TEXT', `Plain words ${Date.now()}`);
    const textRefused = await schedule(text.gid, ['TIKTOK', 'INSTAGRAM', 'YOUTUBE', 'TELEGRAM'], later());
    expect(textRefused).toMatchObject({ __typename: 'NetworkLimitsError', code: 'BAD_USER_INPUT' });
    expect(pairs(textRefused)).toEqual([
      ['INSTAGRAM', 'MEDIA_COUNT'],
      ['TIKTOK', 'MEDIA_COUNT'],
      ['YOUTUBE', 'VIDEO_REQUIRED'],
    ]);
    expect(JSON.stringify(textRefused.violations)).toContain('TikTok: needs at least one image; the post has none');

    // Too long for Telegram's 4096 characters: named there, not on Facebook (63,206).
    const long = await approved('TEXT', 'y'.repeat(5_000));
    const longRefused = await schedule(long.gid, ['TELEGRAM', 'FACEBOOK'], later());
    expect(pairs(longRefused)).toEqual([['TELEGRAM', 'CAPTION_LENGTH']]);

    // A script whose video is not rendered: each target says it needs the video.
    const script = await approved('SCRIPT', `A script ${Date.now()}`);
    const scriptRefused = await schedule(script.gid, ['TIKTOK', 'INSTAGRAM'], later());
    expect(pairs(scriptRefused)).toEqual([
      ['INSTAGRAM', 'VIDEO_REQUIRED'],
      ['TIKTOK', 'VIDEO_REQUIRED'],
    ]);
    expect(JSON.stringify(scriptRefused.violations)).toContain('TikTok: a video post needs a video; the post has none');
    for (const post of [text, long, script]) {
      expect(await api.db.publication.count({ where: { postId: post.id } })).toBe(0);
      expect((await api.db.post.findUniqueOrThrow({ where: { id: post.id } })).status).toBe('APPROVED');
    }

    // Where it fits, a TEXT post is scheduled and published once, as a plain message.
    const caption = `Text for the channel ${Date.now()}`;
    const fits = await approved('TEXT', caption);
    expect(await schedule(fits.gid, ['TELEGRAM'], new Date(Date.now() + 1_000))).toEqual({
      __typename: 'MutationSchedulePostSuccess',
    });
    const [published] = await waitFor(
      () => api.db.publication.findMany({ where: { postId: fits.id } }),
      (rows) => rows.length === 1 && (rows[0]!.state === 'PUBLISHED' || rows[0]!.state === 'FAILED'),
      'the TEXT post on Telegram',
    );
    expect(published).toMatchObject({ platform: 'TELEGRAM', state: 'PUBLISHED', failureReason: null });
    const sent = telegram.messagesIn(accounts.TELEGRAM.platformId).filter((m) => m.text?.includes(caption));
    expect(sent.map((m) => [m.method, m.text])).toEqual([['sendMessage', caption]]);
  });
});
