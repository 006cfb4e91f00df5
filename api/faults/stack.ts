// The stack `npm start` runs, with each part a process of its own that the fault harness can
// stop, kill and start again: embedded PostgreSQL (in a child process), the Temporal dev server
// (persisted to SQLite, so a restart keeps every workflow), the emulators (in this process, as
// under `npm start`), one worker and two api instances. The parts are started with the same
// functions scripts/stack/main.ts uses; the demo seed and the dashboard build are left out.
import { execFile, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { ensureDatabase } from '@pressroom/db';
import { applyMigrations } from '@pressroom/db/migrations';
import { loadStackConfig, repoRoot } from '../../scripts/stack/config.js';
import { startEmulators, type RunningEmulators } from '../../scripts/stack/emulators.js';
import { freePort, waitFor } from '../../scripts/stack/ports.js';
import { databaseUrlFor } from '../../scripts/stack/postgres.js';
import { sharedServiceEnv } from '../../scripts/stack/secrets.js';
import { startService, type ServiceProcess } from '../../scripts/stack/services.js';
import { startTemporalDevServer, type RunningTemporal } from '../../scripts/stack/temporal.js';

const host = '127.0.0.1';

export interface FaultStack {
  dataDir: string;
  databaseUrl: string;
  temporalAddress: string;
  /** What every service gets (as under `npm start`). */
  env: Record<string, string>;
  emulators: RunningEmulators;
  /** Base URLs of the two api instances; the harness kills the first, subscribers use the second. */
  apiUrls: [string, string];
  stopPostgres(): Promise<void>;
  /**
   * PostgreSQL crashes: SIGKILL to the postmaster and every process it forked (no checkpoint,
   * no shutdown of any kind), as the kernel's OOM killer or a power cut would leave it. The next
   * startPostgres runs crash recovery on the same data folder.
   */
  crashPostgres(): Promise<{ postmaster: number; children: number }>;
  startPostgres(): Promise<void>;
  stopTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  /** SIGKILL to the service's process group: no shutdown of any kind. */
  kill(service: 'worker' | 'api-0' | 'api-1'): Promise<void>;
  start(service: 'worker' | 'api-0' | 'api-1'): Promise<void>;
  /** Stops everything this started, in the reverse order; safe to call twice. */
  stop(): Promise<void>;
}

/** Embedded PostgreSQL in its own process (scripts/test/postgres-process.ts): stdin closed stops it. */
async function startPostgresProcess(dataDir: string, port: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/test/postgres-process.ts', dataDir, String(port)],
    {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then(() => {
      throw new Error(`embedded PostgreSQL did not start: ${errors.trim()}`);
    }),
  ]);
  lines.close();
  const { serverUrl } = JSON.parse(first) as { serverUrl: string };
  return {
    child,
    serverUrl,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pids of `pid`'s children (the postmaster's backends, checkpointer, WAL writer...). */
async function childrenOf(pid: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)('pgrep', ['-P', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.trim()));
}

/**
 * SIGKILL to the postmaster named in `<dataDir>/postmaster.pid` and to each process it forked,
 * all at once, then to the process that started it; resolves once every one is gone. The lock
 * file stays behind, as after a crash: PostgreSQL sees its pid is dead and recovers.
 */
