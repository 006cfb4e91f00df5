import { createPrismaClient } from '@pressroom/db';
import { Runtime } from '@temporalio/worker';
import { loadWorkerConfig } from './config.js';
import { connectTemporalClient, ensurePublicationCheckSchedule, ensureRetentionSchedule, taskQueue } from './client.js';
import { activityDependenciesFromConfig } from './dependencies.js';
import { createWorkerLogger, defaultLogFormat, temporalLogger } from './logging.js';
import { holdWorkerPresence } from './presence.js';
import { createPressroomWorker } from './worker.js';

function exitWith(message: string): never {
  console.error(`pressroom worker: ${message}`);
  process.exit(1);
}

const config = (() => {
  try {
    return loadWorkerConfig();
  } catch (error) {
    return exitWith((error as Error).message);
  }
})();
const logger = createWorkerLogger(config.LOG_LEVEL, config.LOG_FORMAT ?? defaultLogFormat());
// The SDK's own lines (worker state, workflow and activity logs) go through the same logger.
Runtime.install({ logger: temporalLogger(logger) });
const db = createPrismaClient({ databaseUrl: config.DATABASE_URL });
const { worker, connection } = await createPressroomWorker({
  activities: activityDependenciesFromConfig(config, db, (message) => logger.warn(message)),
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
}).catch((error: Error) => exitWith(`cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${error.message}`));

// The daily retention run exists once per deployment; creating it again is a no-op.
const client = connectTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE });
await ensureRetentionSchedule(client).catch((error: Error) =>
  logger.warn({ err: error.message }, 'cannot create the retention schedule'),
);
// Publications whose publish workflow ended without recording an outcome are found and settled.
await ensurePublicationCheckSchedule(client).catch((error: Error) =>
  console.warn(`pressroom worker: cannot create the publication check schedule: ${error.message}`),
);
await client.connection.close();

// Worker.run() resolves after SIGINT/SIGTERM once in-flight tasks have finished (the SDK
// installs those handlers itself).
// The api's /ready counts this connection: it closes the moment this process dies.
const presence = holdWorkerPresence({
  databaseUrl: config.DATABASE_URL,
  taskQueue,
  onError: (error) => logger.warn({ err: error.message }, 'worker presence connection lost'),
});
logger.info({ address: config.TEMPORAL_ADDRESS }, 'polling the task queue');
await worker.run();
await presence.stop();
await connection.close();
await db.$disconnect();
