import type { Database } from '@pressroom/db';

/** One ad's counts on one day, as read from report/integrated/get (spend in cents). */
export interface AdFactRow {
  /** The AdsAd row's id. */
  adId: string;
  adGroupId: string;
  campaignId: string;
  advertiserId: string;
  organizationId: string;
  /** YYYY-MM-DD, the advertiser's day. */
  day: string;
  spendCents: number;
  impressions: number;
  clicks: number;
  reach: number;
  conversions: number;
  videoPlays: number;
  videoViewsP25: number;
  videoViewsP50: number;
  videoViewsP75: number;
  videoViewsP100: number;
  likes: number;
  comments: number;
  shares: number;
  follows: number;
}

export const factCountColumns = [
  'spendCents',
  'impressions',
  'clicks',
  'reach',
  'conversions',
  'videoPlays',
  'videoViewsP25',
  'videoViewsP50',
  'videoViewsP75',
  'videoViewsP100',
  'likes',
  'comments',
  'shares',
  'follows',
] as const;

const quoted = (name: string) => `"${name}"`;

/**
 * Writes ad facts in one statement per call: every column travels as one array parameter and
 * `unnest` turns them into rows, so a page of 1,000 facts is one round trip and one plan. A
 * day read again (TikTok revises recent days) replaces what was there.
 */
export async function writeAdFacts(db: Database, rows: readonly AdFactRow[], fetchedAt: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const counts = factCountColumns.map((column) => rows.map((row) => row[column]));
  const params: unknown[] = [
    rows.map((row) => row.adId),
    rows.map((row) => row.day),
    rows.map((row) => row.organizationId),
    rows.map((row) => row.advertiserId),
    rows.map((row) => row.campaignId),
    rows.map((row) => row.adGroupId),
    ...counts,
    fetchedAt,
  ];
  const countParams = factCountColumns.map((_, i) => `$${i + 7}::int8[]`).join(', ');
  const sql = `INSERT INTO "AdsDailyFact" ("objectId", "day", "level", "organizationId", "advertiserId", "campaignId", "adGroupId", ${factCountColumns.map(quoted).join(', ')}, "fetchedAt")
    SELECT o, d, 'AD'::"AdsFactLevel", org, adv, c, g, ${factCountColumns.map((_, i) => `n${i}`).join(', ')}, $${factCountColumns.length + 7}::timestamp
    FROM unnest($1::text[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], ${countParams})
      AS t(o, d, org, adv, c, g, ${factCountColumns.map((_, i) => `n${i}`).join(', ')})
    ON CONFLICT ("objectId", "day") DO UPDATE SET ${factCountColumns.map((column) => `${quoted(column)} = EXCLUDED.${quoted(column)}`).join(', ')}, "fetchedAt" = EXCLUDED."fetchedAt"`;
  return db.$executeRawUnsafe(sql, ...params);
}

/**
 * Re-derives the ad group, campaign and advertiser rows of [from, to] from the ad rows of one
 * advertiser: sums, so a report at any level adds up exactly to its ads. (Reach is summed too:
 * TikTok's own reach of a campaign de-duplicates people across its ads, which sums cannot.)
 */
export async function rollUpFacts(db: Database, advertiserId: string, from: string, to: string): Promise<void> {
  const sums = factCountColumns.map((column) => `sum(${quoted(column)})`).join(', ');
  const updates = [
    ...factCountColumns.map((column) => `${quoted(column)} = EXCLUDED.${quoted(column)}`),
    `"fetchedAt" = EXCLUDED."fetchedAt"`,
  ].join(', ');
  const columns = `"objectId", "day", "level", "organizationId", "advertiserId", "campaignId", "adGroupId", ${factCountColumns.map(quoted).join(', ')}, "fetchedAt"`;
  const where = `"advertiserId" = $1 AND "level" = 'AD' AND "day" BETWEEN $2::date AND $3::date`;
  const levels = [
    { level: 'ADGROUP', object: '"adGroupId"', campaign: 'min("campaignId")', group: '"adGroupId"' },
    { level: 'CAMPAIGN', object: '"campaignId"', campaign: '"campaignId"', group: 'NULL' },
    { level: 'ADVERTISER', object: '"advertiserId"', campaign: 'NULL', group: 'NULL' },
  ];
  // One statement per level, not one transaction: each is an idempotent upsert of sums, and a
  // window of 10,000 ads outlasts an interactive transaction's time limit.
  for (const l of levels) {
    await db.$executeRawUnsafe(
      `INSERT INTO "AdsDailyFact" (${columns})
         SELECT ${l.object}, "day", '${l.level}'::"AdsFactLevel", min("organizationId"), $1, ${l.campaign}, ${l.group}, ${sums}, max("fetchedAt")
         FROM "AdsDailyFact" WHERE ${where}
         GROUP BY ${l.object}, "day"
         ON CONFLICT ("objectId", "day") DO UPDATE SET ${updates}`,
      advertiserId,
      from,
      to,
    );
  }
}
