import type { Prisma } from '../generated/client/client.js';

/**
 * Every live-update event, by kind. Events carry ids only (never the data itself): a
 * subscriber re-reads what it sends through the same authorization as a query.
 */
export interface DomainEventMap {
  'batch.progress': { batchId: string; brandId: string };
  'post.changed': { postId: string; brandId: string };
  'publication.changed': { publicationId: string; postId: string };
  'metrics.updated': { socialAccountId: string };
  /**
   * A social account was connected or its status changed. Written by a trigger on the
   * account row (migration account_events), so every path that changes a status announces it.
   */
  'account.changed': { socialAccountId: string; brandId: string; status: string; previousStatus: string | null };
  'audit.recorded': { auditEventId: string };
  /** One per person told in the app. */
  'notification.created': { notificationId: string; userId: string };
  /** A media library upload was created, arrived whole, moved on in processing, changed or was deleted. */
  'media.changed': { mediaAssetId: string; brandId: string };
  /** An ads bulk job was previewed, started, settled a chunk or finished. */
  'ads.bulk_job.changed': { jobId: string };
  /** An ads alert rule fired: a new breach was recorded (its deliveries follow). */
  'ads.alert.fired': { eventId: string };
  /** A delivery of an ads alert event moved on: sent, failed, its outcome unknown, or tried again later. */
  'ads.alert.delivery_changed': { eventId: string; deliveryId: string };
  /**
   * What the ads home shows of a connection moved on: connected or disconnected, its inventory
   * read (lastInventorySyncAt), its daily facts backfill advanced (factsProgress), or its
   * health changed (status, last success, TikTok's last error).
   */
  'ads.connection.changed': { connectionId: string };
}

export type DomainEventKind = keyof DomainEventMap;

export interface DomainEventInput<K extends DomainEventKind = DomainEventKind> {
  kind: K;
  organizationId: string;
  payload: DomainEventMap[K];
}

/** What travels in NOTIFY and reaches listeners: the event row, small. */
export interface PublishedDomainEvent<K extends DomainEventKind = DomainEventKind> {
  id: string;
  kind: K;
  organizationId: string;
  payload: DomainEventMap[K];
  createdAt: string;
}

/** The Postgres channel every api instance LISTENs on. */
export const eventChannel = 'pressroom_events';

/**
 * Announced by triggers (migration read_invalidation) whenever a row the api's cached reads are
 * built from changes; the payload is the organization id whose cached answers it outdates.
 */
export const readsChannel = 'pressroom_reads';

// NOTIFY refuses payloads of 8000 bytes or more; ours are ids and a kind.
const maxNotifyBytes = 7_900;

type Transaction = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

/**
 * Records an event and announces it, inside the caller's transaction: the NOTIFY is delivered
 * only when that transaction commits, so no listener hears of an event before its data is
 * visible, and a rolled-back change announces nothing.
 */
export async function emitEvent<K extends DomainEventKind>(
  tx: Transaction,
  event: DomainEventInput<K>,
): Promise<PublishedDomainEvent<K>> {
  const payload = JSON.stringify(event.payload);
  const rows = await tx.$queryRaw<Array<{ id: bigint; createdAt: Date }>>`
    INSERT INTO "DomainEvent" ("organizationId", "kind", "payload")
    VALUES (${event.organizationId}, ${event.kind}, ${payload}::jsonb)
    RETURNING "id", "createdAt"`;
  const row = rows[0]!;
  const published: PublishedDomainEvent<K> = {
    id: row.id.toString(),
    kind: event.kind,
    organizationId: event.organizationId,
    payload: event.payload,
    createdAt: row.createdAt.toISOString(),
  };
  const message = JSON.stringify(published);
  if (Buffer.byteLength(message) > maxNotifyBytes) {
    throw new Error(`event ${event.kind} is ${Buffer.byteLength(message)} bytes; events carry ids, not data`);
  }
  await tx.$executeRaw`SELECT pg_notify(${eventChannel}, ${message})`;
  return published;
}

/**
 * Deletes events older than `keepMs`. Listeners re-read at most their look-back window (a
 * minute) after a reconnect, so a day of history is ample; run it on a schedule.
 */
export async function pruneDomainEvents(tx: Transaction, keepMs: number, now: Date = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - keepMs);
  return tx.$executeRaw`DELETE FROM "DomainEvent" WHERE "createdAt" < ${cutoff}`;
}
