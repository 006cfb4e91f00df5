// Worker PROCESSES for the crash tests: started with `--import tsx` on an entry under
// test/support, SIGKILLed in the middle of work, started again. One place for what the
// three crash-test files each repeated.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowsPath } from '../../src/worker.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (message: string) => console.error(message),
};

export interface WorkerProcesses {
  /** Bundles the workflows for every process to come (call in beforeAll: it takes seconds). */
  prepare(): Promise<void>;
  /** Starts a worker process and resolves once it polls ('worker ready'). */
  start(): Promise<ChildProcess>;
  /** The last process started. */
  readonly current: ChildProcess | undefined;
  /** SIGKILL, resolved once the process is gone. */
  kill(child: ChildProcess): Promise<void>;
  /**
   * Kills every process started, ready or not (one a test left running, or one still starting
   * when a test timed out, would outlive the run and keep polling a Temporal server that is
   * gone).
   */
  stopAll(): Promise<void>;
}

/**
 * `entry` is a file in test/support (publish-worker.ts, ads-worker.ts); `env` is read at each
 * start, so it may name emulators started after this was made.
 */
export function workerProcesses(entry: string, env: () => Record<string, string>): WorkerProcesses {
  const entryPath = fileURLToPath(new URL(`./${entry}`, import.meta.url));
  const spawned = new Set<ChildProcess>();
  let current: ChildProcess | undefined;
  // Bundled once for every process this file starts (each would otherwise bundle on start).
  let bundlePath: Promise<string> | undefined;
  let bundleDir: string | undefined;
  const bundle = () =>
    (bundlePath ??= (async () => {
      const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
      bundleDir = await mkdtemp(join(tmpdir(), 'pressroom-workflow-bundle-'));
      const path = join(bundleDir, 'workflows.js');
      await writeFile(path, code);
      return path;
    })());

  const kill = async (child: ChildProcess) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };

  return {
    get current() {
      return current;
    },
    async prepare() {
      await bundle();
    },
    async start() {
      const workflowBundlePath = await bundle();
      const child = spawn(process.execPath, ['--import', 'tsx', entryPath], {
        cwd: repoRoot,
        env: { ...process.env, ...env(), WORKFLOW_BUNDLE_PATH: workflowBundlePath },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      spawned.add(child);
      child.once('exit', () => spawned.delete(child));
      let output = '';
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      // PRESSROOM_WORKER_OUTPUT=1 shows what the processes log (for a failing crash test).
      if (process.env.PRESSROOM_WORKER_OUTPUT === '1') {
        child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
        child.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk));
      }
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('worker ready')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready:\n${output}`)));
      });
      current = child;
      return child;
    },
    kill,
    async stopAll() {
      await Promise.all([...spawned].map(kill));
      if (bundleDir) await rm(bundleDir, { recursive: true, force: true });
    },
  };
}
