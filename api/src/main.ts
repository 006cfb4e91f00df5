import { createPrismaClient } from '@pressroom/db';
import { connectTemporalClient } from '@pressroom/workflows/client';
import { loadApiConfig } from './config.js';
import { createLogger } from './logger.js';
import { createApiServer } from './server.js';

function exitWith(message: string): never {
  console.error(`pressroom api: ${message}`);
  process.exit(1);
}

const config = (() => {
  try {
    return loadApiConfig();
  } catch (error) {
    return exitWith((error as Error).message);
  }
})();
const logger = createLogger(config.LOG_LEVEL, 'api', config.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'));
const db = createPrismaClient({ databaseUrl: config.DATABASE_URL });
// Lazy: the api serves /health even while Temporal is still starting; /ready tells.
const temporal = connectTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE });
const server = createApiServer({ db, temporal, logger, config });

server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') exitWith(`port ${config.PORT} is already in use; set PORT to a free port.`);
  exitWith(error.message);
});
server.listen(config.PORT, config.HOST, () => {
  logger.info({ url: `http://${config.HOST}:${config.PORT}` }, 'api listening');
});

async function shutdown(signal: string): Promise<void> {
  logger.info({ signal }, 'api stopping');
  server.close();
  server.closeAllConnections();
  await Promise.allSettled([db.$disconnect(), temporal.connection.close()]);
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void shutdown(signal));
