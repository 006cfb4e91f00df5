// The webhooks domain and the sdk's idempotency against a live api and worker: an endpoint
// registered through the sdk on a loopback receiver (allowed by WEBHOOKS_ALLOW_PRIVATE_URLS,
// set for the api and the worker), a real change delivered to it and checked there with
// verifyWebhook; and Idempotency-Key replays and reuse as the server answers them.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  IdempotencyKeyReusedError,
  NetworkError,
  UnsafeWebhookUrlError,
  ValidationError,
  WebhookVerificationError,
  verifyWebhook,
  type Pressroom,
  type WebhookEvent,
} from '../src/index.js';
import { startStack, type Stack } from './stack.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** What verifyWebhook made of the delivery as it came. */
  verified: WebhookEvent | null;
  /** The reason verifyWebhook gave for the same delivery with one byte of the body changed. */
  tamperedReason: string | null;
}

/** A receiver that answers 204 only to deliveries verifyWebhook accepts with `secret`. */
async function startReceiver() {
  const state = { secret: '' };
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void (async () => {
        const verified = await verifyWebhook(state.secret, req.headers, body).catch(() => null);
        const tampered = body.replace('"type":"', '"type":"x');
        const tamperedReason = await verifyWebhook(state.secret, req.headers, tampered).then(
          () => null,
          (error: unknown) => (error instanceof WebhookVerificationError ? error.reason : String(error)),
        );
        received.push({ headers: req.headers, body, verified, tamperedReason });
        res.writeHead(verified ? 204 : 400).end();
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    state,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

let stack: Stack;
let pressroom: Pressroom;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  stack = await startStack(
    { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true', API_TOKEN_COST_BUCKET: '100000', API_TOKEN_COST_RESTORE_RATE: '50000' },
    { webhookSettings: { allowPrivateUrls: true, retryInitialMs: 100, retryMaxMs: 400 } },
  );
  ({ pressroom } = await stack.client(['brands:read', 'posts:read', 'posts:write', 'webhooks:read', 'webhooks:write']));
  receiver = await startReceiver();
}, 120_000);
afterAll(async () => {
  await receiver?.close();
  await stack?.close();
});

describe('webhooks through the sdk', () => {
  test('an endpoint made by the sdk gets a real event, which verifyWebhook accepts and refuses once tampered with', async () => {
    const types = await pressroom.webhooks.eventTypes();
    expect(types).toContain('post.draft');

    const { endpoint, secret } = await pressroom.webhooks.create({
      url: receiver.url,
      events: ['post.draft'],
      description: 'sdk receiver',
    });
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ url: receiver.url, events: ['post.draft'], enabled: true });
    receiver.state.secret = secret;
    expect((await pressroom.webhooks.list().toArray()).map((e) => e.id)).toContain(endpoint.id);

    // A real change: a draft edited through the sdk is the post.draft event.
    const post = await pressroom.posts.create({ brandId: stack.org.brand.gid, caption: 'Before' });
    await pressroom.posts.update(post.id, { expectedVersion: post.version, caption: 'After, for the webhook' });

    // Creating the draft and editing it are two post.draft events: whichever arrives first, the
    // one checked is a delivery that succeeded (the other may still be on its way).
    const deliveries = await until(
      () => pressroom.webhooks.deliveries(endpoint.id).toArray(),
      (list) => list.some((d) => d.status === 'SUCCEEDED'),
      'a delivery to succeed',
    );
    const delivery = deliveries.find((d) => d.status === 'SUCCEEDED');
    expect(delivery).toMatchObject({ eventType: 'post.draft', status: 'SUCCEEDED', endpoint: { id: endpoint.id } });
    expect(delivery!.attempts.at(-1)).toMatchObject({ statusCode: 204, error: null });

    const accepted = receiver.received.find((r) => r.verified?.id === delivery!.eventId)!;
    expect(accepted).toBeDefined();
    expect(accepted.verified).toMatchObject({ type: 'post.draft', organizationId: stack.org.organization.gid });
    expect(accepted.verified!.data).toMatchObject({ id: post.id });
    expect(accepted.headers['pressroom-delivery']).toBe(delivery!.eventId);
    expect(accepted.tamperedReason).toBe('bad_signature');
    // Another secret does not verify the genuine delivery either.
    const wrongSecret = await failure(verifyWebhook('whsec_other', accepted.headers, accepted.body));
    expect(wrongSecret).toBeInstanceOf(WebhookVerificationError);

    // Rotation answers a new secret; redelivery sends the same event, signed with both.
    const rotated = await pressroom.webhooks.rotateSecret(endpoint.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    receiver.state.secret = rotated.secret;
    const before = receiver.received.length;
    const again = await pressroom.webhooks.redeliver(delivery!.id);
    expect(again.eventId).toBe(delivery!.eventId);
    await until(
      () => Promise.resolve(receiver.received.slice(before)),
      (list) => list.some((r) => r.verified?.id === delivery!.eventId),
      'the redelivery verified with the new secret',
    );
    const resent = receiver.received.slice(before).find((r) => r.verified)!;
    // The old secret still verifies it during the grace period.
    await expect(verifyWebhook(secret, resent.headers, resent.body)).resolves.toMatchObject({ id: delivery!.eventId });

    const disabled = await pressroom.webhooks.update(endpoint.id, { description: 'renamed', events: ['batch.ready'] });
    expect(disabled).toMatchObject({ description: 'renamed', events: ['batch.ready'] });
    expect(await pressroom.webhooks.delete(endpoint.id)).toBe(endpoint.id);
    expect((await pressroom.webhooks.list().toArray()).map((e) => e.id)).not.toContain(endpoint.id);
  }, 90_000);

  test('a URL the server will not send to is UnsafeWebhookUrlError, a ValidationError with the reason', async () => {
    const error = await failure(pressroom.webhooks.create({ url: 'ftp://127.0.0.1/hooks', events: ['post.draft'] }));
    expect(error).toBeInstanceOf(UnsafeWebhookUrlError);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as UnsafeWebhookUrlError).code).toBe('BAD_USER_INPUT');
    expect((error as UnsafeWebhookUrlError).reason).toBeTruthy();
  });
});

