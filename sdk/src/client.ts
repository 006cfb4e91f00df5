import * as ops from './generated/graphql.js';
import type {
  AuditEventFilter,
  Platform,
  PostFormat,
  PostStatus,
  PublicationState,
  SlideInput,
} from './generated/graphql.js';
import { NotFoundError, errorFromResult, type ResultError } from './errors.js';
import { Paginator, toPage, type ConnectionLike } from './pagination.js';
import { Subscriptions, type Subscription } from './subscriptions.js';
import { Transport, type CallOptions, type FetchLike, type QueryCost } from './transport.js';

export interface PressroomOptions {
  /** The api's address (`http://127.0.0.1:4000`) or its GraphQL endpoint (`.../graphql`). */
  url: string;
  /** An API token (`prt_...`). */
  token?: string;
  /** A fetch to use instead of the global one (proxies, tests, instrumentation). */
  fetch?: FetchLike;
  /**
   * Cost-aware pacing (default on): waits before sending when the token's cost bucket cannot
   * pay for the next query, and sends again after RATE_LIMITED, network failures and
   * in-progress idempotency keys, at most `maxRetries` times. `false` sends everything at once
   * and throws the first refusal.
   */
  pacing?: boolean;
  /** Bound on the sdk's own resends of one call (default 3). */
  maxRetries?: number;
  /** The subscriptions socket (default: `url` with ws(s)://, at /graphql). */
  wsUrl?: string;
  /** A WebSocket class where there is no global one (Node 20: `import WebSocket from 'ws'`). */
  webSocketImpl?: unknown;
  /** The organization the calls act on; by default the token's own (asked once). */
  organizationId?: string;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Called with each answer's `extensions.cost`. */
  onCost?: (cost: QueryCost, operationName: string) => void;
}

/** Per-call options of every mutation. */
export interface MutationOptions {
  /**
   * Sent as `Idempotency-Key`: the same key with the same request acts once and answers the
   * first result again. Generated per call by default, and reused by the sdk's own retries.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ListOptions {
  /** Page size (default 50). */
  pageSize?: number;
}

type MutationResult = { result: ResultError | { __typename: string; data: unknown } };
type SuccessData<M extends MutationResult> = Extract<M['result'], { data: unknown }>['data'];

function newKey(): string {
  return globalThis.crypto.randomUUID();
}

function endpointOf(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/graphql') ? trimmed : `${trimmed}/graphql`;
}

function wsUrlOf(endpoint: string): string {
  return endpoint.replace(/^http(s?):/, 'ws$1:');
}

type NodeOf<Q extends { node?: unknown }, T extends string> = Extract<NonNullable<Q['node']>, { __typename: T }>;

/** The typed client for the Pressroom GraphQL API, with methods grouped by domain. */
export class Pressroom {
  readonly brands: Brands;
  readonly batches: Batches;
  readonly posts: Posts;
  readonly reviews: Reviews;
  readonly publications: Publications;
  readonly accounts: Accounts;
  readonly analytics: Analytics;
  readonly audit: Audit;
  readonly members: Members;
  readonly organizations: Organizations;
  readonly webhooks: Webhooks;

  /** @internal */
  readonly transport: Transport;
  /** @internal */
  readonly live: Subscriptions;
  private organizationId: Promise<string> | null;

  constructor(options: PressroomOptions) {
    const endpoint = endpointOf(options.url);
    this.transport = new Transport({
      endpoint,
      token: options.token,
      fetch: options.fetch,
      pacing: options.pacing ?? true,
      maxRetries: options.maxRetries ?? 3,
      headers: options.headers,
      onCost: options.onCost,
    });
    this.live = new Subscriptions({
      wsUrl: options.wsUrl ?? wsUrlOf(endpoint),
      token: options.token,
      webSocketImpl: options.webSocketImpl,
    });
    this.organizationId = options.organizationId ? Promise.resolve(options.organizationId) : null;
    this.brands = new Brands(this);
    this.batches = new Batches(this);
    this.posts = new Posts(this);
    this.reviews = new Reviews(this);
    this.publications = new Publications(this);
    this.accounts = new Accounts(this);
    this.analytics = new Analytics(this);
    this.audit = new Audit(this);
    this.members = new Members(this);
    this.organizations = new Organizations(this);
    this.webhooks = new Webhooks(this);
  }

