import type {
  BatchStatus as BatchStatusValue,
  Platform as PlatformValue,
  PostFormat as PostFormatValue,
} from '@pressroom/db';
import type {
  AttemptStatus as AttemptStatusValue,
  FailureCategory as FailureCategoryValue,
  PostStatus as PostStatusValue,
  Prisma,
  PublishStep as PublishStepValue,
} from '@pressroom/db';
import {
  blogArticleUrl,
  seoChecklist,
  type SeoCheck as SeoCheckShape,
  type SeoChecklist as SeoChecklistShape,
} from '@pressroom/db/articles';
import { apiBaseUrl } from '../config.js';
import { services, type ApiContext } from '../context.js';
import * as analytics from '../services/analytics.js';
import * as content from '../services/content.js';
import * as publishing from '../services/publishing.js';
import { builder, connectionComplexity } from './builder.js';
import { AiDisabledError, NetworkLimitsError } from '../errors.js';
import { objectMutationErrors, versionedMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { inViewerOrganizations, Organization } from './organization.js';

// Long enough for a review session; the dashboard refetches after reconnecting anyway.
const slideImageUrlTtlSeconds = 3_600;

export const Platform = builder.enumType('Platform', {
  values: [
    'TIKTOK',
    'INSTAGRAM',
    'FACEBOOK',
    'YOUTUBE',
    'TELEGRAM',
    'VK',
    'BLOG',
  ] as const satisfies readonly PlatformValue[],
});
export const PostFormat = builder.enumType('PostFormat', {
  values: ['CAROUSEL', 'VIDEO', 'SCRIPT', 'ARTICLE', 'TEXT'] as const satisfies readonly PostFormatValue[],
});
export const PostStatus = builder.enumType('PostStatus', {
  values: [
    'GENERATING',
    'GENERATION_FAILED',
    'DRAFT',
    'IN_REVIEW',
    'APPROVED',
    'REJECTED',
    'SCHEDULED',
    'PUBLISHING',
    'PUBLISHED',
    'FAILED',
  ] as const satisfies readonly PostStatusValue[],
});
const BatchStatus = builder.enumType('BatchStatus', {
  values: [
    'QUEUED',
    'GENERATING',
    'READY',
    'PARTIAL',
    'FAILED',
    'CANCELLED',
  ] as const satisfies readonly BatchStatusValue[],
});
const PublicationState = builder.enumType('PublicationState', {
  values: ['SCHEDULED', 'PUBLISHING', 'PUBLISHED', 'FAILED', 'CANCELLED'] as const,
});
const ReviewDecision = builder.enumType('ReviewDecision', {
  values: ['APPROVED', 'REJECTED', 'CHANGES_REQUESTED'] as const,
});

export const Batch = builder.prismaNode('Batch', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (batch) => ({ permission: { organizationId: batch.organizationId, permission: 'posts:read' } }),
  fields: (t) => ({
    brief: t.exposeString('brief'),
    count: t.exposeInt('count'),
    format: t.expose('format', { type: PostFormat }),
    formats: t.expose('formats', {
      type: [PostFormat],
      description: 'A mixed batch: the format of each post in order; empty when every post is `format`.',
    }),
    platforms: t.expose('platforms', { type: [Platform] }),
    status: t.expose('status', { type: BatchStatus }),
    generatedCount: t.exposeInt('generatedCount'),
    failedCount: t.exposeInt('failedCount'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    brand: t.relation('brand'),
    createdBy: t.relation('createdBy', { nullable: true }),
    posts: t.relatedConnection('posts', {
      cursor: 'id',
      query: { orderBy: { batchIndex: 'asc' } },
      complexity: connectionComplexity,
    }),
  }),
});

interface AiImageShape {
  storageKey: string;
  status: string;
  width: number | null;
  height: number | null;
  aiPrompt: string | null;
  aiImageSettings: unknown;
}

const aiImageSelect = {
  select: { storageKey: true, status: true, width: true, height: true, aiPrompt: true, aiImageSettings: true },
} as const;

const AiImage = builder.objectRef<AiImageShape>('AiImage').implement({
  description: 'An image made by the AI images endpoint, with the prompt and settings it was made from.',
  fields: (t) => ({
    url: t.string({
      nullable: true,
      description: 'Signed URL valid for an hour; null once deleted and on the subscription socket.',
      resolve: (image, _args, ctx) =>
        image.status === 'READY' && ctx.storage
          ? ctx.storage.signedUrl(image.storageKey, { expiresInSeconds: slideImageUrlTtlSeconds })
          : null,
    }),
    prompt: t.string({
      description: "The prompt as sent, the brand's image style included.",
      resolve: (image) => image.aiPrompt ?? '',
    }),
    size: t.string({ nullable: true, resolve: (image) => imageSetting(image, 'size') }),
    style: t.string({ nullable: true, resolve: (image) => imageSetting(image, 'style') }),
    model: t.string({ nullable: true, resolve: (image) => imageSetting(image, 'model') }),
    width: t.exposeInt('width', { nullable: true }),
    height: t.exposeInt('height', { nullable: true }),
  }),
});

function imageSetting(image: AiImageShape, name: 'size' | 'style' | 'model'): string | null {
  const settings = image.aiImageSettings as Record<string, unknown> | null;
  const value = settings?.[name];
  return typeof value === 'string' ? value : null;
}

builder.prismaObject('Slide', {
  select: { id: true },
  fields: (t) => ({
    backgroundImage: t.field({
      type: AiImage,
      nullable: true,
      description: 'The AI image the slide was rendered over; null for a plain background.',
      select: { background: aiImageSelect },
      resolve: (slide) => slide.background,
    }),
    position: t.exposeInt('position'),
    heading: t.exposeString('heading'),
    body: t.exposeString('body'),
    imageUrl: t.string({
      nullable: true,
      description:
        'The rendered slide image, through a signed URL valid for an hour; null until it is rendered, once it is deleted, and on the subscription socket (refetch to see it).',
      select: { media: { select: { storageKey: true, status: true } } },
      resolve: (slide, _args, ctx) =>
        slide.media?.status === 'READY' && ctx.storage
          ? ctx.storage.signedUrl(slide.media.storageKey, { expiresInSeconds: slideImageUrlTtlSeconds })
          : null,
    }),
  }),
});

const SeoCheckId = builder.enumType('SeoCheckId', {
  values: [
    'KEYWORD_IN_TITLE',
    'KEYWORD_IN_H1',
    'KEYWORD_IN_FIRST_PARAGRAPH',
    'META_TITLE_LENGTH',
    'META_DESCRIPTION_LENGTH',
    'SINGLE_H1',
    'HEADING_ORDER',
    'SECTIONS',
    'LENGTH',
    'READABILITY',
  ] as const satisfies readonly SeoCheckShape['id'][],
});

const SeoCheck = builder.objectRef<SeoCheckShape>('SeoCheck').implement({
  fields: (t) => ({
    id: t.expose('id', { type: SeoCheckId }),
    passed: t.exposeBoolean('passed'),
    message: t.exposeString('message'),
  }),
});

const SeoChecklist = builder.objectRef<SeoChecklistShape>('SeoChecklist').implement({
  description: "Pressroom's checks of an article's search readiness, computed from its text as it is now.",
  fields: (t) => ({
    keyword: t.exposeString('keyword', { nullable: true, description: 'The main target keyword (the first).' }),
    readabilityScore: t.exposeFloat('readabilityScore', {
      description: 'Flesch reading ease, 0–100 (higher is easier; 60–70 is plain English).',
    }),
    wordCount: t.exposeInt('wordCount'),
    score: t.exposeInt('score', { description: 'Passed checks out of all, 0–100.' }),
    checks: t.field({ type: [SeoCheck], resolve: (checklist) => checklist.checks }),
  }),
});

builder.prismaObject('Article', {
  fields: (t) => ({
    slug: t.exposeString('slug'),
    metaTitle: t.exposeString('metaTitle'),
    metaDescription: t.exposeString('metaDescription'),
    keywords: t.exposeStringList('keywords'),
    outline: t.exposeStringList('outline'),
    body: t.exposeString('body', { description: 'Markdown.' }),
    excerpt: t.exposeString('excerpt'),
    readingMinutes: t.exposeInt('readingMinutes'),
    heroImage: t.field({
      type: AiImage,
      nullable: true,
      description: 'The AI hero image shown above the article; null when AI images are off.',
      select: { hero: aiImageSelect },
      resolve: (article) => article.hero,
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      nullable: true,
      description: "Since when it is live on the brand's blog (set by its BLOG publication); null when it is not.",
    }),
    unpublishedAt: t.expose('unpublishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was last taken down (unpublishArticle).',
    }),
    url: t.string({
      nullable: true,
      description: "Its page on the brand's blog, while it is live.",
      select: {
        publishedAt: true,
        brand: { select: { slug: true, customDomain: true, organization: { select: { slug: true } } } },
      },
      resolve: (article, _args, ctx) =>
        article.publishedAt && article.publishedAt.getTime() <= Date.now()
          ? blogArticleUrl(
              { ...article.brand, organizationSlug: article.brand.organization.slug },
              apiBaseUrl(ctx.config),
              article.slug,
            )
          : null,
    }),
    seo: t.field({
      type: SeoChecklist,
      select: { post: { select: { title: true } } },
      resolve: (article) => seoChecklist({ ...article, title: article.post.title }),
    }),
  }),
});

