// What every workflow test file sets up the same way: a database of its own, a worker on a
// task queue of its own running the real workflows and activities, and a Temporal client —
// torn down in the reverse order.
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, temporalAddress } from '@pressroom/db/testing';
import { Client, Connection } from '@temporalio/client';
import type { ActivityDependencies } from '../../src/activities/index.js';
import { createTikTokClient, type TikTokClient } from '../../src/platforms/tiktok/index.js';
import { createPressroomWorker } from '../../src/worker.js';

export interface WorkerHarness {
  db: Database;
  client: Client;
  /** Stops the worker, then runs `cleanups` in order, then drops the database. */
  close: () => Promise<void>;
}

export interface WorkerHarnessOptions {
  /** The file's own task queue, so test files never take each other's tasks. */
  taskQueue: string;
  /** The activities' dependencies other than the database and the queue. */
  activities: (db: Database) => Omit<ActivityDependencies, 'db' | 'taskQueue'>;
  /** Emulators, storage... closed after the worker has stopped. */
  cleanups?: Array<() => Promise<void>>;
}

export async function startWorkerHarness(options: WorkerHarnessOptions): Promise<WorkerHarness> {
  const { taskQueue } = options;
  const database = await createTestDatabase();
  const db = createPrismaClient({ databaseUrl: database.url });
  const { worker, connection } = await createPressroomWorker({
    address: temporalAddress(),
    namespace: 'default',
    activities: { ...options.activities(db), db, taskQueue },
  });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
  return {
    db,
    client,
    close: async () => {
      worker.shutdown();
      await running;
      await connection.close();
      await client.connection.close();
      for (const cleanup of options.cleanups ?? []) await cleanup();
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** A TikTok client pointed at an emulator (its OAuth and API on the same base URL). */
export function tiktokClientFor(
  emulator: { clientKey: string; clientSecret: string },
  baseUrl: string,
  http?: Parameters<typeof createTikTokClient>[0]['http'],
): TikTokClient {
  return createTikTokClient({
    clientKey: emulator.clientKey,
    clientSecret: emulator.clientSecret,
    authBaseUrl: baseUrl,
    apiBaseUrl: baseUrl,
    ...(http ? { http } : {}),
  });
}
