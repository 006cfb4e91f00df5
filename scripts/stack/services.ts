import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from './config.js';

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

/**
 * Runs one of the platform's TypeScript entry points (api, worker...) with its output prefixed,
 * written to this process's stdout and stderr unless `output` says where instead.
 */
export function startService(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  output: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
): ServiceProcess {
  // node itself (with tsx's loader), not the tsx CLI: signals then reach the service directly.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches the stack, which then stops services in order.
    detached: true,
  });
  const prefix = `[${name}] `;
  for (const [stream, out] of [
    [child.stdout, output.stdout],
    [child.stderr, output.stderr],
  ] as const) {
    stream?.setEncoding('utf8');
    let pending = '';
    stream?.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) out.write(prefix + line + '\n');
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    child,
    exited,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The service leads its own process group; signal the group so nothing is left behind.
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          child.kill(signal);
        }
      };
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
