import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@pressroom/db';
import type { Platform } from '@pressroom/db';
import {
  oauthStateChoicesContext,
  oauthStateContext,
  socialAccountTokenContext,
  type TokenVault,
} from '@pressroom/db/vault';
import {
  disconnectAccount,
  isPlatformError,
  saveConnectedAccount,
  type ConnectableAccount,
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
  /**
   * Telegram has no OAuth: `POST /connect/telegram` names a channel and, optionally, a bot
   * token of the brand's own (else the server's bot); `verify` checks the bot administers it.
   */
  telegram?: {
    serverBotToken?: string;
    verify(params: { botToken: string; chat: string }): Promise<{ chatId: string; title: string; username?: string }>;
  };
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

/** A choice as the person sees it: `<PLATFORM>:<platform account id>` and what to call it. */
function describeChoice(choice: ConnectableAccount) {
  return {
    id: `${choice.platform}:${choice.platformAccountId}`,
    platform: choice.platform,
    displayName: choice.displayName,
    username: choice.username ?? null,
  };
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A request body that cannot be read as asked (answered 400 by the dispatcher). */
class RequestBodyError extends Error {}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new RequestBodyError('the body is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body, or a form body (the chooser page posts a plain form). */
async function readFields(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if ((req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      const parsed = JSON.parse(text || '{}') as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new RequestBodyError('the body is not JSON');
    }
  }
  const form = new URLSearchParams(text);
  const fields: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    fields[key] = key === 'accounts' ? values : values[0];
  }
  return fields;
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

  async function callback(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    connector: OAuthConnector,
    url: URL,
  ) {
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
    let profile: { displayName: string; username?: string; avatarUrl?: string } | undefined;
    let choices: ConnectableAccount[] | undefined;
    try {
      tokens = await connector.exchangeCode({
        code,
        redirectUri: pending.redirectUri,
        codeVerifier: verifier,
        state,
        callback: url.searchParams,
      });
      if (connector.accounts) choices = await connector.accounts(tokens);
      else profile = await connector.profile!(tokens.accessToken);
    } catch (error) {
      if (!isPlatformError(error)) throw error;
      deps.logger?.warn({ platform: connector.platform, code: error.code, category: error.category }, 'connect failed');
      finish(req, res, error.category === 'REJECTED_BY_PLATFORM' ? 400 : 502, {
        connectError: 'exchange_failed',
        reason: error.code ?? error.category,
      });
      return;
    }
    if (choices) {
      if (!choices.length) {
        finish(req, res, 400, { connectError: 'no_accounts' });
        return;
      }
      // The consent reached several accounts: keep them (sealed) on the pending row while the
      // person chooses, under the same browser cookie, for as long as a consent may take.
      const sealed = deps.vault.encrypt(JSON.stringify(choices), oauthStateChoicesContext(pending));
      await deps.db.oAuthState.update({
        where: { id: pending.id },
        data: {
          choicesCiphertext: sealed.ciphertext,
          tokenKeyId: sealed.keyId,
          codeVerifierCiphertext: deps.vault.encrypt(verifier, oauthStateContext(pending)).ciphertext,
          expiresAt: new Date(now() + stateTtlMs),
        },
      });
      const chooseUrl = new URL(`/connect/${name}/choose`, deps.publicBaseUrl).toString();
      // The cookie lives as long as the choice may take.
      const keep = cookie(state, Math.ceil(stateTtlMs / 1000));
      if (wantsJson(req)) {
        json(
          res,
          200,
          { choose: choices.map(describeChoice), chooseUrl, maxChoices: connector.maxChoices ?? null },
          { 'set-cookie': keep },
        );
      } else {
        res.writeHead(303, { location: chooseUrl, 'set-cookie': keep, 'cache-control': 'no-store' }).end();
      }
      return;
    }
    if (!tokens.platformAccountId || !profile) throw new Error(`${connector.platform} connector gave no account`);
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

  /**
   * Whether another connected account of the organization holds the same grant (Meta: every
   * page and Instagram account chosen in one consent shares the user's token), in which case
   * disconnecting one must not revoke it for the others.
   */
  async function grantStillUsed(accountId: string, organizationId: string, connector: OAuthConnector, token: string) {
    const shared = connector.sharedGrant;
    if (!shared) return false;
    const owner = await shared.owner(token);
    if (owner === undefined) return false;
    const others = await deps.db.socialAccount.findMany({
      where: {
        organizationId,
        platform: { in: connector.accountPlatforms ?? [connector.platform] },
        id: { not: accountId },
        status: 'ACTIVE',
        refreshTokenCiphertext: { not: null },
      },
    });
    for (const other of others) {
      let theirs: string;
      try {
        theirs = deps.vault.decrypt(
          other.tokenKeyId!,
          other.refreshTokenCiphertext!,
          socialAccountTokenContext(other, 'refresh'),
        );
      } catch {
        continue;
      }
      if (sameSecret(theirs, token) || (await shared.owner(theirs)) === owner) return true;
    }
    return false;
  }

  /** The pending connect whose choices this browser (by its state cookie) may answer. */
  async function pendingChoices(req: IncomingMessage, connector: OAuthConnector) {
    const cookieState = readCookie(req.headers.cookie, stateCookie) ?? '';
    if (!cookieState) return undefined;
    const pending = await deps.db.oAuthState.findUnique({ where: { stateHash: sha256(cookieState) } });
    if (
      !pending?.choicesCiphertext ||
      pending.platform !== connector.platform ||
      pending.expiresAt.getTime() <= now()
    ) {
      return undefined;
    }
    const choices = JSON.parse(
      deps.vault.decrypt(pending.tokenKeyId, pending.choicesCiphertext, oauthStateChoicesContext(pending)),
    ) as ConnectableAccount[];
    return { pending, choices };
  }

  /**
   * `GET /connect/:platform/choose` lists what the consent reached (a small form for a
   * browser, JSON for API clients); `POST` with `accounts` (ids from that list) connects each
   * chosen one with its own token. Only the person who started the connect, in the browser
   * that started it, may answer, once.
   */
  async function choose(req: IncomingMessage, res: ServerResponse, name: string, connector: OAuthConnector) {
    const found = await pendingChoices(req, connector);
    const actor = await deps.resolveActor(req, found?.pending.organizationId ?? null);
    if (actor === 'unauthenticated') {
      unauthenticated(res);
      return;
    }
    if (!found || !actor || actor.userId !== found.pending.userId) {
      finish(req, res, 400, { connectError: 'invalid_state' });
      return;
    }
    const { pending, choices } = found;
    if (req.method === 'GET') {
      if (wantsJson(req)) {
        json(res, 200, { choose: choices.map(describeChoice), maxChoices: connector.maxChoices ?? null });
        return;
      }
      const single = connector.maxChoices === 1;
      const rows = choices
        .map((choice) => {
          const id = escapeHtml(describeChoice(choice).id);
          const label = `${escapeHtml(choice.displayName)}${choice.username ? ` (@${escapeHtml(choice.username)})` : ''} — ${choice.platform.toLowerCase()}`;
          return `<label><input type="${single ? 'radio' : 'checkbox'}" name="accounts" value="${id}"> ${label}</label><br>`;
        })
        .join('\n');
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'none'; form-action 'self'",
        })
        .end(
          `<!doctype html><meta charset="utf-8"><title>Choose accounts</title><h1>Which accounts should Pressroom connect?</h1><form method="post" action="/connect/${escapeHtml(name)}/choose">${rows}<button type="submit">Connect</button></form>`,
        );
      return;
    }
    // A plain cross-site form cannot carry the SameSite=Lax state cookie on a POST, so a form
    // post here is as safe as JSON.
    const fields = await readFields(req);
    const wanted = (Array.isArray(fields.accounts) ? fields.accounts : [fields.accounts]).filter(
      (value): value is string => typeof value === 'string' && value.length > 0,
    );
    const chosen = choices.filter((choice) => wanted.includes(describeChoice(choice).id));
    if (!chosen.length || chosen.length !== new Set(wanted).size) {
      json(res, 400, { error: 'choose_accounts', message: 'Choose one or more of the listed accounts.' });
      return;
    }
    if (connector.maxChoices !== undefined && chosen.length > connector.maxChoices) {
      json(res, 400, { error: 'too_many_accounts', maxChoices: connector.maxChoices });
      return;
    }
    // Single use: whoever clears the choices first connects them.
    const claimed = await deps.db.oAuthState.updateMany({
      where: { id: pending.id, choicesCiphertext: { not: null } },
      data: { choicesCiphertext: null },
    });
    if (claimed.count !== 1) {
      finish(req, res, 400, { connectError: 'invalid_state' });
      return;
    }
    const saved: Array<{ id: string; platform: Platform }> = [];
    for (const choice of chosen) {
      const account = await saveConnectedAccount(deps.db, deps.vault, {
        organizationId: pending.organizationId,
        brandId: pending.brandId,
        platform: choice.platform,
        platformAccountId: choice.platformAccountId,
        displayName: choice.displayName,
        username: choice.username,
        avatarUrl: choice.avatarUrl,
        connectedById: pending.userId,
        tokens: choice.tokens,
      });
      saved.push({ id: account.id, platform: choice.platform });
      await deps
        .onConnected?.(account.id)
        .catch((error: Error) =>
          deps.logger?.warn({ accountId: account.id, err: error.message }, 'could not set up the account sync'),
        );
    }
    if (wantsJson(req)) {
      json(
        res,
        200,
        {
          connected: saved.map((account) => ({
            platform: account.platform.toLowerCase(),
            accountId: encodeGlobalId('SocialAccount', account.id),
          })),
        },
        { 'set-cookie': cookie('', 0) },
      );
      return;
    }
    finish(req, res, 200, {
      platform: saved[0]!.platform.toLowerCase(),
      connected: encodeGlobalId('SocialAccount', saved[0]!.id),
    });
  }

  /** `POST /connect/telegram` `{brandId, chat, botToken?}`: verified, then stored like any account. */
  async function connectTelegram(req: IncomingMessage, res: ServerResponse) {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      json(res, 415, { error: 'expected application/json' });
      return;
    }
    const fields = await readFields(req);
    const brandId = databaseId(typeof fields.brandId === 'string' ? fields.brandId : null, 'Brand');
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
    const telegram = deps.telegram!;
    const chat = typeof fields.chat === 'string' ? fields.chat.trim() : '';
    const botToken = typeof fields.botToken === 'string' && fields.botToken ? fields.botToken : telegram.serverBotToken;
    if (!chat || !/^(-?\d+|@[A-Za-z0-9_]{4,})$/.test(chat)) {
      json(res, 400, { error: 'invalid_chat', message: 'Name the channel by its id or its @username.' });
      return;
    }
    if (!botToken) {
      json(res, 400, { error: 'bot_token_required', message: 'This server has no bot of its own: give a bot token.' });
      return;
    }
    let channel: Awaited<ReturnType<typeof telegram.verify>>;
    try {
      channel = await telegram.verify({ botToken, chat });
    } catch (error) {
      if (!isPlatformError(error)) throw error;
      const refused = error.category === 'REJECTED_BY_PLATFORM';
      json(res, refused ? 400 : 502, {
        error: 'verification_failed',
        reason: error.code ?? error.category,
        message: refused
          ? `Telegram could not confirm the bot may post in ${chat} (${error.reason}). Add the bot to the channel as an administrator allowed to post messages, then try again.`
          : `Telegram could not be reached to check the channel (${error.reason}); try again.`,
      });
      return;
    }
    const account = await saveConnectedAccount(deps.db, deps.vault, {
      organizationId: brand.organizationId,
      brandId: brand.id,
      platform: 'TELEGRAM',
      platformAccountId: channel.chatId,
      displayName: channel.title,
      username: channel.username,
      connectedById: actor.userId,
      // The bot token is the credential (encrypted like any token); scopes say whose bot it is.
      tokens: { accessToken: botToken, scopes: [botToken === telegram.serverBotToken ? 'bot:server' : 'bot:own'] },
    });
    await deps
      .onConnected?.(account.id)
      .catch((error: Error) =>
        deps.logger?.warn({ accountId: account.id, err: error.message }, 'could not set up the account sync'),
      );
    json(res, 200, { connected: 'telegram', accountId: encodeGlobalId('SocialAccount', account.id) });
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
      ? Object.values(deps.connectors).find((candidate) =>
          (candidate.accountPlatforms ?? [candidate.platform]).includes(account.platform),
        )
      : undefined;
    if (!account || !actor) {
      json(res, 404, { error: 'account_not_found' });
      return;
    }
    // A Telegram bot token cannot be revoked from here (its owner does that at @BotFather):
    // disconnecting erases it.
    const revoke =
      account.platform === 'TELEGRAM'
        ? () => Promise.resolve()
        : connector
          ? async (token: string) => {
              if (
                connector.sharedGrant &&
                (await grantStillUsed(account.id, account.organizationId, connector, token))
              ) {
                return;
              }
              await connector.revoke(token);
            }
          : undefined;
    if (!revoke) {
      json(res, 409, { error: 'platform_not_configured' });
      return;
    }
    try {
      await disconnectAccount({ db: deps.db, vault: deps.vault, revoke }, account.id);
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

  const routes = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', deps.publicBaseUrl);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'connect') return false;
    if (req.method === 'POST' && parts.length === 4 && parts[1] === 'accounts' && parts[3] === 'disconnect') {
      await disconnect(req, res, parts[2]!);
      return true;
    }
    const name = parts[1] ?? '';
    if (name === 'telegram' && deps.telegram && req.method === 'POST' && parts.length === 2) {
      await connectTelegram(req, res);
      return true;
    }
    const connector = Object.hasOwn(deps.connectors, name) ? deps.connectors[name] : undefined;
    if (connector?.accounts && parts.length === 3 && parts[2] === 'choose' && ['GET', 'POST'].includes(req.method!)) {
      await choose(req, res, name, connector);
      return true;
    }
    if (req.method !== 'GET' || !connector || parts.length > 3 || (parts.length === 3 && parts[2] !== 'callback')) {
      json(res, 404, { error: 'not_found' });
      return true;
    }
    if (parts.length === 2) await start(req, res, name, connector, url);
    else await callback(req, res, name, connector, url);
    return true;
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    try {
      return await routes(req, res);
    } catch (error) {
      if (!(error instanceof RequestBodyError)) throw error;
      json(res, 400, { error: 'bad_request', message: error.message });
      return true;
    }
  };
}
