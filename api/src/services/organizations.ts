import { Prisma, type Role } from '@pressroom/db';
import { z } from 'zod';
import { apiTokenPrefix, rotateSession } from '../auth/sessions.js';
import { apiTokenScopes } from '../auth/permissions.js';
import { randomSecret, sha256 } from '../auth/secrets.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, requireUser, type ServiceContext } from './context.js';
import { email, secretToken, slug, title } from './validation.js';

const roles = ['OWNER', 'ADMIN', 'EDITOR', 'REVIEWER', 'ANALYST'] as const satisfies readonly Role[];
const inviteTtlMs = 7 * 24 * 3_600_000;

type Tx = Prisma.TransactionClient;

/**
 * Serialises changes to an organization's members: the owner count checked below cannot be
 * changed by a concurrent request until this transaction ends.
 */
async function lockOrganization(tx: Tx, organizationId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Organization" WHERE "id" = ${organizationId} FOR UPDATE`;
}

async function ownerCount(tx: Tx, organizationId: string): Promise<number> {
  return tx.membership.count({ where: { organizationId, role: 'OWNER' } });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

const createOrganizationInput = z.object({ name: title, slug });

/** The creator becomes its first owner; their session is rotated for the new role. */
export async function createOrganization(ctx: ServiceContext, input: z.input<typeof createOrganizationInput>) {
  const viewer = requireUser(ctx);
  const data = parseInput(createOrganizationInput, input);
  try {
    return await inTransaction(ctx, async (tx) => {
      const organization = await tx.organization.create({
        data: {
          name: data.name,
          slug: data.slug,
          settings: { create: {} },
          memberships: { create: { userId: viewer.userId, role: 'OWNER' } },
        },
      });
      const session = await rotateSession(tx, ctx.config, viewer.sessionId);
      await recordAudit(tx, ctx.meta, {
        organizationId: organization.id,
        action: 'organization.create',
        targetType: 'Organization',
        targetId: organization.id,
      });
      return { organization, cookie: session.cookie };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError('That slug is taken.');
    throw error;
  }
}

/** A chat id (`-1001234567890` for a group or channel) or a public `@channelname`. */
export const telegramChatId = z
  .string()
  .trim()
  .max(64, 'at most 64 characters')
  .regex(/^(?:-?\d+|@[A-Za-z][A-Za-z0-9_]{3,31})$/, 'a Telegram chat id such as -1001234567890, or @channelname');

const updateOrganizationInput = z.object({
  organizationId: z.string(),
  name: title.optional(),
  timezone: z.string().max(64).optional(),
  requiredApprovals: z.number().int().min(0).max(10).optional(),
  contactRetentionDays: z.number().int().min(1).max(3_650).optional(),
  departedMemberMediaRetentionDays: z.number().int().min(0).max(3_650).optional(),
  /** null clears it: reviewers are then not told on Telegram. */
  telegramReviewChatId: telegramChatId.nullable().optional(),
  /** null goes back to the server's MEDIA_QUOTA_BYTES. */
  mediaQuotaBytes: z.bigint().positive('a quota is at least one byte').nullable().optional(),
});

export async function updateOrganization(ctx: ServiceContext, input: z.input<typeof updateOrganizationInput>) {
  const data = parseInput(updateOrganizationInput, input);
  authorize(ctx, data.organizationId, 'org:manage', 'organization');
  const quotaCeiling = BigInt(ctx.config.MEDIA_QUOTA_MAX_BYTES ?? ctx.config.MEDIA_QUOTA_BYTES);
  if (data.mediaQuotaBytes && data.mediaQuotaBytes > quotaCeiling) {
    // The server's operator decides how much an organization may take; owners may only stay under it.
    throw new InvalidInputError(`The media quota may be at most ${quotaCeiling} bytes on this server.`, [
      { path: 'mediaQuotaBytes', message: `at most ${quotaCeiling}` },
    ]);
  }
  return inTransaction(ctx, async (tx) => {
    const organization = await tx.organization.update({
      where: { id: data.organizationId },
      data: {
        name: data.name,
        settings:
          data.timezone !== undefined ||
          data.requiredApprovals !== undefined ||
          data.contactRetentionDays !== undefined ||
          data.departedMemberMediaRetentionDays !== undefined ||
          data.telegramReviewChatId !== undefined ||
          data.mediaQuotaBytes !== undefined
            ? {
                update: {
                  timezone: data.timezone,
                  requiredApprovals: data.requiredApprovals,
                  contactRetentionDays: data.contactRetentionDays,
                  departedMemberMediaRetentionDays: data.departedMemberMediaRetentionDays,
                  telegramReviewChatId: data.telegramReviewChatId,
                  mediaQuotaBytes: data.mediaQuotaBytes,
                },
              }
            : undefined,
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: organization.id,
      action: 'organization.update',
      targetType: 'Organization',
      targetId: organization.id,
      metadata: {
        name: data.name,
        timezone: data.timezone,
        requiredApprovals: data.requiredApprovals,
        contactRetentionDays: data.contactRetentionDays,
        departedMemberMediaRetentionDays: data.departedMemberMediaRetentionDays,
        telegramReviewChatId: data.telegramReviewChatId,
        ...(data.mediaQuotaBytes !== undefined
          ? { mediaQuotaBytes: data.mediaQuotaBytes === null ? null : Number(data.mediaQuotaBytes) }
          : {}),
      },
    });
    return organization;
  });
}

/** A member may hand out, change or take away only roles they themselves outrank or hold as owner. */
function assertMayManageRole(ctx: ServiceContext, organizationId: string, role: Role): void {
  const viewer = requireUser(ctx);
  const own = viewer.roles.get(organizationId);
  if (role === 'OWNER' && own !== 'OWNER')
    throw new ForbiddenError('Only an OWNER may grant, change or remove the OWNER role.');
}

const inviteInput = z.object({ organizationId: z.string(), email, role: z.enum(roles) });

/** The token is returned once (to share by hand) and mailed; only its hash is kept. */
export async function inviteMember(ctx: ServiceContext, input: z.input<typeof inviteInput>) {
  const data = parseInput(inviteInput, input);
  authorize(ctx, data.organizationId, 'members:manage', 'organization');
  assertMayManageRole(ctx, data.organizationId, data.role);
  const token = randomSecret();
  const invite = await inTransaction(ctx, async (tx) => {
    const alreadyMember = await tx.membership.findFirst({
      where: { organizationId: data.organizationId, user: { email: data.email } },
      select: { id: true },
    });
    if (alreadyMember) throw new ConflictError('That person is already a member.');
    const created = await tx.invite.create({
      data: {
        organizationId: data.organizationId,
        email: data.email,
        role: data.role,
        tokenHash: sha256(token),
        invitedById: requireUser(ctx).userId,
        expiresAt: new Date(Date.now() + inviteTtlMs),
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: data.organizationId,
      action: 'invite.create',
      targetType: 'Invite',
      targetId: created.id,
      metadata: { email: data.email, role: data.role },
    });
    return created;
  });
  const organization = await ctx.db.organization.findUniqueOrThrow({
    where: { id: data.organizationId },
    select: { name: true },
  });
  await ctx.mailer.sendInvite(data.email, organization.name, token);
  return { invite, token };
}

export async function revokeInvite(ctx: ServiceContext, inviteId: string) {
  const existing = await ctx.db.invite.findUnique({ where: { id: inviteId } });
  if (!existing) throw new NotFoundError('invite');
  authorize(ctx, existing.organizationId, 'members:manage', 'invite');
  if (existing.acceptedAt || existing.revokedAt) throw new ConflictError('This invite is no longer open.');
  return inTransaction(ctx, async (tx) => {
    const invite = await tx.invite.update({ where: { id: inviteId }, data: { revokedAt: new Date() } });
    await recordAudit(tx, ctx.meta, {
      organizationId: invite.organizationId,
      action: 'invite.revoke',
      targetType: 'Invite',
      targetId: invite.id,
    });
    return invite;
  });
}

const acceptInviteInput = z.object({ token: secretToken });

/** Single use, unexpired, for the email it was sent to; the session is rotated for the new role. */
export async function acceptInvite(ctx: ServiceContext, input: z.input<typeof acceptInviteInput>) {
  const viewer = requireUser(ctx);
  const data = parseInput(acceptInviteInput, input);
  const invalid = () =>
    new InvalidInputError('This invite is invalid, used or expired.', [{ path: 'token', message: 'invalid' }]);
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: viewer.userId }, select: { email: true } });
  return inTransaction(ctx, async (tx) => {
    const now = new Date();
    const claimed = await tx.invite.updateMany({
      where: {
        tokenHash: sha256(data.token),
        email: user.email,
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { gt: now },
      },
      data: { acceptedAt: now, acceptedById: viewer.userId },
    });
    if (claimed.count !== 1) throw invalid();
    const invite = await tx.invite.findUniqueOrThrow({ where: { tokenHash: sha256(data.token) } });
    const existing = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId: invite.organizationId, userId: viewer.userId } },
    });
    if (existing) throw new ConflictError('You are already a member.');
    const membership = await tx.membership.create({
      data: { organizationId: invite.organizationId, userId: viewer.userId, role: invite.role },
    });
    // Someone who comes back within the grace period finds their uploads where they left them.
    await tx.mediaAsset.updateMany({
      where: { organizationId: invite.organizationId, uploadedById: viewer.userId, deleteAfter: { not: null } },
      data: { deleteAfter: null },
    });
    const session = await rotateSession(tx, ctx.config, viewer.sessionId);
    await recordAudit(tx, ctx.meta, {
      organizationId: invite.organizationId,
      action: 'invite.accept',
      targetType: 'Membership',
      targetId: membership.id,
      metadata: { inviteId: invite.id, role: invite.role },
    });
    return { membership, cookie: session.cookie };
  });
}

