// A dashboard's WebSocket to the api: subscriptions to an organization's publication changes,
// to a brand's post changes and to batches' progress, on one connection, recording every
// event each receives (in order, with when it arrived) and whether the connection ever dropped.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface PublicationEvent {
  publicationId: string;
  state: string;
  at: number;
}

export interface PostEvent {
  postId: string;
  status: string;
  at: number;
}

export interface BatchEvent {
  batchId: string;
  status: string;
  generatedCount: number;
  failedCount: number;
  at: number;
}

export interface Subscriber {
  /** Every publicationChanged event, in the order heard. */
  events: PublicationEvent[];
  /** Every postChanged event of the brands watched. */
  postEvents: PostEvent[];
  /** Every batchProgress event of the batches watched. */
  batchEvents: BatchEvent[];
  errors: string[];
  /** When the publication subscription was acknowledged (events committed after it must arrive). */
  connectedAt: number;
  /** The socket closed at some point: the "stayed connected" promise no longer applies. */
  readonly dropped: boolean;
  /** The newest state heard for each publication. */
  lastStates(): Map<string, string>;
  /** Post changes of the brand, from now on. */
  watchPosts(brandId: string): Promise<void>;
  /** Progress of the batch, from now on. */
  watchBatch(batchId: string): Promise<void>;
  close(): Promise<void>;
}

const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64url');
const localId = (id: string) =>
  Buffer.from(id, 'base64url')
    .toString('utf8')
    .replace(/^[A-Za-z]+:/, '');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscribes on `graphqlWsUrl` (ws://host:port/graphql) with the session `cookie`; resolves once acknowledged. */
export async function subscribePublications(
  graphqlWsUrl: string,
  cookie: string,
  organizationId: string,
): Promise<Subscriber> {
  class WithCookie extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  }
  let dropped = false;
  let acknowledged: () => void = () => {};
  const ready = new Promise<void>((resolve) => (acknowledged = resolve));
  const client: Client = createClient({
    url: graphqlWsUrl,
    webSocketImpl: WithCookie,
    retryAttempts: 0,
    lazy: false,
    on: {
      connected: () => acknowledged(),
      closed: () => (dropped = true),
    },
  });
  const events: PublicationEvent[] = [];
  const postEvents: PostEvent[] = [];
  const batchEvents: BatchEvent[] = [];
  const errors: string[] = [];
  const sink = <T>(onData: (data: T) => void) => ({
    next: (result: { data?: T | null; errors?: readonly unknown[] }) => {
      if (result.data) onData(result.data);
      if (result.errors) errors.push(JSON.stringify(result.errors));
    },
    error: (error: unknown) => errors.push(error instanceof Error ? error.message : JSON.stringify(error)),
    complete: () => {},
  });
  client.subscribe<{ publicationChanged: { id: string; state: string } | null }>(
    {
      query: 'subscription ($org: ID!) { publicationChanged(organizationId: $org) { id state } }',
      variables: { org: globalId('Organization', organizationId) },
    },
    sink(({ publicationChanged: changed }) => {
      if (changed) events.push({ publicationId: localId(changed.id), state: changed.state, at: Date.now() });
    }),
  );
  await Promise.race([
    ready,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the subscription was not acknowledged')), 15_000)),
  ]);
  // The server registers a subscription just after it gets the subscribe message.
  await sleep(500);
  const connectedAt = Date.now();
  return {
    events,
    postEvents,
    batchEvents,
    errors,
    connectedAt,
    get dropped() {
      return dropped;
    },
    lastStates() {
      const states = new Map<string, string>();
      for (const event of events) states.set(event.publicationId, event.state);
      return states;
    },
    async watchPosts(brandId) {
      client.subscribe<{ postChanged: { id: string; status: string } | null }>(
        {
          query: 'subscription ($brand: ID!) { postChanged(brandId: $brand) { id status } }',
          variables: { brand: globalId('Brand', brandId) },
        },
        sink(({ postChanged: changed }) => {
          if (changed) postEvents.push({ postId: localId(changed.id), status: changed.status, at: Date.now() });
        }),
      );
      await sleep(300);
    },
    async watchBatch(batchId) {
      client.subscribe<{
        batchProgress: { id: string; status: string; generatedCount: number; failedCount: number } | null;
      }>(
        {
          query: 'subscription ($id: ID!) { batchProgress(id: $id) { id status generatedCount failedCount } }',
          variables: { id: globalId('Batch', batchId) },
        },
        sink(({ batchProgress: batch }) => {
          if (batch) {
            batchEvents.push({
              batchId: localId(batch.id),
              status: batch.status,
              generatedCount: batch.generatedCount,
              failedCount: batch.failedCount,
              at: Date.now(),
            });
          }
        }),
      );
      await sleep(300);
    },
    close: async () => {
      await client.dispose();
    },
  };
}
