import type { Database, Prisma, Role } from '@pressroom/db';
import type { ApiConfig } from '../config.js';
import { UnauthenticatedError } from '../errors.js';
import { randomSecret, sha256, sign, unsign } from './secrets.js';
import type { Viewer } from './viewer.js';

export type SessionSettings = Pick<ApiConfig, 'SESSION_SECRET' | 'SESSION_TTL_HOURS' | 'COOKIE_SECURE'>;

/** `__Host-` makes browsers insist on Secure, Path=/ and no Domain. */
export function sessionCookieName(settings: SessionSettings): string {
  return settings.COOKIE_SECURE ? '__Host-pressroom_session' : 'pressroom_session';
}

export function sessionCookie(settings: SessionSettings, secret: string, expiresAt: Date): string {
  const attributes = [
    `${sessionCookieName(settings)}=${sign(settings.SESSION_SECRET, secret)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (settings.COOKIE_SECURE) attributes.push('Secure');
  return attributes.join('; ');
}

export function clearedSessionCookie(settings: SessionSettings): string {
  const attributes = [`${sessionCookieName(settings)}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0'];
  if (settings.COOKIE_SECURE) attributes.push('Secure');
  return attributes.join('; ');
}

export interface IssuedSession {
  sessionId: string;
  cookie: string;
}

export async function createSession(
  tx: Prisma.TransactionClient,
  settings: SessionSettings,
  userId: string,
  client: { ip: string | null; userAgent: string | null },
): Promise<IssuedSession> {
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + settings.SESSION_TTL_HOURS * 3_600_000);
  const session = await tx.session.create({
    data: { userId, tokenHash: sha256(secret), ip: client.ip, userAgent: client.userAgent?.slice(0, 500), expiresAt },
  });
  return { sessionId: session.id, cookie: sessionCookie(settings, secret, expiresAt) };
}

/**
 * Gives the current session a new secret (the old cookie stops working) when what it may do
 * changes, so a cookie captured before cannot ride on the new privileges.
 */
export async function rotateSession(
  tx: Prisma.TransactionClient,
  settings: SessionSettings,
  sessionId: string,
): Promise<IssuedSession> {
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + settings.SESSION_TTL_HOURS * 3_600_000);
  await tx.session.update({ where: { id: sessionId }, data: { tokenHash: sha256(secret), expiresAt } });
  return { sessionId, cookie: sessionCookie(settings, secret, expiresAt) };
}

export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

/** How often last-seen and last-used times are written; they are for people, not for billing. */
const touchIntervalMs = 60_000;

async function viewerFromSession(db: Database, settings: SessionSettings, signed: string): Promise<Viewer | null> {
  const secret = unsign(settings.SESSION_SECRET, signed);
  if (!secret) return null;
  const session = await db.session.findUnique({
    where: { tokenHash: sha256(secret) },
    select: {
      id: true,
      userId: true,
      expiresAt: true,
      revokedAt: true,
      lastSeenAt: true,
      user: {
        select: {
          deletedAt: true,
          memberships: {
            where: { organization: { deletedAt: null } },
            select: { organizationId: true, role: true },
          },
        },
      },
    },
  });
  const now = Date.now();
  if (!session || session.revokedAt || session.expiresAt.getTime() <= now || session.user.deletedAt) return null;
  if (now - session.lastSeenAt.getTime() > touchIntervalMs) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
  }
  return {
    kind: 'user',
    userId: session.userId,
    sessionId: session.id,
    roles: new Map<string, Role>(session.user.memberships.map((m) => [m.organizationId, m.role])),
  };
}

export const apiTokenPrefix = 'prt_';

async function viewerFromApiToken(db: Database, token: string): Promise<Viewer> {
  const apiToken = await db.apiToken.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      organizationId: true,
      scopes: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      organization: { select: { deletedAt: true } },
    },
  });
  const now = Date.now();
  if (
    !apiToken ||
    apiToken.revokedAt ||
    (apiToken.expiresAt && apiToken.expiresAt.getTime() <= now) ||
    apiToken.organization.deletedAt
  ) {
    // A bad token is an error, not anonymity: the integrator must learn that it stopped working.
    throw new UnauthenticatedError();
  }
  if (!apiToken.lastUsedAt || now - apiToken.lastUsedAt.getTime() > touchIntervalMs) {
    await db.apiToken.update({ where: { id: apiToken.id }, data: { lastUsedAt: new Date(now) } });
  }
  return {
    kind: 'apiToken',
    apiTokenId: apiToken.id,
    organizationId: apiToken.organizationId,
    scopes: new Set(apiToken.scopes),
  };
}

/** The request's viewer from `Authorization: Bearer prt_...` or the session cookie. */
export async function resolveViewer(
  db: Database,
  settings: SessionSettings,
  headers: { authorization: string | null; cookie: string | null },
): Promise<Viewer | null> {
  if (headers.authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization);
    if (!match?.[1]?.startsWith(apiTokenPrefix)) throw new UnauthenticatedError();
    return viewerFromApiToken(db, match[1]);
  }
  const signed = readCookie(headers.cookie, sessionCookieName(settings));
  return signed ? viewerFromSession(db, settings, signed) : null;
}
