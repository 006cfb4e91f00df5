import { Prisma, type Advertiser } from '@pressroom/db';
import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { authorize, parseInput, type ServiceContext } from './context.js';

// Reports over the daily facts (AdsDailyFact): one level's rows in a date range, per object
// over the whole range or per object and day / week, with totals, sorted and paged. Each
// level reads its own rolled-up rows, so a 90-day campaign report over 10,000 ads reads
// campaigns × days rows. Amounts are in the advertiser's currency, so a report never mixes
// currencies.

export const adsReportLevels = ['ADVERTISER', 'CAMPAIGN', 'ADGROUP', 'AD'] as const;
export const adsReportGroupings = ['OBJECT', 'DAY', 'WEEK'] as const;

/** The metrics a report can show, sort by and export, with the facts' columns they come from. */
export const adsMetrics = [
  'SPEND',
  'IMPRESSIONS',
  'CLICKS',
  'CTR',
  'CPC',
  'CPM',
  'REACH',
  'CONVERSIONS',
  'COST_PER_CONVERSION',
  'VIDEO_PLAYS',
  'VIDEO_VIEWS_P25',
  'VIDEO_VIEWS_P50',
  'VIDEO_VIEWS_P75',
  'VIDEO_VIEWS_P100',
  'LIKES',
  'COMMENTS',
  'SHARES',
  'FOLLOWS',
] as const;
export type AdsMetric = (typeof adsMetrics)[number];

export const countColumns = {
  spendCents: 'spendCents',
  impressions: 'impressions',
  clicks: 'clicks',
  reach: 'reach',
  conversions: 'conversions',
  videoPlays: 'videoPlays',
  videoViewsP25: 'videoViewsP25',
  videoViewsP50: 'videoViewsP50',
  videoViewsP75: 'videoViewsP75',
  videoViewsP100: 'videoViewsP100',
  likes: 'likes',
  comments: 'comments',
  shares: 'shares',
  follows: 'follows',
} as const;
type CountKey = keyof typeof countColumns;
export type AdsCounts = Record<CountKey, bigint>;

/** SQL (over summed columns) each metric sorts by; ratios computed exactly from the sums. */
const sortExpressions: Record<AdsMetric, string> = {
  SPEND: 'sum("spendCents")',
  IMPRESSIONS: 'sum("impressions")',
  CLICKS: 'sum("clicks")',
  CTR: 'sum("clicks")::numeric / NULLIF(sum("impressions"), 0)',
  CPC: 'sum("spendCents")::numeric / NULLIF(sum("clicks"), 0)',
  CPM: 'sum("spendCents")::numeric / NULLIF(sum("impressions"), 0)',
  REACH: 'sum("reach")',
  CONVERSIONS: 'sum("conversions")',
  COST_PER_CONVERSION: 'sum("spendCents")::numeric / NULLIF(sum("conversions"), 0)',
  VIDEO_PLAYS: 'sum("videoPlays")',
  VIDEO_VIEWS_P25: 'sum("videoViewsP25")',
  VIDEO_VIEWS_P50: 'sum("videoViewsP50")',
  VIDEO_VIEWS_P75: 'sum("videoViewsP75")',
  VIDEO_VIEWS_P100: 'sum("videoViewsP100")',
  LIKES: 'sum("likes")',
  COMMENTS: 'sum("comments")',
  SHARES: 'sum("shares")',
  FOLLOWS: 'sum("follows")',
};

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/** A report's settings (what a saved view keeps), without its organization. */
export const adsReportSettings = z.object({
  level: z.enum(adsReportLevels),
  from: day,
  to: day,
  groupBy: z.enum(adsReportGroupings).default('OBJECT'),
  advertiserIds: z.array(z.string()).max(100).nullish(),
  campaignIds: z.array(z.string()).max(1000).nullish(),
  adGroupIds: z.array(z.string()).max(1000).nullish(),
  adIds: z.array(z.string()).max(1000).nullish(),
  metrics: z.array(z.enum(adsMetrics)).min(1).max(adsMetrics.length).nullish(),
  sortBy: z.enum([...adsMetrics, 'NAME', 'PERIOD']).default('SPEND'),
  sortDirection: z.enum(['ASC', 'DESC']).default('DESC'),
});

