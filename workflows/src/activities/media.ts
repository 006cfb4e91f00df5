import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Database, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import sharp from 'sharp';
import {
  extractFrame,
  isPlatformReady,
  probeMedia,
  renderRendition,
  UnreadableMediaError,
} from '../rendering/media.js';
import type { ObjectStorage } from '../storage/index.js';

export interface MediaDependencies {
  db: Database;
  storage: ObjectStorage;
}

/** The failure type the processing workflow reads as "the file itself is the problem". */
const unprocessable = 'UnprocessableMedia';

function refuse(message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, unprocessable);
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Tells Temporal the activity is alive, when it runs as one (tests call it directly too). */
function heartbeat(details?: unknown) {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Not inside an activity.
  }
}

const imageWidths = [1080, 640];

export function createMediaActivities(deps: MediaDependencies) {
  const { db, storage } = deps;

  /** Writes the asset's progress and tells live subscribers; a deleted asset is left alone. */
  async function update(assetId: string, data: Prisma.MediaAssetUpdateManyMutationInput): Promise<boolean> {
    return db.$transaction(async (tx) => {
      const changed = await tx.mediaAsset.updateMany({ where: { id: assetId }, data });
      if (changed.count === 0) return false;
      const asset = await tx.mediaAsset.findUniqueOrThrow({
        where: { id: assetId },
        select: { organizationId: true, brandId: true },
      });
      await emitEvent(tx, {
        kind: 'media.changed',
        organizationId: asset.organizationId,
        payload: { mediaAssetId: assetId, brandId: asset.brandId },
      });
      return true;
    });
  }

  async function processImage(asset: { id: string; organizationId: string }, original: string) {
    const base = `org/${asset.organizationId}/library/${asset.id}`;
    let metadata: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
    try {
      metadata = await sharp(original).metadata();
    } catch (error) {
      throw refuse(`not a readable image: ${(error as Error).message}`);
    }
    const turned = (metadata.orientation ?? 1) >= 5;
    const width = turned ? metadata.height : metadata.width;
    const height = turned ? metadata.width : metadata.height;
    await update(asset.id, {
      processingStep: 'variants',
      progress: 30,
      width: width ?? null,
      height: height ?? null,
      probe: {
        format: metadata.format,
        width,
        height,
        orientation: metadata.orientation ?? 1,
        pages: metadata.pages ?? 1,
      },
    });
    const variantKeys: Record<string, string> = {};
    const dir = await mkdtemp(join(tmpdir(), 'pressroom-image-'));
    try {
      const render = async (maxSide: number, name: string) => {
        const file = join(dir, name);
        try {
          // failOn 'error': a truncated image is refused rather than rendered half grey.
          await sharp(original, { failOn: 'error' })
            .rotate()
            .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
            .flatten({ background: '#ffffff' })
            .jpeg({ quality: 86, mozjpeg: true })
            .toFile(file);
        } catch (error) {
          throw refuse(`not a readable image: ${(error as Error).message}`);
        }
        const key = `${base}/${name}`;
        await storage.putFile(key, file, { contentType: 'image/jpeg' });
        return key;
      };
      for (const size of imageWidths) variantKeys[String(size)] = await render(size, `w${size}.jpg`);
      const thumbnailKey = await render(320, 'thumb.jpg');
      return { variantKeys, thumbnailKey, posterKey: variantKeys['1080']! };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async function processVideo(
    asset: { id: string; organizationId: string; contentType: string | null },
    original: string,
    workDir: string,
  ) {
    const base = `org/${asset.organizationId}/library/${asset.id}`;
    let probed;
    try {
      probed = await probeMedia(original);
    } catch (error) {
      if (error instanceof UnreadableMediaError) throw refuse(`ffprobe could not read the video: ${error.message}`);
      throw error;
    }
    await update(asset.id, {
      processingStep: 'previews',
      progress: 20,
      width: probed.width,
      height: probed.height,
      durationMs: probed.durationMs,
      videoCodec: probed.videoCodec,
      audioCodec: probed.audioCodec,
      rotation: probed.rotation,
      probe: probed.raw as Prisma.InputJsonValue,
    });
    const at = probed.durationMs ? Math.min(1, probed.durationMs / 3000) : 0;
    const poster = join(workDir, 'poster.jpg');
    const thumbnail = join(workDir, 'thumb.jpg');
    try {
      await extractFrame(original, poster, { atSeconds: at, maxSide: 1920 });
      await extractFrame(original, thumbnail, { atSeconds: at, maxSide: 320 });
    } catch (error) {
      if (error instanceof UnreadableMediaError) throw refuse(`no frame could be decoded: ${error.message}`);
      throw error;
    }
    const posterKey = `${base}/poster.jpg`;
    const thumbnailKey = `${base}/thumb.jpg`;
    await storage.putFile(posterKey, poster, { contentType: 'image/jpeg' });
    await storage.putFile(thumbnailKey, thumbnail, { contentType: 'image/jpeg' });
    let renditionKey: string | null = null;
    if (!isPlatformReady(probed, asset.contentType ?? '')) {
      await update(asset.id, { processingStep: 'rendition', progress: 30, posterKey, thumbnailKey });
      const rendition = join(workDir, 'rendition.mp4');
      let reported = 0;
      try {
        await renderRendition(original, rendition, probed.durationMs, (fraction) => {
          heartbeat({ fraction });
          const progress = 30 + Math.floor(fraction * 65);
          // At most every 5 points: live subscribers see it move without a write per frame.
          if (progress >= reported + 5) {
            reported = progress;
            void update(asset.id, { progress }).catch(() => undefined);
          }
        });
      } catch (error) {
        if (error instanceof UnreadableMediaError) throw refuse(`the video could not be converted: ${error.message}`);
        throw error;
      }
      renditionKey = `${base}/rendition.mp4`;
      await storage.putFile(renditionKey, rendition, { contentType: 'video/mp4' });
    }
    return { posterKey, thumbnailKey, renditionKey };
  }

  return {
    /**
     * Probes the stored original, makes its previews (poster and thumbnail, or image variants)
     * and, for video that is not already platform-ready, the H.264/AAC rendition; then READY.
     * Safe to repeat: every object is written under the same key again.
     */
    async processMediaAsset(input: { assetId: string }): Promise<void> {
      const asset = await db.mediaAsset.findUnique({ where: { id: input.assetId } });
      // Deleted meanwhile, or already done by an earlier attempt.
      if (!asset || asset.status === 'READY') return;
      const workDir = await mkdtemp(join(tmpdir(), 'pressroom-media-'));
      try {
        await update(asset.id, { processingStep: 'probe', progress: 5 });
        const original = join(workDir, 'original');
        if (!(await storage.downloadTo(asset.storageKey, original))) throw refuse('the uploaded file is missing');
        heartbeat();
        const { size } = await stat(original);
        if (BigInt(size) !== asset.byteSize) {
          throw refuse(`the stored file has ${size} bytes, the upload declared ${asset.byteSize}`);
        }
        const sha256 = await sha256Of(original);
        await update(asset.id, { sha256, progress: 10 });
        heartbeat();
        const outputs =
          asset.kind === 'IMAGE'
            ? await processImage(asset, original)
            : asset.kind === 'VIDEO'
              ? { ...(await processVideo(asset, original, workDir)), variantKeys: undefined }
              : null;
        if (!outputs) throw refuse('the file is neither an image nor a video');
        await update(asset.id, {
          status: 'READY',
          processingStep: null,
          progress: 100,
          failureReason: null,
          posterKey: outputs.posterKey,
          thumbnailKey: outputs.thumbnailKey,
          renditionKey: 'renditionKey' in outputs ? outputs.renditionKey : null,
          ...(outputs.variantKeys ? { variantKeys: outputs.variantKeys } : {}),
        });
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    },

    /** The asset ends FAILED with the reason a person can read; the workflow does not retry it. */
    async failMediaAsset(input: { assetId: string; reason: string }): Promise<void> {
      await update(input.assetId, {
        status: 'FAILED',
        failureReason: input.reason.slice(0, 1000),
        processingStep: null,
      });
    },
  };
}

export type MediaActivities = ReturnType<typeof createMediaActivities>;
