import { createHmac } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Database } from '@pressroom/db';
import { stringify } from 'csv-stringify';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { z } from 'zod';
import { rolePermissions } from '../auth/permissions.js';
import { sign, unsign } from '../auth/secrets.js';
import type { Viewer } from '../auth/viewer.js';
import type { ApiConfig } from '../config.js';
import { encodeGlobalId } from '../schema/ids.js';
import {
  adsMetrics,
  adsReportInput,
  adsReportRowsSql,
  countColumns,
  metricValues,
  prepareAdsReport,
  reportRowOf,
  type AdsMetric,
  type AdsReportQuery,
} from './ads-reports.js';
import { recordAudit, type RequestMeta } from './audit.js';
import { inTransaction, type Mailer, type ServiceContext } from './context.js';

// CSV export of any report: the mutation checks the report and the viewer's ads:read and hands
// out a short-lived signed link; the GET route checks the link, the person or token behind it
// again (a removed member's link dies with their membership), and streams the report's rows
// from a Postgres cursor through csv-stringify to the response, so a million rows never sit in
// memory. Each download is audited with its row count.

/** How long a link works. */
export const exportLinkTtlMs = 15 * 60_000;
export const exportPath = '/ads/exports/report.csv';
/** Rows the cursor fetches per round trip. */
const cursorBatch = 1000;

type ReportInput = z.input<typeof adsReportInput>;

interface ExportClaim {
  /** The report as prepared (row ids). */
  report: ReportInput;
  /** Who asked: a person or a token. */
  actor: { userId: string } | { apiTokenId: string };
  expiresAt: number;
}

// The session secret, under its own purpose, so an export link can never pass for a cookie.
export function linkKey(config: Pick<ApiConfig, 'SESSION_SECRET'>): string {
  return createHmac('sha256', config.SESSION_SECRET).update('ads-report-csv-link').digest('base64url');
}

function publicBase(config: ApiConfig): string {
  return config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;
}

// The object column holds the node id GraphQL gives the same row.
const nodeTypes = { ADVERTISER: 'Advertiser', CAMPAIGN: 'AdsCampaign', ADGROUP: 'AdsAdGroup', AD: 'AdsAd' } as const;
const levelNames = { ADVERTISER: 'Advertiser', CAMPAIGN: 'Campaign', ADGROUP: 'Ad group', AD: 'Ad' } as const;
const metricLabels: Record<AdsMetric, string> = {
  SPEND: 'Spend',
  IMPRESSIONS: 'Impressions',
  CLICKS: 'Clicks',
  CTR: 'CTR (%)',
  CPC: 'CPC',
  CPM: 'CPM',
  REACH: 'Reach',
  CONVERSIONS: 'Conversions',
  COST_PER_CONVERSION: 'Cost per conversion',
  VIDEO_PLAYS: 'Video plays',
  VIDEO_VIEWS_P25: 'Video views 25%',
  VIDEO_VIEWS_P50: 'Video views 50%',
  VIDEO_VIEWS_P75: 'Video views 75%',
  VIDEO_VIEWS_P100: 'Video views 100%',
  LIKES: 'Likes',
  COMMENTS: 'Comments',
  SHARES: 'Shares',
  FOLLOWS: 'Follows',
};
const amounts = new Set<AdsMetric>(['SPEND', 'CPC', 'CPM', 'COST_PER_CONVERSION']);

/** The CSV's header: the object, the period when grouped by one, then the chosen metrics (amounts name the currency). */
export function csvHeader(query: AdsReportQuery): string[] {
  const metrics = query.input.metrics ?? adsMetrics;
  return [
    `${levelNames[query.input.level]} ID`,
    levelNames[query.input.level],
    ...(query.input.groupBy === 'OBJECT' ? [] : [query.input.groupBy === 'WEEK' ? 'Week' : 'Day']),
    ...metrics.map((metric) =>
      amounts.has(metric) && query.currency ? `${metricLabels[metric]} (${query.currency})` : metricLabels[metric],
    ),
  ];
}

/** Checks the report and the viewer's ads:read, and signs a link to its CSV. Audited. */
export async function createAdsReportCsvExport(ctx: ServiceContext, raw: ReportInput) {
  const query = await prepareAdsReport(ctx, raw);
  const viewer = ctx.meta.viewer!;
  const expiresAt = Date.now() + exportLinkTtlMs;
  const claim: ExportClaim = {
    report: { ...raw, organizationId: query.organizationId },
    actor: viewer.kind === 'user' ? { userId: viewer.userId } : { apiTokenId: viewer.apiTokenId },
    expiresAt,
  };
  const token = sign(linkKey(ctx.config), Buffer.from(JSON.stringify(claim)).toString('base64url'));
  const filename = `ads-${query.input.level.toLowerCase()}-${query.input.from}-${query.input.to}.csv`;
  await inTransaction(ctx, (tx) =>
    recordAudit(tx, ctx.meta, {
      organizationId: query.organizationId,
      action: 'ads_report.export',
      targetType: 'Organization',
      targetId: query.organizationId,
      metadata: { level: query.input.level, from: query.input.from, to: query.input.to },
    }),
  );
  const url = new URL(exportPath, publicBase(ctx.config));
  url.searchParams.set('token', token);
  return { url: url.toString(), expiresAt: new Date(expiresAt), filename };
}

