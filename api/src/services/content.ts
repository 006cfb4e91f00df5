import type { PostStatus } from '@pressroom/db';
import { readingMinutes, slugify, slugPattern } from '@pressroom/db/articles';
import {
  apiTokenReviewerPrefix,
  approvePost as approveInWorkflow,
  createBatch as startBatchGeneration,
  rejectPost as rejectInWorkflow,
  retryPublication as startRetry,
  startReview,
} from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Permission } from '../auth/permissions.js';
import { can } from '../auth/viewer.js';
import { ConflictError, NotFoundError, VersionConflictError, withArticle, WorkflowNotStartedError } from '../errors.js';
import { assertAiAllowed } from './ai.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, requireViewer, type ServiceContext } from './context.js';
import { askWorkflow } from './workflow-calls.js';

// BLOG is a target too: a batch with articles sends them to the brand's blog.
const platforms = ['TIKTOK', 'INSTAGRAM', 'FACEBOOK', 'YOUTUBE', 'TELEGRAM', 'VK', 'BLOG'] as const;
const formats = ['CAROUSEL', 'VIDEO', 'SCRIPT', 'ARTICLE', 'TEXT'] as const;

const createBatchInput = z
  .object({
    brandId: z.string(),
    brief: z.string().trim().min(1, 'required').max(10_000, 'at most 10000 characters'),
    count: z.number().int().min(1, 'at least 1').max(50, 'at most 50'),
    format: z.enum(formats).default('CAROUSEL'),
    /** A mixed batch: one format per post, in order (count must match). */
    formats: z.array(z.enum(formats)).max(50, 'at most 50').optional(),
    platforms: z.array(z.enum(platforms)).min(1, 'at least one platform').max(platforms.length),
  })
  .refine((input) => !input.formats?.length || input.formats.length === input.count, {
    path: ['formats'],
    message: 'one format per post: as many as count',
  });

/**
 * Writes the batch (QUEUED) with its audit event, then starts its generation workflow. The
 * workflow reads the batch, so it starts only after the row is committed. When Temporal
 * refuses or does not answer, the batch is marked FAILED (audited with the reason) so nobody
 * waits for a generation that never began, and the caller gets an error saying so.
 */