async function crashPostmaster(
  dataDir: string,
  wrapper: { child: ReturnType<typeof spawn>; exited: Promise<void> },
): Promise<{ postmaster: number; children: number }> {
  const lock = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  const postmaster = Number(lock.split('\n')[0]);
  if (!Number.isInteger(postmaster) || postmaster <= 0) throw new Error(`no postmaster pid in ${dataDir}`);
  const victims = [postmaster, ...(await childrenOf(postmaster))];
  for (const pid of victims) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  wrapper.child.kill('SIGKILL');
  await wrapper.exited;
  const deadline = Date.now() + 30_000;
  while (victims.some(alive)) {
    if (Date.now() > deadline)
      throw new Error(`PostgreSQL processes outlived SIGKILL: ${victims.filter(alive).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { postmaster, children: victims.length - 1 };
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  await waitFor(`the api at ${url}`, timeoutMs, async () => ((await fetch(`${url}/ready`)).ok ? true : undefined));
}

export async function startFaultStack(options: { dataDir: string; log?: (line: string) => void }): Promise<FaultStack> {
  const say = options.log ?? (() => {});
  const { dataDir } = options;
  await mkdir(join(dataDir, 'logs'), { recursive: true });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  await chmod(dataDir, 0o755);
  const [postgresPort, temporalPort, apiPort0, apiPort1] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  // Only what is set here: the harness needs every emulator, whatever this shell has set.
  const config = loadStackConfig({
    PRESSROOM_DATA_DIR: dataDir,
    PRESSROOM_POSTGRES_PORT: String(postgresPort),
    PRESSROOM_TEMPORAL_PORT: String(temporalPort),
    HOST: host,
    // Media URLs name the second instance: the first is the one the harness kills.
    PORT: String(apiPort1),
    PRESSROOM_TOOLS_DIR: process.env.PRESSROOM_TOOLS_DIR,
  });
  const stops: Array<() => Promise<void>> = [];
  const logs: WriteStream[] = [];
  const logFile = (name: string) => {
    const stream = createWriteStream(join(dataDir, 'logs', `${name}.log`), { flags: 'a' });
    logs.push(stream);
    return stream;
  };
  let stopping: Promise<void> | undefined;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const stop of stops.reverse()) await stop().catch(() => {});
      for (const stream of logs) stream.end();
    })());

  try {
    let postgres = await startPostgresProcess(join(dataDir, 'postgres'), postgresPort);
    stops.push(() => postgres.stop());
    const databaseUrl = databaseUrlFor(postgres.serverUrl, 'pressroom');
    await ensureDatabase(databaseUrl);
    await applyMigrations(databaseUrl);
    say(`PostgreSQL on ${host}:${postgresPort}`);

    const startTemporal = () =>
      startTemporalDevServer({
        dbFile: join(dataDir, 'temporal.sqlite'),
        host,
        port: temporalPort,
        namespace: 'default',
        toolsDir: config.PRESSROOM_TOOLS_DIR,
        autoInstall: config.PRESSROOM_TEMPORAL_AUTO_INSTALL,
      });
    let temporal: RunningTemporal | undefined = await startTemporal();
    stops.push(async () => temporal?.stop());
    say(`Temporal dev server on ${temporal.address}`);

    const emulators = await startEmulators(config);
    stops.push(emulators.stop);
    const shared = await sharedServiceEnv(config);
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      HOST: host,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      ...shared,
      ...emulators.env,
    };
    const ports = { 'api-0': apiPort0, 'api-1': apiPort1 } as const;
    const entries = { worker: 'workflows/src/main.ts', 'api-0': 'api/src/main.ts', 'api-1': 'api/src/main.ts' };
    const services = new Map<string, ServiceProcess>();
    // Killed outright should this process end without stopping them (they lead their own groups).
    process.once('exit', () => {
      for (const service of services.values()) {
        try {
          if (service.child.exitCode === null && service.child.signalCode === null)
            process.kill(-service.child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    let workerStarts = 0;
    const start = async (name: keyof typeof entries) => {
      const log = logFile(name);
      const serviceEnv = name === 'worker' ? env : { ...env, PORT: String(ports[name]) };
      const service = startService(name, entries[name], serviceEnv, { stdout: log, stderr: log });
      services.set(name, service);
      if (name === 'worker') {
        // Ready once it polls: the line it logs after bundling the workflows, once per start.
        const starts = (workerStarts += 1);
        await waitFor('the worker', 180_000, async () => {
          if (service.child.exitCode !== null) throw new Error('the worker exited');
          const text = await readFile(join(dataDir, 'logs', 'worker.log'), 'utf8');
          return text.split('polling the task queue').length - 1 >= starts ? true : undefined;
        });
      } else {
        await waitFor(`the ${name}`, 120_000, async () =>
          (await fetch(`http://${host}:${ports[name]}/health`)).ok ? true : undefined,
        );
      }
    };
    stops.push(async () => {
      await Promise.all([...services.values()].map((service) => service.stop()));
    });
    await Promise.all([start('worker'), start('api-0'), start('api-1')]);
    const apiUrls: [string, string] = [`http://${host}:${apiPort0}`, `http://${host}:${apiPort1}`];
    await Promise.all(apiUrls.map((url) => waitReady(url, 120_000)));
    say(`worker and two api instances ready (${apiUrls.join(', ')})`);

    return {
      dataDir,
      databaseUrl,
      temporalAddress: temporal.address,
      env,
      emulators,
      apiUrls,
      stopPostgres: () => postgres.stop(),
      crashPostgres: () => crashPostmaster(join(dataDir, 'postgres'), postgres),
      startPostgres: async () => {
        postgres = await startPostgresProcess(join(dataDir, 'postgres'), postgresPort);
      },
      stopTemporal: async () => {
        await temporal?.stop();
        temporal = undefined;
      },
      startTemporal: async () => {
        temporal = await startTemporal();
      },
      kill: async (name) => {
        const service = services.get(name);
        if (!service || service.child.exitCode !== null || service.child.signalCode !== null) return;
        try {
          process.kill(-service.child.pid!, 'SIGKILL');
        } catch {
          service.child.kill('SIGKILL');
        }
        await service.exited;
      },
      start,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
