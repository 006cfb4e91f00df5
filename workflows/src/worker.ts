import { fileURLToPath } from 'node:url';
import type { Database } from '@pressroom/db';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from './activities/index.js';
import { taskQueue } from './client.js';

export interface PressroomWorkerOptions {
  db: Database;
  address: string;
  namespace: string;
}

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export async function createPressroomWorker(
  options: PressroomWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue,
    workflowsPath,
    activities: createActivities({ db: options.db }),
  });
  return { worker, connection };
}
