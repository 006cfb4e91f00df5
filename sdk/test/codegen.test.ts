// The committed typed documents are what `pnpm codegen` makes from the operations and
// api/schema.graphql right now: regenerate into a temporary folder and compare.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { expect, test } from 'vitest';
import config from '../../codegen.js';

const root = resolve(import.meta.dirname, '../..');
const committed = join(root, 'sdk/src/generated');

test('sdk/src/generated matches the operations and schema (run `pnpm codegen` if not)', async () => {
  const target = config.generates['sdk/src/generated/'];
  expect(target).toBeDefined();
  const out = await mkdtemp(join(tmpdir(), 'sdk-codegen-'));
  try {
    const fresh: CodegenConfig = {
      ...config,
      cwd: root,
      silent: true,
      generates: { [`${out}/`]: target! },
    };
    await generate(fresh, true);
    const files = (await readdir(out)).sort();
    expect(files).toEqual((await readdir(committed)).sort());
    for (const file of files) {
      const [now, then] = await Promise.all([
        readFile(join(out, file), 'utf8'),
        readFile(join(committed, file), 'utf8'),
      ]);
      // A boolean, not a diff of two long files: the message says what to do.
      expect(then === now, `${file} is stale: run pnpm codegen`).toBe(true);
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 60_000);