interface ScriptVideoShape {
  videoKey: string;
  posterKey: string;
  durationMs: number | null;
}

const ScriptVideo = builder.objectRef<ScriptVideoShape>('ScriptVideo').implement({
  description: "A SCRIPT post rendered to a vertical MP4 (1080×1920, a card per scene for the scene's duration).",
  fields: (t) => ({
    url: t.string({
      description: 'Signed URL valid for an hour.',
      resolve: (video, _args, ctx) =>
        ctx.storage!.signedUrl(video.videoKey, { expiresInSeconds: slideImageUrlTtlSeconds }),
    }),
    posterUrl: t.string({
      description: 'The poster frame (JPEG), signed URL valid for an hour.',
      resolve: (video, _args, ctx) =>
        ctx.storage!.signedUrl(video.posterKey, { expiresInSeconds: slideImageUrlTtlSeconds }),
    }),
    durationMs: t.exposeInt('durationMs', { nullable: true }),
  }),
});

interface PostVideoShape {
  videoKey: string;
  posterKey: string | null;
  contentType: string;
  durationMs: number | null;
  width: number | null;
  height: number | null;
}

const PostVideo = builder.objectRef<PostVideoShape>('PostVideo').implement({
  description:
    'The video a VIDEO post publishes (the platform-ready file copied from the library), for reviewers to play.',
  fields: (t) => ({
    url: t.string({
      description: 'Signed URL valid for an hour; it answers Range requests (206), as players ask.',
      resolve: (video, _args, ctx) =>
        ctx.storage!.signedUrl(video.videoKey, { expiresInSeconds: slideImageUrlTtlSeconds }),
    }),
    posterUrl: t.string({
      nullable: true,
      description: "The upload's poster frame (JPEG), signed URL valid for an hour; null once the upload is deleted.",
      resolve: (video, _args, ctx) =>
        video.posterKey ? ctx.storage!.signedUrl(video.posterKey, { expiresInSeconds: slideImageUrlTtlSeconds }) : null,
    }),
    contentType: t.exposeString('contentType'),
    durationMs: t.exposeInt('durationMs', { nullable: true }),
    width: t.exposeInt('width', { nullable: true }),
    height: t.exposeInt('height', { nullable: true }),
  }),
});

