// One post scheduled through GraphQL to TikTok, Instagram, YouTube and Telegram at once: a
// publication per account, each its own publish workflow on its own emulator; per-network
// versions of the text; every network's limits checked before anything is scheduled.
import { randomBytes } from 'node:crypto';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { InstagramEmulator, TelegramEmulator, TikTokEmulator, YouTubeEmulator } from '@pressroom/workflows/emulators';
import { instagram as ig, saveConnectedAccount, youtube as yt } from '@pressroom/workflows/platforms';
import { createLocalStorage, createUrlSigner } from '@pressroom/workflows/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
const tiktok = new TikTokEmulator({ processingMs: 300 });
const instagram = new InstagramEmulator({ imageProcessingMs: 300, videoProcessingMs: 500 });
const youtube = new YouTubeEmulator({ processingMs: 500 });
const telegram = new TelegramEmulator({ perGroupPerMinute: 1000 });
const accounts: Record<'TIKTOK' | 'INSTAGRAM' | 'YOUTUBE' | 'TELEGRAM', { id: string; platformId: string }> = {
  TIKTOK: { id: '', platformId: '' },
  INSTAGRAM: { id: '', platformId: '' },
  YOUTUBE: { id: '', platformId: '' },
  TELEGRAM: { id: '', platformId: '' },
};

