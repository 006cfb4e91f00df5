import { eventChannel, readsChannel, type PublishedDomainEvent } from '@pressroom/db/events';
import pg from 'pg';

export interface DomainEventListenerOptions {
  databaseUrl: string;
  onEvent: (event: PublishedDomainEvent) => void;
  onStateChange?: (state: 'connected' | 'disconnected', error?: Error) => void;
  /**
   * A row cached reads are built from changed in this organization (channel `pressroom_reads`).
   * Unlike events these are not stored: what was missed while disconnected is unknown, so a
   * cache that listens must forget everything on 'disconnected' and start again on 'connected'.
   */
  onReadsChanged?: (organizationId: string) => void;
  /**
   * After a reconnect, events created this long before the last one heard are re-read and
   * delivered if they were missed. It covers transactions that committed while the listener
   * was away, and out-of-order commits; a writer's transaction must not stay open longer.
   */
  lookBackMs?: number;
  reconnectDelayMs?: { min: number; max: number };
}

interface EventRow {
  id: string;
  kind: PublishedDomainEvent['kind'];
  organizationId: string;
  payload: PublishedDomainEvent['payload'];
  createdAt: Date;
}

/**
 * One LISTEN connection per api instance. It reconnects by itself and, after a reconnect,
 * delivers from the events table what it missed; each event is delivered once.
 */
export class DomainEventListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  /** id → createdAt (ms) of recently delivered events, to deliver each once. */
  private readonly delivered = new Map<string, number>();
  /** createdAt (ms) of the newest event heard; catch-up reads from here minus lookBackMs. */
  private newestSeen = Date.now();
  /** Events committed before the first LISTEN are history, not news: catch-up skips them. */
  private historyFloorId = '0';
  private readonly lookBackMs: number;
  /** createdAt (ms) before which nothing is caught up: the start, when it could not connect. */
  private notBefore = 0;
  private readonly reconnectDelay: { min: number; max: number };

  constructor(private readonly options: DomainEventListenerOptions) {
    this.lookBackMs = options.lookBackMs ?? 60_000;
    this.reconnectDelay = options.reconnectDelayMs ?? { min: 100, max: 5_000 };
  }

  /**
   * Connects and LISTENs. If PostgreSQL cannot be reached now, this rejects (for the caller to
   * say so) and keeps trying in the background; once connected, it catches up on the events
   * committed since this call (not before it: those are history, as for a start that connects
   * at once), so a subscriber that came in meanwhile misses nothing.
   */
  async start(): Promise<void> {
    this.stopped = false;
    const startedAt = Date.now();
    try {
      await this.connect(false);
    } catch (error) {
      this.notBefore = startedAt;
      this.scheduleReconnect();
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  private async connect(catchUp: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'pressroom-events' });
    client.on('notification', (message) => {
      if (!message.payload) return;
      if (message.channel === eventChannel) this.deliver(JSON.parse(message.payload) as PublishedDomainEvent);
      else if (message.channel === readsChannel) this.options.onReadsChanged?.(message.payload);
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.options.onStateChange?.('disconnected', error);
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      // LISTEN first, then read what was missed: nothing falls between the two.
      await client.query(`LISTEN ${eventChannel}`);
      if (this.options.onReadsChanged) await client.query(`LISTEN ${readsChannel}`);
    } catch (error) {
      // Never listening: its socket is closed here, not left for the next attempt to leak.
      client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.attempts = 0;
    if (catchUp) await this.catchUp(client);
    else {
      const { rows } = await client.query<{ id: string | null }>('SELECT max(id)::text AS id FROM "DomainEvent"');
      this.historyFloorId = rows[0]?.id ?? '0';
    }
    this.options.onStateChange?.('connected');
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(this.reconnectDelay.max, this.reconnectDelay.min * 2 ** this.attempts);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.connect(true).catch((error: Error) => {
        this.options.onStateChange?.('disconnected', error);
        this.scheduleReconnect();
      });
    }, delay);
  }

  private async catchUp(client: pg.Client): Promise<void> {
    const since = new Date(Math.max(this.newestSeen - this.lookBackMs, this.notBefore));
    const { rows } = await client.query<EventRow>(
      `SELECT id::text AS id, kind, "organizationId", payload, "createdAt"
         FROM "DomainEvent" WHERE "createdAt" >= $1 AND id > $2::bigint ORDER BY id`,
      [since, this.historyFloorId],
    );
    for (const row of rows) {
      this.deliver({
        id: row.id,
        kind: row.kind,
        organizationId: row.organizationId,
        payload: row.payload,
        createdAt: row.createdAt.toISOString(),
      });
    }
  }

  private deliver(event: PublishedDomainEvent): void {
    if (this.delivered.has(event.id)) return;
    const createdAt = Date.parse(event.createdAt);
    this.delivered.set(event.id, createdAt);
    if (createdAt > this.newestSeen) this.newestSeen = createdAt;
    this.forgetOld();
    this.options.onEvent(event);
  }

  /** Delivered ids older than twice the look-back can no longer come back; drop them. */
  private forgetOld(): void {
    if (this.delivered.size < 10_000) return;
    const horizon = this.newestSeen - 2 * this.lookBackMs;
    for (const [id, createdAt] of this.delivered) if (createdAt < horizon) this.delivered.delete(id);
  }
}