export async function createBatch(ctx: ServiceContext, temporal: Client, input: z.input<typeof createBatchInput>) {
  const batch = await writeBatch(ctx, input);
  try {
    await startBatchGeneration(temporal, batch.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await inTransaction(ctx, async (tx) => {
      const marked = await tx.batch.updateMany({
        where: { id: batch.id, status: 'QUEUED' },
        data: { status: 'FAILED', completedAt: new Date() },
      });
      if (marked.count !== 1) return;
      await recordAudit(tx, ctx.meta, {
        organizationId: batch.organizationId,
        action: 'batch.start_failed',
        targetType: 'Batch',
        targetId: batch.id,
        metadata: { reason: reason.slice(0, 500) },
      });
    });
    throw new WorkflowNotStartedError(
      `The batch was saved but its generation could not be started, so it is marked FAILED; create it again. (${batch.id})`,
      { cause: error },
    );
  }
  return batch;
}

async function writeBatch(ctx: ServiceContext, input: z.input<typeof createBatchInput>) {
  const data = parseInput(createBatchInput, input);
  const brand = await ctx.db.brand.findUnique({ where: { id: data.brandId } });
  if (!brand) throw new NotFoundError('brand');
  const viewer = authorize(ctx, brand.organizationId, 'posts:write', 'brand');
  // Every format a batch makes is written by the AI provider.
  await assertAiAllowed(ctx.db, brand.organizationId, 'text');
  return inTransaction(ctx, async (tx) => {
    const batch = await tx.batch.create({
      data: {
        organizationId: brand.organizationId,
        brandId: brand.id,
        createdById: viewer.kind === 'user' ? viewer.userId : null,
        brief: data.brief,
        count: data.count,
        format: data.formats?.[0] ?? data.format,
        formats: data.formats ?? [],
        platforms: [...new Set(data.platforms)],
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: brand.organizationId,
      action: 'batch.create',
      targetType: 'Batch',
      targetId: batch.id,
      metadata: { count: batch.count, platforms: batch.platforms, formats: batch.formats },
    });
    return batch;
  });
}

const hashtag = z
  .string()
  .trim()
  .regex(/^#?[\p{L}\p{N}_]{1,100}$/u, 'letters, digits and underscores')
  .transform((tag) => (tag.startsWith('#') ? tag : `#${tag}`));
const slideInput = z.object({
  heading: z.string().max(200, 'at most 200 characters').default(''),
  body: z.string().max(2_000, 'at most 2000 characters').default(''),
});
const caption = z.string().max(4_000, 'at most 4000 characters');
/** A network with its own version of a post's text: the blog shows the article itself. */
export const networkVersionPlatform = z
  .enum(platforms)
  .refine((platform) => platform !== 'BLOG', 'the blog shows the article, it has no version of its own');
const postTitle = z.string().trim().max(200, 'at most 200 characters');

const postVersionInput = z
  .object({
    postId: z.string(),
    platform: networkVersionPlatform,
    caption: caption.nullable().optional(),
    title: postTitle.nullable().optional(),
    hashtags: z.array(hashtag).max(60, 'at most 60 hashtags').nullable().optional(),
    /** Facebook only: the post goes out as a link post sharing this address. */
    link: z
      .string()
      .trim()
      .max(2048, 'at most 2048 characters')
      .url('a link must be an absolute URL')
      .refine((value) => /^https?:\/\//i.test(value), 'a link must be http or https')
      .nullable()
      .optional(),
  })
  .refine((input) => input.link === null || input.link === undefined || input.platform === 'FACEBOOK', {
    message: 'only the Facebook version of a post has a link',
    path: ['link'],
  });

/** Once publications exist, their text was checked against the networks' limits: it stays. */
const versionEditableStatuses: PostStatus[] = ['DRAFT', 'REJECTED', 'IN_REVIEW', 'APPROVED'];

/**
 * Sets a post's text for one network (posts:write): a caption, hashtags and (for YouTube) a
 * title used there instead of the post's own. A null field falls back to the post's; all
 * null removes the network's version.
 */
export async function setPostVersion(ctx: ServiceContext, input: z.input<typeof postVersionInput>) {
  const data = parseInput(postVersionInput, input);
  const post = await loadPost(ctx, data.postId, 'posts:write');
  if (!versionEditableStatuses.includes(post.status)) {
    throw new ConflictError(`${withArticle(post.status)} post's network versions cannot change.`);
  }
  const fields = {
    caption: data.caption ?? null,
    title: data.title ?? null,
    hashtags: data.hashtags ?? [],
    hashtagsSet: data.hashtags !== null && data.hashtags !== undefined,
    link: data.link ?? null,
  };
  return inTransaction(ctx, async (tx) => {
    if (fields.caption === null && fields.title === null && !fields.hashtagsSet && fields.link === null) {
      await tx.postVersion.deleteMany({ where: { postId: post.id, platform: data.platform } });
    } else {
      await tx.postVersion.upsert({
        where: { postId_platform: { postId: post.id, platform: data.platform } },
        create: { postId: post.id, platform: data.platform, ...fields },
        update: fields,
      });
    }
    await recordAudit(tx, ctx.meta, {
      organizationId: post.organizationId,
      action: 'post.set_version',
      targetType: 'Post',
      targetId: post.id,
      metadata: { platform: data.platform },
    });
    return post;
  });
}

const articleInput = z.object({
  slug: z
    .string()
    .trim()
    .max(80, 'at most 80 characters')
    .regex(slugPattern, 'lower-case letters, digits and hyphens')
    .optional(),
  metaTitle: z.string().trim().max(60, 'at most 60 characters').default(''),
  metaDescription: z.string().trim().max(160, 'at most 160 characters').default(''),
  keywords: z
    .array(z.string().trim().min(1).max(80, 'at most 80 characters'))
    .max(10, 'at most 10 keywords')
    .default([]),
  outline: z
    .array(z.string().trim().min(1).max(200, 'at most 200 characters'))
    .max(30, 'at most 30 headings')
    .default([]),
  body: z.string().max(60_000, 'at most 60000 characters').default(''),
  excerpt: z.string().trim().max(300, 'at most 300 characters').default(''),
});
const sceneInput = z.object({
  voiceOver: z.string().max(1_000, 'at most 1000 characters').default(''),
  onScreenText: z.string().max(120, 'at most 120 characters').default(''),
  shot: z.string().max(500, 'at most 500 characters').default(''),
  durationSeconds: z.number().min(0.5, 'at least 0.5 s').max(60, 'at most 60 s'),
});
const scenesInput = z.array(sceneInput).max(30, 'at most 30 scenes');

/**
 * Writes a post's article by hand. An explicit slug another article of the brand has is a
 * conflict; without one it comes from the title, numbered when taken.
 */
async function writeArticle(
  tx: Tx,
  post: { id: string; organizationId: string; brandId: string; title: string },
  article: z.output<typeof articleInput>,
) {
  const others = async (slug: string) =>
    (await tx.article.count({ where: { brandId: post.brandId, slug, postId: { not: post.id } } })) > 0;
  let slug = article.slug;
  if (slug && (await others(slug))) throw new ConflictError(`Another article of this brand has the slug "${slug}".`);
  if (!slug) {
    const base = slugify(post.title || article.metaTitle);
    slug = base;
    for (let n = 2; await others(slug); n++) slug = `${base}-${n}`;
  }
  const fields = { ...article, slug, readingMinutes: readingMinutes(article.body) };
  await tx.article.upsert({
    where: { postId: post.id },
    create: { postId: post.id, organizationId: post.organizationId, brandId: post.brandId, ...fields },
    update: fields,
  });
}

const createPostInput = z.object({
  brandId: z.string(),
  article: articleInput.optional(),
  scenes: scenesInput.optional(),
  format: z.enum(formats).default('CAROUSEL'),
  title: postTitle.default(''),
  caption: caption.default(''),
  hashtags: z.array(hashtag).max(30, 'at most 30 hashtags').default([]),
  slides: z.array(slideInput).max(35, 'at most 35 slides').default([]),
});

export async function createPost(ctx: ServiceContext, input: z.input<typeof createPostInput>) {
  const data = parseInput(createPostInput, input);
  const brand = await ctx.db.brand.findUnique({ where: { id: data.brandId } });
  if (!brand) throw new NotFoundError('brand');
  const viewer = authorize(ctx, brand.organizationId, 'posts:write', 'brand');
  return inTransaction(ctx, async (tx) => {
    const post = await tx.post.create({
      data: {
        organizationId: brand.organizationId,
        brandId: brand.id,
        createdById: viewer.kind === 'user' ? viewer.userId : null,
        format: data.format,
        title: data.title,
        caption: data.caption,
        hashtags: data.hashtags,
        slides: { create: data.slides.map((slide, position) => ({ ...slide, position })) },
        scenes: { create: (data.scenes ?? []).map((scene, position) => ({ ...scene, position })) },
      },
    });
    if (data.article) await writeArticle(tx, post, data.article);
    await recordAudit(tx, ctx.meta, {
      organizationId: post.organizationId,
      action: 'post.create',
      targetType: 'Post',
      targetId: post.id,
    });
    return post;
  });
}

/** The post, if the viewer may act on it with `permission` (another tenant's answers "not found"). */
export async function loadPost(ctx: ServiceContext, postId: string, permission: Permission) {
  const post = await ctx.db.post.findUnique({ where: { id: postId } });
  if (!post) throw new NotFoundError('post');
  authorize(ctx, post.organizationId, permission, 'post');
  return post;
}

const editableStatuses: PostStatus[] = ['DRAFT', 'REJECTED'];

const updatePostInput = z.object({
  postId: z.string(),
  /** The version the editor started from; a newer one means someone else saved first. */
  expectedVersion: z.number().int().min(1),
  title: postTitle.optional(),
  caption: caption.optional(),
  hashtags: z.array(hashtag).max(30, 'at most 30 hashtags').optional(),
  slides: z.array(slideInput).max(35, 'at most 35 slides').optional(),
  article: articleInput.optional(),
  scenes: scenesInput.optional(),
});

type Tx = Parameters<Parameters<ServiceContext['db']['$transaction']>[0]>[0];

/**
 * Approvals that count for the post's text as it is now: those given after its last rejection
 * (an edited, resubmitted post starts from zero) and after its text last changed in review.
 * The review activity in workflows counts the same way.
 */
export async function countApprovals(
  db: Pick<Tx, 'review'>,
  post: { id: string; approvalsResetAt: Date | null },
): Promise<number> {
  const lastRejection = await db.review.findFirst({
    where: { postId: post.id, decision: 'REJECTED' },
    orderBy: { createdAt: 'desc' },
    select: { createdAt: true },
  });
  const since = [lastRejection?.createdAt, post.approvalsResetAt ?? undefined]
    .filter((date): date is Date => date !== undefined)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  return db.review.count({
    where: { postId: post.id, decision: 'APPROVED', ...(since ? { createdAt: { gt: since } } : {}) },
  });
}

function staleVersion(current: {
  version: number;
  status: PostStatus;
  title: string;
  caption: string;
  hashtags: string[];
}) {
  return new VersionConflictError(
    `Someone saved this post after you loaded it; it is now version ${current.version} (${current.status}). Compare and choose whose text to keep.`,
    { version: current.version, title: current.title, caption: current.caption, hashtags: current.hashtags },
  );
}

/**
 * Drafts and rejected posts may be edited (a rejected post becomes a draft again). A post in
 * review may have its title, caption and hashtags corrected by an editor or a reviewer; its
 * slides are rendered images, so they change only through a rejection. An edit in review
 * discards the approvals already given: they were for the old text, and nobody may publish
 * text no reviewer approved, so approvals count again from zero (audited as
 * post.approvals_reset). A stale expectedVersion is a VersionConflictError with the text as it is now.
 */
export async function updatePost(ctx: ServiceContext, input: z.input<typeof updatePostInput>) {
  const data = parseInput(updatePostInput, input);
  const existing = await ctx.db.post.findUnique({ where: { id: data.postId } });
  if (!existing) throw new NotFoundError('post');
  const inReview = existing.status === 'IN_REVIEW';
  const viewer = requireViewer(ctx);
  const reviewerEdit =
    inReview &&
    !can(viewer, existing.organizationId, 'posts:write') &&
    can(viewer, existing.organizationId, 'posts:review');
  authorize(ctx, existing.organizationId, reviewerEdit ? 'posts:review' : 'posts:write', 'post');
  if (!inReview && !editableStatuses.includes(existing.status)) {
    throw new ConflictError(`${withArticle(existing.status)} post cannot be edited.`);
  }
  if (inReview && data.slides !== undefined) {
    throw new ConflictError('The slides of a post in review cannot be edited; reject it to have them changed.');
  }
  if (inReview && data.scenes !== undefined) {
    throw new ConflictError('The scenes of a post in review cannot be edited; reject it to have them changed.');
  }
  return inTransaction(ctx, async (tx) => {
    // Taken before the reset time is read, so an approval being recorded (which holds the same
    // lock) either lands before the reset, and is discarded by it, or after it and is refused
    // as made against an old version.
    await tx.$executeRaw`SELECT 1 FROM "Post" WHERE id = ${existing.id} FOR UPDATE`;
    const current = await tx.post.findUniqueOrThrow({ where: { id: existing.id } });
    if (current.version !== data.expectedVersion) throw staleVersion(current);
    if (current.status !== existing.status) {
      throw new ConflictError(`${withArticle(current.status)} post cannot be edited.`);
    }
    const discarded = inReview ? await countApprovals(tx, current) : 0;
    const updated = await tx.post.update({
      where: { id: existing.id },
      data: {
        title: data.title,
        caption: data.caption,
        hashtags: data.hashtags,
        version: { increment: 1 },
        ...(inReview ? { approvalsResetAt: new Date() } : { status: 'DRAFT' }),
      },
    });
    if (data.slides) {
      await tx.slide.deleteMany({ where: { postId: existing.id } });
      await tx.slide.createMany({
        data: data.slides.map((slide, position) => ({ ...slide, position, postId: existing.id })),
      });
    }
    if (data.scenes) {
      await tx.scriptScene.deleteMany({ where: { postId: existing.id } });
      await tx.scriptScene.createMany({
        data: data.scenes.map((scene, position) => ({ ...scene, position, postId: existing.id })),
      });
    }
    if (data.article) await writeArticle(tx, updated, data.article);
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'post.update',
      targetType: 'Post',
      targetId: existing.id,
      metadata: { version: updated.version, status: updated.status },
    });
    if (inReview) {
      await recordAudit(tx, ctx.meta, {
        organizationId: existing.organizationId,
        action: 'post.approvals_reset',
        targetType: 'Post',
        targetId: existing.id,
        metadata: { version: updated.version, approvalsDiscarded: discarded },
      });
    }
    return updated;
  });
}

interface Transition {
  action: string;
  permission: Permission;
  from: PostStatus[];
  to: PostStatus;
}

/** Steps people take directly; review decisions and publishing go through the workflows. */
export const postTransitions = {
  submitForReview: { action: 'post.submit_for_review', permission: 'posts:write', from: ['DRAFT'], to: 'IN_REVIEW' },
} satisfies Record<string, Transition>;

export type PostTransitionName = keyof typeof postTransitions;

const transitionInput = z.object({ postId: z.string() });

/**
 * DRAFT → IN_REVIEW, then the post's review workflow starts (reminders, escalation). When
 * Temporal is away the post still waits in review: the first decision starts the workflow.
 */
export async function submitPostForReview(
  ctx: ServiceContext,
  temporal: Client,
  input: z.input<typeof transitionInput>,
) {
  const data = parseInput(transitionInput, input);
  const transition: Transition = postTransitions.submitForReview;
  const existing = await loadPost(ctx, data.postId, transition.permission);
  const post = await inTransaction(ctx, async (tx) => {
    // Conditional on the state read above: a concurrent transition makes this one a conflict.
    const updated = await tx.post.updateMany({
      where: { id: existing.id, status: { in: transition.from } },
      data: { status: transition.to, version: { increment: 1 } },
    });
    if (updated.count !== 1) {
      throw new ConflictError(`${withArticle(existing.status)} post cannot go to ${transition.to}.`);
    }
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: transition.action,
      targetType: 'Post',
      targetId: existing.id,
      metadata: { from: existing.status, to: transition.to },
    });
    return tx.post.findUniqueOrThrow({ where: { id: existing.id } });
  });
  await startReview(temporal, post.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE }).catch(() => undefined);
  return post;
}

