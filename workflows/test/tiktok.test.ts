import { createHash } from 'node:crypto';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { socialAccountTokenContext } from '@pressroom/db/vault';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { createAccountTokenSource, disconnectAccount, saveConnectedAccount } from '../src/platforms/accounts.js';
import { isPlatformError, type PlatformError } from '../src/platforms/errors.js';
import {
  assertPublishNotFailed,
  createPkcePair,
  createTikTokClient,
  type TikTokClient,
} from '../src/platforms/tiktok/index.js';
import { staticAccessToken } from '../src/platforms/tokens.js';
import { caught, seedTenant, servedStorage, solidImage, testVault } from './helpers.js';

const redirectUri = 'http://127.0.0.1:4000/connect/tiktok/callback';

describe('TikTok client against the TikTok emulator', () => {
  let emulator: TikTokEmulator;
  let client: TikTokClient;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const slept: number[] = [];

  beforeAll(async () => {
    emulator = new TikTokEmulator({ shortPages: true, seededVideos: 45 });
    const baseUrl = await emulator.start();
    // Waiting moves the emulator's clock instead of the test's time.
    client = createTikTokClient({
      clientKey: emulator.clientKey,
      clientSecret: emulator.clientSecret,
      authBaseUrl: baseUrl,
      apiBaseUrl: baseUrl,
      http: {
        timeoutMs: 500,
        sleep: (ms) => {
          slept.push(ms);
          emulator.clock.advance(ms);
          return Promise.resolve();
        },
      },
    });
    media = await servedStorage();
  });
  afterAll(async () => {
    await emulator.stop();
    await media.close();
  });
  beforeEach(() => {
    slept.length = 0;
    emulator.server.clearFaults();
    emulator.server.resetRateLimits();
  });

  const newAccount = () => {
    const user = emulator.createUser();
    const tokens = emulator.issueTokens(user.openId);
    return { user, tokens, source: staticAccessToken(tokens.access_token) };
  };

  async function consent(challenge: string, state = 'state-1') {
    const url = client.authorizeUrl({
      redirectUri,
      state,
      scopes: ['user.info.basic', 'user.info.stats', 'video.publish'],
      codeChallenge: challenge,
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return new URL(response.headers.get('location')!);
  }

  describe('Login Kit OAuth v2', () => {
    it('exchanges a code with its PKCE verifier, refreshes with rotation and revokes', async () => {
      const pkce = createPkcePair();
      const callback = await consent(pkce.challenge);
      expect(callback.searchParams.get('state')).toBe('state-1');
      const tokens = await client.exchangeCode({
        code: callback.searchParams.get('code')!,
        redirectUri,
        codeVerifier: pkce.verifier,
      });
      expect(tokens.scopes).toEqual(['user.info.basic', 'user.info.stats', 'video.publish']);
      expect(tokens.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now() + 3600_000);

      const refreshed = await client.refresh(tokens.refreshToken);
      expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
      expect(emulator.isRefreshTokenValid(tokens.refreshToken)).toBe(false);
      const reused = await caught(client.refresh(tokens.refreshToken));
      expect(reused).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: 'invalid_grant' });

      await client.revoke(refreshed.accessToken);
      expect(emulator.isAccessTokenValid(refreshed.accessToken)).toBe(false);
      expect(emulator.isRefreshTokenValid(refreshed.refreshToken)).toBe(false);
    });

    it('refuses a code exchanged with the wrong PKCE verifier, and a code used twice', async () => {
      const pkce = createPkcePair();
      const callback = await consent(pkce.challenge);
      const code = callback.searchParams.get('code')!;
      const wrong = await caught(client.exchangeCode({ code, redirectUri, codeVerifier: createPkcePair().verifier }));
      expect(wrong).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: 'invalid_grant' });
      // The code was burnt by the failed attempt.
      const again = await caught(client.exchangeCode({ code, redirectUri, codeVerifier: pkce.verifier }));
      expect(again.code).toBe('invalid_grant');
    });

    it("uses TikTok's hex S256 challenge; an RFC 7636 base64url challenge fails the exchange", async () => {
      const pkce = createPkcePair();
      expect(pkce.challenge).toMatch(/^[0-9a-f]{64}$/);
      const rfcChallenge = createHash('sha256').update(pkce.verifier).digest('base64url');
      const callback = await consent(rfcChallenge);
      const error = await caught(
        client.exchangeCode({ code: callback.searchParams.get('code')!, redirectUri, codeVerifier: pkce.verifier }),
      );
      expect(error.code).toBe('invalid_grant');
      expect(error.message).toContain('Code verifier or code challenge is invalid');
    });

    it('passes a declined consent back as error + error_description', async () => {
      emulator.denyNextConsent();
      const callback = await consent(createPkcePair().challenge, 'state-2');
      expect(callback.searchParams.get('error')).toBe('access_denied');
      expect(callback.searchParams.get('state')).toBe('state-2');
      expect(callback.searchParams.get('code')).toBeNull();
    });
  });

  describe('Display API', () => {
    it('reads user info with stats', async () => {
      const { user, source } = newAccount();
      const info = await client.userInfo(source);
      expect(info).toMatchObject({
        open_id: user.openId,
        display_name: user.displayName,
        username: user.username,
        follower_count: 1200,
        video_count: 45,
      });
    });

    it('refuses fields the user did not grant', async () => {
      const user = emulator.createUser();
      const tokens = emulator.issueTokens(user.openId, ['user.info.basic']);
      const error = await caught(client.userInfo(staticAccessToken(tokens.access_token)));
      expect(error).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: 'scope_not_authorized', status: 401 });
    });

    it('pages through every video although pages come back short, and queries by id', async () => {
      const { source } = newAccount();
      const first = await client.listVideos(source, { maxCount: 20 });
      expect(first.videos.length).toBeLessThan(20);
      expect(first.has_more).toBe(true);
      const all = [];
      for await (const video of client.allVideos(source)) all.push(video);
      expect(all).toHaveLength(45);
      expect(new Set(all.map((video) => video.id)).size).toBe(45);
      const times = all.map((video) => video.create_time!);
      expect([...times].sort((a, b) => b - a)).toEqual(times);

      const queried = await client.queryVideos(source, [all[0]!.id, all[44]!.id]);
      expect(queried.map((video) => video.id).sort()).toEqual([all[0]!.id, all[44]!.id].sort());
      expect(queried[0]).toHaveProperty('view_count');
    });
  });

  describe('Content Posting API', () => {
    async function slideUrls(
      count: number,
      format: 'jpeg' | 'webp' | 'png' = 'jpeg',
      size: [number, number] = [1080, 1350],
    ) {
      const urls = [];
      for (let i = 0; i < count; i++) {
        const key = `test/${Math.random().toString(36).slice(2)}-${i}.${format}`;
        await media.storage.put(key, await solidImage(size[0], size[1], format), { contentType: `image/${format}` });
        urls.push(media.storage.signedUrl(key));
      }
      return urls;
    }

    it('reads creator info', async () => {
      const { user, source } = newAccount();
      const info = await client.creatorInfo(source);
      expect(info.creator_username).toBe(user.username);
      expect(info.privacy_level_options).toContain('SELF_ONLY');
      expect(info.max_video_post_duration_sec).toBeGreaterThan(0);
    });

    it('publishes a photo carousel pulled from signed URLs through its processing states', async () => {
      const { user, source } = newAccount();
      const { publish_id } = await client.initPhotoPost(source, {
        postInfo: { title: 'Three ways to brew', description: 'Slides #coffee', privacy_level: 'PUBLIC_TO_EVERYONE' },
        photoUrls: await slideUrls(3),
      });
      expect((await client.fetchPublishStatus(source, publish_id)).status).toBe('PROCESSING_DOWNLOAD');
      emulator.clock.advance(3_000);
      const done = await client.fetchPublishStatus(source, publish_id);
      expect(done.status).toBe('PUBLISH_COMPLETE');
      // Public ids appear only after moderation.
      expect(done.publicaly_available_post_id).toEqual([]);
      emulator.clock.advance(10_000);
      const moderated = await client.fetchPublishStatus(source, publish_id);
      expect(moderated.publicaly_available_post_id).toHaveLength(1);
      const newest = await client.listVideos(source, { maxCount: 1 });
      expect(newest.videos[0]?.title).toBe('Three ways to brew');
      expect(emulator.listPosts().filter((post) => post.openId === user.openId)).toHaveLength(1);
    });

    it('surfaces a FAILED status with its fail_reason (PNG slides are refused)', async () => {
      const { source } = newAccount();
      const { publish_id } = await client.initPhotoPost(source, {
        postInfo: { title: 'PNG', privacy_level: 'SELF_ONLY' },
        photoUrls: await slideUrls(2, 'png'),
      });
      const status = await client.fetchPublishStatus(source, publish_id);
      expect(status).toMatchObject({ status: 'FAILED', fail_reason: 'file_format_check_failed' });
      const error = (() => {
        try {
          assertPublishNotFailed(status);
        } catch (failure) {
          return failure as PlatformError;
        }
      })();
      expect(error).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: 'file_format_check_failed' });
    });

    it('fails an oversized slide with picture_size_check_failed, and an injected fail_reason after processing', async () => {
      const { source } = newAccount();
      const big = await client.initPhotoPost(source, {
        postInfo: { privacy_level: 'SELF_ONLY' },
        photoUrls: await slideUrls(1, 'jpeg', [1440, 2560]),
      });
      expect(await client.fetchPublishStatus(source, big.publish_id)).toMatchObject({
        status: 'FAILED',
        fail_reason: 'picture_size_check_failed',
      });

      emulator.failNextPublish('spam_risk_user_banned_from_posting');
      const banned = await client.initPhotoPost(source, {
        postInfo: { privacy_level: 'SELF_ONLY' },
        photoUrls: await slideUrls(1),
      });
      expect((await client.fetchPublishStatus(source, banned.publish_id)).status).toBe('PROCESSING_DOWNLOAD');
      emulator.clock.advance(3_000);
      expect(await client.fetchPublishStatus(source, banned.publish_id)).toMatchObject({
        status: 'FAILED',
        fail_reason: 'spam_risk_user_banned_from_posting',
      });
    });

    it('uploads a video in chunks (FILE_UPLOAD) and publishes it', async () => {
      const { source } = newAccount();
      const video = Buffer.alloc(11 * 1024 * 1024, 7);
      const init = await client.initVideo(source, {
        postInfo: { title: 'Latte art in 15 s', privacy_level: 'MUTUAL_FOLLOW_FRIENDS', is_aigc: true },
        source: { source: 'FILE_UPLOAD', videoSize: video.length, chunkSize: 5 * 1024 * 1024 },
      });
      expect(init.upload_url).toBeTruthy();
      const post = emulator.listPosts().find((candidate) => candidate.publishId === init.publish_id)!;
      expect(post).toMatchObject({ chunkSize: 5 * 1024 * 1024, totalChunkCount: 2 });
      expect((await client.fetchPublishStatus(source, init.publish_id)).status).toBe('PROCESSING_UPLOAD');
      await client.uploadVideo(init.upload_url!, video, 5 * 1024 * 1024);
      expect(post.uploadedBytes).toBe(video.length);
      emulator.clock.advance(3_000);
      expect((await client.fetchPublishStatus(source, init.publish_id)).status).toBe('PUBLISH_COMPLETE');
    });

    it('refuses a chunk with the wrong range (416) and an expired upload URL (403)', async () => {
      const { source } = newAccount();
      const video = Buffer.alloc(1024, 1);
      const init = await client.initVideo(source, {
        postInfo: { privacy_level: 'SELF_ONLY' },
        source: { source: 'FILE_UPLOAD', videoSize: video.length },
      });
      const wrong = await fetch(init.upload_url!, {
        method: 'PUT',
        headers: { 'content-range': `bytes 10-1023/1024` },
        body: video.subarray(10),
      });
      expect(wrong.status).toBe(416);
      emulator.clock.advance(3600_001);
      const error = await caught(client.uploadVideo(init.upload_url!, video));
      expect(error).toMatchObject({ status: 403, category: 'REJECTED_BY_PLATFORM' });
    });

    it('publishes a video pulled from a URL (PULL_FROM_URL) and to the inbox', async () => {
      const { source } = newAccount();
      await media.storage.put('test/clip.mp4', Buffer.alloc(4096, 3), { contentType: 'video/mp4' });
      const pulled = await client.initVideo(source, {
        postInfo: { title: 'Pulled', privacy_level: 'SELF_ONLY' },
        source: { source: 'PULL_FROM_URL', videoUrl: media.storage.signedUrl('test/clip.mp4') },
      });
      expect(pulled.upload_url).toBeUndefined();
      expect((await client.fetchPublishStatus(source, pulled.publish_id)).status).toBe('PROCESSING_DOWNLOAD');
      const inbox = await client.initVideo(source, {
        postInfo: { privacy_level: 'SELF_ONLY' },
        source: { source: 'PULL_FROM_URL', videoUrl: media.storage.signedUrl('test/clip.mp4') },
        mode: 'INBOX',
      });
      emulator.clock.advance(3_000);
      const done = await client.fetchPublishStatus(source, pulled.publish_id);
      expect(done).toMatchObject({ status: 'PUBLISH_COMPLETE', publicaly_available_post_id: [] });
      expect((await client.fetchPublishStatus(source, inbox.publish_id)).status).toBe('SEND_TO_USER_INBOX');

      const missing = await client.initVideo(source, {
        postInfo: { privacy_level: 'SELF_ONLY' },
        source: { source: 'PULL_FROM_URL', videoUrl: media.storage.signedUrl('test/missing.mp4') },
      });
      expect(await client.fetchPublishStatus(source, missing.publish_id)).toMatchObject({
        status: 'FAILED',
        fail_reason: 'video_pull_failed',
      });
    });

    it('refuses a privacy level the creator does not offer', async () => {
      const { source } = newAccount();
      const error = await caught(
        client.initVideo(source, {
          postInfo: { privacy_level: 'FOLLOWER_OF_CREATOR' },
          source: { source: 'PULL_FROM_URL', videoUrl: 'https://cdn.example/v.mp4' },
        }),
      );
      expect(error).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: 'privacy_level_option_mismatch' });
    });

    it('makes two posts for two identical inits: the platform does not deduplicate', async () => {
      const { user, source } = newAccount();
      const urls = await slideUrls(2);
      const request = { postInfo: { title: 'Same', privacy_level: 'SELF_ONLY' as const }, photoUrls: urls };
      const first = await client.initPhotoPost(source, request);
      const second = await client.initPhotoPost(source, request);
      expect(first.publish_id).not.toBe(second.publish_id);
      const posts = emulator.listPosts().filter((post) => post.openId === user.openId);
      expect(posts).toHaveLength(2);
      expect(posts[0]!.request).toEqual(posts[1]!.request);
      emulator.clock.advance(3_000);
      const titles = (await client.listVideos(source, { maxCount: 5 })).videos.filter((v) => v.title === 'Same');
      expect(titles).toHaveLength(2);
    });

    it('hits the daily post cap: spam_risk_too_many_posts (HTTP 200 on creator_info, 403 on init)', async () => {
      const capped = new TikTokEmulator({ dailyPostCap: 1 });
      const baseUrl = await capped.start();
      try {
        const cappedClient = createTikTokClient({
          clientKey: capped.clientKey,
          clientSecret: capped.clientSecret,
          authBaseUrl: baseUrl,
          apiBaseUrl: baseUrl,
        });
        const user = capped.createUser();
        const source = staticAccessToken(capped.issueTokens(user.openId).access_token);
        const video = { source: 'PULL_FROM_URL' as const, videoUrl: 'https://cdn.example/v.mp4' };
        await cappedClient.initVideo(source, { postInfo: { privacy_level: 'SELF_ONLY' }, source: video });
        const info = await caught(cappedClient.creatorInfo(source));
        expect(info).toMatchObject({ status: 200, code: 'spam_risk_too_many_posts', category: 'REJECTED_BY_PLATFORM' });
        const init = await caught(
          cappedClient.initVideo(source, { postInfo: { privacy_level: 'SELF_ONLY' }, source: video }),
        );
        expect(init).toMatchObject({ status: 403, code: 'spam_risk_too_many_posts' });
      } finally {
        await capped.stop();
      }
    });
  });

  describe('failures, retries and classification', () => {
    it('waits out a 429 with Retry-After, then succeeds', async () => {
      const { source } = newAccount();
      emulator.server.inject(
        { pathPrefix: '/v2/user/info/' },
        { kind: 'status', status: 429, code: 'rate_limit_exceeded', retryAfterSeconds: 7 },
      );
      const info = await client.userInfo(source);
      expect(info.open_id).toBeTruthy();
      expect(slept).toEqual([7000]);
    });

    it('on a 429 without Retry-After backs off, and reports RATE_LIMITED when the window has not freed', async () => {
      const { source } = newAccount();
      const request = { postInfo: { privacy_level: 'SELF_ONLY' as const }, photoUrls: ['https://cdn.example/a.jpg'] };
      for (let i = 0; i < 6; i++) await client.initPhotoPost(source, request);
      const posts = emulator.listPosts().length;
      const error = await caught(client.initPhotoPost(source, request));
      expect(error).toMatchObject({ category: 'RATE_LIMITED', status: 429, code: 'rate_limit_exceeded' });
      expect(error.retryAfterMs).toBeUndefined();
      // A 429 means nothing was made, so even an init is retried: 3 backoffs, then the workflow waits.
      expect(slept).toEqual([500, 1000, 2000]);
      expect(emulator.listPosts().length).toBe(posts);
    });

    it('uses the emulator Retry-After for its own rate limit when configured', async () => {
      const limited = new TikTokEmulator({ rateLimitRetryAfter: true });
      const baseUrl = await limited.start();
      const waits: number[] = [];
      try {
        const limitedClient = createTikTokClient({
          clientKey: limited.clientKey,
          clientSecret: limited.clientSecret,
          authBaseUrl: baseUrl,
          apiBaseUrl: baseUrl,
          http: {
            maxRetryWaitMs: 120_000,
            sleep: (ms) => {
              waits.push(ms);
              limited.clock.advance(ms);
              return Promise.resolve();
            },
          },
        });
        const user = limited.createUser();
        const source = staticAccessToken(limited.issueTokens(user.openId).access_token);
        for (let i = 0; i < 21; i++) await limitedClient.creatorInfo(source);
        expect(waits).toHaveLength(1);
        expect(waits[0]).toBeGreaterThan(50_000);
        expect(waits[0]).toBeLessThanOrEqual(60_000);
      } finally {
        await limited.stop();
      }
    });

    it('retries a read after a 5xx or a timeout, but never an init', async () => {
      const { user, source } = newAccount();
      emulator.server.inject({ pathPrefix: '/v2/user/info/' }, { kind: 'status', status: 503 });
      emulator.server.inject({ pathPrefix: '/v2/user/info/' }, { kind: 'timeout' });
      expect((await client.userInfo(source)).open_id).toBe(user.openId);
      expect(slept).toEqual([500, 1000]);

      slept.length = 0;
      emulator.server.inject({ pathPrefix: '/v2/post/publish/content/init/' }, { kind: 'status', status: 500 });
      const error = await caught(
        client.initPhotoPost(source, {
          postInfo: { privacy_level: 'SELF_ONLY' },
          photoUrls: ['https://x.example/a.jpg'],
        }),
      );
      expect(error.category).toBe('OUTCOME_UNKNOWN');
      expect(slept).toEqual([]);
    });

    it('reports OUTCOME_UNKNOWN when the answer to an init is lost after the post was made', async () => {
      const { user, source } = newAccount();
      emulator.server.inject({ pathPrefix: '/v2/post/publish/video/init/' }, { kind: 'lost-response' });
      const error = await caught(
        client.initVideo(source, {
          postInfo: { privacy_level: 'SELF_ONLY' },
          source: { source: 'PULL_FROM_URL', videoUrl: 'https://cdn.example/v.mp4' },
        }),
      );
      expect(error.category).toBe('OUTCOME_UNKNOWN');
      // The post exists although the client never heard of it: the workflow must look for it.
      expect(emulator.listPosts().filter((post) => post.openId === user.openId)).toHaveLength(1);
    });

    it('never puts a token in an error message', async () => {
      const { tokens } = newAccount();
      emulator.server.inject({ pathPrefix: '/v2/user/info/' }, { kind: 'status', status: 400, code: 'invalid_params' });
      const error = await caught(client.userInfo(staticAccessToken(tokens.access_token)));
      const refreshError = await caught(client.refresh('rft.not-a-real-token'));
      for (const failure of [error, refreshError]) {
        expect(JSON.stringify({ ...failure, message: failure.message })).not.toContain(tokens.access_token);
        expect(failure.message).not.toContain('rft.not-a-real-token');
      }
    });
  });

  describe('stored accounts', () => {
    let database: TestDatabase;
    let db: Database;
    beforeAll(async () => {
      database = await createTestDatabase();
      db = createPrismaClient({ databaseUrl: database.url });
    });
    afterAll(async () => {
      await db.$disconnect();
      await database.drop();
    });

    async function storedAccount(vault = testVault()) {
      const tenant = await seedTenant(db);
      const user = emulator.createUser();
      const issued = emulator.issueTokens(user.openId);
      const tokens = await client.refresh(issued.refresh_token);
      const account = await saveConnectedAccount(db, vault, {
        organizationId: tenant.organizationId,
        brandId: tenant.brandId,
        platform: 'TIKTOK',
        platformAccountId: user.openId,
        displayName: user.displayName,
        tokens,
      });
      return { vault, account, tokens, user };
    }

    const readRefreshToken = async (vault: ReturnType<typeof testVault>, id: string) => {
      const row = await db.socialAccount.findUniqueOrThrow({ where: { id } });
      return vault.decrypt(row.tokenKeyId!, row.refreshTokenCiphertext!, socialAccountTokenContext(row, 'refresh'));
    };

    it('refreshes an expired token, persists the rotated refresh token, and retries the call', async () => {
      const { vault, account, tokens, user } = await storedAccount();
      const source = createAccountTokenSource({
        db,
        vault,
        accountId: account.id,
        refresh: (refreshToken) => client.refresh(refreshToken),
        // Expiry as the platform decides it, not ahead of time: the 401 path is what is tested.
        refreshMarginMs: -Infinity,
      });
      emulator.clock.advance(2 * 3600_000 + 1);
      expect(emulator.isAccessTokenValid(tokens.accessToken)).toBe(false);
      const refreshesBefore = emulator.calls.refreshes;

      const info = await client.userInfo(source);
      expect(info.open_id).toBe(user.openId);
      expect(emulator.calls.refreshes).toBe(refreshesBefore + 1);
      const stored = await readRefreshToken(vault, account.id);
      expect(stored).not.toBe(tokens.refreshToken);
      expect(emulator.isRefreshTokenValid(stored)).toBe(true);
      expect(emulator.isRefreshTokenValid(tokens.refreshToken)).toBe(false);

      // The next call uses the stored new token without refreshing again.
      await client.userInfo(source);
      expect(emulator.calls.refreshes).toBe(refreshesBefore + 1);
    });

    it('refreshes once when several callers find the token expired at the same time', async () => {
      const { vault, account } = await storedAccount();
      const source = () =>
        createAccountTokenSource({
          db,
          vault,
          accountId: account.id,
          refresh: (refreshToken) => client.refresh(refreshToken),
          refreshMarginMs: -Infinity,
        });
      emulator.clock.advance(2 * 3600_000 + 1);
      const before = emulator.calls.refreshes;
      const results = await Promise.all([1, 2, 3, 4].map(() => client.userInfo(source())));
      expect(results.every((info) => info.open_id)).toBe(true);
      expect(emulator.calls.refreshes).toBe(before + 1);
    });

    it('marks the account TOKEN_EXPIRED when the refresh token itself is refused', async () => {
      const { vault, account, tokens } = await storedAccount();
      await client.revoke(tokens.accessToken);
      const source = createAccountTokenSource({
        db,
        vault,
        accountId: account.id,
        refresh: (refreshToken) => client.refresh(refreshToken),
      });
      const error = await caught(client.userInfo(source));
      expect(error).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: 'invalid_grant' });
      const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.id } });
      expect(row.status).toBe('TOKEN_EXPIRED');
      expect(row.lastError).toContain('invalid_grant');
    });

    it('disconnect revokes at the platform and erases the secrets', async () => {
      const { vault, account, tokens } = await storedAccount();
      await disconnectAccount({ db, vault, revoke: (token) => client.revoke(token) }, account.id);
      expect(emulator.isAccessTokenValid(tokens.accessToken)).toBe(false);
      expect(emulator.isRefreshTokenValid(tokens.refreshToken)).toBe(false);
      const row = await db.socialAccount.findUniqueOrThrow({ where: { id: account.id } });
      expect(row).toMatchObject({
        status: 'DISCONNECTED',
        accessTokenCiphertext: null,
        refreshTokenCiphertext: null,
        tokenKeyId: null,
      });
      expect(
        isPlatformError(await caught(client.userInfo(staticAccessToken(tokens.accessToken))), 'TOKEN_EXPIRED'),
      ).toBe(true);
    });
  });
});