beforeAll(async () => {
  const [tiktokUrl, igUrl, ytUrl, tgUrl] = await Promise.all([
    tiktok.start(),
    instagram.start(),
    youtube.start(),
    telegram.start(),
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
  // Only these four are targets.
  await api.db.socialAccount.updateMany({
    where: { organizationId: org.organization.id, id: { notIn: Object.values(accounts).map((a) => a.id) } },
    data: { status: 'REVOKED' },
  });
}, 90_000);

afterAll(async () => {
  await api?.close();
  await Promise.all([tiktok.stop(), instagram.stop(), youtube.stop(), telegram.stop()]);
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

async function setVersion(postGid: string, network: string, fields: Record<string, unknown>) {
  const answer = await org.members.EDITOR.client.gql<{ setPostVersion: Result }>(
    `mutation($id: ID!, $network: Platform!, $caption: String, $hashtags: [String!], $title: String) {
      setPostVersion(id: $id, network: $network, caption: $caption, hashtags: $hashtags, title: $title) {
        __typename ... on Error { code message } } }`,
    { id: postGid, network, ...fields },
  );
  expect(answer.body.data?.setPostVersion.__typename).toBe('MutationSetPostVersionSuccess');
}

async function schedule(postGid: string, networks: Array<keyof typeof accounts>, at: Date) {
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

    const refused = await schedule(post.gid, ['INSTAGRAM', 'YOUTUBE', 'TELEGRAM'], new Date(Date.now() + 60_000));
    expect(refused).toMatchObject({ __typename: 'NetworkLimitsError', code: 'BAD_USER_INPUT' });
    // The post was made without a title: YouTube needs one.
    expect(refused.violations).toEqual([
      {
        network: 'INSTAGRAM',
        limit: 'CAPTION_LENGTH',
        message: 'Instagram: the caption with its hashtags is 2307 characters, at most 2200',
      },
      { network: 'YOUTUBE', limit: 'TITLE_REQUIRED', message: 'YouTube: a title is required' },
    ]);
    expect(await api.db.publication.count({ where: { postId: post.id } })).toBe(0);
    expect((await api.db.post.findUniqueOrThrow({ where: { id: post.id } })).status).toBe('APPROVED');
  });

  test('four networks at once: each publishes once; one failing holds none up; its retry publishes only there', async () => {
    const caption = `Latte art at four places ${Date.now()}`;
    const post = await approvedVideo(caption);
    await setVersion(post.gid, 'YOUTUBE', { title: 'Latte art in sixty seconds' });
    await setVersion(post.gid, 'TELEGRAM', { caption: 'On the channel today: latte art' });
    // Telegram refuses the first send (the bot lost its rights in the channel, say).
    telegram.server.inject(
      { method: 'POST', pathPrefix: `/bot${telegram.botToken}/sendVideo` },
      { kind: 'status', status: 400, message: 'Bad Request: not enough rights to send videos to the chat' },
    );
    const scheduled = await schedule(
      post.gid,
      ['TIKTOK', 'INSTAGRAM', 'YOUTUBE', 'TELEGRAM'],
      new Date(Date.now() + 1_500),
    );
    expect(scheduled.__typename).toBe('MutationSchedulePostSuccess');

    const read = () =>
      org.members.ADMIN.client
        .gql<{
          node: {
            publications: Array<{
              id: string;
              platform: string;
              state: string;
              platformUrl: string | null;
              attemptCount: number;
            }>;
          };
        }>(
          `query($id: ID!) { node(id: $id) { ... on Post { publications { id platform state platformUrl attemptCount } } } }`,
          { id: post.gid },
        )
        .then((response) => response.body.data!.node.publications);
    const settled = await waitFor(
      read,
      (rows) => rows.length === 4 && rows.every((row) => row.state === 'PUBLISHED' || row.state === 'FAILED'),
      'four publications to settle',
    );
    const by = Object.fromEntries(settled.map((row) => [row.platform, row]));
    expect(by.TELEGRAM).toMatchObject({ state: 'FAILED', attemptCount: 1 });
    for (const network of ['TIKTOK', 'INSTAGRAM', 'YOUTUBE']) expect(by[network]).toMatchObject({ state: 'PUBLISHED' });

    const tiktokPosts = () => tiktok.listPosts().filter((row) => JSON.stringify(row.request).includes(caption));
    const igPosts = () => instagram.media.filter((media) => media.igUserId === accounts.INSTAGRAM.platformId);
    const ytVideos = () => youtube.videosOf(accounts.YOUTUBE.platformId);
    const tgMessages = () => telegram.messagesIn(accounts.TELEGRAM.platformId);
    expect(tiktokPosts()).toHaveLength(1);
    expect(igPosts()).toHaveLength(1);
    expect(igPosts()[0]!.caption).toBe(`${caption} #latte`);
    expect(by.INSTAGRAM!.platformUrl).toBe(igPosts()[0]!.permalink);
    expect(ytVideos()).toHaveLength(1);
    expect(ytVideos()[0]!.snippet.title).toBe('Latte art in sixty seconds');
    expect(by.YOUTUBE!.platformUrl).toBe(`https://www.youtube.com/shorts/${ytVideos()[0]!.id}`);
    expect(tgMessages()).toHaveLength(0);
    const telegramPublication = Buffer.from(by.TELEGRAM!.id, 'base64url').toString().split(':')[1]!;
    const failed = await api.db.publication.findUniqueOrThrow({ where: { id: telegramPublication } });
    expect(failed).toMatchObject({ failureCategory: 'REJECTED_BY_PLATFORM' });
    expect(failed.failureReason).toMatch(/not enough rights/);

    const retried = await org.members.ADMIN.client.gql<{ retryPublication: Result }>(
      `mutation($id: ID!) { retryPublication(id: $id) { __typename ... on Error { message } } }`,
      { id: by.TELEGRAM!.id },
    );
    expect(retried.body.data?.retryPublication.__typename).toBe('MutationRetryPublicationSuccess');
    const after = await waitFor(
      read,
      (rows) => rows.find((row) => row.platform === 'TELEGRAM')?.state === 'PUBLISHED',
      'the Telegram retry',
    );
    expect(after.find((row) => row.platform === 'TELEGRAM')).toMatchObject({ attemptCount: 2 });
    expect(tgMessages()).toHaveLength(1);
    expect(tgMessages()[0]!.caption).toBe('On the channel today: latte art #latte');
    // The retry published only there.
    expect(tiktokPosts()).toHaveLength(1);
    expect(igPosts()).toHaveLength(1);
    expect(ytVideos()).toHaveLength(1);
  });
});
