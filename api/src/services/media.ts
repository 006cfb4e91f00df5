import type { MediaAssetKind, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { mediaUploadKey, startMediaProcessing } from '@pressroom/workflows/client';
import { mediaAssetObjectKeys, type ObjectStorage } from '@pressroom/workflows/storage';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { canSee } from '../auth/viewer.js';
import { DomainError, NotFoundError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, requireViewer, type ServiceContext } from './context.js';

/**
 * What the library takes, decided from the file's first bytes (never its name or declared
 * type): the images and videos the processing workflow can read and the networks accept.
 */
export const mediaContentTypes: Record<string, MediaAssetKind> = {
  'image/jpeg': 'IMAGE',
  'image/png': 'IMAGE',
  'image/webp': 'IMAGE',
  'image/gif': 'IMAGE',
  'video/mp4': 'VIDEO',
  'video/quicktime': 'VIDEO',
  'video/webm': 'VIDEO',
  'video/x-matroska': 'VIDEO',
  'video/3gpp': 'VIDEO',
};

/** The organization's originals would pass its quota; nothing was stored. */
export class MediaQuotaExceededError extends DomainError {
  constructor(
    readonly usedBytes: bigint,
    readonly quotaBytes: bigint,
    readonly requestedBytes: bigint,
  ) {
    super(
      `This upload (${requestedBytes} bytes) would pass the organization's media quota: ${usedBytes} of ${quotaBytes} bytes are used.`,
      'BAD_USER_INPUT',
    );
  }
}

const segment = /^[\p{L}\p{N} ._-]{1,64}$/u;
const folderSchema = z
  .string()
  .trim()
  .max(255, 'at most 255 characters')
  .transform((value) => value.replace(/^\/+|\/+$/g, ''))
  .refine(
    (value) => value === '' || value.split('/').every((part) => segment.test(part) && part !== '.' && part !== '..'),
    'folder names are 1-64 letters, digits, spaces, dots, dashes or underscores, separated by /',
  );
const tagsSchema = z
  .array(
    z
      .string()
      .trim()
      .toLowerCase()
      .min(1, 'a tag is not empty')
      .max(40, 'a tag has at most 40 characters')
      .refine((tag) => [...tag].every((char) => char >= ' ' && char !== ','), 'a tag has no commas'),
  )
  .max(20, 'at most 20 tags')
  .transform((tags) => [...new Set(tags)]);

const beginUploadInput = z.object({
  brandId: z.string().min(1),
  filename: z
    .string()
    .trim()
    .min(1, 'required')
    .max(200, 'at most 200 characters')
    .refine((name) => !/[/\\]/.test(name) && [...name].every((char) => char >= ' '), 'a plain file name'),
  folder: folderSchema.default(''),
  tags: tagsSchema.default([]),
  byteSize: z.number().int().positive('an empty file is not media'),
  /** The tus upload names the asset (its URL carries the id). */
  id: z.string().regex(/^[a-f0-9]{32}$/),
});

export interface MediaQuota {
  usedBytes: bigint;
  quotaBytes: bigint;
  assetCount: number;
}

type Tx = Prisma.TransactionClient;

async function usage(tx: Tx, organizationId: string): Promise<{ usedBytes: bigint; assetCount: number }> {
  const total = await tx.mediaAsset.aggregate({
    where: { organizationId },
    _sum: { byteSize: true },
    _count: true,
  });
  return { usedBytes: total._sum.byteSize ?? 0n, assetCount: total._count };
}

/** The organization's own quota when its owners set one, else the server's default. */
export async function quotaOf(
  tx: Tx | ServiceContext['db'],
  config: ServiceContext['config'],
  organizationId: string,
): Promise<bigint> {
  const settings = await tx.organizationSettings.findUnique({
    where: { organizationId },
    select: { mediaQuotaBytes: true },
  });
  return settings?.mediaQuotaBytes ?? BigInt(config.MEDIA_QUOTA_BYTES);
}

export async function mediaUsage(ctx: ServiceContext, organizationId: string): Promise<MediaQuota> {
  authorize(ctx, organizationId, 'media:read', 'organization');
  const [{ usedBytes, assetCount }, quotaBytes] = await Promise.all([
    usage(ctx.db, organizationId),
    quotaOf(ctx.db, ctx.config, organizationId),
  ]);
  return { usedBytes, assetCount, quotaBytes };
}

async function announce(tx: Tx, asset: { id: string; organizationId: string; brandId: string }) {
  await emitEvent(tx, {
    kind: 'media.changed',
    organizationId: asset.organizationId,
    payload: { mediaAssetId: asset.id, brandId: asset.brandId },
  });
}

/**
 * Creates the record of a tus upload before any byte is stored: the brand must be the
 * viewer's with media:write, and the declared length must fit the organization's quota. The
 * declared length is reserved at once (under a lock per organization, so two uploads cannot
 * both take the last free bytes); the tus server never stores more than it.
 */
export async function beginMediaUpload(ctx: ServiceContext, input: z.input<typeof beginUploadInput>) {
  const data = parseInput(beginUploadInput, input);
  const brand = await ctx.db.brand.findUnique({ where: { id: data.brandId } });
  if (!brand) throw new NotFoundError('brand');
  const viewer = authorize(ctx, brand.organizationId, 'media:write', 'brand');
  const requested = BigInt(data.byteSize);
  const id = data.id;
  return inTransaction(ctx, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`media-quota:${brand.organizationId}`}))`;
    const quota = await quotaOf(tx, ctx.config, brand.organizationId);
    const { usedBytes } = await usage(tx, brand.organizationId);
    if (usedBytes + requested > quota) throw new MediaQuotaExceededError(usedBytes, quota, requested);
    const asset = await tx.mediaAsset.create({
      data: {
        id,
        organizationId: brand.organizationId,
        brandId: brand.id,
        filename: data.filename,
        folder: data.folder,
        tags: data.tags,
        byteSize: requested,
        storageKey: mediaUploadKey(id),
        uploadedById: viewer.kind === 'user' ? viewer.userId : null,
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: asset.organizationId,
      action: 'media_asset.upload',
      targetType: 'MediaAsset',
      targetId: asset.id,
      metadata: { brandId: asset.brandId, filename: asset.filename, byteSize: Number(asset.byteSize) },
    });
    await announce(tx, asset);
    return asset;
  });
}

/**
 * The gate for every tus request after the creation (HEAD, PATCH, DELETE): the upload's
 * organization must be visible to the viewer (else it is "not found", like a missing one) and
 * the viewer must hold media:write there.
 */
export async function authorizeUploadRequest(ctx: ServiceContext, assetId: string) {
  requireViewer(ctx);
  const asset = await ctx.db.mediaAsset.findUnique({ where: { id: assetId } });
  if (!asset || !canSee(ctx.meta.viewer, asset.organizationId)) throw new NotFoundError('upload');
  authorize(ctx, asset.organizationId, 'media:write', 'upload');
  return asset;
}

/** The first bytes said what the file is: an allowed type is kept on the asset, anything else is refused. */
export async function recordDetectedType(
  db: ServiceContext['db'],
  assetId: string,
  contentType: string | null,
): Promise<{ allowed: true; kind: MediaAssetKind } | { allowed: false }> {
  const kind = contentType ? mediaContentTypes[contentType] : undefined;
  if (!contentType || !kind) return { allowed: false };
  await db.mediaAsset.update({ where: { id: assetId }, data: { contentType, kind } });
  return { allowed: true, kind };
}

/**
 * Every byte arrived: the processing workflow is started (its id is the asset's, so a repeat
 * finds the running one), then the asset says PROCESSING. Started first, so an asset never
 * says PROCESSING with nothing processing it.
 */
export async function completeMediaUpload(
  db: ServiceContext['db'],
  temporal: Client,
  taskQueue: string,
  assetId: string,
): Promise<void> {
  await startMediaProcessing(temporal, assetId, { taskQueue });
  await db.$transaction(async (tx) => {
    const asset = await tx.mediaAsset.update({
      where: { id: assetId },
      data: { status: 'PROCESSING', processingStep: 'queued', progress: 0, uploadedAt: new Date() },
    });
    await announce(tx, asset);
  });
}

/** Forgets an upload whose content was refused: its row (and reservation) go, and its bytes with the tus store. */
export async function discardRefusedUpload(db: ServiceContext['db'], assetId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const asset = await tx.mediaAsset.findUnique({ where: { id: assetId } });
    if (!asset) return;
    await tx.mediaAsset.delete({ where: { id: assetId } });
    await announce(tx, asset);
  });
}

const updateInput = z.object({ folder: folderSchema.optional(), tags: tagsSchema.optional() });

export async function updateMediaAsset(ctx: ServiceContext, assetId: string, input: z.input<typeof updateInput>) {
  const data = parseInput(updateInput, input);
  const existing = await ctx.db.mediaAsset.findUnique({ where: { id: assetId } });
  if (!existing) throw new NotFoundError('media asset');
  authorize(ctx, existing.organizationId, 'media:write', 'media asset');
  return inTransaction(ctx, async (tx) => {
    const asset = await tx.mediaAsset.update({
      where: { id: assetId },
      data: {
        ...(data.folder !== undefined ? { folder: data.folder } : {}),
        ...(data.tags !== undefined ? { tags: data.tags } : {}),
      },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: asset.organizationId,
      action: 'media_asset.update',
      targetType: 'MediaAsset',
      targetId: asset.id,
      metadata: { folder: asset.folder, tags: asset.tags },
    });
    await announce(tx, asset);
    return asset;
  });
}

/**
 * Deletes the asset and its objects. Its processing, if still running, is ended first, so
 * it cannot write previews for an asset that is gone. The row goes before the objects: a
 * failure between leaves unreferenced objects, never a row pointing at nothing.
 */
export async function deleteMediaAsset(
  ctx: ServiceContext,
  storage: ObjectStorage,
  temporal: Client | undefined,
  assetId: string,
) {
  const existing = await ctx.db.mediaAsset.findUnique({ where: { id: assetId } });
  if (!existing) throw new NotFoundError('media asset');
  authorize(ctx, existing.organizationId, 'media:write', 'media asset');
  if (existing.status === 'PROCESSING' && temporal) {
    await temporal.workflow
      .getHandle(`media:${existing.id}`)
      .terminate('the media asset was deleted')
      .catch(() => undefined);
  }
  await inTransaction(ctx, async (tx) => {
    await tx.mediaAsset.delete({ where: { id: existing.id } });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'media_asset.delete',
      targetType: 'MediaAsset',
      targetId: existing.id,
      metadata: { brandId: existing.brandId, filename: existing.filename, byteSize: Number(existing.byteSize) },
    });
    await announce(tx, existing);
  });
  await Promise.all(mediaAssetObjectKeys(existing).map((key) => storage.delete(key).catch(() => undefined)));
  return existing;
}
