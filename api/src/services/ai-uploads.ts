import type { Platform } from '@pressroom/db';
import { readAiPolicy } from '@pressroom/db/ai';
import { startVideoReview, suggestCaptions } from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import {
  AiDisabledError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  WorkflowUnavailableError,
} from '../errors.js';
import { assertAiAllowed } from './ai.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, type ServiceContext } from './context.js';
import { askWorkflow } from './workflow-calls.js';

const networks = [
  'TIKTOK',
  'INSTAGRAM',
  'FACEBOOK',
  'YOUTUBE',
  'TELEGRAM',
  'VK',
] as const satisfies readonly Platform[];

const suggestInput = z.object({
  mediaAssetIds: z.array(z.string()).min(1, 'choose at least one upload').max(10, 'at most 10 uploads'),
  networks: z
    .array(z.enum(networks))
    .min(1, 'choose at least one network')
    .max(6)
    .transform((list) => [...new Set(list)]),
});

/**
 * Caption and hashtag suggestions per network from library uploads (an image's preview, or a
 * video's sampled frames), written by the organization's AI provider. Needs ai:use and
 * media:read; AiDisabledError (nothing sent) while the organization's AI text is off.
 */
export async function suggestCaptionsForMedia(
  ctx: ServiceContext,
  temporal: Client,
  // Any platform may be asked for; the brands' blogs (BLOG) are refused as a bad input.
  input: Omit<z.input<typeof suggestInput>, 'networks'> & { networks: readonly Platform[] },
) {
  const data = parseInput(suggestInput, input);
  const ids = [...new Set(data.mediaAssetIds)];
  const assets = await ctx.db.mediaAsset.findMany({ where: { id: { in: ids } } });
  const organizationId = assets[0]?.organizationId;
  if (assets.length !== ids.length || assets.some((asset) => asset.organizationId !== organizationId)) {
    throw new NotFoundError('media asset');
  }
  authorize(ctx, organizationId!, 'media:read', 'media asset');
  authorize(ctx, organizationId!, 'ai:use', 'media asset');
  const notReady = assets.filter((asset) => asset.status !== 'READY');
  if (notReady.length > 0) {
    throw new InvalidInputError(`${notReady.map((asset) => asset.filename).join(', ')}: not processed yet.`, [
      { path: 'mediaAssetIds', message: 'every upload must be READY' },
    ]);
  }
  await assertAiAllowed(ctx.db, organizationId!, 'text');
  const answer = await askWorkflow(temporal, ctx.config.WORKFLOW_UPDATE_TIMEOUT_MS * 6, () =>
    suggestCaptions(
      temporal,
      { organizationId: organizationId!, mediaAssetIds: ids, networks: data.networks },
      { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE },
    ),
  );
  if ('failure' in answer) throw suggestionFailure(answer.failure);
  await inTransaction(ctx, (tx) =>
    recordAudit(tx, ctx.meta, {
      organizationId: organizationId!,
      action: 'media.ai_suggest',
      targetType: 'MediaAsset',
      targetId: ids[0]!,
      metadata: { mediaAssetIds: ids, networks: data.networks },
    }),
  );
  return answer.suggestions;
}

/** The worker's failure type, as the typed error the api answers with. */
function suggestionFailure(failure: { type: string; message: string }) {
  switch (failure.type) {
    case 'AI_DISABLED':
      return new AiDisabledError(failure.message, 'text');
    case 'NOT_FOUND':
      return new NotFoundError('media asset');
    case 'RATE_LIMITED':
      return new RateLimitedError(`The AI provider is busy: ${failure.message}`, 60);
    case 'TRANSIENT':
      return new WorkflowUnavailableError(`The AI provider did not answer: ${failure.message}`);
    default:
      return new ConflictError(`The AI provider refused: ${failure.message}`);
  }
}

/** The post's video file (a VIDEO post composed from an upload, or a rendered script). */
async function videoOf(ctx: ServiceContext, postId: string) {
  return ctx.db.media.findFirst({
    where: { postId, kind: 'VIDEO', deletedAt: null },
    orderBy: { createdAt: 'asc' },
  });
}

/** A RUNNING review row and its workflow started after the row is committed. */
async function startReviewOf(
  ctx: ServiceContext,
  temporal: Client,
  post: { id: string; organizationId: string; version: number },
  video: { id: string; mediaAssetId: string | null },
  requestedById: string | null,
  audit: boolean,
) {
  const review = await inTransaction(ctx, async (tx) => {
    const created = await tx.videoReview.create({
      data: {
        organizationId: post.organizationId,
        postId: post.id,
        postVersion: post.version,
        mediaId: video.id,
        mediaAssetId: video.mediaAssetId,
        requestedById,
      },
    });
    if (audit) {
      await recordAudit(tx, ctx.meta, {
        organizationId: post.organizationId,
        action: 'post.video_review_request',
        targetType: 'Post',
        targetId: post.id,
        metadata: { reviewId: created.id },
      });
    }
    return created;
  });
  await startVideoReview(temporal, review.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE });
  return review;
}

/**
 * Asks the organization's AI provider to review a post's video (ai:use and posts:read):
 * findings per timestamp arrive on Post.videoReview through the post's subscription.
 */
export async function requestVideoReview(ctx: ServiceContext, temporal: Client, postId: string) {
  const post = await ctx.db.post.findUnique({ where: { id: postId } });
  if (!post) throw new NotFoundError('post');
  const viewer = authorize(ctx, post.organizationId, 'posts:read', 'post');
  authorize(ctx, post.organizationId, 'ai:use', 'post');
  const video = await videoOf(ctx, post.id);
  if (!video) {
    throw new InvalidInputError('Only a post with a video can have a video review.', [
      { path: 'postId', message: 'no video' },
    ]);
  }
  await assertAiAllowed(ctx.db, post.organizationId, 'text');
  return startReviewOf(ctx, temporal, post, video, viewer.kind === 'user' ? viewer.userId : null, true);
}

/**
 * A post just composed from a video upload is reviewed at once when the organization's AI
 * text is on; with it off nothing starts (and nothing is sent). Part of the compose, so not
 * audited on its own.
 */
export async function reviewComposedVideo(ctx: ServiceContext, temporal: Client, postId: string) {
  const post = await ctx.db.post.findUniqueOrThrow({ where: { id: postId } });
  if (post.format !== 'VIDEO') return null;
  if (!(await readAiPolicy(ctx.db, post.organizationId)).text) return null;
  const video = await videoOf(ctx, post.id);
  if (!video) return null;
  return startReviewOf(ctx, temporal, post, video, post.createdById, false);
}
