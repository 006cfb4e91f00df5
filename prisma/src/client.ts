import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client/client.js';

export interface PrismaClientOptions {
  databaseUrl: string;
  /** Pool size per process; api and worker processes each hold one pool. */
  maxConnections?: number;
  /** Called with every SQL statement (tests count statements with it). */
  onQuery?: (sql: string, durationMs: number) => void;
}

export function createPrismaClient(options: PrismaClientOptions) {
  const adapter = new PrismaPg({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 });
  if (!options.onQuery) return new PrismaClient({ adapter });
  const onQuery = options.onQuery;
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => onQuery(event.query, event.duration));
  return client;
}

export type Database = ReturnType<typeof createPrismaClient>;