const changeRoleInput = z.object({ membershipId: z.string(), role: z.enum(roles) });

export async function changeMemberRole(ctx: ServiceContext, input: z.input<typeof changeRoleInput>) {
  const data = parseInput(changeRoleInput, input);
  const existing = await ctx.db.membership.findUnique({ where: { id: data.membershipId } });
  if (!existing) throw new NotFoundError('membership');
  authorize(ctx, existing.organizationId, 'members:manage', 'membership');
  assertMayManageRole(ctx, existing.organizationId, existing.role);
  assertMayManageRole(ctx, existing.organizationId, data.role);
  return inTransaction(ctx, async (tx) => {
    await lockOrganization(tx, existing.organizationId);
    const membership = await tx.membership.update({ where: { id: existing.id }, data: { role: data.role } });
    if (existing.role === 'OWNER' && (await ownerCount(tx, existing.organizationId)) === 0) {
      throw new ConflictError('An organization must keep at least one owner.');
    }
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'member.change_role',
      targetType: 'Membership',
      targetId: existing.id,
      metadata: { from: existing.role, to: data.role },
    });
    return membership;
  });
}

/** Removing someone else needs members:manage; anyone may leave. The last owner may not. */
export async function removeMember(ctx: ServiceContext, membershipId: string) {
  const viewer = requireUser(ctx);
  const existing = await ctx.db.membership.findUnique({ where: { id: membershipId } });
  if (!existing) throw new NotFoundError('membership');
  if (existing.userId !== viewer.userId) {
    authorize(ctx, existing.organizationId, 'members:manage', 'membership');
    assertMayManageRole(ctx, existing.organizationId, existing.role);
  } else {
    authorize(ctx, existing.organizationId, 'members:read', 'membership');
  }
  return inTransaction(ctx, async (tx) => {
    await lockOrganization(tx, existing.organizationId);
    await tx.membership.delete({ where: { id: existing.id } });
    if (existing.role === 'OWNER' && (await ownerCount(tx, existing.organizationId)) === 0) {
      throw new ConflictError('An organization must keep at least one owner.');
    }
    // Their uploads go with them, after the organization's grace period, so whoever stays can
    // keep what they need (composed posts hold their own copies and are not touched).
    const settings = await tx.organizationSettings.findUnique({ where: { organizationId: existing.organizationId } });
    const graceDays = settings?.departedMemberMediaRetentionDays ?? 30;
    const deleteAfter = new Date(Date.now() + graceDays * 24 * 3_600_000);
    const uploads = await tx.mediaAsset.updateMany({
      where: { organizationId: existing.organizationId, uploadedById: existing.userId, deleteAfter: null },
      data: { deleteAfter },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'member.remove',
      targetType: 'Membership',
      targetId: existing.id,
      metadata: {
        userId: existing.userId,
        role: existing.role,
        uploadsScheduledForDeletion: uploads.count,
        uploadsDeleteAfter: uploads.count ? deleteAfter.toISOString() : null,
      },
    });
    return existing;
  });
}

