import { PressroomError } from './errors.js';

/** What a webhook delivery carries (see the api's webhooks documentation). */
export interface WebhookEvent<TData = Record<string, unknown>> {
  id: string;
  /** e.g. `publication.published` */
  type: string;
  createdAt: string;
  organizationId: string;
  data: TData;
}

export type WebhookVerificationReason = 'missing_header' | 'bad_signature' | 'stale_timestamp' | 'malformed';

export class WebhookVerificationError extends PressroomError {
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string,
  ) {
    super('WEBHOOK_VERIFICATION', message);
  }
}

export interface VerifyWebhookOptions {
  /** How far the signed timestamp may be from now, either way (default 300 s). */
  toleranceSeconds?: number;
  /** The current time (tests); defaults to the clock. */
  now?: Date | number;
}

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

const encoder = new TextEncoder();

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Compares every character whatever the first difference, so timing tells nothing. */
function constantTimeEqual(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i % Math.max(b.length, 1));
  return difference === 0;
}

/**
 * Checks a delivery's `Pressroom-Signature` (`t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">`) with the endpoint's secret and returns the event; throws
 * WebhookVerificationError otherwise. Pass the body exactly as received (not re-serialized).
 * Uses Web Crypto, so it runs in Node 20+, browsers and edge runtimes.
 */
export async function verifyWebhook<TData = Record<string, unknown>>(
  secret: string,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent<TData>> {
  const signature = header(headers, 'pressroom-signature');
  if (!signature) throw new WebhookVerificationError('missing_header', 'The Pressroom-Signature header is missing.');
  let timestamp: string | undefined;
  const candidates: string[] = [];
  for (const part of signature.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') candidates.push(value.toLowerCase());
  }
  if (!timestamp || !/^\d+$/.test(timestamp) || candidates.length === 0) {
    throw new WebhookVerificationError('malformed', 'The Pressroom-Signature header is not t=<seconds>,v1=<hex>.');
  }
  const raw = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const expected = toHex(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${raw}`)));
  let matched = false;
  for (const candidate of candidates) matched = constantTimeEqual(candidate, expected) || matched;
  if (!matched) throw new WebhookVerificationError('bad_signature', 'No signature matches this body and secret.');
  // Checked after the signature, so a forged timestamp is reported as a forgery.
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now === undefined ? Date.now() : new Date(options.now).getTime();
  if (Math.abs(now / 1000 - Number(timestamp)) > tolerance) {
    throw new WebhookVerificationError('stale_timestamp', `The signature is more than ${tolerance} s old (or ahead).`);
  }
  let event: WebhookEvent<TData>;
  try {
    event = JSON.parse(raw) as WebhookEvent<TData>;
  } catch {
    throw new WebhookVerificationError('malformed', 'The body is not JSON.');
  }
  if (typeof event !== 'object' || event === null || typeof event.type !== 'string') {
    throw new WebhookVerificationError('malformed', 'The body is not a Pressroom event.');
  }
  return event;
}

/** Makes a `Pressroom-Signature` value: for tests of a receiver, and for the api's own tests. */
export async function signWebhook(secret: string, body: string, timestampSeconds: number): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = toHex(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(`${timestampSeconds}.${body}`)));
  return `t=${timestampSeconds},v1=${mac}`;
}
