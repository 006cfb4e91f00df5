// The dashboard the api serves is a Vite build (web/dist). `npm start` builds it when it is
// missing or was built from other sources than the ones checked out now.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
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

/** Builds the dashboard unless its build matches the sources; says which it did. */
export async function ensureDashboardBuilt(say: (line: string) => void): Promise<void> {
  if (await dashboardBuildIsCurrent()) {
    say('dashboard build is up to date');
    return;
  }
  say('building the dashboard ...');
  const hash = await dashboardSourceHash();
  const child = spawn('pnpm', ['--filter', '@pressroom/web', 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new StackError(`building the dashboard failed:\n${output}`);
  const size = /initial JavaScript [^\n]+/.exec(output)?.[0];
  await writeFile(join(webDir, 'dist', stampFile), `${hash}\n`);
  say(`dashboard built${size ? ` (${size})` : ''}`);
}
