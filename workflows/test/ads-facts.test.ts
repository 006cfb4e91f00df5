import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factCountColumns, rollUpFacts, writeAdFacts, type AdFactRow } from '../src/activities/ads-facts.js';
import { countsAtAge, settledCounts, type DailyCounts } from '../src/emulators/tiktok-ads.js';
import { seedTenant } from './helpers.js';

// The daily fact store: ad rows as written, a re-read day replacing what was there, and the
// ad group, campaign and advertiser rows being exactly the sums of their ads.

type Counts = Record<(typeof factCountColumns)[number], number>;

function fromEmulator(c: DailyCounts): Counts {
  return {
    spendCents: c.spend,
    impressions: c.impressions,
    clicks: c.clicks,
    reach: c.reach,
    conversions: c.conversion,
    videoPlays: c.video_play_actions,
    videoViewsP25: c.video_views_p25,
    videoViewsP50: c.video_views_p50,
    videoViewsP75: c.video_views_p75,
    videoViewsP100: c.video_views_p100,
    likes: c.likes,
    comments: c.comments,
    shares: c.shares,
    follows: c.follows,
  };
}

function sum(rows: Counts[]): Counts {
  const out = Object.fromEntries(factCountColumns.map((c) => [c, 0])) as Counts;
  for (const row of rows) for (const c of factCountColumns) out[c] += row[c];
  return out;
}

function asNumbers(row: Record<string, unknown>): Counts {
  return Object.fromEntries(factCountColumns.map((c) => [c, Number(row[c] as bigint)])) as Counts;
}

