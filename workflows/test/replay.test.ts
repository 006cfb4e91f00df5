import { readdir, readFile } from 'node:fs/promises';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../src/worker.js';
import { historiesDir } from './support/histories.js';

// Histories recorded from real runs (PRESSROOM_RECORD_HISTORIES=1 on the publish tests) must
// replay against the current workflow code: a change that breaks one needs patched() or a
// new workflow type.
describe('recorded workflow histories replay against the current code', () => {
  it('replays every recorded history without nondeterminism', { timeout: 180_000 }, async () => {
    const files = (await readdir(historiesDir)).filter((file) => file.endsWith('.json')).sort();
    const histories = await Promise.all(
      files.map(async (file) => ({
        workflowId: file.replace(/\.json$/, ''),
        history: historyFromJSON(JSON.parse(await readFile(`${historiesDir}${file}`, 'utf8'))),
      })),
    );
    const types = new Set(
      histories.map(({ history }) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name),
    );
    // The workflow types with recorded histories (not yet every type the worker registers:
    // the webhook, media, contact, ads sync and AI workflows have none).
    expect([...types].sort()).toEqual([
      'adsBulkJobWorkflow',
      'deletionWorkflow',
      'exportDataWorkflow',
      'generateBatchWorkflow',
      'publishWorkflow',
      'rateGateWorkflow',
      'rejectedMediaWorkflow',
      'retentionWorkflow',
      'reviewWorkflow',
      'syncAccountWorkflow',
    ]);

    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath }, histories)) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