const personName = z.string().trim().max(100, 'at most 100 characters');
const updateMemberProfileInput = z.object({
  membershipId: z.string(),
  /** Empty clears it. */
  firstName: personName.optional(),
  lastName: personName.optional(),
});

/** A staff record's names: the member edits their own, members:manage edits anyone's. */
export async function updateMemberProfile(ctx: ServiceContext, input: z.input<typeof updateMemberProfileInput>) {
  const data = parseInput(updateMemberProfileInput, input);
  const viewer = requireUser(ctx);
  const existing = await ctx.db.membership.findUnique({ where: { id: data.membershipId } });
  if (!existing) throw new NotFoundError('membership');
  authorize(
    ctx,
    existing.organizationId,
    existing.userId === viewer.userId ? 'members:read' : 'members:manage',
    'membership',
  );
  const names = {
    firstName: data.firstName === undefined ? undefined : data.firstName || null,
    lastName: data.lastName === undefined ? undefined : data.lastName || null,
  };
  return inTransaction(ctx, async (tx) => {
    const membership = await tx.membership.update({ where: { id: existing.id }, data: names });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'member.update_profile',
      targetType: 'Membership',
      targetId: existing.id,
      metadata: names,
    });
    return membership;
  });
}

const createApiTokenInput = z.object({
  organizationId: z.string(),
  name: title,
  scopes: z.array(z.enum(apiTokenScopes)).min(1, 'at least one scope').max(apiTokenScopes.length),
  expiresAt: z
    .date()
    .refine((date) => date.getTime() > Date.now(), 'must be in the future')
    .nullish(),
});