export const adsReportInput = adsReportSettings
  .extend({ organizationId: z.string() })
  .refine((input) => input.from <= input.to, { message: 'from must not be after to', path: ['to'] })
  .refine((input) => Date.parse(input.to) - Date.parse(input.from) <= 366 * 86_400_000, {
    message: 'a report spans at most 367 days',
    path: ['to'],
  });
export type AdsReportInput = z.output<typeof adsReportInput>;

export interface AdsReportRow {
  /** The Advertiser, AdsCampaign, AdsAdGroup or AdsAd row's id. */
  objectId: string;
  level: (typeof adsReportLevels)[number];
  name: string;
  /** The day, or the Monday that starts the week; null when grouped by object only. */
  period: string | null;
  /** The advertiser the object belongs to (itself at the ADVERTISER level). */
  advertiserId: string;
  /** Its row, on the rows of a page (not on the CSV export's). */
  advertiser?: Advertiser;
  counts: AdsCounts;
  /** Where the row stands in the report's order; a page after it starts from here. */
  key: AdsReportKey;
}

/**
 * A row's place in the report's order, for keyset pages: the next page is the rows after it,
 * so rows that appear before it meanwhile (a new ad, a revised day) do not shift or repeat
 * rows as an offset would. sortNull/sortValue stand for the sorted metric (null when its
 * denominator is 0), period is '' when not grouped by one.
 */
export interface AdsReportKey {
  sortNull: boolean;
  sortValue: string;
  name: string;
  objectId: string;
  period: string;
}

type KeyColumn = keyof AdsReportKey;
const keyCasts: Record<KeyColumn, string> = {
  sortNull: 'boolean',
  sortValue: 'numeric',
  name: 'text',
  objectId: 'text',
  period: 'text',
};

/**
 * The report's order as non-null columns, each ascending or descending; the last ones make
 * every row's place unique. Same order as before keysets: NULL names and periods first when
 * ascending and last when descending (as '' is), metrics without a value after the others
 * when descending and before them when ascending.
 */
function orderColumns(input: AdsReportInput): Array<{ column: KeyColumn; desc: boolean }> {
  const desc = input.sortDirection !== 'ASC';
  if (input.sortBy === 'NAME') {
    return [
      { column: 'name', desc },
      { column: 'objectId', desc: false },
      { column: 'period', desc: false },
    ];
  }
  if (input.sortBy === 'PERIOD') {
    return [
      { column: 'period', desc },
      { column: 'sortNull', desc: false },
      { column: 'sortValue', desc: true },
      { column: 'objectId', desc: false },
    ];
  }
  return [
    { column: 'sortNull', desc: !desc },
    { column: 'sortValue', desc },
    { column: 'objectId', desc: false },
    { column: 'period', desc: false },
  ];
}

/** Rows strictly after `key` in the order: (a > x) OR (a = x AND b > y) OR … */
function afterKey(columns: Array<{ column: KeyColumn; desc: boolean }>, key: AdsReportKey): Prisma.Sql {
  const value = (column: KeyColumn) =>
    Prisma.sql`CAST(${column === 'sortNull' ? key.sortNull : String(key[column])} AS ${Prisma.raw(keyCasts[column])})`;
  const ref = (column: KeyColumn) => Prisma.raw(`r."${column}"`);
  const branches = columns.map((current, index) => {
    const equal = columns.slice(0, index).map(({ column }) => Prisma.sql`${ref(column)} = ${value(column)}`);
    const beyond = Prisma.sql`${ref(current.column)} ${Prisma.raw(current.desc ? '<' : '>')} ${value(current.column)}`;
    return Prisma.sql`(${Prisma.join([...equal, beyond], ' AND ')})`;
  });
  return Prisma.join(branches, ' OR ');
}

