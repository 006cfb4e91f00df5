// Benchmark: the dashboard's main queries under load, side by side with bare graphql-yoga
// serving the same JSON from memory (issue 17's load figure).
//
//   node --import tsx api/bench/post-list.ts [seconds per run = 10] [connections = 32]
//
// Seeds one organization (a brand, 200 posts of 4 rendered slides, a publication per post
// with its video's latest metrics and 30 metric snapshots), then for each query:
//   1. counts the SQL statements one request costs (an in-process api whose Prisma client
//      reports every statement),
//   2. loads the real api (`api/src/main.ts`, a child process, as `npm start` runs it) with
//      autocannon at N connections, signed in as the organization's owner,
//   3. loads bare graphql-yoga (a child process too) built from the same schema SDL whose
//      resolvers answer the api's own response from memory: no database, no auth, no
//      Pothos. Its requests per second are the ceiling the ratio is taken against.
// Starts its own embedded PostgreSQL; nothing else is needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createPrismaClient } from '@pressroom/db';
import pg from 'pg';
import { connectTemporalClient } from '@pressroom/workflows/client';
import { freePort } from '../../scripts/stack/ports.js';
import { dashboardQueries, seedDashboardOrganization, startBenchDatabase, waitForApi } from './support.js';
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
  return {
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

  // The statement count: the same code in this process, with every statement recorded.
  const temporal = connectTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: 'default' });
  cleanups.unshift(() => temporal.connection.close());
  const counting = createApiServer({ db, temporal, logger: createLogger('silent', 'bench'), config });
  await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve));
  cleanups.unshift(
    () =>
      new Promise<void>((resolve) => {
        counting.closeAllConnections();
        counting.close(() => resolve());
      }),
  );
  const countingUrl = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/graphql`;

  // PRESSROOM_BENCH_CPU_PROFILE=<dir>: the api writes a V8 CPU profile there when it stops.
  const profileDir = process.env.PRESSROOM_BENCH_CPU_PROFILE;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const api = spawn(process.execPath, [...profile, '--import', 'tsx', join(import.meta.dirname, '../src/main.ts')], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const apiExited = new Promise((resolve) => api.once('exit', resolve));
  cleanups.unshift(() => {
    api.kill('SIGTERM');
    return Promise.race([apiExited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  });
  await waitForApi(`http://127.0.0.1:${port}`);
  const apiUrl = `http://127.0.0.1:${port}/graphql`;

  const variables = {
    organizationId: encodeGlobalId('Organization', organization.id),
    publicationId: encodeGlobalId('Publication', somePublicationId),
    from: '2026-11-01T00:00:00Z',
    to: '2026-12-01T00:00:00Z',
  };
  const headers = { cookie, origin: `http://127.0.0.1:${port}` };
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
    for (let i = 0; i < 50; i++) {
      await fetch(apiUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    }

    const real = await load(apiUrl, body, headers, api.pid!);
    const baseline = await load(bareUrl, body, {}, bare.pid!);
    await stopBare();
    const ratio = real.rps / baseline.rps;
    log(
      `${name}: ${(answer.length / 1024).toFixed(1)} KB of JSON, ${perRequest} SQL statements per request (${kinds})`,
    );
    log(
      `  api:       ${real.rps.toFixed(0)} req/s, p50 ${real.p50} ms, p99 ${real.p99} ms, ${real.cpuPerRequest.toFixed(1)} CPU ms/request (${real.non2xx} non-2xx, ${real.errors} errors)`,
    );
    log(
      `  bare yoga: ${baseline.rps.toFixed(0)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, ${baseline.cpuPerRequest.toFixed(1)} CPU ms/request (${baseline.non2xx} non-2xx)`,
    );
    log(`  ratio ${ratio.toFixed(2)}`);
    rows.push(
      `| ${name} | ${(answer.length / 1024).toFixed(0)} KB | ${perRequest} | ${real.rps.toFixed(0)} | ${real.p50} / ${real.p99} | ${real.cpuPerRequest.toFixed(1)} | ${baseline.rps.toFixed(0)} | ${baseline.cpuPerRequest.toFixed(1)} | ${ratio.toFixed(2)} |`,
    );
  }
  console.log(`\n${connections} connections, ${seconds} s per run\n`);
  console.log(
    '| query | JSON | SQL/request | api req/s | api p50 / p99 ms | api CPU ms/request | bare yoga req/s | bare CPU ms/request | ratio |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
} finally {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}