builder.prismaObject('ScriptScene', {
  fields: (t) => ({
    position: t.exposeInt('position'),
    voiceOver: t.exposeString('voiceOver'),
    onScreenText: t.exposeString('onScreenText'),
    shot: t.exposeString('shot'),
    durationSeconds: t.exposeFloat('durationSeconds'),
  }),
});

builder.prismaObject('Review', {
  fields: (t) => ({
    decision: t.expose('decision', { type: ReviewDecision }),
    comment: t.exposeString('comment', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    reviewer: t.relation('reviewer', { nullable: true }),
  }),
});

interface VideoMetricsShape {
  viewCount: bigint;
  likeCount: bigint;
  commentCount: bigint;
  shareCount: bigint;
  metricsCapturedAt: Date | null;
}

const VideoMetrics = builder.objectRef<VideoMetricsShape>('VideoMetrics').implement({
  description: 'The newest numbers a sync brought back for a published video.',
  fields: (t) => ({
    viewCount: t.expose('viewCount', { type: 'BigInt' }),
    likeCount: t.expose('likeCount', { type: 'BigInt' }),
    commentCount: t.expose('commentCount', { type: 'BigInt' }),
    shareCount: t.expose('shareCount', { type: 'BigInt' }),
    capturedAt: t.expose('metricsCapturedAt', { type: 'DateTime', nullable: true }),
  }),
});

interface VideoMetricSnapshotShape {
  viewCount: bigint;
  likeCount: bigint;
  commentCount: bigint;
  shareCount: bigint;
  capturedAt: Date;
}

const VideoMetricSnapshot = builder.objectRef<VideoMetricSnapshotShape>('VideoMetricSnapshot').implement({
  description: "What one sync read of a published video's numbers, at `capturedAt`.",
  fields: (t) => ({
    viewCount: t.expose('viewCount', { type: 'BigInt' }),
    likeCount: t.expose('likeCount', { type: 'BigInt' }),
    commentCount: t.expose('commentCount', { type: 'BigInt' }),
    shareCount: t.expose('shareCount', { type: 'BigInt' }),
    capturedAt: t.expose('capturedAt', { type: 'DateTime' }),
  }),
});

const FailureCategory = builder.enumType('FailureCategory', {
  description: 'Why a publication or attempt failed, as an operator decides what to do about it.',
  values: [
    'TOKEN_EXPIRED',
    'RATE_LIMITED',
    'REJECTED_BY_PLATFORM',
    'TRANSIENT',
    'OUTCOME_UNKNOWN',
    'CANCELLED',
  ] as const satisfies readonly FailureCategoryValue[],
});
const AttemptStatus = builder.enumType('AttemptStatus', {
  values: ['RUNNING', 'SUCCEEDED', 'FAILED', 'OUTCOME_UNKNOWN'] as const satisfies readonly AttemptStatusValue[],
});
const PublishStep = builder.enumType('PublishStep', {
  values: ['TOKEN', 'INIT', 'UPLOAD', 'POLL', 'RECONCILE'] as const satisfies readonly PublishStepValue[],
});

builder.prismaObject('PublishAttempt', {
  description: 'One try at publishing a publication: a scheduled one, an automatic retry, or an operator’s retry.',
  fields: (t) => ({
    number: t.exposeInt('number'),
    status: t.expose('status', { type: AttemptStatus }),
    step: t.expose('step', { type: PublishStep, description: 'The step it reached (or is at).' }),
    platformPublishId: t.exposeString('platformPublishId', { nullable: true }),
    responseCode: t.exposeInt('responseCode', { nullable: true, description: 'The platform’s HTTP status.' }),
    failureCategory: t.expose('failureCategory', { type: FailureCategory, nullable: true }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    triggeredBy: t.relation('triggeredBy', {
      nullable: true,
      description: 'The operator who asked for this attempt; null when the schedule started it.',
    }),
  }),
});

const PublicationAction = builder.enumType('PublicationAction', {
  description: 'Something an operator can do with a publication now (given the permission it needs).',
  values: {
    CANCEL: { description: 'cancelPublication (posts:schedule)' },
    RETRY: { description: 'retryPublication (publish:retry); after an unknown outcome it looks for the post first' },
    CHECK: { description: 'checkPublication (publish:retry): ask the platform again what became of the post' },
    MARK_PUBLISHED: { description: 'markPublicationPublished (publish:retry): the post is there, at this URL' },
  } as const,
});

// Post, Publication, Brand and Slide read only the columns their requested fields need (each
// field adds its own): a page of posts otherwise had Postgres build, and the api parse, every
// column of every row and of every nested row.
export const Publication = builder.prismaNode('Publication', {
  id: { field: 'id' },
  select: { id: true, organizationId: true },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (publication) => ({
    permission: { organizationId: publication.organizationId, permission: 'posts:read' },
  }),
  fields: (t) => ({
    platform: t.expose('platform', { type: Platform }),
    state: t.expose('state', { type: PublicationState }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    platformUrl: t.exposeString('platformUrl', { nullable: true }),
    failureCategory: t.expose('failureCategory', { type: FailureCategory, nullable: true }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    platformPublishId: t.exposeString('platformPublishId', { nullable: true }),
    platformPostId: t.exposeString('platformPostId', { nullable: true }),
    attemptCount: t.exposeInt('attemptCount'),
    outcomeUnknown: t.boolean({
      description:
        'The last attempt ended without knowing whether the platform made the post (FAILED, OUTCOME_UNKNOWN): check it before anything else.',
      select: { state: true, failureCategory: true },
      resolve: (publication) => publication.state === 'FAILED' && publication.failureCategory === 'OUTCOME_UNKNOWN',
    }),
    actions: t.field({
      type: [PublicationAction],
      description: 'What an operator can usefully do with it now.',
      select: { state: true, failureCategory: true },
      resolve: (publication) => publishing.publicationActions(publication),
    }),
    post: t.relation('post'),
    socialAccount: t.relation('socialAccount'),
    attempts: t.relation('attempts', {
      description: 'Every try at publishing, oldest first: its step, the platform’s answer and why it failed.',
      query: { orderBy: { number: 'asc' } },
    }),
    latestMetrics: t.field({
      type: VideoMetrics,
      nullable: true,
      authScopes: (publication) => ({
        permission: { organizationId: publication.organizationId, permission: 'analytics:read' },
      }),
      // Part of the parent's query: no extra statement per publication.
      select: {
        platformVideos: {
          take: 1,
          orderBy: { metricsCapturedAt: { sort: 'desc', nulls: 'last' } },
          select: { viewCount: true, likeCount: true, commentCount: true, shareCount: true, metricsCapturedAt: true },
        },
      },
      resolve: (publication) => publication.platformVideos[0] ?? null,
    }),
    metricSnapshots: t.field({
      type: [VideoMetricSnapshot],
      description:
        'The numbers each sync read of its video between `from` and `to` (inclusive), oldest first: the newest `last` of them (analytics:read).',
      authScopes: (publication) => ({
        permission: { organizationId: publication.organizationId, permission: 'analytics:read' },
      }),
      args: {
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        last: t.arg.int({ required: false, defaultValue: analytics.defaultSeriesPoints }),
      },
      // Priced like a page of that many items.
      complexity: (args) => ({ field: 1, multiplier: args.last ?? analytics.defaultSeriesPoints }),
      resolve: (publication, args, ctx) =>
        analytics.publicationMetricSnapshots(ctx.db, publication.id, {
          from: args.from,
          to: args.to,
          last: args.last ?? analytics.defaultSeriesPoints,
        }),
    }),
  }),
});

const latestFirst = { createdAt: 'desc' } as const satisfies Prisma.PublicationOrderByWithRelationInput;

builder.prismaObject('PostVersion', {
  description:
    "A post's text for one network where it differs from the post's own; a null field means the post's own is used.",
  fields: (t) => ({
    network: t.expose('platform', { type: Platform }),
    caption: t.exposeString('caption', { nullable: true }),
    title: t.exposeString('title', { nullable: true, description: 'Used by YouTube (the video title).' }),
    hashtags: t.field({
      type: ['String'],
      nullable: true,
      resolve: (version) => (version.hashtagsSet ? version.hashtags : null),
    }),
    link: t.exposeString('link', {
      nullable: true,
      description: 'Facebook: the address the post shares as a link post.',
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const Post = builder.prismaNode('Post', {
  id: { field: 'id' },
  select: { id: true, organizationId: true },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (post) => ({ permission: { organizationId: post.organizationId, permission: 'posts:read' } }),
  fields: (t) => ({
    format: t.expose('format', { type: PostFormat }),
    status: t.expose('status', { type: PostStatus }),
    title: t.exposeString('title'),
    caption: t.exposeString('caption'),
    hashtags: t.exposeStringList('hashtags'),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', nullable: true }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    version: t.exposeInt('version', { description: 'Pass back as expectedVersion when editing.' }),
    approvalsResetAt: t.expose('approvalsResetAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the text last changed in review: decisions before it were on other text.',
    }),
    approvals: t.int({
      description:
        'Approvals that count for the text as it is now (given after its last rejection and after its text last changed in review).',
      select: { approvalsResetAt: true },
      resolve: (post, _args, ctx) => content.countApprovals(ctx.db, post),
    }),
    requiredApprovals: t.int({
      description: "Approvals this post needs before it is APPROVED (its brand's setting, else its organization's).",
      select: {
        brand: { select: { requiredApprovals: true } },
        organization: { select: { settings: { select: { requiredApprovals: true } } } },
      },
      resolve: (post) =>
        Math.max(1, post.brand.requiredApprovals ?? post.organization.settings?.requiredApprovals ?? 1),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    brand: t.relation('brand'),
    batch: t.relation('batch', { nullable: true }),
    createdBy: t.relation('createdBy', { nullable: true }),
    slides: t.relation('slides', { query: { orderBy: { position: 'asc' } } }),
    article: t.relation('article', { nullable: true, description: "An ARTICLE post's article." }),
    scriptVideo: t.field({
      type: ScriptVideo,
      nullable: true,
      description: "A SCRIPT post's rendered video and poster; null until rendered and on the subscription socket.",
      select: {
        media: {
          where: { status: 'READY', storageKey: { endsWith: '/script.mp4' } },
          select: { storageKey: true, durationMs: true },
          take: 1,
        },
      },
      resolve: (post, _args, ctx) => {
        const video = post.media[0];
        if (!video || !ctx.storage) return null;
        return {
          videoKey: video.storageKey,
          posterKey: video.storageKey.replace(/script\.mp4$/, 'script-poster.jpg'),
          durationMs: video.durationMs,
        };
      },
    }),
    video: t.field({
      type: PostVideo,
      nullable: true,
      description: "A VIDEO post's video and poster frame; null for other formats and on the subscription socket.",
      select: {
        format: true,
        media: {
          where: { status: 'READY', kind: 'VIDEO', mediaAssetId: { not: null } },
          select: {
            storageKey: true,
            contentType: true,
            durationMs: true,
            width: true,
            height: true,
            mediaAsset: { select: { posterKey: true } },
          },
          orderBy: { createdAt: 'asc' },
          take: 1,
        },
      },
      resolve: (post, _args, ctx) => {
        const video = post.media[0];
        if (post.format !== 'VIDEO' || !video || !ctx.storage) return null;
        return {
          videoKey: video.storageKey,
          posterKey: video.mediaAsset?.posterKey ?? null,
          contentType: video.contentType,
          durationMs: video.durationMs,
          width: video.width,
          height: video.height,
        };
      },
    }),
    scenes: t.relation('scenes', {
      description: "A SCRIPT post's scenes, in order.",
      query: { orderBy: { position: 'asc' } },
    }),
    reviews: t.relation('reviews', { query: { orderBy: { createdAt: 'desc' }, take: 20 } }),
    publications: t.relation('publications', { query: { orderBy: latestFirst } }),
    versions: t.relation('versions', {
      description: 'Per-network caption, hashtags and title, checked against each network when scheduling.',
      query: { orderBy: { platform: 'asc' } },
    }),
    latestPublication: t.field({
      type: Publication,
      nullable: true,
      select: (_args, _ctx, nestedSelection) => ({
        publications: nestedSelection({ take: 1, orderBy: latestFirst }),
      }),
      resolve: (post) => post.publications[0] ?? null,
    }),
  }),
});

const PostOrder = builder.enumType('PostOrder', {
  values: {
    NEWEST_FIRST: { description: 'Most recently created first (the default).' },
    SCHEDULED_AT: { description: 'Soonest scheduled first; unscheduled posts last.' },
  },
});

/** `from`–`to` as a half-open filter; either end may be open. */
function within(from: Date | null | undefined, to: Date | null | undefined) {
  return from || to ? { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } : undefined;
}

builder.prismaObjectField(Organization, 'posts', (t) =>
  t.relatedConnection('posts', {
    cursor: 'id',
    totalCount: true,
    description:
      'Newest first, or by scheduledAt. Filters name objects of this organization; others match nothing. totalCount counts every match.',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'posts:read' } }),
    args: {
      status: t.arg({ type: [PostStatus], required: false }),
      brandId: t.arg.globalID({ required: false }),
      scheduledFrom: t.arg({ type: 'DateTime', required: false, description: 'Scheduled at or after this instant.' }),
      scheduledTo: t.arg({ type: 'DateTime', required: false, description: 'Scheduled before this instant.' }),
      orderBy: t.arg({ type: PostOrder, required: false }),
    },
    query: (args) => ({
      where: {
        status: args.status ? { in: args.status } : undefined,
        brandId: args.brandId ? (args.brandId.typename === 'Brand' ? args.brandId.id : '') : undefined,
        scheduledAt: within(args.scheduledFrom, args.scheduledTo),
      },
      orderBy:
        args.orderBy === 'SCHEDULED_AT'
          ? [{ scheduledAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }]
          : [{ createdAt: 'desc' }, { id: 'desc' }],
    }),
    complexity: connectionComplexity,
  }),
);

builder.prismaObjectField(Organization, 'publications', (t) =>
  t.relatedConnection('publications', {
    cursor: 'id',
    totalCount: true,
    description:
      'Latest scheduled first: what is waiting, publishing, published or failed (state: [FAILED] is what an operator retries).',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'posts:read' } }),
    args: {
      state: t.arg({ type: [PublicationState], required: false }),
      socialAccountId: t.arg.globalID({ required: false }),
    },
    query: (args) => ({
      where: {
        state: args.state ? { in: args.state } : undefined,
        socialAccountId: args.socialAccountId
          ? args.socialAccountId.typename === 'SocialAccount'
            ? args.socialAccountId.id
            : ''
          : undefined,
      },
      orderBy: [{ scheduledAt: 'desc' }, { id: 'desc' }],
    }),
    complexity: connectionComplexity,
  }),
);

const PublicationTotals = builder
  .objectRef<{ publications: number; views: bigint; likes: bigint; comments: bigint; shares: bigint }>(
    'PublicationTotals',
  )
  .implement({
    description: 'Sums over the publications published within a range: their videos’ latest numbers.',
    fields: (t) => ({
      publications: t.exposeInt('publications'),
      views: t.expose('views', { type: 'BigInt' }),
      likes: t.expose('likes', { type: 'BigInt' }),
      comments: t.expose('comments', { type: 'BigInt' }),
      shares: t.expose('shares', { type: 'BigInt' }),
    }),
  });

builder.prismaObjectField(Organization, 'topPublications', (t) =>
  t.prismaField({
    type: [Publication],
    description:
      'The publications published between `from` and `to` (inclusive) with the most views, most viewed first (those not synced yet follow); analytics:read.',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'analytics:read' } }),
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      brandId: t.arg.globalID({ required: false }),
      first: t.arg.int({ required: false, defaultValue: 10 }),
    },
    complexity: (args) => ({ field: 1, multiplier: args.first ?? 10 }),
    resolve: async (query, org, args, ctx) => {
      const ids = await analytics.topPublicationIds(
        ctx.db,
        {
          organizationId: org.id,
          brandId: args.brandId ? (args.brandId.typename === 'Brand' ? args.brandId.id : '') : undefined,
          from: args.from,
          to: args.to,
        },
        args.first ?? 10,
      );
      const rows = await ctx.db.publication.findMany({ ...selection(query), where: { id: { in: ids } } });
      const order = new Map(ids.map((id, index) => [id, index]));
      return rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    },
  }),
);

builder.prismaObjectField(Organization, 'publicationTotals', (t) =>
  t.field({
    type: PublicationTotals,
    description: 'Totals over every publication published between `from` and `to` (inclusive); analytics:read.',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'analytics:read' } }),
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      brandId: t.arg.globalID({ required: false }),
    },
    resolve: (org, args, ctx) =>
      analytics.publicationTotals(ctx.db, {
        organizationId: org.id,
        brandId: args.brandId ? (args.brandId.typename === 'Brand' ? args.brandId.id : '') : undefined,
        from: args.from,
        to: args.to,
      }),
  }),
);

