// Cached dashboard reads: the answer to a post list or calendar query is kept in memory until a
// row it was built from changes. Triggers announce every such change with its organization
// (channel `pressroom_reads`, migration read_invalidation), so the rule is exact rather than a
// guess about which code paths write: whatever commits a change to a post, slide, image, brand,
// publication, account or video metric outdates its organization's cached answers.
//
// The cache is @graphql-yoga/plugin-response-cache. This file decides what it may keep:
//   - only queries whose every field is in `cacheableFields` (the rows the triggers cover);
//     every other schema coordinate is priced at TTL 0, which the plugin takes as "never";
//   - only people's answers, keyed by who they are and their role in every organization (an
//     API token pays a cost per query, and a cached answer would skip the charge);
//   - only answers that name an Organization (so its announcement can reach them), and only
//     while this instance is listening (what is announced while it is not is never heard).
// An answer whose organization changed while it was being computed is not kept (it may have
// read the rows before the change), and a person's own mutation forgets their cached answers
// before it returns, so they read what they just wrote even if the announcement is still on
// its way.
import { getOperationAST, isObjectType, OperationTypeNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { createHash } from 'node:crypto';
import { createInMemoryCache, useResponseCache, type Cache } from '@graphql-yoga/plugin-response-cache';
import type { Plugin } from 'graphql-yoga';
import type { Viewer } from './auth/viewer.js';
import type { ApiContext } from './context.js';
import { encodeGlobalId } from './schema/ids.js';

/**
 * What a cached answer may contain: fields read from rows whose changes announce their
 * organization (Organization, Brand, Post, Slide, Media, Publication, PlatformVideo,
 * SocialAccount), and the connection wrappers around them. A field that reads anything else
 * (another table, the clock, Temporal) must not be listed.
 */
const cacheableFields: Record<string, readonly string[]> = {
  Query: ['organization'],
  Organization: ['id', 'name', 'slug', 'posts', 'publications'],
  OrganizationPostsConnection: ['edges', 'pageInfo', 'totalCount'],
  OrganizationPostsConnectionEdge: ['cursor', 'node'],
  OrganizationPublicationsConnection: ['edges', 'pageInfo', 'totalCount'],
  OrganizationPublicationsConnectionEdge: ['cursor', 'node'],
  PageInfo: ['endCursor', 'hasNextPage', 'hasPreviousPage', 'startCursor'],
  Post: [
    'id',
    'format',
    'status',
    'title',
    'caption',
    'hashtags',
    'scheduledAt',
    'publishedAt',
    'version',
    'approvalsResetAt',
    'createdAt',
    'updatedAt',
    'brand',
    'slides',
    'publications',
    'latestPublication',
  ],
  Brand: ['id', 'name', 'primaryColor', 'secondaryColor', 'accentColor', 'fontFamily'],
  Slide: ['position', 'heading', 'body', 'imageUrl'],
  Publication: [
    'id',
    'platform',
    'state',
    'scheduledAt',
    'publishedAt',
    'platformUrl',
    'failureCategory',
    'failureReason',
    'platformPublishId',
    'platformPostId',
    'attemptCount',
    'outcomeUnknown',
    'actions',
    'post',
    'socialAccount',
    'latestMetrics',
  ],
  SocialAccount: ['id', 'displayName', 'platform', 'status'],
  VideoMetrics: ['capturedAt', 'commentCount', 'likeCount', 'shareCount', 'viewCount'],
};

/** TTL 0 (never cached) for every field of the schema that is not in `cacheableFields`. */
export function uncacheableCoordinates(schema: GraphQLSchema): Record<string, number> {
  const never: Record<string, number> = { 'Query.__schema': 0, 'Query.__type': 0 };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const allowed = new Set(cacheableFields[type.name] ?? []);
    for (const field of Object.keys(type.getFields())) {
      if (!allowed.has(field)) never[`${type.name}.${field}`] = 0;
    }
  }
  return never;
}

/** Who the answer was computed for: a person and their role in every organization. */
export function cacheSessionKey(viewer: Viewer | null): string | null {
  if (viewer?.kind !== 'user') return null;
  const roles = [...viewer.roles].map(([organizationId, role]) => `${organizationId}=${role}`).sort();
  return `${viewer.userId}:${roles.join(',')}`;
}

type Entity = { typename: string; id?: string | number };

/**
 * The in-memory store, guarded: `set` keeps an answer only if nothing it depends on was
 * announced between its first miss and now.
 */
class GuardedStore implements Cache {
  private inner: Cache;
  private sequence = 0;
  /** Sequence at which everything was last forgotten (listener lost or regained). */
  private clearedAt = 0;
  private readonly organizationChangedAt = new Map<string, number>();
  private readonly viewerWroteAt = new Map<string, number>();
  /** Cache key → sequence when it was first missed: its answer is being computed since then. */
  private readonly computingSince = new Map<string, number>();
  /** Cache key → its session key (recorded as the key is built). */
  private readonly sessionOfKey = new Map<string, string>();

  constructor(private readonly max: number) {
    this.inner = createInMemoryCache({ max });
  }

