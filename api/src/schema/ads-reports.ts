import { z } from 'zod';
import { services } from '../context.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { createAdsReportCsvExport } from '../services/ads-export.js';
import * as reports from '../services/ads-reports.js';
import { builder } from './builder.js';
import { encodeGlobalId, idFor } from './ids.js';
import { AdsConnection, Advertiser } from './ads.js';
import { Organization } from './organization.js';

export const AdsReportLevel = builder.enumType('AdsReportLevel', { values: reports.adsReportLevels });
export const AdsReportGrouping = builder.enumType('AdsReportGrouping', {
  description: 'OBJECT: one row per object over the range; DAY / WEEK (weeks start on Monday): per object and period.',
  values: reports.adsReportGroupings,
});
export const AdsMetric = builder.enumType('AdsMetric', { values: reports.adsMetrics });
export const AdsReportSort = builder.enumType('AdsReportSort', {
  values: [...reports.adsMetrics, 'NAME', 'PERIOD'] as const,
});
export const SortDirection = builder.enumType('AdsSortDirection', { values: ['ASC', 'DESC'] as const });
const AdsSeriesInterval = builder.enumType('AdsSeriesInterval', { values: ['DAY', 'WEEK'] as const });

export const AdsReportInput = builder.inputType('AdsReportInput', {
  fields: (t) => ({
    level: t.field({ type: AdsReportLevel, required: true }),
    from: t.string({ required: true, description: "First day (YYYY-MM-DD, the advertiser's day)." }),
    to: t.string({ required: true, description: 'Last day, included.' }),
    groupBy: t.field({ type: AdsReportGrouping, required: false }),
    advertiserIds: t.globalIDList({
      required: false,
      description: 'Advertisers; all of the organization’s when absent (one currency).',
    }),
    campaignIds: t.globalIDList({ required: false }),
    adGroupIds: t.globalIDList({ required: false }),
    adIds: t.globalIDList({ required: false }),
    metrics: t.field({ type: [AdsMetric], required: false, description: 'Columns of a CSV export (all when absent).' }),
    sortBy: t.field({ type: AdsReportSort, required: false, description: 'SPEND when absent.' }),
    sortDirection: t.field({ type: SortDirection, required: false, description: 'DESC when absent.' }),
  }),
});

export type AdsReportInputShape = typeof AdsReportInput.$inferInput;

/** GraphQL report input → the service's (global ids of each type to row ids). */
export function reportInputFor(organizationId: string, input: AdsReportInputShape) {
  const ids = (list: ReadonlyArray<{ id: string; typename: string }> | null | undefined, type: string) =>
    list ? list.map((id) => idFor(id, type)) : null;
  return {
    organizationId,
    level: input.level,
    from: input.from,
    to: input.to,
    groupBy: input.groupBy ?? undefined,
    advertiserIds: ids(input.advertiserIds, 'Advertiser'),
    campaignIds: ids(input.campaignIds, 'AdsCampaign'),
    adGroupIds: ids(input.adGroupIds, 'AdsAdGroup'),
    adIds: ids(input.adIds, 'AdsAd'),
    metrics: input.metrics ?? null,
    sortBy: input.sortBy ?? undefined,
    sortDirection: input.sortDirection ?? undefined,
  };
}

const AdsMetrics = builder.objectRef<reports.AdsCounts>('AdsMetrics').implement({
  description:
    "A row's or total's metrics. Amounts (spend, cpc, cpm, costPerConversion) are decimal strings in the report's currency; counts are exact (BigInt); ratios are null when their denominator is 0.",
  fields: (t) => ({
    spend: t.string({ resolve: (c) => reports.centsToAmount(c.spendCents) }),
    impressions: t.field({ type: 'BigInt', resolve: (c) => c.impressions }),
    clicks: t.field({ type: 'BigInt', resolve: (c) => c.clicks }),
    ctr: t.string({
      nullable: true,
      description: 'Clicks per 100 impressions.',
      resolve: (c) => reports.metricValues(c).CTR,
    }),
    cpc: t.string({ nullable: true, resolve: (c) => reports.metricValues(c).CPC }),
    cpm: t.string({ nullable: true, resolve: (c) => reports.metricValues(c).CPM }),
    reach: t.field({
      type: 'BigInt',
      description: 'Summed over days and objects (not de-duplicated).',
      resolve: (c) => c.reach,
    }),
    conversions: t.field({ type: 'BigInt', resolve: (c) => c.conversions }),
    costPerConversion: t.string({ nullable: true, resolve: (c) => reports.metricValues(c).COST_PER_CONVERSION }),
    videoPlays: t.field({ type: 'BigInt', resolve: (c) => c.videoPlays }),
    videoViewsP25: t.field({ type: 'BigInt', resolve: (c) => c.videoViewsP25 }),
    videoViewsP50: t.field({ type: 'BigInt', resolve: (c) => c.videoViewsP50 }),
    videoViewsP75: t.field({ type: 'BigInt', resolve: (c) => c.videoViewsP75 }),
    videoViewsP100: t.field({ type: 'BigInt', resolve: (c) => c.videoViewsP100 }),
    likes: t.field({ type: 'BigInt', resolve: (c) => c.likes }),
    comments: t.field({ type: 'BigInt', resolve: (c) => c.comments }),
    shares: t.field({ type: 'BigInt', resolve: (c) => c.shares }),
    follows: t.field({ type: 'BigInt', resolve: (c) => c.follows }),
  }),
});

