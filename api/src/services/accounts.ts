import { hashPassword, verifyPassword } from '@pressroom/db';
import { z } from 'zod';
import { activeBlock, clearFailures, recordFailure } from '../auth/rate-limit.js';
import { randomSecret, sha256 } from '../auth/secrets.js';
import { clearedSessionCookie, createSession, rotateSession } from '../auth/sessions.js';
import { ConflictError, InvalidCredentialsError, InvalidInputError, RateLimitedError } from '../errors.js';
import type { Viewer } from '../auth/viewer.js';
import { recordAudit } from './audit.js';
import { inTransaction, parseInput, requireUser, type ServiceContext } from './context.js';
import { email, password, personName, secretToken } from './validation.js';

/** A real hash of nothing: unknown emails cost the same scrypt time as known ones. */
const decoyHash = hashPassword(randomSecret());

const resetTokenTtlMs = 60 * 60 * 1000;

export interface SignedIn {
  userId: string;
  cookie: string;
  /** The person as the rest of this request sees them (the new session, their organizations). */
  viewer: Extract<Viewer, { kind: 'user' }>;
}

const signUpInput = z.object({ email, name: personName, password });

export async function signUp(ctx: ServiceContext, input: z.input<typeof signUpInput>): Promise<SignedIn> {
  const data = parseInput(signUpInput, input);
  const passwordHash = await hashPassword(data.password);
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: data.email }, select: { id: true } });
    if (existing) throw new ConflictError('An account with this email already exists.');
    const user = await tx.user.create({ data: { email: data.email, name: data.name, passwordHash } });
    const session = await createSession(tx, ctx.config, user.id, ctx.meta);
    await recordAudit(tx, ctx.meta, {
      organizationId: null,
      actorUserId: user.id,
      action: 'user.sign_up',
      targetType: 'User',
      targetId: user.id,
    });
    return {
      userId: user.id,
      cookie: session.cookie,
      viewer: { kind: 'user', userId: user.id, sessionId: session.sessionId, roles: new Map() },
    };
  });
}

const signInInput = z.object({ email, password: z.string().max(200, 'at most 200 characters') });

/**
 * Sign-in is throttled per account and per address: a few free failures, then delays that
 * double. A blocked attempt does no password work at all.
 */
export async function signIn(ctx: ServiceContext, input: z.input<typeof signInInput>): Promise<SignedIn> {
  const data = parseInput(signInInput, input);
  const accountKey = `sign-in:account:${data.email}`;
  const addressKey = `sign-in:address:${ctx.meta.ip ?? 'unknown'}`;
  const block = await activeBlock(ctx.db, [accountKey, addressKey]);
  if (block) {
    throw new RateLimitedError(
      `Too many failed sign-ins; try again in ${block.retryAfterSeconds} s.`,
      block.retryAfterSeconds,
    );
  }
  const user = await ctx.db.user.findUnique({
    where: { email: data.email },
    select: { id: true, passwordHash: true, deletedAt: true },
  });
  const valid = await verifyPassword(data.password, user?.passwordHash ?? (await decoyHash));
  if (!user || user.deletedAt || !valid) {
    const free = ctx.config.SIGN_IN_FREE_FAILURES;
    // An address may try more accounts than one account may be tried, before it waits.
    await recordFailure(ctx.db, accountKey, free);
    await recordFailure(ctx.db, addressKey, free * 4);
    throw new InvalidCredentialsError();
  }
  await clearFailures(ctx.db, accountKey);
  return inTransaction(ctx, async (tx) => {
    const session = await createSession(tx, ctx.config, user.id, ctx.meta);
    await recordAudit(tx, ctx.meta, {
      organizationId: null,
      actorUserId: user.id,
      action: 'session.sign_in',
      targetType: 'Session',
      targetId: session.sessionId,
    });
    const memberships = await tx.membership.findMany({
      where: { userId: user.id, organization: { deletedAt: null } },
      select: { organizationId: true, role: true },
    });
    return {
      userId: user.id,
      cookie: session.cookie,
      viewer: {
        kind: 'user',
        userId: user.id,
        sessionId: session.sessionId,
        roles: new Map(memberships.map((membership) => [membership.organizationId, membership.role])),
      },
    };
  });
}

