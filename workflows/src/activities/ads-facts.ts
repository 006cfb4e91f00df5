import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { databaseUrlOf, type Database } from '@pressroom/db';
import { adsConnectionTokenContext, type TokenVault } from '@pressroom/db/vault';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { isPlatformError } from '../platforms/errors.js';
import { allPages, type TikTokAdsClient, type TikTokAdsDataLevel } from '../platforms/tiktok-ads/index.js';
import { announceAdsConnection, recordAdsConnectionFailure } from './ads.js';
import { checkAdsFactsAlerts, deliverAdsAlerts, type AdsAlertDependencies } from './ads-alerts.js';
import { dayIn } from './advertiser-day.js';

/** The levels facts are stored at, each read from TikTok's report at that level. */
export type FactLevel = 'AD' | 'ADGROUP' | 'CAMPAIGN' | 'ADVERTISER';

/**
 * One object's counts on one day at its level, as read from report/integrated/get (spend in
 * cents). The object is an ad, ad group, campaign or the advertiser itself; campaignId and
 * adGroupId place it (null above its level).
 */
export interface FactRow {
  level: FactLevel;
  /** The AdsAd, AdsAdGroup, AdsCampaign or Advertiser row's id. */
  objectId: string;
  advertiserId: string;
  organizationId: string;
  campaignId: string | null;
  adGroupId: string | null;
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

const stageColumns = ['o', 'd', 'l', 'org', 'adv', 'c', 'g', ...factCountColumns.map((_, i) => `n${i}`)];

/** A COPY text field: ids are cuids, but a tab, newline or backslash must never shift a column. */
function field(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (ch) => `\\${{ '\t': 't', '\n': 'n', '\r': 'r' }[ch] ?? '\\'}`)
    : value;
}

/** A nullable COPY text field: `\N` is NULL. */
const optional = (value: string | null) => (value === null ? '\\N' : field(value));

/** Rows as COPY text: one line per fact, tab-separated, in stageColumns' order (then `tail`'s fields). */
function copyText(rows: readonly FactRow[], tail = ''): string {
  let text = '';
  for (const row of rows) {
    text += `${field(row.objectId)}\t${row.day}\t${row.level}\t${field(row.organizationId)}\t${field(row.advertiserId)}\t${optional(row.campaignId)}\t${optional(row.adGroupId)}`;
    for (const column of factCountColumns) text += `\t${row[column]}`;
    text += `${tail}\n`;
  }
  return text;
}

/** AdsDailyFact's columns in copyText's order, then fetchedAt (unquoted). */
export const factColumnNames = [
  'objectId',
  'day',
  'level',
  'organizationId',
  'advertiserId',
  'campaignId',
  'adGroupId',
  ...factCountColumns,
  'fetchedAt',
] as const;
const factColumns = factColumnNames.map(quoted);

/**
 * A window written straight into AdsDailyFact met facts stored meanwhile (another writer), or
 * TikTok answered one object and day twice: its transaction is rolled back, and the window is
 * to be read again through the staging table, which merges such rows.
 */
export class FactsConflict extends Error {
  constructor() {
    super('facts of this window were stored meanwhile, or one was read twice: read it again to merge');
    this.name = 'FactsConflict';
  }
}

/**
 * Writes facts (every level) by COPY into a session-local staging table (no index, no WAL: a temporary
 * table), then one INSERT ... ON CONFLICT moves the staged rows into AdsDailyFact, so a
 * window of 300,000 facts costs one COPY per page and a single merge instead of one planned
 * statement per page. A day read again (TikTok revises recent days) replaces what was there.
 * Staged rows die with the connection: a killed worker leaves nothing half-merged behind, and
 * the window is simply read and staged again.
 *
 * A window none of whose days are stored yet (the backfill's) skips the staging table: after
 * `writeDirectly`, each page is COPYed straight into AdsDailyFact inside one transaction that
 * `merge` commits, so the window still appears whole or not at all (a killed worker's
 * transaction is rolled back) and each fact is written once instead of twice.
 */
export class AdFactWriter {
  private staged = 0;
  /** In a direct window: its transaction is open and its facts carry this fetchedAt. */
  private direct: { fetchedAt: string; written: number } | null = null;
  private readonly advertisers = new Set<string>();
  private firstDay = '';
  private lastDay = '';

  private constructor(private readonly client: pg.Client) {}

