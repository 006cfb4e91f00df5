import type { DomainEventKind, PublishedDomainEvent } from '@pressroom/db/events';
import { retryingFor } from './retry.js';

export interface EventInterest {
  kinds: readonly DomainEventKind[];
  organizationId: string;
  /** Server-side filter on the event's ids (a brand, a batch, an account...). */
  matches?: (event: PublishedDomainEvent) => boolean;
  /** Asked again before each event is sent: is the viewer still allowed to receive it? */
  authorize: () => Promise<boolean>;
}

export interface AuthorizeRetry {
  /** First wait before asking again (doubling up to 5 s). */
  delayMs: number;
  /** Longest time to keep asking. */
  forMs: number;
}

export class SubscriberTooSlowError extends Error {
  constructor(readonly limit: number) {
    super(`More than ${limit} distinct updates were waiting for this subscriber; subscribe again and refetch.`);
    this.name = 'SubscriberTooSlowError';
  }
}

/** Two events about the same thing collapse into one: subscribers re-read the data anyway. */
function coalescingKey(event: PublishedDomainEvent): string {
  return `${event.kind}:${JSON.stringify(event.payload)}`;
}

class Subscriber implements AsyncIterableIterator<PublishedDomainEvent> {
  private readonly queue: PublishedDomainEvent[] = [];
  private readonly queuedKeys = new Set<string>();
  private waiting: ((result: IteratorResult<PublishedDomainEvent>) => void) | undefined;
  private failWaiting: ((error: Error) => void) | undefined;
  private failure: Error | undefined;
  private done = false;

  constructor(
    readonly interest: EventInterest,
    private readonly maxQueued: number,
    private readonly retry: AuthorizeRetry,
    private readonly onClose: (subscriber: Subscriber) => void,
  ) {}

  accepts(event: PublishedDomainEvent): boolean {
    return (
      !this.done &&
      event.organizationId === this.interest.organizationId &&
      this.interest.kinds.includes(event.kind) &&
      (this.interest.matches?.(event) ?? true)
    );
  }

  push(event: PublishedDomainEvent): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = undefined;
      resolve({ value: event, done: false });
      return;
    }
    const key = coalescingKey(event);
    if (this.queuedKeys.has(key)) return;
    if (this.queue.length >= this.maxQueued) {
      this.fail(new SubscriberTooSlowError(this.maxQueued));
      return;
    }
    this.queuedKeys.add(key);
    this.queue.push(event);
  }

  private fail(error: Error): void {
    this.failure = error;
    this.queue.length = 0;
    this.queuedKeys.clear();
    this.close();
    const reject = this.failWaiting;
    this.waiting = this.failWaiting = undefined;
    reject?.(error);
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.onClose(this);
  }

  private take(): Promise<IteratorResult<PublishedDomainEvent>> {
    const queued = this.queue.shift();
    if (queued) {
      this.queuedKeys.delete(coalescingKey(queued));
      return Promise.resolve({ value: queued, done: false });
    }
    if (this.failure) return Promise.reject(this.failure);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  async next(): Promise<IteratorResult<PublishedDomainEvent>> {
    for (;;) {
      const result = await this.take();
      if (result.done) return result;
      if (await this.authorized()) return result;
      // Access was lost (removed from the organization, demoted, token revoked): stop here.
      this.close();
      return { value: undefined, done: true };
    }
  }

  /**
   * The viewer's access, asked again: a failure to answer (PostgreSQL restarting) is not a "no",
   * so it is asked again for a while rather than ending the subscription, which would lose
   * every event after this one. Only an answer that stays a failure ends it.
   */
  private authorized(): Promise<boolean> {
    return retryingFor(() => this.interest.authorize(), { ...this.retry, stopped: () => this.done });
  }

  return(): Promise<IteratorResult<PublishedDomainEvent>> {
    this.close();
    const resolve = this.waiting;
    this.waiting = this.failWaiting = undefined;
    resolve?.({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Fans the events heard by this api instance out to its subscribers, filtering on the server.
 * Each subscriber's buffer is bounded: repeated updates to one thing coalesce, and a
 * subscriber that falls further behind is ended with SubscriberTooSlowError rather than
 * letting memory grow.
 */
export class EventHub {
  private readonly subscribers = new Set<Subscriber>();

  constructor(
    private readonly maxQueuedPerSubscriber = 256,
    /** How long an authorization check that fails to answer is tried again before the subscription ends. */
    private readonly authorizeRetry: AuthorizeRetry = { delayMs: 250, forMs: 60_000 },
  ) {}

  publish(event: PublishedDomainEvent): void {
    for (const subscriber of this.subscribers) if (subscriber.accepts(event)) subscriber.push(event);
  }

  subscribe(interest: EventInterest): AsyncIterableIterator<PublishedDomainEvent> {
    const subscriber = new Subscriber(interest, this.maxQueuedPerSubscriber, this.authorizeRetry, (closed) =>
      this.subscribers.delete(closed),
    );
    this.subscribers.add(subscriber);
    return subscriber;
  }

  /** Live subscriptions on this instance (for tests and metrics). */
  get size(): number {
    return this.subscribers.size;
  }
}