/** Ends this session. Returns the cookie that clears it in the browser. */
export async function signOut(ctx: ServiceContext): Promise<string> {
  const viewer = requireUser(ctx);
  await inTransaction(ctx, async (tx) => {
    await tx.session.update({ where: { id: viewer.sessionId }, data: { revokedAt: new Date() } });
    await recordAudit(tx, ctx.meta, {
      organizationId: null,
      action: 'session.sign_out',
      targetType: 'Session',
      targetId: viewer.sessionId,
    });
  });
  return clearedSessionCookie(ctx.config);
}

/** Ends every session of the viewer, this one included. Returns how many were ended. */
export async function signOutEverywhere(ctx: ServiceContext): Promise<{ count: number; cookie: string }> {
  const viewer = requireUser(ctx);
  const count = await inTransaction(ctx, async (tx) => {
    const ended = await tx.session.updateMany({
      where: { userId: viewer.userId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: null,
      action: 'session.sign_out_everywhere',
      targetType: 'User',
      targetId: viewer.userId,
      metadata: { sessions: ended.count },
    });
    return ended.count;
  });
  return { count, cookie: clearedSessionCookie(ctx.config) };
}

const changePasswordInput = z.object({ currentPassword: z.string().max(200), newPassword: password });

/** Other sessions end; this one gets a new secret. */
export async function changePassword(
  ctx: ServiceContext,
  input: z.input<typeof changePasswordInput>,
): Promise<{ cookie: string }> {
  const viewer = requireUser(ctx);
  const data = parseInput(changePasswordInput, input);
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: viewer.userId }, select: { passwordHash: true } });
  if (!(await verifyPassword(data.currentPassword, user.passwordHash))) {
    throw new InvalidInputError('The current password is wrong.', [
      { path: 'currentPassword', message: 'wrong password' },
    ]);
  }
  const passwordHash = await hashPassword(data.newPassword);
  return inTransaction(ctx, async (tx) => {
    await tx.user.update({ where: { id: viewer.userId }, data: { passwordHash } });
    await tx.session.updateMany({
      where: { userId: viewer.userId, revokedAt: null, id: { not: viewer.sessionId } },
      data: { revokedAt: new Date() },
    });
    const session = await rotateSession(tx, ctx.config, viewer.sessionId);
    await recordAudit(tx, ctx.meta, {
      organizationId: null,
      action: 'user.change_password',
      targetType: 'User',
      targetId: viewer.userId,
    });
    return { cookie: session.cookie };
  });
}

const requestResetInput = z.object({ email });

/**
 * Always answers the same, whether the account exists or not; the token goes only to the
 * account's email.
 */
export async function requestPasswordReset(
  ctx: ServiceContext,
  input: z.input<typeof requestResetInput>,
): Promise<void> {
  const data = parseInput(requestResetInput, input);
  const user = await ctx.db.user.findUnique({ where: { email: data.email }, select: { id: true, deletedAt: true } });
  if (!user || user.deletedAt) return;
  const token = randomSecret();
  await inTransaction(ctx, async (tx) => {
    await tx.passwordResetToken.create({
      data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + resetTokenTtlMs) },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: null,
      actorUserId: user.id,
      action: 'user.request_password_reset',
      targetType: 'User',
      targetId: user.id,
    });
  });
  await ctx.mailer.sendPasswordReset(data.email, token);
}

const resetPasswordInput = z.object({ token: secretToken, newPassword: password });

/** Single use; every session of the account ends. */
export async function resetPassword(ctx: ServiceContext, input: z.input<typeof resetPasswordInput>): Promise<void> {
  const data = parseInput(resetPasswordInput, input);
  const passwordHash = await hashPassword(data.newPassword);
  await inTransaction(ctx, async (tx) => {
    const now = new Date();
    // Claimed with a conditional update, so two concurrent uses cannot both succeed.
    const claimed = await tx.passwordResetToken.updateMany({
      where: { tokenHash: sha256(data.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) {
      throw new InvalidInputError('This reset link is invalid or has expired.', [
        { path: 'token', message: 'invalid or expired' },
      ]);
    }
    const { userId } = await tx.passwordResetToken.findUniqueOrThrow({
      where: { tokenHash: sha256(data.token) },
      select: { userId: true },
    });
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    await tx.session.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    await recordAudit(tx, ctx.meta, {
      organizationId: null,
      actorUserId: userId,
      action: 'user.reset_password',
      targetType: 'User',
      targetId: userId,
    });
  });
}
