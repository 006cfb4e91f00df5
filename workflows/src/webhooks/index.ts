import { createHmac, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Every event type an endpoint may subscribe to. Each names the state a post, batch,
 * publication or account reached (read when the event is dispatched), or a metrics sync.
 */
export const webhookEventTypes = [
  ...[
    'generating',
    'generation_failed',
    'draft',
    'in_review',
    'approved',
    'rejected',
    'scheduled',
    'publishing',
    'published',
    'failed',
  ].map((s) => `post.${s}`),
  ...['queued', 'generating', 'ready', 'partial', 'failed', 'cancelled'].map((s) => `batch.${s}`),
  ...['scheduled', 'publishing', 'published', 'failed', 'cancelled'].map((s) => `publication.${s}`),
  'metrics.updated',
  ...['active', 'token_expired', 'revoked', 'error', 'disconnected'].map((s) => `account.${s}`),
];

/** What is POSTed: the same bytes on every attempt of one delivery. */
export interface WebhookEventBody {
  id: string;
  type: string;
  createdAt: string;
  organizationId: string;
  data: Record<string, unknown>;
}

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/**
 * `Pressroom-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, one `v1`
 * per secret (two while a rotated-out secret is still honoured).
 */
export function signatureHeader(secrets: string[], body: string, timestampSeconds: number): string {
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`,
  );
  return [`t=${timestampSeconds}`, ...signatures].join(',');
}

// Addresses a webhook must not reach unless private URLs are allowed: this host, private
// networks, link-local (cloud metadata at 169.254.169.254 among them), unique-local, CGNAT,
// multicast and the unspecified addresses.
const refused = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  refused.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['fd00:ec2::', 32],
] as const) {
  refused.addSubnet(network, prefix, 'ipv6');
}

function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is checked as the IPv4 it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return refused.check(mapped[1]!, 'ipv4');
  return refused.check(address, 'ipv6');
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Whether a webhook URL may be called: http(s) only, and every address its host resolves to
 * must be public, unless `allowPrivate`. Checked when an endpoint is registered and again
 * before each attempt, since a name can be pointed elsewhere after registration.
 */
export async function checkWebhookUrl(
  raw: string,
  options: { allowPrivate: boolean; resolve?: (host: string) => Promise<string[]> },
): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'only http(s) URLs' };
  if (url.username || url.password) return { ok: false, reason: 'credentials in the URL are not allowed' };
  if (options.allowPrivate) return { ok: true, url };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host)
      ? [host]
      : await (
          options.resolve ?? (async (name: string) => (await lookup(name, { all: true })).map((entry) => entry.address))
        )(host);
  } catch {
    return { ok: false, reason: `${host} does not resolve` };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
  const blocked = addresses.find(isRefusedAddress);
  if (blocked) {
    return { ok: false, reason: `${host} resolves to ${blocked}, a loopback, private or link-local address` };
  }
  return { ok: true, url };
}

/** The vault context a webhook secret is bound to (a ciphertext copied to another endpoint fails). */
export function webhookSecretContext(endpoint: { organizationId: string; id: string }) {
  return `webhook-endpoint:${endpoint.organizationId}:${endpoint.id}`;
}
