import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMigration,
  defaultMigrationsDir,
  defaultSchemaPath,
  diffMigrationsAgainstSchema,
} from '../src/migrations.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

// The drift check replays prisma/migrations on a shadow database and diffs the result against
// schema.prisma with Prisma's own schema engine. Each case below drifts the schema in one way
// and must be caught, with the SQL that would fix it.

let database: TestDatabase;
let schema: string;

beforeAll(async () => {
  database = await createTestDatabase({ empty: true });
  schema = await readFile(defaultSchemaPath, 'utf8');
});
afterAll(() => database.drop());

function drift(from: string, to: string): string {
  expect(schema).toContain(from);
  return schema.replace(from, to);
}

describe('schema.prisma and prisma/migrations', () => {
  it('agree', async () => {
    const diff = await diffMigrationsAgainstSchema(database.url);
    expect(diff.script).toBe('');
    expect(diff.inSync).toBe(true);
  });

  const cases: Array<[string, () => string, RegExp]> = [
    ['a table', () => `${schema}\nmodel Extra {\n  id String @id\n}\n`, /CREATE TABLE "Extra"/],
    [
      'a column',
      () => drift('  brief          String\n', '  brief          String\n  tone           String?\n'),
      /ALTER TABLE "Batch" ADD COLUMN\s+"tone" TEXT/,
    ],
    [
      'a type',
      () => drift('  count          Int\n', '  count          BigInt\n'),
      /ALTER COLUMN "count" SET DATA TYPE BIGINT/,
    ],
    [
      'nullability',
      () => drift('  brief          String\n', '  brief          String?\n'),
      /ALTER COLUMN "brief" DROP NOT NULL/,
    ],
    ['a default', () => drift('@default(90)', '@default(30)'), /ALTER COLUMN "analyticsRetentionDays" SET DEFAULT 30/],
    [
      'an index',
      () => drift('  @@index([brandId, status, scheduledAt])\n', ''),
      /DROP INDEX "Post_brandId_status_scheduledAt_idx"/,
    ],
    [
      'a foreign key',
      () =>
        drift(
          '  batch        Batch?        @relation(fields: [batchId], references: [id], onDelete: SetNull)',
          '  batch        Batch?        @relation(fields: [batchId], references: [id], onDelete: Restrict)',
        ),
      /ADD CONSTRAINT "Post_batchId_fkey" FOREIGN KEY \("batchId"\) REFERENCES "Batch"\("id"\) ON DELETE RESTRICT/,
    ],
    ['an enum value', () => drift('  TELEGRAM\n  VK\n', '  TELEGRAM\n  VK\n  THREADS\n'), /ADD VALUE 'THREADS'/],
  ];

  it.each(cases)('disagree when schema.prisma changes %s', async (_what, drifted, expected) => {
    const diff = await diffMigrationsAgainstSchema(database.url, { schemaContent: drifted() });
    expect(diff.inSync).toBe(false);
    expect(diff.script).toMatch(expected);
  });

  it('disagree when a migration changes what schema.prisma does not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pressroom-migrations-'));
    try {
      await cp(defaultMigrationsDir, dir, { recursive: true });
      await mkdir(join(dir, '29990101000000_rogue'));
      await writeFile(
        join(dir, '29990101000000_rogue', 'migration.sql'),
        'ALTER TABLE "Brand" ADD COLUMN "rogue" TEXT;\n',
      );
      const diff = await diffMigrationsAgainstSchema(database.url, { migrationsDir: dir });
      expect(diff.inSync).toBe(false);
      expect(diff.script).toMatch(/ALTER TABLE "Brand" DROP COLUMN "rogue"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a new migration authored from the drift brings them back into agreement', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pressroom-migrations-'));
    try {
      await cp(defaultMigrationsDir, dir, { recursive: true });
      const schemaContent = drift('  brief          String\n', '  brief          String\n  tone           String?\n');
      const created = await createMigration(
        database.url,
        'add_batch_tone',
        { migrationsDir: dir, schemaContent },
        new Date('2030-01-02T03:04:05Z'),
      );
      expect(created.name).toBe('20300102030405_add_batch_tone');
      expect(await readFile(join(dir, created.name!, 'migration.sql'), 'utf8')).toMatch(/ADD COLUMN\s+"tone" TEXT/);
      expect((await diffMigrationsAgainstSchema(database.url, { migrationsDir: dir, schemaContent })).inSync).toBe(
        true,
      );
      expect(await createMigration(database.url, 'again', { migrationsDir: dir, schemaContent })).toEqual({
        name: null,
        script: '',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
