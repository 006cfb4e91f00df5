import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '@pressroom/db';

/** A stored first answer: the HTTP status and the body exactly as it was sent. */
export interface StoredResponse {
  status: number;
  body: string;
}

export type Claim =
  /** This request holds the key: it runs, then `complete` or `release`s it. */
  | { kind: 'claimed'; id: string }
  /** The key's first request finished: its answer is sent again. */
  | { kind: 'replay'; response: StoredResponse }
  /** The key was used for another request. */
  | { kind: 'reused' }
  /** The key's first request is still running after the wait. */
  | { kind: 'in-progress' };

export interface IdempotencySettings {
  ttlMs: number;
  /** How long a repeat waits for a first request that is still running. */
  waitMs: number;
  pollMs?: number;
}

/** Keys stay apart per credential: one token's key never answers for another token or person. */
export function credentialOf(viewer: { kind: 'user'; userId: string } | { kind: 'apiToken'; apiTokenId: string }) {
  return viewer.kind === 'user' ? `user:${viewer.userId}` : `api-token:${viewer.apiTokenId}`;
}

/** Canonical JSON (object keys sorted), so variables sent in another key order are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(request: { query: string; operationName?: string | null; variables?: unknown }): string {
  return createHash('sha256')
    .update(canonical([request.query, request.operationName ?? null, request.variables ?? null]))
    .digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the key for one request. The unique (credential, key) insert is the lock: of any number
 * of concurrent requests, on any api instance, exactly one inserts the row and runs; the others
 * wait for its answer and replay it, or are told it is still running. Never runs twice.
 */
export async function claimIdempotencyKey(
  db: Database,
  settings: IdempotencySettings,
  input: { credential: string; key: string; requestHash: string },
  now: () => Date = () => new Date(),
): Promise<Claim> {
  const deadline = Date.now() + settings.waitMs;
  for (;;) {
    const expiresAt = new Date(now().getTime() + settings.ttlMs);
    const inserted = await db.$queryRaw<Array<{ id: string }>>`
      INSERT INTO "IdempotencyKey" ("id", "credential", "key", "requestHash", "state", "expiresAt")
      VALUES (${randomUUID()}, ${input.credential}, ${input.key}, ${input.requestHash}, 'RUNNING', ${expiresAt})
      ON CONFLICT ("credential", "key") DO NOTHING
      RETURNING "id"`;
    if (inserted[0]) return { kind: 'claimed', id: inserted[0].id };

    const existing = await db.idempotencyKey.findUnique({
      where: { credential_key: { credential: input.credential, key: input.key } },
    });
    if (!existing) continue; // Released (its request failed before acting) or pruned meanwhile: try again.
    if (existing.expiresAt <= now()) {
      // Past its time but not yet pruned: the key is free again.
      await db.idempotencyKey.deleteMany({ where: { id: existing.id, expiresAt: { lte: now() } } });
      continue;
    }
    if (existing.requestHash !== input.requestHash) return { kind: 'reused' };
    if (existing.state === 'DONE') {
      return {
        kind: 'replay',
        response: { status: existing.responseStatus ?? 200, body: existing.responseBody ?? '' },
      };
    }
    if (Date.now() >= deadline) return { kind: 'in-progress' };
    await sleep(settings.pollMs ?? 100);
  }
}

/** Keeps the first answer for repeats of the request. */
export async function completeIdempotencyKey(db: Database, id: string, response: StoredResponse): Promise<void> {
  await db.idempotencyKey.updateMany({
    where: { id, state: 'RUNNING' },
    data: { state: 'DONE', responseStatus: response.status, responseBody: response.body, completedAt: new Date() },
  });
}

/** Frees the key of a request that did nothing (refused before acting), so a repeat runs afresh. */
export async function releaseIdempotencyKey(db: Database, id: string): Promise<void> {
  await db.idempotencyKey.deleteMany({ where: { id, state: 'RUNNING' } });
}

export async function pruneIdempotencyKeys(db: Database, now: Date = new Date()): Promise<number> {
  const { count } = await db.idempotencyKey.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
