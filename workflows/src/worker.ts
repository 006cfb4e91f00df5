import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from './activities/index.js';
import { taskQueue as defaultTaskQueue } from './client.js';
import { quietBundlerLogger } from './logging.js';

export interface PressroomWorkerOptions {
  address: string;
  namespace: string;
  /** Everything the activities need; `taskQueue` there is also the queue this worker polls. */
  activities: Omit<ActivityDependencies, 'taskQueue'> & { taskQueue?: string };
  /** Worker tuning for tests (sticky queue timeouts, concurrency). */
  tuning?: Pick<WorkerOptions, 'stickyQueueScheduleToStartTimeout' | 'maxConcurrentActivityTaskExecutions'>;
  /**
   * A workflow bundle built beforehand (bundleWorkflowCode's code in a file): the crash tests
   * start worker processes again and again, and bundling is most of a start.
   */
  workflowBundlePath?: string;
}

export const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

export async function createPressroomWorker(
  options: PressroomWorkerOptions,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const taskQueue = options.activities.taskQueue ?? defaultTaskQueue;
  // Bundled here rather than by Worker.create, to keep webpack's build report (dozens of lines
  // on every start) at debug: one line says the bundle is made.
  const logger = Runtime.instance().logger;
  const started = performance.now();
  const workflowBundle = options.workflowBundlePath
    ? { codePath: options.workflowBundlePath }
    : await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger(logger) });
  if ('code' in workflowBundle) {
    logger.info('workflows bundled', {
      sizeKb: Math.round(workflowBundle.code.length / 1024),
      ms: Math.round(performance.now() - started),
    });
  }
  const connection = await NativeConnection.connect({ address: options.address });
  try {
    const worker = await Worker.create({
      connection,
      namespace: options.namespace,
      taskQueue,
      workflowBundle,
      activities: createActivities({ ...options.activities, taskQueue }),
      ...options.tuning,
    });
    return { worker, connection };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
