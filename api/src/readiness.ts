import type { Database } from '@pressroom/db';
import { workerPolls, workerPresenceName } from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';

export interface DependencyStatus {
  ok: boolean;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  database: DependencyStatus;
  temporal: DependencyStatus;
  /**
   * A worker polls the task queue and its process is alive: a workflow started now (a
   * schedule, a publish) would run.
   */
  worker: DependencyStatus;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function check(probe: () => Promise<unknown>, what: string): Promise<DependencyStatus> {
  try {
    await withTimeout(probe(), 2_000, what);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Every dependency is probed in parallel, each bounded, so /ready answers within ~2 s. */
export async function checkReadiness(db: Database, temporal: Client, taskQueue: string): Promise<Readiness> {
  const [database, temporalStatus, worker] = await Promise.all([
    check(() => db.$queryRaw`SELECT 1`, 'PostgreSQL'),
    check(() => temporal.workflowService.getSystemInfo({}), 'Temporal'),
    check(async () => {
      if (!(await workerPolls(temporal, taskQueue))) throw new Error(`no worker polls task queue ${taskQueue}`);
      // Temporal lists a killed worker's last poll for a minute or more; PostgreSQL drops a
      // dead process's connection at once (see @pressroom/workflows/presence). This database's
      // workers only: another deployment may share the server and the queue's name.
      const [present] = await db.$queryRaw<Array<{ workers: number }>>`
        SELECT count(*)::int AS workers FROM pg_stat_activity
         WHERE application_name = ${workerPresenceName(taskQueue)} AND datname = current_database()`;
      if (!present?.workers) throw new Error(`no worker process is running for task queue ${taskQueue}`);
    }, 'the worker check'),
  ]);
  return { ready: database.ok && temporalStatus.ok && worker.ok, database, temporal: temporalStatus, worker };
}
