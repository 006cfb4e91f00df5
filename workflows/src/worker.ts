import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from './activities/index.js';
import { taskQueue as defaultTaskQueue } from './client.js';

export interface PressroomWorkerOptions {
  address: string;
  namespace: string;
  /** Everything the activities need; `taskQueue` there is also the queue this worker polls. */
  activities: Omit<ActivityDependencies, 'taskQueue'> & { taskQueue?: string };
  /** Worker tuning for tests (sticky queue timeouts, concurrency). */
  tuning?: Pick<WorkerOptions, 'stickyQueueScheduleToStartTimeout' | 'maxConcurrentActivityTaskExecutions'>;
}

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export async function createPressroomWorker(
  options: PressroomWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const taskQueue = options.activities.taskQueue ?? defaultTaskQueue;
  const connection = await NativeConnection.connect({ address: options.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue,
      workflowsPath,
      activities: createActivities({ ...options.activities, taskQueue }),
      ...options.tuning,
    });
    return { worker, connection };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
