// The dashboard's one urql client: queries and mutations over HTTP, subscriptions over one
// graphql-ws socket that reconnects by itself. After a reconnect, `resyncs` ticks so screens
// refetch what they may have missed while the socket was down.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createSocket, type Client as Socket } from 'graphql-ws';
import { createSignal } from 'solid-js';

export type LiveState = 'idle' | 'connected' | 'reconnecting';

const [liveState, setLiveState] = createSignal<LiveState>('idle');
const [resyncs, setResyncs] = createSignal(0);
/** Whether the live socket is up; 'reconnecting' after it dropped, until it is back. */
export { liveState, resyncs };

function openSocket(): Socket {
  let connectedBefore = false;
  return createSocket({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    // Screens come and go; keep the socket across a route change instead of reopening it.
    lazyCloseTimeout: 5_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    // Quick first retries (a restarted api is back in seconds), then at most every 5 s.
    retryWait: (retries) =>
      new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 5_000) + Math.random() * 300)),
    on: {
      connected: () => {
        if (connectedBefore) setResyncs((count) => count + 1);
        connectedBefore = true;
        setLiveState('connected');
      },
      closed: () => setLiveState(connectedBefore ? 'reconnecting' : 'idle'),
    },
  });
}

let socket = openSocket();

/**
 * The socket authenticates with the session cookie it had when it opened: after signing in
 * or out, start a new one.
 */
export function restartLive() {
  void socket.dispose();
  setLiveState('idle');
  socket = openSocket();
}

/** Test hook: drops the socket as a network failure would (it reconnects by itself). */
export function dropLiveConnection() {
  socket.terminate();
}

export const client = new Client({
  url: '/graphql',
  requestPolicy: 'cache-and-network',
  // POST JSON: the api asks GET requests for a CSRF header, and POST bodies stay out of logs.
  preferGetMethod: false,
  fetchOptions: { credentials: 'same-origin' },
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({
          unsubscribe: socket.subscribe({ ...request, query: request.query ?? '' }, sink),
        }),
      }),
    }),
  ],
});
