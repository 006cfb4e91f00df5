import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AdsAssetKind, Database, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { adsConnectionTokenContext, type TokenVault } from '@pressroom/db/vault';
import { isPlatformError, PlatformError } from '../platforms/errors.js';
import { allPages, type TikTokAdsClient, type TikTokAdsPage } from '../platforms/tiktok-ads/index.js';
import {
  checkAdsInventoryAlerts,
  deliverAdsAlerts,
  fireConnectionBroken,
  type AdsAlertDependencies,
} from './ads-alerts.js';

export interface AdsSettings {
  /**
   * Least time between two calls of one sync. TikTok counts QPS per app and per advertiser
   * (10/s for most endpoints): 200 ms keeps one sync at half of that, leaving room for others.
   */
  minCallIntervalMs: number;
  /** Page size of inventory lists (TikTok's maximum: 1000). */
  pageSize: number;
}

// A page is up to 1,000 upserts in one transaction: Prisma's default of 5 s is too short on
// a busy database, and an expired transaction fails the whole sync.
const pageTransaction = { timeout: 120_000, maxWait: 30_000 };

export const defaultAdsSettings: AdsSettings = { minCallIntervalMs: 200, pageSize: 1000 };

export interface AdsDependencies extends AdsAlertDependencies {
  db: Database;
  vault: TokenVault;
  /** Absent when no TikTok Marketing API app is configured: ads syncs then fail plainly. */
  tiktokAds?: TikTokAdsClient;
  adsSettings?: Partial<AdsSettings>;
}

export type AdsInventoryOutcome =
  | {
      state: 'SYNCED';
      advertisers: number;
      assets: number;
      campaigns: number;
      adGroups: number;
      ads: number;
      markedDeleted: number;
    }
  | { state: 'RECONNECT_NEEDED' | 'SKIPPED'; reason: string };

/** Spaces calls `intervalMs` apart (from the previous call's answer), so a sync never bursts. */
function pacer(intervalMs: number) {
  let last = 0;
  return async <T>(call: () => Promise<T>): Promise<T> => {
    const wait = last + intervalMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      return await call();
    } finally {
      last = Date.now();
      Context.current().heartbeat();
    }
  };
}

function decimal(value: number | undefined): string | null {
  return value === undefined || value === null ? null : value.toFixed(2);
}

/**
 * Announces that what the ads home shows of a connection moved on (adsConnectionChanged), inside
 * the transaction of the change: a screen hears of it once the change is visible, never before.
 */
export function announceAdsConnection(
  tx: Prisma.TransactionClient,
  connection: { id: string; organizationId: string },
): Promise<unknown> {
  return emitEvent(tx, {
    kind: 'ads.connection.changed',
    organizationId: connection.organizationId,
    payload: { connectionId: connection.id },
  });
}

/**
 * Connection health after a TikTok call failed (inventory, facts or a bulk job): the error is
 * kept, and a refused token needs a person to connect again. A connection disconnected
 * meanwhile stays DISCONNECTED: its token was revoked at TikTok on the way out, which is why
 * a sync still running then sees it refused. Returns whether it now needs a reconnect.
 */
