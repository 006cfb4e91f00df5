import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FacebookEmulator } from '../src/emulators/facebook.js';
import { createFacebookClient, facebookCodeChallenge, type FacebookClient } from '../src/platforms/facebook/index.js';
import { staticAccessToken, type AccessTokenSource } from '../src/platforms/tokens.js';
import { caught, servedStorage, solidImage } from './helpers.js';

describe('Facebook Pages client against the Facebook emulator', () => {
  let emulator: FacebookEmulator;
  let client: FacebookClient;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  let photoUrl: (n: number) => string;
  const waits: number[] = [];

  beforeAll(async () => {
    emulator = new FacebookEmulator({ callsPerHour: 60 });
    const baseUrl = await emulator.start();
    client = createFacebookClient({
      graphBaseUrl: baseUrl,
      dialogBaseUrl: baseUrl,
      appId: emulator.appId,
      appSecret: emulator.appSecret,
      http: {
        sleep: (ms) => {
          waits.push(ms);
          emulator.clock.advance(ms);
          return Promise.resolve();
        },
      },
    });
    media = await servedStorage();
    for (const n of [1, 2, 3]) {
      await media.storage.put(`fb/${n}.jpg`, await solidImage(1080, 1350, 'jpeg'), { contentType: 'image/jpeg' });
    }
    await media.storage.put('fb/clip.mp4', Buffer.alloc(4096, 1), { contentType: 'video/mp4' });
    photoUrl = (n) => media.storage.signedUrl(`fb/${n}.jpg`);
  });
  afterAll(async () => {
    await emulator.stop();
    await media.close();
  });
  beforeEach(() => {
    waits.length = 0;
    emulator.server.resetRateLimits();
    emulator.server.clearFaults();
  });

  /** A person with two pages, logged in (long-lived), and the first page with its page token. */
  async function page() {
    const user = emulator.createUser();
    const userToken = emulator.issueUserToken(user.id);
    const pages = await client.pages(userToken);
    return { user, userToken, pages, pageId: pages[0]!.id, tokens: staticAccessToken(pages[0]!.access_token) };
  }

  it('logs in with PKCE, exchanges for a long-lived token and derives page tokens with the linked Instagram account', async () => {
    const user = emulator.createUser({ pages: 2 });
    emulator.consentingUserId = user.id;
    const verifier = 'v'.repeat(64);
    const authorize = client.authorizeUrl({
      redirectUri: 'http://127.0.0.1:9/connect/facebook/callback',
      state: 's'.repeat(40),
      codeChallenge: facebookCodeChallenge(verifier),
      scopes: ['pages_show_list', 'pages_manage_posts'],
    });
    const consent = await fetch(authorize, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('s'.repeat(40));
    const code = back.searchParams.get('code')!;
    // A wrong verifier burns the code: it is single use.
    const wrong = await caught(
      client.exchangeCode({
        code,
        redirectUri: 'http://127.0.0.1:9/connect/facebook/callback',
        codeVerifier: 'x'.repeat(64),
      }),
    );
    expect(wrong).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: '100/36009' });

    const again = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!);
    const short = await client.exchangeCode({
      code: again.searchParams.get('code')!,
      redirectUri: 'http://127.0.0.1:9/connect/facebook/callback',
      codeVerifier: verifier,
    });
    expect(short.accessTokenExpiresAt!.getTime() - Date.now()).toBeLessThan(3 * 3600_000);
    const long = await client.exchangeLongLived(short.accessToken);
    expect(long.accessTokenExpiresAt!.getTime() - Date.now()).toBeGreaterThan(50 * 24 * 3600_000);
    expect(await client.me(long.accessToken)).toEqual({ id: user.id, name: 'Emulated Person' });
    const pages = await client.pages(long.accessToken);
    expect(pages.map((p) => p.id)).toEqual(user.pageIds);
    expect(pages[0]!.instagram_business_account?.id).toMatch(/^1784/);
    expect(pages[1]!.instagram_business_account).toBeUndefined();
    // Page tokens are not the user token, and only a page token may post as the page.
    expect(pages[0]!.access_token).not.toBe(long.accessToken);
    const asUser = await caught(
      client.createFeedPost(staticAccessToken(long.accessToken), pages[0]!.id, { message: 'x' }),
    );
    expect(asUser).toMatchObject({ category: 'REJECTED_BY_PLATFORM', status: 403, code: '200' });
    // Page tokens from a long-lived user token outlive it.
    emulator.clock.advance(61 * 24 * 3600_000);
    await expect(client.pageStats(staticAccessToken(pages[0]!.access_token), pages[0]!.id)).resolves.toMatchObject({
      followers: 100,
    });
    await expect(caught(client.me(long.accessToken))).resolves.toMatchObject({
      category: 'TOKEN_EXPIRED',
      code: '190/463',
    });
  });

  it('makes text, link, single-photo and multi-photo posts, and lists them newest first with links', async () => {
    const { pageId, tokens } = await page();
    const text = await client.createFeedPost(tokens, pageId, { message: 'Fresh roast today' });
    const link = await client.createFeedPost(tokens, pageId, {
      message: 'Read more',
      link: 'https://acme.example/blog',
    });
    const single = await client.createPhoto(tokens, pageId, {
      url: photoUrl(1),
      caption: 'One photo',
      published: true,
    });
    expect(single.postId).toMatch(new RegExp(`^${pageId}_`));

    const unpublished = [
      await client.createPhoto(tokens, pageId, { url: photoUrl(2), published: false }),
      await client.createPhoto(tokens, pageId, { url: photoUrl(3), published: false }),
    ];
    expect(unpublished.every((photo) => photo.postId === undefined)).toBe(true);
    const multi = await client.createFeedPost(tokens, pageId, {
      message: 'Two photos',
      attachedMediaIds: unpublished.map((photo) => photo.id),
    });
    const made = emulator.posts.find((post) => post.id === multi)!;
    expect(made.photoIds).toEqual(unpublished.map((photo) => photo.id));
    // A photo belongs to one post.
    const reuse = await caught(
      client.createFeedPost(tokens, pageId, { message: 'again', attachedMediaIds: [unpublished[0]!.id] }),
    );
    expect(reuse).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: '100' });
    // A photo Facebook cannot download is refused before anything is made.
    const broken = await caught(client.createPhoto(tokens, pageId, { url: `${photoUrl(1)}x`, published: true }));
    expect(broken).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: '324' });

    const recent = await client.recentPosts(tokens, pageId);
    expect(recent.map((post) => post.id)).toEqual([multi, single.postId, link, text]);
    expect(recent[0]!.message).toBe('Two photos');
    expect(await client.permalink(tokens, text)).toBe(`https://www.facebook.com/${pageId}/posts/${text.split('_')[1]}`);
  });

  it('posts a video that processes before it is ready', async () => {
    const { pageId, tokens } = await page();
    const videoId = await client.createVideo(tokens, pageId, {
      fileUrl: media.storage.signedUrl('fb/clip.mp4'),
      description: 'Latte art in 15 s',
    });
    expect((await client.videoStatus(tokens, videoId)).videoStatus).toBe('processing');
    emulator.clock.advance(15_000);
    expect(await client.videoStatus(tokens, videoId)).toEqual({
      videoStatus: 'ready',
      permalinkUrl: `https://www.facebook.com/${pageId}/videos/${videoId}`,
    });
    expect((await client.recentVideos(tokens, pageId)).map((video) => video.id)).toEqual([videoId]);
  });

  it('does not deduplicate, and a lost answer leaves a post that the page list finds', async () => {
    const { pageId, tokens } = await page();
    await client.createFeedPost(tokens, pageId, { message: 'Same words' });
    await client.createFeedPost(tokens, pageId, { message: 'Same words' });
    expect(emulator.posts.filter((post) => post.pageId === pageId)).toHaveLength(2);

    emulator.server.inject({ method: 'POST', pathPrefix: `/v21.0/${pageId}/feed` }, { kind: 'lost-response' });
    const lost = await caught(client.createFeedPost(tokens, pageId, { message: 'Lost answer' }));
    expect(lost.category).toBe('OUTCOME_UNKNOWN');
    // Not retried by the client: the post exists once, and the list shows it.
    expect(emulator.posts.filter((post) => post.message === 'Lost answer')).toHaveLength(1);
    expect((await client.recentPosts(tokens, pageId)).find((post) => post.message === 'Lost answer')).toBeDefined();
  });

  it('classifies failures: a 4xx is a refusal, a 5xx on a post is unknown, a read is retried, throttling waits', async () => {
    const { pageId, tokens } = await page();
    emulator.server.inject({ pathPrefix: `/v21.0/${pageId}/feed` }, { kind: 'status', status: 400, code: '368' });
    expect(await caught(client.createFeedPost(tokens, pageId, { message: 'x' }))).toMatchObject({
      category: 'REJECTED_BY_PLATFORM',
      code: '368',
    });
    // Graph's "unknown error" (code 1) with a 4xx status is still a refusal.
    emulator.server.inject({ pathPrefix: `/v21.0/${pageId}/feed` }, { kind: 'status', status: 400, code: '1' });
    expect((await caught(client.createFeedPost(tokens, pageId, { message: 'x' }))).category).toBe(
      'REJECTED_BY_PLATFORM',
    );
    emulator.server.inject({ pathPrefix: `/v21.0/${pageId}/feed` }, { kind: 'status', status: 500 });
    expect((await caught(client.createFeedPost(tokens, pageId, { message: 'x' }))).category).toBe('OUTCOME_UNKNOWN');
    emulator.server.inject({ pathPrefix: `/v21.0/${pageId}/published_posts` }, { kind: 'status', status: 503 });
    await expect(client.recentPosts(tokens, pageId)).resolves.toEqual([]);
    expect(waits).toEqual([500]);

    // Page-level throttling (code 32) is RATE_LIMITED with HTTP 400.
    const throttled = await page();
    for (let i = 0; i < 60; i++) await client.pageStats(throttled.tokens, throttled.pageId);
    waits.length = 0;
    const limited = await caught(client.pageStats(throttled.tokens, throttled.pageId));
    expect(limited).toMatchObject({ category: 'RATE_LIMITED', code: '32', status: 400 });
  });

  it('refreshes an expired token once through the token source', async () => {
    const user = emulator.createUser();
    const short = emulator.issueUserToken(user.id, false);
    const pages = await client.pages(short);
    let refreshed = 0;
    let current = pages[0]!.access_token;
    const tokens: AccessTokenSource = {
      accessToken: () => Promise.resolve(current),
      refresh: async () => {
        refreshed++;
        const long = await client.exchangeLongLived(emulator.issueUserToken(user.id, false));
        current = (await client.pages(long.accessToken))[0]!.access_token;
        return current;
      },
    };
    emulator.clock.advance(2 * 3600_000 + 1);
    const id = await client.createFeedPost(tokens, pages[0]!.id, { message: 'after refresh' });
    expect(refreshed).toBe(1);
    expect(emulator.posts.find((post) => post.id === id)?.message).toBe('after refresh');
  });

  it('revoking the login ends the page tokens too; stats grow with time', async () => {
    const { pageId, tokens, userToken } = await page();
    const postId = await client.createFeedPost(tokens, pageId, { message: 'counted' });
    emulator.clock.advance(8 * 3600_000);
    expect(await client.postStats(tokens, postId)).toEqual({ likes: 24, comments: 4, shares: 2, views: 240 });
    expect(await client.pageStats(tokens, pageId)).toMatchObject({ followers: 100, fans: 90 });
    await client.revoke(userToken);
    expect(await caught(client.pageStats(tokens, pageId))).toMatchObject({
      category: 'TOKEN_EXPIRED',
      code: '190/458',
    });
  });
});