describe('idempotency against the server', () => {
  async function endpointCount() {
    return stack.api.db.webhookEndpoint.count({ where: { organizationId: stack.org.organization.id } });
  }

  test('the same create sent twice with one key makes one endpoint and answers the first result again', async () => {
    const before = await endpointCount();
    const input = { url: receiver.url, events: ['post.draft'], description: 'once' };
    const first = await pressroom.webhooks.create(input, { idempotencyKey: 'sdk-live-create-1' });
    const second = await pressroom.webhooks.create(input, { idempotencyKey: 'sdk-live-create-1' });
    expect(second.endpoint.id).toBe(first.endpoint.id);
    expect(second.secret).toBe(first.secret);
    expect(await endpointCount()).toBe(before + 1);

    // Without a key of the caller's, each call gets its own: two creates make two endpoints.
    await pressroom.webhooks.create(input);
    await pressroom.webhooks.create(input);
    expect(await endpointCount()).toBe(before + 3);
  });

  test('the same key with another body is IdempotencyKeyReusedError, read from the HTTP 422 GraphQL answer', async () => {
    const statuses: number[] = [];
    const { pressroom: watched } = await stack.client(['webhooks:read', 'webhooks:write'], {
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      },
    });
    const before = await endpointCount();
    await watched.webhooks.create({ url: receiver.url, events: ['post.draft'] }, { idempotencyKey: 'sdk-live-reuse' });
    const error = await failure(
      watched.webhooks.create({ url: receiver.url, events: ['batch.ready'] }, { idempotencyKey: 'sdk-live-reuse' }),
    );
    expect(error).not.toBeInstanceOf(NetworkError);
    expect(error).toBeInstanceOf(IdempotencyKeyReusedError);
    expect((error as IdempotencyKeyReusedError).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((error as IdempotencyKeyReusedError).requestId).toBeTruthy();
    expect(statuses.at(-1)).toBe(422);
    expect(await endpointCount()).toBe(before + 1);
  });
});
