// Benchmark: the dashboard's main queries under load, side by side with bare graphql-yoga
// serving the same JSON from memory (issue 17's load figure).
//
//   node --import tsx api/bench/post-list.ts [seconds per run = 10] [connections = 32]
//
// Seeds one organization (a brand, 200 posts of 4 rendered slides, a publication per post
// with its video's latest metrics and 30 metric snapshots), then for each query:
//   1. counts the SQL statements one request costs, computed and from the read cache (in-process
//      apis whose Prisma client reports every statement),
//   2. loads the real api (`api/src/main.ts`, a child process, as `npm start` runs it) with
//      autocannon at N connections, signed in as the organization's owner; then the same api
//      with its read cache off (GRAPHQL_READ_CACHE=false), which computes every answer,
//   3. loads bare graphql-yoga (a child process too) built from the same schema SDL whose
//      resolvers answer the api's own response from memory: no database, no auth, no
//      Pothos. Its requests per second are the ceiling the ratio is taken against.
// Starts its own embedded PostgreSQL; nothing else is needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createPrismaClient } from '@pressroom/db';
import pg from 'pg';
import { connectTemporalClient } from '@pressroom/workflows/client';
import { freePort } from '../../scripts/stack/ports.js';
import {
  dashboardQueries,
  seedDashboardOrganization,
  serveInProcess,
  startBenchDatabase,
  waitForApi,
} from './support.js';
import { sessionCookie } from '../src/auth/sessions.js';
import { sha256 } from '../src/auth/secrets.js';
import { loadApiConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createApiServer } from '../src/server.js';
import { encodeGlobalId } from '../src/schema/ids.js';

const [seconds = 10, connections = 32] = process.argv.slice(2).map(Number);
const cleanups: Array<() => Promise<unknown>> = [];
const log = (line: string) => console.log(`bench: ${line}`);

