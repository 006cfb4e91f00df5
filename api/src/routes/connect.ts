import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@pressroom/db';
import { oauthStateContext, type TokenVault } from '@pressroom/db/vault';
import {
  disconnectAccount,
  isPlatformError,
  saveConnectedAccount,
  type OAuthConnector,
} from '@pressroom/workflows/platforms';

/** Who may connect or disconnect accounts of an organization; null answers like a missing brand. */
export type ConnectActorResolver = (req: IncomingMessage, organizationId: string) => Promise<{ userId: string } | null>;

export interface ConnectRouteDependencies {
  db: Database;
  vault: TokenVault;
  /** By URL name: `/connect/tiktok` → connectors.tiktok. */
  connectors: Record<string, OAuthConnector>;
  /** The api's public origin; callbacks are `${publicBaseUrl}/connect/<platform>/callback`. */
  publicBaseUrl: string;
  resolveActor: ConnectActorResolver;
  /** Where the browser goes after the callback (`?connected=<platform>&accountId=` or `?error=`); JSON when unset. */
  completionUrl?: string;
  /** How long a person has to finish the consent screen. */
  stateTtlMs?: number;
  now?: () => number;
  logger?: { warn(details: Record<string, unknown>, message: string): void };
  /** After an account is saved (its analytics sync Schedule is made here); a failure is logged, not fatal. */
  onConnected?: (accountId: string) => Promise<void>;
  /** After an account is disconnected (its sync Schedule is removed). */
  onDisconnected?: (accountId: string) => Promise<void>;
}

const stateCookie = 'pressroom_connect';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/**
 * The OAuth connect flow as plain HTTP routes beside /graphql:
 *
 * - `GET /connect/:platform?brandId=` starts a connect: a single-use `state` (stored hashed,
 *   bound to this browser by a cookie) and a PKCE verifier (stored encrypted), then a redirect
 *   to the platform's consent page.
 * - `GET /connect/:platform/callback` checks the state and its cookie, exchanges the code
 *   with the verifier and stores the account with its tokens encrypted.
 * - `POST /connect/accounts/:id/disconnect` revokes at the platform and erases the secrets.
 *
 * Returns a handler that answers and resolves true for its own paths, false for others.
 */
