// What keeps live updates safe to run for months: bounded buffers per subscriber, and nothing
// left behind by clients that come and go.
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createPrismaClient, type Database } from '@pressroom/db';
import type { PublishedDomainEvent } from '@pressroom/db/events';
import { createTestDatabase, temporalAddress, type TestDatabase } from '@pressroom/db/testing';
import { connectTemporalClient } from '@pressroom/workflows/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { sessionCookie } from '../src/auth/sessions.js';
import { loadApiConfig } from '../src/config.js';
import { EventHub, SubscriberTooSlowError } from '../src/events/hub.js';
import { createLogger } from '../src/logger.js';
import { readOnce } from '../src/schema/live.js';
import { createApiServer } from '../src/server.js';
import { gid } from './kit.js';

function postEvent(id: number, postId: string): PublishedDomainEvent {
  return {
    id: String(id),
    kind: 'post.changed',
    organizationId: 'org',
    payload: { postId, brandId: 'brand' },
    createdAt: new Date().toISOString(),
  };
}

async function nextEvent(iterator: AsyncIterator<PublishedDomainEvent>): Promise<PublishedDomainEvent> {
  const result: IteratorResult<PublishedDomainEvent, unknown> = await iterator.next();
  if (result.done) throw new Error('the subscription ended');
  return result.value;
}

describe('EventHub buffers', () => {
  const interest = { kinds: ['post.changed'] as const, organizationId: 'org', authorize: () => Promise.resolve(true) };

  it('coalesces repeated updates to one thing while the subscriber is busy', async () => {
    const hub = new EventHub(10);
    const iterator = hub.subscribe(interest);
    for (let i = 0; i < 1_000; i += 1) hub.publish(postEvent(i, `post-${i % 3}`));
    const received: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const event = await nextEvent(iterator);
      if (event.kind === 'post.changed') received.push((event.payload as { postId: string }).postId);
    }
    expect(received).toEqual(['post-0', 'post-1', 'post-2']);
    await iterator.return!();
    expect(hub.size).toBe(0);
  });

  it('ends a subscriber that falls too far behind instead of growing without bound', async () => {
    const hub = new EventHub(10);
    const iterator = hub.subscribe(interest);
    for (let i = 0; i < 11; i += 1) hub.publish(postEvent(i, `post-${i}`));
    expect(hub.size).toBe(0);
    await expect(iterator.next()).rejects.toBeInstanceOf(SubscriberTooSlowError);
  });

  // Found by the fault harness (api/faults): PostgreSQL restarting while events arrive.
  it('an authorization check that fails to answer is asked again: the subscription goes on with the event', async () => {
    const hub = new EventHub(10, { delayMs: 20, forMs: 5_000 });
    let calls = 0;
    const iterator = hub.subscribe({
      ...interest,
      authorize: () => {
        calls += 1;
        return calls <= 2 ? Promise.reject(new Error('connect ECONNREFUSED')) : Promise.resolve(true);
      },
    });
    hub.publish(postEvent(1, 'during-the-restart'));
    expect((await nextEvent(iterator)).payload).toEqual({ postId: 'during-the-restart', brandId: 'brand' });
    hub.publish(postEvent(2, 'after'));
    expect((await nextEvent(iterator)).payload).toEqual({ postId: 'after', brandId: 'brand' });
    expect(hub.size).toBe(1);
    await iterator.return!();
  });

  it('an authorization check that keeps failing ends the subscription with its error', async () => {
    const hub = new EventHub(10, { delayMs: 20, forMs: 200 });
    const iterator = hub.subscribe({ ...interest, authorize: () => Promise.reject(new Error('connect ECONNREFUSED')) });
    hub.publish(postEvent(1, 'x'));
    await expect(iterator.next()).rejects.toThrow('ECONNREFUSED');
  });

  it("an event's read that fails is tried again, so the subscriber gets the change rather than an error", async () => {
    let reads = 0;
    const read = () => {
      reads += 1;
      return reads <= 2
        ? Promise.reject(new Error('the database system is shutting down'))
        : Promise.resolve({ state: 'PUBLISHED' });
    };
    await expect(readOnce(postEvent(7, 'p'), { fields: 'state' }, read)).resolves.toEqual({ state: 'PUBLISHED' });
    expect(reads).toBe(3);
    await expect(readOnce(postEvent(8, 'p'), {}, () => Promise.reject(new Error('still down')), 100)).rejects.toThrow(
      'still down',
    );
  });

  it('sends nothing of other organizations or kinds', async () => {
    const hub = new EventHub(10);
    const iterator = hub.subscribe(interest);
    hub.publish({ ...postEvent(1, 'elsewhere'), organizationId: 'other-org' });
    hub.publish({ ...postEvent(2, 'x'), kind: 'metrics.updated', payload: { socialAccountId: 'a' } });
    hub.publish(postEvent(3, 'mine'));
    expect((await nextEvent(iterator)).payload).toEqual({ postId: 'mine', brandId: 'brand' });
    await iterator.return!();
  });
});

