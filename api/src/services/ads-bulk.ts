import type { AdsBulkAction, AdsBulkItemStatus, AdsObjectLevel, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { startAdsBulkJobRun } from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { actorOf } from '../auth/viewer.js';
import { ConflictError, InvalidInputError, NotFoundError, WorkflowNotStartedError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, requireViewer, type ServiceContext } from './context.js';

/**
 * The most objects one job may name. A GraphQL body holds about 7,000 global ids within its
 * 256 KB limit; 5,000 leaves room and still covers a large account's ads in a few jobs.
 */
export const maxBulkItems = 5_000;

const previewTransaction = { timeout: 60_000, maxWait: 10_000 };

const previewInput = z
  .object({
    level: z.enum(['CAMPAIGN', 'ADGROUP', 'AD']),
    objectIds: z.array(z.string().min(1)).min(1).max(maxBulkItems),
    action: z.enum(['ENABLE', 'PAUSE', 'SET_BUDGET']),
    budget: z
      .string()
      .regex(/^\d{1,12}(\.\d{1,2})?$/, 'a decimal amount with at most two decimals')
      .nullish(),
  })
  .superRefine((input, issues) => {
    if (input.action === 'SET_BUDGET' && !input.budget) {
      issues.addIssue({ code: 'custom', path: ['budget'], message: 'SET_BUDGET needs a budget' });
    }
    if (input.action === 'SET_BUDGET' && input.budget && Number(input.budget) <= 0) {
      issues.addIssue({ code: 'custom', path: ['budget'], message: 'must be greater than 0' });
    }
    if (input.action !== 'SET_BUDGET' && input.budget) {
      issues.addIssue({ code: 'custom', path: ['budget'], message: 'only SET_BUDGET takes a budget' });
    }
    if (input.action === 'SET_BUDGET' && input.level === 'AD') {
      issues.addIssue({ code: 'custom', path: ['action'], message: 'ads have no budget of their own' });
    }
  });

interface Target {
  id: string;
  organizationId: string;
  platformId: string;
  name: string;
  operationStatus: string;
  budget: Prisma.Decimal | null;
  budgetMode: string | null;
  deletedAt: Date | null;
  advertiser: { connectionId: string; platformAdvertiserId: string };
}

async function targetsOf(ctx: ServiceContext, level: AdsObjectLevel, ids: string[]): Promise<Target[]> {
  const advertiser = { select: { connectionId: true, platformAdvertiserId: true } } as const;
  const where = { id: { in: ids } };
  if (level === 'CAMPAIGN') return ctx.db.adsCampaign.findMany({ where, include: { advertiser } });
  if (level === 'ADGROUP') return ctx.db.adsAdGroup.findMany({ where, include: { advertiser } });
  const ads = await ctx.db.adsAd.findMany({ where, include: { advertiser } });
  return ads.map((ad) => ({ ...ad, budget: null, budgetMode: null }));
}

/** Why an object is left out of a change, or null when the change applies to it. */
function skipReason(action: AdsBulkAction, budget: string | null, target: Target): string | null {
  if (target.deletedAt) return 'Deleted at TikTok.';
  if (action === 'ENABLE' && target.operationStatus === 'ENABLE') return 'Already enabled.';
  if (action === 'PAUSE' && target.operationStatus === 'DISABLE') return 'Already paused.';
  if (action === 'SET_BUDGET') {
    if (target.budgetMode === 'BUDGET_MODE_INFINITE') return 'Has no budget (unlimited).';
    if (target.budget !== null && budget !== null && Number(target.budget) === Number(budget)) {
      return 'The budget is already that.';
    }
  }
  return null;
}

async function announce(tx: Prisma.TransactionClient, organizationId: string, jobId: string) {
  await emitEvent(tx, { kind: 'ads.bulk_job.changed', organizationId, payload: { jobId } });
}

/**
 * A bulk change previewed: the objects (all of one level, of one connection) each with what
 * will happen to it — PENDING to be changed, SKIPPED when already so (or deleted). Nothing is
 * sent to TikTok until the job is run.
 */
export async function previewAdsBulkJob(ctx: ServiceContext, input: z.input<typeof previewInput>) {
  const data = parseInput(previewInput, input);
  requireViewer(ctx);
  const ids = [...new Set(data.objectIds)];
  const targets = await targetsOf(ctx, data.level, ids);
  const found = new Map(targets.map((target) => [target.id, target]));
  const organizations = new Set(targets.map((target) => target.organizationId));
  // Objects of organizations the viewer cannot see answer like missing ones.
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0 || organizations.size !== 1) throw new NotFoundError('ads object');
  const organizationId = [...organizations][0]!;
  const viewer = authorize(ctx, organizationId, 'ads:bulk', 'ads object');
  const connections = new Set(targets.map((target) => target.advertiser.connectionId));
  if (connections.size !== 1) {
    throw new InvalidInputError('A bulk job changes objects of one ads connection.', [
      { path: 'objectIds', message: 'objects of several connections' },
    ]);
  }
  const connectionId = [...connections][0]!;
  const connection = await ctx.db.adsConnection.findUniqueOrThrow({ where: { id: connectionId } });
  if (connection.status === 'DISCONNECTED') throw new ConflictError('This ads connection is disconnected.');
  const budget = data.budget ?? null;
  // Up to 5,000 items in one transaction: Prisma's default 5 s is too short on a busy database.
  return ctx.db.$transaction(async (tx) => {
    const job = await tx.adsBulkJob.create({
      data: {
        organizationId,
        connectionId,
        level: data.level,
        action: data.action,
        budget,
        createdById: actorOf(viewer).actorUserId,
      },
    });
    const items = ids.map((id): Prisma.AdsBulkItemCreateManyInput => {
      const target = found.get(id)!;
      const reason = skipReason(data.action, budget, target);
      return {
        jobId: job.id,
        objectId: target.id,
        platformAdvertiserId: target.advertiser.platformAdvertiserId,
        platformId: target.platformId,
        name: target.name,
        previousStatus: target.operationStatus,
        previousBudget: target.budget,
        status: reason ? 'SKIPPED' : 'PENDING',
        message: reason,
      };
    });
    await tx.adsBulkItem.createMany({ data: items });
    await recordAudit(tx, ctx.meta, {
      organizationId,
      action: 'ads_bulk_job.preview',
      targetType: 'AdsBulkJob',
      targetId: job.id,
      metadata: {
        level: data.level,
        action: data.action,
        budget,
        items: items.length,
        skipped: items.filter((item) => item.status === 'SKIPPED').length,
      },
    });
    await announce(tx, organizationId, job.id);
    return job;
  }, previewTransaction);
}