  /** Any typed document (from this package's codegen or your own), sent as is. */
  request<R, V>(document: ops.TypedDocumentString<R, V>, variables: V, options: CallOptions = {}): Promise<R> {
    return this.transport.request(document, variables, options);
  }

  /** A mutation with its idempotency key; its typed failure thrown as the class for its code. */
  async mutate<M extends MutationResult, V>(
    document: ops.TypedDocumentString<M, V>,
    variables: V,
    options: MutationOptions = {},
  ): Promise<SuccessData<M>> {
    const answer = await this.transport.request(document, variables, {
      idempotencyKey: options.idempotencyKey ?? newKey(),
      signal: options.signal,
    });
    const result = answer.result;
    if ('data' in result) return result.data;
    throw errorFromResult(result);
  }

  /** A subscription as an async iterator over graphql-ws. */
  subscribe<R, V>(document: ops.TypedDocumentString<R, V>, variables: V): Subscription<R> {
    return this.live.subscribe(document, variables);
  }

  /** The organization the calls act on: given in the options, else the token's own. */
  organization(): Promise<string> {
    this.organizationId ??= this.request(ops.OrganizationsDocument, {}).then(({ organizations }) => {
      const [first] = organizations;
      if (!first) throw new NotFoundError('NOT_FOUND', 'This credential belongs to no organization.');
      return first.id;
    });
    // A failed lookup is asked again next time.
    this.organizationId.catch(() => (this.organizationId = null));
    return this.organizationId;
  }

  /** Closes the subscriptions socket (HTTP calls hold nothing open). */
  close(): Promise<void> {
    return this.live.close();
  }

  /** @internal */
  async node<Q extends { node?: { __typename: string } | null }, V, T extends string>(
    document: ops.TypedDocumentString<Q, V>,
    variables: V,
    typename: T,
  ): Promise<NodeOf<Q, T>> {
    const { node } = await this.request(document, variables);
    if (!node || node.__typename !== typename) throw new NotFoundError('NOT_FOUND', `No ${typename} with this id.`);
    return node as NodeOf<Q, T>;
  }

  /** @internal */
  paginate<T>(
    pageSize: number | undefined,
    fetch: (first: number, after: string | null) => Promise<ConnectionLike<T> | null | undefined>,
  ): Paginator<T> {
    const first = pageSize ?? 50;
    return new Paginator(async (after) => toPage(await fetch(first, after)));
  }
}

abstract class Domain {
  constructor(protected readonly client: Pressroom) {}
}

export type Organization = ops.OrganizationsQuery['organizations'][number];
export type Brand = ops.BrandFieldsFragment;
export type KnowledgeDocument = ops.KnowledgeDocumentFieldsFragment;
export type BrandAsset = ops.BrandAssetFieldsFragment;
export type Batch = ops.BatchFieldsFragment;
export type Post = ops.PostFieldsFragment;
export type PostDetail = NodeOf<ops.PostQuery, 'Post'>;
export type Review = ops.ReviewFieldsFragment;
export type Publication = ops.PublicationFieldsFragment;
export type PublicationDetail = NodeOf<ops.PublicationQuery, 'Publication'>;
export type SocialAccount = ops.SocialAccountFieldsFragment;
export type AccountSnapshot = ops.AccountSnapshotFieldsFragment;
export type VideoMetrics = ops.MetricsFieldsFragment;
export type AuditEvent = ops.AuditEventFieldsFragment;
export type Membership = ops.MembershipFieldsFragment;
export type WebhookEndpoint = ops.WebhookEndpointFieldsFragment;
export type WebhookDelivery = ops.WebhookDeliveryFieldsFragment;
export type WebhookDeliveryAttempt = WebhookDelivery['attempts'][number];
/** An endpoint with its signing secret: only create and rotate answer the secret, once. */
export type WebhookEndpointWithSecret = SuccessData<ops.CreateWebhookEndpointMutation>;
export type { AuditEventFilter, Platform, PostFormat, PostStatus, PublicationState, SlideInput };

export class Organizations extends Domain {
  /** The organizations the credential belongs to (a token: its own). */
  async list(): Promise<Organization[]> {
    return (await this.client.request(ops.OrganizationsDocument, {})).organizations;
  }

  async serverInfo() {
    return (await this.client.request(ops.ServerInfoDocument, {})).serverInfo;
  }
}

