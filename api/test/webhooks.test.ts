// Signed webhooks end to end: a member registers an endpoint, a real change (updatePost) goes
// through the domain event path to a delivery workflow on an in-process worker, and a receiver
// on loopback (allowed here by WEBHOOKS_ALLOW_PRIVATE_URLS, refused by default as the SSRF
// test shows) sees every attempt, signed per the contract.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import {
  createAccountTokenSource,
  disconnectAccount,
  PlatformError,
  saveConnectedAccount,
} from '@pressroom/workflows/platforms';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gid, seedApiToken, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A webhook receiver: answers each request with the next status of `statuses` (then the last one). */
async function startReceiver(statuses: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = statuses[Math.min(received.length, statuses.length - 1)]!;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The contract's check, written here independently of the sdk's verifyWebhook. */
function verify(secret: string, header: string | undefined, body: string, toleranceSeconds = 300): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.split('=') as [string, string]);
  const t = Number(parts.find(([name]) => name === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return parts
    .filter(([name]) => name === 'v1')
    .some(([, hex]) => /^[0-9a-f]{64}$/.test(hex) && timingSafeEqual(Buffer.from(hex, 'hex'), expected));
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

let api: TestApi;
let org: SeededOrganization;
const receivers: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  api = await startTestApi(
    { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' },
    {
      worker: {
        // Short backoff so four attempts take a second, not minutes; a low disable threshold.
        webhookSettings: { allowPrivateUrls: true, retryInitialMs: 100, retryMaxMs: 400, failureThreshold: 6 },
      },
    },
  );
  org = await seedOrganization(api);
}, 60_000);
afterAll(async () => {
  for (const receiver of receivers) await receiver.close();
  await api?.close();
});

const create = `mutation($org: ID!, $url: String!, $events: [String!]!) {
  createWebhookEndpoint(organizationId: $org, url: $url, events: $events) {
    __typename
    ... on MutationCreateWebhookEndpointSuccess { data { secret endpoint { id url events enabled } } }
    ... on UnsafeWebhookUrlError { code reason message }
    ... on Error { code message } } }`;

type Created = {
  createWebhookEndpoint: {
    __typename: string;
    code?: string;
    reason?: string;
    data?: { secret: string; endpoint: { id: string; url: string; events: string[]; enabled: boolean } };
  };
};

async function register(url: string, events: string[]) {
  const response = await org.members.OWNER.client.gql<Created>(create, { org: org.organization.gid, url, events });
  expect(response.body.errors).toBeUndefined();
  const result = response.body.data!.createWebhookEndpoint;
  expect(result.__typename).toBe('MutationCreateWebhookEndpointSuccess');
  return result.data!;
}

/** A draft post edited through GraphQL: its audited change is the event (post.draft). */
async function editDraft() {
  const post = await api.db.post.create({
    data: { organizationId: org.organization.id, brandId: org.brand.id, status: 'DRAFT', caption: 'Draft' },
  });
  const response = await org.members.EDITOR.client.gql(
    `mutation($id: ID!) { updatePost(id: $id, expectedVersion: 1, caption: "Edited for the webhook") {
      __typename ... on Error { message } } }`,
    { id: gid('Post', post.id) },
  );
  expect(response.body.data?.updatePost).toEqual({ __typename: 'MutationUpdatePostSuccess' });
  return post;
}

const deliveriesQuery = `query($id: ID!) { node(id: $id) { ... on WebhookEndpoint {
  enabled disabledReason consecutiveFailures
  deliveries { edges { node { id eventId eventType status attemptCount body
    attempts { number statusCode error durationMs } } } } } } }`;

type Delivery = {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attemptCount: number;
  body: string;
  attempts: Array<{ number: number; statusCode: number | null; error: string | null; durationMs: number }>;
};
type EndpointRead = {
  node: {
    enabled: boolean;
    disabledReason: string | null;
    consecutiveFailures: number;
    deliveries: { edges: Array<{ node: Delivery }> };
  };
};

async function readEndpoint(endpointGid: string) {
  const response = await org.members.ADMIN.client.gql<EndpointRead>(deliveriesQuery, { id: endpointGid });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.node;
}

describe('delivery', () => {
  test('a receiver failing its first three deliveries with 500 gets the event on the fourth, accepted once; every attempt is listed; redeliver sends it again', async () => {
    const receiver = await startReceiver([500, 500, 500, 200]);
    receivers.push(receiver);
    const { secret, endpoint } = await register(receiver.url, ['post.draft']);
    expect(secret).toMatch(/^whsec_/);
    const post = await editDraft();

    const read = await waitFor(
      () => readEndpoint(endpoint.id),
      (node) => node.deliveries.edges[0]?.node.status === 'SUCCEEDED',
      'the delivery to succeed',
    );
    const delivery = read.deliveries.edges.map((edge) => edge.node).find((d) => d.body.includes(gid('Post', post.id)))!;
    expect(delivery.attempts.map((attempt) => [attempt.number, attempt.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
      [4, 200],
    ]);
    expect(delivery.attempts.slice(0, 3).every((attempt) => attempt.error === 'HTTP 500')).toBe(true);
    expect(read.consecutiveFailures).toBe(0);

    // What the receiver saw: four POSTs of one event, identical bodies, each signed.
    expect(receiver.received).toHaveLength(4);
    expect(receiver.received.filter((request) => request.status === 200)).toHaveLength(1);
    const body = JSON.parse(receiver.received[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: delivery.eventId,
      type: 'post.draft',
      organizationId: org.organization.gid,
      data: { id: gid('Post', post.id), status: 'DRAFT' },
    });
    expect(Date.parse(body.createdAt as string)).not.toBeNaN();
    for (const request of receiver.received) {
      expect(request.body).toBe(receiver.received[0]!.body);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['pressroom-event']).toBe('post.draft');
      expect(request.headers['pressroom-delivery']).toBe(delivery.eventId);
      expect(request.headers['pressroom-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verify(secret, request.headers['pressroom-signature'] as string, request.body)).toBe(true);
      // A forged body or another secret does not verify.
      expect(verify(secret, request.headers['pressroom-signature'] as string, `${request.body} `)).toBe(false);
      expect(verify('whsec_other', request.headers['pressroom-signature'] as string, request.body)).toBe(false);
    }

    // Redeliver: the same event id and body, attempts numbered on.
    const redelivered = await org.members.ADMIN.client.gql<{ redeliverWebhookDelivery: { __typename: string } }>(
      `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { __typename ... on Error { code message } } }`,
      { id: delivery.id },
    );
    expect(redelivered.body.data?.redeliverWebhookDelivery.__typename).toBe('MutationRedeliverWebhookDeliverySuccess');
    await waitFor(
      () => Promise.resolve(receiver.received.length),
      (count) => count === 5,
      'the redelivery',
    );
    const again = await waitFor(
      () => readEndpoint(endpoint.id),
      (node) => node.deliveries.edges.some((edge) => edge.node.id === delivery.id && edge.node.attemptCount === 5),
      'the fifth attempt recorded',
    );
    const after = again.deliveries.edges.find((edge) => edge.node.id === delivery.id)!.node;
    expect(after.status).toBe('SUCCEEDED');
    expect(after.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500, 200, 200]);
    expect(receiver.received[4]!.headers['pressroom-delivery']).toBe(delivery.eventId);
    expect(receiver.received[4]!.body).toBe(receiver.received[0]!.body);
  });

  test('an endpoint whose deliveries keep failing is disabled past the threshold and its owners and admins are told', async () => {
    const receiver = await startReceiver([503]);
    receivers.push(receiver);
    const { endpoint } = await register(receiver.url, ['post.draft']);
    await editDraft();
    const read = await waitFor(
      () => readEndpoint(endpoint.id),
      (node) => !node.enabled,
      'the endpoint to be disabled',
    );
    expect(read.disabledReason).toBe('6 delivery attempts in a row failed');
    expect(read.consecutiveFailures).toBe(6);
    expect(read.deliveries.edges[0]!.node).toMatchObject({ status: 'FAILED', attemptCount: 6 });
    expect(receiver.received).toHaveLength(6);
    // Told just after the endpoint is disabled.
    const told = await waitFor(
      () =>
        api.db.notification.findMany({
          where: { organizationId: org.organization.id, kind: 'webhook.disabled', channel: 'IN_APP' },
        }),
      (rows) => rows.length >= 2,
      'the owner and the admin to be told',
    );
    expect(told.map((notification) => notification.userId).sort()).toEqual(
      [org.members.OWNER.userId, org.members.ADMIN.userId].sort(),
    );
    // Nothing more is sent to a disabled endpoint.
    await editDraft();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.received).toHaveLength(6);
  });
});

describe('account events', () => {
  test('connecting, a refused refresh, reconnecting and disconnecting an account each reach the receiver as account.<status>, in order', async () => {
    const receiver = await startReceiver([200]);
    receivers.push(receiver);
    const events = ['account.active', 'account.token_expired', 'account.disconnected'];
    const { secret } = await register(receiver.url, events);
    const vault = createVault(parseKeyRing(`k1:${randomBytes(32).toString('base64')}`));
    const connected = {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      platform: 'TIKTOK' as const,
      platformAccountId: `open-${Date.now()}`,
      displayName: 'Hooked Creator',
      tokens: { accessToken: 'access-1', refreshToken: 'refresh-1', accessTokenExpiresAt: new Date(Date.now() - 1000) },
    };
    // The same functions the connect routes and the worker use.
    const account = await saveConnectedAccount(api.db, vault, connected);
    const tokens = createAccountTokenSource({
      db: api.db,
      vault,
      accountId: account.id,
      refresh: () =>
        Promise.reject(
          new PlatformError('the refresh token was revoked', {
            category: 'REJECTED_BY_PLATFORM',
            platform: 'tiktok',
            operation: 'refresh',
          }),
        ),
    });
    await expect(tokens.accessToken()).rejects.toMatchObject({ category: 'REJECTED_BY_PLATFORM' });
    await saveConnectedAccount(api.db, vault, { ...connected, tokens: { accessToken: 'access-2' } });
    // A change that leaves the status alone (a profile refresh) announces nothing.
    await api.db.socialAccount.update({ where: { id: account.id }, data: { displayName: 'Renamed Creator' } });
    await disconnectAccount({ db: api.db, vault, revoke: () => Promise.resolve() }, account.id);

    await waitFor(
      () => Promise.resolve(receiver.received.length),
      (count) => count >= 4,
      'four account deliveries',
    );
    // Nothing else is on its way: an extra (duplicate or status-less) event would arrive by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const bodies = receiver.received.map((request) => {
      expect(verify(secret, request.headers['pressroom-signature'] as string, request.body)).toBe(true);
      return JSON.parse(request.body) as { id: string; type: string; createdAt: string; data: Record<string, unknown> };
    });
    // Deliveries run concurrently and may arrive in any order; the event ids (evt_<outbox id>) give the order of the changes.
    bodies.sort((a, b) => Number(a.id.slice('evt_'.length)) - Number(b.id.slice('evt_'.length)));
    expect(bodies.map((body) => [body.type, body.data.previousStatus])).toEqual([
      ['account.active', null],
      ['account.token_expired', 'ACTIVE'],
      ['account.active', 'TOKEN_EXPIRED'],
      ['account.disconnected', 'ACTIVE'],
    ]);
    expect(bodies[1]!.data).toMatchObject({
      id: gid('SocialAccount', account.id),
      brandId: org.brand.gid,
      platform: 'TIKTOK',
      status: 'TOKEN_EXPIRED',
    });
    // The trigger writes createdAt as the ISO instant the listener and the outbox agree on.
    for (const body of bodies) expect(Math.abs(Date.parse(body.createdAt) - Date.now())).toBeLessThan(60_000);
  });
});

