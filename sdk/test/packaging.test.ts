// The package as an integrator gets it: built and packed with `pnpm pack`, installed from the
// tarball into a project outside the workspace (from the local pnpm store where it can), imported
// both as ESM and CJS, type-checked with an example, and that example run against a live api.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedApiToken, seedOrganization, startTestApi, type TestApi } from '../../api/test/kit.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const sdk = join(root, 'sdk');
const pnpm = process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm';

let work: string;
let api: TestApi;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'pressroom-sdk-consumer-'));
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('pnpm pack → install outside the workspace → ESM and CJS import, tsc, and an example runs', async () => {
  const packs = join(work, 'packs');
  // `prepack` builds with tsup: the tarball is what `pnpm publish` would send.
  await run(pnpm, ['pack', '--pack-destination', packs], { cwd: sdk, timeout: 240_000 });
  const [tarball] = await readdir(packs);
  expect(tarball).toMatch(/^pressroom-sdk-\d+\.\d+\.\d+\.tgz$/);

  const project = join(work, 'consumer');
  await run('mkdir', ['-p', project]);
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // graphql-ws names graphql as a peer it needs only on the server side; the sdk uses its
  // client alone. Not installing peers keeps the install to the packages the workspace has.
  await writeFile(join(project, '.npmrc'), 'auto-install-peers=false\nstrict-peer-dependencies=false\n');
  // Packages come from the local store; their metadata from the registry when the machine's
  // cache lacks it (a fresh machine's `pnpm install --frozen-lockfile` reads the lockfile and
  // caches no metadata, so --offline could not resolve the sdk's own dependency ranges).
  await run(pnpm, ['add', join(packs, tarball!), '--prefer-offline'], { cwd: project, timeout: 240_000 });

  const esm = await run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { Pressroom, NotFoundError, verifyWebhook } from '@pressroom/sdk'; import { createMcpServer } from '@pressroom/sdk/mcp'; console.log([typeof Pressroom, typeof NotFoundError, typeof verifyWebhook, typeof createMcpServer].join())",
    ],
    { cwd: project },
  );
  expect(esm.stdout.trim()).toBe('function,function,function,function');
  const cjs = await run(
    process.execPath,
    [
      '-e',
      "const sdk = require('@pressroom/sdk'); const e = new sdk.RateLimitedError('RATE_LIMITED', 'slow', { retryAfterSeconds: 3 }); console.log(typeof sdk.Pressroom, e instanceof sdk.ApiError, e.retryAfter)",
    ],
    { cwd: project },
  );
  expect(cjs.stdout.trim()).toBe('function true 3');

  // The example, type-checked against the installed declarations and compiled to JavaScript.
  await copyFile(join(sdk, 'examples/posts.ts'), join(project, 'posts.ts'));
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        outDir: 'out',
        lib: ['ES2023', 'DOM'],
        // Node's types from the workspace (the consumer's registry metadata is not in the store).
        typeRoots: [join(root, 'node_modules/@types')],
        types: ['node'],
      },
      files: ['posts.ts'],
    }),
  );
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', project], { cwd: project }).catch((error: { stdout: string }) => {
    throw new Error(`tsc failed:\n${error.stdout}`);
  });

  const org = await seedOrganization(api);
  const { token } = await seedApiToken(api, org.organization.id, ['brands:read', 'posts:read', 'posts:write']);
  const example = await run(process.execPath, [join(project, 'out/posts.js')], {
    cwd: project,
    env: { ...process.env, PRESSROOM_URL: api.url, PRESSROOM_TOKEN: token },
    timeout: 60_000,
  });
  const lines = example.stdout.trim().split('\n');
  expect(lines[0]).toBe('brands: Brand');
  expect(lines[1]).toMatch(/^draft: \S+ DRAFT "Written by the sdk example"$/);
  expect(lines[2]).toBe('drafts in Brand: 2');
  expect(lines[3]).toMatch(/^refused: .*count/);
  expect(
    await api.db.post.count({ where: { organizationId: org.organization.id, caption: 'Written by the sdk example' } }),
  ).toBe(1);
}, 300_000);