/** A validated, authorized report: where its rows come from and in which currency. */
export interface AdsReportQuery {
  input: AdsReportInput;
  organizationId: string;
  advertiserIds: string[];
  currency: string | null;
}

const objectTables = {
  ADVERTISER: 'Advertiser',
  CAMPAIGN: 'AdsCampaign',
  ADGROUP: 'AdsAdGroup',
  AD: 'AdsAd',
} as const;

/**
 * Checks the input and the viewer's `ads:read` in the organization, and settles the
 * advertisers it covers: every one named (of this organization; others answer as missing) or
 * all of the organization's, and they must share one currency.
 */
export async function prepareAdsReport(
  ctx: ServiceContext,
  raw: z.input<typeof adsReportInput>,
): Promise<AdsReportQuery> {
  const input = parseInput(adsReportInput, raw);
  authorize(ctx, input.organizationId, 'ads:read', 'Organization');
  const advertisers = await ctx.db.advertiser.findMany({
    where: {
      organizationId: input.organizationId,
      ...(input.advertiserIds ? { id: { in: input.advertiserIds } } : {}),
    },
    select: { id: true, currency: true },
  });
  if (input.advertiserIds && advertisers.length !== new Set(input.advertiserIds).size) {
    throw new InvalidInputError('Some advertisers were not found.', [{ path: 'advertiserIds', message: 'not found' }]);
  }
  const currencies = new Set(advertisers.map((a) => a.currency ?? ''));
  if (currencies.size > 1) {
    throw new InvalidInputError('These advertisers use different currencies: report them one currency at a time.', [
      { path: 'advertiserIds', message: 'mixed currencies' },
    ]);
  }
  return {
    input,
    organizationId: input.organizationId,
    advertiserIds: advertisers.map((a) => a.id),
    currency: advertisers[0]?.currency ?? null,
  };
}

/** WHERE over AdsDailyFact for a report (always within its organization and advertisers). */
function factFilter(query: AdsReportQuery): Prisma.Sql {
  const { input } = query;
  const parts: Prisma.Sql[] = [
    Prisma.sql`f."organizationId" = ${query.organizationId}`,
    Prisma.sql`f."advertiserId" = ANY(${query.advertiserIds}::text[])`,
    Prisma.sql`f."level" = ${input.level}::"AdsFactLevel"`,
    Prisma.sql`f."day" BETWEEN ${input.from}::date AND ${input.to}::date`,
  ];
  if (input.campaignIds) parts.push(Prisma.sql`f."campaignId" = ANY(${input.campaignIds}::text[])`);
  if (input.adGroupIds) {
    parts.push(
      input.level === 'ADGROUP'
        ? Prisma.sql`f."objectId" = ANY(${input.adGroupIds}::text[])`
        : Prisma.sql`f."adGroupId" = ANY(${input.adGroupIds}::text[])`,
    );
  }
  if (input.adIds) parts.push(Prisma.sql`f."objectId" = ANY(${input.adIds}::text[])`);
  return Prisma.join(parts, ' AND ');
}

function periodExpression(groupBy: AdsReportInput['groupBy']): Prisma.Sql {
  if (groupBy === 'DAY') return Prisma.sql`f."day"`;
  if (groupBy === 'WEEK') return Prisma.sql`date_trunc('week', f."day")::date`;
  return Prisma.sql`NULL::date`;
}

const sums = Prisma.raw(
  Object.entries(countColumns)
    .map(([key, column]) => `sum(f."${column}")::int8 AS "${key}"`)
    .join(', '),
);

type SumRow = Record<CountKey, bigint | null>;

function countsOf(row: SumRow): AdsCounts {
  const counts = {} as AdsCounts;
  for (const key of Object.keys(countColumns) as CountKey[]) counts[key] = row[key] ?? 0n;
  return counts;
}

