// The delivery-time half of the SSRF guard: a host name that resolves to a private address
// when the attempt is made (it may have been public at registration) is not called; the
// attempt is recorded as refused. And the address rules themselves.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookActivities } from '../src/activities/webhooks.js';
import { checkWebhookUrl, newWebhookSecret, webhookSecretContext } from '../src/webhooks/index.js';
import { seedTenant, testVault } from './helpers.js';

let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrismaClient({ databaseUrl: database.url, maxConnections: 2 });
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('checkWebhookUrl', () => {
  const resolvingTo = (address: string) => () => Promise.resolve([address]);
  it.each([
    ['127.0.0.1', false],
    ['10.0.0.5', false],
    ['172.20.1.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['::ffff:10.0.0.1', false],
    ['93.184.216.34', true],
    ['2606:2800:220:1::1', true],
  ])('a host resolving to %s is allowed: %s', async (address, allowed) => {
    const check = await checkWebhookUrl('https://hooks.example.com/in', {
      allowPrivate: false,
      resolve: resolvingTo(address),
    });
    expect(check.ok).toBe(allowed);
  });

  it('allowPrivate lets private addresses through, never other schemes', async () => {
    expect((await checkWebhookUrl('http://127.0.0.1:1/x', { allowPrivate: true })).ok).toBe(true);
    expect((await checkWebhookUrl('ftp://127.0.0.1/x', { allowPrivate: true })).ok).toBe(false);
  });
});

describe('attemptWebhookDelivery', () => {
  it('does not call a URL whose host now resolves to a private address, and records the refusal', async () => {
    let calls = 0;
    const receiver = createServer((_req, res) => {
      calls += 1;
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    try {
      const { organizationId } = await seedTenant(db);
      const vault = testVault();
      const id = 'endpoint-ssrf';
      const sealed = vault.encrypt(newWebhookSecret(), webhookSecretContext({ id, organizationId }));
      await db.webhookEndpoint.create({
        data: {
          id,
          organizationId: organizationId,
          // The name pointed at a public address at registration; now at this machine.
          url: `http://rebound.example:${port}/hook`,
          events: ['post.draft'],
          secretCiphertext: sealed.ciphertext,
          secretKeyId: sealed.keyId,
        },
      });
      const delivery = await db.webhookDelivery.create({
        data: {
          organizationId: organizationId,
          endpointId: id,
          eventId: 'evt_1',
          eventType: 'post.draft',
          body: '{}',
        },
      });
      const activities = createWebhookActivities({
        db,
        vault,
        webhookSettings: { allowPrivateUrls: false, retryInitialMs: 10 },
        resolveHost: () => Promise.resolve(['127.0.0.1']),
      });
      const outcome = await activities.attemptWebhookDelivery({ deliveryId: delivery.id });
      expect(outcome).toEqual({ done: false, retryInMs: 10 });
      expect(calls).toBe(0);
      const attempts = await db.webhookDeliveryAttempt.findMany({ where: { deliveryId: delivery.id } });
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ number: 1, statusCode: null });
      expect(attempts[0]!.error).toMatch(/^refused: rebound\.example resolves to 127\.0\.0\.1/);
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