const queries = dashboardQueries;

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}:\n${out}`)));
  });
}

/** CPU time (user + system) a process has used, in ms: /proc/<pid>/stat, in clock ticks of 10 ms. */
async function cpuMsOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * Requests per second and latency at `connections`; also the server's CPU ms per request,
 * which a machine shared with other work changes far less than it changes requests per second.
 */
async function load(url: string, body: string, headers: Record<string, string>, serverPid: number) {
  const cpuBefore = await cpuMsOf(serverPid);
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const cpuMs = (await cpuMsOf(serverPid)) - cpuBefore;
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${serverPid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  return {
    rssMb,
    cpuPerRequest: cpuMs / Math.max(1, result.requests.total),
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

try {
  const { dataDir, databaseUrl } = await startBenchDatabase('pressroom-load-bench-', 'load_bench', cleanups);

  let statements: string[] | null = null;
  let explained: Array<{ sql: string; params: unknown[] }> | null = null;
  const db = createPrismaClient({
    databaseUrl,
    maxConnections: 4,
    onQuery: (sql, _ms, params) => {
      statements?.push(sql);
      explained?.push({ sql, params: JSON.parse(params) as unknown[] });
    },
  });
  cleanups.unshift(() => db.$disconnect());

  const seeding = performance.now();
  const { organization, user, somePublicationId } = await seedDashboardOrganization(db, 200);
  log(
    `seeded 200 posts, 800 slides, 200 publications, 6,000 snapshots in ${Math.round(performance.now() - seeding)} ms`,
  );

  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    SESSION_SECRET: randomUUID() + randomUUID(),
    PRESSROOM_MEDIA_SECRET: randomBytes(32).toString('hex'),
    PRESSROOM_MEDIA_DIR: join(dataDir, 'media'),
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
    LOG_LEVEL: 'warn',
  };
  const config = loadApiConfig(env);
  const secret = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + 3_600_000);
  await db.session.create({ data: { userId: user.id, tokenHash: sha256(secret), expiresAt } });
  const cookie = sessionCookie(config, secret, expiresAt).split(';')[0]!;

  // The statement count: the same code in this process, with every statement recorded; one
  // instance keeps answers in its read cache (as `npm start` runs it), one computes each.
  const temporal = connectTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: 'default' });
  cleanups.unshift(() => temporal.connection.close());
  const countingServer = async (readCache: boolean) => {
    const server = createApiServer({
      db,
      temporal,
      logger: createLogger('silent', 'bench'),
      config: { ...config, GRAPHQL_READ_CACHE: readCache },
    });
    return `${await serveInProcess(server, cleanups)}/graphql`;
  };
  const countingUrl = await countingServer(false);
  const countingCachedUrl = await countingServer(true);

  // The api as `npm start` runs it (its read cache on), and the same with the cache off.
  // PRESSROOM_BENCH_CPU_PROFILE=<dir>: each api writes a V8 CPU profile there when it stops.
  const profileDir = process.env.PRESSROOM_BENCH_CPU_PROFILE;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const startApi = async (extraEnv: Record<string, string>) => {
    const apiPort = await freePort();
    const child = spawn(
      process.execPath,
      [...profile, '--import', 'tsx', join(import.meta.dirname, '../src/main.ts')],
      {
        env: { ...env, ...extraEnv, PORT: String(apiPort) },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    cleanups.unshift(() => {
      child.kill('SIGTERM');
      return Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    });
    await waitForApi(`http://127.0.0.1:${apiPort}`);
    return { url: `http://127.0.0.1:${apiPort}/graphql`, pid: child.pid! };
  };
  const api = await startApi({});
  const apiUncached = await startApi({ GRAPHQL_READ_CACHE: 'false' });
  const apiUrl = api.url;

  const variables = {
    organizationId: encodeGlobalId('Organization', organization.id),
    publicationId: encodeGlobalId('Publication', somePublicationId),
    from: '2026-11-01T00:00:00Z',
    to: '2026-12-01T00:00:00Z',
  };
  const headers = { cookie, origin: new URL(apiUrl).origin };
  const rows: string[] = [];
  // PRESSROOM_BENCH_ONLY=<text>: only the queries whose name contains it.
  const only = process.env.PRESSROOM_BENCH_ONLY;
  for (const [name, query] of Object.entries(queries)) {
    if (only && !name.includes(only)) continue;
    const body = JSON.stringify({ query, variables });
    // Warm both the counting instance and the child (JIT, Prisma's connection pool).
    let answer = '';
    for (let i = 0; i < 3; i++) {
      answer = await (
        await fetch(countingUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body })
      ).text();
    }
    const parsed = JSON.parse(answer) as { data?: unknown; errors?: unknown };
    if (parsed.errors || !parsed.data) throw new Error(`${name} answered errors: ${answer.slice(0, 500)}`);
    statements = [];
    await fetch(countingUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    const perRequest = statements.length;
    const kinds = statements.map((sql) => sql.split(/\s+/)[0]).join(', ');
    // A cached answer: the fewest statements of a few requests in a row (the first computes it).
    let perCachedRequest = Infinity;
    for (let i = 0; i < 5; i++) {
      statements = [];
      await fetch(countingCachedUrl, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      });
      perCachedRequest = Math.min(perCachedRequest, statements.length);
    }
    // PRESSROOM_BENCH_EXPLAIN=1: each statement's plan, with the time Postgres spends on it.
    if (process.env.PRESSROOM_BENCH_EXPLAIN) {
      explained = [];
      await fetch(countingUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
      const sql = new pg.Client({ connectionString: databaseUrl });
      await sql.connect();
      for (const statement of explained) {
        const plan = await sql.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
          statement.params,
        );
        log(`  ${statement.sql.slice(0, 120)}...\n${plan.rows.map((row) => row['QUERY PLAN']).join('\n')}`);
      }
      await sql.end();
      explained = null;
    }
    statements = null;

    // Bare yoga: the same schema answering this query's data from memory.
    const dataFile = join(dataDir, 'answer.json');
    await writeFile(dataFile, JSON.stringify(parsed.data));
    const bare = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'bare-yoga.ts'), dataFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const stopBare = () => Promise.resolve(bare.kill('SIGTERM'));
    cleanups.unshift(stopBare);
    const barePort = Number((await waitForLine(bare, /listening on (\d+)/))[1]);
    const bareUrl = `http://127.0.0.1:${barePort}/graphql`;
    const bareAnswer = await (
      await fetch(bareUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    ).text();
    if (JSON.stringify(JSON.parse(bareAnswer)) !== JSON.stringify({ data: parsed.data })) {
      throw new Error(`bare yoga's answer differs for ${name}: ${bareAnswer.slice(0, 300)}`);
    }
    for (const target of [api, apiUncached]) {
      for (let i = 0; i < 50; i++) {
        await fetch(target.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
      }
    }

    const real = await load(api.url, body, headers, api.pid);
    const computed = await load(apiUncached.url, body, headers, apiUncached.pid);
    const baseline = await load(bareUrl, body, {}, bare.pid!);
    await stopBare();
    const ratio = real.rps / baseline.rps;
    const computedRatio = computed.rps / baseline.rps;
    const line = (label: string, run: typeof real) =>
      log(
        `  ${label} ${run.rps.toFixed(0)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.cpuPerRequest.toFixed(1)} CPU ms/request, ${run.rssMb.toFixed(0)} MB resident after (${run.non2xx} non-2xx, ${run.errors} errors)`,
      );
    log(
      `${name}: ${(answer.length / 1024).toFixed(1)} KB of JSON, ${perRequest} SQL statements per computed request (${kinds}), ${perCachedRequest} per cached one`,
    );
    line('api:                 ', real);
    line('api, read cache off: ', computed);
    line('bare yoga:           ', baseline);
    log(`  ratio ${ratio.toFixed(2)} (read cache off: ${computedRatio.toFixed(2)})`);
    rows.push(
      `| ${name} | ${(answer.length / 1024).toFixed(0)} KB | ${perRequest} / ${perCachedRequest} | ${real.rps.toFixed(0)} | ${real.p50} / ${real.p99} | ${real.cpuPerRequest.toFixed(1)} | ${computed.rps.toFixed(0)} | ${computed.p50} / ${computed.p99} | ${computed.cpuPerRequest.toFixed(1)} | ${baseline.rps.toFixed(0)} | ${baseline.cpuPerRequest.toFixed(1)} | ${ratio.toFixed(2)} | ${computedRatio.toFixed(2)} |`,
    );
  }
  console.log(`\n${connections} connections, ${seconds} s per run\n`);
  console.log(
    '| query | JSON | SQL/request (computed / cached) | api req/s | api p50 / p99 ms | api CPU ms/request | cache off req/s | cache off p50 / p99 ms | cache off CPU ms/request | bare yoga req/s | bare CPU ms/request | ratio | ratio, cache off |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}
