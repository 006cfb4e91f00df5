// Benchmark: memory of the api while it streams a CSV export of an ads report. Seeds
// ~1,000,000 ad-level daily facts (10,000 ads × 100 days), starts the api (src/main.ts) as a
// child process, downloads a small export (one ad, 100 rows) and then the whole report
// (1,000,000 rows) through exportAdsReportCsv's signed link, and samples the api process's
// resident memory (/proc/<pid>/status VmRSS) every 20 ms during each download. Flat memory is
// the goal: the big download should peak near the small one.
//
//   node --import tsx api/bench/ads-export.ts [ads=10000] [days=100] [api heap cap in MB]
//
// RSS also counts garbage V8 has not collected yet; with a heap cap (e.g. 96) the api must
// finish the million rows inside it, which a leak or a buffered export could not.
//
// Starts its own embedded PostgreSQL (Linux: /proc is read for the child's memory).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrismaClient } from '@pressroom/db';
import pg from 'pg';
import { freePort } from '../../scripts/stack/ports.js';
import { startBenchDatabase, waitForApi } from './support.js';
import { loadApiConfig } from '../src/config.js';
import { createAdsReportCsvExport } from '../src/services/ads-export.js';

const [adCount = 10_000, days = 100, heapCapMb] = process.argv.slice(2).map(Number);
const cleanups: Array<() => Promise<unknown>> = [];
const log = (line: string) => console.log(`bench: ${line}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** Downloads `url` (bytes counted, not kept) while sampling the api's RSS. */
async function download(url: string, pid: number) {
  const samples: number[] = [await rssOf(pid)];
  const sampler = setInterval(() => {
    rssOf(pid).then(
      (rss) => samples.push(rss),
      () => undefined,
    );
  }, 20);
  const started = performance.now();
  const response = await fetch(url);
  if (!response.ok) throw new Error(`download answered ${response.status}: ${await response.text()}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  clearInterval(sampler);
  samples.push(await rssOf(pid));
  return {
    seconds: (performance.now() - started) / 1000,
    bytes,
    rows: lines - 1,
    before: samples[0]!,
    peak: Math.max(...samples),
    samples: samples.length,
  };
}

try {
  const { databaseUrl } = await startBenchDatabase('pressroom-export-bench-', 'export_bench', cleanups);
  const db = createPrismaClient({ databaseUrl, maxConnections: 4 });
  cleanups.unshift(() => db.$disconnect());

  const organization = await db.organization.create({ data: { name: 'Bench', slug: `bench-${Date.now()}` } });
  const user = await db.user.create({ data: { email: 'bench@example.test', name: 'Bench', passwordHash: 'x' } });
  await db.membership.create({ data: { organizationId: organization.id, userId: user.id, role: 'ANALYST' } });
  const connection = await db.adsConnection.create({ data: { organizationId: organization.id } });
  const advertiser = await db.advertiser.create({
    data: {
      organizationId: organization.id,
      connectionId: connection.id,
      platformAdvertiserId: '7000',
      currency: 'USD',
    },
  });
  const seeding = performance.now();
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  const ids = [organization.id, advertiser.id];
  await sql.query(
    `INSERT INTO "AdsCampaign" ("id","organizationId","advertiserId","platformId","name","operationStatus","lastSeenAt","updatedAt")
     SELECT 'c' || c, $1, $2, 'c' || c, 'Campaign ' || c, 'ENABLE', now(), now() FROM generate_series(0, 99) c`,
    ids,
  );
  await sql.query(
    `INSERT INTO "AdsAdGroup" ("id","organizationId","advertiserId","campaignId","platformId","name","operationStatus","lastSeenAt","updatedAt")
     SELECT 'g' || g, $1, $2, 'c' || (g / 10), 'g' || g, 'Ad group ' || g, 'ENABLE', now(), now() FROM generate_series(0, 999) g`,
    ids,
  );
  await sql.query(
    `INSERT INTO "AdsAd" ("id","organizationId","advertiserId","campaignId","adGroupId","platformId","name","operationStatus","lastSeenAt","updatedAt")
     SELECT 'a' || a, $1, $2, 'c' || (a % 1000 / 10), 'g' || (a % 1000), 'a' || a, 'Ad "' || a || '", variant ' || (a % 7), 'ENABLE', now(), now()
     FROM generate_series(0, $3::int - 1) a`,
    [...ids, adCount],
  );
  await sql.query(
    `INSERT INTO "AdsDailyFact" ("objectId","day","level","organizationId","advertiserId","campaignId","adGroupId",
       "spendCents","impressions","clicks","reach","conversions","videoPlays","videoViewsP25","videoViewsP50",
       "videoViewsP75","videoViewsP100","likes","comments","shares","follows","fetchedAt")
     SELECT 'a' || a, DATE '2026-08-01' + d, 'AD', $1, $2, 'c' || (a % 1000 / 10), 'g' || (a % 1000),
       (a * 7 + d * 13) % 10000, 1000 + a % 500, 10 + d % 50, 800, a % 9, 300, 200, 100, 50, 25, 3, 2, 1, 1, now()
     FROM generate_series(0, $3::int - 1) a, generate_series(0, $4::int - 1) d`,
    [...ids, adCount, days],
  );
  await sql.query('ANALYZE "AdsDailyFact"');
  await sql.end();
  log(`seeded ${adCount * days} ad facts in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    SESSION_SECRET: randomUUID() + randomUUID(),
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    LOG_LEVEL: 'warn',
  };
  const child = spawn(
    process.execPath,
    [
      ...(heapCapMb ? [`--max-old-space-size=${heapCapMb}`] : []),
      '--import',
      'tsx',
      join(import.meta.dirname, '../src/main.ts'),
    ],
    {
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  cleanups.unshift(() => Promise.resolve(child.kill('SIGTERM')));
  await waitForApi(`http://127.0.0.1:${port}`);
  const config = loadApiConfig(env);
  const ctx = {
    db,
    config,
    mailer: { sendPasswordReset: () => Promise.resolve(), sendInvite: () => Promise.resolve() },
    meta: {
      viewer: {
        kind: 'user' as const,
        userId: user.id,
        sessionId: 'bench',
        roles: new Map([[organization.id, 'ANALYST' as const]]),
      },
      ip: null,
      userAgent: 'bench',
      requestId: 'bench',
    },
  };
  const to = new Date(Date.parse('2026-08-01') + (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const reportOf = (adIds: string[] | null) => ({
    organizationId: organization.id,
    level: 'AD' as const,
    from: '2026-08-01',
    to,
    groupBy: 'DAY' as const,
    adIds,
  });
  const pid = child.pid!;
  log(`api idle RSS ${mb(await rssOf(pid))}`);
  const small = await download((await createAdsReportCsvExport(ctx, reportOf(['a0']))).url, pid);
  log(
    `small export: ${small.rows} rows, ${mb(small.bytes)} in ${small.seconds.toFixed(1)} s; api RSS before ${mb(small.before)}, peak ${mb(small.peak)} (${small.samples} samples)`,
  );
  const big = await download((await createAdsReportCsvExport(ctx, reportOf(null))).url, pid);
  log(
    `full export: ${big.rows} rows, ${mb(big.bytes)} in ${big.seconds.toFixed(1)} s (${Math.round(big.rows / big.seconds)} rows/s); api RSS before ${mb(big.before)}, peak ${mb(big.peak)} (${big.samples} samples)`,
  );
  log(`peak RSS, full vs small: +${mb(big.peak - small.peak)}`);
} finally {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}
