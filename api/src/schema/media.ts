import { services } from '../context.js';
import * as aiUploads from '../services/ai-uploads.js';
import { temporalOf } from './ai-uploads.js';
import * as compose from '../services/compose.js';
import * as media from '../services/media.js';
import { Platform, Post } from './content.js';
import { storageOf } from './brand.js';
import { builder, connectionComplexity } from './builder.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { inViewerOrganizations, Organization } from './organization.js';

const MediaAssetKind = builder.enumType('MediaAssetKind', { values: ['IMAGE', 'VIDEO'] as const });
const MediaAssetStatus = builder.enumType('MediaAssetStatus', {
  values: {
    UPLOADING: { description: 'Bytes are arriving over tus (`/uploads`).' },
    PROCESSING: { description: 'Stored whole; being probed, previewed and, for video, rendered.' },
    READY: {},
    FAILED: { description: 'The file could not be processed; `failureReason` says why.' },
  } as const,
});

/** Signed URLs for a few hours: previews in the dashboard, and what platforms pull. */
const urlLifetimeSeconds = 6 * 3600;

export const MediaAsset = builder.prismaNode('MediaAsset', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (asset) => ({ permission: { organizationId: asset.organizationId, permission: 'media:read' } }),
  fields: (t) => ({
    brand: t.relation('brand'),
    folder: t.exposeString('folder', { description: 'A slash-separated path in the brand library; "" is its top.' }),
    tags: t.exposeStringList('tags'),
    filename: t.exposeString('filename'),
    kind: t.expose('kind', {
      type: MediaAssetKind,
      nullable: true,
      description: 'From the content; null until the first bytes arrive.',
    }),
    contentType: t.exposeString('contentType', { nullable: true }),
    byteSize: t.expose('byteSize', { type: 'BigInt' }),
    sha256: t.exposeString('sha256', {
      nullable: true,
      description: 'Of the stored original, computed by processing.',
    }),
    status: t.expose('status', { type: MediaAssetStatus }),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    processingStep: t.exposeString('processingStep', { nullable: true }),
    progress: t.exposeInt('progress', { description: 'Processing, 0-100.' }),
    width: t.exposeInt('width', { nullable: true, description: 'As shown (after rotation).' }),
    height: t.exposeInt('height', { nullable: true }),
    durationMs: t.exposeInt('durationMs', { nullable: true }),
    videoCodec: t.exposeString('videoCodec', { nullable: true }),
    audioCodec: t.exposeString('audioCodec', { nullable: true }),
    rotation: t.exposeInt('rotation', {
      nullable: true,
      description: 'Clockwise degrees the original asks a player to turn.',
    }),
    posterUrl: t.string({
      nullable: true,
      resolve: (asset, _args, ctx) =>
        asset.posterKey ? storageOf(ctx).signedUrl(asset.posterKey, { expiresInSeconds: urlLifetimeSeconds }) : null,
    }),
    thumbnailUrl: t.string({
      nullable: true,
      resolve: (asset, _args, ctx) =>
        asset.thumbnailKey
          ? storageOf(ctx).signedUrl(asset.thumbnailKey, { expiresInSeconds: urlLifetimeSeconds })
          : null,
    }),
    renditionUrl: t.string({
      nullable: true,
      description: 'The H.264/AAC MP4 made when the original was not platform-ready.',
      resolve: (asset, _args, ctx) =>
        asset.renditionKey
          ? storageOf(ctx).signedUrl(asset.renditionKey, { expiresInSeconds: urlLifetimeSeconds })
          : null,
    }),
    uploadUrl: t.string({
      nullable: true,
      description: 'The tus URL to resume at, while UPLOADING.',
      resolve: (asset, _args, ctx) =>
        asset.status === 'UPLOADING'
          ? `${ctx.config.PUBLIC_BASE_URL ?? `http://${ctx.config.HOST}:${ctx.config.PORT}`}/uploads/${asset.id}`
          : null,
    }),
    uploadedAt: t.expose('uploadedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const MediaUsage = builder.objectRef<media.MediaQuota>('MediaUsage').implement({
  description:
    "The organization's stored media originals against its quota (uploads in progress count at their declared length).",
  fields: (t) => ({
    usedBytes: t.expose('usedBytes', { type: 'BigInt' }),
    quotaBytes: t.expose('quotaBytes', { type: 'BigInt' }),
    assetCount: t.exposeInt('assetCount'),
  }),
});

builder.prismaObjectField(Organization, 'mediaAssets', (t) =>
  t.relatedConnection('mediaAssets', {
    cursor: 'id',
    totalCount: true,
    description: 'The media library, newest first. Filters name objects of this organization; others match nothing.',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'media:read' } }),
    args: {
      brandId: t.arg.globalID({ required: false }),
      folder: t.arg.string({ required: false, description: 'Exactly this folder ("" is the top).' }),
      tag: t.arg.string({ required: false }),
      kind: t.arg({ type: MediaAssetKind, required: false }),
      status: t.arg({ type: [MediaAssetStatus], required: false }),
    },
    query: (args) => ({
      where: {
        brandId: args.brandId ? (args.brandId.typename === 'Brand' ? args.brandId.id : '') : undefined,
        folder: args.folder ?? undefined,
        tags: args.tag ? { has: args.tag.trim().toLowerCase() } : undefined,
        kind: args.kind ?? undefined,
        status: args.status ? { in: args.status } : undefined,
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    }),
    complexity: connectionComplexity,
  }),
);

