import { createHmac, timingSafeEqual } from 'node:crypto';
import { assertValidKey } from './storage.js';

export interface UrlSignerOptions {
  /** Base of the public route that serves objects, e.g. `https://pressroom.example/media`. */
  baseUrl: string;
  /** HMAC-SHA256 secret; at least 32 bytes. */
  secret: string | Buffer;
  /** Default lifetime of a URL. TikTok pulls within the hour; the default leaves margin. */
  defaultExpiresInSeconds?: number;
  now?: () => number;
}

export interface UrlSigner {
  sign(key: string, expiresInSeconds?: number): string;
  /** The object key when `url`'s path and query carry a valid, unexpired signature. */
  verify(pathAndQuery: string): { key: string } | { error: 'bad_signature' | 'expired' | 'malformed' };
}

/** Signed URLs remembered per signer (about 2 MB of them). */
const maxRemembered = 10_000;

/**
 * The step a URL's expiry is rounded up to: a twelfth of its lifetime (5 minutes for an hour),
 * none under 10 minutes, where a test or a client may count on the exact second.
 */
function expiryStep(lifetimeSeconds: number): number {
  return lifetimeSeconds >= 600 ? Math.floor(lifetimeSeconds / 12) : 1;
}

export function createUrlSigner(options: UrlSignerOptions): UrlSigner {
  const secret = typeof options.secret === 'string' ? Buffer.from(options.secret) : options.secret;
  if (secret.length < 32) throw new Error('the URL signing secret must be at least 32 bytes');
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const now = options.now ?? Date.now;
  const mac = (key: string, expires: number) =>
    createHmac('sha256', secret).update(`${key}\n${expires}`).digest('base64url');

  // URLs signed for the same key within one step are the same URL: a browser keeps the image it
  // already has, and a page of slides is signed once per step rather than on every read.
  const signed = new Map<string, string>();

  return {
    sign(key, expiresInSeconds = options.defaultExpiresInSeconds ?? 3 * 3600) {
      const step = expiryStep(expiresInSeconds);
      // Rounded up: a URL lives at least as long as asked, and at most a step longer.
      const expires = Math.ceil((Math.floor(now() / 1000) + expiresInSeconds) / step) * step;
      const memoKey = `${key}\n${expires}`;
      const known = signed.get(memoKey);
      if (known) return known;
      assertValidKey(key);
      const url = new URL(key, base);
      url.searchParams.set('expires', String(expires));
      url.searchParams.set('signature', mac(key, expires));
      const text = url.toString();
      if (signed.size >= maxRemembered) signed.clear();
      signed.set(memoKey, text);
      return text;
    },
    verify(pathAndQuery) {
      const url = new URL(pathAndQuery, base);
      if (!url.pathname.startsWith(base.pathname)) return { error: 'malformed' };
      const key = decodeURIComponent(url.pathname.slice(base.pathname.length));
      const expires = Number(url.searchParams.get('expires'));
      const signature = url.searchParams.get('signature') ?? '';
      try {
        assertValidKey(key);
      } catch {
        return { error: 'malformed' };
      }
      if (!Number.isInteger(expires) || !signature) return { error: 'malformed' };
      const expected = Buffer.from(mac(key, expires));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { error: 'bad_signature' };
      if (expires * 1000 < now()) return { error: 'expired' };
      return { key };
    },
  };
}