export class Brands extends Domain {
  /** The organization's brands (brands:read). */
  list(options: ListOptions = {}): Paginator<Brand> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const organizationId = await this.client.organization();
      return (await this.client.request(ops.BrandsDocument, { organizationId, first, after })).organization?.brands;
    });
  }

  get(id: string): Promise<Brand> {
    return this.client.node(ops.BrandDocument, { id }, 'Brand');
  }

  /** brands:write */
  update(id: string, input: Omit<ops.UpdateBrandMutationVariables, 'id'>, options?: MutationOptions): Promise<Brand> {
    return this.client.mutate(ops.UpdateBrandDocument, { id, ...input }, options);
  }

  knowledgeDocuments(brandId: string, options: ListOptions = {}): Paginator<KnowledgeDocument> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const brand = await this.client.node(ops.KnowledgeDocumentsDocument, { brandId, first, after }, 'Brand');
      return brand.knowledgeDocuments;
    });
  }

  /** brands:write */
  addKnowledgeDocument(
    input: ops.AddKnowledgeDocumentMutationVariables,
    options?: MutationOptions,
  ): Promise<KnowledgeDocument> {
    return this.client.mutate(ops.AddKnowledgeDocumentDocument, input, options);
  }

  /** brands:write */
  updateKnowledgeDocument(
    id: string,
    input: { title?: string; content?: string },
    options?: MutationOptions,
  ): Promise<KnowledgeDocument> {
    return this.client.mutate(ops.UpdateKnowledgeDocumentDocument, { id, ...input }, options);
  }

  /** brands:write; answers the deleted id. */
  deleteKnowledgeDocument(id: string, options?: MutationOptions): Promise<string> {
    return this.client.mutate(ops.DeleteKnowledgeDocumentDocument, { id }, options);
  }

  assets(brandId: string, options: ListOptions = {}): Paginator<BrandAsset> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const brand = await this.client.node(ops.BrandAssetsDocument, { brandId, first, after }, 'Brand');
      return brand.assets;
    });
  }

  /** brands:write; answers the deleted id. */
  deleteAsset(id: string, options?: MutationOptions): Promise<string> {
    return this.client.mutate(ops.DeleteBrandAssetDocument, { id }, options);
  }
}

export interface CreateBatchInput {
  brandId: string;
  brief: string;
  count: number;
  platforms: Platform[];
  format?: PostFormat;
}

const finishedBatch: ReadonlySet<string> = new Set(['READY', 'PARTIAL', 'FAILED', 'CANCELLED']);

export class Batches extends Domain {
  list(options: ListOptions = {}): Paginator<Batch> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const organizationId = await this.client.organization();
      return (await this.client.request(ops.BatchesDocument, { organizationId, first, after })).organization?.batches;
    });
  }

  get(id: string): Promise<Batch> {
    return this.client.node(ops.BatchDocument, { id }, 'Batch');
  }

  /** Queues a batch of posts to generate from a brief (posts:write). */
  create(input: CreateBatchInput, options?: MutationOptions): Promise<Batch> {
    return this.client.mutate(ops.CreateBatchDocument, input, options);
  }

  /** The batch's posts, oldest first. */
  posts(batchId: string, options: ListOptions = {}): Paginator<Post> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const batch = await this.client.node(ops.BatchPostsDocument, { id: batchId, first, after }, 'Batch');
      return batch.posts;
    });
  }

  /** The batch each time one of its posts is generated or fails. */
  progress(id: string): Subscription<Batch | null> {
    return mapSubscription(this.client.subscribe(ops.BatchProgressDocument, { id }), (value) => value.batchProgress);
  }

  /**
   * Follows the batch by subscription until it is finished (READY, PARTIAL, FAILED or
   * CANCELLED) and answers it; `onProgress` sees every update.
   */
  async waitUntilFinished(id: string, onProgress?: (batch: Batch) => void): Promise<Batch> {
    const updates = this.progress(id);
    try {
      // Read once after subscribing: a batch that finished before the socket opened has no more events.
      const pending = updates.next();
      const current = await this.get(id);
      if (finishedBatch.has(current.status)) return current;
      let step = await pending;
      while (!step.done) {
        if (step.value) {
          onProgress?.(step.value);
          if (finishedBatch.has(step.value.status)) return step.value;
        }
        step = await updates.next();
      }
      return await this.get(id);
    } finally {
      await updates.return();
    }
  }
}

export interface PostListOptions extends ListOptions {
  brandId?: string;
  status?: PostStatus[];
}