builder.prismaObjectField(Organization, 'batches', (t) =>
  t.relatedConnection('batches', {
    cursor: 'id',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'posts:read' } }),
    query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    complexity: connectionComplexity,
  }),
);

builder.mutationField('createBatch', (t) =>
  t.prismaField({
    type: Batch,
    description:
      'Queues a batch of posts to generate from a brief and starts its generation workflow. AiDisabledError when the organization has not turned on AI text.',
    authScopes: { authenticated: true },
    errors: { types: [...objectMutationErrors, AiDisabledError] },
    args: {
      brandId: t.arg.globalID(),
      brief: t.arg.string(),
      count: t.arg.int(),
      format: t.arg({ type: PostFormat, required: false }),
      formats: t.arg({
        type: [PostFormat],
        required: false,
        description: 'A mixed batch: the format of each post, in order (as many as count).',
      }),
      platforms: t.arg({ type: [Platform] }),
    },
    resolve: async (query, _root, args, ctx) => {
      if (!ctx.temporal) throw new Error('no workflow client on this transport');
      const batch = await content.createBatch(services(ctx), ctx.temporal, {
        brandId: idFor(args.brandId, 'Brand'),
        brief: args.brief,
        count: args.count,
        format: args.format ?? undefined,
        formats: args.formats ?? undefined,
        platforms: args.platforms,
      });
      return ctx.db.batch.findUniqueOrThrow({ ...selection(query), where: { id: batch.id } });
    },
  }),
);