export function createConnectRoutes(deps: ConnectRouteDependencies) {
  const now = deps.now ?? Date.now;
  const stateTtlMs = deps.stateTtlMs ?? 10 * 60_000;
  const secure = deps.publicBaseUrl.startsWith('https:');
  const redirectUriFor = (name: string) => new URL(`/connect/${name}/callback`, deps.publicBaseUrl).toString();
  const cookie = (value: string, maxAgeSeconds: number) =>
    [
      `${stateCookie}=${value}`,
      'Path=/connect',
      'HttpOnly',
      // Lax: the platform's redirect back is a top-level GET, which must carry the cookie.
      'SameSite=Lax',
      `Max-Age=${maxAgeSeconds}`,
      ...(secure ? ['Secure'] : []),
    ].join('; ');

  function finish(res: ServerResponse, status: number, result: Record<string, string>) {
    const clear = cookie('', 0);
    if (!deps.completionUrl) {
      json(res, status, result, { 'set-cookie': clear });
      return;
    }
    const target = new URL(deps.completionUrl);
    for (const [key, value] of Object.entries(result)) target.searchParams.set(key, value);
    res.writeHead(303, { location: target.toString(), 'set-cookie': clear, 'cache-control': 'no-store' }).end();
  }

  async function start(req: IncomingMessage, res: ServerResponse, name: string, connector: OAuthConnector, url: URL) {
    const brandId = url.searchParams.get('brandId') ?? '';
    const brand = brandId
      ? await deps.db.brand.findUnique({ where: { id: brandId }, select: { id: true, organizationId: true } })
      : null;
    const actor = brand ? await deps.resolveActor(req, brand.organizationId) : null;
    if (!brand || !actor) {
      json(res, 404, { error: 'brand_not_found' });
      return;
    }
    const state = randomBytes(32).toString('base64url');
    const verifier = randomBytes(48).toString('base64url');
    const challenge = connector.codeChallenge(verifier);
    const stateHash = sha256(state);
    const sealed = deps.vault.encrypt(verifier, oauthStateContext({ organizationId: brand.organizationId, stateHash }));
    const redirectUri = redirectUriFor(name);
    await deps.db.oAuthState.create({
      data: {
        organizationId: brand.organizationId,
        brandId: brand.id,
        userId: actor.userId,
        platform: connector.platform,
        stateHash,
        codeVerifierCiphertext: sealed.ciphertext,
        tokenKeyId: sealed.keyId,
        redirectUri,
        expiresAt: new Date(now() + stateTtlMs),
      },
    });
    const location = connector.authorizeUrl({ redirectUri, state, codeChallenge: challenge, scopes: connector.scopes });
    res
      .writeHead(302, {
        location,
        'set-cookie': cookie(state, Math.ceil(stateTtlMs / 1000)),
        'cache-control': 'no-store',
      })
      .end();
  }

  async function callback(req: IncomingMessage, res: ServerResponse, connector: OAuthConnector, url: URL) {
    const state = url.searchParams.get('state') ?? '';
    const cookieState = readCookie(req.headers.cookie, stateCookie) ?? '';
    // The state must be the one this browser started with (login CSRF), and a live one.
    if (!state || !cookieState || !sameSecret(state, cookieState)) {
      finish(res, 400, { error: 'invalid_state' });
      return;
    }
    const pending = await deps.db.oAuthState.findUnique({ where: { stateHash: sha256(state) } });
    if (!pending || pending.platform !== connector.platform || pending.expiresAt.getTime() <= now()) {
      finish(res, 400, { error: 'invalid_state' });
      return;
    }
    // Single use: whoever flips usedAt first owns this state.
    const claimed = await deps.db.oAuthState.updateMany({
      where: { id: pending.id, usedAt: null },
      data: { usedAt: new Date(now()) },
    });
    if (claimed.count !== 1) {
      finish(res, 400, { error: 'invalid_state' });
      return;
    }
    const platformError = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (platformError || !code) {
      finish(res, 400, { error: platformError ?? 'missing_code' });
      return;
    }
    const verifier = deps.vault.decrypt(
      pending.tokenKeyId,
      pending.codeVerifierCiphertext,
      oauthStateContext({ organizationId: pending.organizationId, stateHash: pending.stateHash }),
    );
    let tokens: Awaited<ReturnType<OAuthConnector['exchangeCode']>>;
    let profile: Awaited<ReturnType<OAuthConnector['profile']>>;
    try {
      tokens = await connector.exchangeCode({ code, redirectUri: pending.redirectUri, codeVerifier: verifier });
      profile = await connector.profile(tokens.accessToken);
    } catch (error) {
      if (!isPlatformError(error)) throw error;
      deps.logger?.warn({ platform: connector.platform, code: error.code, category: error.category }, 'connect failed');
      finish(res, error.category === 'REJECTED_BY_PLATFORM' ? 400 : 502, {
        error: 'exchange_failed',
        reason: error.code ?? error.category,
      });
      return;
    }
    const account = await saveConnectedAccount(deps.db, deps.vault, {
      organizationId: pending.organizationId,
      brandId: pending.brandId,
      platform: connector.platform,
      platformAccountId: tokens.platformAccountId,
      displayName: profile.displayName,
      username: profile.username,
      avatarUrl: profile.avatarUrl,
      connectedById: pending.userId,
      tokens,
    });
    await deps.onConnected?.(account.id).catch((error: Error) =>
      // The account is saved; syncAccountNow makes the Schedule later if this one failed.
      deps.logger?.warn({ accountId: account.id, err: error.message }, 'could not set up the account sync'),
    );
    finish(res, 200, { connected: connector.platform.toLowerCase(), accountId: account.id });
  }

  async function disconnect(req: IncomingMessage, res: ServerResponse, accountId: string) {
    // A JSON body type cannot be sent by a plain cross-site form: a cheap CSRF guard.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      json(res, 415, { error: 'expected application/json' });
      return;
    }
    const account = await deps.db.socialAccount.findUnique({
      where: { id: accountId },
      select: { id: true, organizationId: true, platform: true },
    });
    const actor = account ? await deps.resolveActor(req, account.organizationId) : null;
    const connector = account
      ? Object.values(deps.connectors).find((candidate) => candidate.platform === account.platform)
      : undefined;
    if (!account || !actor) {
      json(res, 404, { error: 'account_not_found' });
      return;
    }
    if (!connector) {
      json(res, 409, { error: 'platform_not_configured' });
      return;
    }
    try {
      await disconnectAccount(
        { db: deps.db, vault: deps.vault, revoke: (token) => connector.revoke(token) },
        account.id,
      );
    } catch (error) {
      if (!isPlatformError(error)) throw error;
      json(res, 502, { error: 'revoke_failed', reason: error.code ?? error.category });
      return;
    }
    await deps
      .onDisconnected?.(account.id)
      .catch((error: Error) =>
        deps.logger?.warn({ accountId: account.id, err: error.message }, 'could not remove the account sync'),
      );
    json(res, 200, { disconnected: account.id });
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', deps.publicBaseUrl);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'connect') return false;
    if (req.method === 'POST' && parts.length === 4 && parts[1] === 'accounts' && parts[3] === 'disconnect') {
      await disconnect(req, res, parts[2]!);
      return true;
    }
    const name = parts[1] ?? '';
    const connector = Object.hasOwn(deps.connectors, name) ? deps.connectors[name] : undefined;
    if (req.method !== 'GET' || !connector || parts.length > 3 || (parts.length === 3 && parts[2] !== 'callback')) {
      json(res, 404, { error: 'not_found' });
      return true;
    }
    if (parts.length === 2) await start(req, res, name, connector, url);
    else await callback(req, res, connector, url);
    return true;
  };
}
