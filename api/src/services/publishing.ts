import type { Platform } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { settlePostStatus } from '@pressroom/db/post-status';
import {
  cancelPublication as cancelPublishing,
  checkPublication as runPublicationCheck,
  publicationStatus,
  publicationWorkflowId,
  reschedulePublication as moveWorkflowSchedule,
  schedulePublication as startPublishing,
} from '@pressroom/workflows/client';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { checkNetworkLimits, networkVersionOf, type LimitViolation } from '@pressroom/workflows/platforms';
import {
  ConflictError,
  InvalidInputError,
  NetworkLimitsError,
  NotFoundError,
  withArticle,
  WorkflowNotStartedError,
} from '../errors.js';
import { recordAudit } from './audit.js';
import { loadPost } from './content.js';
import { authorize, inTransaction, parseInput, type ServiceContext } from './context.js';
import { askWorkflow } from './workflow-calls.js';

/** Platforms the publish workflow can post to (every network has its publisher now, the blog too). */
export const publishablePlatforms: readonly Platform[] = [
  'TIKTOK',
  'INSTAGRAM',
  'FACEBOOK',
  'YOUTUBE',
  'TELEGRAM',
  'VK',
  'BLOG',
];

/** The social networks: where a post that is not an article goes when no account is named. */
const socialPlatforms: readonly Platform[] = publishablePlatforms.filter((platform) => platform !== 'BLOG');

/**
 * The account that stands for the brand's own blog (platform BLOG, the brand's id as its
 * platform id, no tokens), made the first time it is needed: publications, attempts and the
 * publish workflow then treat the blog like any network.
 */
export async function ensureBlogAccount(
  ctx: Pick<ServiceContext, 'db'>,
  brand: { id: string; organizationId: string; name: string },
) {
  return ctx.db.socialAccount.upsert({
    where: {
      organizationId_platform_platformAccountId: {
        organizationId: brand.organizationId,
        platform: 'BLOG',
        platformAccountId: brand.id,
      },
    },
    update: {},
    create: {
      organizationId: brand.organizationId,
      brandId: brand.id,
      platform: 'BLOG',
      platformAccountId: brand.id,
      displayName: `${brand.name} blog`,
    },
  });
}

const maxAheadMs = 366 * 24 * 3_600_000;
const scheduledAt = z
  .date()
  .refine((date) => date.getTime() > Date.now() && date.getTime() <= Date.now() + maxAheadMs, {
    message: 'must be in the future, within a year',
  });

const scheduleInput = z.object({
  postId: z.string(),
  scheduledAt,
  socialAccountIds: z.array(z.string()).max(20, 'at most 20 accounts').optional(),
});

/** Publications still waiting for their time: the ones a reschedule moves and an unschedule cancels. */
const waiting = { state: 'SCHEDULED' } as const;

/** The accounts a post goes to: those named, else every connected account of its brand it targets. */
async function targetAccounts(
  ctx: ServiceContext,
  post: { organizationId: string; brandId: string; batchId: string | null; format: string },
  named: string[] | undefined,
) {
  if (named?.length) {
    const accounts = await ctx.db.socialAccount.findMany({ where: { id: { in: named }, brandId: post.brandId } });
    const missing = named.filter((id) => !accounts.some((account) => account.id === id));
    if (missing.length) throw new NotFoundError('social account');
    for (const account of accounts) {
      if (!publishablePlatforms.includes(account.platform)) {
        throw new InvalidInputError(`Publishing to ${account.platform} is not supported yet.`, [
          { path: 'socialAccountIds', message: `${account.platform} cannot be published to yet` },
        ]);
      }
      if (account.status !== 'ACTIVE') {
        throw new ConflictError(
          `${account.displayName || account.platform} needs to be reconnected before publishing.`,
        );
      }
    }
    return accounts;
  }
  if (post.format === 'ARTICLE') {
    // An article's one target is its brand's blog.
    const brand = await ctx.db.brand.findUniqueOrThrow({
      where: { id: post.brandId },
      select: { id: true, organizationId: true, name: true },
    });
    return [await ensureBlogAccount(ctx, brand)];
  }
  const batch = post.batchId
    ? await ctx.db.batch.findUnique({ where: { id: post.batchId }, select: { platforms: true } })
    : null;
  const wanted = batch ? batch.platforms.filter((platform) => socialPlatforms.includes(platform)) : [];
  const accounts = await ctx.db.socialAccount.findMany({
    where: {
      brandId: post.brandId,
      status: 'ACTIVE',
      platform: { in: wanted.length ? wanted : [...socialPlatforms] },
    },
    orderBy: { createdAt: 'asc' },
  });
  if (!accounts.length) {
    throw new ConflictError(
      `The brand has no connected ${socialPlatforms.join(' or ')} account to publish to; connect one first.`,
    );
  }
  return accounts;
}