export type ExportRefusal = { status: 403 | 410; message: string };

/** The person or token a link names, as they stand now (null: gone, or no longer a member). */
async function viewerOf(db: Database, claim: ExportClaim, organizationId: string): Promise<Viewer | null> {
  if ('userId' in claim.actor) {
    const membership = await db.membership.findFirst({
      where: { organizationId, userId: claim.actor.userId, user: { deletedAt: null } },
      select: { role: true },
    });
    if (!membership || !rolePermissions[membership.role].has('ads:read')) return null;
    return {
      kind: 'user',
      userId: claim.actor.userId,
      sessionId: 'export-link',
      roles: new Map([[organizationId, membership.role]]),
    };
  }
  const token = await db.apiToken.findFirst({
    where: {
      id: claim.actor.apiTokenId,
      organizationId,
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
    },
    select: { scopes: true },
  });
  if (!token) return null;
  return { kind: 'apiToken', apiTokenId: claim.actor.apiTokenId, organizationId, scopes: new Set(token.scopes) };
}

/**
 * Checks a link: its signature, its expiry, and that whoever asked for it may still read the
 * organization's reports. Answers the service context to stream it with, or why not.
 */
export async function openAdsReportCsvExport(
  deps: { db: Database; config: ApiConfig; mailer: Mailer },
  token: string,
  meta: Omit<RequestMeta, 'viewer'>,
): Promise<{ ctx: ServiceContext; query: AdsReportQuery } | ExportRefusal> {
  const payload = unsign(linkKey(deps.config), token);
  if (!payload) return { status: 403, message: 'This link is not valid.' };
  let claim: ExportClaim;
  try {
    claim = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as ExportClaim;
  } catch {
    return { status: 403, message: 'This link is not valid.' };
  }
  if (!(claim.expiresAt > Date.now())) return { status: 410, message: 'This link has expired: export again.' };
  const organizationId = claim.report.organizationId;
  const viewer = await viewerOf(deps.db, claim, organizationId);
  if (!viewer) return { status: 403, message: 'Whoever asked for this link may no longer read these reports.' };
  const ctx: ServiceContext = { db: deps.db, config: deps.config, mailer: deps.mailer, meta: { ...meta, viewer } };
  try {
    return { ctx, query: await prepareAdsReport(ctx, claim.report) };
  } catch (error) {
    // The report's advertisers changed since (deleted, or a second currency appeared).
    return { status: 403, message: (error as Error).message };
  }
}

/**
 * Streams the report as CSV to `out` from a server-side cursor on its own connection, rows
 * pulled only as fast as `out` drains them; then audits the download with its row count.
 */
export async function streamAdsReportCsv(
  ctx: ServiceContext,
  query: AdsReportQuery,
  out: NodeJS.WritableStream,
): Promise<number> {
  const client = new pg.Client({ connectionString: ctx.config.DATABASE_URL });
  await client.connect();
  let rows = 0;
  try {
    const sql = adsReportRowsSql(query);
    const metrics = query.input.metrics ?? adsMetrics;
    const grouped = query.input.groupBy !== 'OBJECT';
    const cursor = client.query(new QueryStream(sql.text, sql.values, { batchSize: cursorBatch })) as Readable;
    const toRecord = new Transform({
      objectMode: true,
      transform(raw: Parameters<typeof reportRowOf>[1], _encoding, done) {
        rows += 1;
        const row = reportRowOf(query, { ...raw, ...bigints(raw) });
        const values = metricValues(row.counts);
        done(null, [
          encodeGlobalId(nodeTypes[query.input.level], row.objectId),
          row.name,
          ...(grouped ? [row.period ?? ''] : []),
          ...metrics.map((metric) => values[metric] ?? ''),
        ]);
      },
    });
    // The header goes first even when the report has no rows.
    toRecord.push(csvHeader(query));
    await pipeline(cursor, toRecord, stringify(), out);
  } finally {
    await client.end().catch(() => undefined);
  }
  await inTransaction(ctx, (tx) =>
    recordAudit(tx, ctx.meta, {
      organizationId: query.organizationId,
      action: 'ads_report.download',
      targetType: 'Organization',
      targetId: query.organizationId,
      metadata: {
        level: query.input.level,
        from: query.input.from,
        to: query.input.to,
        groupBy: query.input.groupBy,
        rows,
      },
    }),
  );
  return rows;
}

// pg hands int8 sums over as strings; the report's rows hold BigInt.
function bigints(raw: Record<string, unknown>): Record<string, bigint | null> {
  const converted: Record<string, bigint | null> = {};
  for (const key of Object.keys(countColumns)) {
    const value = raw[key];
    converted[key] = value === null || value === undefined ? null : BigInt(value as string);
  }
  return converted;
}
