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
import { InvalidInputError } from '../errors.js';
import { decodeGlobalId, encodeGlobalId } from '../schema/ids.js';

/**
 * Who may connect or disconnect accounts of an organization (null when there is none, e.g. the
 * brand is missing): `unauthenticated` when nobody is signed in, null (answered like a missing
 * brand) when the person may not.
 */
export type ConnectActorResolver = (
  req: IncomingMessage,
  organizationId: string | null,
) => Promise<{ userId: string } | 'unauthenticated' | null>;

export interface ConnectRouteDependencies {
  db: Database;
  vault: TokenVault;
  /** By URL name: `/connect/tiktok` → connectors.tiktok. */
  connectors: Record<string, OAuthConnector>;
  /** The api's public origin; callbacks are `${publicBaseUrl}/connect/<platform>/callback`. */
  publicBaseUrl: string;
  resolveActor: ConnectActorResolver;
  /**
   * Where the browser goes after the callback: `?connected=<account's global id>` or
   * `?connectError=<code>`; the dashboard's accounts page (`/accounts`) when unset. A client
   * that asks for JSON (Accept: application/json) gets the same outcome as JSON instead.
   */
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

/** A browser navigating asks for HTML; an API client that asks for JSON gets JSON. */
function wantsJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * The row id behind an id given in a URL: the API's global id of `typename` (what GraphQL
 * hands out), or, for links made before global ids were accepted here, a raw row id.
 */
function databaseId(given: string | null, typename: string): string | null {
  if (!given) return null;
  try {
    const decoded = decodeGlobalId(given);
    return decoded.typename === typename ? decoded.id : null;
  } catch (error) {
    if (error instanceof InvalidInputError) return given;
    throw error;
  }
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

  const completionUrl = deps.completionUrl ?? new URL('/accounts', deps.publicBaseUrl).toString();
  const unauthenticated = (res: ServerResponse) =>
    json(res, 401, { error: 'unauthenticated', message: 'Sign in to connect or disconnect accounts.' });

  type Outcome = { connected: string; platform: string } | { connectError: string; reason?: string };

  /** The end of a connect: a redirect to a page that says what happened, or JSON for API clients. */
  function finish(req: IncomingMessage, res: ServerResponse, status: number, outcome: Outcome) {
    const clear = cookie('', 0);
    if (wantsJson(req)) {
      const body =
        'connected' in outcome
          ? { connected: outcome.platform, accountId: outcome.connected }
          : { error: outcome.connectError, ...(outcome.reason ? { reason: outcome.reason } : {}) };
      json(res, status, body, { 'set-cookie': clear });
      return;
    }
    const target = new URL(completionUrl);
    if ('connected' in outcome) target.searchParams.set('connected', outcome.connected);
    else target.searchParams.set('connectError', outcome.connectError);
    res.writeHead(303, { location: target.toString(), 'set-cookie': clear, 'cache-control': 'no-store' }).end();
  }

  async function start(req: IncomingMessage, res: ServerResponse, name: string, connector: OAuthConnector, url: URL) {
    const brandId = databaseId(url.searchParams.get('brandId'), 'Brand');
    const brand = brandId
      ? await deps.db.brand.findUnique({ where: { id: brandId }, select: { id: true, organizationId: true } })
      : null;
    const actor = await deps.resolveActor(req, brand?.organizationId ?? null);
    if (actor === 'unauthenticated') {
      unauthenticated(res);
      return;
    }
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
      finish(req, res, 400, { connectError: 'invalid_state' });
      return;
    }
    const pending = await deps.db.oAuthState.findUnique({ where: { stateHash: sha256(state) } });
    if (!pending || pending.platform !== connector.platform || pending.expiresAt.getTime() <= now()) {
      finish(req, res, 400, { connectError: 'invalid_state' });
      return;
    }
    // Single use: whoever flips usedAt first owns this state.
    const claimed = await deps.db.oAuthState.updateMany({
      where: { id: pending.id, usedAt: null },
      data: { usedAt: new Date(now()) },
    });
    if (claimed.count !== 1) {
      finish(req, res, 400, { connectError: 'invalid_state' });
      return;
    }
    const platformError = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (platformError || !code) {
      finish(req, res, 400, { connectError: platformError ?? 'missing_code' });
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
      finish(req, res, error.category === 'REJECTED_BY_PLATFORM' ? 400 : 502, {
        connectError: 'exchange_failed',
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
    finish(req, res, 200, {
      platform: connector.platform.toLowerCase(),
      connected: encodeGlobalId('SocialAccount', account.id),
    });
  }

  async function disconnect(req: IncomingMessage, res: ServerResponse, accountId: string) {
    // A JSON body type cannot be sent by a plain cross-site form: a cheap CSRF guard.
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      json(res, 415, { error: 'expected application/json' });
      return;
    }
    const id = databaseId(accountId, 'SocialAccount');
    const account = id
      ? await deps.db.socialAccount.findUnique({
          where: { id },
          select: { id: true, organizationId: true, platform: true },
        })
      : null;
    const actor = await deps.resolveActor(req, account?.organizationId ?? null);
    if (actor === 'unauthenticated') {
      unauthenticated(res);
      return;
    }
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
    json(res, 200, { disconnected: encodeGlobalId('SocialAccount', account.id) });
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