  /** Called as each request's key is built, before its lookup. */
  noteSession(key: string, session: string): void {
    // Keys of answers that are never kept (not cacheable, or errors) would pile up.
    if (this.sessionOfKey.size >= this.max) this.forgetInFlight();
    this.sessionOfKey.set(key, session);
  }

  get(key: string) {
    const found = this.inner.get(key);
    if (found == null && !this.computingSince.has(key)) {
      if (this.computingSince.size >= this.max) this.forgetInFlight();
      this.computingSince.set(key, this.sequence);
    }
    return found;
  }

  set(key: string, value: Parameters<Cache['set']>[1], entities: Iterable<Entity>, ttl: number) {
    const since = this.computingSince.get(key);
    this.computingSince.delete(key);
    const session = this.sessionOfKey.get(key);
    this.sessionOfKey.delete(key);
    if (since === undefined || session === undefined || this.clearedAt > since) return;
    if ((this.viewerWroteAt.get(session) ?? -1) > since) return;
    const all = [...entities];
    const organizations = all.filter((entity) => entity.typename === 'Organization' && entity.id != null);
    // An answer no organization's announcement can reach would never be forgotten.
    if (organizations.length === 0) return;
    for (const organization of organizations) {
      if ((this.organizationChangedAt.get(String(organization.id)) ?? -1) > since) return;
    }
    void this.inner.set(key, value, [...all, { typename: 'Viewer', id: session }], ttl);
    this.compact();
  }

  invalidate(entities: Iterable<Entity>) {
    return this.inner.invalidate(entities);
  }

  organizationChanged(organizationId: string): void {
    const id = encodeGlobalId('Organization', organizationId);
    this.organizationChangedAt.set(id, ++this.sequence);
    void this.inner.invalidate([{ typename: 'Organization', id }]);
  }

  viewerWrote(session: string): void {
    this.viewerWroteAt.set(session, ++this.sequence);
    void this.inner.invalidate([{ typename: 'Viewer', id: session }]);
  }

  /** Everything forgotten, and nothing being computed now may be kept. */
  clear(): void {
    this.inner = createInMemoryCache({ max: this.max });
    this.forgetInFlight();
  }

  private forgetInFlight(): void {
    this.clearedAt = ++this.sequence;
    this.computingSince.clear();
    this.sessionOfKey.clear();
    this.organizationChangedAt.clear();
    this.viewerWroteAt.clear();
  }

  /** With nothing in flight, no past announcement can matter to a future `set`. */
  private compact(): void {
    if (this.computingSince.size > 0) return;
    this.organizationChangedAt.clear();
    this.viewerWroteAt.clear();
  }
}

export interface ReadCacheOptions {
  schema: GraphQLSchema;
  /** Who made the request (memoized per request: the context reuses it). */
  viewerOf: (request: Request) => Promise<Viewer | null>;
  ttlSeconds: number;
  maxEntries: number;
}

export interface ReadCache {
  plugins: Plugin<ApiContext>[];
  /** A row cached answers of this organization were built from changed (a `pressroom_reads` notification). */
  organizationChanged: (organizationId: string) => void;
  /** The announcement channel came up (`true`) or went down: either way everything cached is forgotten. */
  listening: (connected: boolean) => void;
}

export function createReadCache(options: ReadCacheOptions): ReadCache {
  const store = new GuardedStore(options.maxEntries);
  let connected = false;
  const sessions = new WeakMap<Request, string | null>();
  const plugins: Plugin<ApiContext>[] = [
    useResponseCache({
      cache: store,
      ttl: options.ttlSeconds * 1000,
      ttlPerSchemaCoordinate: uncacheableCoordinates(options.schema),
      invalidateViaMutation: false,
      includeExtensionMetadata: false,
      session: async (request) => {
        const session = await options.viewerOf(request).then(cacheSessionKey, () => null);
        sessions.set(request, session);
        return session;
      },
      enabled: (request) => connected && !!sessions.get(request),
      buildResponseCacheKey: ({ documentString, variableValues, operationName, sessionId }) => {
        const key = createHash('sha256')
          .update(
            [documentString, operationName ?? '', JSON.stringify(variableValues ?? {}), sessionId ?? ''].join('\u0000'),
          )
          .digest('base64url');
        if (sessionId) store.noteSession(key, sessionId);
        return key;
      },
    }) as Plugin<ApiContext>,
    {
      // A person's own write: their cached answers go before the mutation's answer is sent.
      onExecute({ args: untypedArgs }) {
        const args = untypedArgs as ExecutionArgs & { contextValue: ApiContext };
        if (getOperationAST(args.document, args.operationName)?.operation !== OperationTypeNode.MUTATION) return;
        const session = cacheSessionKey(args.contextValue.viewer);
        if (!session) return;
        return {
          onExecuteDone() {
            store.viewerWrote(session);
          },
        };
      },
    },
  ];
  return {
    plugins,
    organizationChanged: (organizationId) => store.organizationChanged(organizationId),
    listening: (now) => {
      connected = now;
      store.clear();
    },
  };
}
