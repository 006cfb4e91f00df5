import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { createVault, parseKeyRing, oauthStateContext, socialAccountTokenContext } from '@pressroom/db/vault';
import { TikTokEmulator } from '@pressroom/workflows/emulators';
import { createAccountTokenSource, tiktok } from '@pressroom/workflows/platforms';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectRoutes } from '../src/routes/connect.js';
import { decodeGlobalId, encodeGlobalId } from '../src/schema/ids.js';

/** The row id behind a global id the routes answer with. */
const rowId = (globalId: string) => decodeGlobalId(globalId).id;

describe('connect routes (TikTok, against the emulator)', () => {
  let database: TestDatabase;
  let db: Database;
  let emulator: TikTokEmulator;
  let client: tiktok.TikTokClient;
  let server: Server;
  let apiUrl: string;
  const vault = createVault(parseKeyRing(`k1:${randomBytes(32).toString('base64')}`));
  let tenant: { userId: string; organizationId: string; brandId: string };
  let outsiderId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url });
    emulator = new TikTokEmulator();
    const emulatorUrl = await emulator.start();
    client = tiktok.createTikTokClient({
      clientKey: emulator.clientKey,
      clientSecret: emulator.clientSecret,
      authBaseUrl: emulatorUrl,
      apiBaseUrl: emulatorUrl,
    });

    const owner = await db.user.create({ data: { email: 'owner@connect.test', name: 'Owner', passwordHash: 'x' } });
    const outsider = await db.user.create({ data: { email: 'out@connect.test', name: 'Out', passwordHash: 'x' } });
    outsiderId = outsider.id;
    const org = await db.organization.create({
      data: { name: 'Acme', slug: 'acme-connect', memberships: { create: { userId: owner.id, role: 'OWNER' } } },
    });
    const brand = await db.brand.create({ data: { organizationId: org.id, name: 'Acme', slug: 'acme' } });
    tenant = { userId: owner.id, organizationId: org.id, brandId: brand.id };

    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // Stands in for session auth: the acting user comes from a header, and must be a member.
    const routes = createConnectRoutes({
      db,
      vault,
      connectors: { tiktok: tiktok.tiktokConnector(client) },
      publicBaseUrl: apiUrl,
      resolveActor: async (req, organizationId) => {
        const userId = req.headers['x-test-user'];
        if (typeof userId !== 'string') return 'unauthenticated';
        if (!organizationId) return null;
        const member = await db.membership.findUnique({
          where: { organizationId_userId: { organizationId, userId } },
        });
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
    await emulator.stop();
    await db.$disconnect();
    await database.drop();
  });

  /** Starts a connect as the owner and walks through the emulator's consent page. */
  async function begin(userId = tenant.userId) {
    const started = await fetch(`${apiUrl}/connect/tiktok?brandId=${tenant.brandId}`, {
      headers: { 'x-test-user': userId },
      redirect: 'manual',
    });
    expect(started.status).toBe(302);
    const consentUrl = new URL(started.headers.get('location')!);
    const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
    const consent = await fetch(consentUrl, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location')!);
    return { consentUrl, cookie, callback };
  }

  /** The callback as an API client (JSON) sees it. */
  const follow = (callback: URL, cookie?: string) =>
    fetch(callback, {
      headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
      redirect: 'manual',
    });

  it('redirects to the consent page with state and an S256 PKCE challenge, then stores the account encrypted', async () => {
    const user = emulator.createUser({ displayName: 'Acme on TikTok' });
    emulator.consentingOpenId = user.openId;
    const { consentUrl, cookie, callback } = await begin();
    expect(consentUrl.pathname).toBe('/v2/auth/authorize/');
    expect(consentUrl.searchParams.get('code_challenge_method')).toBe('S256');
    // TikTok's S256 challenge is hex-encoded.
    expect(consentUrl.searchParams.get('code_challenge')).toMatch(/^[0-9a-f]{64}$/);
    expect(consentUrl.searchParams.get('redirect_uri')).toBe(`${apiUrl}/connect/tiktok/callback`);
    expect(consentUrl.searchParams.get('scope')).toContain('video.publish');
    // The state is stored hashed only.
    const state = consentUrl.searchParams.get('state')!;
    expect(await db.oAuthState.count({ where: { stateHash: state } })).toBe(0);

    const done = await follow(callback, cookie);
    const body = (await done.json()) as { accountId: string; connected: string };
    expect(done.status).toBe(200);
    expect(body.connected).toBe('tiktok');

    const account = await db.socialAccount.findUniqueOrThrow({ where: { id: rowId(body.accountId) } });
    expect(account).toMatchObject({
      platform: 'TIKTOK',
      platformAccountId: user.openId,
      displayName: 'Acme on TikTok',
      status: 'ACTIVE',
      connectedById: tenant.userId,
      brandId: tenant.brandId,
      tokenKeyId: 'k1',
    });
    expect(account.scopes).toContain('video.publish');

    // The raw row, read with SQL, holds ciphertext only.
    const access = vault.decrypt('k1', account.accessTokenCiphertext!, socialAccountTokenContext(account, 'access'));
    const refresh = vault.decrypt('k1', account.refreshTokenCiphertext!, socialAccountTokenContext(account, 'refresh'));
    expect(emulator.isAccessTokenValid(access)).toBe(true);
    const raw = new pg.Client({ connectionString: database.url });
    await raw.connect();
    try {
      const { rows } = await raw.query<Record<string, unknown>>(
        'SELECT *, row_to_json(a)::text AS everything FROM "SocialAccount" a WHERE id = $1',
        [account.id],
      );
      const row = rows[0]!;
      expect(String(row.everything)).not.toContain(access);
      expect(String(row.everything)).not.toContain(refresh);
      for (const value of Object.values(row)) {
        if (Buffer.isBuffer(value)) {
          expect(value.includes(Buffer.from(access))).toBe(false);
          expect(value.includes(Buffer.from(refresh))).toBe(false);
        }
      }
    } finally {
      await raw.end();
    }

    // The stored account works against the platform.
    const source = createAccountTokenSource({
      db,
      vault,
      accountId: account.id,
      refresh: (token) => client.refresh(token),
    });
    expect((await client.userInfo(source)).open_id).toBe(user.openId);
  });

  it('refuses a callback whose state does not match (no code exchange happens)', async () => {
    const { cookie, callback } = await begin();
    const exchanges = emulator.calls.tokenExchanges;
    const forged = new URL(callback);
    forged.searchParams.set('state', randomBytes(32).toString('base64url'));
    const withForgedState = await follow(forged, cookie);
    expect(withForgedState.status).toBe(400);
    expect(await withForgedState.json()).toEqual({ error: 'invalid_state' });

    // Right state, but another browser (no cookie): refused too.
    const noCookie = await follow(callback);
    expect(noCookie.status).toBe(400);
    expect(emulator.calls.tokenExchanges).toBe(exchanges);

    // The real one still works once, and only once.
    expect((await follow(callback, cookie)).status).toBe(200);
    const replay = await follow(callback, cookie);
    expect(replay.status).toBe(400);
    expect(emulator.calls.tokenExchanges).toBe(exchanges + 1);
  });

  it('refuses a callback whose PKCE verifier does not match the challenge', async () => {
    const { consentUrl, cookie, callback } = await begin();
    const stateHash = createHash('sha256').update(consentUrl.searchParams.get('state')!).digest('hex');
    // Swap the stored verifier for another one: the platform must refuse the exchange.
    await db.oAuthState.update({
      where: { stateHash },
      data: {
        codeVerifierCiphertext: vault.encrypt(
          randomBytes(48).toString('base64url'),
          oauthStateContext({ organizationId: tenant.organizationId, stateHash }),
        ).ciphertext,
      },
    });
    const before = await db.socialAccount.count();
    const response = await follow(callback, cookie);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'exchange_failed', reason: 'invalid_grant' });
    expect(await db.socialAccount.count()).toBe(before);
  });

  it('refuses an expired state, a declined consent, and a person outside the organization', async () => {
    const { cookie, callback, consentUrl } = await begin();
    const stateHash = createHash('sha256').update(consentUrl.searchParams.get('state')!).digest('hex');
    await db.oAuthState.update({ where: { stateHash }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await follow(callback, cookie)).status).toBe(400);

    emulator.denyNextConsent();
    const denied = await begin();
    expect(denied.callback.searchParams.get('error')).toBe('access_denied');
    const deniedResponse = await follow(denied.callback, denied.cookie);
    expect(deniedResponse.status).toBe(400);
    expect(await deniedResponse.json()).toEqual({ error: 'access_denied' });

    const outsider = await fetch(`${apiUrl}/connect/tiktok?brandId=${tenant.brandId}`, {
      headers: { 'x-test-user': outsiderId },
      redirect: 'manual',
    });
    expect(outsider.status).toBe(404);
    expect(await outsider.json()).toEqual({ error: 'brand_not_found' });
  });

  it('takes the API’s global brand id, answers nobody signed in with 401, and sends a browser back to the accounts page', async () => {
    const user = emulator.createUser();
    emulator.consentingOpenId = user.openId;
    const start = (brandId: string, headers: Record<string, string>) =>
      fetch(`${apiUrl}/connect/tiktok?brandId=${encodeURIComponent(brandId)}`, { headers, redirect: 'manual' });
    const brandGid = encodeGlobalId('Brand', tenant.brandId);

    for (const brandId of [brandGid, encodeGlobalId('Brand', 'missing'), 'garbage']) {
      const anonymous = await start(brandId, {});
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: 'unauthenticated' });
    }
    // Another type's id names no brand.
    expect((await start(encodeGlobalId('Post', tenant.brandId), { 'x-test-user': tenant.userId })).status).toBe(404);

    const started = await start(brandGid, { 'x-test-user': tenant.userId });
    expect(started.status).toBe(302);
    const cookie = started.headers.get('set-cookie')!.split(';')[0]!;
    const consent = await fetch(started.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    // A browser (no JSON asked for): a redirect to the page that says what happened.
    const done = await fetch(callback, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
    expect(done.status).toBe(303);
    const landing = new URL(done.headers.get('location')!);
    expect(`${landing.origin}${landing.pathname}`).toBe(`${apiUrl}/accounts`);
    const connected = landing.searchParams.get('connected')!;
    expect(decodeGlobalId(connected).typename).toBe('SocialAccount');
    expect(await db.socialAccount.findUniqueOrThrow({ where: { id: rowId(connected) } })).toMatchObject({
      platformAccountId: user.openId,
      brandId: tenant.brandId,
    });

    // A failure lands on the same page with its code.
    const replayed = await fetch(callback, { headers: { cookie }, redirect: 'manual' });
    expect(replayed.status).toBe(303);
    expect(new URL(replayed.headers.get('location')!).searchParams.get('connectError')).toBe('invalid_state');
    expect(new URL(replayed.headers.get('location')!).searchParams.get('connected')).toBeNull();
  });

  it('disconnect revokes at the platform and erases the secrets', async () => {
    const user = emulator.createUser();
    emulator.consentingOpenId = user.openId;
    const { cookie, callback } = await begin();
    const { accountId } = (await (await follow(callback, cookie)).json()) as { accountId: string };
    const row = await db.socialAccount.findUniqueOrThrow({ where: { id: rowId(accountId) } });
    const access = vault.decrypt('k1', row.accessTokenCiphertext!, socialAccountTokenContext(row, 'access'));

    const asOutsider = await fetch(`${apiUrl}/connect/accounts/${accountId}/disconnect`, {
      method: 'POST',
      headers: { 'x-test-user': outsiderId, 'content-type': 'application/json' },
    });
    expect(asOutsider.status).toBe(404);

    const response = await fetch(`${apiUrl}/connect/accounts/${accountId}/disconnect`, {
      method: 'POST',
      headers: { 'x-test-user': tenant.userId, 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(emulator.isAccessTokenValid(access)).toBe(false);
    expect(await db.socialAccount.findUniqueOrThrow({ where: { id: rowId(accountId) } })).toMatchObject({
      status: 'DISCONNECTED',
      accessTokenCiphertext: null,
      refreshTokenCiphertext: null,
      tokenKeyId: null,
    });
  });
});