builder.prismaObjectField(Organization, 'mediaUsage', (t) =>
  t.field({
    type: MediaUsage,
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'media:read' } }),
    resolve: (org, _args, ctx) => media.mediaUsage(services(ctx), org.id),
  }),
);

builder.mutationField('updateMediaAsset', (t) =>
  t.prismaField({
    type: MediaAsset,
    description: 'Moves an asset to another folder of its brand library or replaces its tags (media:write).',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      id: t.arg.globalID(),
      folder: t.arg.string({ required: false }),
      tags: t.arg.stringList({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const asset = await media.updateMediaAsset(services(ctx), idFor(args.id, 'MediaAsset'), {
        folder: args.folder ?? undefined,
        tags: args.tags ?? undefined,
      });
      return ctx.db.mediaAsset.findUniqueOrThrow({ ...selection(query), where: { id: asset.id } });
    },
  }),
);

builder.mutationField('deleteMediaAsset', (t) =>
  t.globalID({
    description: 'Deletes an asset, its original, previews and rendition, and frees its quota (media:write).',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (_root, args, ctx) => {
      const asset = await media.deleteMediaAsset(
        services(ctx),
        storageOf(ctx),
        ctx.temporal,
        idFor(args.id, 'MediaAsset'),
      );
      return { type: 'MediaAsset', id: asset.id };
    },
  }),
);

const PostVersionInput = builder.inputType('PostVersionInput', {
  description: "A post's text for one network; an unset field uses the post's own.",
  fields: (t) => ({
    network: t.field({ type: Platform, required: true }),
    caption: t.string({ required: false }),
    hashtags: t.stringList({ required: false }),
    title: t.string({ required: false }),
  }),
});

builder.mutationField('composePostFromMedia', (t) =>
  t.prismaField({
    type: Post,
    description:
      'A draft post made from media library uploads (posts:write and media:read): one READY video makes a VIDEO post, one to ten READY images a CAROUSEL (a slide each, in the order given). The files are copied to the post, so the upload may be deleted later. Per-network text as in setPostVersion. Submit it for review like any post.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      brandId: t.arg.globalID(),
      mediaAssetIds: t.arg.globalIDList(),
      title: t.arg.string({ required: false }),
      caption: t.arg.string({ required: false }),
      hashtags: t.arg.stringList({ required: false }),
      versions: t.arg({ type: [PostVersionInput], required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const post = await compose.composePostFromMedia(services(ctx), storageOf(ctx), {
        brandId: idFor(args.brandId, 'Brand'),
        mediaAssetIds: args.mediaAssetIds.map((id) => idFor(id, 'MediaAsset')),
        title: args.title ?? undefined,
        caption: args.caption ?? undefined,
        hashtags: args.hashtags ?? undefined,
        versions: (args.versions ?? []).map((version) => ({
          platform: version.network,
          caption: version.caption,
          hashtags: version.hashtags,
          title: version.title,
        })),
      });
      // A video post is reviewed by the AI at once when the organization's AI text is on.
      await aiUploads.reviewComposedVideo(services(ctx), temporalOf(ctx), post.id);
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);

builder.mutationField('setArticleHeroImage', (t) =>
  t.prismaField({
    type: Post,
    description:
      "An article's hero image from a READY library image of its brand (posts:write and media:read; audited), or none with mediaAssetId null. The image is copied to the post; the blog shows it above the article and as og:image.",
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID(), mediaAssetId: t.arg.globalID({ required: false }) },
    resolve: async (query, _root, args, ctx) => {
      const post = await compose.setArticleHeroImage(services(ctx), storageOf(ctx), {
        postId: idFor(args.id, 'Post'),
        mediaAssetId: args.mediaAssetId ? idFor(args.mediaAssetId, 'MediaAsset') : null,
      });
      return ctx.db.post.findUniqueOrThrow({ ...selection(query), where: { id: post.id } });
    },
  }),
);
