import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@pressroom/db';
import { adsConnectionTokenContext } from '@pressroom/db/vault';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdsInventoryOutcome } from '../src/activities/ads.js';
import { adsInventoryScheduleId, removeAdsInventorySchedule, startSyncingAdsConnection } from '../src/client.js';
import { TikTokAdsEmulator } from '../src/emulators/tiktok-ads.js';
import { createTikTokAdsClient } from '../src/platforms/tiktok-ads/index.js';
import { createTikTokClient } from '../src/platforms/tiktok/index.js';
import { syncAdsInventoryWorkflow } from '../src/workflows/ads.js';
import { createLocalStorage, createUrlSigner } from '../src/storage/index.js';
import { seedTenant, testVault } from './helpers.js';
import { waitFor } from './support/publishing.js';
import { startWorkerHarness, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `ads-inventory-test-${randomBytes(4).toString('hex')}`;

describe('ads inventory sync', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  // TikTok's advertiser QPS set low: the sync must stay under it by pacing, not by being refused.
  const emulator = new TikTokAdsEmulator({ advertiserRequestsPerSecond: 4, appRequestsPerSecond: 8 });
  const vault = testVault();

  beforeAll(async () => {
    const baseUrl = await emulator.start();
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        // Not used here: inventory speaks only to the Marketing API.
        tiktok: createTikTokClient({ clientKey: 'x', clientSecret: 'x', authBaseUrl: baseUrl, apiBaseUrl: baseUrl }),
        tiktokAds: createTikTokAdsClient({ apiBaseUrl: baseUrl, appId: emulator.appId, secret: emulator.secret }),
        adsSettings: { minCallIntervalMs: 300, pageSize: 5 },
        storage: createLocalStorage({
          root: join(tmpdir(), `pressroom-ads-${randomBytes(4).toString('hex')}`),
          signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
        }),
      }),
      cleanups: [() => emulator.stop()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  async function connected(shape: Parameters<TikTokAdsEmulator['createAdvertiserOwner']>[0]) {
    const owner = emulator.createAdvertiserOwner(shape);
    const { accessToken } = emulator.issueToken(owner.userId);
    const tenant = await seedTenant(db);
    const id = randomBytes(8).toString('hex');
    const sealed = vault.encrypt(accessToken, adsConnectionTokenContext({ id, organizationId: tenant.organizationId }));
    await db.adsConnection.create({
      data: {
        id,
        organizationId: tenant.organizationId,
        accessTokenCiphertext: sealed.ciphertext,
        tokenKeyId: sealed.keyId,
      },
    });
    return { owner, connectionId: id, organizationId: tenant.organizationId };
  }

  function sync(connectionId: string): Promise<AdsInventoryOutcome> {
    return client.workflow.execute(syncAdsInventoryWorkflow, {
      taskQueue,
      workflowId: `ads-sync-${randomBytes(6).toString('hex')}`,
      args: [{ connectionId }],
    });
  }

  it('reads every object paged and paced under the QPS limit; what disappears is marked deleted, not removed', async () => {
    const { owner, connectionId } = await connected({ advertisers: 2, campaigns: 3, adGroups: 2, ads: 2 });
    const logBefore = emulator.log.length;
    const outcome = await sync(connectionId);
    expect(outcome).toMatchObject({ state: 'SYNCED', advertisers: 2, campaigns: 6, adGroups: 12, ads: 24 });
    // 1 business center + 1 catalog + per advertiser 1 identity, 1 pixel, 2 audiences.
    expect(outcome.state === 'SYNCED' && outcome.assets).toBe(10);

    const calls = emulator.log.slice(logBefore);
    expect(calls.every((call) => call.code === 0)).toBe(true);
    // Pages of 5: 12 ads of one advertiser take 3 pages.
    expect(calls.filter((call) => call.path.endsWith('/ad/get/')).length).toBe(6);

    const advertisers = await db.advertiser.findMany({ where: { connectionId } });
    expect(advertisers.map((a) => a.platformAdvertiserId).sort()).toEqual([...owner.advertiserIds].sort());
    expect(advertisers[0]).toMatchObject({ currency: 'USD', timezone: 'Etc/GMT', status: 'STATUS_ENABLE' });
    const campaign = await db.adsCampaign.findFirstOrThrow({
      where: { advertiser: { connectionId } },
      include: { adGroups: { include: { ads: true } } },
      orderBy: { name: 'asc' },
    });
    expect(campaign).toMatchObject({ budgetMode: 'BUDGET_MODE_DAY', operationStatus: 'ENABLE' });
    expect(campaign.budget?.toFixed(2)).toBe('100.00');
    expect(campaign.adGroups).toHaveLength(2);
    expect(campaign.adGroups[0]!.ads).toHaveLength(2);
    const connection = await db.adsConnection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection.lastInventorySyncAt).not.toBeNull();
    expect(connection.lastSuccessAt).not.toBeNull();

    // The campaign is deleted at TikTok: the next sync keeps it, its ad groups and ads, marked.
    emulator.deleteCampaign(campaign.platformId);
    const again = await sync(connectionId);
    expect(again).toMatchObject({ state: 'SYNCED', campaigns: 5, markedDeleted: 1 + 2 + 4 });
    const kept = await db.adsCampaign.findUniqueOrThrow({
      where: { id: campaign.id },
      include: { adGroups: { include: { ads: true } } },
    });
    expect(kept.deletedAt).not.toBeNull();
    expect(kept.adGroups.every((group) => group.deletedAt && group.ads.every((ad) => ad.deletedAt))).toBe(true);
    expect(await db.adsCampaign.count({ where: { advertiser: { connectionId }, deletedAt: null } })).toBe(5);
  });

  it('a revoked token turns the connection RECONNECT_NEEDED with TikTok code and message', async () => {
    const { owner, connectionId, organizationId } = await connected({ campaigns: 1 });
    emulator.revokeTokens(owner.userId);
    const outcome = await sync(connectionId);
    expect(outcome.state).toBe('RECONNECT_NEEDED');
    const connection = await db.adsConnection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(connection).toMatchObject({ status: 'RECONNECT_NEEDED', lastErrorCode: '40105' });
    expect(connection.lastErrorMessage).toContain('invalid or has been revoked');
    expect(connection.lastErrorRequestId).toBeTruthy();
    // The ads home hears of it once (adsConnectionChanged), in the organization of the connection.
    const announced = await db.$queryRaw<Array<{ organizationId: string }>>`
      SELECT "organizationId" FROM "DomainEvent"
      WHERE "kind" = 'ads.connection.changed' AND "payload"->>'connectionId' = ${connectionId}`;
    expect(announced).toEqual([{ organizationId }]);
  });

  it('a connection gets a Schedule that syncs at once', async () => {
    const { connectionId } = await connected({ campaigns: 1, adGroups: 1, ads: 1 });
    await startSyncingAdsConnection(client, connectionId, { taskQueue });
    try {
      const description = await client.schedule.getHandle(adsInventoryScheduleId(connectionId)).describe();
      expect(description.spec.intervals?.[0]?.every).toBe(6 * 3_600_000);
      await waitFor(
        () => db.adsConnection.findUniqueOrThrow({ where: { id: connectionId } }),
        (row) => row.lastInventorySyncAt !== null,
        30_000,
        'the first inventory sync',
      );
      expect(await db.adsAd.count({ where: { advertiser: { connectionId } } })).toBe(1);
    } finally {
      await removeAdsInventorySchedule(client, connectionId);
    }
  });
});