const SlideInput = builder.inputType('SlideInput', {
  fields: (t) => ({
    heading: t.string({ required: false }),
    body: t.string({ required: false }),
  }),
});

const ArticleInput = builder.inputType('ArticleInput', {
  description:
    'An article written by hand; it replaces the whole article (unset fields are empty). Without a slug, one is made from the title.',
  fields: (t) => ({
    slug: t.string({ required: false }),
    metaTitle: t.string({ required: false }),
    metaDescription: t.string({ required: false }),
    keywords: t.stringList({ required: false }),
    outline: t.stringList({ required: false }),
    body: t.string({ required: false, description: 'Markdown.' }),
    excerpt: t.string({ required: false }),
  }),
});

const ScriptSceneInput = builder.inputType('ScriptSceneInput', {
  fields: (t) => ({
    voiceOver: t.string({ required: false }),
    onScreenText: t.string({ required: false }),
    shot: t.string({ required: false }),
    durationSeconds: t.float(),
  }),
});

type ArticleArgs = typeof ArticleInput.$inferInput;
type SceneArgs = typeof ScriptSceneInput.$inferInput;

function articleFrom(article: ArticleArgs | null | undefined) {
  if (!article) return undefined;
  return {
    slug: article.slug ?? undefined,
    metaTitle: article.metaTitle ?? undefined,
    metaDescription: article.metaDescription ?? undefined,
    keywords: article.keywords ?? undefined,
    outline: article.outline ?? undefined,
    body: article.body ?? undefined,
    excerpt: article.excerpt ?? undefined,
  };
}

