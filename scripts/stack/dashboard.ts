// The dashboard the api serves is a Vite build (web/dist). `npm start` builds it when it is
// missing or was built from other sources than the ones checked out now.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { repoRoot } from './config.js';
import { StackError } from './errors.js';

const webDir = join(repoRoot, 'web');
/** Written into the build: the hash of the sources it was made from. */
const stampFile = 'build-source.sha256';
const sourceEntries = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'scripts'];

async function filesUnder(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOTDIR') return null;
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  if (entries === null) return [path];
  const nested = await Promise.all(
    entries.map(async (entry) => (entry.isDirectory() ? filesUnder(join(path, entry.name)) : [join(path, entry.name)])),
  );
  return nested.flat();
}

/** A hash of every file the build reads (paths and contents), independent of mtimes. */
export async function dashboardSourceHash(dir = webDir): Promise<string> {
  const files = (await Promise.all(sourceEntries.map((entry) => filesUnder(join(dir, entry))))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash
      .update(relative(dir, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

export async function dashboardBuildIsCurrent(dir = webDir): Promise<boolean> {
  const [stamp, index] = await Promise.all([
    readFile(join(dir, 'dist', stampFile), 'utf8').catch(() => null),
    readFile(join(dir, 'dist', 'index.html'), 'utf8').catch(() => null),
  ]);
  return index !== null && stamp?.trim() === (await dashboardSourceHash(dir));
}

async function waitForOtherBuild(timeoutMs = 180_000): Promise<void> {
  const started = Date.now();
  while (!(await dashboardBuildIsCurrent())) {
    if (Date.now() - started > timeoutMs) throw new StackError('another dashboard build did not finish in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: webDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/**
 * Builds the dashboard unless its build matches the sources; says which it did. The build is
 * made in a folder of its own and swapped in whole, so two launchers building at once (tests
 * running side by side) never serve or stamp a half-written one.
 */
export async function ensureDashboardBuilt(say: (line: string) => void): Promise<void> {
  if (await dashboardBuildIsCurrent()) {
    say('dashboard build is up to date');
    return;
  }
  say('building the dashboard ...');
  const hash = await dashboardSourceHash();
  const fresh = join(webDir, `.dist-${process.pid}-${Date.now()}`);
  try {
    // The generated operations are committed (pnpm codegen); the launcher only bundles.
    const build = await run('pnpm', ['exec', 'vite', 'build', '--outDir', fresh, '--emptyOutDir']);
    if (build.code !== 0 && /another Vite build process/.test(build.output)) {
      // Vite builds one at a time per project: another launcher is building the same sources.
      await waitForOtherBuild();
      say('dashboard built by another launcher');
      return;
    }
    if (build.code !== 0) throw new StackError(`building the dashboard failed:\n${build.output}`);
    const report = await run(process.execPath, ['scripts/report-size.mjs', fresh]);
    if (report.code !== 0) throw new StackError(`the dashboard is too large:\n${report.output}`);
    await writeFile(join(fresh, stampFile), `${hash}\n`);
    const previous = `${fresh}-previous`;
    await rename(join(webDir, 'dist'), previous).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rm(previous, { recursive: true, force: true });
    try {
      await rename(fresh, join(webDir, 'dist'));
    } catch (error) {
      // Another launcher put its build in place first; the same sources make the same build.
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !(await dashboardBuildIsCurrent())) throw error;
    }
    const size = /initial JavaScript [^\n]+/.exec(report.output)?.[0];
    say(`dashboard built${size ? ` (${size})` : ''}`);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}
