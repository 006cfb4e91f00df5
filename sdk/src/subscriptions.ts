import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws/client';
import { NetworkError, UnauthenticatedError, errorFromGraphQLErrors, type GraphQLErrorEntry } from './errors.js';

export interface SubscriptionOptions {
  wsUrl: string;
  token?: string | undefined;
  /** A WebSocket class where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  /** How many reconnects in a row before giving up (default: keep trying). */
  retryAttempts?: number | undefined;
}

type Document<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

/** A live subscription: iterate it, and `return()` (or `break`) to stop. */
export type Subscription<T> = AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T, undefined>> };

/**
 * One graphql-ws socket per client, opened on the first subscription and closed when the last
 * one ends. A dropped socket reconnects with backoff and resubscribes by itself; a refused
 * token (4401/4403) does not, and ends each iterator with UnauthenticatedError.
 */
export class Subscriptions {
  private client: Client | null = null;

  constructor(private readonly options: SubscriptionOptions) {}

  private socket(): Client {
    if (this.client) return this.client;
    const Impl = this.options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (!Impl) {
      throw new NetworkError('No WebSocket here: pass webSocketImpl (for example the ws package) to subscribe.');
    }
    this.client = createClient({
      url: this.options.wsUrl,
      webSocketImpl: Impl,
      lazy: true,
      lazyCloseTimeout: 0,
      connectionParams: () => (this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      retryAttempts: this.options.retryAttempts ?? Number.POSITIVE_INFINITY,
      shouldRetry: (event) => {
        const code = (event as { code?: number } | undefined)?.code;
        return !(code === 4401 || code === 4403);
      },
    });
    return this.client;
  }

  subscribe<R, V>(document: Document<R, V>, variables: V): Subscription<R> {
    const iterator = this.socket().iterate<R>({
      query: document.toString(),
      variables: variables as Record<string, unknown>,
    });
    const next = async (): Promise<IteratorResult<R, undefined>> => {
      let step: IteratorResult<{ data?: R | null; errors?: readonly GraphQLErrorEntry[] }>;
      try {
        step = await iterator.next();
      } catch (error) {
        throw mapSocketError(error);
      }
      if (step.done) return { done: true, value: undefined };
      const { data, errors } = step.value;
      if (errors?.length) throw errorFromGraphQLErrors([...errors]);
      return { done: false, value: data as R };
    };
    const subscription: Subscription<R> = {
      next,
      async return() {
        await iterator.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return subscription;
      },
    };
    return subscription;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.dispose();
  }
}

function mapSocketError(error: unknown): Error {
  if (Array.isArray(error)) return errorFromGraphQLErrors(error as GraphQLErrorEntry[]);
  const close = error as { code?: number; reason?: string };
  if (close && typeof close.code === 'number') {
    if (close.code === 4401 || close.code === 4403) {
      return new UnauthenticatedError('UNAUTHENTICATED', close.reason || 'The socket was refused.');
    }
    return new NetworkError(`The subscription socket closed (${close.code} ${close.reason ?? ''}).`, { cause: error });
  }
  if (error instanceof Error) return error;
  return new NetworkError('The subscription socket failed.', { cause: error });
}
