// The fault harness's fast slice (the full run is `node --import tsx api/faults/main.ts`): the
// stack `npm start` runs, each part a process of its own, and two of the faults of issue 17
// injected while posts publish on every network and syncs run. A worker SIGKILLed mid-publish
// and every api's LISTEN connection cut: each publication still ends PUBLISHED or FAILED with a
// reason, each network holds one post per PUBLISHED publication, the subscriber hears the final
// state of each, and /ready names the worker while it is gone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  runFault(stack!, fault, { posts: 10, holdMs: 6_000, settleMs: 120_000, syncs: 5, stalled: 'tiktok' });

/** What the acceptance asks of every fault, as one object so a failure shows all of it. */
const outcome = (result: FaultResult) => ({
  settled: result.published + result.failed,
  failedWithoutReason: result.failedWithoutReason,
  stuck: result.stuck,
  duplicates: result.duplicates,
  missingPosts: result.missingPosts,
  eventsMissing: result.eventsMissing,
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
