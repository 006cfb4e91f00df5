// Cached dashboard reads: the answer to a post list or calendar query is kept in memory until a
// row it was built from changes. Triggers announce every such change with its organization
// (channel `pressroom_reads`, migration read_invalidation), so the rule is exact rather than a
// guess about which code paths write: whatever commits a change to a post, slide, image, brand,
// publication, account or video metric outdates its organization's cached answers.
//
// The cache is @envelop/response-cache. This file decides what it may keep:
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
import { createInMemoryCache, useResponseCache, type Cache } from '@envelop/response-cache';
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
function uncacheableCoordinates(schema: GraphQLSchema): Record<string, number> {
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
function cacheSessionKey(viewer: Viewer | null): string | null {
  if (viewer?.kind !== 'user') return null;
  const roles = [...viewer.roles].map(([organizationId, role]) => `${organizationId}=${role}`).sort();
  return `${viewer.userId}:${roles.join(',')}`;
}

type Entity = { typename: string; id?: string | number };

/** Sequence numbers of announcements remembered before they are forgotten wholesale. */
const maxRemembered = 10_000;

/**
 * The in-memory store, shared by every request; each request reads and writes it through a
 * view of its own (`forRequest`), which knows when that request first found nothing cached and
 * so began computing. Its `set` keeps the answer only if nothing it depends on was announced
 * since then: the answer may have been read from the rows before the change.
 */
class AnswerStore {
  private inner: Cache;
  private sequence = 0;
  /** Sequence at which everything was last forgotten (listener lost or regained, or pruned). */
  private clearedAt = 0;
  private readonly organizationChangedAt = new Map<string, number>();
  private readonly viewerWroteAt = new Map<string, number>();

  constructor(private readonly max: number) {
    this.inner = createInMemoryCache({ max });
  }

  forRequest(session: string | null): Cache {
    let computingSince: number | undefined;
    return {
      get: (key) => {
        const found = this.inner.get(key);
        computingSince ??= this.sequence;
        return found;
      },
      set: (key, value, entities, ttl) => {
        // An iterator: read once, here.
        const all = [...entities];
        if (session === null || computingSince === undefined || !this.unchangedSince(computingSince, session, all)) {
          return;
        }
        return this.inner.set(key, value, [...all, { typename: 'Viewer', id: session }], ttl);
      },
      invalidate: (entities) => this.inner.invalidate(entities),
    };
  }

  private unchangedSince(since: number, session: string, entities: readonly Entity[]): boolean {
    if (this.clearedAt > since || (this.viewerWroteAt.get(session) ?? -1) > since) return false;
    let organizations = 0;
    for (const entity of entities) {
      if (entity.typename !== 'Organization' || entity.id == null) continue;
      organizations += 1;
      if ((this.organizationChangedAt.get(String(entity.id)) ?? -1) > since) return false;
    }
    // An answer no organization's announcement can reach would never be forgotten.
    return organizations > 0;
  }

  organizationChanged(organizationId: string): void {
    const id = encodeGlobalId('Organization', organizationId);
    this.remember(this.organizationChangedAt, id);
    void this.inner.invalidate([{ typename: 'Organization', id }]);
  }

  viewerWrote(session: string): void {
    this.remember(this.viewerWroteAt, session);
    void this.inner.invalidate([{ typename: 'Viewer', id: session }]);
  }

  /** Everything forgotten, and nothing being computed now may be kept. */
  clear(): void {
    this.inner = createInMemoryCache({ max: this.max });
    this.forgetAnnouncements();
  }

  private remember(announcements: Map<string, number>, id: string): void {
    // Forgetting announcements is safe only if nothing computing now may be kept either.
    if (announcements.size >= maxRemembered) this.forgetAnnouncements();
    announcements.set(id, ++this.sequence);
  }

  private forgetAnnouncements(): void {
    this.clearedAt = ++this.sequence;
    this.organizationChangedAt.clear();
    this.viewerWroteAt.clear();
  }
}

export interface ReadCacheOptions {
  schema: GraphQLSchema;
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
  const store = new AnswerStore(options.maxEntries);
  let connected = false;
  // The plugin asks for a request's session several times (its key, its view of the store).
  const sessions = new WeakMap<ApiContext, string | null>();
  const sessionOf = (context: ApiContext) => {
    let session = sessions.get(context);
    if (session === undefined) {
      session = cacheSessionKey(context.viewer);
      sessions.set(context, session);
    }
    return session;
  };
  const plugins: Plugin<ApiContext>[] = [
    useResponseCache<ApiContext>({
      // One view of the store per request (the plugin asks once per context).
      cache: (context) => store.forRequest(sessionOf(context as ApiContext)),
      ttl: options.ttlSeconds * 1000,
      ttlPerSchemaCoordinate: uncacheableCoordinates(options.schema),
      invalidateViaMutation: false,
      includeExtensionMetadata: false,
      session: sessionOf,
      enabled: (context) => connected && sessionOf(context) !== null,
    }) as Plugin<ApiContext>,
    {
      // A person's own write: their cached answers go before the mutation's answer is sent.
      onExecute({ args: untypedArgs }) {
        const args = untypedArgs as ExecutionArgs & { contextValue: ApiContext };
        if (getOperationAST(args.document, args.operationName)?.operation !== OperationTypeNode.MUTATION) return;
        const session = sessionOf(args.contextValue);
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
