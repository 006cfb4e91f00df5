import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createLocalStorage, createS3Storage, createUrlSigner, type ObjectStorage } from '@pressroom/workflows/storage';
import { createYoga } from 'graphql-yoga';
import { identify } from './auth/sessions.js';
import type { ApiConfig } from './config.js';
import type { ApiContext } from './context.js';
import {
  answerAsGraphQLError,
  csrfPrevention,
  maskError,
  queryCost,
  queryShapeLimits,
  stableErrorCodes,
} from './hardening.js';
import type { Logger } from './logger.js';
import { pruneDomainEvents } from '@pressroom/db/events';
import { idempotencyKeyHeader, idempotentMutations, idempotentReplayedHeader } from './idempotency.js';
import { pruneIdempotencyKeys } from './services/idempotency.js';
import { createWebhookDispatcher } from './services/webhooks.js';
import { DomainEventListener } from './events/listener.js';
import { EventHub } from './events/hub.js';
import { attachSubscriptions } from './events/websocket.js';
import { createOriginPolicy } from './origins.js';
import { checkReadiness } from './readiness.js';
import { createAdsExportRoutes } from './routes/ads-export.js';
import { createBlogRoutes } from './routes/blog.js';
import { createContactRoutes } from './routes/contact.js';
import { createDashboardRoutes } from './routes/dashboard.js';
import { createPlatformRoutes } from './routes/platform.js';
import { createReadCache } from './read-cache.js';
import { createUploadRoutes } from './routes/uploads.js';
import { schema } from './schema/index.js';
import type { Mailer } from './services/context.js';

export interface ApiDependencies {
  db: Database;
  temporal: Client;
  logger: Logger;
  config: ApiConfig;
  mailer?: Mailer;
  /** Live-event fan-out; one is made when not given (tests pass theirs to watch it). */
  events?: EventHub;
  /** Brand assets; the local media folder when not given. */
  storage?: ObjectStorage;
}

interface ServerContext {
  req: IncomingMessage;
  res: ServerResponse;
}

/** Until an email provider is configured, secrets meant for a person are not sent (nor logged). */
function undeliverableMailer(logger: Logger): Mailer {
  return {
    sendPasswordReset: (email) => {
      logger.warn({ email }, 'password reset requested, but no mailer is configured');
      return Promise.resolve();
    },
    sendInvite: (email) => {
      logger.info({ email }, 'invite created; no mailer is configured, share the link by hand');
      return Promise.resolve();
    },
  };
}

// Live-update events are kept a day (listeners re-read a minute at most), pruned hourly.
const eventRetentionMs = 24 * 3_600_000;
const eventPruneIntervalMs = 3_600_000;

const requestIds = new WeakMap<IncomingMessage, string>();

/** A caller's request id is kept when it looks like one, so traces join up across services. */
function requestIdFor(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{8,100}$/.test(given) ? given : randomUUID();
}

function refuseBody(res: ServerResponse, status: 411 | 413, message: string) {
  res
    .writeHead(status, { 'content-type': 'application/json', connection: 'close' })
    .end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] }));
}

/**
 * A GraphQL body, read whole (yoga would read it whole too) but no further than `maxBytes`:
 * null once it is over, so a 10 MB document is never parsed. Checked against the declared
 * length first, then against what arrives (a chunked body declares none).
 */
