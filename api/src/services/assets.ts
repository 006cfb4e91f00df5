import { createHash, randomBytes } from 'node:crypto';
import type { AssetKind } from '@pressroom/db';
import type { ObjectStorage } from '@pressroom/workflows/storage';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, type ServiceContext } from './context.js';

/** What each kind of asset may be; checked against the declared type and the file's first bytes. */
const allowedTypes: Record<AssetKind, string[]> = {
  LOGO: ['image/png', 'image/jpeg', 'image/webp'],
  IMAGE: ['image/png', 'image/jpeg', 'image/webp'],
  FONT: ['font/ttf', 'font/otf', 'font/woff', 'font/woff2'],
  VIDEO: ['video/mp4', 'video/quicktime'],
  DOCUMENT: ['application/pdf', 'text/plain', 'text/markdown'],
};

/** Magic numbers: a file must be what it says (SVG and HTML are refused outright). */
function sniff(bytes: Buffer): string | null {
  const starts = (hex: string, offset = 0) => bytes.subarray(offset, offset + hex.length / 2).toString('hex') === hex;
  if (starts('89504e470d0a1a0a')) return 'image/png';
  if (starts('ffd8ff')) return 'image/jpeg';
  if (starts('52494646') && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (starts('25504446')) return 'application/pdf';
  if (starts('00010000') || starts('74727565')) return 'font/ttf';
  if (starts('4f54544f')) return 'font/otf';
  if (starts('774f4646')) return 'font/woff';
  if (starts('774f4632')) return 'font/woff2';
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') {
    return bytes.subarray(8, 10).toString('latin1') === 'qt' ? 'video/quicktime' : 'video/mp4';
  }
  return null;
}

function looksLikeText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 4096).toString('utf8');
  return !head.includes(String.fromCharCode(0)) && !/^\s*</.test(head);
}

const uploadInput = z.object({
  brandId: z.string(),
  kind: z.enum(['LOGO', 'IMAGE', 'FONT', 'VIDEO', 'DOCUMENT']),
  filename: z
    .string()
    .trim()
    .min(1, 'required')
    .max(200, 'at most 200 characters')
    .refine((name) => !/[/\\]/.test(name) && [...name].every((char) => char >= ' '), 'a plain file name'),
  contentType: z.string().max(100),
  bytes: z.instanceof(Buffer),
});

export async function uploadBrandAsset(
  ctx: ServiceContext,
  storage: ObjectStorage,
  input: z.input<typeof uploadInput>,
) {
  const data = parseInput(uploadInput, input);
  const brand = await ctx.db.brand.findUnique({ where: { id: data.brandId } });
  if (!brand) throw new NotFoundError('brand');
  const viewer = authorize(ctx, brand.organizationId, 'brands:write', 'brand');
  const contentType = data.contentType.split(';')[0]!.trim().toLowerCase();
  const refuse = (path: string, message: string) =>
    new InvalidInputError(`The file was refused: ${message}.`, [{ path, message }]);
  if (data.bytes.length === 0) throw refuse('file', 'empty');
  if (data.bytes.length > ctx.config.UPLOAD_MAX_BYTES)
    throw refuse('file', `larger than ${ctx.config.UPLOAD_MAX_BYTES} bytes`);
  if (!allowedTypes[data.kind].includes(contentType))
    throw refuse('file', `${contentType} is not allowed for ${data.kind}`);
  const sniffed = sniff(data.bytes);
  const consistent = contentType.startsWith('text/')
    ? sniffed === null && looksLikeText(data.bytes)
    : sniffed === contentType;
  if (!consistent) throw refuse('file', `the content is not ${contentType}`);

  const id = randomBytes(12).toString('hex');
  const storageKey = `org/${brand.organizationId}/assets/${id}`;
  // Stored first, recorded second: a failed transaction leaves an orphan object (removed
  // below), never a row that points at nothing.
  await storage.put(storageKey, data.bytes, { contentType });
  try {
    return await inTransaction(ctx, async (tx) => {
      const asset = await tx.brandAsset.create({
        data: {
          organizationId: brand.organizationId,
          brandId: brand.id,
          kind: data.kind,
          filename: data.filename,
          contentType,
          byteSize: data.bytes.length,
          sha256: createHash('sha256').update(data.bytes).digest('hex'),
          storageKey,
          uploadedById: viewer.kind === 'user' ? viewer.userId : null,
        },
      });
      await recordAudit(tx, ctx.meta, {
        organizationId: brand.organizationId,
        action: 'brand_asset.upload',
        targetType: 'BrandAsset',
        targetId: asset.id,
        metadata: { filename: asset.filename, contentType, byteSize: asset.byteSize },
      });
      return asset;
    });
  } catch (error) {
    await storage.delete(storageKey);
    throw error;
  }
}

export async function deleteBrandAsset(ctx: ServiceContext, storage: ObjectStorage, assetId: string) {
  const existing = await ctx.db.brandAsset.findUnique({ where: { id: assetId } });
  if (!existing) throw new NotFoundError('brand asset');
  authorize(ctx, existing.organizationId, 'brands:write', 'brand asset');
  await inTransaction(ctx, async (tx) => {
    await tx.brandAsset.delete({ where: { id: existing.id } });
    await recordAudit(tx, ctx.meta, {
      organizationId: existing.organizationId,
      action: 'brand_asset.delete',
      targetType: 'BrandAsset',
      targetId: existing.id,
    });
  });
  // After the commit: deleting a missing object is harmless, a row without its object is not.
  await storage.delete(existing.storageKey);
  return existing;
}
