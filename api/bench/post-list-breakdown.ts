// Where one post-list request's time goes (issue 17): the same request measured whole and in
// parts, one after another in one process, so the parts can be read against each other.
//
//   node --import tsx api/bench/post-list-breakdown.ts [requests per part = 200]
//
// Parts, each as CPU ms (this process) and wall ms per request, sequential:
//   - the whole HTTP request to an in-process api (its fetch client included),
//   - the api's own schema executed in-process: identify the session, then Pothos + Prisma,
//   - graphql-js executing the same query with default resolvers over the answer's JSON in
//     memory (what bare yoga does per request), then with JSON.stringify,
//   - each SQL statement of the request sent through plain `pg` (wall minus CPU is PostgreSQL).
// PRESSROOM_BENCH_EXPLAIN=1 prints each statement's plan.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, execute, parse } from 'graphql';
import { createPrismaClient } from '@pressroom/db';
import pg from 'pg';
import { connectTemporalClient } from '@pressroom/workflows/client';
import {
  dashboardQueries,
  seedDashboardOrganization,
  serveInProcess,
  startBenchDatabase,
  type Cleanups,
} from './support.js';
import { identify, sessionCookie } from '../src/auth/sessions.js';
import { sha256 } from '../src/auth/secrets.js';
import { loadApiConfig } from '../src/config.js';
import { EventHub } from '../src/events/hub.js';
import { createLogger } from '../src/logger.js';
import { createApiServer } from '../src/server.js';
import { encodeGlobalId } from '../src/schema/ids.js';
import { schema } from '../src/schema/index.js';

const requests = Number(process.argv[2] ?? 200);
const query = dashboardQueries['post list (50 newest, brand, slides, latest publication and metrics)'];
const cleanups: Cleanups = [];

async function measure(label: string, part: () => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await part();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < requests; i++) await part();
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / requests;
  const wallMs = (performance.now() - wall) / requests;
  console.log(`| ${label} | ${cpuMs.toFixed(2)} | ${wallMs.toFixed(2)} |`);
}

try {
  const { dataDir, databaseUrl } = await startBenchDatabase('pressroom-breakdown-', 'breakdown', cleanups);
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  let recording = false;
  const db = createPrismaClient({
    databaseUrl,
    maxConnections: 4,
    onQuery: (sql, _ms, params) => {
      if (recording) statements.push({ sql, params: JSON.parse(params) as unknown[] });
    },
  });
  cleanups.unshift(() => db.$disconnect());
  const { organization, user } = await seedDashboardOrganization(db, 60);

  const config = loadApiConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    SESSION_SECRET: randomUUID() + randomUUID(),
    PRESSROOM_MEDIA_SECRET: randomBytes(32).toString('hex'),
    PRESSROOM_MEDIA_DIR: join(dataDir, 'media'),
    // Nothing here starts a workflow: an address no server answers on.
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    // Every request computed: this takes apart the work the read cache saves.
    GRAPHQL_READ_CACHE: 'false',
  });
  const secret = randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + 3_600_000);
  await db.session.create({ data: { userId: user.id, tokenHash: sha256(secret), expiresAt } });
  const cookie = sessionCookie(config, secret, expiresAt).split(';')[0]!;
  const temporal = connectTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: 'default' });
  cleanups.unshift(() => temporal.connection.close());
  const logger = createLogger('silent', 'bench');
  const server = createApiServer({ db, temporal, logger, config });
  const url = await serveInProcess(server, cleanups);
  const variableValues = { organizationId: encodeGlobalId('Organization', organization.id) };
  const body = JSON.stringify({ query, variables: variableValues });
  const headers = { cookie, origin: url, 'content-type': 'application/json' };
  const post = async () => (await fetch(`${url}/graphql`, { method: 'POST', headers, body })).text();

  const answer = JSON.parse(await post()) as { data?: Record<string, unknown>; errors?: unknown };
  if (answer.errors || !answer.data) throw new Error(`the post list answered errors: ${JSON.stringify(answer)}`);
  recording = true;
  await post();
  recording = false;

  console.log(`${requests} requests per part, one at a time; ${statements.length} SQL statements per request\n`);
  console.log('| part | CPU ms/request | wall ms/request |');
  console.log('|---|---|---|');
  await measure('whole HTTP request (api and its fetch client in this process)', post);
  await measure('fetch client alone (GET /health)', async () => (await fetch(`${url}/health`)).text());
  const document = parse(query);
  const events = new EventHub();
  await measure('api schema in-process: identify + Pothos/Prisma execute', async () => {
    const { viewer } = await identify(db, config, { authorization: null, cookie });
    const result = await execute({
      schema,
      document,
      variableValues,
      contextValue: {
        db,
        logger,
        config,
        requestId: 'breakdown',
        ip: null,
        userAgent: null,
        viewer,
        lapsedCredential: null,
        currentViewer: () => Promise.resolve(viewer),
        events,
        setCookie: () => undefined,
      },
    });
    if (result.errors) throw new Error(JSON.stringify(result.errors));
  });
  const bare = buildSchema(readFileSync(join(import.meta.dirname, '..', 'schema.graphql'), 'utf8'));
  bare.getQueryType()!.getFields().organization!.resolve = () => answer.data!.organization;
  await measure('graphql-js default resolvers over the JSON in memory', async () =>
    execute({ schema: bare, document, variableValues }),
  );
  await measure('the same, then JSON.stringify', async () =>
    JSON.stringify(await execute({ schema: bare, document, variableValues })),
  );
  const plain = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  for (const statement of statements) {
    await measure(`plain pg: ${statement.sql.slice(0, 48).replaceAll('"', '')}...`, () =>
      plain.query(statement.sql, statement.params),
    );
    if (process.env.PRESSROOM_BENCH_EXPLAIN) {
      const plan = await plain.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
        statement.params,
      );
      console.log(plan.rows.map((row) => row['QUERY PLAN']).join('\n'));
    }
  }
  await plain.end();
} finally {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
}
