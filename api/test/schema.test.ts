import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { printedSchema, schemaFile } from '../src/print-schema.js';

test('the committed api/schema.graphql is what the builder prints (run `pnpm --filter @pressroom/api schema:print`)', () => {
  expect(readFileSync(schemaFile, 'utf8')).toBe(printedSchema());
});
