// A dashboard's WebSocket subscription to an organization's publication changes, recording
// every event it receives and whether its connection ever dropped.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface PublicationEvent {
  publicationId: string;
  state: string;
  at: number;
}

export interface Subscriber {
  events: PublicationEvent[];
  errors: string[];
  /** The socket closed at some point: the "stayed connected" promise no longer applies. */
  readonly dropped: boolean;
  /** The newest state heard for each publication. */
  lastStates(): Map<string, string>;
  close(): Promise<void>;
}

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
  const client = createClient({
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
  const errors: string[] = [];
  client.subscribe<{ publicationChanged: { id: string; state: string } | null }>(
    {
      query: 'subscription ($org: ID!) { publicationChanged(organizationId: $org) { id state } }',
      variables: { org: Buffer.from(`Organization:${organizationId}`).toString('base64url') },
    },
    {
      next: (result) => {
        const changed = result.data?.publicationChanged;
        if (changed) {
          const publicationId = Buffer.from(changed.id, 'base64url')
            .toString('utf8')
            .replace(/^Publication:/, '');
          events.push({ publicationId, state: changed.state, at: Date.now() });
        }
        if (result.errors) errors.push(JSON.stringify(result.errors));
      },
      error: (error) => errors.push(error instanceof Error ? error.message : JSON.stringify(error)),
      complete: () => {},
    },
  );
  await Promise.race([
    ready,
    new Promise((_, reject) => setTimeout(() => reject(new Error('the subscription was not acknowledged')), 15_000)),
  ]);
  // The server registers the subscription just after acknowledging the connection.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return {
    events,
    errors,
    get dropped() {
      return dropped;
    },
    lastStates() {
      const states = new Map<string, string>();
      for (const event of events) states.set(event.publicationId, event.state);
      return states;
    },
    close: async () => {
      await client.dispose();
    },
  };
}
