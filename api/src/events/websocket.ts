import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLError, GraphQLSchema } from 'graphql';
import { CloseCode, type ServerOptions } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import { identify, resolveViewer, type Identified } from '../auth/sessions.js';
import type { Viewer } from '../auth/viewer.js';
import type { ApiContext } from '../context.js';
import { UnauthenticatedError, unauthenticated } from '../errors.js';
import type { ApiDependencies } from '../server.js';
import type { Mailer } from '../services/context.js';
import type { OriginPolicy } from '../origins.js';
import type { EventHub } from './hub.js';

// How long a subscription trusts what it last read of its viewer before asking again.
const viewerFreshnessMs = 2_000;
// graphql-ws pings idle sockets this often; a peer that does not answer is dropped.
const keepAliveMs = 12_000;

interface ConnectionExtra {
  socket: WebSocket;
  request: IncomingMessage;
}

/** A close frame's reason is at most 123 bytes. */
function closeReason(message: string): string {
  let reason = message;
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1);
  return reason;
}

/** The slice of yoga's enveloped executor used here (its own typing is loose). */
interface Enveloped {
  schema: GraphQLSchema;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  execute: (args: ExecutionArgs) => Promise<ExecutionResult> | ExecutionResult;
  subscribe: (args: ExecutionArgs) => ReturnType<NonNullable<ServerOptions['subscribe']>>;
}

type EnvelopedRoot = Pick<Enveloped, 'execute' | 'subscribe'>;

/**
 * A browser's cookie must not authenticate a socket opened by another site (cross-site
 * WebSocket hijacking): unless the socket's Origin is one CORS allows, the cookie is ignored.
 */
function viewerSource(
  origins: OriginPolicy,
  request: IncomingMessage,
  connectionParams: Record<string, unknown> | undefined,
) {
  const fromParams = connectionParams?.authorization ?? connectionParams?.Authorization;
  const origin = request.headers.origin;
  const cookieCounts = !origin || origins.allows(origin, request.headers.host);
  return {
    authorization: typeof fromParams === 'string' ? fromParams : null,
    cookie: cookieCounts ? (request.headers.cookie ?? null) : null,
  };
}

/**
 * Subscriptions re-check their viewer before each event; subscribers with the same credential
 * (one person's tabs, an integrator's sockets) share one lookup per freshness window.
 */
class ViewerCache {
  private readonly entries = new Map<string, { at: number; viewer: Promise<Viewer | null> }>();

  constructor(private readonly resolve: (source: ViewerSource) => Promise<Viewer | null>) {}

  get(source: ViewerSource): Promise<Viewer | null> {
    const key = `${source.authorization ?? ''}\u0000${source.cookie ?? ''}`;
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && now - cached.at <= viewerFreshnessMs) return cached.viewer;
    const viewer = this.resolve(source).catch(() => null);
    this.entries.set(key, { at: now, viewer });
    if (this.entries.size > 10_000) {
      for (const [entryKey, entry] of this.entries)
        if (now - entry.at > viewerFreshnessMs) this.entries.delete(entryKey);
    }
    return viewer;
  }
}

type ViewerSource = ReturnType<typeof viewerSource>;

/** graphql-ws on the api's own port and path: subscriptions share HTTP's schema and plugins. */
export function attachSubscriptions(
  server: Server,
  // The yoga instance's server context type differs per caller; only getEnveloped is used.
  yoga: { getEnveloped: YogaServerInstance<Record<string, unknown>, ApiContext>['getEnveloped'] },
  deps: ApiDependencies & { mailer: Mailer; events: EventHub; origins: OriginPolicy },
): WebSocketServer {
  // A subscribe message is a GraphQL document: the same cap as an HTTP body (ws closes with 1009 past it).
  const sockets = new WebSocketServer({ server, path: '/graphql', maxPayload: deps.config.GRAPHQL_MAX_BODY_BYTES });
  const viewers = new ViewerCache((source) => resolveViewer(deps.db, deps.config, source));

  const options: ServerOptions<Record<string, unknown>, ConnectionExtra> = {
    execute: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).execute(args),
    subscribe: (args: ExecutionArgs) => (args.rootValue as EnvelopedRoot).subscribe(args),
    // Credentials are checked once the client sends them (connection_init): a token that does
    // not work closes the socket with graphql-ws's 4401 and the reason, as a client expects.
    onConnect: async (ctx) => {
      try {
        await identify(deps.db, deps.config, viewerSource(deps.origins, ctx.extra.request, ctx.connectionParams));
        return true;
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        ctx.extra.socket.close(CloseCode.Unauthorized, closeReason(error.message));
        return false;
      }
    },
    onSubscribe: async (ctx, _id, payload) => {
      const { request } = ctx.extra;
      const source = viewerSource(deps.origins, request, ctx.connectionParams);
      let identified: Identified;
      try {
        identified = await identify(deps.db, deps.config, source);
      } catch (error) {
        // The token stopped working after the connection was accepted: this subscription is refused.
        if (error instanceof UnauthenticatedError) return [unauthenticated(error.message)];
        throw error;
      }
      const { viewer, lapsedCredential } = identified;
      const contextValue: ApiContext = {
        db: deps.db,
        logger: deps.logger,
        config: deps.config,
        mailer: deps.mailer,
        requestId: randomUUID(),
        ip: request.socket.remoteAddress ?? null,
        userAgent: request.headers['user-agent'] ?? null,
        viewer,
        lapsedCredential,
        currentViewer: () => viewers.get(source),
        events: deps.events,
        // Live events carry the same signed media URLs (thumbnails, posters) as queries.
        storage: deps.storage,
        temporal: deps.temporal,
        setCookie: () => {},
      };
      const { schema, execute, subscribe, parse, validate } = yoga.getEnveloped(contextValue) as Enveloped;
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        // A syntax error (or a limit hit while parsing) is the request's fault: answered, not a 4500.
        if (error instanceof Error && error.name === 'GraphQLError') return [error as GraphQLError];
        throw error;
      }
      const args: ExecutionArgs = {
        schema,
        operationName: payload.operationName,
        document,
        variableValues: payload.variables,
        contextValue,
        rootValue: { execute, subscribe } satisfies EnvelopedRoot,
      };
      const errors = validate(schema, args.document);
      if (errors.length) return [...errors];
      return args;
    },
  };
  useServer(options, sockets, keepAliveMs);
  return sockets;
}
