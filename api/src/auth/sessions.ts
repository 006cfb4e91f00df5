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

/** What a session cookie came to: its viewer, or why it no longer signs anyone in. */
type SessionOutcome = { viewer: Viewer; lapsed: null } | { viewer: null; lapsed: string };

async function viewerFromSession(db: Database, settings: SessionSettings, signed: string): Promise<SessionOutcome> {
  const secret = unsign(settings.SESSION_SECRET, signed);
  if (!secret) return { viewer: null, lapsed: 'Your session cookie is not valid here; sign in again.' };
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
  // A rotated session's old cookie names no row any more: it was replaced, like a signed-out one.
  if (!session) return { viewer: null, lapsed: 'Your session has ended (signed out or replaced); sign in again.' };
  if (session.revokedAt) return { viewer: null, lapsed: 'Your session was signed out or revoked; sign in again.' };
  if (session.expiresAt.getTime() <= now) return { viewer: null, lapsed: 'Your session has expired; sign in again.' };
  if (session.user.deletedAt) return { viewer: null, lapsed: 'Your account was deleted.' };
  if (now - session.lastSeenAt.getTime() > touchIntervalMs) {
    await db.session.update({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
  }
  return {
    viewer: {
      kind: 'user',
      userId: session.userId,
      sessionId: session.id,
      roles: new Map<string, Role>(session.user.memberships.map((m) => [m.organizationId, m.role])),
    },
    lapsed: null,
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
  // A bad token is an error, not anonymity: the integrator must learn that it stopped working, and why.
  if (!apiToken) throw new UnauthenticatedError('This API token is not valid (unknown or mistyped).');
  if (apiToken.revokedAt) throw new UnauthenticatedError('This API token was revoked.');
  if (apiToken.expiresAt && apiToken.expiresAt.getTime() <= now) {
    throw new UnauthenticatedError('This API token has expired.');
  }
  if (apiToken.organization.deletedAt) throw new UnauthenticatedError("This API token's organization was deleted.");
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

export interface Identified {
  viewer: Viewer | null;
  /**
   * Set when a session cookie was sent but signs nobody in (expired, signed out...): the
   * request goes on anonymously (signing in again must work), and UNAUTHENTICATED says why.
   */
  lapsedCredential: string | null;
}

/**
 * The request's viewer from `Authorization: Bearer prt_...` or the session cookie. A token
 * that does not work throws UnauthenticatedError naming the reason.
 */
export async function identify(
  db: Database,
  settings: SessionSettings,
  headers: { authorization: string | null; cookie: string | null },
): Promise<Identified> {
  if (headers.authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization);
    if (!match?.[1]?.startsWith(apiTokenPrefix)) {
      throw new UnauthenticatedError(`Authorization must be "Bearer ${apiTokenPrefix}..." with an API token.`);
    }
    return { viewer: await viewerFromApiToken(db, match[1]), lapsedCredential: null };
  }
  const signed = readCookie(headers.cookie, sessionCookieName(settings));
  if (!signed) return { viewer: null, lapsedCredential: null };
  const outcome = await viewerFromSession(db, settings, signed);
  return { viewer: outcome.viewer, lapsedCredential: outcome.lapsed };
}

/** The request's viewer alone (see identify). */
export async function resolveViewer(
  db: Database,
  settings: SessionSettings,
  headers: { authorization: string | null; cookie: string | null },
): Promise<Viewer | null> {
  return (await identify(db, settings, headers)).viewer;
}
