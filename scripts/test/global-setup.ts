// Once per `vitest run`: a throwaway PostgreSQL and Temporal dev server (unless
// TEST_DATABASE_URL / TEST_TEMPORAL_ADDRESS name existing ones), and a migrated template
// database that each test file clones (see @pressroom/db/testing).
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
// Declares what this setup provides (ProvidedContext).
import type {} from '@pressroom/db/testing';
import type { TestProject } from 'vitest/node';
import { z } from 'zod';
import { repoRoot } from '../stack/config.js';
import { freePort } from '../stack/ports.js';
import { databaseUrlFor } from '../stack/postgres.js';
import { startTemporalDevServer } from '../stack/temporal.js';

const env = z
  .object({
    TEST_DATABASE_URL: z.string().url().optional(),
    TEST_TEMPORAL_ADDRESS: z.string().optional(),
    PRESSROOM_TOOLS_DIR: z.string().default(join(repoRoot, '.tools')),
  })
  .parse(process.env);

const templateDatabase = 'pressroom_test_template';

/**
 * Starts embedded PostgreSQL in a child process (see postgres-process.ts for why not here);
 * `stop` closes its stdin and waits for it to shut the server down.
 */
async function startPostgresProcess(dataDir: string, port: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/test/postgres-process.ts', dataDir, String(port)],
    {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then((code) => {
      throw new Error(`embedded PostgreSQL for the tests did not start (exit ${code})`);
    }),
  ]);
  lines.close();
  const { serverUrl } = JSON.parse(first) as { serverUrl: string };
  return {
    serverUrl,
    stop: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  const dataDir = await mkdtemp(join(tmpdir(), 'pressroom-test-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  await chmod(dataDir, 0o755);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  try {
    const [postgresServerUrl, temporalAddress] = await Promise.all([
      (async () => {
        if (env.TEST_DATABASE_URL) return env.TEST_DATABASE_URL;
        const postgres = await startPostgresProcess(join(dataDir, 'postgres'), await freePort());
        cleanups.push(postgres.stop);
        return postgres.serverUrl;
      })(),
      (async () => {
        if (env.TEST_TEMPORAL_ADDRESS) return env.TEST_TEMPORAL_ADDRESS;
        const temporal = await startTemporalDevServer({ port: await freePort(), toolsDir: env.PRESSROOM_TOOLS_DIR });
        cleanups.push(temporal.stop);
        return temporal.address;
      })(),
    ]);

    const admin = new pg.Client({ connectionString: postgresServerUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${templateDatabase}`);
    await admin.end();
    // Through the same command a person runs (`pnpm db:migrate`).
    const migrate = spawnSync(process.execPath, ['--import', 'tsx', 'prisma/src/cli.ts', 'migrate'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrlFor(postgresServerUrl, templateDatabase) },
      encoding: 'utf8',
    });
    if (migrate.status !== 0) throw new Error(`migrating the template database failed:\n${migrate.stderr}`);

    project.provide('postgresServerUrl', postgresServerUrl);
    project.provide('templateDatabase', templateDatabase);
    project.provide('temporalAddress', temporalAddress);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
