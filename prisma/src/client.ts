import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client/client.js';

export interface PrismaClientOptions {
  databaseUrl: string;
  /** Pool size per process; api and worker processes each hold one pool. */
  maxConnections?: number;
  /** Called with every SQL statement (tests count statements with it). */
  onQuery?: (sql: string, durationMs: number) => void;
}

// The URL each client was made with: the few writers that need what Prisma cannot do (COPY)
// open a plain connection to the same database with it.
const urls = new WeakMap<object, string>();

export function createPrismaClient(options: PrismaClientOptions) {
  const adapter = new PrismaPg({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 });
  if (!options.onQuery) {
    const plain = new PrismaClient({ adapter });
    urls.set(plain, options.databaseUrl);
    return plain;
  }
  const onQuery = options.onQuery;
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => onQuery(event.query, event.duration));
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