export interface CreatePostInput {
  brandId: string;
  title?: string;
  caption?: string;
  hashtags?: string[];
  format?: PostFormat;
  slides?: SlideInput[];
}

export interface UpdatePostInput {
  /** The post's `version` when you read it; a stale one is refused with ConflictError. */
  expectedVersion: number;
  title?: string;
  caption?: string;
  hashtags?: string[];
  slides?: SlideInput[];
}

export class Posts extends Domain {
  /** Newest first (posts:read). */
  list(options: PostListOptions = {}): Paginator<Post> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const organizationId = await this.client.organization();
      const variables = { organizationId, first, after, brandId: options.brandId, status: options.status };
      return (await this.client.request(ops.PostsDocument, variables)).organization?.posts;
    });
  }

  /** The post with its reviews and publications. */
  get(id: string): Promise<PostDetail> {
    return this.client.node(ops.PostDocument, { id }, 'Post');
  }

  /** A hand-written draft (posts:write). */
  create(input: CreatePostInput, options?: MutationOptions): Promise<Post> {
    return this.client.mutate(ops.CreatePostDocument, input, options);
  }

  update(id: string, input: UpdatePostInput, options?: MutationOptions): Promise<Post> {
    return this.client.mutate(ops.UpdatePostDocument, { id, ...input }, options);
  }

  /** Deletes a draft, rejected or failed-to-generate post; answers its id. */
  delete(id: string, options?: MutationOptions): Promise<string> {
    return this.client.mutate(ops.DeletePostDocument, { id }, options);
  }

  /** DRAFT → IN_REVIEW (posts:write). */
  submitForReview(id: string, options?: MutationOptions): Promise<Post> {
    return this.client.mutate(ops.SubmitPostForReviewDocument, { id }, options);
  }

  /** APPROVED → SCHEDULED (posts:schedule): publications for the named accounts, else all of the brand's. */
  schedule(
    id: string,
    input: { scheduledAt: Date | string; socialAccountIds?: string[] },
    options?: MutationOptions,
  ): Promise<Post> {
    const scheduledAt = new Date(input.scheduledAt).toISOString();
    return this.client.mutate(
      ops.SchedulePostDocument,
      { id, scheduledAt, socialAccountIds: input.socialAccountIds },
      options,
    );
  }

  reschedule(id: string, scheduledAt: Date | string, options?: MutationOptions): Promise<Post> {
    return this.client.mutate(
      ops.ReschedulePostDocument,
      { id, scheduledAt: new Date(scheduledAt).toISOString() },
      options,
    );
  }

  unschedule(id: string, options?: MutationOptions): Promise<Post> {
    return this.client.mutate(ops.UnschedulePostDocument, { id }, options);
  }

  /** A brand's posts each time one is created or changes (null once deleted). */
  changes(brandId: string): Subscription<Post | null> {
    return mapSubscription(this.client.subscribe(ops.PostChangedDocument, { brandId }), (value) => value.postChanged);
  }
}

export class Reviews extends Domain {
  /** posts:review */
  approve(postId: string, input: { comment?: string } = {}, options?: MutationOptions): Promise<Post> {
    return this.client.mutate(ops.ApprovePostDocument, { id: postId, comment: input.comment }, options);
  }

  /** posts:review */
  reject(postId: string, input: { comment?: string } = {}, options?: MutationOptions): Promise<Post> {
    return this.client.mutate(ops.RejectPostDocument, { id: postId, comment: input.comment }, options);
  }

  async list(postId: string): Promise<Review[]> {
    return (await this.client.node(ops.PostReviewsDocument, { id: postId }, 'Post')).reviews;
  }
}

export interface PublicationListOptions extends ListOptions {
  state?: PublicationState[];
  socialAccountId?: string;
}