/**
 * What only the post can say is missing: a carousel's rendered images (without them it would
 * go out as bare text where a network takes text), an article's article. Everything that
 * depends on the target — a script's or video's missing video, a TEXT post on a network that
 * needs media, captions too long — is a network limit (assertFitsNetworks), refused naming the
 * network and the limit. Refused now, not at publish time.
 */
async function assertPublishable(ctx: ServiceContext, post: { id: string; format: string }) {
  if (post.format === 'CAROUSEL') {
    const images = await ctx.db.slide.count({ where: { postId: post.id, media: { status: 'READY', kind: 'IMAGE' } } });
    if (images === 0) throw new ConflictError('The post has no rendered slide images to publish.');
    return;
  }
  if (post.format === 'ARTICLE') {
    const article = await ctx.db.article.count({ where: { postId: post.id } });
    if (article === 0) throw new ConflictError('The post has no article to publish.');
  }
}

/**
 * Every limit of every target network checked before anything is scheduled (the limits table
 * in workflows/src/platforms/limits.ts), with the post's version for each network: all
 * violations are returned together, each naming its network and limit.
 */
async function assertFitsNetworks(ctx: ServiceContext, postId: string, platforms: Platform[]) {
  const post = await ctx.db.post.findUniqueOrThrow({
    where: { id: postId },
    include: {
      versions: true,
      slides: { orderBy: { position: 'asc' }, include: { media: true } },
      media: { where: { kind: 'VIDEO', status: 'READY' }, orderBy: { createdAt: 'desc' }, take: 1 },
    },
  });
  const images = post.slides.flatMap((slide) =>
    slide.media && slide.media.status === 'READY' && slide.media.kind === 'IMAGE' ? [slide.media] : [],
  );
  const violations: LimitViolation[] = platforms.flatMap((platform) =>
    checkNetworkLimits(platform, {
      format: post.format,
      version: networkVersionOf(post, platform),
      images,
      video: post.media[0] ?? null,
    }),
  );
  if (violations.length) {
    throw new NetworkLimitsError(
      violations.map((violation) => ({
        network: violation.platform,
        limit: violation.limit,
        message: violation.message,
      })),
    );
  }
}

/**
 * APPROVED → SCHEDULED: one Publication per target account, each with its publish workflow
 * waiting for `scheduledAt`. The rows and the audit event are committed first (the workflows
 * read them); when Temporal refuses a start, whatever started is stopped, the post goes back
 * to APPROVED and its publications to CANCELLED, and the caller is told to schedule again.
 */
export async function schedulePost(ctx: ServiceContext, temporal: Client, input: z.input<typeof scheduleInput>) {
  const data = parseInput(scheduleInput, input);
  const post = await loadPost(ctx, data.postId, 'posts:schedule');
  if (post.status !== 'APPROVED') throw new ConflictError(`${withArticle(post.status)} post cannot be scheduled.`);
  await assertPublishable(ctx, post);
  const accounts = await targetAccounts(ctx, post, data.socialAccountIds);
  await assertFitsNetworks(ctx, post.id, [...new Set(accounts.map((account) => account.platform))]);

  const publications = await inTransaction(ctx, async (tx) => {
    const moved = await tx.post.updateMany({
      where: { id: post.id, status: 'APPROVED' },
      data: { status: 'SCHEDULED', scheduledAt: data.scheduledAt, version: { increment: 1 } },
    });
    if (moved.count !== 1) throw new ConflictError('The post changed meanwhile; reload it and try again.');
    const earlier = await tx.publication.findMany({
      where: { postId: post.id, socialAccountId: { in: accounts.map((account) => account.id) } },
    });
    const taken = earlier.find((row) => row.state !== 'CANCELLED');
    if (taken) throw new ConflictError(`The post already has a publication on ${taken.platform} (${taken.state}).`);
    const rows = [];
    for (const account of accounts) {
      const fresh = {
        state: 'SCHEDULED' as const,
        scheduledAt: data.scheduledAt,
        failureCategory: null,
        failureReason: null,
      };
      // A publication cancelled earlier is scheduled again: its attempts stay its history.
      const row = await tx.publication.upsert({
        where: { postId_socialAccountId: { postId: post.id, socialAccountId: account.id } },
        update: fresh,
        create: {
          ...fresh,
          organizationId: post.organizationId,
          postId: post.id,
          socialAccountId: account.id,
          platform: account.platform,
        },
      });
      rows.push(
        await tx.publication.update({ where: { id: row.id }, data: { workflowId: publicationWorkflowId(row.id) } }),
      );
    }
    await recordAudit(tx, ctx.meta, {
      organizationId: post.organizationId,
      action: 'post.schedule',
      targetType: 'Post',
      targetId: post.id,
      metadata: {
        from: 'APPROVED',
        to: 'SCHEDULED',
        scheduledAt: data.scheduledAt.toISOString(),
        publicationIds: rows.map((row) => row.id),
      },
    });
    return rows;
  });

  const started: string[] = [];
  try {
    for (const publication of publications) {
      await startPublishing(temporal, publication.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE });
      started.push(publication.id);
    }
  } catch (error) {
    await rollBackSchedule(ctx, temporal, post, publications, started, error);
  }
  return { post, publications };
}