describe('ads daily facts', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url, maxConnections: 4 });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  /** An advertiser with 2 campaigns × 2 ad groups × 3 ads (rows only, no TikTok). */
  async function seedInventory() {
    const tenant = await seedTenant(db);
    const organizationId = tenant.organizationId;
    const connection = await db.adsConnection.create({ data: { organizationId } });
    const advertiser = await db.advertiser.create({
      data: { organizationId, connectionId: connection.id, platformAdvertiserId: `adv-${connection.id}` },
    });
    const now = new Date();
    const ads: Array<{ id: string; platformId: string; adGroupId: string; campaignId: string }> = [];
    for (let c = 0; c < 2; c++) {
      const campaign = await db.adsCampaign.create({
        data: {
          organizationId,
          advertiserId: advertiser.id,
          platformId: `c${c}-${connection.id}`,
          operationStatus: 'ENABLE',
          lastSeenAt: now,
        },
      });
      for (let g = 0; g < 2; g++) {
        const group = await db.adsAdGroup.create({
          data: {
            organizationId,
            advertiserId: advertiser.id,
            campaignId: campaign.id,
            platformId: `g${c}.${g}-${connection.id}`,
            operationStatus: 'ENABLE',
            lastSeenAt: now,
          },
        });
        for (let a = 0; a < 3; a++) {
          const ad = await db.adsAd.create({
            data: {
              organizationId,
              advertiserId: advertiser.id,
              campaignId: campaign.id,
              adGroupId: group.id,
              platformId: `a${c}.${g}.${a}-${connection.id}`,
              operationStatus: 'ENABLE',
              lastSeenAt: now,
            },
          });
          ads.push({ id: ad.id, platformId: ad.platformId, adGroupId: group.id, campaignId: campaign.id });
        }
      }
    }
    const factRow = (ad: (typeof ads)[number], day: string, counts: Counts): AdFactRow => ({
      adId: ad.id,
      adGroupId: ad.adGroupId,
      campaignId: ad.campaignId,
      advertiserId: advertiser.id,
      organizationId,
      day,
      ...counts,
    });
    return { organizationId, advertiserId: advertiser.id, ads, factRow };
  }

  const days = ['2026-09-01', '2026-09-02', '2026-09-03', '2026-09-04'];

  it('stores each ad day exactly, and the rollups are the sums of their ads at every level', async () => {
    const { advertiserId, ads, factRow } = await seedInventory();
    const expected = new Map<string, Counts>();
    const rows = ads.flatMap((ad) =>
      days.map((day) => {
        const counts = fromEmulator(settledCounts(ad.platformId, day));
        expected.set(`${ad.id}|${day}`, counts);
        return factRow(ad, day, counts);
      }),
    );
    const fetchedAt = new Date();
    expect(await writeAdFacts(db, rows, fetchedAt)).toBe(rows.length);
    await rollUpFacts(db, advertiserId, days[0]!, days.at(-1)!);

    const stored = await db.adsDailyFact.findMany({ where: { advertiserId, level: 'AD' } });
    expect(stored).toHaveLength(ads.length * days.length);
    for (const row of stored) {
      const day = row.day.toISOString().slice(0, 10);
      expect(asNumbers(row), `${row.objectId} ${day}`).toEqual(expected.get(`${row.objectId}|${day}`));
    }

    // Every level: one row per object and day, equal to the sum of the ads under it.
    const levels = [
      { level: 'ADGROUP' as const, key: (ad: (typeof ads)[number]) => ad.adGroupId, objects: 4 },
      { level: 'CAMPAIGN' as const, key: (ad: (typeof ads)[number]) => ad.campaignId, objects: 2 },
      { level: 'ADVERTISER' as const, key: () => advertiserId, objects: 1 },
    ];
    for (const { level, key, objects } of levels) {
      const rolled = await db.adsDailyFact.findMany({ where: { advertiserId, level } });
      expect(rolled, level).toHaveLength(objects * days.length);
      for (const row of rolled) {
        const day = row.day.toISOString().slice(0, 10);
        const under = ads.filter((ad) => key(ad) === row.objectId).map((ad) => expected.get(`${ad.id}|${day}`)!);
        expect(under.length).toBeGreaterThan(0);
        expect(asNumbers(row), `${level} ${row.objectId} ${day}`).toEqual(sum(under));
      }
      const campaignOf = rolled.every((row) =>
        level === 'ADVERTISER' ? row.campaignId === null : row.campaignId !== null,
      );
      expect(campaignOf, `${level} rows name their campaign`).toBe(true);
    }
  });

  it('a revised day read again replaces the stored counts and its rollups, and adds no rows', async () => {
    const { advertiserId, ads, factRow } = await seedInventory();
    const today = days.at(-1)!;
    // First read: the last two days still young (TikTok has not attributed everything yet).
    const firstRead = ads.flatMap((ad) =>
      days.map((day, i) => factRow(ad, day, fromEmulator(countsAtAge(ad.platformId, day, days.length - 1 - i, 3)))),
    );
    await writeAdFacts(db, firstRead, new Date());
    await rollUpFacts(db, advertiserId, days[0]!, today);
    const before = await db.adsDailyFact.count({ where: { advertiserId } });
    const youngCampaign = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: ads[0]!.campaignId, day: new Date(`${today}T00:00:00Z`) } },
    });

    // Re-read of the last two days, now settled.
    const reread = ads.flatMap((ad) =>
      days.slice(2).map((day) => factRow(ad, day, fromEmulator(settledCounts(ad.platformId, day)))),
    );
    const later = new Date(Date.now() + 1000);
    await writeAdFacts(db, reread, later);
    await rollUpFacts(db, advertiserId, days[2]!, today);

    expect(await db.adsDailyFact.count({ where: { advertiserId } })).toBe(before);
    for (const ad of ads) {
      for (const [i, day] of days.entries()) {
        const row = await db.adsDailyFact.findUniqueOrThrow({
          where: { objectId_day: { objectId: ad.id, day: new Date(`${day}T00:00:00Z`) } },
        });
        const want =
          i >= 2 ? settledCounts(ad.platformId, day) : countsAtAge(ad.platformId, day, days.length - 1 - i, 3);
        expect(asNumbers(row)).toEqual(fromEmulator(want));
        expect(row.fetchedAt.getTime()).toBe(i >= 2 ? later.getTime() : row.fetchedAt.getTime());
      }
    }
    const campaign = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: ads[0]!.campaignId, day: new Date(`${today}T00:00:00Z`) } },
    });
    const settledSum = sum(
      ads
        .filter((ad) => ad.campaignId === ads[0]!.campaignId)
        .map((ad) => fromEmulator(settledCounts(ad.platformId, today))),
    );
    expect(asNumbers(campaign)).toEqual(settledSum);
    expect(Number(campaign.spendCents)).toBeGreaterThan(Number(youngCampaign.spendCents));
    const advertiserDay = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: advertiserId, day: new Date(`${today}T00:00:00Z`) } },
    });
    expect(asNumbers(advertiserDay)).toEqual(sum(ads.map((ad) => fromEmulator(settledCounts(ad.platformId, today)))));
  });

  it('keeps counts past 32 bits exact and leaves other advertisers alone', async () => {
    const first = await seedInventory();
    const second = await seedInventory();
    const huge = Object.fromEntries(factCountColumns.map((c, i) => [c, 5_000_000_000 + i])) as Counts;
    await writeAdFacts(db, [first.factRow(first.ads[0]!, days[0]!, huge)], new Date());
    await writeAdFacts(db, [second.factRow(second.ads[0]!, days[0]!, huge)], new Date());
    await rollUpFacts(db, first.advertiserId, days[0]!, days[0]!);
    const row = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: first.advertiserId, day: new Date(`${days[0]}T00:00:00Z`) } },
    });
    expect(asNumbers(row)).toEqual(huge);
    // The same ad and day twice in one batch (a page read again): the later copy is kept.
    const once = fromEmulator(settledCounts(first.ads[1]!.platformId, days[1]!));
    const twice = { ...once, spendCents: once.spendCents + 7 };
    await writeAdFacts(
      db,
      [first.factRow(first.ads[1]!, days[1]!, once), first.factRow(first.ads[1]!, days[1]!, twice)],
      new Date(),
    );
    const kept = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: first.ads[1]!.id, day: new Date(`${days[1]}T00:00:00Z`) } },
    });
    expect(asNumbers(kept)).toEqual(twice);
    // The second advertiser was not rolled up by the first's rollup.
    expect(await db.adsDailyFact.count({ where: { advertiserId: second.advertiserId, level: { not: 'AD' } } })).toBe(0);
  });

  it('facts go with their advertiser when the organization is deleted (no foreign key, a trigger)', async () => {
    const gone = await seedInventory();
    const stays = await seedInventory();
    for (const owner of [gone, stays]) {
      await writeAdFacts(
        db,
        [owner.factRow(owner.ads[0]!, days[0]!, fromEmulator(settledCounts('x', days[0]!)))],
        new Date(),
      );
      await rollUpFacts(db, owner.advertiserId, days[0]!, days[0]!);
    }
    expect(await db.adsDailyFact.count({ where: { organizationId: gone.organizationId } })).toBe(4);
    await db.organization.delete({ where: { id: gone.organizationId } });
    expect(await db.adsDailyFact.count({ where: { organizationId: gone.organizationId } })).toBe(0);
    expect(await db.adsDailyFact.count({ where: { organizationId: stays.organizationId } })).toBe(4);
  });
});
