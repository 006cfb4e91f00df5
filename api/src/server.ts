import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import { createYoga } from 'graphql-yoga';
import type { ApiContext } from './context.js';
import type { Logger } from './logger.js';
import { checkReadiness } from './readiness.js';
import { schema } from './schema/index.js';

export interface ApiDependencies {
  db: Database;
  temporal: Client;
  logger: Logger;
}

/** The api's HTTP server: GraphQL at /graphql, liveness at /health, readiness at /ready. */
export function createApiServer(deps: ApiDependencies): Server {
  const yoga = createYoga<Record<string, unknown>, ApiContext>({
    schema,
    logging: deps.logger,
    context: ({ request }) => ({
      db: deps.db,
      logger: deps.logger,
      requestId: request.headers.get('x-request-id') ?? randomUUID(),
    }),
  });

  return createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (req.method === 'GET' && path === '/ready') {
      const readiness = await checkReadiness(deps.db, deps.temporal);
      res.writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(readiness));
      return;
    }
    await yoga.handle(req, res);
  });
}