describe('1,000 WebSocket clients that connect, subscribe and leave', () => {
  let database: TestDatabase;
  let db: Database;
  const hub = new EventHub();
  let server: ReturnType<typeof createApiServer>;
  let url: string;
  let cookie: string;
  let brandGid: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url, maxConnections: 4 });
    const config = loadApiConfig({
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress(),
      SESSION_SECRET: randomSecret(),
      LOG_LEVEL: 'silent',
    });
    const temporal = connectTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: 'default' });
    server = createApiServer({ db, temporal, config, logger: createLogger('silent', 'lifecycle'), events: hub });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

    const organization = await db.organization.create({ data: { name: 'Live', slug: 'live' } });
    const brand = await db.brand.create({ data: { organizationId: organization.id, name: 'B', slug: 'b' } });
    const user = await db.user.create({ data: { email: 'live@example.test', name: 'Live', passwordHash: 'x' } });
    await db.membership.create({ data: { organizationId: organization.id, userId: user.id, role: 'ANALYST' } });
    const secret = randomSecret();
    const expiresAt = new Date(Date.now() + 3_600_000);
    await db.session.create({ data: { userId: user.id, tokenHash: sha256(secret), expiresAt } });
    cookie = sessionCookie(config, secret, expiresAt).split(';')[0]!;
    brandGid = gid('Brand', brand.id);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.$disconnect();
    await database.drop();
  });

  /** One client's whole life: connect, init, subscribe, wait until the server holds it, leave. */
  async function cycle(): Promise<void> {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers: { cookie } });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as { type: string };
        if (message.type !== 'connection_ack') return;
        const before = hub.size;
        socket.send(
          JSON.stringify({
            id: '1',
            type: 'subscribe',
            payload: {
              query: 'subscription ($b: ID!) { postChanged(brandId: $b) { id } }',
              variables: { b: brandGid },
            },
          }),
        );
        const registered = () => (hub.size > before ? resolve() : setTimeout(registered, 1));
        registered();
      });
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.close();
    await closed;
  }

  // 1,100 sequential socket cycles: about 20 s on an idle machine, longer when the suite shares it.
  it('leaves zero live subscriptions and a flat heap', { timeout: 240_000 }, async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const settle = async () => {
      await expect.poll(() => hub.size, { timeout: 10_000 }).toBe(0);
      for (let i = 0; i < 3; i += 1) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return process.memoryUsage().heapUsed;
    };

    for (let i = 0; i < 100; i += 1) await cycle(); // warm-up: caches, JIT, pools
    const before = await settle();
    const started = performance.now();
    for (let i = 0; i < 1_000; i += 1) await cycle();
    const elapsed = performance.now() - started;
    const after = await settle();

    const growthMb = (after - before) / 1024 / 1024;
    console.log(
      `1,000 connect/subscribe/disconnect cycles in ${Math.round(elapsed)} ms; heap ${(before / 1048576).toFixed(1)} → ${(after / 1048576).toFixed(1)} MB (${growthMb >= 0 ? '+' : ''}${growthMb.toFixed(2)} MB)`,
    );
    expect(hub.size).toBe(0);
    expect(growthMb).toBeLessThan(4);
  });
});