export class Publications extends Domain {
  /** Latest scheduled first. */
  list(options: PublicationListOptions = {}): Paginator<Publication> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const organizationId = await this.client.organization();
      const variables = {
        organizationId,
        first,
        after,
        state: options.state,
        socialAccountId: options.socialAccountId,
      };
      return (await this.client.request(ops.PublicationsDocument, variables)).organization?.publications;
    });
  }

  /** The publication with its attempts. */
  get(id: string): Promise<PublicationDetail> {
    return this.client.node(ops.PublicationDocument, { id }, 'Publication');
  }

  /** posts:schedule */
  cancel(id: string, options?: MutationOptions): Promise<Publication> {
    return this.client.mutate(ops.CancelPublicationDocument, { id }, options);
  }

  /** A new attempt at a FAILED publication (publish:retry). */
  retry(id: string, options?: MutationOptions): Promise<Publication> {
    return this.client.mutate(ops.RetryPublicationDocument, { id }, options);
  }

  /** Asks the platform again what became of it (publish:retry). */
  check(id: string, options?: MutationOptions): Promise<Publication> {
    return this.client.mutate(ops.CheckPublicationDocument, { id }, options);
  }

  /** Records that it is on the platform after all, at `url` (publish:retry). */
  markPublished(id: string, url: string, options?: MutationOptions): Promise<Publication> {
    return this.client.mutate(ops.MarkPublicationPublishedDocument, { id, url }, options);
  }

  /** Every publication of the organization, each time its state changes. */
  changes(): Subscription<Publication | null> {
    return lazySubscription(async () => {
      const organizationId = await this.client.organization();
      return mapSubscription(
        this.client.subscribe(ops.PublicationChangedDocument, { organizationId }),
        (value) => value.publicationChanged,
      );
    });
  }
}

export class Accounts extends Domain {
  /** A brand's connected social accounts. */
  async list(brandId: string): Promise<SocialAccount[]> {
    return (await this.client.node(ops.SocialAccountsDocument, { brandId }, 'Brand')).socialAccounts;
  }

  get(id: string): Promise<SocialAccount> {
    return this.client.node(ops.SocialAccountDocument, { id }, 'SocialAccount');
  }

  /** Runs the account's analytics sync now (analytics:read). */
  syncNow(id: string, options?: MutationOptions): Promise<SocialAccount> {
    return this.client.mutate(ops.SyncAccountNowDocument, { socialAccountId: id }, options);
  }

  /** Disconnects and deletes a social account: grants revoked, media removed. */
  requestDeletion(id: string, options?: MutationOptions) {
    return this.client.mutate(ops.RequestAccountDeletionDocument, { id }, options);
  }
}

export interface RangeOptions {
  from: Date | string;
  to?: Date | string;
  /** The newest this many (default 500). */
  last?: number;
}

export class Analytics extends Domain {
  /** A publication's newest numbers and each sync's reading in the range (analytics:read). */
  async publication(id: string, range: RangeOptions) {
    const node = await this.client.node(ops.PublicationMetricsDocument, rangeVariables(id, range), 'Publication');
    return { latest: node.latestMetrics, snapshots: node.metricSnapshots };
  }

  /** An account's newest totals and each sync's totals in the range (analytics:read). */
  async account(id: string, range: RangeOptions) {
    const node = await this.client.node(ops.AccountMetricsDocument, rangeVariables(id, range), 'SocialAccount');
    return { latest: node.latestSnapshot, snapshots: node.snapshots };
  }

  /** The account each time a sync brings back its numbers. */
  accountUpdates(socialAccountId: string) {
    return mapSubscription(
      this.client.subscribe(ops.AccountMetricsUpdatedDocument, { socialAccountId }),
      (value) => value.accountMetricsUpdated,
    );
  }
}

function rangeVariables(id: string, range: RangeOptions) {
  return {
    id,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to ?? Date.now()).toISOString(),
    last: range.last,
  };
}

export class Audit extends Domain {
  /** Newest first (audit:read). */
  list(options: ListOptions & { filter?: AuditEventFilter } = {}): Paginator<AuditEvent> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const organizationId = await this.client.organization();
      const variables = { organizationId, first, after, filter: options.filter };
      return (await this.client.request(ops.AuditEventsDocument, variables)).organization?.auditEvents;
    });
  }

  /** The log as CSV (newest first, at most 10,000 rows). */
  async csv(filter?: AuditEventFilter): Promise<string> {
    const organizationId = await this.client.organization();
    return (await this.client.request(ops.AuditLogCsvDocument, { organizationId, filter })).auditLogCsv;
  }

  /** Each audit event as it is written. */
  events(): Subscription<AuditEvent | null> {
    return lazySubscription(async () => {
      const organizationId = await this.client.organization();
      return mapSubscription(
        this.client.subscribe(ops.AuditRecordedDocument, { organizationId }),
        (value) => value.auditRecorded,
      );
    });
  }
}

export class Members extends Domain {
  /** members:read */
  list(options: ListOptions = {}): Paginator<Membership> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const organizationId = await this.client.organization();
      return (await this.client.request(ops.MembersDocument, { organizationId, first, after })).organization?.members;
    });
  }
}

