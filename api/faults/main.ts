// The fault harness (issue 17):
//
//   node --import tsx api/faults/main.ts [--posts 50] [--fault all|postgres,temporal,...] [--hold 20]
//                                        [--syncs 5] [--batches 3] [--batch-size 6] [--stall tiktok]
//                                        [--keep] [--json file]
//
// Starts the stack `npm start` runs (each part a process of its own, two api instances) in a
// new temporary data folder, then for each fault in turn: a fresh organization with an account
// on every emulated network, `--posts` publications scheduled across them and `--syncs`
// analytics syncs started, `--batches` AI generation batches of `--batch-size` posts started
// once publishing is under way, the fault injected right after and cleared after `--hold`
// seconds, and the outcome checked. The stack is shared by the faults (what one fault
// leaves behind is there for the next); each fault's posts and accounts are its own.
// Exits 1 when a fault's result misses the acceptance. Everything started is stopped at the
// end, also on Ctrl-C; `--keep` leaves the data folder (logs in <folder>/logs).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EmulatorInstances } from '../../scripts/stack/emulators.js';
import { faults, passed, runFault, type FaultName, type FaultResult } from './scenario.js';
import { startFaultStack, type FaultStack } from './stack.js';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '50' },
    fault: { type: 'string', default: 'all' },
    hold: { type: 'string', default: '20' },
    settle: { type: 'string', default: '120' },
    syncs: { type: 'string', default: '5' },
    batches: { type: 'string', default: '3' },
    'batch-size': { type: 'string', default: '6' },
    stall: { type: 'string', default: 'tiktok' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const chosen: FaultName[] =
  values.fault === 'all' ? [...faults] : (values.fault.split(',').map((name) => name.trim()) as FaultName[]);
for (const name of chosen) {
  if (!faults.includes(name)) {
    console.error(`unknown fault ${name}; one of: all, ${faults.join(', ')}`);
    process.exit(2);
  }
}

const say = (line: string) => console.log(`faults: ${line}`);

function table(results: FaultResult[]): string {
  const seconds = (ms: number | undefined) => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);
  const rows = [
    [
      'fault',
      'posts',
      'PUBLISHED',
      'FAILED',
      'stuck',
      'duplicates',
      'missing posts',
      'batches ended/stuck',
      'batch posts made/failed',
      'batch dup/missing/bad',
      'batches settled',
      'events heard',
      'events wrong',
      '/ready seen (surviving api)',
      'settled after clear',
      '/ready 200 after clear',
      'syncs ok/failed',
      'pass',
    ],
    ...results.map((r) => [
      r.fault,
      String(r.posts),
      String(r.published),
      `${r.failed}${r.failedWithoutReason ? ` (${r.failedWithoutReason} no reason)` : ''}`,
      String(r.stuck),
      String(r.duplicates),
      String(r.missingPosts),
      `${r.batches.ended}/${r.batches.stuck}`,
      `${r.batches.generated}/${r.batches.postsFailed}`,
      `${r.batches.duplicates}/${r.batches.missing}/${r.batches.inconsistent}`,
      seconds(r.batches.settledAfterMs),
      String(r.eventsHeard),
      `${r.eventsMissing}${r.subscriberDropped ? ' (dropped)' : ''}`,
      r.readySeen.join(' → '),
      seconds(r.settledAfterMs),
      seconds(r.readyAfterMs),
      `${r.syncsCompleted}/${r.syncsFailed}`,
      passed(r) ? 'yes' : 'NO',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')).join('\n');
}

const dataDir = await mkdtemp(join(tmpdir(), 'pressroom-faults-'));
let stack: FaultStack | undefined;
let interrupted = false;
const finish = async () => {
  await stack?.stop();
  if (!values.keep) await rm(dataDir, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    say(`${signal}: stopping`);
    void finish().then(() => process.exit(130));
  });
}

const results: FaultResult[] = [];
try {
  say(`data in ${dataDir}`);
  stack = await startFaultStack({ dataDir, log: say });
  for (const fault of chosen) {
    if (interrupted) break;
    const result = await runFault(stack, fault, {
      posts: Number(values.posts),
      holdMs: Number(values.hold) * 1000,
      settleMs: Number(values.settle) * 1000,
      syncs: Number(values.syncs),
      batches: Number(values.batches),
      batchSize: Number(values['batch-size']),
      stalled: values.stall as keyof EmulatorInstances,
      log: say,
    });
    results.push(result);
    say(`${fault}: ${passed(result) ? 'pass' : 'FAIL'}`);
    for (const line of result.details) say(`  ${line}`);
    for (const [reason, count] of Object.entries(result.failureReasons)) say(`  FAILED ×${count}: ${reason}`);
  }
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await finish();
}
if (results.length) {
  console.log(`\n${table(results)}\n`);
  if (values.json) await writeFile(values.json, JSON.stringify(results, null, 2));
  if (!results.every(passed)) process.exitCode = 1;
}
