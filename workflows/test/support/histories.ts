import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/** Recorded histories that the replay test runs against the current workflow code. */
export const historiesDir = fileURLToPath(new URL('../histories/', import.meta.url));

/**
 * Writes a workflow's history to test/histories/<name>.json when the run records them
 * (`PRESSROOM_RECORD_HISTORIES=1`): histories are recorded when a workflow type is added and
 * committed, so the replay test checks later code against what earlier code really did.
 */
export async function saveHistory(client: Client, workflowId: string, name: string): Promise<void> {
  if (process.env.PRESSROOM_RECORD_HISTORIES !== '1') return;
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  await mkdir(historiesDir, { recursive: true });
  await writeFile(`${historiesDir}${name}.json`, historyToJSON(history));
}