const objectTypes = { ADVERTISER: 'Advertiser', CAMPAIGN: 'AdsCampaign', ADGROUP: 'AdsAdGroup', AD: 'AdsAd' } as const;

const AdsReportRow = builder.objectRef<reports.AdsReportRow>('AdsReportRow').implement({
  fields: (t) => ({
    objectId: t.id({
      description: 'The Advertiser, AdsCampaign, AdsAdGroup or AdsAd (a node id).',
      resolve: (row) => encodeGlobalId(objectTypes[row.level], row.objectId),
    }),
    level: t.field({ type: AdsReportLevel, resolve: (row) => row.level }),
    name: t.exposeString('name'),
    period: t.exposeString('period', { nullable: true, description: 'The day, or the Monday starting the week.' }),
    advertiser: t.field({
      type: Advertiser,
      nullable: true,
      description:
        'The advertiser (ad account) the object belongs to, itself at the ADVERTISER level: its name and currency tell apart objects of the same name.',
      resolve: (row) => row.advertiser ?? null,
    }),
    metrics: t.field({ type: AdsMetrics, resolve: (row) => row.counts }),
  }),
});

const AdsSeriesPoint = builder.objectRef<{ period: string; counts: reports.AdsCounts }>('AdsSeriesPoint').implement({
  fields: (t) => ({
    period: t.exposeString('period'),
    metrics: t.field({ type: AdsMetrics, resolve: (point) => point.counts }),
  }),
});

const AdsReportPage = builder
  .objectRef<{
    rows: reports.AdsReportRow[];
    hasNextPage: boolean;
    total: number;
    order: string;
  }>('AdsReportPage')
  .implement({
    fields: (t) => ({
      rows: t.field({ type: [AdsReportRow], resolve: (page) => page.rows }),
      totalCount: t.exposeInt('total'),
      hasNextPage: t.exposeBoolean('hasNextPage'),
      endCursor: t.string({
        nullable: true,
        description:
          'Give it as `after` for the next page: the rows after this one in the same order (rows added before it do not shift the next page).',
        resolve: (page) => {
          const last = page.rows.at(-1);
          return last ? encodeCursor(page.order, last.key) : null;
        },
      }),
    }),
  });

/** The sort a cursor belongs to: a cursor of another sort or grouping means nothing here. */
function orderOf(q: reports.AdsReportQuery): string {
  const { sortBy, sortDirection, groupBy } = q.input;
  return `${sortBy}:${sortDirection}:${groupBy}`;
}

function encodeCursor(order: string, key: reports.AdsReportKey): string {
  return Buffer.from(JSON.stringify({ order, key })).toString('base64url');
}

const cursorShape = z.object({
  order: z.string(),
  key: z.object({
    sortNull: z.boolean(),
    sortValue: z.string().regex(/^-?\d+(\.\d+)?$/),
    name: z.string(),
    objectId: z.string(),
    period: z.string(),
  }),
});

function decodeCursor(cursor: string | null | undefined, order: string): reports.AdsReportKey | null {
  if (!cursor) return null;
  let parsed: z.infer<typeof cursorShape> | null = null;
  try {
    parsed = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
  } catch {
    parsed = null;
  }
  if (!parsed || parsed.order !== order) {
    throw new InvalidInputError('Not a cursor of this report.', [{ path: 'after', message: 'unknown cursor' }]);
  }
  return parsed.key;
}

const AdsReport = builder.objectRef<reports.AdsReportQuery>('AdsReport').implement({
  description: 'A report over daily facts: its rows page by page, its totals, and a series for a chart.',
  fields: (t) => ({
    level: t.field({ type: AdsReportLevel, resolve: (q) => q.input.level }),
    from: t.string({ resolve: (q) => q.input.from }),
    to: t.string({ resolve: (q) => q.input.to }),
    currency: t.string({ nullable: true, description: 'ISO 4217 of every amount.', resolve: (q) => q.currency }),
    totals: t.field({
      type: AdsMetrics,
      description:
        "Over every row. Not narrowed to campaigns, ad groups or ads, these are TikTok's advertiser-level numbers, whose reach counts each person once; narrowed, the rows added up (reach then counts someone reached by two of them twice).",
      resolve: (q, _args, ctx) => reports.adsReportTotals(services(ctx), q),
    }),
    rows: t.field({
      type: AdsReportPage,
      args: { first: t.arg.int({ required: false }), after: t.arg.string({ required: false }) },
      complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? 50, 500) }),
      resolve: async (q, args, ctx) => {
        const limit = Math.min(Math.max(args.first ?? 50, 1), 500);
        const order = orderOf(q);
        const after = decodeCursor(args.after, order);
        const [page, total] = await Promise.all([
          reports.adsReportRows(services(ctx), q, { after, limit }),
          reports.adsReportCount(services(ctx), q),
        ]);
        return { ...page, total, order };
      },
    }),
    series: t.field({
      type: [AdsSeriesPoint],
      description: 'Totals per day or week across the rows (for a chart), taken as `totals` is.',
      args: { interval: t.arg({ type: AdsSeriesInterval, required: true }) },
      resolve: (q, args, ctx) => reports.adsReportSeries(services(ctx), q, args.interval),
    }),
  }),
});

