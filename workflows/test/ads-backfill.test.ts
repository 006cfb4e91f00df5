import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@pressroom/db';
import { adsConnectionTokenContext } from '@pressroom/db/vault';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, factCountColumns } from '../src/activities/ads-facts.js';
import { tiktokAdsCountMetrics, TikTokAdsEmulator, type DailyCounts } from '../src/emulators/tiktok-ads.js';
import { createTikTokAdsClient } from '../src/platforms/tiktok-ads/index.js';
import { createTikTokClient } from '../src/platforms/tiktok/index.js';
import { syncAdsInventoryWorkflow } from '../src/workflows/ads.js';
import { syncAdsFactsWorkflow } from '../src/workflows/ads-backfill.js';
import { createLocalStorage, createUrlSigner } from '../src/storage/index.js';
import { seedTenant, testVault } from './helpers.js';
import { startWorkerHarness, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `ads-backfill-test-${randomBytes(4).toString('hex')}`;

/** The emulator's metric names → the fact columns, in the same order. */
function asColumns(counts: DailyCounts): Record<string, number> {
  return Object.fromEntries(factCountColumns.map((column, i) => [column, counts[tiktokAdsCountMetrics[i]!]]));
}

describe('ads facts backfill and daily refresh', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  const emulator = new TikTokAdsEmulator({ advertiserRequestsPerSecond: 5, appRequestsPerSecond: 10 });
  const vault = testVault();

  beforeAll(async () => {
    const baseUrl = await emulator.start();
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault,
        tiktok: createTikTokClient({ clientKey: 'x', clientSecret: 'x', authBaseUrl: baseUrl, apiBaseUrl: baseUrl }),
        tiktokAds: createTikTokAdsClient({ apiBaseUrl: baseUrl, appId: emulator.appId, secret: emulator.secret }),
        adsSettings: { minCallIntervalMs: 100, pageSize: 50 },
        // Pages of 100 rows, paced under the emulator's 5 calls per second per advertiser; the
        // worker's "today" is the emulator's.
        adsFactsSettings: { pageSize: 100, minCallIntervalMs: 250, now: () => emulator.clock.now() },
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

  async function connected() {
    const owner = emulator.createAdvertiserOwner({ advertisers: 1, campaigns: 2, adGroups: 2, ads: 3 });
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
    await client.workflow.execute(syncAdsInventoryWorkflow, {
      taskQueue,
      workflowId: `ads-inv-${randomBytes(6).toString('hex')}`,
      args: [{ connectionId: id }],
    });
    return { owner, connectionId: id };
  }

  function syncFacts(connectionId: string) {
    return client.workflow.execute(syncAdsFactsWorkflow, {
      taskQueue,
      workflowId: `ads-facts-${randomBytes(6).toString('hex')}`,
      args: [{ connectionId }],
    });
  }

  /**
   * Every stored day of every object, at every level, equals what TikTok's report at that level
   * answers now. Above the ad level that is not the sum of the ads: reach counts people once.
   */
  async function expectFactsMatchEmulator(
    advertiserId: string,
    platformAdvertiserId: string,
    from: string,
    to: string,
  ) {
    const where = { where: { advertiserId } };
    const [ads, adGroups, campaigns] = await Promise.all([
      db.adsAd.findMany(where),
      db.adsAdGroup.findMany(where),
      db.adsCampaign.findMany(where),
    ]);
    const objects = [
      ...ads.map((o) => ({ level: 'AD' as const, tiktok: 'AUCTION_AD' as const, id: o.id, platformId: o.platformId })),
      ...adGroups.map((o) => ({
        level: 'ADGROUP' as const,
        tiktok: 'AUCTION_ADGROUP' as const,
        id: o.id,
        platformId: o.platformId,
      })),
      ...campaigns.map((o) => ({
        level: 'CAMPAIGN' as const,
        tiktok: 'AUCTION_CAMPAIGN' as const,
        id: o.id,
        platformId: o.platformId,
      })),
      {
        level: 'ADVERTISER' as const,
        tiktok: 'AUCTION_ADVERTISER' as const,
        id: advertiserId,
        platformId: platformAdvertiserId,
      },
    ];
    const stored = await db.adsDailyFact.findMany({
      where: { advertiserId, day: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } },
    });
    const byKey = new Map(stored.map((row) => [`${row.objectId}|${row.day.toISOString().slice(0, 10)}`, row]));
    let checked = 0;
    let reachBelowSum = 0;
    for (const { level, tiktok, id, platformId } of objects) {
      for (let day = from; day <= to; day = addDays(day, 1)) {
        const row = byKey.get(`${id}|${day}`);
        expect(row, `${level} ${platformId} ${day}`).toBeDefined();
        expect(row!.level).toBe(level);
        const counts = Object.fromEntries(factCountColumns.map((c) => [c, Number(row![c])]));
        expect(counts, `${level} ${platformId} ${day}`).toEqual(
          asColumns(emulator.levelCounts(tiktok, platformId, day)!),
        );
        if (level !== 'AD') {
          const summed = emulator
            .adsUnder(tiktok, platformId)
            .reduce((n, ad) => n + (emulator.adCounts(ad.adId, day)?.reach ?? 0), 0);
          if (Number(row!.reach) < summed) reachBelowSum++;
        }
        checked++;
      }
    }
    expect(stored).toHaveLength(checked);
    // What a store summing its ads would get wrong: people reached by two ads counted twice.
    expect(reachBelowSum).toBeGreaterThan(0);
  }

  /** How many times the connection was announced to the ads home (adsConnectionChanged). */
  async function announced(connectionId: string): Promise<number> {
    const [row] = await db.$queryRaw<Array<{ count: bigint }>>`
      SELECT count(*) AS "count" FROM "DomainEvent"
      WHERE "kind" = 'ads.connection.changed' AND "payload"->>'connectionId' = ${connectionId}`;
    return Number(row!.count);
  }

  it('backfills 90 days in 30-day windows, paged and paced, then re-reads the revised days the next day', async () => {
    const { owner, connectionId } = await connected();
    // The inventory read was announced (its time shows on the ads home).
    const afterInventory = await announced(connectionId);
    expect(afterInventory).toBeGreaterThanOrEqual(1);
    const platformAdvertiserId = owner.advertiserIds[0]!;
    const advertiser = await db.advertiser.findFirstOrThrow({ where: { connectionId } });
    const today = emulator.today();
    const from = addDays(today, -89);

    // A TikTok outage on the fifth report page: the window's activity fails and is read again
    // from its start; nothing is stored twice.
    emulator.server.inject(
      { pathPrefix: '/open_api/v1.3/report/integrated/get', skip: 4 },
      { kind: 'status', status: 200, code: '51000', message: 'Internal error' },
      3,
    );
    const logStart = emulator.log.length;
    const outcome = await syncFacts(connectionId);
    expect(outcome).toMatchObject({ state: 'SYNCED', windows: 3, unknownAds: 0 });
    const reports = emulator.log.slice(logStart).filter((call) => call.path.includes('report/integrated/get'));
    // Each window reads every level: 12 ads × 30 days = 360 rows (4 pages of 100), ad groups
    // 120 (2), campaigns 60 (1), the advertiser 30 (1); 3 windows, plus the failed attempts' pages.
    expect(reports.filter((call) => call.code === 0).length).toBeGreaterThanOrEqual(24);
    expect(reports.every((call) => call.code === 0 || call.code === 51000)).toBe(true);
    // Paced: no two report calls of the advertiser closer than the emulator's QPS allows.
    expect(reports.every((call) => call.code !== 40133)).toBe(true);

    await expectFactsMatchEmulator(advertiser.id, platformAdvertiserId, from, today);
    const progressed = await db.advertiser.findUniqueOrThrow({ where: { id: advertiser.id } });
    expect(progressed.factsFrom?.toISOString().slice(0, 10)).toBe(from);
    expect(progressed.factsThrough?.toISOString().slice(0, 10)).toBe(today);
    expect(progressed.lastFactsSyncAt).not.toBeNull();
    const factRows = await db.adsDailyFact.count({ where: { advertiserId: advertiser.id } });
    // The backfill's start and each of its three windows were announced as they happened.
    const afterBackfill = await announced(connectionId);
    expect(afterBackfill - afterInventory).toBeGreaterThanOrEqual(4);

    // A day later: yesterday's and the days before it have grown at TikTok; the next sync
    // reads the new day and the last three days again, and nothing else.
    const yesterdayBefore = await db.adsDailyFact.aggregate({
      where: { advertiserId: advertiser.id, level: 'ADVERTISER', day: new Date(`${today}T00:00:00Z`) },
      _sum: { spendCents: true },
    });
    emulator.clock.advance(86_400_000);
    const next = emulator.today();
    const again = await syncFacts(connectionId);
    expect(again).toMatchObject({ state: 'SYNCED', windows: 1 });
    // One window advanced: one announcement (the backfill's start is not announced again).
    expect(await announced(connectionId)).toBe(afterBackfill + 1);
    const revised = await db.adsDailyFact.aggregate({
      where: { advertiserId: advertiser.id, level: 'ADVERTISER', day: new Date(`${today}T00:00:00Z`) },
      _sum: { spendCents: true },
    });
    expect(Number(revised._sum.spendCents)).toBeGreaterThan(Number(yesterdayBefore._sum.spendCents));
    await expectFactsMatchEmulator(advertiser.id, platformAdvertiserId, from, next);
    // One new day: 12 ads + 4 ad groups + 2 campaigns + 1 advertiser rows more.
    expect(await db.adsDailyFact.count({ where: { advertiserId: advertiser.id } })).toBe(factRows + 19);
    const after = await db.advertiser.findUniqueOrThrow({ where: { id: advertiser.id } });
    expect(after.factsThrough?.toISOString().slice(0, 10)).toBe(next);
  });
});
