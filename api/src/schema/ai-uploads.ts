import { services } from '../context.js';
import { AiDisabledError, RateLimitedError } from '../errors.js';
import * as aiUploads from '../services/ai-uploads.js';
import { builder } from './builder.js';
import { Platform, Post } from './content.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import type { ApiContext } from '../context.js';

export function temporalOf(ctx: ApiContext) {
  if (!ctx.temporal) throw new Error('no workflow client on this transport');
  return ctx.temporal;
}

interface FindingShape {
  timestampMs: number;
  check: 'HOOK' | 'TEXT_LEGIBILITY' | 'RISKY_CONTENT' | 'ASPECT_RATIO' | 'DURATION' | 'AUDIO';
  verdict: 'PASS' | 'WARN' | 'FAIL';
  note: string;
  network: 'TIKTOK' | 'INSTAGRAM' | 'FACEBOOK' | 'YOUTUBE' | 'TELEGRAM' | 'VK' | null;
  source: 'AI' | 'PRESSROOM';
}

const VideoReviewCheck = builder.enumType('VideoReviewCheck', {
  values: ['HOOK', 'TEXT_LEGIBILITY', 'RISKY_CONTENT', 'ASPECT_RATIO', 'DURATION', 'AUDIO'] as const,
});
const VideoReviewVerdict = builder.enumType('VideoReviewVerdict', { values: ['PASS', 'WARN', 'FAIL'] as const });
const VideoReviewSource = builder.enumType('VideoReviewSource', {
  description: 'AI: judged by the model from sampled frames. PRESSROOM: computed from the file (ffprobe).',
  values: ['AI', 'PRESSROOM'] as const,
});
const VideoReviewStatus = builder.enumType('VideoReviewStatus', { values: ['RUNNING', 'DONE', 'FAILED'] as const });

const VideoReviewFinding = builder.objectRef<FindingShape>('VideoReviewFinding').implement({
  fields: (t) => ({
    timestampMs: t.exposeInt('timestampMs', { description: 'Where in the video, in milliseconds.' }),
    check: t.expose('check', { type: VideoReviewCheck }),
    verdict: t.expose('verdict', { type: VideoReviewVerdict }),
    note: t.exposeString('note'),
    network: t.expose('network', {
      type: Platform,
      nullable: true,
      description: 'The network an aspect ratio or duration finding is about.',
    }),
    source: t.expose('source', { type: VideoReviewSource }),
  }),
});

const VideoReview = builder.prismaObject('VideoReview', {
  description: "An AI review of a post's video: a checklist of findings per timestamp, shown to reviewers.",
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.expose('status', { type: VideoReviewStatus }),
    postVersion: t.exposeInt('postVersion', { description: 'The post version the review looked at.' }),
    findings: t.field({
      type: [VideoReviewFinding],
      resolve: (review) => (Array.isArray(review.findings) ? (review.findings as unknown as FindingShape[]) : []),
    }),
    provider: t.exposeString('provider', { nullable: true }),
    model: t.exposeString('model', { nullable: true }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.prismaObjectField(Post, 'videoReview', (t) =>
  t.field({
    type: VideoReview,
    nullable: true,
    description: "The latest AI review of the post's video; null when none was made.",
    select: { videoReviews: { orderBy: { createdAt: 'desc' }, take: 1 } },
    resolve: (post) => post.videoReviews[0] ?? null,
  }),
);

const CaptionSuggestion = builder
  .objectRef<{ network: string; caption: string; hashtags: string[] }>('CaptionSuggestion')
  .implement({
    fields: (t) => ({
      network: t.field({ type: Platform, resolve: (suggestion) => suggestion.network as never }),
      caption: t.exposeString('caption'),
      hashtags: t.exposeStringList('hashtags'),
    }),
  });

builder.mutationField('suggestCaptionsForMedia', (t) =>
  t.field({
    type: [CaptionSuggestion],
    description:
      "Captions and hashtags per network from library uploads (an image's preview, a video's sampled frames), written by the organization's AI provider (ai:use and media:read). AiDisabledError, with nothing sent, while its AI text is off.",
    authScopes: { authenticated: true },
    errors: { types: [...objectMutationErrors, AiDisabledError, RateLimitedError] },
    args: {
      mediaAssetIds: t.arg.globalIDList(),
      networks: t.arg({ type: [Platform], required: true }),
    },
    resolve: (_root, args, ctx) =>
      aiUploads.suggestCaptionsForMedia(services(ctx), temporalOf(ctx), {
        mediaAssetIds: args.mediaAssetIds.map((id) => idFor(id, 'MediaAsset')),
        networks: args.networks,
      }),
  }),
);

builder.mutationField('requestVideoReview', (t) =>
  t.prismaField({
    type: VideoReview,
    description:
      "Asks the organization's AI provider to review the post's video (ai:use): findings per timestamp arrive on Post.videoReview, live through the post's subscription. AiDisabledError, with nothing sent, while its AI text is off.",
    authScopes: { authenticated: true },
    errors: { types: [...objectMutationErrors, AiDisabledError] },
    args: { postId: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const review = await aiUploads.requestVideoReview(services(ctx), temporalOf(ctx), idFor(args.postId, 'Post'));
      return ctx.db.videoReview.findUniqueOrThrow({ ...selection(query), where: { id: review.id } });
    },
  }),
);
