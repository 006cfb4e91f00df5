import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { createVault, parseKeyRing, oauthStateContext, socialAccountTokenContext } from '@pressroom/db/vault';
import {
  FacebookEmulator,
  GoogleOAuthEmulator,
  TelegramEmulator,
  VkEmulator,
  YouTubeEmulator,
} from '@pressroom/workflows/emulators';
import { createAccountTokenSource, facebook, telegram, vk, youtube } from '@pressroom/workflows/platforms';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectRoutes } from '../src/routes/connect.js';
import { decodeGlobalId } from '../src/schema/ids.js';

const rowId = (globalId: string) => decodeGlobalId(globalId).id;

describe('connect routes for Meta (Facebook Pages and Instagram), YouTube, VK and Telegram', () => {
  let database: TestDatabase;
  let db: Database;
  let server: Server;
  let apiUrl: string;
  const fb = new FacebookEmulator();
  const yt = new YouTubeEmulator();
  const google = new GoogleOAuthEmulator(yt);
  const vkEmulator = new VkEmulator();
  const tg = new TelegramEmulator();
  let fbClient: facebook.FacebookClient;
  let googleClient: youtube.GoogleOAuthClient;
  let vkClient: vk.VkClient;
  const vault = createVault(parseKeyRing(`k1:${randomBytes(32).toString('base64')}`));
  let tenant: { userId: string; organizationId: string; brandId: string };
  let otherMemberId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url });
    const fbUrl = await fb.start();
    const ytUrl = await yt.start();
    const vkUrl = await vkEmulator.start();
    const tgUrl = await tg.start();
    fbClient = facebook.createFacebookClient({
      graphBaseUrl: fbUrl,
      dialogBaseUrl: fbUrl,
      appId: fb.appId,
      appSecret: fb.appSecret,
    });
    googleClient = youtube.createGoogleOAuthClient({
      clientId: google.clientId,
      clientSecret: google.clientSecret,
      authBaseUrl: ytUrl,
      tokenBaseUrl: ytUrl,
      apiBaseUrl: ytUrl,
      now: () => yt.clock.now(),
    });
    vkClient = vk.createVkClient({
      apiBaseUrl: vkUrl,
      idBaseUrl: vkUrl,
      clientId: vkEmulator.clientId,
      now: () => vkEmulator.clock.now(),
    });

    const owner = await db.user.create({ data: { email: 'owner@networks.test', name: 'Owner', passwordHash: 'x' } });
    const other = await db.user.create({ data: { email: 'editor@networks.test', name: 'Ed', passwordHash: 'x' } });
    otherMemberId = other.id;
    const org = await db.organization.create({
      data: {
        name: 'Acme',
        slug: 'acme-networks',
        memberships: {
          create: [
            { userId: owner.id, role: 'OWNER' },
            { userId: other.id, role: 'ADMIN' },
          ],
        },
      },
    });
    const brand = await db.brand.create({ data: { organizationId: org.id, name: 'Acme', slug: 'acme' } });
    tenant = { userId: owner.id, organizationId: org.id, brandId: brand.id };

    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const meta = facebook.metaConnector(fbClient);
    const routes = createConnectRoutes({
      db,
      vault,
      connectors: {
        facebook: meta,
        instagram: meta,
        youtube: youtube.youtubeConnector(googleClient),
        vk: vk.vkConnector(vkClient),
      },
      telegram: {
        serverBotToken: tg.botToken,
        verify: (params) => telegram.verifyTelegramChannel({ ...params, baseUrl: tgUrl }),
      },
      publicBaseUrl: apiUrl,
      resolveActor: async (req, organizationId) => {
        const userId = req.headers['x-test-user'];
        if (typeof userId !== 'string') return 'unauthenticated';
        if (!organizationId) return null;
        const member = await db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } } });
        return member ? { userId } : null;
      },
    });
    server.on('request', (req, res) => {
      void routes(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await Promise.all([fb.stop(), yt.stop(), vkEmulator.stop(), tg.stop()]);
    await db.$disconnect();
    await database.drop();
  });

  const as = (userId = tenant.userId) => ({ 'x-test-user': userId });

  /**
   * Starts a connect, checks the state and the S256 challenge against what the api stored,
   * walks the emulator's consent and returns the callback with the browser's cookie.
   */
  async function begin(name: string) {
    const started = await fetch(`${apiUrl}/connect/${name}?brandId=${tenant.brandId}`, {
      headers: as(),
      redirect: 'manual',
    });
    expect(started.status).toBe(302);
    const consentUrl = new URL(started.headers.get('location')!);
    const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
    const state = consentUrl.searchParams.get('state')!;
    expect(cookie).toBe(`pressroom_connect=${state}`);
    const stateHash = createHash('sha256').update(state).digest('hex');
    const pending = await db.oAuthState.findUniqueOrThrow({ where: { stateHash } });
    const verifier = vault.decrypt(pending.tokenKeyId, pending.codeVerifierCiphertext, oauthStateContext(pending));
    expect(consentUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(consentUrl.searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(verifier).digest('base64url'),
    );
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(`${apiUrl}/connect/${name}/callback`);
    const consent = await fetch(consentUrl, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    return { consentUrl, cookie, callback: new URL(consent.headers.get('location')!), stateHash };
  }

  const follow = (url: URL | string, cookie?: string, init: RequestInit = {}) =>
    fetch(url, {
      ...init,
      headers: { accept: 'application/json', ...as(), ...(cookie ? { cookie } : {}), ...init.headers },
      redirect: 'manual',
    });

  const choose = (name: string, cookie: string | undefined, accounts: string[], userId = tenant.userId) =>
    follow(`${apiUrl}/connect/${name}/choose`, cookie, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as(userId) },
      body: JSON.stringify({ accounts }),
    });

  const disconnect = (accountId: string) =>
    fetch(`${apiUrl}/connect/accounts/${accountId}/disconnect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as() },
      body: '{}',
    });

  /** The stored tokens, decrypted, after checking the raw row holds none of them in plain text. */
  async function storedTokens(accountId: string) {
    const account = await db.socialAccount.findUniqueOrThrow({ where: { id: accountId } });
    const access = vault.decrypt(
      account.tokenKeyId!,
      account.accessTokenCiphertext!,
      socialAccountTokenContext(account, 'access'),
    );
    const refresh = account.refreshTokenCiphertext
      ? vault.decrypt(
          account.tokenKeyId!,
          account.refreshTokenCiphertext,
          socialAccountTokenContext(account, 'refresh'),
        )
      : undefined;
    const raw = new pg.Client({ connectionString: database.url });
    await raw.connect();
    try {
      const { rows } = await raw.query<{ everything: string }>(
        'SELECT row_to_json(a)::text AS everything FROM "SocialAccount" a WHERE id = $1',
        [accountId],
      );
      const everything = rows[0]!.everything;
      for (const secret of [access, refresh].filter((value): value is string => !!value)) {
        expect(everything).not.toContain(secret);
        expect(everything).not.toContain(Buffer.from(secret).toString('hex'));
      }
    } finally {
      await raw.end();
    }
    return { account, access, refresh };
  }

  it('Meta: pages and their Instagram accounts are chosen after consent, each stored with its page token', async () => {
    const person = fb.createUser({ name: 'Page Admin', pages: 2 });
    fb.consentingUserId = person.id;
    const { cookie, callback, consentUrl } = await begin('facebook');
    expect(consentUrl.pathname).toBe('/v21.0/dialog/oauth');
    expect(consentUrl.searchParams.get('scope')).toContain('pages_manage_posts');

    const answered = await follow(callback, cookie);
    expect(answered.status).toBe(200);
    const { choose: choices } = (await answered.json()) as { choose: Array<{ id: string; platform: string }> };
    const [page1, page2] = person.pageIds.map((id) => fb.pages.get(id)!);
    expect(choices.map((c) => c.id)).toEqual([
      `FACEBOOK:${page1!.id}`,
      `INSTAGRAM:${page1!.igUserId}`,
      `FACEBOOK:${page2!.id}`,
    ]);
    // Exchanged for a long-lived user token; nothing is stored until the person chooses.
    expect(fb.calls.longLivedExchanges).toBe(1);
    expect(await db.socialAccount.count({ where: { organizationId: tenant.organizationId } })).toBe(0);

    // The list is readable by the person who started, in that browser only.
    expect((await follow(`${apiUrl}/connect/facebook/choose`, cookie)).status).toBe(200);
    expect((await follow(`${apiUrl}/connect/facebook/choose`)).status).toBe(400);
    expect((await choose('facebook', cookie, [`FACEBOOK:${page1!.id}`], otherMemberId)).status).toBe(400);
    expect((await choose('facebook', cookie, ['FACEBOOK:not-offered'])).status).toBe(400);

    const chosen = await choose('facebook', cookie, [`FACEBOOK:${page1!.id}`, `INSTAGRAM:${page1!.igUserId}`]);
    expect(chosen.status).toBe(200);
    const { connected } = (await chosen.json()) as { connected: Array<{ platform: string; accountId: string }> };
    expect(connected.map((c) => c.platform)).toEqual(['facebook', 'instagram']);
    // Single use.
    expect((await choose('facebook', cookie, [`FACEBOOK:${page2!.id}`])).status).toBe(400);

    const page = await storedTokens(rowId(connected[0]!.accountId));
    const ig = await storedTokens(rowId(connected[1]!.accountId));
    expect(page.account).toMatchObject({
      platform: 'FACEBOOK',
      platformAccountId: page1!.id,
      status: 'ACTIVE',
      displayName: 'Emulated Page 1',
    });
    expect(ig.account).toMatchObject({
      platform: 'INSTAGRAM',
      platformAccountId: page1!.igUserId,
      username: page1!.igUsername,
    });
    // The page token posts as the page; the stored refresh token is the long-lived user token.
    const postId = await fbClient.createFeedPost({ accessToken: () => Promise.resolve(page.access) }, page1!.id, {
      message: 'connected',
    });
    expect(fb.posts.find((post) => post.id === postId)).toBeDefined();
    expect(page.refresh).toBe(ig.refresh);
    expect(page.refresh).not.toBe(page.access);

    // The page token dies: the token source derives a new one from the user token, once.
    fb.expireToken(page.access);
    const source = createAccountTokenSource({
      db,
      vault,
      accountId: page.account.id,
      refresh: facebook.metaRefresh(fbClient, page.account),
    });
    await fbClient.createFeedPost(source, page1!.id, { message: 'after refresh' });
    expect((await storedTokens(page.account.id)).access).not.toBe(page.access);

    // Disconnecting the page keeps the grant for the Instagram account; the last one revokes it.
    expect((await disconnect(connected[0]!.accountId)).status).toBe(200);
    expect(fb.calls.revocations).toBe(0);
    expect(await db.socialAccount.findUniqueOrThrow({ where: { id: page.account.id } })).toMatchObject({
      status: 'DISCONNECTED',
      accessTokenCiphertext: null,
      refreshTokenCiphertext: null,
    });
    expect((await disconnect(connected[1]!.accountId)).status).toBe(200);
    expect(fb.calls.revocations).toBe(1);
    expect(fb.users.get(person.id)!.granted).toBe(false);
  });

  it('Meta: a grant that dies marks the account to be connected again', async () => {
    const person = fb.createUser({ pages: 1, instagram: false });
    fb.consentingUserId = person.id;
    const { cookie, callback } = await begin('facebook');
    await follow(callback, cookie);
    const chosen = (await (await choose('facebook', cookie, [`FACEBOOK:${person.pageIds[0]}`])).json()) as {
      connected: Array<{ accountId: string }>;
    };
    const { account, access, refresh } = await storedTokens(rowId(chosen.connected[0]!.accountId));
    // The person removes the app on Facebook: the page token and the user token both die.
    await fbClient.revoke(refresh!);
    const source = createAccountTokenSource({
      db,
      vault,
      accountId: account.id,
      refresh: facebook.metaRefresh(fbClient, account),
    });
    await expect(fbClient.pageStats(source, person.pageIds[0]!)).rejects.toMatchObject({
      category: 'REJECTED_BY_PLATFORM',
      code: '190/458',
    });
    // The stored page token was the one refused.
    expect(await fbClient.me(access).catch((error: { category?: string }) => error.category)).toBe('TOKEN_EXPIRED');
    expect(await db.socialAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({
      status: 'TOKEN_EXPIRED',
    });
  });

  it('refuses a callback whose state is not this browser’s, and a declined consent', async () => {
    const { cookie, callback } = await begin('youtube');
    const exchanges = google.calls.codeExchanges;
    const forged = new URL(callback);
    forged.searchParams.set('state', randomBytes(32).toString('base64url'));
    expect(await (await follow(forged, cookie)).json()).toEqual({ error: 'invalid_state' });
    expect((await follow(callback)).status).toBe(400);
    expect(google.calls.codeExchanges).toBe(exchanges);

    google.declineNextConsent();
    const declined = await begin('youtube');
    const answer = await follow(declined.callback, declined.cookie);
    expect(await answer.json()).toEqual({ error: 'access_denied' });
    expect(google.calls.codeExchanges).toBe(exchanges);
  });

  it.each([
    ['facebook', () => fb.server.requests.filter((r) => r.path.endsWith('/oauth/access_token')).length],
    ['vk', () => vkEmulator.server.requests.filter((r) => r.method === 'POST' && r.path === '/oauth2/auth').length],
  ] as const)(
    '%s: a callback whose state is not this browser’s is refused before any code exchange',
    async (name, exchanges) => {
      const accounts = await db.socialAccount.count();
      const { cookie, callback } = await begin(name);
      const before = exchanges();
      const forged = new URL(callback);
      forged.searchParams.set('state', randomBytes(32).toString('base64url'));
      expect(await (await follow(forged, cookie)).json()).toEqual({ error: 'invalid_state' });
      // The right state without the browser's cookie is refused too.
      expect((await follow(callback)).status).toBe(400);
      expect(exchanges()).toBe(before);
      expect(await db.socialAccount.count()).toBe(accounts);
    },
  );

  it('YouTube: Google OAuth with PKCE and offline access; refresh keeps the refresh token; disconnect revokes', async () => {
    const channel = google.createChannel('Acme Coffee TV');
    google.consentingChannelId = channel.id;
    const { consentUrl, cookie, callback } = await begin('youtube');
    expect(consentUrl.pathname).toBe('/o/oauth2/v2/auth');
    expect(consentUrl.searchParams.get('access_type')).toBe('offline');
    expect(consentUrl.searchParams.get('scope')).toContain('youtube.upload');
    const done = await follow(callback, cookie);
    expect(done.status).toBe(200);
    const { accountId } = (await done.json()) as { accountId: string };
    const { account, refresh } = await storedTokens(rowId(accountId));
    expect(account).toMatchObject({
      platform: 'YOUTUBE',
      platformAccountId: channel.id,
      displayName: 'Acme Coffee TV',
    });
    expect(account.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now());

    // An hour on, the access token has expired: one refresh, and the refresh token stays.
    yt.clock.advance(3600_000);
    const source = createAccountTokenSource({
      db,
      vault,
      accountId: account.id,
      now: () => yt.clock.now(),
      refresh: (token) => googleClient.refresh(token),
    });
    const refreshes = google.calls.refreshes;
    const fresh = await source.accessToken();
    expect(google.calls.refreshes).toBe(refreshes + 1);
    expect((await googleClient.myChannel(fresh)).id).toBe(channel.id);
    expect((await storedTokens(account.id)).refresh).toBe(refresh);

    expect((await disconnect(accountId)).status).toBe(200);
    expect(google.calls.revocations).toBe(1);
    await expect(googleClient.refresh(refresh!)).rejects.toMatchObject({
      code: 'invalid_grant',
      category: 'REJECTED_BY_PLATFORM',
    });
  });

  it('VK: VK ID with PKCE and device_id; one community per consent; rotating refresh; disconnect revokes', async () => {
    const person = vkEmulator.createUser({ groups: 2 });
    vkEmulator.consentingUserId = person.id;
    const { consentUrl, cookie, callback } = await begin('vk');
    expect(consentUrl.pathname).toBe('/authorize');
    expect(callback.searchParams.get('device_id')).toBeTruthy();
    const answered = await follow(callback, cookie);
    const listed = (await answered.json()) as { choose: Array<{ id: string }>; maxChoices: number };
    expect(listed.choose.map((c) => c.id)).toEqual(person.groupIds.map((id) => `VK:${id}`));
    expect(listed.maxChoices).toBe(1);
    const both = await choose(
      'vk',
      cookie,
      listed.choose.map((c) => c.id),
    );
    expect(await both.json()).toEqual({ error: 'too_many_accounts', maxChoices: 1 });
    const one = (await (await choose('vk', cookie, [`VK:${person.groupIds[1]}`])).json()) as {
      connected: Array<{ accountId: string }>;
    };
    const { account, refresh } = await storedTokens(rowId(one.connected[0]!.accountId));
    expect(account).toMatchObject({
      platform: 'VK',
      platformAccountId: String(person.groupIds[1]),
      displayName: 'Emulated Community 2',
    });
    expect(refresh).toMatch(/^\S+ vk1\.r\./);

    vkEmulator.clock.advance(3600_000);
    const source = createAccountTokenSource({
      db,
      vault,
      accountId: account.id,
      now: () => vkEmulator.clock.now(),
      refresh: vk.vkRefresh(vkClient),
    });
    const postId = await vkClient.wallPost(source, String(person.groupIds[1]), { message: 'connected' });
    expect(vkEmulator.posts.find((post) => post.id === postId && post.groupId === person.groupIds[1])).toBeDefined();
    const rotated = (await storedTokens(account.id)).refresh!;
    expect(rotated).not.toBe(refresh);
    expect(vkEmulator.calls.refreshes).toBe(1);

    expect((await disconnect(one.connected[0]!.accountId)).status).toBe(200);
    expect(vkEmulator.calls.revocations).toBe(1);
    await expect(vk.vkRefresh(vkClient)(rotated)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('Telegram: a channel the bot administers is verified and stored; another is refused', async () => {
    const post = (body: Record<string, unknown>) =>
      fetch(`${apiUrl}/connect/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...as() },
        body: JSON.stringify({ brandId: tenant.brandId, ...body }),
      });
    const channel = tg.createChannel({ title: 'Acme News', username: 'acme_news' });
    const notAdmin = await post({ chat: '@acme_news' });
    expect(notAdmin.status).toBe(400);
    expect(await notAdmin.json()).toMatchObject({ error: 'verification_failed', reason: 'bot_not_admin' });

    const own = tg.createBot();
    channel.admins.set(own.id, false);
    expect(await (await post({ chat: String(channel.id), botToken: own.token })).json()).toMatchObject({
      reason: 'bot_cannot_post',
    });
    channel.admins.set(own.id, true);
    const ok = await post({ chat: '@acme_news', botToken: own.token });
    expect(ok.status).toBe(200);
    const { accountId } = (await ok.json()) as { accountId: string };
    const { account, access } = await storedTokens(rowId(accountId));
    expect(account).toMatchObject({
      platform: 'TELEGRAM',
      platformAccountId: String(channel.id),
      displayName: 'Acme News',
      scopes: ['bot:own'],
    });
    expect(access).toBe(own.token);

    // With the server's bot as an administrator, no token is needed.
    const second = tg.createChannel({ title: 'Acme Deals', adminBots: [{ id: tg.serverBotId }] });
    const viaServer = await post({ chat: String(second.id) });
    expect(viaServer.status).toBe(200);
    expect((await post({ chat: 'not a chat' })).status).toBe(400);
    expect((await post({ chat: '@acme_news', botToken: '1:wrong' })).status).toBe(400);
    expect(
      (
        await fetch(`${apiUrl}/connect/telegram`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);

    expect((await disconnect(accountId)).status).toBe(200);
    expect(await db.socialAccount.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({
      status: 'DISCONNECTED',
      accessTokenCiphertext: null,
    });
  });
});