async function jobFor(ctx: ServiceContext, id: string) {
  const job = await ctx.db.adsBulkJob.findUnique({ where: { id } });
  if (!job) throw new NotFoundError('ads bulk job');
  authorize(ctx, job.organizationId, 'ads:bulk', 'ads bulk job');
  return job;
}

/** Starts run `run` after its transaction committed; a refused start leaves the job as it was. */
async function startRun(
  ctx: ServiceContext,
  temporal: Client,
  jobId: string,
  run: number,
  undo: Prisma.AdsBulkJobUpdateManyArgs['data'],
  revertItems: boolean,
) {
  try {
    await startAdsBulkJobRun(temporal, jobId, run, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE });
  } catch (error) {
    await ctx.db.$transaction(async (tx) => {
      await tx.adsBulkJob.updateMany({ where: { id: jobId, run }, data: undo });
      if (revertItems) {
        await tx.adsBulkItem.updateMany({
          where: { jobId, status: 'PENDING', run: { gt: 0 } },
          data: { status: 'FAILED' },
        });
      }
    });
    throw new WorkflowNotStartedError('The bulk job could not be started; nothing was sent, try again.', {
      cause: error,
    });
  }
}

/** Applies a previewed job: its PENDING items are sent to TikTok by adsBulkJobWorkflow. */
export async function runAdsBulkJob(ctx: ServiceContext, id: string, temporal: Client) {
  const job = await jobFor(ctx, id);
  if (job.status !== 'PREVIEW') throw new ConflictError('This bulk job has already been run.');
  const started = await inTransaction(ctx, async (tx) => {
    // Two clicks on Run: only one moves the job on.
    const claimed = await tx.adsBulkJob.updateMany({
      where: { id, status: 'PREVIEW' },
      data: { status: 'RUNNING', run: 1, startedAt: new Date() },
    });
    if (claimed.count !== 1) throw new ConflictError('This bulk job has already been run.');
    const pending = await tx.adsBulkItem.count({ where: { jobId: id, status: 'PENDING' } });
    await recordAudit(tx, ctx.meta, {
      organizationId: job.organizationId,
      action: 'ads_bulk_job.run',
      targetType: 'AdsBulkJob',
      targetId: id,
      metadata: { run: 1, items: pending },
    });
    await announce(tx, job.organizationId, id);
    return tx.adsBulkJob.findUniqueOrThrow({ where: { id } });
  });
  await startRun(ctx, temporal, id, 1, { status: 'PREVIEW', run: 0, startedAt: null }, false);
  return started;
}

/** Sends a finished job's FAILED items again, as the job's next run. */
export async function retryAdsBulkJobFailures(ctx: ServiceContext, id: string, temporal: Client) {
  const job = await jobFor(ctx, id);
  if (job.status !== 'PARTIALLY_FAILED') {
    throw new ConflictError(
      job.status === 'RUNNING' ? 'This bulk job is still running.' : 'This bulk job has no failed items to retry.',
    );
  }
  const run = job.run + 1;
  const updated = await inTransaction(ctx, async (tx) => {
    const claimed = await tx.adsBulkJob.updateMany({
      where: { id, status: 'PARTIALLY_FAILED', run: job.run },
      data: { status: 'RUNNING', run, finishedAt: null },
    });
    if (claimed.count !== 1) throw new ConflictError('This bulk job is already being retried.');
    // Items a run gave up on before sending (PENDING) go again with the failed ones.
    const retried = await tx.adsBulkItem.updateMany({
      where: { jobId: id, status: { in: ['FAILED', 'PENDING'] } },
      data: { status: 'PENDING' },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: job.organizationId,
      action: 'ads_bulk_job.retry',
      targetType: 'AdsBulkJob',
      targetId: id,
      metadata: { run, items: retried.count },
    });
    await announce(tx, job.organizationId, id);
    return tx.adsBulkJob.findUniqueOrThrow({ where: { id } });
  });
  await startRun(ctx, temporal, id, run, { status: 'PARTIALLY_FAILED', run: job.run }, true);
  return updated;
}

/** Items of a job by status, for the job's counters. */
export async function bulkJobCounts(db: ServiceContext['db'], jobId: string) {
  const groups = await db.adsBulkItem.groupBy({ by: ['status'], where: { jobId }, _count: true });
  const count = (status: AdsBulkItemStatus) => groups.find((group) => group.status === status)?._count ?? 0;
  const counts = { pending: count('PENDING'), done: count('DONE'), failed: count('FAILED'), skipped: count('SKIPPED') };
  return { ...counts, total: counts.pending + counts.done + counts.failed + counts.skipped };
}
