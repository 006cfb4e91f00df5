import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { emitEvent } from '@pressroom/db/events';
import {
  adsConnectionTokenContext,
  createVault,
  generateKeyRingEntry,
  parseKeyRing,
  type TokenVault,
} from '@pressroom/db/vault';
import { removeAdsInventorySchedule, startSyncingAdsConnection } from '@pressroom/workflows/client';
import { isPlatformError, tiktokAds } from '@pressroom/workflows/platforms';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { ApiConfig } from '../config.js';
import { ConflictError, DomainError, InvalidInputError, NotFoundError, WorkflowNotStartedError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, requireUser, type ServiceContext } from './context.js';

/** TikTok refused or failed a call the change needed; nothing changed. */
export class AdsPlatformError extends DomainError {
  constructor(
    message: string,
    code: 'BAD_USER_INPUT' | 'RATE_LIMITED' | 'UNAVAILABLE',
    /** TikTok's envelope code (40110 ...). */
    readonly platformCode: string | null,
    /** TikTok's request_id, for support tickets. */
    readonly requestId: string | null,
  ) {
    super(message, code);
  }
}

// A consent takes a person a minute; ten leave room without keeping states around for long.
const connectStateTtlMs = 10 * 60_000;

const vaults = new WeakMap<ApiConfig, TokenVault>();
function vaultOf(config: ApiConfig): TokenVault {
  let vault = vaults.get(config);
  if (!vault) {
    vault = createVault(
      parseKeyRing(
        config.PRESSROOM_TOKEN_KEYS ?? generateKeyRingEntry('ephemeral'),
        config.PRESSROOM_TOKEN_KEY_CURRENT,
      ),
    );
    vaults.set(config, vault);
  }
  return vault;
}

const clients = new WeakMap<ApiConfig, tiktokAds.TikTokAdsClient>();
function clientOf(config: ApiConfig): tiktokAds.TikTokAdsClient {
  if (!config.TIKTOK_ADS_APP_ID || !config.TIKTOK_ADS_SECRET) {
    throw new ConflictError('TikTok for Business is not configured on this server (TIKTOK_ADS_APP_ID).');
  }
  let client = clients.get(config);
  if (!client) {
    client = tiktokAds.createTikTokAdsClient({
      apiBaseUrl: config.TIKTOK_ADS_API_BASE_URL,
      portalBaseUrl: config.TIKTOK_ADS_PORTAL_BASE_URL,
      appId: config.TIKTOK_ADS_APP_ID,
      secret: config.TIKTOK_ADS_SECRET,
      // A person waits for the answer: a short rate-limit wait is fine, a long one is theirs to retry.
      http: { maxRetries: 2, maxRetryWaitMs: 2_000 },
    });
    clients.set(config, client);
  }
  return client;
}

