// The fault harness's fast slice (the full run is `node --import tsx api/faults/main.ts`): the
// stack `npm start` runs, each part a process of its own, and two of the faults of issue 17
// injected while AI batches generate, posts publish on every network and syncs run. A worker
// SIGKILLed mid-publish and every api's LISTEN connection cut: each publication still ends
// PUBLISHED or FAILED with a reason, each network holds one post per PUBLISHED publication,
// each batch ends with exactly one post per index, the subscriber hears every publication,
// post and batch end where PostgreSQL says, in lifecycle order, and /ready names the worker
// while it is gone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeHeard } from '../faults/checks.js';
import { runFault, type FaultName, type FaultResult } from '../faults/scenario.js';
import { startFaultStack, type FaultStack } from '../faults/stack.js';

let dataDir: string;
let stack: FaultStack | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pressroom-faults-test-'));
  stack = await startFaultStack({ dataDir });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

const run = (fault: FaultName) =>
  runFault(stack!, fault, {
    posts: 10,
    holdMs: 6_000,
    settleMs: 120_000,
    syncs: 5,
    stalled: 'tiktok',
    batches: 2,
    batchSize: 2,
  });

/** What the acceptance asks of every fault, as one object so a failure shows all of it. */
const outcome = (result: FaultResult) => ({
  settled: result.published + result.failed,
  failedWithoutReason: result.failedWithoutReason,
  stuck: result.stuck,
  duplicates: result.duplicates,
  missingPosts: result.missingPosts,
  eventsMissing: result.eventsMissing,
  batchesEnded: result.batches.ended,
  batchPostsSettled: result.batches.generated + result.batches.postsFailed,
  batchStuck: result.batches.stuck,
  batchDuplicates: result.batches.duplicates,
  batchMissing: result.batches.missing,
  batchInconsistent: result.batches.inconsistent,
  subscriberDropped: result.subscriberDropped,
  readyOk: result.readyOk,
});
const expected = {
  settled: 10,
  failedWithoutReason: 0,
  stuck: 0,
  duplicates: 0,
  missingPosts: 0,
  eventsMissing: 0,
  batchesEnded: 2,
  batchPostsSettled: 4,
  batchStuck: 0,
  batchDuplicates: 0,
  batchMissing: 0,
  batchInconsistent: 0,
  subscriberDropped: false,
  readyOk: true,
};

describe('faults while posts publish and syncs run', () => {
  it(
    'the worker SIGKILLed: nothing stuck or doubled, every final state heard, /ready names the worker',
    { timeout: 300_000 },
    async () => {
      const result = await run('worker');
      expect({ ...outcome(result), details: result.details }).toEqual({ ...expected, details: [] });
      expect(result.readySeen.some((seen) => seen.startsWith('503') && seen.includes('worker'))).toBe(true);
      expect(result.readySeen.at(-1)).toBe('200');
      expect(result.syncsCompleted).toBe(5);
    },
  );

  it('every LISTEN connection cut: the subscriber still hears every final state', { timeout: 300_000 }, async () => {
    const result = await run('listen');
    expect(result.details.filter((line) => line.startsWith('LISTEN connections cut: 0'))).toEqual([]);
    expect({ ...outcome(result), details: result.details.filter((line) => !line.startsWith('LISTEN')) }).toEqual({
      ...expected,
      details: [],
    });
    expect(result.readySeen).toEqual(['200']);
    expect(result.syncsCompleted).toBe(5);
  });
});

describe('the check of what a subscriber heard', () => {
  const publication = (heard: string[], final = 'PUBLISHED', committedAfter = 2, committedTotal = 3) =>
    judgeHeard({
      kind: 'publication',
      id: 'p1',
      final,
      heard: heard.map((state) => ({ state })),
      committedAfter,
      committedTotal,
    });

  it('passes a subscriber that heard the states in order, ending on the final one', () => {
    expect(publication(['PUBLISHING', 'PUBLISHED'])).toEqual([]);
    // Reads are of the row as it is when delivered: an intermediate state may never be heard.
    expect(publication(['PUBLISHED', 'PUBLISHED'])).toEqual([]);
  });

  it('flags nothing heard, a missed final state, a state heard after the final one and one out of order', () => {
    expect(publication([])).toEqual(['publication p1: 2 event(s) committed, nothing heard (now PUBLISHED)']);
    expect(publication(['PUBLISHING'])).toEqual(['publication p1: last heard PUBLISHING, PostgreSQL holds PUBLISHED']);
    expect(publication(['PUBLISHED', 'FAILED'], 'PUBLISHED')).toContain('publication p1: heard PUBLISHED → FAILED');
    expect(publication(['PUBLISHING', 'SCHEDULED', 'PUBLISHED'])).toEqual([
      'publication p1: heard PUBLISHING → SCHEDULED → PUBLISHED',
    ]);
  });

  it('flags more messages than events committed (an event delivered twice)', () => {
    expect(publication(['PUBLISHING', 'PUBLISHED', 'PUBLISHED'], 'PUBLISHED', 2, 2)).toEqual([
      'publication p1: 3 messages heard for 2 events committed',
    ]);
  });

  it('flags a batch post heard failing after it was heard IN_REVIEW', () => {
    const post = (heard: string[]) =>
      judgeHeard({
        kind: 'post',
        id: 'q1',
        final: 'IN_REVIEW',
        heard: heard.map((state) => ({ state })),
        committedAfter: 2,
        committedTotal: 2,
      });
    expect(post(['GENERATING', 'IN_REVIEW'])).toEqual([]);
    expect(post(['IN_REVIEW', 'GENERATION_FAILED'])).toEqual([
      'post q1: last heard GENERATION_FAILED, PostgreSQL holds IN_REVIEW',
      'post q1: heard IN_REVIEW → GENERATION_FAILED',
    ]);
  });

  it('flags a batch whose progress went down or whose last message is not its final count', () => {
    const batch = (heard: Array<[string, number]>) =>
      judgeHeard({
        kind: 'batch',
        id: 'b1',
        final: 'READY',
        finalProgress: 3,
        heard: heard.map(([state, progress]) => ({ state, progress })),
        committedAfter: 4,
        committedTotal: 5,
      });
    expect(
      batch([
        ['GENERATING', 1],
        ['GENERATING', 2],
        ['READY', 3],
      ]),
    ).toEqual([]);
    expect(
      batch([
        ['GENERATING', 2],
        ['GENERATING', 1],
        ['READY', 3],
      ]),
    ).toEqual(['batch b1: heard GENERATING → GENERATING → READY']);
    expect(
      batch([
        ['GENERATING', 2],
        ['READY', 2],
      ]),
    ).toEqual(['batch b1: last heard READY/2, PostgreSQL holds READY/3']);
  });
});