async function rollBackSchedule(
  ctx: ServiceContext,
  temporal: Client,
  post: { id: string; organizationId: string },
  publications: Array<{ id: string }>,
  started: string[],
  error: unknown,
): Promise<never> {
  const reason = error instanceof Error ? error.message : String(error);
  // A publish workflow that started is still waiting for a future time: stopping it is safe.
  for (const publicationId of started) {
    await temporal.workflow
      .getHandle(publicationWorkflowId(publicationId))
      .terminate('its schedule was rolled back')
      .catch(() => undefined);
  }
  await inTransaction(ctx, async (tx) => {
    await tx.publication.updateMany({
      where: { id: { in: publications.map((publication) => publication.id) }, state: 'SCHEDULED' },
      data: { state: 'CANCELLED', failureCategory: 'CANCELLED', failureReason: 'its publish workflow did not start' },
    });
    await tx.post.updateMany({
      where: { id: post.id, status: 'SCHEDULED' },
      data: { status: 'APPROVED', scheduledAt: null, version: { increment: 1 } },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: post.organizationId,
      action: 'post.schedule_failed',
      targetType: 'Post',
      targetId: post.id,
      metadata: { reason: reason.slice(0, 500) },
    });
  });
  throw new WorkflowNotStartedError(
    `The post could not be scheduled because its publishing could not be started; it is APPROVED again, so schedule it again. (${post.id})`,
    { cause: error },
  );
}

/** Refuses when any publication of the post has left its waiting phase. */
async function assertAllWaiting(
  ctx: ServiceContext,
  temporal: Client,
  publications: Array<{ id: string; platform: Platform }>,
) {
  for (const publication of publications) {
    const status = await askWorkflow(temporal, ctx.config.WORKFLOW_UPDATE_TIMEOUT_MS, () =>
      publicationStatus(temporal, publication.id),
    ).catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    });
    if (status && status.phase !== 'WAITING') {
      throw new ConflictError(`Too late: publishing to ${publication.platform} has already started.`);
    }
  }
}

const rescheduleInput = z.object({ postId: z.string(), scheduledAt });

/**
 * Moves a scheduled post: every publication still waiting gets the new time through its
 * workflow (which stores it). Refused once any of them has started publishing.
 */
export async function reschedulePost(ctx: ServiceContext, temporal: Client, input: z.input<typeof rescheduleInput>) {
  const data = parseInput(rescheduleInput, input);
  const post = await loadPost(ctx, data.postId, 'posts:schedule');
  if (post.status !== 'SCHEDULED') throw new ConflictError(`${withArticle(post.status)} post cannot be rescheduled.`);
  const publications = await ctx.db.publication.findMany({ where: { postId: post.id, ...waiting } });
  await assertAllWaiting(ctx, temporal, publications);
  return inTransaction(ctx, async (tx) => {
    for (const publication of publications) {
      await askWorkflow(temporal, ctx.config.WORKFLOW_UPDATE_TIMEOUT_MS, () =>
        moveWorkflowSchedule(temporal, publication.id, data.scheduledAt),
      ).catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw error;
      });
    }
    await tx.post.update({
      where: { id: post.id },
      data: { scheduledAt: data.scheduledAt, version: { increment: 1 } },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: post.organizationId,
      action: 'post.reschedule',
      targetType: 'Post',
      targetId: post.id,
      metadata: { from: post.scheduledAt?.toISOString() ?? null, to: data.scheduledAt.toISOString() },
    });
    return post;
  });
}