const reviewInput = z.object({
  postId: z.string(),
  comment: z.string().trim().max(2_000, 'at most 2000 characters').optional(),
  /** The version the reviewer read; without it, the version the post has when the decision is asked. */
  expectedVersion: z.number().int().min(1).optional(),
});

/**
 * A reviewer's decision, taken by the post's review workflow (an update: validated, answered
 * with the post's state). With several approvals required, an approval may leave the post
 * IN_REVIEW. Each member (or API token) decides once; the audit event is written with the
 * answer, so a refused or unanswered decision leaves no trace.
 */
export async function reviewPost(
  ctx: ServiceContext,
  temporal: Client,
  decision: 'approve' | 'reject',
  input: z.input<typeof reviewInput>,
) {
  const data = parseInput(reviewInput, input);
  const existing = await loadPost(ctx, data.postId, 'posts:review');
  if (existing.status !== 'IN_REVIEW') {
    throw new ConflictError(`${withArticle(existing.status)} post is not waiting for review.`);
  }
  if (data.expectedVersion !== undefined && data.expectedVersion !== existing.version) throw staleVersion(existing);
  const viewer = requireViewer(ctx);
  const request = {
    reviewerId: viewer.kind === 'user' ? viewer.userId : `${apiTokenReviewerPrefix}${viewer.apiTokenId}`,
    ...(data.comment ? { comment: data.comment } : {}),
    // The activity records the decision only if the text is still this version.
    expectedVersion: data.expectedVersion ?? existing.version,
  };
  const decide = decision === 'approve' ? approveInWorkflow : rejectInWorkflow;
  const target = { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE };
  const result = await askWorkflow(temporal, ctx.config.WORKFLOW_UPDATE_TIMEOUT_MS, () =>
    decide(temporal, existing.id, request, target),
  );
  if (result.staleVersion !== undefined) {
    // The text changed between reading the post and recording the decision: nothing was recorded.
    throw staleVersion(await ctx.db.post.findUniqueOrThrow({ where: { id: existing.id } }));
  }
  await inTransaction(ctx, (tx) =>
    recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: decision === 'approve' ? 'post.approve' : 'post.reject',
      targetType: 'Post',
      targetId: existing.id,
      metadata: {
        from: 'IN_REVIEW',
        to: result.status,
        approvals: result.approvals,
        requiredApprovals: result.requiredApprovals,
      },
    }),
  );
  return { post: existing, result };
}