/**
 * Where a report's totals come from. A report not narrowed to some campaigns, ad groups or ads
 * covers everything its advertisers ran, so TikTok's advertiser-level facts are its totals:
 * reach there counts each person once, where adding up campaigns (or ads) would count someone
 * reached by two of them twice. A narrowed report can only add up its rows.
 */
function totalsQuery(query: AdsReportQuery): AdsReportQuery {
  const { input } = query;
  return input.campaignIds || input.adGroupIds || input.adIds
    ? query
    : { ...query, input: { ...input, level: 'ADVERTISER' } };
}

/** The report's totals over every row it covers. */
export async function adsReportTotals(ctx: ServiceContext, query: AdsReportQuery): Promise<AdsCounts> {
  const [row] = await ctx.db.$queryRaw<
    SumRow[]
  >`SELECT ${sums} FROM "AdsDailyFact" f WHERE ${factFilter(totalsQuery(query))}`;
  return countsOf(row ?? ({} as SumRow));
}

/** How many rows the report has (objects, or objects × periods). */
export async function adsReportCount(ctx: ServiceContext, query: AdsReportQuery): Promise<number> {
  const [row] = await ctx.db.$queryRaw<Array<{ n: bigint }>>`
    SELECT count(*)::int8 AS n FROM (
      SELECT 1 FROM "AdsDailyFact" f WHERE ${factFilter(query)} GROUP BY f."objectId", ${periodExpression(query.input.groupBy)}
    ) g`;
  return Number(row?.n ?? 0);
}

/**
 * The SQL of the report's rows in order (shared by a page and by the CSV export's cursor):
 * with `page`, at most `limit` rows after `after` (a keyset; see AdsReportKey).
 */
export function adsReportRowsSql(
  query: AdsReportQuery,
  page?: { after: AdsReportKey | null; limit: number },
): Prisma.Sql {
  const { input } = query;
  const period = periodExpression(input.groupBy);
  const columns = orderColumns(input);
  const order = Prisma.raw(columns.map(({ column, desc }) => `r."${column}" ${desc ? 'DESC' : 'ASC'}`).join(', '));
  const sortKey = Prisma.raw(
    sortExpressions[input.sortBy === 'NAME' || input.sortBy === 'PERIOD' ? 'SPEND' : input.sortBy],
  );
  const table = Prisma.raw(`"${objectTables[input.level]}"`);
  const where = page?.after ? Prisma.sql`WHERE ${afterKey(columns, page.after)}` : Prisma.empty;
  const limit = page ? Prisma.sql`LIMIT ${page.limit}` : Prisma.empty;
  return Prisma.sql`
    SELECT r.* FROM (
      SELECT g.*, coalesce(o."name", '') AS "name", to_char(g."periodDay", 'YYYY-MM-DD') AS "periodText",
        coalesce(to_char(g."periodDay", 'YYYY-MM-DD'), '') AS "period",
        g."sortKey" IS NULL AS "sortNull", coalesce(g."sortKey", 0)::numeric AS "sortValue",
        coalesce(g."sortKey", 0)::numeric::text AS "sortText"
      FROM (
        SELECT f."objectId", f."advertiserId", ${period} AS "periodDay", ${sums}, ${sortKey} AS "sortKey"
        FROM "AdsDailyFact" f WHERE ${factFilter(query)}
        GROUP BY f."objectId", f."advertiserId", ${period}
      ) g LEFT JOIN ${table} o ON o."id" = g."objectId"
    ) r ${where}
    ORDER BY ${order} ${limit}`;
}

/** A row as adsReportRowsSql gives it. */
export type AdsReportSqlRow = SumRow & {
  objectId: string;
  advertiserId: string;
  name: string;
  periodText: string | null;
  period: string;
  sortNull: boolean;
  sortText: string;
};