export interface CreateWebhookEndpointInput {
  /** http(s); private and loopback hosts are refused unless the server allows them. */
  url: string;
  /** Event types (see `eventTypes()`): `post.in_review`, `publication.published`... */
  events: string[];
  description?: string;
}

export interface UpdateWebhookEndpointInput {
  url?: string;
  events?: string[];
  description?: string;
  /** `true` turns an endpoint disabled after repeated failures back on. */
  enabled?: boolean;
}

export class Webhooks extends Domain {
  /** Every event type an endpoint may subscribe to. */
  async eventTypes(): Promise<string[]> {
    return (await this.client.request(ops.WebhookEventTypesDocument, {})).webhookEventTypes;
  }

  /** The organization's endpoints, newest first (webhooks:read). */
  list(options: ListOptions = {}): Paginator<WebhookEndpoint> {
    return this.client.paginate(options.pageSize, async (first, after) => {
      const organizationId = await this.client.organization();
      return (await this.client.request(ops.WebhookEndpointsDocument, { organizationId, first, after })).organization
        ?.webhookEndpoints;
    });
  }

  get(id: string): Promise<WebhookEndpoint> {
    return this.client.node(ops.WebhookEndpointDocument, { id }, 'WebhookEndpoint');
  }

  /**
   * Registers an endpoint (webhooks:write) and answers it with its signing secret, which is
   * never shown again: keep it for `verifyWebhook`. A URL the server will not send to is
   * refused with UnsafeWebhookUrlError.
   */
  async create(input: CreateWebhookEndpointInput, options?: MutationOptions): Promise<WebhookEndpointWithSecret> {
    const organizationId = await this.client.organization();
    return this.client.mutate(ops.CreateWebhookEndpointDocument, { organizationId, ...input }, options);
  }

  /** webhooks:write; a changed URL is checked like a new one (UnsafeWebhookUrlError). */
  update(id: string, input: UpdateWebhookEndpointInput, options?: MutationOptions): Promise<WebhookEndpoint> {
    return this.client.mutate(ops.UpdateWebhookEndpointDocument, { id, ...input }, options);
  }

  /** A new secret, answered once; deliveries are signed with the old one too for 24 hours. */
  rotateSecret(id: string, options?: MutationOptions): Promise<WebhookEndpointWithSecret> {
    return this.client.mutate(ops.RotateWebhookEndpointSecretDocument, { id }, options);
  }

  /** Deletes the endpoint and its deliveries; answers its id (webhooks:write). */
  delete(id: string, options?: MutationOptions): Promise<string> {
    return this.client.mutate(ops.DeleteWebhookEndpointDocument, { id }, options);
  }

  /**
   * An endpoint's deliveries, newest first, each with every attempt (status code, duration,
   * error). Pages default to 20: each delivery carries its body and attempts.
   */
  deliveries(endpointId: string, options: ListOptions = {}): Paginator<WebhookDelivery> {
    return this.client.paginate(options.pageSize ?? 20, async (first, after) => {
      const endpoint = await this.client.node(
        ops.WebhookDeliveriesDocument,
        { endpointId, first, after },
        'WebhookEndpoint',
      );
      return endpoint.deliveries;
    });
  }

  delivery(id: string): Promise<WebhookDelivery> {
    return this.client.node(ops.WebhookDeliveryDocument, { id }, 'WebhookDelivery');
  }

  /** Sends a finished delivery again: the same event id and body (webhooks:write). */
  redeliver(deliveryId: string, options?: MutationOptions): Promise<WebhookDelivery> {
    return this.client.mutate(ops.RedeliverWebhookDeliveryDocument, { id: deliveryId }, options);
  }
}

function mapSubscription<A, B>(source: Subscription<A>, map: (value: A) => B): Subscription<B> {
  const mapped: Subscription<B> = {
    async next() {
      const step = await source.next();
      return step.done ? { done: true, value: undefined } : { done: false, value: map(step.value) };
    },
    async return() {
      await source.return();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}

/** A subscription whose variables need a lookup first (the organization id). */
function lazySubscription<T>(open: () => Promise<Subscription<T>>): Subscription<T> {
  let source: Promise<Subscription<T>> | null = null;
  const get = () => (source ??= open());
  const lazy: Subscription<T> = {
    async next() {
      return (await get()).next();
    },
    async return() {
      if (source) await (await source).return();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return lazy;
    },
  };
  return lazy;
}
