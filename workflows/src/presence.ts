// A worker process's presence, as PostgreSQL sees it: one connection named after the task queue,
// held while the process lives. The api's /ready counts such connections. Temporal alone cannot
// tell a killed worker from an idle one for a minute or more (it lists pollers by their last
// long poll), while PostgreSQL drops a connection the moment its process dies, SIGKILL included.
import pg from 'pg';
import { workerPresenceName } from './client.js';

export interface WorkerPresence {
  /** Whether the named connection is open right now. */
  readonly held: boolean;
  stop(): Promise<void>;
}

/**
 * Holds the presence connection for `taskQueue`, opening it again after a loss (PostgreSQL
 * restarted, the connection cut) every `retryMs`; never throws.
 */
export function holdWorkerPresence(options: {
  databaseUrl: string;
  taskQueue: string;
  retryMs?: number;
  onError?: (error: Error) => void;
}): WorkerPresence {
  let client: pg.Client | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const retryMs = options.retryMs ?? 1_000;
  const open = () => {
    if (stopped) return;
    const next = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: workerPresenceName(options.taskQueue),
    });
    const lost = (error?: Error) => {
      if (error) options.onError?.(error);
      if (client === next) client = undefined;
      next.end().catch(() => {});
      if (!stopped && !timer) timer = setTimeout(() => ((timer = undefined), open()), retryMs);
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.connect().then(
      () => {
        if (stopped) void next.end().catch(() => {});
        else client = next;
      },
      (error: Error) => lost(error),
    );
  };
  open();
  return {
    get held() {
      return client !== undefined;
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      const last = client;
      client = undefined;
      await last?.end().catch(() => {});
    },
  };
}