function scenesFrom(scenes: SceneArgs[] | null | undefined) {
  return scenes?.map((scene) => ({
    voiceOver: scene.voiceOver ?? undefined,
    onScreenText: scene.onScreenText ?? undefined,
    shot: scene.shot ?? undefined,
    durationSeconds: scene.durationSeconds,
  }));
}

function slidesFrom(slides: { heading?: string | null; body?: string | null }[] | null | undefined) {
  return slides?.map((slide) => ({ heading: slide.heading ?? undefined, body: slide.body ?? undefined }));
}

builder.mutationField('createPost', (t) =>
  t.prismaField({
    type: Post,
    description: 'A hand-written draft.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      brandId: t.arg.globalID(),
      format: t.arg({ type: PostFormat, required: false }),
      title: t.arg.string({ required: false }),
      caption: t.arg.string({ required: false }),
      hashtags: t.arg.stringList({ required: false }),
      slides: t.arg({ type: [SlideInput], required: false }),
      article: t.arg({ type: ArticleInput, required: false, description: 'An ARTICLE post written by hand.' }),
      scenes: t.arg({ type: [ScriptSceneInput], required: false, description: 'A SCRIPT post written by hand.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const post = await content.createPost(services(ctx), {
        article: articleFrom(args.article),
        scenes: scenesFrom(args.scenes),
        brandId: idFor(args.brandId, 'Brand'),
        format: args.format ?? undefined,
        title: args.title ?? undefined,
        caption: args.caption ?? undefined,
        hashtags: args.hashtags ?? undefined,
        slides: slidesFrom(args.slides),
      });
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

builder.mutationField('updatePost', (t) =>
  t.prismaField({
    type: Post,
    description:
      'Edits a draft or rejected post (which becomes a draft), or the title, caption and hashtags of a post in review (posts:write or posts:review), which discards the approvals given so far. A stale expectedVersion is a VersionConflictError carrying the current text.',
    authScopes: { authenticated: true },
    errors: { types: versionedMutationErrors },
    args: {
      id: t.arg.globalID(),
      expectedVersion: t.arg.int(),
      title: t.arg.string({ required: false }),
      caption: t.arg.string({ required: false }),
      hashtags: t.arg.stringList({ required: false }),
      slides: t.arg({ type: [SlideInput], required: false }),
      article: t.arg({
        type: ArticleInput,
        required: false,
        description: "Replaces the post's article (in review too, like its caption).",
      }),
      scenes: t.arg({
        type: [ScriptSceneInput],
        required: false,
        description: "Replaces the script's scenes (not in review).",
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const post = await content.updatePost(services(ctx), {
        article: articleFrom(args.article),
        scenes: scenesFrom(args.scenes),
        postId: idFor(args.id, 'Post'),
        expectedVersion: args.expectedVersion,
        title: args.title ?? undefined,
        caption: args.caption ?? undefined,
        hashtags: args.hashtags ?? undefined,
        slides: slidesFrom(args.slides),
      });
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

function workflowClient(ctx: ApiContext) {
  if (!ctx.temporal) throw new Error('no workflow client on this transport');
  return ctx.temporal;
}

builder.mutationField('submitPostForReview', (t) =>
  t.prismaField({
    type: Post,
    description: 'DRAFT → IN_REVIEW, and its review workflow starts (posts:write).',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const post = await content.submitPostForReview(services(ctx), workflowClient(ctx), {
        postId: idFor(args.id, 'Post'),
      });
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

const decisions = {
  approvePost: {
    decision: 'approve',
    description:
      'A reviewer approves a post IN_REVIEW (posts:review); it is APPROVED once it has the approvals its brand requires. Each reviewer decides once.',
  },
  rejectPost: {
    decision: 'reject',
    description:
      'A reviewer rejects a post IN_REVIEW (posts:review); its rendered images are deleted after the retention period.',
  },
} as const;

for (const [fieldName, { decision, description }] of Object.entries(decisions)) {
  builder.mutationField(fieldName, (t) =>
    t.prismaField({
      type: Post,
      description,
      authScopes: { authenticated: true },
      errors: { types: versionedMutationErrors },
      args: {
        id: t.arg.globalID(),
        comment: t.arg.string({ required: false }),
        expectedVersion: t.arg.int({
          required: false,
          description:
            'The version you reviewed; if the text changed since, VersionConflictError and nothing is recorded.',
        }),
      },
      resolve: async (query, _root, args, ctx) => {
        const { post } = await content.reviewPost(services(ctx), workflowClient(ctx), decision, {
          postId: idFor(args.id, 'Post'),
          comment: args.comment ?? undefined,
          expectedVersion: args.expectedVersion ?? undefined,
        });
        // Read after the workflow answered: its activity has committed the decision.
        return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
      },
    }),
  );
}

builder.mutationField('setPostVersion', (t) =>
  t.prismaField({
    type: Post,
    description:
      "Sets the post's caption, hashtags and title for one network (posts:write), and for Facebook a link (a link post; http or https, no photos or video with it); a null or missing field uses the post's own, all null removes the network's version. Not once the post is scheduled.",
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      id: t.arg.globalID(),
      network: t.arg({ type: Platform }),
      caption: t.arg.string({ required: false }),
      hashtags: t.arg.stringList({ required: false }),
      title: t.arg.string({ required: false }),
      link: t.arg.string({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const post = await content.setPostVersion(services(ctx), {
        postId: idFor(args.id, 'Post'),
        platform: args.network,
        caption: args.caption,
        hashtags: args.hashtags,
        title: args.title,
        link: args.link,
      });
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

builder.mutationField('schedulePost', (t) =>
  t.prismaField({
    type: Post,
    description:
      'APPROVED → SCHEDULED (posts:schedule): one publication per account — those named, else every connected account of the brand the post targets — each published at scheduledAt.',
    authScopes: { authenticated: true },
    errors: { types: [...objectMutationErrors, NetworkLimitsError] },
    args: {
      id: t.arg.globalID(),
      scheduledAt: t.arg({ type: 'DateTime' }),
      socialAccountIds: t.arg.globalIDList({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const { post } = await publishing.schedulePost(services(ctx), workflowClient(ctx), {
        postId: idFor(args.id, 'Post'),
        scheduledAt: args.scheduledAt,
        socialAccountIds: args.socialAccountIds?.map((id) => idFor(id, 'SocialAccount')),
      });
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

builder.mutationField('reschedulePost', (t) =>
  t.prismaField({
    type: Post,
    description: 'Moves a SCHEDULED post to another time (posts:schedule); refused once publishing has started.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID(), scheduledAt: t.arg({ type: 'DateTime' }) },
    resolve: async (query, _root, args, ctx) => {
      const post = await publishing.reschedulePost(services(ctx), workflowClient(ctx), {
        postId: idFor(args.id, 'Post'),
        scheduledAt: args.scheduledAt,
      });
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

builder.mutationField('unschedulePost', (t) =>
  t.prismaField({
    type: Post,
    description:
      'SCHEDULED → APPROVED (posts:schedule): its publications are cancelled; refused once publishing has started.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const post = await publishing.unschedulePost(services(ctx), workflowClient(ctx), idFor(args.id, 'Post'));
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

builder.mutationField('unpublishArticle', (t) =>
  t.prismaField({
    type: Post,
    description:
      "Takes a live article down from its brand's blog (posts:schedule; audited): its page answers 404 and it leaves the index, sitemap and feed.",
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const post = await publishing.unpublishArticle(services(ctx), idFor(args.id, 'Post'));
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

builder.mutationField('republishArticle', (t) =>
  t.prismaField({
    type: Post,
    description:
      "Puts an article taken down by unpublishArticle back on its brand's blog at once (posts:schedule; audited), with its first publication date.",
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const post = await publishing.republishArticle(services(ctx), idFor(args.id, 'Post'));
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

builder.mutationField('cancelPublication', (t) =>
  t.prismaField({
    type: Publication,
    description:
      'Cancels one publication (posts:schedule) until the platform may have its post; a post left with nothing to publish is APPROVED again.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const publication = await publishing.cancelPublication(
        services(ctx),
        workflowClient(ctx),
        idFor(args.id, 'Publication'),
      );
      return ctx.db.publication.findUniqueOrThrow({ ...selection(query), where: { id: publication.id } });
    },
  }),
);

builder.mutationField('checkPublication', (t) =>
  t.prismaField({
    type: Publication,
    description:
      'Asks the platform again what became of a publication (publish:retry): a FAILED one, or one whose publish run ended without recording an outcome. PUBLISHED when the platform has the post; otherwise FAILED with the reason.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const publication = await publishing.checkPublication(
        services(ctx),
        workflowClient(ctx),
        idFor(args.id, 'Publication'),
      );
      return ctx.db.publication.findUniqueOrThrow({ ...selection(query), where: { id: publication.id } });
    },
  }),
);

builder.mutationField('markPublicationPublished', (t) =>
  t.prismaField({
    type: Publication,
    description:
      'Records that a FAILED publication is on the platform after all, at `url` (publish:retry); audited with the URL.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID(), url: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const publication = await publishing.markPublicationPublished(services(ctx), {
        publicationId: idFor(args.id, 'Publication'),
        url: args.url,
      });
      return ctx.db.publication.findUniqueOrThrow({ ...selection(query), where: { id: publication.id } });
    },
  }),
);

builder.mutationField('deletePost', (t) =>
  t.globalID({
    description: 'Deletes a draft, rejected or failed-to-generate post; returns its id.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (_root, args, ctx) => {
      const post = await content.deletePost(services(ctx), idFor(args.id, 'Post'));
      return { type: 'Post', id: post.id };
    },
  }),
);

builder.mutationField('retryPublication', (t) =>
  t.prismaField({
    type: Publication,
    description: 'Asks the publish workflow for a new attempt at a FAILED publication (publish:retry).',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const { publication } = await content.retryPublication(
        services(ctx),
        workflowClient(ctx),
        idFor(args.id, 'Publication'),
      );
      return ctx.db.publication.findUniqueOrThrow({ ...selection(query), where: { id: publication.id } });
    },
  }),
);
