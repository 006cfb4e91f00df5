// The fault harness's generation batches and its check of what the subscriber heard.
//
// Batches are created as the dashboard creates them (the createBatch mutation on the api that
// survives), so the generation workflow, its activities and the AI emulator all run under the
// fault. Afterwards each must have ended (READY, PARTIAL or FAILED), with exactly one post per
// requested index, its counters agreeing with its posts, and every failed post giving a reason.
//
// Events: subscriptions send the row as it is when the event is delivered (events carry ids
// only, and two queued events about one row collapse into one), so a subscriber cannot be
// expected to hear every intermediate state. What it must hear, for each publication, post and
// batch: something for each one that had an event committed after it subscribed, the state
// PostgreSQL ended on, its states in lifecycle order with nothing after the final one, and never
// more messages than the events table holds for it (an event delivered twice).
import type { Database } from '@pressroom/db';
import type { Subscriber } from './subscriber.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BatchOutcome {
  batches: number;
  /** Posts asked for over all batches. */
  requested: number;
  /** READY, PARTIAL or FAILED. */
  ended: number;
  /** Of those: READY, PARTIAL, FAILED. */
  ready: number;
  partial: number;
  failed: number;
  /** Posts made (IN_REVIEW), posts failed (GENERATION_FAILED), over all batches. */
  generated: number;
  postsFailed: number;
  /** Batches not ended `settleMs` after the fault cleared. */
  stuck: number;
  /** Batch posts beyond one per index. */
  duplicates: number;
  /** Indexes with no post in an ended batch. */
  missing: number;
  /** Batches whose counters disagree with their posts, or failed posts without a reason. */
  inconsistent: number;
  /** ms from clearing the fault until the last batch ended. */
  settledAfterMs: number | undefined;
  details: string[];
}

export const emptyBatchOutcome = (): BatchOutcome => ({
  batches: 0,
  requested: 0,
  ended: 0,
  ready: 0,
  partial: 0,
  failed: 0,
  generated: 0,
  postsFailed: 0,
  stuck: 0,
  duplicates: 0,
  missing: 0,
  inconsistent: 0,
  settledAfterMs: undefined,
  details: [],
});

const endedBatch = new Set(['READY', 'PARTIAL', 'FAILED', 'CANCELLED']);

