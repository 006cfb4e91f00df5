import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, defaultMigrationsDir, readMigrationList } from '../src/migrations.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrations on an empty database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
  });
  afterAll(() => database.drop());

  it('applies every migration in order and records each the way Prisma Migrate does', async () => {
    const list = await readMigrationList();
    const names = list.migrationDirectories.map((dir) => dir.path);
    expect(names.length).toBeGreaterThan(0);

    expect(await applyMigrations(database.url)).toEqual(names);

    const recorded = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(
      database.url,
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at',
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(names);
    for (const row of recorded) {
      const sql = await readFile(join(defaultMigrationsDir, row.migration_name, 'migration.sql'));
      // Prisma Migrate's checksum is the SHA-256 of the file: a team can switch to it as is.
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    const tables = await query<{ table_name: string }>(
      database.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'Organization',
        'Membership',
        'Post',
        'Publication',
        'PublishAttempt',
        'VideoMetricSnapshot',
        'AuditEvent',
        'DomainEvent',
      ]),
    );
  });

  it('is a no-op when run again', async () => {
    const before = await query<{ id: string; finished_at: Date }>(
      database.url,
      'SELECT id, finished_at FROM _prisma_migrations ORDER BY id',
    );
    expect(await applyMigrations(database.url)).toEqual([]);
    const after = await query<{ id: string; finished_at: Date }>(
      database.url,
      'SELECT id, finished_at FROM _prisma_migrations ORDER BY id',
    );
    expect(after).toEqual(before);
  });
});

describe('the hot-path indexes exist', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it.each([
    ['Post', ['brandId', 'status', 'scheduledAt']],
    ['AccountSnapshot', ['socialAccountId', 'capturedAt']],
    ['AuditEvent', ['organizationId', 'createdAt']],
    ['Publication', ['state', 'scheduledAt']],
  ])('%s(%s)', async (table, columns) => {
    const rows = await query<{ indexdef: string }>(
      database.url,
      `SELECT indexdef FROM pg_indexes WHERE tablename = '${table}'`,
    );
    // pg_indexes quotes only the names that need it ("brandId", but status).
    const definitions = rows.map((row) => row.indexdef.replaceAll('"', ''));
    expect(definitions.some((definition) => definition.endsWith(`(${columns.join(', ')})`))).toBe(true);
  });
});
