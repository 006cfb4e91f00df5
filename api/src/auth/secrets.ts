import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits from the OS, URL-safe. */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps of a secret: enough to recognise it, never enough to use it. */
export function sha256(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function hmac(key: string, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** `value.signature`, so a forged or altered cookie is refused before any database work. */
export function sign(key: string, value: string): string {
  return `${value}.${hmac(key, value)}`;
}

export function unsign(key: string, signed: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const given = Buffer.from(signed.slice(dot + 1));
  const expected = Buffer.from(hmac(key, value));
  return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
}