export function reportRowOf(query: AdsReportQuery, row: AdsReportSqlRow): AdsReportRow {
  return {
    objectId: row.objectId,
    level: query.input.level,
    name: row.name,
    period: row.periodText,
    advertiserId: row.advertiserId,
    counts: countsOf(row),
    key: {
      sortNull: row.sortNull,
      sortValue: row.sortText,
      name: row.name,
      objectId: row.objectId,
      period: row.period,
    },
  };
}

/** One page of the report's rows: up to `limit` after `after`, and whether more follow. */
export async function adsReportRows(
  ctx: ServiceContext,
  query: AdsReportQuery,
  page: { after: AdsReportKey | null; limit: number },
): Promise<{ rows: AdsReportRow[]; hasNextPage: boolean }> {
  const rows = await ctx.db.$queryRaw<AdsReportSqlRow[]>(
    adsReportRowsSql(query, { after: page.after, limit: page.limit + 1 }),
  );
  const shown = rows.slice(0, page.limit).map((row) => reportRowOf(query, row));
  // One read for the page's advertisers (the report already checked they are the organization's).
  const advertisers = await ctx.db.advertiser.findMany({
    where: { id: { in: [...new Set(shown.map((row) => row.advertiserId))] }, organizationId: query.organizationId },
  });
  const byId = new Map(advertisers.map((advertiser) => [advertiser.id, advertiser]));
  for (const row of shown) row.advertiser = byId.get(row.advertiserId);
  return { rows: shown, hasNextPage: rows.length > page.limit };
}

/** The totals per day or week across every object (a chart's series). */
export async function adsReportSeries(
  ctx: ServiceContext,
  query: AdsReportQuery,
  interval: 'DAY' | 'WEEK',
): Promise<Array<{ period: string; counts: AdsCounts }>> {
  const period = periodExpression(interval);
  const rows = await ctx.db.$queryRaw<Array<SumRow & { period: string }>>`
    SELECT to_char(${period}, 'YYYY-MM-DD') AS "period", ${sums}
    FROM "AdsDailyFact" f WHERE ${factFilter(totalsQuery(query))}
    GROUP BY ${period} ORDER BY ${period}`;
  return rows.map((row) => ({ period: row.period, counts: countsOf(row) }));
}

/** Cents as a decimal string of the currency's units ("1234.05"), exact. */
export function centsToAmount(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** numerator / denominator rounded half up to `places` decimals, as a string; null when dividing by zero. */
export function ratio(numerator: bigint, denominator: bigint, places = 2): string | null {
  if (denominator === 0n) return null;
  const scale = 10n ** BigInt(places);
  const scaled = (numerator * scale * 2n + denominator) / (denominator * 2n);
  const whole = scaled / scale;
  const fraction = String(scaled % scale).padStart(places, '0');
  return places ? `${whole}.${fraction}` : String(whole);
}

/** Every metric of a row or total as the API shows it (amounts in the currency's units). */
export function metricValues(counts: AdsCounts): Record<AdsMetric, string | null> {
  return {
    SPEND: centsToAmount(counts.spendCents),
    IMPRESSIONS: String(counts.impressions),
    CLICKS: String(counts.clicks),
    // Percent, as TikTok's ctr.
    CTR: ratio(counts.clicks * 100n, counts.impressions),
    CPC: ratio(counts.spendCents, counts.clicks * 100n),
    CPM: ratio(counts.spendCents * 1000n, counts.impressions * 100n),
    REACH: String(counts.reach),
    CONVERSIONS: String(counts.conversions),
    COST_PER_CONVERSION: ratio(counts.spendCents, counts.conversions * 100n),
    VIDEO_PLAYS: String(counts.videoPlays),
    VIDEO_VIEWS_P25: String(counts.videoViewsP25),
    VIDEO_VIEWS_P50: String(counts.videoViewsP50),
    VIDEO_VIEWS_P75: String(counts.videoViewsP75),
    VIDEO_VIEWS_P100: String(counts.videoViewsP100),
    LIKES: String(counts.likes),
    COMMENTS: String(counts.comments),
    SHARES: String(counts.shares),
    FOLLOWS: String(counts.follows),
  };
}
