import type { Database } from '@pressroom/db';
import { PlatformError } from '../../platforms/errors.js';
import {
  youtubeChunkUnit,
  type UploadProgress,
  type YouTubeClient,
  type YouTubeQuotaMeter,
} from '../../platforms/youtube/index.js';
import type { ObjectStorage } from '../../storage/index.js';
import { PublishRefusal, type NetworkPublisher, type PublishContext } from './types.js';

export interface YouTubePublisherOptions {
  youtube: YouTubeClient;
  storage: ObjectStorage;
  db: Database;
  /** The project's daily quota in units (10 000 by default); an upload costs 1 600. */
  dailyQuotaUnits: number;
  chunkBytes: number;
  privacy: 'public' | 'unlisted' | 'private';
}

/** videos.insert's price in quota units. */
export const youtubeUploadUnits = 1600;

const pacificParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The last midnight in Pacific time (where YouTube's quota day turns) at or before `ms`. */
export function pacificMidnightBefore(ms: number): number {
  const parts = Object.fromEntries(pacificParts.formatToParts(ms).map((part) => [part.type, part.value]));
  const sinceMidnight = ((Number(parts.hour) * 60 + Number(parts.minute)) * 60 + Number(parts.second)) * 1000;
  return ms - sinceMidnight - (ms % 1000);
}

/**
 * Units of the project's quota spent by reads outside publishing (analytics: channels.list,
 * videos.list, a unit each) in the Pacific day, one counter row per day (shared by every
 * worker through PostgreSQL). Uploads are counted from their sessions; both together are
 * what the day has spent.
 */
export function youtubeQuotaLedger(db: Pick<Database, '$executeRaw' | '$queryRaw'>) {
  const keyOf = (ms: number) => `youtube-quota:${new Date(pacificMidnightBefore(ms)).toISOString()}`;
  return {
    async spend(units: number, now: number): Promise<void> {
      const key = keyOf(now);
      await db.$executeRaw`
        INSERT INTO "RateLimitBucket" ("key", "tokens", "failures", "updatedAt")
        VALUES (${key}, ${units}, 0, now())
        ON CONFLICT ("key") DO UPDATE SET "tokens" = "RateLimitBucket"."tokens" + EXCLUDED."tokens", "updatedAt" = now()`;
    },
    async spent(now: number): Promise<number> {
      const rows = await db.$queryRaw<Array<{ tokens: number }>>`
        SELECT "tokens" FROM "RateLimitBucket" WHERE "key" = ${keyOf(now)}`;
      return rows[0]?.tokens ?? 0;
    },
  };
}

/**
 * Analytics read held back because the project's quota left for the day is down to the
 * reserve kept for publishing. Nothing was sent; the read can go after midnight Pacific.
 */
export class YouTubeQuotaReserved extends PlatformError {
  constructor(operation: string, details: { dailyUnits: number; spent: number; reserveUnits: number; now: number }) {
    const reset = nextPacificMidnight(details.now);
    super(
      `held back: ${details.dailyUnits - details.spent} of the project's ${details.dailyUnits} daily units are left and ${details.reserveUnits} are kept for publishing; analytics reads resume after midnight Pacific (${new Date(reset).toISOString()})`,
      {
        category: 'RATE_LIMITED',
        platform: 'youtube',
        operation,
        code: 'quotaReserve',
        retryAfterMs: reset - details.now,
      },
    );
  }
}

/**
 * The project's YouTube quota for the Pacific day: uploads counted from their sessions (each
 * attempt that opened one records when), every Data API read from the ledger. Publishing's
 * reads are always counted; analytics reads are held back once they would cut into the
 * reserve, so the sync can never starve an upload.
 */
export function youtubeQuota(
  db: Pick<Database, '$executeRaw' | '$queryRaw'>,
  options: { dailyUnits: number; reserveUnits: number },
) {
  const ledger = youtubeQuotaLedger(db);
  async function spentToday(now: number): Promise<number> {
    const since = pacificMidnightBefore(now);
    const rows = await db.$queryRaw<Array<{ count: bigint }>>`
      SELECT count(*)::bigint AS count FROM "PublishAttempt" a
      JOIN "Publication" p ON p.id = a."publicationId"
      WHERE p.platform = 'YOUTUBE' AND (a.response->>'sessionStartedAtMs')::bigint >= ${since}`;
    return Number(rows[0]?.count ?? 0) * youtubeUploadUnits + (await ledger.spent(now));
  }
  return {
    spentToday,
    /** Publishing's reads (status polls, the lost-upload lookup): counted, never held back. */
    publishingMeter(now: () => number): YouTubeQuotaMeter {
      return (units) => ledger.spend(units, now());
    },
    /** Analytics reads: counted, or refused with YouTubeQuotaReserved (and not sent) at the reserve. */
    analyticsMeter(now: () => number): YouTubeQuotaMeter {
      return async (units, operation) => {
        const at = now();
        const spent = await spentToday(at);
        if (options.dailyUnits - spent - units < options.reserveUnits) {
          throw new YouTubeQuotaReserved(operation, { ...options, spent, now: at });
        }
        await ledger.spend(units, at);
      };
    },
  };
}

/** The next midnight Pacific after `ms` (a day is 23 or 25 hours when the clocks change). */
export function nextPacificMidnight(ms: number): number {
  return pacificMidnightBefore(pacificMidnightBefore(ms) + 26 * 3600_000);
}

/**
 * YouTube through the Data API: a resumable upload session (makes no video), the file in
 * chunks resumed from the last byte the session acknowledged (asked after a restart), then
 * processing polled until the video is ready. The upload's last chunk is what makes the video;
 * an answer lost there is settled by asking the session, and a session that is gone by
 * listing the channel's uploads. Quota is counted per project (this installation) per
 * Pacific day, so an upload that cannot fit is held back until midnight Pacific instead of
 * failing at YouTube. Vertical videos up to three minutes are marked as Shorts.
 */
export function createYouTubePublisher(options: YouTubePublisherOptions): NetworkPublisher {
  const { storage, db } = options;
  const quota = youtubeQuota(db, { dailyUnits: options.dailyQuotaUnits, reserveUnits: 0 });
  // Status polls and the lost-upload lookup draw on the same daily quota as uploads.
  const youtube = options.youtube.metered(quota.publishingMeter(Date.now));
  if (options.chunkBytes % youtubeChunkUnit !== 0) throw new Error('YouTube chunks are multiples of 256 KiB');

  const isShort = (ctx: PublishContext) => {
    const video = ctx.post.video;
    if (!video?.width || !video.height || video.height <= video.width) return false;
    return video.durationMs === null || video.durationMs <= 180_000;
  };

  const urlOf = (ctx: PublishContext, videoId: string) =>
    isShort(ctx) ? `https://www.youtube.com/shorts/${videoId}` : `https://www.youtube.com/watch?v=${videoId}`;

  async function finish(ctx: PublishContext, progress: UploadProgress & { done: true }) {
    await ctx.save({ videoId: progress.video.id, uploadComplete: true });
  }

  return {
    platform: 'YOUTUBE',
    label: 'YouTube',

    async refreshTokens(refreshToken) {
      const fresh = await youtube.refresh(refreshToken);
      return { accessToken: fresh.accessToken, accessTokenExpiresAt: fresh.accessTokenExpiresAt };
    },

    async prepare(ctx) {
      if (!ctx.post.video) {
        throw new PublishRefusal('YouTube takes only video and the post has none', 'REJECTED_BY_PLATFORM');
      }
      if (ctx.state.sessionUrl) return;
      const now = ctx.now();
      const spent = await quota.spentToday(now);
      if (spent + youtubeUploadUnits > options.dailyQuotaUnits) {
        const reset = nextPacificMidnight(now);
        throw new PublishRefusal(
          `YouTube: the project's daily quota (${options.dailyQuotaUnits} units, ${spent} spent today) has no room for an upload (${youtubeUploadUnits}); it resets at midnight Pacific (${new Date(reset).toISOString()})`,
          'RATE_LIMITED',
          reset - now,
        );
      }
    },

    async init(ctx) {
      if (ctx.state.sessionUrl || ctx.state.videoId) return;
      const { post } = ctx;
      const tags = post.hashtags.map((tag) => tag.replace(/^#/, ''));
      const description = isShort(ctx) && !/#shorts\b/i.test(post.text) ? `${post.text} #Shorts` : post.text;
      const sessionStartedAtMs = ctx.now();
      const sessionUrl = await youtube.startUpload(
        ctx.tokens,
        {
          snippet: { title: post.title.slice(0, 100), description, tags, categoryId: '22' },
          status: { privacyStatus: options.privacy, selfDeclaredMadeForKids: false },
        },
        post.video!.byteSize,
      );
      await ctx.save({ sessionUrl, sessionStartedAtMs, matchText: post.title.slice(0, 100) });
    },

    async upload(ctx) {
      if (ctx.state.videoId) return;
      const video = ctx.post.video!;
      const session = ctx.state.sessionUrl!;
      // Read a chunk at a time from storage (a 2 GB upload is never held whole in memory).
      const size = video.byteSize;
      // Start from what the session acknowledged, not from what we think we sent.
      let progress: UploadProgress;
      try {
        progress = await youtube.uploadStatus(ctx.tokens, session, size);
      } catch (error) {
        if (!(error instanceof PlatformError) || error.status !== 404) throw error;
        // The session is gone: the channel's uploads say whether it made the video.
        const since = (ctx.state.sessionStartedAtMs ?? 0) - 5 * 60_000;
        const made = (await youtube.recentUploads(ctx.tokens)).find(
          (upload) =>
            upload.title === ctx.state.matchText &&
            Date.parse(upload.publishedAt) >= since &&
            !ctx.takenPostIds.has(upload.videoId),
        );
        if (made) {
          await ctx.save({ videoId: made.videoId, uploadComplete: true });
          return;
        }
        await ctx.save({ sessionUrl: undefined });
        throw new PublishRefusal('YouTube: the upload session expired before the upload finished', 'TRANSIENT');
      }
      while (!progress.done) {
        const offset = progress.nextOffset;
        if (offset >= size) {
          // Every byte is acknowledged but the video was not in the answer: ask the session.
          progress = await youtube.uploadStatus(ctx.tokens, session, size);
          if (!progress.done)
            throw new PublishRefusal('YouTube: the session has every byte but no video yet', 'TRANSIENT');
          break;
        }
        ctx.heartbeat({ offset });
        const end = Math.min(offset + options.chunkBytes, size);
        const chunk = await storage.getRange(video.storageKey, offset, end);
        if (!chunk || chunk.length !== end - offset) {
          throw new PublishRefusal('the video is missing from storage', 'REJECTED_BY_PLATFORM');
        }
        progress = await youtube.uploadChunk(ctx.tokens, session, chunk, offset, size);
      }
      await finish(ctx, progress);
    },

    async status(ctx) {
      const state = await youtube.videoState(ctx.tokens, ctx.state.videoId!);
      if (!state) return { kind: 'processing', detail: 'not listed yet' };
      if (state.uploadStatus === 'rejected' || state.uploadStatus === 'failed' || state.processingStatus === 'failed') {
        return {
          kind: 'failed',
          category: 'REJECTED_BY_PLATFORM',
          reason: `YouTube ${state.uploadStatus}: ${state.rejectionReason ?? state.failureReason ?? 'no reason given'}`,
        };
      }
      if (state.processingStatus === 'succeeded' || state.uploadStatus === 'processed') {
        return { kind: 'published', post: { postId: state.id, url: urlOf(ctx, state.id) } };
      }
      return { kind: 'processing', detail: state.processingStatus ?? state.uploadStatus };
    },

    publish() {
      // The upload's last chunk made the video; there is no separate publish call.
      return Promise.reject(new Error('YouTube has no publish step'));
    },

    async find(ctx) {
      if (ctx.state.videoId)
        return { kind: 'found', post: { postId: ctx.state.videoId, url: urlOf(ctx, ctx.state.videoId) } };
      const since = (ctx.state.sessionStartedAtMs ?? 0) - 5 * 60_000;
      const made = (await youtube.recentUploads(ctx.tokens)).find(
        (upload) =>
          upload.title === ctx.state.matchText &&
          Date.parse(upload.publishedAt) >= since &&
          !ctx.takenPostIds.has(upload.videoId),
      );
      return made
        ? { kind: 'found', post: { postId: made.videoId, url: urlOf(ctx, made.videoId) } }
        : { kind: 'not-made' };
    },

    urlOf,
  };
}
