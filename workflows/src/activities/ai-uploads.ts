import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { Platform, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import type { CaptionSuggestion, VisionFinding, VisionFrame } from '../platforms/ai/index.js';
import { extractFrame } from '../rendering/media.js';
import { aiGeneratorFor, platformFailure, type ContentDependencies } from './content.js';
import { networkLimits } from '../platforms/limits.js';

/** One line of a video review: what was checked where, and what was found. */
export interface VideoReviewFinding {
  timestampMs: number;
  check: 'HOOK' | 'TEXT_LEGIBILITY' | 'RISKY_CONTENT' | 'ASPECT_RATIO' | 'DURATION' | 'AUDIO';
  verdict: 'PASS' | 'WARN' | 'FAIL';
  note: string;
  /** The network an aspect-ratio or duration finding is about. */
  network: Platform | null;
  /** AI: the model judged it from the frames; PRESSROOM: computed from ffprobe's data. */
  source: 'AI' | 'PRESSROOM';
}

/**
 * What each network takes as video (seconds, and whether it is shown full-screen vertical).
 * From the networks' publishing limits in the README; vertical networks warn on other shapes.
 * The brands' blogs take articles only, so they have no video rules.
 */
export const networkVideoRules: Record<
  Exclude<Platform, 'BLOG'>,
  { minSeconds: number; maxSeconds: number; vertical: boolean }
> = {
  TIKTOK: { minSeconds: 3, maxSeconds: 600, vertical: true },
  INSTAGRAM: { minSeconds: 3, maxSeconds: 900, vertical: true },
  FACEBOOK: { minSeconds: 1, maxSeconds: 240 * 60, vertical: false },
  YOUTUBE: { minSeconds: 1, maxSeconds: 12 * 3600, vertical: false },
  TELEGRAM: { minSeconds: 1, maxSeconds: 12 * 3600, vertical: false },
  VK: { minSeconds: 1, maxSeconds: 12 * 3600, vertical: false },
};

const defaultReviewNetworks: Platform[] = ['TIKTOK', 'INSTAGRAM', 'FACEBOOK', 'YOUTUBE'];

/**
 * The checks Pressroom computes itself from the probe: aspect ratio and duration per target
 * network, and whether there is an audio track. Never asked of the model.
 */
export function computedVideoFindings(
  video: { width: number | null; height: number | null; durationMs: number | null; hasAudio: boolean | null },
  networks: Platform[],
): VideoReviewFinding[] {
  const findings: VideoReviewFinding[] = [];
  const seconds = video.durationMs === null ? null : video.durationMs / 1000;
  const ratio = video.width && video.height ? video.width / video.height : null;
  const shape = ratio === null ? 'unknown' : `${video.width}×${video.height}`;
  for (const network of networks) {
    if (network === 'BLOG') continue;
    const rules = networkVideoRules[network];
    if (ratio === null) {
      findings.push({
        timestampMs: 0,
        check: 'ASPECT_RATIO',
        verdict: 'WARN',
        note: 'The frame size is unknown.',
        network,
        source: 'PRESSROOM',
      });
    } else if (rules.vertical && ratio > 0.8) {
      findings.push({
        timestampMs: 0,
        check: 'ASPECT_RATIO',
        verdict: 'WARN',
        note: `${shape} is not vertical; ${networkLimits[network].label} shows 9:16 full-screen and will letterbox it.`,
        network,
        source: 'PRESSROOM',
      });
    } else {
      findings.push({
        timestampMs: 0,
        check: 'ASPECT_RATIO',
        verdict: 'PASS',
        note: `${shape} suits ${networkLimits[network].label}.`,
        network,
        source: 'PRESSROOM',
      });
    }
    if (seconds === null) {
      findings.push({
        timestampMs: 0,
        check: 'DURATION',
        verdict: 'WARN',
        note: 'The duration is unknown.',
        network,
        source: 'PRESSROOM',
      });
    } else {
      const ok = seconds >= rules.minSeconds && seconds <= rules.maxSeconds;
      findings.push({
        timestampMs: 0,
        check: 'DURATION',
        verdict: ok ? 'PASS' : 'FAIL',
        note: ok
          ? `${seconds.toFixed(1)} s is within ${networkLimits[network].label}'s ${rules.minSeconds}–${rules.maxSeconds} s.`
          : `${seconds.toFixed(1)} s is outside ${networkLimits[network].label}'s ${rules.minSeconds}–${rules.maxSeconds} s; it will be refused.`,
        network,
        source: 'PRESSROOM',
      });
    }
  }
  findings.push({
    timestampMs: 0,
    check: 'AUDIO',
    verdict: video.hasAudio === false ? 'WARN' : video.hasAudio === null ? 'WARN' : 'PASS',
    note:
      video.hasAudio === false
        ? 'There is no audio track; most short-video viewers expect sound.'
        : video.hasAudio === null
          ? 'Whether there is audio is unknown.'
          : 'An audio track is present.',
    network: null,
    source: 'PRESSROOM',
  });
  return findings;
}

/** Where to sample a video: early for the hook, then spread over the rest. */
export function frameTimesMs(durationMs: number | null, count = 4): number[] {
  const duration = durationMs ?? 1000;
  const first = Math.min(500, duration / 4);
  const times = [first];
  for (let i = 1; i < count; i++) times.push(Math.round((duration * i) / count));
  return [...new Set(times.map((time) => Math.max(0, Math.min(time, duration - 50))))].sort((a, b) => a - b);
}

type Tx = Prisma.TransactionClient;

export function createAiUploadActivities(deps: ContentDependencies) {
  const { db, storage } = deps;

  /** Frames of a stored video at `timesMs`, small JPEGs for vision input. */
  async function videoFrames(key: string, timesMs: number[]): Promise<VisionFrame[]> {
    const work = await mkdtemp(join(tmpdir(), 'pressroom-frames-'));
    try {
      const input = join(work, 'video');
      if (!(await storage.downloadTo(key, input))) {
        throw ApplicationFailure.nonRetryable(`the video ${key} is missing from storage`, 'NOT_FOUND');
      }
      const frames: VisionFrame[] = [];
      for (const [index, timestampMs] of timesMs.entries()) {
        const output = join(work, `frame-${index}.jpg`);
        await extractFrame(input, output, { atSeconds: timestampMs / 1000, maxSide: 512 });
        frames.push({ contentType: 'image/jpeg', bytes: await readFile(output), timestampMs });
      }
      return frames;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async function reviewChanged(tx: Tx, review: { postId: string; organizationId: string }) {
    const post = await tx.post.findUniqueOrThrow({ where: { id: review.postId }, select: { brandId: true } });
    await emitEvent(tx, {
      kind: 'post.changed',
      organizationId: review.organizationId,
      payload: { postId: review.postId, brandId: post.brandId },
    });
  }

  return {
    /**
     * Caption and hashtag suggestions per network from library uploads: images as they are
     * (their 640 preview), videos by a few sampled frames. Refused (AI_DISABLED) without the
     * organization's text opt-in, before anything is read or sent.
     */
    async suggestCaptionsForMedia(input: {
      organizationId: string;
      mediaAssetIds: string[];
      networks: Platform[];
    }): Promise<{ suggestions: CaptionSuggestion[] }> {
      const { generator, policy } = await aiGeneratorFor(deps, input.organizationId, 'text');
      const assets = await db.mediaAsset.findMany({
        where: { id: { in: input.mediaAssetIds }, organizationId: input.organizationId, status: 'READY' },
        include: { brand: true },
      });
      if (assets.length !== new Set(input.mediaAssetIds).size) {
        throw ApplicationFailure.nonRetryable('an upload is missing or not processed', 'NOT_FOUND');
      }
      const ordered = input.mediaAssetIds.map((id) => assets.find((asset) => asset.id === id)!);
      const video = ordered.find((asset) => asset.kind === 'VIDEO');
      let frames: VisionFrame[];
      if (video) {
        frames = await videoFrames(video.renditionKey ?? video.storageKey, frameTimesMs(video.durationMs, 3));
      } else {
        frames = [];
        // At most four pictures: enough to describe a carousel, and a bounded request.
        for (const asset of ordered.slice(0, 4)) {
          const variants = asset.variantKeys as Record<string, string> | null;
          const key = variants?.['640'] ?? variants?.['1080'] ?? asset.thumbnailKey;
          const object = key ? await storage.get(key) : null;
          if (!object) throw ApplicationFailure.nonRetryable(`${asset.filename} has no preview`, 'NOT_FOUND');
          frames.push({ contentType: 'image/jpeg', bytes: Buffer.from(object.body) });
        }
      }
      const brand = ordered[0]!.brand;
      try {
        const suggestions = await generator.suggestCaptions({
          ...(policy.textModel ? { model: policy.textModel } : {}),
          brand: { name: brand.name, voice: brand.voice },
          kind: video ? 'VIDEO' : 'IMAGE',
          frames,
          networks: input.networks,
        });
        // One per network asked for, in that order; anything else the model added is dropped.
        return {
          suggestions: input.networks.flatMap((network) => {
            const found = suggestions.find((suggestion) => suggestion.network.toUpperCase() === network);
            return found ? [{ ...found, network }] : [];
          }),
        };
      } catch (error) {
        throw platformFailure(error);
      }
    },

    /**
     * Reviews a post's video: Pressroom's own checks from the probe, and the model's findings
     * on sampled frames, stored together on the VideoReview in timestamp order (DONE).
     */
    async reviewPostVideo(input: { reviewId: string }): Promise<{ status: 'DONE' | 'FAILED'; findings: number }> {
      const review = await db.videoReview.findUniqueOrThrow({
        where: { id: input.reviewId },
        include: {
          media: true,
          mediaAsset: true,
          post: { include: { versions: true } },
        },
      });
      if (review.status !== 'RUNNING') {
        return { status: review.status === 'DONE' ? 'DONE' : 'FAILED', findings: 0 };
      }
      const { generator, policy } = await aiGeneratorFor(deps, review.organizationId, 'text');
      const media = review.media;
      if (!media) throw ApplicationFailure.nonRetryable('the post has no video to review', 'NOT_FOUND');
      const asset = review.mediaAsset;
      const networks = review.post.versions.length
        ? [...new Set(review.post.versions.map((version) => version.platform))]
        : defaultReviewNetworks;
      const durationMs = media.durationMs ?? asset?.durationMs ?? null;
      const computed = computedVideoFindings(
        {
          width: media.width ?? asset?.width ?? null,
          height: media.height ?? asset?.height ?? null,
          durationMs,
          hasAudio: asset ? asset.audioCodec !== null : null,
        },
        networks,
      );
      const frames = await videoFrames(media.storageKey, frameTimesMs(durationMs));
      let seen: VisionFinding[];
      try {
        seen = await generator.reviewVideo({
          ...(policy.textModel ? { model: policy.textModel } : {}),
          frames,
          durationMs,
        });
      } catch (error) {
        throw platformFailure(error);
      }
      const fromModel: VideoReviewFinding[] = seen
        .filter((finding) => finding.frame < frames.length)
        .map((finding) => ({
          timestampMs: frames[finding.frame]!.timestampMs ?? 0,
          check: finding.check,
          verdict: finding.verdict,
          note: finding.note,
          network: null,
          source: 'AI',
        }));
      const findings = [...computed, ...fromModel].sort((a, b) => a.timestampMs - b.timestampMs);
      await db.$transaction(async (tx) => {
        await tx.videoReview.update({
          where: { id: review.id },
          data: {
            status: 'DONE',
            findings: findings as unknown as Prisma.InputJsonValue,
            provider: generator.provider,
            model: policy.textModel,
            completedAt: new Date(),
          },
        });
        await reviewChanged(tx, review);
      });
      return { status: 'DONE', findings: findings.length };
    },

    /** The review could not be made: FAILED with the reason, shown to reviewers. */
    async failVideoReview(input: { reviewId: string; reason: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const review = await tx.videoReview.findUniqueOrThrow({ where: { id: input.reviewId } });
        if (review.status !== 'RUNNING') return;
        await tx.videoReview.update({
          where: { id: review.id },
          data: { status: 'FAILED', failureReason: input.reason.slice(0, 2000), completedAt: new Date() },
        });
        await reviewChanged(tx, review);
      });
    },
  };
}

export type AiUploadActivities = ReturnType<typeof createAiUploadActivities>;
