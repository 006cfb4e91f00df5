import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import {
  ApiError,
  IdempotencyInProgressError,
  NetworkError,
  RateLimitedError,
  errorFromGraphQLErrors,
  type GraphQLErrorEntry,
} from './errors.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** What the api reports about a request's price in `extensions.cost`. */
export interface QueryCost {
  requestedQueryCost: number;
  maximumQueryCost?: number;
  /** Present for API tokens: the bucket the request paid from, after paying. */
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface TransportOptions {
  /** The GraphQL endpoint (`.../graphql`). */
  endpoint: string;
  token?: string | undefined;
  fetch?: FetchLike | undefined;
  pacing: boolean;
  /** How many times one call is sent again after RATE_LIMITED, a network failure or an in-progress key. */
  maxRetries: number;
  headers?: Record<string, string> | undefined;
  /** Called with every answer's cost (for logging or tests). */
  onCost?: ((cost: QueryCost, operationName: string) => void) | undefined;
  /** Replaced in tests; waits `ms`. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface CallOptions {
  /** Sent as `Idempotency-Key`; the same on each of the sdk's own retries of this call. */
  idempotencyKey?: string | undefined;
  signal?: AbortSignal | undefined;
}

type Document<R, V> = DocumentTypeDecoration<R, V> & { toString(): string };

function operationNameOf(query: string): string {
  return /\b(?:query|mutation|subscription)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The client's view of the token's cost bucket: what the last answer said, refilled at the
 * restore rate since then, minus what requests in flight are expected to spend.
 */
class CostBucket {
  private maximum = Number.POSITIVE_INFINITY;
  private available = Number.POSITIVE_INFINITY;
  private restoreRate = 0;
  private at = 0;
  /** The price last paid per operation: the estimate for its next call. */
  private readonly lastCost = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();

  private current(now: number): number {
    if (!Number.isFinite(this.available)) return this.available;
    return Math.min(this.maximum, this.available + ((now - this.at) / 1000) * this.restoreRate);
  }

  /**
   * Resolves when the bucket can pay for `operation`'s expected cost, and books that cost. Calls
   * queue in order so that a large query is not starved by small ones.
   */
  reserve(operation: string, sleep: (ms: number) => Promise<void>): Promise<number> {
    const expected = this.lastCost.get(operation) ?? 1;
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = Date.now();
        const available = this.current(now);
        const affordable = Math.min(expected, this.maximum);
        if (available >= affordable || this.restoreRate <= 0) {
          if (Number.isFinite(available)) {
            this.available = available - expected;
            this.at = now;
          }
          return;
        }
        await sleep(Math.ceil(((affordable - available) / this.restoreRate) * 1000));
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn.then(() => expected);
  }

  /** An answer reports the real price and the bucket after paying it. */
  settle(operation: string, booked: number, cost: QueryCost | undefined): void {
    if (!cost) {
      this.refund(booked);
      return;
    }
    this.lastCost.set(operation, cost.requestedQueryCost);
    const status = cost.throttleStatus;
    if (!status) {
      this.refund(booked);
      return;
    }
    this.maximum = status.maximumAvailable;
    this.restoreRate = status.restoreRate;
    this.available = status.currentlyAvailable;
    this.at = Date.now();
  }

  private refund(booked: number): void {
    if (Number.isFinite(this.available)) this.available += booked;
  }
}

interface Envelope<R> {
  data?: R | null;
  errors?: GraphQLErrorEntry[];
  extensions?: { cost?: QueryCost } & Record<string, unknown>;
}

/** One POST per call, with pacing, bounded retries and the idempotency key. */
export class Transport {
  private readonly bucket = new CostBucket();
  private readonly fetch: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(readonly options: TransportOptions) {
    // Bound to globalThis: browsers refuse a `fetch` called as a method of another object.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? defaultSleep;
  }

  async request<R, V>(document: Document<R, V>, variables: V, call: CallOptions = {}): Promise<R> {
    const query = document.toString();
    const operationName = operationNameOf(query);
    const body = JSON.stringify({ query, operationName, variables: variables ?? {} });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...this.options.headers,
    };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;

    for (let attempt = 0; ; attempt += 1) {
      const booked = this.options.pacing ? await this.bucket.reserve(operationName, this.sleep) : 0;
      let envelope: Envelope<R>;
      let requestId: string | undefined;
      try {
        ({ envelope, requestId } = await this.send<R>(body, headers, call.signal));
      } catch (error) {
        if (this.options.pacing) this.bucket.settle(operationName, booked, undefined);
        // A request that may not have arrived is sent again only when that is safe: a query,
        // or a mutation carrying its idempotency key.
        const safe = !query.trimStart().startsWith('mutation') || Boolean(call.idempotencyKey);
        if (error instanceof NetworkError && safe && attempt < this.options.maxRetries && !call.signal?.aborted) {
          await this.sleep(Math.min(250 * 2 ** attempt, 4_000));
          continue;
        }
        throw error;
      }
      const cost = envelope.extensions?.cost;
      if (this.options.pacing) this.bucket.settle(operationName, booked, cost);
      if (cost) this.options.onCost?.(cost, operationName);
      if (envelope.errors?.length) {
        const error = errorFromGraphQLErrors(envelope.errors, requestId);
        if (this.options.pacing && attempt < this.options.maxRetries) {
          // A query dearer than the whole bucket can never be paid: waiting would not help.
          const payable = !cost?.throttleStatus || cost.requestedQueryCost <= cost.throttleStatus.maximumAvailable;
          if (error instanceof RateLimitedError && payable) {
            await this.sleep(Math.max(1, error.retryAfter) * 1000);
            continue;
          }
          if (error instanceof IdempotencyInProgressError) {
            await this.sleep(Math.min(1000 * 2 ** attempt, 8_000));
            continue;
          }
        }
        throw error;
      }
      if (envelope.data == null) throw new ApiError('INTERNAL_SERVER_ERROR', 'The answer had no data.', { requestId });
      return envelope.data;
    }
  }

  private async send<R>(body: string, headers: Record<string, string>, signal: AbortSignal | undefined) {
    let response: Response;
    try {
      response = await this.fetch(this.options.endpoint, {
        method: 'POST',
        headers,
        body,
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new NetworkError(`Could not reach ${this.options.endpoint}: ${(error as Error).message}`, { cause: error });
    }
    const requestId = response.headers.get('x-request-id') ?? undefined;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new NetworkError(`The answer from ${this.options.endpoint} broke off.`, { cause: error, requestId });
    }
    let envelope: Envelope<R>;
    try {
      envelope = JSON.parse(text) as Envelope<R>;
    } catch {
      // A proxy's error page, a gateway timeout...: the api itself did not answer.
      throw new NetworkError(`${this.options.endpoint} answered HTTP ${response.status} without GraphQL.`, {
        requestId,
      });
    }
    if (typeof envelope !== 'object' || envelope === null) {
      throw new NetworkError(`${this.options.endpoint} answered HTTP ${response.status} without GraphQL.`, {
        requestId,
      });
    }
    return { envelope, requestId };
  }
}