function redirectUriOf(config: ApiConfig): string {
  return (
    config.TIKTOK_ADS_REDIRECT_URI ??
    `${config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`}/ads/connected`
  );
}

function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

/** A platform failure as the typed result a person sees. */
function refused(error: unknown): never {
  if (!isPlatformError(error)) throw error;
  const code =
    error.category === 'RATE_LIMITED'
      ? 'RATE_LIMITED'
      : error.category === 'TRANSIENT' || error.category === 'OUTCOME_UNKNOWN'
        ? 'UNAVAILABLE'
        : 'BAD_USER_INPUT';
  throw new AdsPlatformError(`TikTok refused: ${error.reason}`, code, error.code ?? null, error.requestId ?? null);
}

/** Reads the token of a connection; only the worker and the connect flow need it. */
export function sealToken(config: ApiConfig, connection: { id: string; organizationId: string }, token: string) {
  const { keyId, ciphertext } = vaultOf(config).encrypt(token, adsConnectionTokenContext(connection));
  return { tokenKeyId: keyId, accessTokenCiphertext: ciphertext };
}

const startInput = z.object({ organizationId: z.string() });

/**
 * The first step of connecting TikTok for Business: a single-use state bound to this person
 * and organization (stored hashed), and the consent page to send the browser to.
 */
export async function startAdsConnect(ctx: ServiceContext, input: z.input<typeof startInput>) {
  const data = parseInput(startInput, input);
  authorize(ctx, data.organizationId, 'ads:manage', 'organization');
  const viewer = requireUser(ctx);
  const client = clientOf(ctx.config);
  const state = randomBytes(32).toString('base64url');
  const redirectUri = redirectUriOf(ctx.config);
  const expiresAt = new Date(Date.now() + connectStateTtlMs);
  await inTransaction(ctx, async (tx) => {
    const row = await tx.adsConnectState.create({
      data: {
        organizationId: data.organizationId,
        userId: viewer.userId,
        stateHash: hashState(state),
        redirectUri,
        expiresAt,
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: data.organizationId,
      action: 'ads_connection.start',
      targetType: 'AdsConnectState',
      targetId: row.id,
    });
  });
  return { authorizeUrl: client.authorizeUrl({ redirectUri, state }), state, expiresAt };
}

const completeInput = z.object({
  organizationId: z.string(),
  state: z.string().min(1).max(200),
  authCode: z.string().min(1).max(500),
});

const badState = () =>
  new InvalidInputError('This connect is unknown, was already completed, or expired: start again.', [
    { path: 'state', message: 'unknown, used or expired' },
  ]);

/**
 * Completes a connect: the state must be this person's, for this organization, unused and
 * fresh (it is spent before TikTok is asked, so a replay cannot connect twice); the auth_code
 * becomes a long-term token (sealed in the vault) and the advertisers it reaches are stored.
 */
export async function completeAdsConnect(ctx: ServiceContext, input: z.input<typeof completeInput>, temporal?: Client) {
  const data = parseInput(completeInput, input);
  authorize(ctx, data.organizationId, 'ads:manage', 'organization');
  const viewer = requireUser(ctx);
  const client = clientOf(ctx.config);
  const pending = await ctx.db.adsConnectState.findUnique({ where: { stateHash: hashState(data.state) } });
  if (
    !pending ||
    pending.organizationId !== data.organizationId ||
    pending.userId !== viewer.userId ||
    pending.usedAt ||
    pending.expiresAt <= new Date()
  ) {
    throw badState();
  }
  const claimed = await ctx.db.adsConnectState.updateMany({
    where: { id: pending.id, usedAt: null },
    data: { usedAt: new Date() },
  });
  if (claimed.count !== 1) throw badState();

  let issued: Awaited<ReturnType<typeof client.exchangeAuthCode>>;
  let named: Awaited<ReturnType<typeof client.authorizedAdvertisers>>;
  let details: Awaited<ReturnType<typeof client.advertiserInfo>>['list'];
  try {
    issued = await client.exchangeAuthCode(data.authCode);
    named = await client.authorizedAdvertisers(issued.accessToken);
    const ids = [...new Set([...issued.advertiserIds, ...named.map((a) => a.advertiserId)])];
    details = ids.length ? (await client.advertiserInfo(issued.accessToken, ids)).list : [];
  } catch (error) {
    refused(error);
  }
  const byId = new Map(details.map((d) => [d.advertiser_id, d]));
  const ids = [...new Set([...issued.advertiserIds, ...named.map((a) => a.advertiserId)])];
  const id = randomUUID();
  const now = new Date();
  const connection = await inTransaction(ctx, async (tx) => {
    const created = await tx.adsConnection.create({
      data: {
        id,
        organizationId: data.organizationId,
        displayName: named[0]?.name
          ? `TikTok for Business (${named[0].name}${ids.length > 1 ? ` +${ids.length - 1}` : ''})`
          : 'TikTok for Business',
        ...sealToken(ctx.config, { id, organizationId: data.organizationId }, issued.accessToken),
        scopes: issued.scope,
        status: 'ACTIVE',
        lastSuccessAt: now,
        connectedById: viewer.userId,
      },
    });
    await tx.advertiser.createMany({
      data: ids.map((advertiserId) => {
        const info = byId.get(advertiserId);
        return {
          organizationId: data.organizationId,
          connectionId: id,
          platformAdvertiserId: advertiserId,
          name: info?.name ?? named.find((a) => a.advertiserId === advertiserId)?.name ?? '',
          status: info?.status ?? null,
          currency: info?.currency ?? null,
          timezone: info?.timezone ?? null,
          businessCenterPlatformId: info?.owner_bc_id ?? null,
          syncedAt: now,
        };
      }),
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: data.organizationId,
      action: 'ads_connection.connect',
      targetType: 'AdsConnection',
      targetId: id,
      metadata: { advertisers: ids.length },
    });
    await emitEvent(tx, {
      kind: 'ads.connection.changed',
      organizationId: data.organizationId,
      payload: { connectionId: id },
    });
    return created;
  });
  // The first inventory read runs now, not when the 6-hourly Schedule first fires. The
  // connection stands even if Temporal is down: syncAdsConnectionNow makes the Schedule later.
  if (temporal) {
    await startSyncingAdsConnection(temporal, connection.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE }).catch(
      () => undefined,
    );
  }
  return connection;
}

async function connectionFor(ctx: ServiceContext, id: string) {
  const connection = await ctx.db.adsConnection.findUnique({ where: { id } });
  if (!connection) throw new NotFoundError('ads connection');
  authorize(ctx, connection.organizationId, 'ads:manage', 'ads connection');
  return connection;
}

/**
 * Ends a connection: the token is revoked at TikTok (oauth2/revoke_token) and erased;
 * inventory and facts stay for reports.
 */
export async function disconnectAdsConnection(ctx: ServiceContext, id: string, temporal?: Client) {
  const connection = await connectionFor(ctx, id);
  if (connection.status === 'DISCONNECTED') throw new ConflictError('This connection is already disconnected.');
  // The token is given up at TikTok first, so a copy of it (a backup, a leaked row) is worth
  // nothing. A token TikTok already refuses (40105: the person removed the app) is as good as
  // revoked; any other failure is refused so that nothing is erased while the token still works.
  let revoked = false;
  if (connection.accessTokenCiphertext && connection.tokenKeyId) {
    const token = vaultOf(ctx.config).decrypt(
      connection.tokenKeyId,
      connection.accessTokenCiphertext,
      adsConnectionTokenContext(connection),
    );
    try {
      await clientOf(ctx.config).revokeToken(token);
      revoked = true;
    } catch (error) {
      if (!isPlatformError(error) || error.category !== 'TOKEN_EXPIRED') refused(error);
    }
  }
  const updated = await inTransaction(ctx, async (tx) => {
    const row = await tx.adsConnection.update({
      where: { id },
      data: { status: 'DISCONNECTED', accessTokenCiphertext: null, tokenKeyId: null, disconnectedAt: new Date() },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: connection.organizationId,
      action: 'ads_connection.disconnect',
      targetType: 'AdsConnection',
      targetId: id,
      metadata: { revokedAtTikTok: revoked },
    });
    await emitEvent(tx, {
      kind: 'ads.connection.changed',
      organizationId: connection.organizationId,
      payload: { connectionId: id },
    });
    return row;
  });
  // A Schedule left behind finds no token and does nothing (the sync skips disconnected ones).
  if (temporal) await removeAdsInventorySchedule(temporal, id);
  return updated;
}

/** Runs the inventory sync now (the Schedule made if missing). */
export async function syncAdsConnectionNow(ctx: ServiceContext, id: string, temporal: Client) {
  const connection = await connectionFor(ctx, id);
  if (connection.status === 'DISCONNECTED') throw new ConflictError('This connection is disconnected.');
  try {
    await startSyncingAdsConnection(temporal, id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE });
  } catch (error) {
    throw new WorkflowNotStartedError('The inventory sync could not be started; try again.', { cause: error });
  }
  await inTransaction(ctx, (tx) =>
    recordAudit(tx, ctx.meta, {
      organizationId: connection.organizationId,
      action: 'ads_connection.sync',
      targetType: 'AdsConnection',
      targetId: id,
    }),
  );
  return connection;
}