/** `count` posts a batch, mixed formats (text, a rendered carousel, an article). */
export async function createBatches(
  db: Database,
  apiUrl: string,
  cookie: string,
  tenant: { organizationId: string; brandId: string },
  options: { batches: number; batchSize: number },
): Promise<string[]> {
  if (options.batches === 0) return [];
  await db.organizationSettings.upsert({
    where: { organizationId: tenant.organizationId },
    create: { organizationId: tenant.organizationId, aiTextEnabled: true },
    update: { aiTextEnabled: true },
  });
  const cycle = ['TEXT', 'CAROUSEL', 'ARTICLE'];
  const formats = Array.from({ length: options.batchSize }, (_, index) => cycle[index % cycle.length]);
  const ids: string[] = [];
  for (let batch = 0; batch < options.batches; batch++) {
    const response = await fetch(`${apiUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({
        query: `mutation ($brand: ID!, $count: Int!, $formats: [PostFormat!]) {
          createBatch(brandId: $brand, brief: "Autumn roastery news, part ${batch + 1}", count: $count, formats: $formats,
                      platforms: [INSTAGRAM, BLOG]) {
            __typename
            ... on MutationCreateBatchSuccess { data { id } }
            ... on Error { message }
          }
        }`,
        variables: {
          brand: Buffer.from(`Brand:${tenant.brandId}`).toString('base64url'),
          count: options.batchSize,
          formats,
        },
      }),
    });
    const body = (await response.json()) as {
      data?: { createBatch?: { data?: { id: string }; message?: string } };
      errors?: unknown;
    };
    const id = body.data?.createBatch?.data?.id;
    if (!id) throw new Error(`createBatch refused: ${JSON.stringify(body).slice(0, 500)}`);
    ids.push(
      Buffer.from(id, 'base64url')
        .toString('utf8')
        .replace(/^Batch:/, ''),
    );
  }
  return ids;
}

/** Waits (until `deadline`) for every batch to end, then checks what each holds. */
export async function checkBatches(
  db: Database,
  batchIds: string[],
  requested: number,
  cleared: number,
  deadline: number,
): Promise<BatchOutcome> {
  const outcome = emptyBatchOutcome();
  outcome.batches = batchIds.length;
  outcome.requested = batchIds.length * requested;
  if (batchIds.length === 0) return outcome;
  const read = () =>
    db.batch.findMany({
      where: { id: { in: batchIds } },
      include: {
        posts: { select: { id: true, batchIndex: true, status: true, generationError: true } },
      },
    });
  let batches = await read().catch(() => []);
  while (Date.now() < deadline) {
    if (batches.length === batchIds.length && batches.every((batch) => endedBatch.has(batch.status))) {
      outcome.settledAfterMs = Date.now() - cleared;
      break;
    }
    await sleep(500);
    batches = await read().catch(() => batches);
  }
  batches = await read();
  for (const batch of batches) {
    const ended = endedBatch.has(batch.status);
    if (!ended) {
      outcome.stuck++;
      outcome.details.push(
        `batch stuck: ${batch.id} ${batch.status} (${batch.generatedCount} made, ${batch.failedCount} failed of ${batch.count})`,
      );
      continue;
    }
    outcome.ended++;
    if (batch.status === 'READY') outcome.ready++;
    if (batch.status === 'PARTIAL') outcome.partial++;
    if (batch.status === 'FAILED') outcome.failed++;
    const byIndex = new Map<number, number>();
    for (const post of batch.posts) byIndex.set(post.batchIndex ?? -1, (byIndex.get(post.batchIndex ?? -1) ?? 0) + 1);
    const duplicates = [...byIndex.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const missing = Array.from({ length: batch.count }, (_, index) => index).filter((index) => !byIndex.has(index));
    const made = batch.posts.filter((post) => post.status === 'IN_REVIEW').length;
    const failed = batch.posts.filter((post) => post.status === 'GENERATION_FAILED');
    outcome.generated += made;
    outcome.postsFailed += failed.length;
    if (duplicates) {
      outcome.duplicates += duplicates;
      outcome.details.push(`batch ${batch.id}: ${batch.posts.length} posts for ${batch.count} indexes`);
    }
    if (missing.length) {
      outcome.missing += missing.length;
      outcome.details.push(`batch ${batch.id} ${batch.status}: no post at index ${missing.join(', ')}`);
    }
    const wrong: string[] = [];
    if (batch.posts.length - failed.length !== made) wrong.push(`posts neither made nor failed`);
    if (batch.generatedCount !== made) wrong.push(`generatedCount ${batch.generatedCount}, ${made} IN_REVIEW`);
    if (batch.failedCount !== failed.length) wrong.push(`failedCount ${batch.failedCount}, ${failed.length} failed`);
    if (failed.some((post) => !post.generationError)) wrong.push('a failed post without a reason');
    const expectedStatus = batch.failedCount === 0 ? 'READY' : batch.generatedCount > 0 ? 'PARTIAL' : 'FAILED';
    if (batch.status !== expectedStatus) wrong.push(`${batch.status}, its counts say ${expectedStatus}`);
    if (!batch.completedAt) wrong.push('no completedAt');
    if (wrong.length) {
      outcome.inconsistent++;
      outcome.details.push(`batch ${batch.id}: ${wrong.join('; ')}`);
    }
    for (const post of failed) outcome.details.push(`batch post failed: ${(post.generationError ?? '').slice(0, 120)}`);
  }
  return outcome;
}

/** Where a state stands in its lifecycle; a state heard must never come before one heard earlier. */
const lifecycle: Record<string, number> = {
  // publications
  SCHEDULED: 0,
  PUBLISHING: 1,
  PUBLISHED: 2,
  FAILED: 2,
  CANCELLED: 2,
  // batch posts (a post's review comes after its batch)
  GENERATING: 0,
  IN_REVIEW: 1,
  GENERATION_FAILED: 1,
  // batches
  QUEUED: 0,
  READY: 2,
  PARTIAL: 2,
};
const batchLifecycle: Record<string, number> = { ...lifecycle, GENERATING: 1, FAILED: 2 };

export interface Heard {
  state: string;
  /** For batches: posts made plus posts failed, which never goes down. */
  progress?: number;
}

interface Tracked {
  kind: 'publication' | 'post' | 'batch';
  id: string;
  /** What PostgreSQL holds now. */
  final: string;
  finalProgress?: number;
  heard: Heard[];
  /** Events for it committed after the subscription was registered, and in all. */
  committedAfter: number;
  committedTotal: number;
}

/** What is wrong with what was heard of one thing; empty when nothing is. */
export function judgeHeard(thing: Tracked): string[] {
  const name = `${thing.kind} ${thing.id}`;
  const problems: string[] = [];
  const rank = thing.kind === 'batch' ? batchLifecycle : lifecycle;
  if (thing.committedAfter > 0 && thing.heard.length === 0) {
    problems.push(`${name}: ${thing.committedAfter} event(s) committed, nothing heard (now ${thing.final})`);
    return problems;
  }
  if (thing.heard.length > thing.committedTotal) {
    problems.push(`${name}: ${thing.heard.length} messages heard for ${thing.committedTotal} events committed`);
  }
  const last = thing.heard.at(-1);
  if (thing.committedAfter > 0 && last && (last.state !== thing.final || last.progress !== thing.finalProgress)) {
    problems.push(
      `${name}: last heard ${last.state}${last.progress !== undefined ? `/${last.progress}` : ''}, PostgreSQL holds ${thing.final}${thing.finalProgress !== undefined ? `/${thing.finalProgress}` : ''}`,
    );
  }
  for (let index = 1; index < thing.heard.length; index++) {
    const before = thing.heard[index - 1]!;
    const now = thing.heard[index]!;
    const backwards =
      (rank[now.state] ?? 99) < (rank[before.state] ?? 99) ||
      (now.progress !== undefined && before.progress !== undefined && now.progress < before.progress);
    // The final state heard, then a different one: a stale read delivered late.
    const afterFinal = before.state === thing.final && now.state !== thing.final;
    if (backwards || afterFinal) {
      problems.push(`${name}: heard ${thing.heard.map((heard) => heard.state).join(' → ')}`);
      break;
    }
  }
  return problems;
}

/** The newest DomainEvent id now: events above it are committed after this moment. */
export async function eventFloor(db: Database): Promise<bigint> {
  const rows = await db.$queryRaw<Array<{ id: bigint | null }>>`SELECT max(id) AS id FROM "DomainEvent"`;
  return rows[0]?.id ?? 0n;
}

async function committed(db: Database, organizationId: string, kind: string, key: string, floor: bigint) {
  const rows = await db.$queryRaw<Array<{ id: string; after: bigint; total: bigint }>>`
    SELECT payload->>${key} AS id, count(*) FILTER (WHERE id > ${floor}) AS after, count(*) AS total
      FROM "DomainEvent" WHERE "organizationId" = ${organizationId} AND kind = ${kind}
     GROUP BY 1`;
  return new Map(rows.map((row) => [row.id, { after: Number(row.after), total: Number(row.total) }]));
}

export interface HeardCheck {
  problems: string[];
  /** Things (publications, batch posts, batches) with at least one problem. */
  wrong: number;
  heard: number;
}

/** What the subscriber heard against what PostgreSQL holds and the events table recorded. */
export async function checkEvents(
  db: Database,
  subscriber: Subscriber,
  scope: {
    organizationId: string;
    publicationIds: string[];
    /** The floor when the publication and post subscriptions were registered. */
    floor: bigint;
    batchIds: string[];
    /** The floor when the batch subscriptions were registered. */
    batchFloor: bigint;
  },
): Promise<HeardCheck> {
  const things: Tracked[] = [];
  const publications = await db.publication.findMany({
    where: { id: { in: scope.publicationIds } },
    select: { id: true, state: true },
  });
  const publicationEvents = await committed(
    db,
    scope.organizationId,
    'publication.changed',
    'publicationId',
    scope.floor,
  );
  for (const publication of publications) {
    const counts = publicationEvents.get(publication.id) ?? { after: 0, total: 0 };
    things.push({
      kind: 'publication',
      id: publication.id,
      final: publication.state,
      heard: subscriber.events.filter((e) => e.publicationId === publication.id).map((e) => ({ state: e.state })),
      committedAfter: counts.after,
      committedTotal: counts.total,
    });
  }
  if (scope.batchIds.length) {
    const posts = await db.post.findMany({
      where: { batchId: { in: scope.batchIds } },
      select: { id: true, status: true },
    });
    const postEvents = await committed(db, scope.organizationId, 'post.changed', 'postId', scope.floor);
    for (const post of posts) {
      const counts = postEvents.get(post.id) ?? { after: 0, total: 0 };
      things.push({
        kind: 'post',
        id: post.id,
        final: post.status,
        heard: subscriber.postEvents.filter((e) => e.postId === post.id).map((e) => ({ state: e.status })),
        committedAfter: counts.after,
        committedTotal: counts.total,
      });
    }
    const batches = await db.batch.findMany({
      where: { id: { in: scope.batchIds } },
      select: { id: true, status: true, generatedCount: true, failedCount: true },
    });
    const batchEvents = await committed(db, scope.organizationId, 'batch.progress', 'batchId', scope.batchFloor);
    for (const batch of batches) {
      const counts = batchEvents.get(batch.id) ?? { after: 0, total: 0 };
      things.push({
        kind: 'batch',
        id: batch.id,
        final: batch.status,
        finalProgress: batch.generatedCount + batch.failedCount,
        heard: subscriber.batchEvents
          .filter((e) => e.batchId === batch.id)
          .map((e) => ({ state: e.status, progress: e.generatedCount + e.failedCount })),
        committedAfter: counts.after,
        committedTotal: counts.total,
      });
    }
  }
  const problems: string[] = [];
  let wrong = 0;
  for (const thing of things) {
    const found = judgeHeard(thing);
    if (found.length) wrong++;
    problems.push(...found);
  }
  return {
    problems,
    wrong,
    heard: subscriber.events.length + subscriber.postEvents.length + subscriber.batchEvents.length,
  };
}