export async function recordAdsConnectionFailure(
  db: Database,
  connectionId: string,
  error: PlatformError,
): Promise<boolean> {
  const reconnect = error.category === 'TOKEN_EXPIRED';
  const at = new Date();
  await db.$transaction(async (tx) => {
    if (reconnect) {
      // The move to RECONNECT_NEEDED happens once (a conditional update), and the connection's
      // CONNECTION_BROKEN alerts fire in the same transaction: once per breakage.
      const moved = await tx.adsConnection.updateMany({
        where: { id: connectionId, status: { notIn: ['DISCONNECTED', 'RECONNECT_NEEDED'] } },
        data: { status: 'RECONNECT_NEEDED' },
      });
      if (moved.count === 1) {
        const connection = await tx.adsConnection.findUniqueOrThrow({ where: { id: connectionId } });
        await fireConnectionBroken(
          tx,
          connection,
          at,
          `${error.code ?? error.category}: ${error.message.slice(0, 300)}`,
        );
      }
    }
    const recorded = await tx.adsConnection.updateMany({
      where: { id: connectionId, status: { not: 'DISCONNECTED' } },
      data: {
        lastErrorAt: at,
        lastErrorCode: error.code ?? error.category,
        lastErrorMessage: error.message.slice(0, 1000),
        lastErrorRequestId: error.requestId ?? null,
      },
    });
    if (recorded.count === 1) {
      const connection = await tx.adsConnection.findUniqueOrThrow({
        where: { id: connectionId },
        select: { id: true, organizationId: true },
      });
      await announceAdsConnection(tx, connection);
    }
  });
  return reconnect;
}