async function readCappedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The api's HTTP server: GraphQL at /graphql, liveness at /health, readiness at /ready, the dashboard at /. */
export function createApiServer(deps: ApiDependencies): Server {
  const { config, logger } = deps;
  const mailer = deps.mailer ?? undeliverableMailer(logger);
  if (config.sessionSecretGenerated) {
    logger.warn('SESSION_SECRET is not set: a random one is used, sessions end when this process stops');
  }
  // One LISTEN connection per instance feeds every subscriber of this instance.
  const events = deps.events ?? new EventHub();
  const origins = createOriginPolicy(config);
  const dispatchWebhooks = createWebhookDispatcher({ db: deps.db, temporal: deps.temporal, config, logger });
  const readCache = config.GRAPHQL_READ_CACHE
    ? createReadCache({
        schema,
        ttlSeconds: config.GRAPHQL_READ_CACHE_TTL_SECONDS,
        maxEntries: config.GRAPHQL_READ_CACHE_MAX_ENTRIES,
      })
    : undefined;
  const listener = new DomainEventListener({
    databaseUrl: config.DATABASE_URL,
    onEvent: (event) => {
      events.publish(event);
      dispatchWebhooks(event).catch((error: Error) => logger.error({ err: error }, 'webhook dispatch failed'));
    },
    onReadsChanged: readCache?.organizationChanged,
    onStateChange: (state, error) => {
      readCache?.listening(state === 'connected');
      if (state === 'connected') logger.debug('listening for events');
      else logger.warn({ err: error }, 'event connection lost; reconnecting');
    },
  });

  const signer = createUrlSigner({
    baseUrl: `${config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`}/media`,
    secret: config.PRESSROOM_MEDIA_SECRET ?? randomBytes(32),
  });
  const storage =
    deps.storage ??
    (config.MEDIA_S3_BUCKET
      ? createS3Storage({
          bucket: config.MEDIA_S3_BUCKET,
          endpoint: config.MEDIA_S3_ENDPOINT,
          region: config.MEDIA_S3_REGION,
          accessKeyId: config.MEDIA_S3_ACCESS_KEY_ID!,
          secretAccessKey: config.MEDIA_S3_SECRET_ACCESS_KEY!,
          signer,
          presignedUrls: config.MEDIA_S3_PRESIGNED_URLS,
        })
      : createLocalStorage({ root: config.PRESSROOM_MEDIA_DIR, signer }));
  // Resumable media library uploads (tus) at /uploads.
  const uploadRoutes = createUploadRoutes({ db: deps.db, config, logger, temporal: deps.temporal, origins });
  // Multipart bodies are read whole by the GraphQL parser: refuse oversize ones from their
  // declared length first (and ones that do not declare it).
  const maxBodyBytes = config.UPLOAD_MAX_BYTES + 64 * 1024;

  // OAuth connect callbacks and signed media URLs: plain HTTP beside /graphql.
  const platformRoutes = createPlatformRoutes({ db: deps.db, config, logger, temporal: deps.temporal, storage });
  // The public contact forms: no credentials, their own body limit and rate limits.
  const contactRoutes = createContactRoutes({ db: deps.db, config, logger, temporal: deps.temporal });
  // The brands' public blogs, by path and by custom domain (before the dashboard, which has `/`).
  const blogRoutes = createBlogRoutes({ db: deps.db, config, logger, storage });
  const dashboardRoutes = createDashboardRoutes({ root: config.PRESSROOM_WEB_DIR });
  // Ads report CSV downloads through the signed links exportAdsReportCsv hands out.
  const adsExportRoutes = createAdsExportRoutes({
    db: deps.db,
    config,
    logger,
    mailer,
    requestIdOf: (req) => requestIds.get(req) ?? randomUUID(),
  });
  const yoga = createYoga<ServerContext, ApiContext>({
    schema,
    // Cross-origin calls carry cookies, so only allowed origins get CORS headers at all; a
    // browser on any other site is refused at the preflight (or cannot read the answer).
    cors: (request) => {
      const origin = request.headers.get('origin');
      if (!origin || !origins.allows(origin, request.headers.get('host'))) return false;
      return {
        origin: [origin],
        credentials: true,
        methods: ['GET', 'POST'],
        allowedHeaders: ['content-type', 'authorization', 'x-pressroom-csrf', 'x-request-id', idempotencyKeyHeader],
        exposedHeaders: ['x-request-id', idempotentReplayedHeader],
        maxAge: 600,
      };
    },
    logging: logger,
    graphiql: config.GRAPHQL_INTROSPECTION,
    // GraphiQL's scripts, styles and editor workers come inline in the page the api serves,
    // not from a public CDN, so it works on a machine without internet access.
    renderGraphiQL,
    landingPage: false,
    maskedErrors: { maskError: maskError(logger) },
    plugins: [
      csrfPrevention(),
      // Before everything that acts or charges: a replayed answer is sent without running again.
      idempotentMutations({ db: deps.db, config, logger }),
      ...queryShapeLimits(config),
      ...(config.GRAPHQL_INTROSPECTION ? [] : [useDisableIntrospection()]),
      queryCost(config),
      stableErrorCodes(),
      // Last: a cached answer is served in place of execution, after everything above has run.
      ...(readCache?.plugins ?? []),
    ],
    context: async ({ request, req, res }): Promise<ApiContext> => {
      const { viewer, lapsedCredential } = await identify(deps.db, config, {
        authorization: request.headers.get('authorization'),
        cookie: request.headers.get('cookie'),
      }).catch(answerAsGraphQLError);
      return {
        db: deps.db,
        logger,
        config,
        mailer,
        requestId: requestIds.get(req) ?? randomUUID(),
        ip: req.socket.remoteAddress ?? null,
        userAgent: request.headers.get('user-agent'),
        viewer,
        lapsedCredential,
        currentViewer: () => Promise.resolve(viewer),
        events,
        storage,
        temporal: deps.temporal,
        setCookie: (value) => res.appendHeader('set-cookie', value),
      };
    },
  });

  const server = createServer(async (req, res) => {
    const started = performance.now();
    const requestId = requestIdFor(req);
    requestIds.set(req, requestId);
    res.setHeader('x-request-id', requestId);
    const path = (req.url ?? '/').split('?')[0];
    // At debug: one line per request drowns everything else (LOG_LEVEL=debug shows them).
    res.once('finish', () => {
      logger.debug(
        {
          requestId,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
        },
        'request',
      );
    });
    if (req.method === 'GET' && path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    if (req.method === 'GET' && path === '/ready') {
      const readiness = await checkReadiness(deps.db, deps.temporal, config.TEMPORAL_TASK_QUEUE);
      res.writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(readiness));
      return;
    }
    if (await blogRoutes(req, res)) return;
    if (await uploadRoutes(req, res)) return;
    if (await contactRoutes(req, res)) return;
    if (await adsExportRoutes(req, res)) return;
    if (await platformRoutes(req, res)) return;
    if (await dashboardRoutes(req, res)) return;
    if (req.headers['content-type']?.toLowerCase().startsWith('multipart/')) {
      const length = Number(req.headers['content-length'] ?? Number.NaN);
      if (!Number.isFinite(length) || length > maxBodyBytes) {
        if (Number.isFinite(length)) refuseBody(res, 413, `Uploads are limited to ${config.UPLOAD_MAX_BYTES} bytes.`);
        else refuseBody(res, 411, 'Send Content-Length.');
        req.resume();
        return;
      }
    }
    if (req.method === 'POST' && !req.headers['content-type']?.toLowerCase().startsWith('multipart/')) {
      const body = await readCappedBody(req, config.GRAPHQL_MAX_BODY_BYTES);
      if (!body) {
        refuseBody(res, 413, `GraphQL requests are limited to ${config.GRAPHQL_MAX_BODY_BYTES} bytes.`);
        // The rest is read and dropped, so the client gets this answer rather than a reset.
        req.resume();
        return;
      }
      // Handed to yoga as the already-read body (its node adapter takes a Buffer in `req.body`).
      Object.assign(req, { body });
    }
    await yoga.handle(req, res, { req, res });
  });

  attachSubscriptions(server, yoga, { ...deps, mailer, events, origins, storage });
  // Every instance prunes; the DELETE is idempotent, so several doing it costs nothing.
  const pruning = setInterval(() => {
    pruneDomainEvents(deps.db, eventRetentionMs).catch((error: Error) =>
      logger.warn({ err: error }, 'pruning old events failed'),
    );
    pruneIdempotencyKeys(deps.db).catch((error: Error) =>
      logger.warn({ err: error }, 'pruning expired idempotency keys failed'),
    );
  }, eventPruneIntervalMs);
  pruning.unref();
  server.on('listening', () => {
    listener
      .start()
      .catch((error: Error) => logger.warn({ err: error }, 'cannot listen for events yet; retrying in the background'));
  });
  server.on('close', () => {
    clearInterval(pruning);
    void listener.stop();
  });
  return server;
}
