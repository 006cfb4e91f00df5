// `npm test` must fail when a test fails. The run's global setup starts embedded PostgreSQL,
// whose package once ended vitest's own process with code 0 on the way out; this runs a
// one-test suite with a failing test through the same global setup and checks the exit code.
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../stack/config.js';

// Inside the repository, so the suite's `import 'vitest'` resolves; ignored by git.
const suiteDir = join(repoRoot, 'node_modules', '.cache', `pressroom-exit-code-${process.pid}`);
afterAll(() => rm(suiteDir, { recursive: true, force: true }));

function run(testBody: string): Promise<{ code: number | null; output: string }> {
  return (async () => {
    await mkdir(suiteDir, { recursive: true });
    await writeFile(join(suiteDir, 'one.test.ts'), `import { expect, test } from 'vitest';\n${testBody}\n`);
    await writeFile(
      join(suiteDir, 'vitest.config.mjs'),
      `export default { test: { root: ${JSON.stringify(suiteDir)}, include: ['one.test.ts'], ` +
        `globalSetup: [${JSON.stringify(join(repoRoot, 'scripts', 'test', 'global-setup.ts'))}] } };\n`,
    );
    const env = { ...process.env };
    // Its own servers, as on a fresh machine.
    delete env.TEST_DATABASE_URL;
    delete env.TEST_TEMPORAL_ADDRESS;
    const child = spawn(
      join(repoRoot, 'node_modules', '.bin', 'vitest'),
      ['run', '--config', join(suiteDir, 'vitest.config.mjs')],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, output };
  })();
}

describe('the test run’s exit code', () => {
  it(
    'is 1 when a test fails, with the database and Temporal servers started and stopped',
    { timeout: 180_000 },
    async () => {
      const failing = await run(`test('fails on purpose', () => expect(1).toBe(2));`);
      expect(failing.output).toContain('1 failed');
      expect(failing.code, failing.output).toBe(1);
    },
  );
});