builder.prismaObjectField(Organization, 'adsReport', (t) =>
  t.field({
    type: AdsReport,
    description: 'A report over the ads daily facts (ads:read).',
    errors: { types: [InvalidInputError] },
    args: { input: t.arg({ type: AdsReportInput, required: true }) },
    resolve: (org, args, ctx) => reports.prepareAdsReport(services(ctx), reportInputFor(org.id, args.input)),
  }),
);

/** Midnight (as UTC ms) of the advertiser's current day: facts are kept in its own days. */
function advertiserToday(now: number, timeZone: string | null): number {
  let day: string;
  try {
    day = new Intl.DateTimeFormat('en-CA', {
      timeZone: timeZone || 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now);
  } catch {
    day = new Date(now).toISOString().slice(0, 10);
  }
  return Date.parse(`${day}T00:00:00Z`);
}

/** Share of [factsFrom, the advertiser's today] read, 0..1 (null before the first sync planned it). */
function progressOf(
  advertiser: { factsFrom: Date | null; factsThrough: Date | null; timezone: string | null },
  now = Date.now(),
): number | null {
  if (!advertiser.factsFrom) return null;
  const day = 86_400_000;
  const from = advertiser.factsFrom.getTime();
  const total = Math.round((advertiserToday(now, advertiser.timezone) - from) / day) + 1;
  const done = advertiser.factsThrough ? Math.round((advertiser.factsThrough.getTime() - from) / day) + 1 : 0;
  return Math.max(0, Math.min(1, done / Math.max(total, 1)));
}

builder.prismaObjectFields(Advertiser, (t) => ({
  factsFrom: t.string({
    nullable: true,
    description: 'First day of the daily facts backfill (YYYY-MM-DD).',
    resolve: (a) => a.factsFrom?.toISOString().slice(0, 10) ?? null,
  }),
  factsThrough: t.string({
    nullable: true,
    description: 'Last day read so far (YYYY-MM-DD).',
    resolve: (a) => a.factsThrough?.toISOString().slice(0, 10) ?? null,
  }),
  lastFactsSyncAt: t.expose('lastFactsSyncAt', { type: 'DateTime', nullable: true }),
  factsProgress: t.float({
    nullable: true,
    description: 'Share of the days from factsFrom to today read (1 when the backfill is done).',
    resolve: (a) => progressOf(a),
  }),
}));

builder.prismaObjectField(AdsConnection, 'factsProgress', (t) =>
  t.float({
    nullable: true,
    description: "The daily facts backfill's progress over the connection's advertisers (0..1).",
    select: {
      advertisers: { where: { deletedAt: null }, select: { factsFrom: true, factsThrough: true, timezone: true } },
    },
    resolve: (connection) => {
      const shares = connection.advertisers.map((a) => progressOf(a)).filter((p): p is number => p !== null);
      return shares.length ? shares.reduce((sum, p) => sum + p, 0) / shares.length : null;
    },
  }),
);

const AdsReportCsvExport = builder
  .objectRef<{ url: string; expiresAt: Date; filename: string }>('MutationExportAdsReportCsvSuccess')
  .implement({
    fields: (t) => ({
      url: t.exposeString('url', { description: 'GET it (no credentials needed) for the CSV, until expiresAt.' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      filename: t.exposeString('filename'),
    }),
  });

builder.mutationField('exportAdsReportCsv', (t) =>
  t.field({
    type: AdsReportCsvExport,
    description:
      'A short-lived link (15 min) that streams the report as CSV (every row; the chosen metrics as columns, amounts in the report’s currency); the download is audited (ads:read).',
    authScopes: { authenticated: true },
    errors: {
      types: [InvalidInputError, NotFoundError],
      directResult: true,
      union: { name: 'MutationExportAdsReportCsvResult' },
    },
    args: {
      organizationId: t.arg.globalID({ required: true }),
      report: t.arg({ type: AdsReportInput, required: true }),
    },
    resolve: (_root, args, ctx) => {
      const organizationId = idFor(args.organizationId, 'Organization');
      return createAdsReportCsvExport(services(ctx), reportInputFor(organizationId, args.report));
    },
  }),
);