describe('managing endpoints', () => {
  test('owners and admins manage; an editor and a token without webhooks:write cannot; a webhooks:read token lists', async () => {
    const refused = await org.members.EDITOR.client.gql<Created>(create, {
      org: org.organization.gid,
      url: 'http://127.0.0.1:9/x',
      events: ['post.draft'],
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const reader = await seedApiToken(api, org.organization.id, ['webhooks:read']);
    const byReader = await reader.client.gql<Created>(create, {
      org: org.organization.gid,
      url: 'http://127.0.0.1:9/x',
      events: ['post.draft'],
    });
    expect(byReader.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listed = await reader.client.gql<{ node: { webhookEndpoints: { edges: unknown[] } } }>(
      `query($id: ID!) { node(id: $id) { ... on Organization { webhookEndpoints { edges { node { id url } } } } } }`,
      { id: org.organization.gid },
    );
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data!.node.webhookEndpoints.edges.length).toBeGreaterThan(0);

    const writer = await seedApiToken(api, org.organization.id, ['webhooks:write', 'webhooks:read']);
    const made = await writer.client.gql<Created>(create, {
      org: org.organization.gid,
      url: 'http://127.0.0.1:9/x',
      events: ['publication.published', 'metrics.updated'],
    });
    const endpointId = made.body.data!.createWebhookEndpoint.data!.endpoint.id;
    const unknownEvent = await writer.client.gql<Created>(create, {
      org: org.organization.gid,
      url: 'http://127.0.0.1:9/x',
      events: ['post.exploded'],
    });
    expect(unknownEvent.body.data?.createWebhookEndpoint.__typename).toBe('ValidationError');

    const rotated = await writer.client.gql<{ rotateWebhookEndpointSecret: { data: { secret: string } } }>(
      `mutation($id: ID!) { rotateWebhookEndpointSecret(id: $id) {
        ... on MutationRotateWebhookEndpointSecretSuccess { data { secret } } } }`,
      { id: endpointId },
    );
    expect(rotated.body.data!.rotateWebhookEndpointSecret.data.secret).toMatch(/^whsec_/);
    const updated = await writer.client.gql<{
      updateWebhookEndpoint: { data: { events: string[]; enabled: boolean } };
    }>(
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, events: ["batch.ready"], enabled: false) {
        ... on MutationUpdateWebhookEndpointSuccess { data { events enabled } } } }`,
      { id: endpointId },
    );
    expect(updated.body.data!.updateWebhookEndpoint.data).toEqual({ events: ['batch.ready'], enabled: false });
    const deleted = await writer.client.gql<{ deleteWebhookEndpoint: { data: string } }>(
      `mutation($id: ID!) { deleteWebhookEndpoint(id: $id) { ... on MutationDeleteWebhookEndpointSuccess { data } } }`,
      { id: endpointId },
    );
    expect(deleted.body.data!.deleteWebhookEndpoint.data).toBe(endpointId);
  });
});

describe('SSRF', () => {
  test('without WEBHOOKS_ALLOW_PRIVATE_URLS, loopback, private, link-local and unique-local URLs are refused with UnsafeWebhookUrlError', async () => {
    const strict = await startTestApi();
    try {
      const other = await seedOrganization(strict);
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://localhost/hook',
        'http://10.1.2.3/hook',
        'http://192.168.0.10/hook',
        'http://169.254.169.254/latest/meta-data',
        'http://[::1]/hook',
        'http://[fd12::1]/hook',
        'http://[::ffff:127.0.0.1]/hook',
        'file:///etc/passwd',
      ]) {
        const response = await other.members.OWNER.client.gql<Created>(create, {
          org: other.organization.gid,
          url,
          events: ['post.draft'],
        });
        expect(response.body.errors, url).toBeUndefined();
        const result = response.body.data!.createWebhookEndpoint;
        expect(
          result.__typename === 'UnsafeWebhookUrlError' || result.__typename === 'ValidationError',
          `${url}: ${result.__typename}`,
        ).toBe(true);
        if (url.startsWith('http'))
          expect(result).toMatchObject({ __typename: 'UnsafeWebhookUrlError', code: 'BAD_USER_INPUT' });
      }
      expect(await strict.db.webhookEndpoint.count()).toBe(0);
    } finally {
      await strict.close();
    }
  });
});

describe('tenancy', () => {
  test("another organization's owner sees no endpoint or delivery of this one and cannot change or redeliver them", async () => {
    const receiver = await startReceiver([200]);
    receivers.push(receiver);
    const { endpoint } = await register(receiver.url, ['post.draft']);
    await editDraft();
    const read = await waitFor(
      () => readEndpoint(endpoint.id),
      (node) => node.deliveries.edges[0]?.node.status === 'SUCCEEDED',
      'the delivery',
    );
    const deliveryId = read.deliveries.edges[0]!.node.id;
    const other = await seedOrganization(api);
    const stranger = other.members.OWNER.client;
    const nodes = await stranger.gql<{ nodes: unknown[] }>(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: [endpoint.id, deliveryId],
    });
    expect(nodes.body.data?.nodes).toEqual([null, null]);
    const update = await stranger.gql<{ updateWebhookEndpoint: { __typename: string } }>(
      `mutation($id: ID!) { updateWebhookEndpoint(id: $id, url: "http://127.0.0.1:9/stolen") { __typename } }`,
      { id: endpoint.id },
    );
    expect(update.body.data?.updateWebhookEndpoint.__typename).toBe('NotFoundError');
    const redeliver = await stranger.gql<{ redeliverWebhookDelivery: { __typename: string } }>(
      `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { __typename } }`,
      { id: deliveryId },
    );
    expect(redeliver.body.data?.redeliverWebhookDelivery.__typename).toBe('NotFoundError');
    expect((await api.db.webhookEndpoint.findFirstOrThrow({ where: { url: receiver.url } })).url).toBe(receiver.url);
    expect(receiver.received).toHaveLength(1);
  });
});
