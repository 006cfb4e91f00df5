import { deleteAccount, requestDataExport as startExport } from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';
import { ConflictError, ForbiddenError, NotFoundError, WorkflowNotStartedError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, requireUser, type ServiceContext } from './context.js';

/**
 * Starts the workflow of a request row that is already committed (the workflow reads it).
 * When Temporal refuses or does not answer, the row is marked FAILED with the reason, so it
 * never looks pending forever, and the caller gets an error saying so.
 */
async function startOrMarkFailed(
  ctx: ServiceContext,
  request: { id: string; kind: 'export' | 'deletion' },
  start: () => Promise<unknown>,
) {
  try {
    await start();
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const data = { status: 'FAILED' as const, error: `not started: ${reason}`, completedAt: new Date() };
    const where = { id: request.id, status: 'PENDING' as const };
    if (request.kind === 'export') await ctx.db.dataExportRequest.updateMany({ where, data });
    else await ctx.db.deletionRequest.updateMany({ where, data });
    throw new WorkflowNotStartedError(
      `The ${request.kind} request was saved but could not be started, so it is marked FAILED; request it again. (${request.id})`,
      { cause: error },
    );
  }
}

/**
 * An archive of an organization's data, or of one member's (`subjectUserId`). Exports carry
 * every member's personal data, so only the organization's admins may ask (`org:manage`,
 * which no API token can hold).
 */
export async function requestDataExport(
  ctx: ServiceContext,
  temporal: Client,
  input: { organizationId: string; subjectUserId?: string },
) {
  const organization = await ctx.db.organization.findFirst({ where: { id: input.organizationId, deletedAt: null } });
  if (!organization) throw new NotFoundError('organization');
  const viewer = authorize(ctx, organization.id, 'org:manage', 'organization');
  if (input.subjectUserId) {
    const membership = await ctx.db.membership.findUnique({
      where: { organizationId_userId: { organizationId: organization.id, userId: input.subjectUserId } },
    });
    if (!membership) throw new NotFoundError('user');
  }
  const request = await inTransaction(ctx, async (tx) => {
    const row = await tx.dataExportRequest.create({
      data: {
        organizationId: organization.id,
        requestedById: viewer.kind === 'user' ? viewer.userId : null,
        scope: input.subjectUserId ? 'USER' : 'ORGANIZATION',
        subjectUserId: input.subjectUserId ?? null,
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: organization.id,
      action: 'data_export.request',
      targetType: 'DataExportRequest',
      targetId: row.id,
      metadata: { scope: row.scope, subjectUserId: row.subjectUserId },
    });
    return row;
  });
  await startOrMarkFailed(ctx, { id: request.id, kind: 'export' }, () =>
    startExport(temporal, request.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE }),
  );
  return request;
}

export type DeletionSubject =
  { scope: 'SOCIAL_ACCOUNT'; id: string } | { scope: 'USER'; id: string } | { scope: 'ORGANIZATION'; id: string };

/**
 * Who may delete what: a social account, whoever manages the brand's connections
 * (`brands:manage`); a person, only themself; an organization, only its owners. API tokens
 * delete nothing but social accounts, and no token scope grants `brands:manage`.
 */
async function deletionTarget(
  ctx: ServiceContext,
  subject: DeletionSubject,
): Promise<{ organizationId: string | null }> {
  if (subject.scope === 'SOCIAL_ACCOUNT') {
    const account = await ctx.db.socialAccount.findUnique({ where: { id: subject.id } });
    if (!account) throw new NotFoundError('social account');
    authorize(ctx, account.organizationId, 'brands:manage', 'social account');
    return { organizationId: account.organizationId };
  }
  if (subject.scope === 'USER') {
    const viewer = requireUser(ctx);
    // Someone else's account looks like a missing one.
    if (viewer.userId !== subject.id) throw new NotFoundError('user');
    // An organization is never left without an owner: its last one hands it over, or deletes it, first.
    const soleOwnerships = await ctx.db.organization.findMany({
      where: {
        deletedAt: null,
        memberships: { some: { userId: viewer.userId, role: 'OWNER' } },
        NOT: { memberships: { some: { role: 'OWNER', userId: { not: viewer.userId } } } },
      },
      select: { name: true },
    });
    if (soleOwnerships.length) {
      throw new ConflictError(
        `You are the only owner of ${soleOwnerships.map((org) => `"${org.name}"`).join(', ')}: make another member an owner, or delete the organization, before deleting your account.`,
      );
    }
    return { organizationId: null };
  }
  const organization = await ctx.db.organization.findFirst({ where: { id: subject.id, deletedAt: null } });
  if (!organization) throw new NotFoundError('organization');
  const viewer = authorize(ctx, organization.id, 'org:read', 'organization');
  if (viewer.kind !== 'user' || viewer.roles.get(organization.id) !== 'OWNER') {
    throw new ForbiddenError('Only an OWNER of the organization may do this.');
  }
  return { organizationId: organization.id };
}

export async function requestAccountDeletion(ctx: ServiceContext, temporal: Client, subject: DeletionSubject) {
  const { organizationId } = await deletionTarget(ctx, subject);
  const viewer = ctx.meta.viewer;
  const request = await inTransaction(ctx, async (tx) => {
    const row = await tx.deletionRequest.create({
      data: {
        organizationId,
        requestedById: viewer?.kind === 'user' ? viewer.userId : null,
        scope: subject.scope,
        subjectId: subject.id,
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId,
      action: 'deletion.request',
      targetType: 'DeletionRequest',
      targetId: row.id,
      metadata: { scope: row.scope, subjectId: row.subjectId },
    });
    return row;
  });
  await startOrMarkFailed(ctx, { id: request.id, kind: 'deletion' }, () =>
    deleteAccount(temporal, request.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE }),
  );
  return request;
}
