// The first thing `npm start` and `npm test` run, on a machine that may have only Node and
// npm: it finds or installs pnpm, installs the workspace's dependencies when they are missing
// or stale, and generates the Prisma client. Plain Node with no dependencies, on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = dirname(dirname(fileURLToPath(import.meta.url)));
const toolsDir = join(root, '.tools');

export function fail(message) {
  console.error(`pressroom: ${message}`);
  process.exit(1);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(`Node ${process.versions.node} is too old; install Node 20.19 or newer (22 and 24 work too).`);
  }
}

function pinnedPnpm() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const match = /^pnpm@(\d+\.\d+\.\d+)/.exec(manifest.packageManager ?? '');
  if (!match) fail('package.json has no pnpm version in "packageManager".');
  return match[1];
}

function run(command, args, options = {}) {
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

/** pnpm 10 from PATH if present, else the pinned version installed under .tools/ (no root needed). */
function findPnpm() {
  const version = pinnedPnpm();
  const onPath = spawnSync('pnpm', ['--version'], { cwd: root, encoding: 'utf8', shell: process.platform === 'win32' });
  if (onPath.status === 0 && onPath.stdout.trim().startsWith('10.')) return 'pnpm';
  const local = join(toolsDir, 'pnpm', 'node_modules', '.bin', process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm');
  if (!existsSync(local)) {
    console.log(`pressroom: installing pnpm ${version} under .tools/ ...`);
    const result = run(
      'npm',
      ['install', '--prefix', join(toolsDir, 'pnpm'), '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${version}`],
      {
        shell: process.platform === 'win32',
      },
    );
    if (result.status !== 0 || !existsSync(local))
      fail(`could not install pnpm ${version} with npm; install it yourself: npm i -g pnpm@${version}`);
  }
  return local;
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

const manifests = [
  'package.json',
  'api/package.json',
  'web/package.json',
  'sdk/package.json',
  'workflows/package.json',
  'prisma/package.json',
];

// Written after each successful install: pnpm itself may rewrite the lockfile after its own
// marker files, so their times cannot tell whether an install is current.
const installStamp = join(root, 'node_modules', '.pressroom-installed');

function dependenciesStale() {
  const installed = mtime(installStamp);
  if (!installed || !existsSync(join(root, 'node_modules', '.modules.yaml'))) return true;
  return [...manifests, 'pnpm-lock.yaml', 'pnpm-workspace.yaml'].some((file) => mtime(join(root, file)) > installed);
}

function prismaClientStale() {
  const generated = mtime(join(root, 'prisma', 'generated', 'client', 'client.ts'));
  return !generated || mtime(join(root, 'prisma', 'schema.prisma')) > generated;
}

/** Makes the workspace runnable; pnpm is looked for (and installed) only when needed. */
export function bootstrap() {
  checkNode();
  let pnpm;
  if (dependenciesStale()) {
    pnpm = findPnpm();
    console.log('pressroom: installing dependencies (pnpm install) ...');
    const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
    const result = run(pnpm, ['install', ...frozen], { shell: process.platform === 'win32' });
    if (result.status !== 0)
      fail('pnpm install failed (see above). Check your network access to the npm registry and retry.');
    writeFileSync(installStamp, `${new Date().toISOString()}\n`);
  }
  if (prismaClientStale()) {
    pnpm ??= findPnpm();
    const result = run(pnpm, ['--filter', '@pressroom/db', 'generate'], { shell: process.platform === 'win32' });
    if (result.status !== 0) fail('prisma generate failed (see above).');
  }
}
