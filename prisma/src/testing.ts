import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

// Provided once per run by scripts/test/global-setup.ts.
declare module 'vitest' {
  export interface ProvidedContext {
    postgresServerUrl: string;
    templateDatabase: string;
    temporalAddress: string;
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database (connections are closed by force). */
  drop(): Promise<void>;
}

function urlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresServerUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of its own for a test file: a copy of the migrated template (fast, ~50 ms), or
 * an empty one with `{ empty: true }`.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? 'template0' : inject('templateDatabase');
  await withAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    name,
    url: urlFor(inject('postgresServerUrl'), name),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

export function temporalAddress(): string {
  return inject('temporalAddress');
}
