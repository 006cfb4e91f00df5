import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdFactWriter,
  FactsConflict,
  factCountColumns,
  writeFacts,
  type FactLevel,
  type FactRow,
} from '../src/activities/ads-facts.js';
import { countsAtAge, settledCounts, type DailyCounts } from '../src/emulators/tiktok-ads.js';
import { seedTenant } from './helpers.js';

// The daily fact store: each level's rows (ad, ad group, campaign, advertiser) stored exactly as
// read, with their place in the tree, and a re-read day replacing what was there.

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
    const objects: Array<{
      level: FactLevel;
      id: string;
      platformId: string;
      campaignId: string | null;
      adGroupId: string | null;
    }> = [
      {
        level: 'ADVERTISER',
        id: advertiser.id,
        platformId: advertiser.platformAdvertiserId,
        campaignId: null,
        adGroupId: null,
      },
    ];
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
      objects.push({
        level: 'CAMPAIGN',
        id: campaign.id,
        platformId: campaign.platformId,
        campaignId: campaign.id,
        adGroupId: null,
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
        objects.push({
          level: 'ADGROUP',
          id: group.id,
          platformId: group.platformId,
          campaignId: campaign.id,
          adGroupId: group.id,
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
          objects.push({
            level: 'AD',
            id: ad.id,
            platformId: ad.platformId,
            campaignId: campaign.id,
            adGroupId: group.id,
          });
        }
      }
    }
    const factRow = (object: (typeof objects)[number], day: string, counts: Counts): FactRow => ({
      level: object.level,
      objectId: object.id,
      campaignId: object.campaignId,
      adGroupId: object.adGroupId,
      advertiserId: advertiser.id,
      organizationId,
      day,
      ...counts,
    });
    return { organizationId, advertiserId: advertiser.id, ads, objects, factRow };
  }

  const days = ['2026-09-01', '2026-09-02', '2026-09-03', '2026-09-04'];
  const at = (day: string) => new Date(`${day}T00:00:00Z`);

  it('stores each object day at every level exactly as read, placed in its campaign and ad group', async () => {
    const { advertiserId, objects, factRow } = await seedInventory();
    const expected = new Map<string, Counts>();
    // Each level's own numbers (TikTok's report at that level), not sums of the level below.
    const rows = objects.flatMap((object) =>
      days.map((day) => {
        const counts = fromEmulator(settledCounts(object.platformId, day));
        expected.set(`${object.id}|${day}`, counts);
        return factRow(object, day, counts);
      }),
    );
    const fetchedAt = new Date();
    expect(await writeFacts(db, rows, fetchedAt)).toBe(rows.length);

    const stored = await db.adsDailyFact.findMany({ where: { advertiserId } });
    expect(stored).toHaveLength(objects.length * days.length);
    for (const row of stored) {
      const day = row.day.toISOString().slice(0, 10);
      const object = objects.find((candidate) => candidate.id === row.objectId)!;
      expect(asNumbers(row), `${row.objectId} ${day}`).toEqual(expected.get(`${row.objectId}|${day}`));
      expect([row.level, row.campaignId, row.adGroupId]).toEqual([object.level, object.campaignId, object.adGroupId]);
      expect(row.fetchedAt.getTime()).toBe(fetchedAt.getTime());
    }
    for (const [level, count] of [
      ['AD', 12],
      ['ADGROUP', 4],
      ['CAMPAIGN', 2],
      ['ADVERTISER', 1],
    ] as const) {
      expect(await db.adsDailyFact.count({ where: { advertiserId, level } }), level).toBe(count * days.length);
    }
  });

  it('a revised day read again replaces the stored counts at every level, and adds no rows', async () => {
    const { advertiserId, objects, factRow } = await seedInventory();
    const today = days.at(-1)!;
    // First read: the last two days still young (TikTok has not attributed everything yet).
    const firstRead = objects.flatMap((object) =>
      days.map((day, i) =>
        factRow(object, day, fromEmulator(countsAtAge(object.platformId, day, days.length - 1 - i, 3))),
      ),
    );
    await writeFacts(db, firstRead, new Date());
    const before = await db.adsDailyFact.count({ where: { advertiserId } });
    const campaignObject = objects.find((object) => object.level === 'CAMPAIGN')!;
    const youngCampaign = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: campaignObject.id, day: at(today) } },
    });

    // Re-read of the last two days, now settled.
    const reread = objects.flatMap((object) =>
      days.slice(2).map((day) => factRow(object, day, fromEmulator(settledCounts(object.platformId, day)))),
    );
    const later = new Date(Date.now() + 1000);
    await writeFacts(db, reread, later);

    expect(await db.adsDailyFact.count({ where: { advertiserId } })).toBe(before);
    for (const object of objects) {
      for (const [i, day] of days.entries()) {
        const row = await db.adsDailyFact.findUniqueOrThrow({
          where: { objectId_day: { objectId: object.id, day: at(day) } },
        });
        const want =
          i >= 2 ? settledCounts(object.platformId, day) : countsAtAge(object.platformId, day, days.length - 1 - i, 3);
        expect(asNumbers(row), `${object.level} ${day}`).toEqual(fromEmulator(want));
        if (i >= 2) expect(row.fetchedAt.getTime()).toBe(later.getTime());
      }
    }
    const campaign = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: campaignObject.id, day: at(today) } },
    });
    expect(Number(campaign.spendCents)).toBeGreaterThan(Number(youngCampaign.spendCents));
  });

  it('keeps counts past 32 bits exact, keeps the later copy of a row read twice, and leaves other advertisers alone', async () => {
    const first = await seedInventory();
    const second = await seedInventory();
    const huge = Object.fromEntries(factCountColumns.map((c, i) => [c, 5_000_000_000 + i])) as Counts;
    const firstAdvertiser = first.objects.find((object) => object.level === 'ADVERTISER')!;
    await writeFacts(db, [first.factRow(firstAdvertiser, days[0]!, huge)], new Date());
    const row = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: first.advertiserId, day: at(days[0]!) } },
    });
    expect(asNumbers(row)).toEqual(huge);
    // The same ad and day twice in one batch (a page read again): the later copy is kept.
    const ad = first.objects.find((object) => object.level === 'AD')!;
    const once = fromEmulator(settledCounts(ad.platformId, days[1]!));
    const twice = { ...once, spendCents: once.spendCents + 7 };
    await writeFacts(db, [first.factRow(ad, days[1]!, once), first.factRow(ad, days[1]!, twice)], new Date());
    const kept = await db.adsDailyFact.findUniqueOrThrow({
      where: { objectId_day: { objectId: ad.id, day: at(days[1]!) } },
    });
    expect(asNumbers(kept)).toEqual(twice);
    expect(await db.adsDailyFact.count({ where: { advertiserId: second.advertiserId } })).toBe(0);
  });

  it('writes a window none of whose days are stored straight into the facts, in one transaction: nothing shows before the merge, a writer that dies leaves nothing, and a fact stored meanwhile rolls the window back to be read again', async () => {
    const { advertiserId, objects, factRow } = await seedInventory();
    const rowsOf = (dayList: string[]) =>
      objects.flatMap((object) =>
        dayList.map((day) => factRow(object, day, fromEmulator(settledCounts(object.platformId, day)))),
      );
    const countIn = (from: string, to: string) =>
      db.adsDailyFact.count({ where: { advertiserId, day: { gte: at(from), lte: at(to) } } });
    const fetchedAt = new Date();
    const first = { advertiserIds: [advertiserId], from: days[0]!, to: days[1]! };
    const second = { advertiserIds: [advertiserId], from: days[2]!, to: days[3]! };

    const writer = await AdFactWriter.open(database.url);
    try {
      expect(await writer.writeDirectly(first, fetchedAt)).toBe(true);
      const rows = rowsOf(days.slice(0, 2));
      await writer.add(rows.slice(0, 10));
      await writer.add(rows.slice(10));
      expect(await countIn(days[0]!, days[1]!)).toBe(0);
      expect(await writer.merge(fetchedAt)).toBe(rows.length);
      expect(await countIn(days[0]!, days[1]!)).toBe(rows.length);
      const stored = await db.adsDailyFact.findFirstOrThrow({ where: { advertiserId } });
      expect(stored.fetchedAt.getTime()).toBe(fetchedAt.getTime());
      // Its days are stored now: read again, they are staged and merged.
      expect(await writer.writeDirectly(first, fetchedAt)).toBe(false);
    } finally {
      await writer.close();
    }

    const dying = await AdFactWriter.open(database.url);
    expect(await dying.writeDirectly(second, fetchedAt)).toBe(true);
    await dying.add(rowsOf([days[2]!]));
    await dying.close();
    expect(await countIn(days[2]!, days[3]!)).toBe(0);

    const late = rowsOf([days[2]!, days[3]!]);
    const conflicted = await AdFactWriter.open(database.url);
    try {
      expect(await conflicted.writeDirectly(second, fetchedAt)).toBe(true);
      await conflicted.add(late.slice(0, 5));
      // Another writer stores one fact of the window meanwhile.
      await writeFacts(db, [late[10]!], fetchedAt);
      await expect(conflicted.add(late.slice(5))).rejects.toBeInstanceOf(FactsConflict);
      expect(await countIn(days[2]!, days[3]!)).toBe(1);
      // Read again: staged, and merged over the other writer's row.
      await conflicted.add(late);
      expect(await conflicted.merge(fetchedAt)).toBe(late.length);
    } finally {
      await conflicted.close();
    }
    expect(await countIn(days[2]!, days[3]!)).toBe(late.length);
  });

  it('facts go with their advertiser when the organization is deleted (no foreign key, a trigger)', async () => {
    const gone = await seedInventory();
    const stays = await seedInventory();
    for (const owner of [gone, stays]) {
      const levels = ['AD', 'ADGROUP', 'CAMPAIGN', 'ADVERTISER'].map((level) =>
        owner.objects.find((object) => object.level === level)!,
      );
      await writeFacts(
        db,
        levels.map((object) => owner.factRow(object, days[0]!, fromEmulator(settledCounts('x', days[0]!)))),
        new Date(),
      );
    }
    expect(await db.adsDailyFact.count({ where: { organizationId: gone.organizationId } })).toBe(4);
    await db.organization.delete({ where: { id: gone.organizationId } });
    expect(await db.adsDailyFact.count({ where: { organizationId: gone.organizationId } })).toBe(0);
    expect(await db.adsDailyFact.count({ where: { organizationId: stays.organizationId } })).toBe(4);
  });
});