export async function deletePost(ctx: ServiceContext, postId: string) {
  const existing = await loadPost(ctx, postId, 'posts:write');
  if (!['DRAFT', 'REJECTED', 'GENERATION_FAILED'].includes(existing.status)) {
    throw new ConflictError(`${withArticle(existing.status)} post cannot be deleted.`);
  }
  return inTransaction(ctx, async (tx) => {
    // Its rendered files outlive the row (the media rows are kept, unlinked): due now, so the
    // next retention run removes them from storage.
    await tx.media.updateMany({
      where: { postId: existing.id, deletedAt: null },
      data: { deleteAfter: new Date() },
    });
    await tx.post.delete({ where: { id: existing.id } });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'post.delete',
      targetType: 'Post',
      targetId: existing.id,
      // The row is gone; live subscribers of its brand still hear that it changed.
      metadata: { brandId: existing.brandId },
    });
    return existing;
  });
}

/**
 * An operator's retry of a FAILED publication. The workflow is asked inside the transaction
 * that writes the audit event: when Temporal refuses, nothing is recorded; the attempt itself
 * (and its platform response) is written by the workflow.
 */
export async function retryPublication(ctx: ServiceContext, temporal: Client, publicationId: string) {
  const publication = await ctx.db.publication.findUnique({
    where: { id: publicationId },
    include: { socialAccount: { select: { status: true, displayName: true, platform: true } } },
  });
  if (!publication) throw new NotFoundError('publication');
  const viewer = authorize(ctx, publication.organizationId, 'publish:retry', 'publication');
  if (publication.state !== 'FAILED') {
    throw new ConflictError(`${withArticle(publication.state)} publication cannot be retried.`);
  }
  const account = publication.socialAccount;
  if (account.status !== 'ACTIVE') {
    // Another try would fail the same way: Pressroom has no valid token for the account.
    throw new ConflictError(
      `${account.displayName || account.platform} needs to be connected again before this publication can be retried.`,
    );
  }
  const triggeredById = viewer.kind === 'user' ? viewer.userId : null;
  return inTransaction(ctx, async (tx) => {
    await recordAudit(tx, ctx.meta, {
      organizationId: publication.organizationId,
      action: 'publication.retry',
      targetType: 'Publication',
      targetId: publication.id,
      metadata: { previousAttempts: publication.attemptCount, failureCategory: publication.failureCategory },
    });
    const started = await startRetry(
      temporal,
      publication.id,
      { triggeredById },
      {
        taskQueue: ctx.config.TEMPORAL_TASK_QUEUE,
      },
    );
    return { publication, attemptNumber: started.attemptNumber };
  });
}
