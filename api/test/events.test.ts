import { createPrismaClient, type Database } from '@pressroom/db';
import { emitEvent, pruneDomainEvents, type PublishedDomainEvent } from '@pressroom/db/events';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DomainEventListener } from '../src/events/listener.js';

let database: TestDatabase;
let db: Database;
let organizationId: string;
const listeners: DomainEventListener[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrismaClient({ databaseUrl: database.url });
  organizationId = (await db.organization.create({ data: { name: 'Events', slug: 'events' } })).id;
});
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.stop()));
});
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

async function listen(options: { lookBackMs?: number } = {}) {
  const received: PublishedDomainEvent[] = [];
  let connects = 0;
  const listener = new DomainEventListener({
    databaseUrl: database.url,
    onEvent: (event) => received.push(event),
    onStateChange: (state) => {
      if (state === 'connected') connects += 1;
    },
    reconnectDelayMs: { min: 20, max: 200 },
    ...options,
  });
  listeners.push(listener);
  await listener.start();
  return { listener, received, connects: () => connects };
}

function emitPostChanged(postId: string) {
  return db.$transaction((tx) =>
    emitEvent(tx, { kind: 'post.changed', organizationId, payload: { postId, brandId: 'b1' } }),
  );
}

describe('the transactional event bus', () => {
  it('delivers an event after its transaction commits, with its ids', async () => {
    const { received } = await listen();
    const emitted = await emitPostChanged('p1');
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toEqual(emitted);
    expect(received[0]).toMatchObject({
      kind: 'post.changed',
      organizationId,
      payload: { postId: 'p1', brandId: 'b1' },
    });
  });

  it('announces nothing for a rolled-back change, and nothing before the commit', async () => {
    const { received } = await listen();
    await expect(
      db.$transaction(async (tx) => {
        await emitEvent(tx, {
          kind: 'post.changed',
          organizationId,
          payload: { postId: 'rolled-back', brandId: 'b1' },
        });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const pending = db.$transaction(async (tx) => {
      await emitEvent(tx, { kind: 'post.changed', organizationId, payload: { postId: 'slow', brandId: 'b1' } });
      await held;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual([]);
    release();
    await pending;
    await expect.poll(() => received.map((event) => event.payload)).toEqual([{ postId: 'slow', brandId: 'b1' }]);
  });

  it('reaches every listener (one per api instance)', async () => {
    const first = await listen();
    const second = await listen();
    await emitPostChanged('fan-out');
    await expect.poll(() => [first.received.length, second.received.length]).toEqual([1, 1]);
  });

  it('loses nothing and repeats nothing when the LISTEN connection is killed while events flow', async () => {
    const { received, connects } = await listen();
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const total = 300;
    const emitted: string[] = [];
    const writer = (async () => {
      for (let index = 0; index < total; index += 1) {
        emitted.push((await emitPostChanged(`flow-${index}`)).id);
        if (index % 50 === 25) {
          // Kill the listener's connection from the database side, mid-stream.
          await admin.query(
            // This database's only: test files running beside this one have listeners of their own.
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE application_name = 'pressroom-events' AND datname = current_database()`,
          );
        }
      }
    })();
    await writer;
    await admin.end();
    await expect.poll(() => received.length, { timeout: 15_000 }).toBe(total);
    expect(received.map((event) => event.id)).toEqual(expect.arrayContaining(emitted));
    expect(new Set(received.map((event) => event.id)).size).toBe(total);
    expect(connects()).toBeGreaterThanOrEqual(6);
  });

  it('a listener started while PostgreSQL refuses it keeps trying, then delivers what was committed meanwhile', async () => {
    // An api instance that starts while its database is away used to log the failure and never
    // listen again: no live event reached its subscribers until it was restarted.
    // The database is closed to new connections from another one; this one, opened before, writes.
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    const name = (await writer.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name;
    const adminUrl = new URL(database.url);
    adminUrl.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    const received: PublishedDomainEvent[] = [];
    const states: string[] = [];
    const listener = new DomainEventListener({
      databaseUrl: database.url,
      onEvent: (event) => received.push(event),
      onStateChange: (state) => states.push(state),
      reconnectDelayMs: { min: 50, max: 200 },
    });
    listeners.push(listener);
    let meanwhile: string;
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    try {
      await expect(listener.start()).rejects.toThrow(/not currently accepting connections/);
      expect(listener.connected).toBe(false);
      // Committed while the listener cannot connect (this connection was open before).
      const { rows } = await writer.query<{ id: string }>(
        `INSERT INTO "DomainEvent" ("organizationId", "kind", "payload")
         VALUES ($1, 'post.changed', '{"postId": "while-refused", "brandId": "b1"}'::jsonb) RETURNING id::text AS id`,
        [organizationId],
      );
      meanwhile = rows[0]!.id;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(listener.connected).toBe(false);
    } finally {
      await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
      await admin.end();
      await writer.end();
    }
    await expect.poll(() => listener.connected, { timeout: 10_000 }).toBe(true);
    await expect.poll(() => received.map((event) => event.id)).toEqual([meanwhile]);
    const after = await emitPostChanged('after-reconnect');
    await expect.poll(() => received.map((event) => event.id)).toEqual([meanwhile, after.id]);
    expect(states).toContain('connected');
  });

  it('refuses an event too large for NOTIFY instead of losing it silently', async () => {
    await expect(
      db.$transaction((tx) =>
        emitEvent(tx, { kind: 'post.changed', organizationId, payload: { postId: 'x'.repeat(9_000), brandId: 'b1' } }),
      ),
    ).rejects.toThrow(/events carry ids, not data/);
    expect(await db.domainEvent.count({ where: { payload: { path: ['postId'], equals: 'x'.repeat(9_000) } } })).toBe(0);
  });

  it('prunes events older than what it keeps, and only those', async () => {
    const old = await emitPostChanged('old');
    await db.domainEvent.update({
      where: { id: BigInt(old.id) },
      data: { createdAt: new Date(Date.now() - 2 * 86_400_000) },
    });
    const recent = await emitPostChanged('recent');
    expect(await pruneDomainEvents(db, 86_400_000)).toBe(1);
    expect(await db.domainEvent.findUnique({ where: { id: BigInt(old.id) } })).toBeNull();
    expect(await db.domainEvent.findUnique({ where: { id: BigInt(recent.id) } })).not.toBeNull();
  });
});