/**
 * SCHEDULED → APPROVED: every waiting publication is cancelled through its workflow. Refused
 * (nothing cancelled) once any of them has started publishing.
 */
export async function unschedulePost(ctx: ServiceContext, temporal: Client, postId: string) {
  const post = await loadPost(ctx, postId, 'posts:schedule');
  if (post.status !== 'SCHEDULED') throw new ConflictError(`${withArticle(post.status)} post cannot be unscheduled.`);
  const publications = await ctx.db.publication.findMany({ where: { postId: post.id, ...waiting } });
  await assertAllWaiting(ctx, temporal, publications);
  for (const publication of publications) await cancelOne(ctx, temporal, publication);
  return inTransaction(ctx, async (tx) => {
    const moved = await tx.post.updateMany({
      where: { id: post.id, status: 'SCHEDULED' },
      data: { status: 'APPROVED', scheduledAt: null, version: { increment: 1 } },
    });
    if (moved.count !== 1) throw new ConflictError('The post changed meanwhile; reload it.');
    await recordAudit(tx, ctx.meta, {
      organizationId: post.organizationId,
      action: 'post.unschedule',
      targetType: 'Post',
      targetId: post.id,
      metadata: { from: 'SCHEDULED', to: 'APPROVED', cancelledPublicationIds: publications.map((row) => row.id) },
    });
    return post;
  });
}

/**
 * Cancels one publication through its workflow, which records it CANCELLED. A publication
 * whose workflow is gone (it ended, or never started) has nothing that could publish it, so
 * the row is marked here.
 */
async function cancelOne(ctx: ServiceContext, temporal: Client, publication: { id: string }) {
  try {
    await askWorkflow(temporal, ctx.config.WORKFLOW_UPDATE_TIMEOUT_MS, () =>
      cancelPublishing(temporal, publication.id),
    );
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    await ctx.db.publication.updateMany({
      where: { id: publication.id, state: { in: ['SCHEDULED', 'FAILED'] } },
      data: { state: 'CANCELLED', failureCategory: 'CANCELLED', failureReason: 'cancelled before publishing' },
    });
  }
}

/**
 * Cancels one publication (posts:schedule) until the platform may have its post. When it was
 * the post's last one still to publish, the post goes back to APPROVED.
 */
