// verifyWebhook against signatures made independently here with node:crypto, per the contract:
// Pressroom-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>.
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { WebhookVerificationError, signWebhook, verifyWebhook } from '../src/index.js';

const secret = 'whsec_test_5f2b1c9e0a';
const now = 1_800_000_000;
const body = JSON.stringify({
  id: 'evt_1',
  type: 'publication.published',
  createdAt: '2027-01-15T08:00:00.000Z',
  organizationId: 'org_1',
  data: { publicationId: 'pub_1' },
});

function sign(key: string, payload: string, t: number): string {
  return createHmac('sha256', key).update(`${t}.${payload}`).digest('hex');
}

function headers(signature: string): Record<string, string> {
  return {
    'Pressroom-Event': 'publication.published',
    'Pressroom-Delivery': 'evt_1',
    'Pressroom-Signature': signature,
  };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).reason;
}

describe('verifyWebhook', () => {
  test('accepts a valid signature and returns the event', async () => {
    const event = await verifyWebhook(secret, headers(`t=${now},v1=${sign(secret, body, now)}`), body, {
      now: now * 1000,
    });
    expect(event).toEqual(JSON.parse(body));
  });

  test('accepts a Headers object, any header case, and a byte body', async () => {
    const signature = `t=${now},v1=${sign(secret, body, now)}`;
    const fromHeaders = new Headers({ 'pressroom-signature': signature });
    await expect(
      verifyWebhook(secret, fromHeaders, new TextEncoder().encode(body), { now: now * 1000 }),
    ).resolves.toMatchObject({ id: 'evt_1' });
    await expect(
      verifyWebhook(secret, { 'PRESSROOM-SIGNATURE': signature }, body, { now: now * 1000 }),
    ).resolves.toMatchObject({ type: 'publication.published' });
  });

  test('during a secret rotation any one matching v1 is enough', async () => {
    const signature = `t=${now},v1=${sign('whsec_old', body, now)},v1=${sign(secret, body, now)}`;
    await expect(verifyWebhook(secret, headers(signature), body, { now: now * 1000 })).resolves.toBeTruthy();
  });

  test('rejects a signature made with another secret', async () => {
    const forged = `t=${now},v1=${sign('whsec_attacker', body, now)}`;
    expect(await reason(verifyWebhook(secret, headers(forged), body, { now: now * 1000 }))).toBe('bad_signature');
  });

  test('rejects a body changed after signing', async () => {
    const signature = `t=${now},v1=${sign(secret, body, now)}`;
    const tampered = body.replace('pub_1', 'pub_2');
    expect(await reason(verifyWebhook(secret, headers(signature), tampered, { now: now * 1000 }))).toBe(
      'bad_signature',
    );
  });

  test('rejects a timestamp changed after signing (a replay dressed as new)', async () => {
    const signature = `t=${now + 1000},v1=${sign(secret, body, now)}`;
    expect(await reason(verifyWebhook(secret, headers(signature), body, { now: (now + 1000) * 1000 }))).toBe(
      'bad_signature',
    );
  });

  test('rejects a replayed old delivery, and one from the future, outside the tolerance', async () => {
    const old = now - 301;
    const replayed = `t=${old},v1=${sign(secret, body, old)}`;
    expect(await reason(verifyWebhook(secret, headers(replayed), body, { now: now * 1000 }))).toBe('stale_timestamp');
    const ahead = now + 301;
    const future = `t=${ahead},v1=${sign(secret, body, ahead)}`;
    expect(await reason(verifyWebhook(secret, headers(future), body, { now: now * 1000 }))).toBe('stale_timestamp');
    // Inside a wider tolerance the same delivery is fine.
    await expect(
      verifyWebhook(secret, headers(replayed), body, { now: now * 1000, toleranceSeconds: 600 }),
    ).resolves.toBeTruthy();
  });

  test('uses the clock when no time is given', async () => {
    const t = Math.floor(Date.now() / 1000);
    await expect(verifyWebhook(secret, headers(`t=${t},v1=${sign(secret, body, t)}`), body)).resolves.toBeTruthy();
    const old = t - 3600;
    expect(await reason(verifyWebhook(secret, headers(`t=${old},v1=${sign(secret, body, old)}`), body))).toBe(
      'stale_timestamp',
    );
  });

  test('a missing or malformed header says so', async () => {
    expect(await reason(verifyWebhook(secret, {}, body))).toBe('missing_header');
    expect(await reason(verifyWebhook(secret, headers('v1=abc'), body))).toBe('malformed');
    expect(await reason(verifyWebhook(secret, headers(`t=soon,v1=${sign(secret, body, now)}`), body))).toBe(
      'malformed',
    );
    const notJson = 'not json';
    const signature = `t=${now},v1=${sign(secret, notJson, now)}`;
    expect(await reason(verifyWebhook(secret, headers(signature), notJson, { now: now * 1000 }))).toBe('malformed');
  });

  test('signWebhook makes what verifyWebhook accepts (for testing a receiver)', async () => {
    const signature = await signWebhook(secret, body, now);
    expect(signature).toBe(`t=${now},v1=${sign(secret, body, now)}`);
  });
});
