// The sdk's types catch mistakes at compile time: tsc runs on fixture files, one that must
// compile cleanly and one whose marked lines must each fail with the marked error code.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';

const fixtures = resolve(import.meta.dirname, 'fixtures');

function diagnose(file: string) {
  const program = ts.createProgram([file], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: ['node'],
    skipLibCheck: true,
    noEmit: true,
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ({
      line: d.file!.getLineAndCharacterOfPosition(d.start!).line + 1,
      code: `TS${d.code}`,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
    }));
}

test('correct use of the sdk compiles', () => {
  expect(diagnose(resolve(fixtures, 'right-usage.ts'))).toEqual([]);
}, 60_000);

test('a wrong field, a wrong variable or a wrong enum value fails to compile, each where it is', async () => {
  const file = resolve(fixtures, 'wrong-usage.ts');
  const source = await readFile(file, 'utf8');
  const expected = source
    .split('\n')
    .map((text, index) => ({ line: index + 1, code: /\/\/ error (TS\d+)/.exec(text)?.[1] }))
    .filter((entry): entry is { line: number; code: string } => Boolean(entry.code));
  expect(expected.length).toBeGreaterThanOrEqual(8);
  const actual = diagnose(file);
  expect(actual.map(({ line, code }) => ({ line, code }))).toEqual(expected);
}, 60_000);
