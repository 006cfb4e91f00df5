import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MediaAsset } from '@pressroom/db';
import type { ObjectStorage } from '@pressroom/workflows/storage';
import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { recordAudit } from './audit.js';
import { networkVersionPlatform } from './content.js';
import { authorize, inTransaction, parseInput, type ServiceContext } from './context.js';

/** Instagram and TikTok photo posts take at most ten images; the composer keeps to that. */
const maxCarouselImages = 10;

const hashtag = z
  .string()
  .trim()
  .regex(/^#?[\p{L}\p{N}_]{1,100}$/u, 'letters, digits and underscores')
  .transform((tag) => (tag.startsWith('#') ? tag : `#${tag}`));
const caption = z.string().max(4_000, 'at most 4000 characters');
const title = z.string().trim().max(200, 'at most 200 characters');

const composeInput = z.object({
  brandId: z.string(),
  mediaAssetIds: z
    .array(z.string())
    .min(1, 'choose one video or at least one image')
    .max(maxCarouselImages, `at most ${maxCarouselImages} images`),
  title: title.default(''),
  caption: caption.default(''),
  hashtags: z.array(hashtag).max(30, 'at most 30 hashtags').default([]),
  versions: z
    .array(
      z.object({
        platform: networkVersionPlatform,
        caption: caption.nullable().optional(),
        title: title.nullable().optional(),
        hashtags: z.array(hashtag).max(60, 'at most 60 hashtags').nullable().optional(),
      }),
    )
    .max(6)
    .default([])
    .refine((versions) => new Set(versions.map((v) => v.platform)).size === versions.length, 'one version a network'),
});

/**
 * What a composed post carries of one library asset: the platform-ready file, copied. Null when
 * an image has no such file recorded (refused like a stored file that went missing).
 */
function publishableOf(asset: MediaAsset): { key: string; contentType: string; extension: string } | null {
  if (asset.kind === 'IMAGE') {
    // The 1080 JPEG variant: every network takes JPEG (Instagram takes nothing else), oriented.
    const variant = (asset.variantKeys as Record<string, string> | null)?.['1080'];
    if (!variant) return null;
    return { key: variant, contentType: 'image/jpeg', extension: 'jpg' };
  }
  // The H.264/AAC rendition, or the original when it already was one.
  return asset.renditionKey
    ? { key: asset.renditionKey, contentType: 'video/mp4', extension: 'mp4' }
    : { key: asset.storageKey, contentType: asset.contentType ?? 'video/mp4', extension: 'mp4' };
}

/**
 * A draft post made from media library uploads: one video (a VIDEO post) or one to ten images
 * (a CAROUSEL, a slide per image, in the order given), with per-network text where given. It
 * then goes through review, scheduling and publishing like any generated post.
 *
 * The files are copied into the post's own storage keys, so deleting an upload from the
 * library, or retention removing a rejected post's media, never takes the other with it.
 */
export async function composePostFromMedia(
  ctx: ServiceContext,
  storage: ObjectStorage,
  input: z.input<typeof composeInput>,
) {
  const data = parseInput(composeInput, input);
  const brand = await ctx.db.brand.findUnique({ where: { id: data.brandId } });
  if (!brand) throw new NotFoundError('brand');
  const viewer = authorize(ctx, brand.organizationId, 'posts:write', 'brand');
  authorize(ctx, brand.organizationId, 'media:read', 'brand');
  const ids = [...new Set(data.mediaAssetIds)];
  const found = await ctx.db.mediaAsset.findMany({
    where: { id: { in: ids }, organizationId: brand.organizationId, brandId: brand.id },
  });
  // Another brand's or organization's upload is as missing as one that never was.
  if (found.length !== ids.length) throw new NotFoundError('media asset');
  const assets = ids.map((id) => found.find((asset) => asset.id === id)!);
  const notReady = assets.filter((asset) => asset.status !== 'READY');
  if (notReady.length > 0) {
    throw new InvalidInputError(`${notReady.map((asset) => asset.filename).join(', ')}: not processed yet.`, [
      { path: 'mediaAssetIds', message: 'every upload must be READY' },
    ]);
  }
  const videos = assets.filter((asset) => asset.kind === 'VIDEO');
  if (videos.length > 0 && assets.length > 1) {
    throw new InvalidInputError('A post is one video, or images for a carousel, not both.', [
      { path: 'mediaAssetIds', message: 'one video, or images only' },
    ]);
  }
  const format = videos.length === 1 ? 'VIDEO' : 'CAROUSEL';

  const prefix = `org/${brand.organizationId}/composed/${randomUUID().replaceAll('-', '')}`;
  const copies: Array<{ asset: MediaAsset; key: string; contentType: string; byteSize: number }> = [];
  const work = await mkdtemp(join(tmpdir(), 'pressroom-compose-'));
  try {
    for (const [index, asset] of assets.entries()) {
      const source = publishableOf(asset);
      const file = join(work, String(index));
      if (!source || !(await storage.downloadTo(source.key, file))) {
        throw new InvalidInputError(`${asset.filename}: its stored file is missing.`, [
          { path: 'mediaAssetIds', message: 'missing from storage' },
        ]);
      }
      const key = `${prefix}/${index}.${source.extension}`;
      // Streamed through a file: a video never sits whole in the api's memory.
      await storage.putFile(key, file, { contentType: source.contentType });
      copies.push({ asset, key, contentType: source.contentType, byteSize: (await stat(file)).size });
    }
  } catch (error) {
    await Promise.all(copies.map((copy) => storage.delete(copy.key).catch(() => undefined)));
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }

  try {
    return await inTransaction(ctx, async (tx) => {
      const post = await tx.post.create({
        data: {
          organizationId: brand.organizationId,
          brandId: brand.id,
          createdById: viewer.kind === 'user' ? viewer.userId : null,
          format,
          title: data.title,
          caption: data.caption,
          hashtags: data.hashtags,
        },
      });
      for (const [position, copy] of copies.entries()) {
        const media = await tx.media.create({
          data: {
            organizationId: brand.organizationId,
            postId: post.id,
            kind: copy.asset.kind!,
            status: 'READY',
            contentType: copy.contentType,
            byteSize: copy.byteSize,
            width: copy.asset.width,
            height: copy.asset.height,
            durationMs: copy.asset.durationMs,
            storageKey: copy.key,
            mediaAssetId: copy.asset.id,
          },
        });
        if (format === 'CAROUSEL') {
          await tx.slide.create({ data: { postId: post.id, position, mediaId: media.id } });
        }
      }
      for (const version of data.versions) {
        const fields = {
          caption: version.caption ?? null,
          title: version.title ?? null,
          hashtags: version.hashtags ?? [],
          hashtagsSet: version.hashtags !== null && version.hashtags !== undefined,
        };
        if (fields.caption === null && fields.title === null && !fields.hashtagsSet) continue;
        await tx.postVersion.create({ data: { postId: post.id, platform: version.platform, ...fields } });
      }
      await recordAudit(tx, ctx.meta, {
        organizationId: post.organizationId,
        action: 'post.compose',
        targetType: 'Post',
        targetId: post.id,
        metadata: { format, mediaAssetIds: ids, versions: data.versions.map((version) => version.platform) },
      });
      return post;
    });
  } catch (error) {
    await Promise.all(copies.map((copy) => storage.delete(copy.key).catch(() => undefined)));
    throw error;
  }
}

const heroInput = z.object({ postId: z.string(), mediaAssetId: z.string().nullable() });

/**
 * An article's hero image from a media library upload (posts:write and media:read; audited),
 * or none (`mediaAssetId` null). The upload's 1080 JPEG is copied to the post, as composing
 * does, so deleting the upload later leaves the article's image; the hero it replaces (an AI
 * image or an earlier upload) stays among the post's media and goes when the post does. A live article's page shows it at once.
 */
export async function setArticleHeroImage(
  ctx: ServiceContext,
  storage: ObjectStorage,
  input: z.input<typeof heroInput>,
) {
  const data = parseInput(heroInput, input);
  const post = await ctx.db.post.findUnique({ where: { id: data.postId }, include: { article: true } });
  if (!post) throw new NotFoundError('post');
  authorize(ctx, post.organizationId, 'posts:write', 'post');
  if (!post.article) throw new ConflictError(`Only an article has a hero image; this is ${post.format.toLowerCase()}.`);
  const article = post.article;

  let copy: { key: string; byteSize: number; asset: MediaAsset } | null = null;
  if (data.mediaAssetId) {
    authorize(ctx, post.organizationId, 'media:read', 'post');
    const asset = await ctx.db.mediaAsset.findFirst({
      where: { id: data.mediaAssetId, organizationId: post.organizationId, brandId: post.brandId },
    });
    if (!asset) throw new NotFoundError('media asset');
    if (asset.kind !== 'IMAGE' || asset.status !== 'READY') {
      throw new InvalidInputError(`${asset.filename}: a hero image is a processed image.`, [
        { path: 'mediaAssetId', message: 'a READY image' },
      ]);
    }
    const source = publishableOf(asset);
    const work = await mkdtemp(join(tmpdir(), 'pressroom-hero-'));
    try {
      const file = join(work, 'hero');
      if (!source || !(await storage.downloadTo(source.key, file))) {
        throw new InvalidInputError(`${asset.filename}: its stored file is missing.`, [
          { path: 'mediaAssetId', message: 'missing from storage' },
        ]);
      }
      const key = `org/${post.organizationId}/posts/${post.id}/hero-${randomUUID().replaceAll('-', '')}.jpg`;
      await storage.putFile(key, file, { contentType: source.contentType });
      copy = { key, byteSize: (await stat(file)).size, asset };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  try {
    return await inTransaction(ctx, async (tx) => {
      const media = copy
        ? await tx.media.create({
            data: {
              organizationId: post.organizationId,
              postId: post.id,
              kind: 'IMAGE',
              status: 'READY',
              contentType: 'image/jpeg',
              byteSize: copy.byteSize,
              // The variant's own size is not recorded (fit inside 1080 after rotation): the
              // page leaves width and height out rather than state them wrong.
              storageKey: copy.key,
              mediaAssetId: copy.asset.id,
            },
          })
        : null;
      await tx.article.update({ where: { id: article.id }, data: { heroMediaId: media?.id ?? null } });
      await recordAudit(tx, ctx.meta, {
        organizationId: post.organizationId,
        action: 'article.set_hero',
        targetType: 'Post',
        targetId: post.id,
        metadata: { mediaAssetId: data.mediaAssetId, previousMediaId: article.heroMediaId },
      });
      return post;
    });
  } catch (error) {
    if (copy) await storage.delete(copy.key).catch(() => undefined);
    throw error;
  }
}
