// Benchmark: storing ads daily facts. Backfills 10,000 ads × 90 days (900,000 ad facts, plus
// their 1,000 ad groups, 100 campaigns and the advertiser: 999,090 facts, every level read from
// TikTok's report at that level) through the product's write path (AdFactWriter: a backfill's
// window, none of its days stored, is written page by page of 1,000 facts by COPY straight into
// AdsDailyFact in one transaction per 30-day window; windows with stored days go through the
// staging table and an INSERT ... ON CONFLICT merge instead), then COPYs the very same rows
// into a twin table, and prints facts/s of both and their ratio; then times the 90-day
// campaign-level report through the api's report code (p50, p99).
//
//   node --import tsx workflows/bench/ads-facts.ts [ads=10000] [days=90] [reports=200]
//
// BENCH_WRITE_PATH=staged writes every window through the staging table and merge instead (the
// path of windows whose days are stored already), to compare the two under the same load.
//
// Starts its own embedded PostgreSQL, or uses BENCH_DATABASE_URL (a server URL; a database is
// created on it; the COPY reads a file, so that server must run on this machine).
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient } from '@pressroom/db';
import { applyMigrations } from '@pressroom/db/migrations';
import pg from 'pg';
import {
  adsReportCount,
  adsReportInput,
  adsReportRows,
  adsReportSeries,
  adsReportTotals,
  type AdsReportQuery,
} from '../../api/src/services/ads-reports.js';
import type { ServiceContext } from '../../api/src/services/context.js';
import { databaseUrlFor, startEmbeddedPostgres } from '../../scripts/stack/postgres.js';
import { freePort } from '../../scripts/stack/ports.js';
import {
  AdFactWriter,
  factColumnNames,
  factCountColumns,
  type FactLevel,
  type FactRow,
} from '../src/activities/ads-facts.js';
import { settledCounts } from '../src/emulators/tiktok-ads.js';

