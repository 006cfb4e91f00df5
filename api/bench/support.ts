// What the api benchmarks share: a throwaway embedded PostgreSQL with a migrated database, and
// waiting for an api started as a child process to answer.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from '@pressroom/db/migrations';
import pg from 'pg';
import { databaseUrlFor, startEmbeddedPostgres } from '../../scripts/stack/postgres.js';
import { freePort } from '../../scripts/stack/ports.js';

export type Cleanups = Array<() => Promise<unknown>>;

/**
 * Starts PostgreSQL in a new temporary folder and creates and migrates `database` on it. The
 * server's stop and the folder's removal are added to `cleanups` (run last).
 */
export async function startBenchDatabase(
  folderPrefix: string,
  database: string,
  cleanups: Cleanups,
): Promise<{ dataDir: string; databaseUrl: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), folderPrefix));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  await chmod(dataDir, 0o755);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort() });
  cleanups.push(postgres.stop);
  const admin = new pg.Client({ connectionString: postgres.serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = databaseUrlFor(postgres.serverUrl, database);
  await applyMigrations(databaseUrl);
  return { dataDir, databaseUrl };
}

/** Waits (up to a minute) until the api at `baseUrl` answers /health. */
export async function waitForApi(baseUrl: string): Promise<void> {
  for (let i = 0; ; i++) {
    const ok = await fetch(`${baseUrl}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (i > 600) throw new Error('the api did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
