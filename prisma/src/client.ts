import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client/client.js';

export interface PrismaClientOptions {
  databaseUrl: string;
  /** Pool size per process; api and worker processes each hold one pool. */
  maxConnections?: number;
  /** Called with every SQL statement (tests count statements with it; benchmarks explain them). */
  onQuery?: (sql: string, durationMs: number, params: string) => void;
}

/**
 * Interactive transactions: Prisma's defaults (2 s to get a connection, 5 s in all) end a
 * transaction that is still making progress on a busy 2-core machine, and its later
 * statements then fail half way (the demo seed did, under load, with a foreign key error
 * once its organization had been rolled back). A stuck transaction is still ended.
 */
const transactionOptions = { maxWait: 10_000, timeout: 30_000 };

// The URL each client was made with: the few writers that need what Prisma cannot do (COPY)
// open a plain connection to the same database with it.
const urls = new WeakMap<object, string>();

export function createPrismaClient(options: PrismaClientOptions) {
  const adapter = new PrismaPg({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 });
  if (!options.onQuery) {
    const plain = new PrismaClient({ adapter, transactionOptions });
    urls.set(plain, options.databaseUrl);
    return plain;
  }
  const onQuery = options.onQuery;
  const client = new PrismaClient({ adapter, transactionOptions, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => onQuery(event.query, event.duration, event.params));
  urls.set(client, options.databaseUrl);
  return client;
}

/** The database URL `db` was created with (for a plain `pg` connection beside it, e.g. COPY). */
export function databaseUrlOf(db: object): string {
  const url = urls.get(db);
  if (!url) throw new Error('this database client was not made by createPrismaClient');
  return url;
}

export type Database = ReturnType<typeof createPrismaClient>;