const [adCount = 10_000, days = 90, reports = 200] = process.argv.slice(2).map(Number);
const cleanups: Array<() => Promise<unknown>> = [];
const log = (line: string) => console.log(`bench: ${line}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

try {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressroom-ads-bench-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  await chmod(dataDir, 0o755);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const serverUrl =
    process.env.BENCH_DATABASE_URL ??
    (await (async () => {
      const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort() });
      cleanups.push(postgres.stop);
      return postgres.serverUrl;
    })());
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const dbName = `ads_bench_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const databaseUrl = databaseUrlFor(serverUrl, dbName);
  await applyMigrations(databaseUrl);
  const db = createPrismaClient({ databaseUrl, maxConnections: 4 });
  cleanups.unshift(() => db.$disconnect());

  // 100 campaigns × 10 ad groups × (adCount / 1000) ads.
  const organization = await db.organization.create({ data: { name: 'Bench', slug: `bench-${Date.now()}` } });
  const connection = await db.adsConnection.create({ data: { organizationId: organization.id } });
  const advertiser = await db.advertiser.create({
    data: {
      organizationId: organization.id,
      connectionId: connection.id,
      platformAdvertiserId: '7000',
      currency: 'USD',
    },
  });
  const now = new Date();
  const campaigns = Array.from({ length: 100 }, (_, c) => ({
    id: `bench-c-${c}`,
    organizationId: organization.id,
    advertiserId: advertiser.id,
    platformId: `c${c}`,
    name: `Campaign ${c}`,
    operationStatus: 'ENABLE',
    lastSeenAt: now,
  }));
  await db.adsCampaign.createMany({ data: campaigns });
  const groups = campaigns.flatMap((campaign, c) =>
    Array.from({ length: 10 }, (_, g) => ({
      id: `bench-g-${c}-${g}`,
      organizationId: organization.id,
      advertiserId: advertiser.id,
      campaignId: campaign.id,
      platformId: `g${c}-${g}`,
      name: `Ad group ${c}.${g}`,
      operationStatus: 'ENABLE',
      lastSeenAt: now,
    })),
  );
  await db.adsAdGroup.createMany({ data: groups });
  const adsPerGroup = Math.max(1, Math.round(adCount / groups.length));
  const ads = groups.flatMap((group) =>
    Array.from({ length: adsPerGroup }, (_, a) => ({
      id: `${group.id}-a${a}`,
      organizationId: organization.id,
      advertiserId: advertiser.id,
      campaignId: group.campaignId,
      adGroupId: group.id,
      platformId: `${group.platformId}-a${a}`,
      name: `Ad ${a}`,
      operationStatus: 'ENABLE',
      lastSeenAt: now,
    })),
  );
  for (let i = 0; i < ads.length; i += 5000) await db.adsAd.createMany({ data: ads.slice(i, i + 5000) });

  const dayList = Array.from({ length: days }, (_, i) =>
    new Date(Date.UTC(2026, 8, 1) + i * 86_400_000).toISOString().slice(0, 10),
  );
  // Every object of the tree, in the order the sync reads the levels: ads, ad groups, campaigns, the advertiser.
  const objects: Array<{
    level: FactLevel;
    id: string;
    platformId: string;
    campaignId: string | null;
    adGroupId: string | null;
  }> = [
    ...ads.map((ad) => ({
      level: 'AD' as const,
      id: ad.id,
      platformId: ad.platformId,
      campaignId: ad.campaignId,
      adGroupId: ad.adGroupId,
    })),
    ...groups.map((group) => ({
      level: 'ADGROUP' as const,
      id: group.id,
      platformId: group.platformId,
      campaignId: group.campaignId,
      adGroupId: group.id,
    })),
    ...campaigns.map((campaign) => ({
      level: 'CAMPAIGN' as const,
      id: campaign.id,
      platformId: campaign.platformId,
      campaignId: campaign.id,
      adGroupId: null,
    })),
    { level: 'ADVERTISER' as const, id: advertiser.id, platformId: '7000', campaignId: null, adGroupId: null },
  ];
  log(
    `computing ${objects.length * days} facts (${ads.length} ads and the ${objects.length - ads.length} objects above them × ${days} days) ...`,
  );
  const rows: FactRow[] = [];
  for (const object of objects) {
    for (const day of dayList) {
      const c = settledCounts(object.platformId, day);
      rows.push({
        level: object.level,
        objectId: object.id,
        adGroupId: object.adGroupId,
        campaignId: object.campaignId,
        advertiserId: advertiser.id,
        organizationId: organization.id,
        day,
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
      });
    }
  }

  // The product's path, as the backfill writes it: 30-day windows, pages of 1,000 facts in
  // the reports' order (level by level, by object, then day) staged as they come, one merge
  // per window.
  const fetchedAt = new Date();
  const windows = [];
  for (let w = 0; w < days; w += 30) {
    const windowDays = new Set(dayList.slice(w, w + 30));
    windows.push(rows.filter((row) => windowDays.has(row.day)));
  }
  const writeStarted = performance.now();
  const writer = await AdFactWriter.open(databaseUrl);
  try {
    for (const windowRows of windows) {
      const staging = performance.now();
      // A backfill's window: none of its days stored, so written straight into the facts.
      if (process.env.BENCH_WRITE_PATH !== 'staged') {
        const direct = await writer.writeDirectly(
          { advertiserIds: [advertiser.id], from: windowRows[0]!.day, to: windowRows.at(-1)!.day },
          fetchedAt,
        );
        if (!direct) throw new Error('a backfill window found facts stored');
      }
      for (let i = 0; i < windowRows.length; i += 1000) await writer.add(windowRows.slice(i, i + 1000));
      const merging = performance.now();
      await writer.merge(fetchedAt);
      log(
        `window (${process.env.BENCH_WRITE_PATH === 'staged' ? 'staged' : 'direct'}): written ${windowRows.length} in ${(merging - staging).toFixed(0)} ms, committed in ${(performance.now() - merging).toFixed(0)} ms`,
      );
    }
  } finally {
    await writer.close();
  }
  const writeMs = performance.now() - writeStarted;
  log(`write path done: ${rows.length} facts in ${(writeMs / 1000).toFixed(1)} s`);
  // The same rows by COPY into a twin table (same columns, keys and indexes).
  const copyFile = join(dataDir, 'facts.csv');
  const columns = factColumnNames;
  const stamp = fetchedAt.toISOString();
  await writeFile(
    copyFile,
    rows
      .map((r) =>
        [
          r.objectId,
          r.day,
          r.level,
          r.organizationId,
          r.advertiserId,
          r.campaignId ?? '',
          r.adGroupId ?? '',
          ...factCountColumns.map((c) => r[c]),
          stamp,
        ].join(','),
      )
      .join('\n'),
  );
  await chmod(copyFile, 0o644);
  const raw = new pg.Client({ connectionString: databaseUrl });
  await raw.connect();
  cleanups.unshift(() => raw.end());
  await raw.query(`CREATE TABLE bench_copy (LIKE "AdsDailyFact" INCLUDING ALL)`);
  const copyStarted = performance.now();
  await raw.query(`COPY bench_copy (${columns.map((c) => `"${c}"`).join(', ')}) FROM '${copyFile}' WITH (FORMAT csv)`);
  const copyMs = performance.now() - copyStarted;

  const writeRate = rows.length / (writeMs / 1000);
  const copyRate = rows.length / (copyMs / 1000);
  log(`write path: ${rows.length} facts in ${(writeMs / 1000).toFixed(1)} s = ${Math.round(writeRate)} facts/s`);
  log(`raw COPY:   ${rows.length} facts in ${(copyMs / 1000).toFixed(1)} s = ${Math.round(copyRate)} facts/s`);
  log(`ratio write path / COPY = ${(writeRate / copyRate).toFixed(2)}`);

  // The 90-day campaign-level report as the dashboard asks for it, through the api's own
  // report code (its SQL): the first page of 50 by spend with its advertisers, the row count,
  // the totals and the daily series.
  await raw.query('ANALYZE "AdsDailyFact"');
  const ctx = { db } as unknown as ServiceContext;
  const query: AdsReportQuery = {
    input: adsReportInput.parse({
      organizationId: organization.id,
      level: 'CAMPAIGN',
      from: dayList[0],
      to: dayList[days - 1],
    }),
    organizationId: organization.id,
    advertiserIds: [advertiser.id],
    currency: 'USD',
  };
  const timings: number[] = [];
  for (let i = 0; i < reports; i++) {
    const started = performance.now();
    const [page] = await Promise.all([
      adsReportRows(ctx, query, { after: null, limit: 50 }),
      adsReportCount(ctx, query),
      adsReportTotals(ctx, query),
      adsReportSeries(ctx, query, 'DAY'),
    ]);
    if (page.rows.length !== Math.min(50, campaigns.length)) throw new Error('the report lost rows');
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  log(
    `90-day campaign report (page of 50, count, totals, daily series) over ${reports} runs: p50 ${percentile(timings, 50).toFixed(1)} ms, p99 ${percentile(timings, 99).toFixed(1)} ms`,
  );
} finally {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}