/** The token is in this answer and nowhere else, ever. */
export async function createApiToken(ctx: ServiceContext, input: z.input<typeof createApiTokenInput>) {
  const data = parseInput(createApiTokenInput, input);
  authorize(ctx, data.organizationId, 'tokens:manage', 'organization');
  const viewer = requireUser(ctx);
  const token = `${apiTokenPrefix}${randomSecret()}`;
  const apiToken = await inTransaction(ctx, async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        organizationId: data.organizationId,
        name: data.name,
        prefix: token.slice(0, 10),
        tokenHash: sha256(token),
        scopes: [...new Set(data.scopes)],
        createdById: viewer.userId,
        expiresAt: data.expiresAt ?? null,
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: data.organizationId,
      action: 'api_token.create',
      targetType: 'ApiToken',
      targetId: created.id,
      metadata: { name: data.name, scopes: created.scopes },
    });
    return created;
  });
  return { apiToken, token };
}

export async function revokeApiToken(ctx: ServiceContext, apiTokenId: string) {
  const existing = await ctx.db.apiToken.findUnique({ where: { id: apiTokenId } });
  if (!existing) throw new NotFoundError('API token');
  authorize(ctx, existing.organizationId, 'tokens:manage', 'API token');
  requireUser(ctx);
  if (existing.revokedAt) throw new ConflictError('This token is already revoked.');
  return inTransaction(ctx, async (tx) => {
    const apiToken = await tx.apiToken.update({ where: { id: existing.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'api_token.revoke',
      targetType: 'ApiToken',
      targetId: existing.id,
    });
    return apiToken;
  });
}