export async function cancelPublication(ctx: ServiceContext, temporal: Client, publicationId: string) {
  const publication = await ctx.db.publication.findUnique({ where: { id: publicationId } });
  if (!publication) throw new NotFoundError('publication');
  authorize(ctx, publication.organizationId, 'posts:schedule', 'publication');
  if (!['SCHEDULED', 'PUBLISHING', 'FAILED'].includes(publication.state)) {
    throw new ConflictError(`${withArticle(publication.state)} publication cannot be cancelled.`);
  }
  await cancelOne(ctx, temporal, publication);
  return inTransaction(ctx, async (tx) => {
    const remaining = await tx.publication.count({
      where: { postId: publication.postId, state: { in: ['SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'FAILED'] } },
    });
    if (remaining === 0) {
      await tx.post.updateMany({
        where: { id: publication.postId, status: { in: ['SCHEDULED', 'FAILED'] } },
        data: { status: 'APPROVED', scheduledAt: null, version: { increment: 1 } },
      });
    } else {
      // The others decide: cancelling the one that failed leaves a post published everywhere else.
      await settlePostStatus(tx, publication.postId, { bumpVersion: true });
    }
    await recordAudit(tx, ctx.meta, {
      organizationId: publication.organizationId,
      action: 'publication.cancel',
      targetType: 'Publication',
      targetId: publication.id,
      metadata: { from: publication.state, postId: publication.postId },
    });
    return tx.publication.findUniqueOrThrow({ where: { id: publication.id } });
  });
}

/** States whose outcome a check can settle: waiting or publishing (its run may have ended), or failed. */
const checkable = ['SCHEDULED', 'PUBLISHING', 'FAILED'];

/**
 * Asks the platform again about one publication (publish:retry): a FAILED one whose post the
 * platform may have made after all, or one whose publish workflow ended without recording an
 * outcome. Found on the platform → PUBLISHED; a run that ended without a post → FAILED with the
 * reason. A publication its running workflow still handles is left as it is. Audited with
 * what was found.
 */
export async function checkPublication(ctx: ServiceContext, temporal: Client, publicationId: string) {
  const publication = await ctx.db.publication.findUnique({ where: { id: publicationId } });
  if (!publication) throw new NotFoundError('publication');
  authorize(ctx, publication.organizationId, 'publish:retry', 'publication');
  if (!checkable.includes(publication.state)) {
    throw new ConflictError(`A ${publication.state} publication has nothing left to check.`);
  }
  const found = await askWorkflow(temporal, ctx.config.WORKFLOW_UPDATE_TIMEOUT_MS, () =>
    runPublicationCheck(temporal, publication.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE }),
  );
  return inTransaction(ctx, async (tx) => {
    await recordAudit(tx, ctx.meta, {
      organizationId: publication.organizationId,
      action: 'publication.check',
      targetType: 'Publication',
      targetId: publication.id,
      metadata: {
        from: publication.state,
        to: found.state,
        platform: found.platform ?? null,
        workflowStatus: found.workflowStatus,
      },
    });
    return tx.publication.findUniqueOrThrow({ where: { id: publication.id } });
  });
}

const markPublishedInput = z.object({
  publicationId: z.string(),
  url: z
    .string()
    .trim()
    .max(2048, 'at most 2048 characters')
    .url('must be a URL')
    .refine((value) => /^https?:\/\//i.test(value), { message: 'must be an http(s) URL' }),
});

/** The post id in a TikTok link (`.../@creator/video/7400000000000000000`). */
function postIdInUrl(url: string): string | null {
  return /\/video\/(\d+)/.exec(new URL(url).pathname)?.[1] ?? null;
}

/**
 * An operator says a FAILED publication is on the platform after all (publish:retry), with
 * the post's link: it becomes PUBLISHED with that link (and the post id the link carries).
 * For an outcome the platform may have, after a check did not find it. Audited with the URL.
 */
export async function markPublicationPublished(ctx: ServiceContext, input: z.input<typeof markPublishedInput>) {
  const data = parseInput(markPublishedInput, input);
  const publication = await ctx.db.publication.findUnique({ where: { id: data.publicationId } });
  if (!publication) throw new NotFoundError('publication');
  authorize(ctx, publication.organizationId, 'publish:retry', 'publication');
  if (publication.state !== 'FAILED') {
    throw new ConflictError(`Only a FAILED publication can be marked as published; this one is ${publication.state}.`);
  }
  const postId = postIdInUrl(data.url);
  return inTransaction(ctx, async (tx) => {
    const publishedAt = new Date();
    const moved = await tx.publication.updateMany({
      where: { id: publication.id, state: 'FAILED' },
      data: {
        state: 'PUBLISHED',
        publishedAt,
        platformUrl: data.url,
        failureCategory: null,
        failureReason: null,
        ...(postId ? { platformPostId: postId } : {}),
      },
    });
    if (moved.count !== 1) throw new ConflictError('The publication changed meanwhile; reload it.');
    await settlePostStatus(tx, publication.postId, { bumpVersion: true });
    await recordAudit(tx, ctx.meta, {
      organizationId: publication.organizationId,
      action: 'publication.mark_published',
      targetType: 'Publication',
      targetId: publication.id,
      metadata: {
        url: data.url,
        platformPostId: postId,
        failureCategory: publication.failureCategory,
        failureReason: publication.failureReason?.slice(0, 500) ?? null,
      },
    });
    await emitEvent(tx, {
      kind: 'publication.changed',
      organizationId: publication.organizationId,
      payload: { publicationId: publication.id, postId: publication.postId },
    });
    return tx.publication.findUniqueOrThrow({ where: { id: publication.id } });
  });
}

export type PublicationAction = 'CANCEL' | 'RETRY' | 'CHECK' | 'MARK_PUBLISHED';

/**
 * What an operator can usefully do with a publication in its state. An outcome the platform
 * may still have (OUTCOME_UNKNOWN) is checked first, marked published with its link, or
 * retried (a retry looks for the post before sending anything); cancelling it is not offered,
 * since the post may exist.
 */
export function publicationActions(publication: {
  state: string;
  failureCategory: string | null;
}): PublicationAction[] {
  switch (publication.state) {
    case 'SCHEDULED':
      return ['CANCEL'];
    case 'PUBLISHING':
      // Only a run that ended without recording its end needs this; the periodic check does it too.
      return ['CHECK'];
    case 'FAILED':
      return publication.failureCategory === 'OUTCOME_UNKNOWN'
        ? ['CHECK', 'MARK_PUBLISHED', 'RETRY']
        : ['RETRY', 'CHECK', 'MARK_PUBLISHED', 'CANCEL'];
    default:
      return [];
  }
}

/**
 * Takes a live article down from its brand's blog (posts:schedule, audited): its pages answer
 * 404 from now on and it leaves the index, sitemap and feed. Its BLOG publication stays
 * PUBLISHED, the record that it went out; the article keeps `unpublishedAt`.
 */
export async function unpublishArticle(ctx: ServiceContext, postId: string) {
  const post = await loadPost(ctx, postId, 'posts:schedule');
  if (post.format !== 'ARTICLE') throw new ConflictError(`${withArticle(post.format)} post is not on the blog.`);
  return inTransaction(ctx, async (tx) => {
    const article = await tx.article.findUnique({ where: { postId }, select: { id: true, slug: true } });
    const taken = await tx.article.updateMany({
      where: { postId, publishedAt: { not: null } },
      data: { publishedAt: null, unpublishedAt: new Date() },
    });
    if (!article || taken.count !== 1) throw new ConflictError('The article is not on the blog.');
    await recordAudit(tx, ctx.meta, {
      organizationId: post.organizationId,
      action: 'article.unpublish',
      targetType: 'Post',
      targetId: post.id,
      metadata: { slug: article.slug },
    });
    const publications = await tx.publication.findMany({
      where: { postId, platform: 'BLOG' },
      select: { id: true },
    });
    for (const publication of publications) {
      await emitEvent(tx, {
        kind: 'publication.changed',
        organizationId: post.organizationId,
        payload: { publicationId: publication.id, postId },
      });
    }
    return post;
  });
}

/**
 * Puts an article that was taken down (unpublishArticle) back on its brand's blog at once
 * (posts:schedule, audited). Only an article that went out through its BLOG publication comes
 * back this way, with the date it was first published, so readers, the feed and the index see
 * the same article (its modified date moves); one never published is scheduled instead.
 */
export async function republishArticle(ctx: ServiceContext, postId: string) {
  const post = await loadPost(ctx, postId, 'posts:schedule');
  if (post.format !== 'ARTICLE') throw new ConflictError(`${withArticle(post.format)} post is not on the blog.`);
  return inTransaction(ctx, async (tx) => {
    const article = await tx.article.findUnique({
      where: { postId },
      select: { id: true, slug: true, publishedAt: true, unpublishedAt: true },
    });
    if (!article) throw new ConflictError('The post has no article.');
    if (article.publishedAt) throw new ConflictError('The article is on the blog already.');
    const publication = await tx.publication.findFirst({
      where: { postId, platform: 'BLOG', state: 'PUBLISHED' },
      orderBy: { publishedAt: 'asc' },
      select: { id: true, publishedAt: true },
    });
    if (!publication || !article.unpublishedAt) {
      throw new ConflictError('The article has not been published to the blog; schedule it instead.');
    }
    const now = new Date();
    const firstPublished = publication.publishedAt && publication.publishedAt <= now ? publication.publishedAt : now;
    // Conditional on still being down: a concurrent re-publish or take-down loses, not both win.
    const back = await tx.article.updateMany({
      where: { id: article.id, publishedAt: null, unpublishedAt: article.unpublishedAt },
      data: { publishedAt: firstPublished, unpublishedAt: null },
    });
    if (back.count !== 1) throw new ConflictError('The article changed meanwhile; reload it and try again.');
    await recordAudit(tx, ctx.meta, {
      organizationId: post.organizationId,
      action: 'article.republish',
      targetType: 'Post',
      targetId: post.id,
      metadata: { slug: article.slug, takenDownAt: article.unpublishedAt.toISOString() },
    });
    await emitEvent(tx, {
      kind: 'publication.changed',
      organizationId: post.organizationId,
      payload: { publicationId: publication.id, postId },
    });
    return post;
  });
}