  static async open(databaseUrl: string): Promise<AdFactWriter> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // temp_buffers only takes effect before the session's first temporary table: a window
      // then stays in memory. Facts can always be read again from TikTok and the progress
      // that follows a merge is committed synchronously (flushing this WAL with it), so the
      // merge need not wait for its own flush.
      await client.query(`SET temp_buffers = '128MB'`);
      await client.query('SET synchronous_commit = off');
      await client.query(
        `CREATE TEMPORARY TABLE ads_fact_stage (o text, d date, l text, org text, adv text, c text, g text, ${factCountColumns.map((_, i) => `n${i} int8`).join(', ')})`,
      );
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    return new AdFactWriter(client);
  }

  /**
   * Writes the coming window straight into AdsDailyFact when none of its days are stored for
   * these advertisers (else it is staged and merged); answers whether it will. Call before the
   * window's first `add`.
   */
  async writeDirectly(
    window: { advertiserIds: string[]; from: string; to: string },
    fetchedAt: Date,
  ): Promise<boolean> {
    if (this.staged > 0 || this.direct) return false;
    const { rows } = await this.client.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM "AdsDailyFact" WHERE "advertiserId" = ANY($1::text[]) AND "day" BETWEEN $2::date AND $3::date) AS any`,
      [window.advertiserIds, window.from, window.to],
    );
    if (rows[0]?.any) return false;
    await this.client.query('BEGIN');
    // Prisma's DateTime columns hold UTC.
    this.direct = { fetchedAt: fetchedAt.toISOString().replace('Z', ''), written: 0 };
    return true;
  }

  /**
   * Stages a page of facts, or in a direct window writes it (nothing is visible until
   * `merge`). A direct write that meets a stored fact throws FactsConflict, with the window
   * rolled back and the writer staging again.
   */
  async add(rows: readonly FactRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.direct) {
      const direct = this.direct;
      try {
        const copy = this.client.query(copyFrom(`COPY "AdsDailyFact" (${factColumns.join(', ')}) FROM STDIN`));
        await pipeline(Readable.from([copyText(rows, `\t${direct.fetchedAt}`)]), copy);
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
        await this.client.query('ROLLBACK');
        this.direct = null;
        throw new FactsConflict();
      }
      direct.written += rows.length;
      return;
    }
    const stream = this.client.query(copyFrom(`COPY ads_fact_stage (${stageColumns.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from([copyText(rows)]), stream);
    for (const row of rows) {
      this.advertisers.add(row.advertiserId);
      if (!this.firstDay || row.day < this.firstDay) this.firstDay = row.day;
      if (row.day > this.lastDay) this.lastDay = row.day;
    }
    this.staged += rows.length;
  }

  /** Moves every staged fact into AdsDailyFact in one statement; answers how many were written. */
  async merge(fetchedAt: Date): Promise<number> {
    if (this.direct) {
      const { written } = this.direct;
      this.direct = null;
      await this.client.query('COMMIT');
      return written;
    }
    if (this.staged === 0) return 0;
    const into = `INSERT INTO "AdsDailyFact" ("objectId", "day", "level", "organizationId", "advertiserId", "campaignId", "adGroupId", ${factCountColumns.map(quoted).join(', ')}, "fetchedAt")`;
    const select = (source: string) =>
      `SELECT o, d, l::"AdsFactLevel", org, adv, c, g, ${factCountColumns.map((_, i) => `n${i}`).join(', ')}, $1::timestamp FROM ${source}`;
    const upsert = `ON CONFLICT ("objectId", "day") DO UPDATE SET ${factCountColumns.map((column) => `${quoted(column)} = EXCLUDED.${quoted(column)}`).join(', ')}, "fetchedAt" = EXCLUDED."fetchedAt"`;
    // A backfill writes days nothing has been stored for: a plain INSERT then skips the
    // speculative insertion ON CONFLICT costs per row. Should another writer have stored some
    // meanwhile, the INSERT fails whole (unique violation) and the upsert below runs instead.
    const { rows: seen } = await this.client.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM "AdsDailyFact" WHERE "advertiserId" = ANY($1::text[]) AND "day" BETWEEN $2::date AND $3::date) AS any`,
      [[...this.advertisers], this.firstDay, this.lastDay],
    );
    let written: number | undefined;
    if (!seen[0]?.any) {
      try {
        written = (await this.client.query(`${into} ${select('ads_fact_stage')}`, [fetchedAt])).rowCount ?? 0;
      } catch (error) {
        if ((error as { code?: string }).code !== '23505') throw error;
      }
    }
    if (written === undefined) {
      try {
        written = (await this.client.query(`${into} ${select('ads_fact_stage')} ${upsert}`, [fetchedAt])).rowCount ?? 0;
      } catch (error) {
        // The same object and day staged twice (a page read again) cannot be merged by one
        // ON CONFLICT: keep the last staged copy of each and merge again.
        if ((error as { code?: string }).code !== '21000') throw error;
        const last = `(SELECT DISTINCT ON (o, d) * FROM (SELECT *, ctid AS at FROM ads_fact_stage) s ORDER BY o, d, at DESC) last`;
        written = (await this.client.query(`${into} ${select(last)} ${upsert}`, [fetchedAt])).rowCount ?? 0;
      }
    }
    await this.client.query('TRUNCATE ads_fact_stage');
    this.staged = 0;
    this.advertisers.clear();
    this.firstDay = this.lastDay = '';
    return written;
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}

/** Writes one batch of facts (stage, merge, close): for callers with a page in hand. */
export async function writeFacts(db: Database, rows: readonly FactRow[], fetchedAt: Date): Promise<number> {
  if (rows.length === 0) return 0;
  const writer = await AdFactWriter.open(databaseUrlOf(db));
  try {
    await writer.add(rows);
    return await writer.merge(fetchedAt);
  } finally {
    await writer.close();
  }
}

/** The report metrics read for each object and day, and the fact column each one fills. */
const reportMetrics: ReadonlyArray<[string, (typeof factCountColumns)[number]]> = [
  ['spend', 'spendCents'],
  ['impressions', 'impressions'],
  ['clicks', 'clicks'],
  ['reach', 'reach'],
  ['conversion', 'conversions'],
  ['video_play_actions', 'videoPlays'],
  ['video_views_p25', 'videoViewsP25'],
  ['video_views_p50', 'videoViewsP50'],
  ['video_views_p75', 'videoViewsP75'],
  ['video_views_p100', 'videoViewsP100'],
  ['likes', 'likes'],
  ['comments', 'comments'],
  ['shares', 'shares'],
  ['follows', 'follows'],
];

/** "12.34" (the currency's units, as TikTok writes spend) → 1234 cents, without floating point. */
export function amountToCents(value: string | undefined): number {
  const text = (value ?? '0').trim();
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`not an amount: ${text}`);
  const fraction = `${match[3] ?? ''}00`.slice(0, 2);
  const cents = Number(match[2] || '0') * 100 + Number(fraction);
  return match[1] ? -cents : cents;
}

export interface AdsFactsSettings {
  /** Days the first backfill reaches back (today included). */
  backfillDays: number;
  /** Days before today read again on every sync (TikTok revises them). */
  revisionDays: number;
  /** Days one report call spans (TikTok's limit for daily rows: 30). */
  windowDays: number;
  /** Rows per report page (TikTok's maximum: 1000). */
  pageSize: number;
  /** Least time between two report calls (half of TikTok's 10 QPS per advertiser). */
  minCallIntervalMs: number;
  /** The worker's clock (tests move it with the emulator's). */
  now: () => number;
}

export const defaultAdsFactsSettings: AdsFactsSettings = {
  backfillDays: 90,
  revisionDays: 3,
  windowDays: 30,
  pageSize: 1000,
  minCallIntervalMs: 200,
  now: () => Date.now(),
};

export interface AdsFactsDependencies extends AdsAlertDependencies {
  db: Database;
  vault: TokenVault;
  tiktokAds?: TikTokAdsClient;
  adsFactsSettings?: Partial<AdsFactsSettings>;
}

export interface AdsFactsWindow {
  advertiserId: string;
  from: string;
  to: string;
}

export type AdsFactsPlan =
  { state: 'PLANNED'; windows: AdsFactsWindow[] } | { state: 'WAITING_FOR_INVENTORY' | 'SKIPPED'; windows: [] };

export type AdsFactsWindowOutcome =
  | { state: 'WRITTEN'; facts: number; pages: number; unknownAds: number }
  | { state: 'RECONNECT_NEEDED' | 'SKIPPED'; reason: string };

const dayMs = 86_400_000;

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

function isoDay(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/**
 * Daily facts of a connection's advertisers: the first sync backfills `backfillDays` in
 * windows of `windowDays` (oldest first, so progress grows from the start), later syncs read
 * from the day after the last one read, always including the last `revisionDays` days.
 */
export function createAdsFactsActivities(deps: AdsFactsDependencies) {
  const settings = { ...defaultAdsFactsSettings, ...deps.adsFactsSettings };
  const { db } = deps;

  return {
    /** Which windows each advertiser needs now; the backfill's start is fixed on first sight. */
    async planAdsFacts(input: { connectionId: string }): Promise<AdsFactsPlan> {
      const connection = await db.adsConnection.findUnique({ where: { id: input.connectionId } });
      if (!connection || connection.status === 'DISCONNECTED' || !connection.accessTokenCiphertext) {
        return { state: 'SKIPPED', windows: [] };
      }
      if (!connection.lastInventorySyncAt) return { state: 'WAITING_FOR_INVENTORY', windows: [] };
      const advertisers = await db.advertiser.findMany({
        where: { connectionId: connection.id, deletedAt: null },
        orderBy: { createdAt: 'asc' },
      });
      const windows: AdsFactsWindow[] = [];
      const started: Array<{ id: string; factsFrom: Date }> = [];
      for (const advertiser of advertisers) {
        const today = dayIn(settings.now(), advertiser.timezone);
        let from = isoDay(advertiser.factsFrom);
        if (!from) {
          from = addDays(today, 1 - settings.backfillDays);
          started.push({ id: advertiser.id, factsFrom: new Date(`${from}T00:00:00Z`) });
        }
        const through = isoDay(advertiser.factsThrough);
        const revised = addDays(today, -settings.revisionDays);
        let start = through ? addDays(through, 1) : from;
        if (start > revised) start = revised < from ? from : revised;
        for (let day = start; day <= today; day = addDays(day, settings.windowDays)) {
          const end = addDays(day, settings.windowDays - 1);
          windows.push({ advertiserId: advertiser.id, from: day, to: end < today ? end : today });
        }
      }
      // A backfill's start shows as its progress (0%) on the ads home.
      if (started.length) {
        await db.$transaction(async (tx) => {
          for (const advertiser of started) {
            await tx.advertiser.update({ where: { id: advertiser.id }, data: { factsFrom: advertiser.factsFrom } });
          }
          await announceAdsConnection(tx, connection);
        });
      }
      return { state: 'PLANNED', windows };
    },

    /**
     * Reads one advertiser's daily report for [from, to] at each level (ad, ad group, campaign,
     * advertiser) page by page (paced, each page staged as it comes), merges the whole window
     * into the facts in one statement and moves the advertiser's progress. Safe to repeat: the
     * same window read twice stores the same rows once.
     */
    async syncAdsFactsWindow(input: AdsFactsWindow & { connectionId: string }): Promise<AdsFactsWindowOutcome> {
      const connection = await db.adsConnection.findUnique({ where: { id: input.connectionId } });
      if (!connection || connection.status === 'DISCONNECTED' || !connection.accessTokenCiphertext) {
        return { state: 'SKIPPED', reason: 'the connection is gone or disconnected' };
      }
      const advertiser = await db.advertiser.findUnique({ where: { id: input.advertiserId } });
      if (!advertiser || advertiser.connectionId !== connection.id) {
        return { state: 'SKIPPED', reason: 'the advertiser is gone' };
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
      // TikTok's ids → our rows at each level (every object the advertiser ever had: deleted
      // ones keep their history). Each level is read from TikTok's own report at that level,
      // not added up from ads: reach above an ad counts people once across its ads.
      const where = { where: { advertiserId: advertiser.id } };
      const [ads, adGroups, campaigns] = await Promise.all([
        db.adsAd.findMany({ ...where, select: { id: true, platformId: true, adGroupId: true, campaignId: true } }),
        db.adsAdGroup.findMany({ ...where, select: { id: true, platformId: true, campaignId: true } }),
        db.adsCampaign.findMany({ ...where, select: { id: true, platformId: true } }),
      ]);
      type Placement = Pick<FactRow, 'objectId' | 'campaignId' | 'adGroupId'>;
      const levels: Array<{
        level: FactLevel;
        tiktok: TikTokAdsDataLevel;
        dimension: string;
        objects: Map<string, Placement>;
      }> = [
        {
          level: 'AD',
          tiktok: 'AUCTION_AD',
          dimension: 'ad_id',
          objects: new Map(
            ads.map((ad) => [ad.platformId, { objectId: ad.id, campaignId: ad.campaignId, adGroupId: ad.adGroupId }]),
          ),
        },
        {
          level: 'ADGROUP',
          tiktok: 'AUCTION_ADGROUP',
          dimension: 'adgroup_id',
          objects: new Map(
            adGroups.map((group) => [
              group.platformId,
              { objectId: group.id, campaignId: group.campaignId, adGroupId: group.id },
            ]),
          ),
        },
        {
          level: 'CAMPAIGN',
          tiktok: 'AUCTION_CAMPAIGN',
          dimension: 'campaign_id',
          objects: new Map(
            campaigns.map((campaign) => [
              campaign.platformId,
              { objectId: campaign.id, campaignId: campaign.id, adGroupId: null },
            ]),
          ),
        },
        {
          level: 'ADVERTISER',
          tiktok: 'AUCTION_ADVERTISER',
          dimension: 'advertiser_id',
          objects: new Map([
            [advertiser.platformAdvertiserId, { objectId: advertiser.id, campaignId: null, adGroupId: null }],
          ]),
        },
      ];
      const fetchedAt = new Date();
      const unknown = new Set<string>();
      let last = 0;
      let pages = 0;
      let facts = 0;
      const writer = await AdFactWriter.open(databaseUrlOf(db));
      const readWindow = async () => {
        for (const { level, tiktok, dimension, objects } of levels) {
          for await (const list of allPages((page) => {
            const wait = last + settings.minCallIntervalMs - Date.now();
            return (wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve()).then(() =>
              client
                .report(token, {
                  advertiserId: advertiser.platformAdvertiserId,
                  level: tiktok,
                  metrics: reportMetrics.map(([metric]) => metric),
                  startDate: input.from,
                  endDate: input.to,
                  page,
                  pageSize: settings.pageSize,
                })
                .finally(() => {
                  last = Date.now();
                  pages++;
                  Context.current().heartbeat({ level, page });
                }),
            );
          })) {
            const rows: FactRow[] = [];
            for (const item of list) {
              const platformId = item.dimensions[dimension] ?? '';
              const placement = objects.get(platformId);
              if (!placement) {
                // Made after the last inventory sync: its facts come with the next window read.
                unknown.add(`${level}:${platformId}`);
                continue;
              }
              const row = {
                level,
                ...placement,
                advertiserId: advertiser.id,
                organizationId: advertiser.organizationId,
                day: (item.dimensions.stat_time_day ?? '').slice(0, 10),
              } as FactRow;
              for (const [metric, column] of reportMetrics) {
                row[column] =
                  column === 'spendCents' ? amountToCents(item.metrics[metric]) : Number(item.metrics[metric] ?? 0);
              }
              rows.push(row);
            }
            await writer.add(rows);
          }
        }
      };
      try {
        const window = { advertiserIds: [advertiser.id], from: input.from, to: input.to };
        if (await writer.writeDirectly(window, fetchedAt)) {
          try {
            await readWindow();
          } catch (error) {
            if (!(error instanceof FactsConflict)) throw error;
            // Stored meanwhile, or a row answered twice: read it again, staged and merged.
            unknown.clear();
            await readWindow();
          }
        } else {
          await readWindow();
        }
        // All four levels of the window at once (one statement, or one transaction): a report
        // never sees ads without their campaign.
        facts = await writer.merge(fetchedAt);
      } catch (error) {
        if (!isPlatformError(error)) throw error;
        await recordAdsConnectionFailure(db, connection.id, error);
        await deliverAdsAlerts(deps, connection.organizationId);
        if (error.category === 'TOKEN_EXPIRED') return { state: 'RECONNECT_NEEDED', reason: error.reason };
        throw error;
      } finally {
        await writer.close();
      }
      // Progress only moves forward (a re-read of revised days does not move it back).
      // Announced with the change, so the ads home shows the backfill advance as it happens.
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE "Advertiser" SET "factsThrough" = GREATEST(COALESCE("factsThrough", ${input.to}::date), ${input.to}::date),
          "lastFactsSyncAt" = now(), "updatedAt" = now() WHERE "id" = ${advertiser.id}`;
        await tx.adsConnection.update({ where: { id: connection.id }, data: { lastSuccessAt: new Date() } });
        await announceAdsConnection(tx, connection);
      });
      // The merged window's days against the spend and cost-per-conversion rules, then their messages.
      await checkAdsFactsAlerts(db, { advertiserId: advertiser.id, from: input.from, to: input.to });
      await deliverAdsAlerts(deps, connection.organizationId);
      return { state: 'WRITTEN', facts, pages, unknownAds: unknown.size };
    },
  };
}

export type AdsFactsActivities = ReturnType<typeof createAdsFactsActivities>;