export function createAdsActivities(deps: AdsDependencies) {
  const settings = { ...defaultAdsSettings, ...deps.adsSettings };
  const { db } = deps;

  const recordFailure = async (connectionId: string, error: PlatformError) => {
    const reconnect = await recordAdsConnectionFailure(db, connectionId, error);
    const connection = await db.adsConnection.findUnique({ where: { id: connectionId } });
    if (connection) await deliverAdsAlerts(deps, connection.organizationId);
    return reconnect;
  };

  return {
    /**
     * One inventory sync of a connection: the advertisers it reaches (status, currency, time
     * zone), business centers and their catalogs, each advertiser's identities, pixels,
     * audiences, campaigns, ad groups and ads, every list paged at `pageSize` and every call
     * paced. Whatever this run did not see is marked deleted, never removed. Safe to repeat.
     */
    async syncAdsInventory(input: { connectionId: string }): Promise<AdsInventoryOutcome> {
      const connection = await db.adsConnection.findUnique({ where: { id: input.connectionId } });
      if (!connection || connection.status === 'DISCONNECTED' || !connection.accessTokenCiphertext) {
        return { state: 'SKIPPED', reason: 'the connection is gone or disconnected' };
      }
      if (!deps.tiktokAds) {
        throw ApplicationFailure.nonRetryable(
          'no TikTok Marketing API app is configured on the worker (TIKTOK_ADS_APP_ID)',
        );
      }
      const client = deps.tiktokAds;
      const token = deps.vault.decrypt(
        connection.tokenKeyId!,
        connection.accessTokenCiphertext,
        adsConnectionTokenContext(connection),
      );
      const paced = pacer(settings.minCallIntervalMs);
      const runAt = new Date();
      const organizationId = connection.organizationId;
      const counts = { advertisers: 0, assets: 0, campaigns: 0, adGroups: 0, ads: 0, markedDeleted: 0 };

      async function each<T>(
        fetchPage: (page: number) => Promise<TikTokAdsPage<T>>,
        take: (list: T[]) => Promise<void>,
      ) {
        for await (const list of allPages((page) => paced(() => fetchPage(page)))) await take(list);
      }

      async function asset(
        kind: AdsAssetKind,
        platformId: string,
        fields: {
          name: string;
          status?: string | null;
          advertiserId?: string | null;
          parentPlatformId?: string | null;
        },
      ) {
        const data = {
          name: fields.name,
          status: fields.status ?? null,
          advertiserId: fields.advertiserId ?? null,
          parentPlatformId: fields.parentPlatformId ?? null,
          lastSeenAt: runAt,
          deletedAt: null,
        };
        await db.adsAsset.upsert({
          where: { connectionId_kind_platformId: { connectionId: connection!.id, kind, platformId } },
          create: { organizationId, connectionId: connection!.id, kind, platformId, ...data },
          update: data,
        });
        counts.assets++;
      }

      try {
        const reached = await paced(() => client.authorizedAdvertisers(token));
        const ids = reached.map((a) => a.advertiserId);
        const info = ids.length ? (await paced(() => client.advertiserInfo(token, ids))).list : [];
        const advertisers = new Map<string, string>();
        for (const item of info) {
          const row = await db.advertiser.upsert({
            where: {
              connectionId_platformAdvertiserId: {
                connectionId: connection.id,
                platformAdvertiserId: item.advertiser_id,
              },
            },
            create: {
              organizationId,
              connectionId: connection.id,
              platformAdvertiserId: item.advertiser_id,
              name: item.name,
              status: item.status,
              currency: item.currency,
              timezone: item.timezone,
              businessCenterPlatformId: item.owner_bc_id ?? null,
              syncedAt: runAt,
            },
            update: {
              name: item.name,
              status: item.status,
              currency: item.currency,
              timezone: item.timezone,
              businessCenterPlatformId: item.owner_bc_id ?? null,
              syncedAt: runAt,
              deletedAt: null,
            },
          });
          advertisers.set(item.advertiser_id, row.id);
          counts.advertisers++;
        }

        const centers: string[] = [];
        await each(
          (page) => client.businessCenters(token, page, 50),
          async (list) => {
            for (const bc of list) {
              centers.push(bc.bc_info.bc_id);
              await asset('BUSINESS_CENTER', bc.bc_info.bc_id, { name: bc.bc_info.name, status: bc.bc_info.status });
            }
          },
        );
        for (const bcId of centers) {
          await each(
            (page) => client.catalogs(token, bcId, page, 100),
            async (list) => {
              for (const catalog of list) {
                await asset('CATALOG', catalog.catalog_id, { name: catalog.catalog_name, parentPlatformId: bcId });
              }
            },
          );
        }

        for (const [platformAdvertiserId, advertiserId] of advertisers) {
          await each(
            (page) => client.identities(token, platformAdvertiserId, page, 100),
            async (list) => {
              for (const identity of list) {
                await asset('IDENTITY', identity.identity_id, { name: identity.display_name, advertiserId });
              }
            },
          );
          await each(
            (page) => client.pixels(token, platformAdvertiserId, page, 100),
            async (list) => {
              for (const pixel of list) {
                await asset('PIXEL', pixel.pixel_id, {
                  name: pixel.pixel_name,
                  status: pixel.activity_status,
                  advertiserId,
                });
              }
            },
          );
          await each(
            (page) => client.audiences(token, platformAdvertiserId, page, 100),
            async (list) => {
              for (const audience of list) {
                await asset('AUDIENCE', audience.audience_id, {
                  name: audience.name,
                  status: audience.is_valid === false ? 'INVALID' : 'VALID',
                  advertiserId,
                });
              }
            },
          );

          const campaignIds = new Map<string, string>();
          await each(
            (page) => client.campaigns(token, platformAdvertiserId, page, settings.pageSize),
            async (list) => {
              await db.$transaction(async (tx) => {
                for (const c of list) {
                  const data = {
                    name: c.campaign_name,
                    objective: c.objective_type ?? null,
                    budgetMode: c.budget_mode ?? null,
                    budget: decimal(c.budget),
                    operationStatus: c.operation_status,
                    secondaryStatus: c.secondary_status ?? null,
                    lastSeenAt: runAt,
                    deletedAt: null,
                  };
                  const row = await tx.adsCampaign.upsert({
                    where: { advertiserId_platformId: { advertiserId, platformId: c.campaign_id } },
                    create: { organizationId, advertiserId, platformId: c.campaign_id, ...data },
                    update: data,
                    select: { id: true },
                  });
                  campaignIds.set(c.campaign_id, row.id);
                }
              }, pageTransaction);
              counts.campaigns += list.length;
            },
          );

          const adGroupIds = new Map<string, { id: string; campaignId: string }>();
          await each(
            (page) => client.adGroups(token, platformAdvertiserId, page, settings.pageSize),
            async (list) => {
              await db.$transaction(async (tx) => {
                for (const g of list) {
                  const campaignId = campaignIds.get(g.campaign_id);
                  // A campaign made between the two listings: it comes with the next sync.
                  if (!campaignId) continue;
                  const data = {
                    campaignId,
                    name: g.adgroup_name,
                    budgetMode: g.budget_mode ?? null,
                    budget: decimal(g.budget),
                    operationStatus: g.operation_status,
                    secondaryStatus: g.secondary_status ?? null,
                    lastSeenAt: runAt,
                    deletedAt: null,
                  };
                  const row = await tx.adsAdGroup.upsert({
                    where: { advertiserId_platformId: { advertiserId, platformId: g.adgroup_id } },
                    create: { organizationId, advertiserId, platformId: g.adgroup_id, ...data },
                    update: data,
                    select: { id: true },
                  });
                  adGroupIds.set(g.adgroup_id, { id: row.id, campaignId });
                  counts.adGroups++;
                }
              }, pageTransaction);
            },
          );

          await each(
            (page) => client.ads(token, platformAdvertiserId, page, settings.pageSize),
            async (list) => {
              await db.$transaction(async (tx) => {
                for (const ad of list) {
                  const group = adGroupIds.get(ad.adgroup_id);
                  if (!group) continue;
                  const data = {
                    campaignId: group.campaignId,
                    adGroupId: group.id,
                    name: ad.ad_name,
                    operationStatus: ad.operation_status,
                    secondaryStatus: ad.secondary_status ?? null,
                    lastSeenAt: runAt,
                    deletedAt: null,
                  };
                  await tx.adsAd.upsert({
                    where: { advertiserId_platformId: { advertiserId, platformId: ad.ad_id } },
                    create: { organizationId, advertiserId, platformId: ad.ad_id, ...data },
                    update: data,
                  });
                  counts.ads++;
                }
              }, pageTransaction);
            },
          );
        }

        // Everything this run did not see is gone at TikTok: marked, kept for its history.
        const advertiserRowIds = [...advertisers.values()];
        const stale = { lastSeenAt: { lt: runAt }, deletedAt: null };
        const marked = await db.$transaction([
          db.advertiser.updateMany({
            where: { connectionId: connection.id, deletedAt: null, id: { notIn: advertiserRowIds } },
            data: { deletedAt: runAt },
          }),
          db.adsAsset.updateMany({ where: { connectionId: connection.id, ...stale }, data: { deletedAt: runAt } }),
          db.adsCampaign.updateMany({
            where: { advertiserId: { in: advertiserRowIds }, ...stale },
            data: { deletedAt: runAt },
          }),
          db.adsAdGroup.updateMany({
            where: { advertiserId: { in: advertiserRowIds }, ...stale },
            data: { deletedAt: runAt },
          }),
          db.adsAd.updateMany({
            where: { advertiserId: { in: advertiserRowIds }, ...stale },
            data: { deletedAt: runAt },
          }),
        ]);
        counts.markedDeleted = marked.reduce((sum, result) => sum + result.count, 0);
        await db.$transaction(async (tx) => {
          await tx.adsConnection.update({
            where: { id: connection.id },
            data: {
              status: 'ACTIVE',
              lastSuccessAt: new Date(),
              lastInventorySyncAt: runAt,
              lastErrorCode: null,
              lastErrorMessage: null,
              lastErrorRequestId: null,
            },
          });
          await announceAdsConnection(tx, connection);
        });
        // Ads whose review now says rejected fire AD_REJECTED (once per ad and status).
        await checkAdsInventoryAlerts(db, { connectionId: connection.id });
        await deliverAdsAlerts(deps, organizationId);
        return { state: 'SYNCED', ...counts };
      } catch (error) {
        if (!isPlatformError(error)) throw error;
        if (await recordFailure(connection.id, error)) return { state: 'RECONNECT_NEEDED', reason: error.reason };
        // Rate limits past the client's own waits and server failures: the workflow retries.
        throw error;
      }
    },
  };
}

export type AdsActivities = ReturnType<typeof createAdsActivities>;
