import {
  planVideoChunks,
  type TikTokClient,
  type TikTokPrivacyLevel,
  type TikTokVideo,
} from '../../platforms/tiktok/index.js';
import type { ObjectStorage } from '../../storage/index.js';
import { PublishRefusal, type MadePost, type NetworkPublisher, type PublishContext } from './types.js';

export interface TikTokPublisherSettings {
  preferredPrivacy: TikTokPrivacyLevel;
  videoChunkBytes: number;
}

/** Clocks differ a little between us and TikTok. */
const clockSkewMs = 5 * 60_000;

/**
 * TikTok's Content Posting API. Its init is the call that makes the post (a photo post pulled
 * from our URLs at once, a video once its FILE_UPLOAD chunks are in), so it is this
 * publisher's `publish`; nothing is made before it, so `init` and the pre-publish `upload`
 * do nothing. The publish answers `processing` with the publish_id saved: the workflow then
 * sends the chunks (`upload`, resuming from the last chunk TikTok took) and polls `status`
 * until TikTok says PUBLISH_COMPLETE or FAILED. creator_info, init and status each go
 * through the account's rate gate (`ctx.paced`). An init whose answer was lost is looked for
 * among the creator's recent videos with the same text, posted after it was sent.
 */
export function createTikTokPublisher(deps: {
  tiktok: TikTokClient;
  storage: ObjectStorage;
  settings: TikTokPublisherSettings;
}): NetworkPublisher {
  const { tiktok, storage, settings } = deps;

  const choosePrivacy = (options: readonly TikTokPrivacyLevel[]): TikTokPrivacyLevel => {
    const level = options.includes(settings.preferredPrivacy)
      ? settings.preferredPrivacy
      : (options.find((option) => option === 'SELF_ONLY') ?? options[0]);
    if (!level)
      throw new PublishRefusal('TikTok: the creator has no privacy level to post with', 'REJECTED_BY_PLATFORM');
    return level;
  };

  /** The text TikTok shows for the post: the video's title, or the photo post's description. */
  const matchTextOf = (ctx: PublishContext) =>
    ctx.post.format === 'VIDEO' ? ctx.post.text.slice(0, 2200) : ctx.post.text.slice(0, 4000);

  /** The creator's recent video this attempt's init made, not another publication's. */
  async function videoMadeBy(ctx: PublishContext): Promise<TikTokVideo | undefined> {
    const sentAtMs = ctx.state.publishSentAtMs;
    if (sentAtMs === undefined) return undefined;
    const sinceSec = Math.floor((sentAtMs - clockSkewMs) / 1000);
    const text = ctx.state.matchText ?? matchTextOf(ctx);
    const photo = ctx.post.format !== 'VIDEO';
    let cursor: number | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await tiktok.listVideos(ctx.tokens, { cursor, maxCount: 20 });
      for (const video of result.videos) {
        const shown = photo ? video.video_description : video.title;
        if (shown === text && (video.create_time ?? 0) >= sinceSec && !ctx.takenPostIds.has(video.id)) return video;
      }
      const oldest = result.videos[result.videos.length - 1]?.create_time ?? 0;
      if (!result.has_more || oldest < sinceSec) break;
      cursor = result.cursor;
    }
    return undefined;
  }

  /**
   * The id and link of what a completed publish made: the id from the status answer (there
   * only once moderation passed, never for SELF_ONLY), else the video list. Best effort: the
   * account's next sync fills in what this misses.
   */
  async function madePost(ctx: PublishContext, statusPostId: string | undefined): Promise<MadePost> {
    try {
      const video = statusPostId
        ? (await tiktok.queryVideos(ctx.tokens, [statusPostId], ['id', 'share_url']))[0]
        : await videoMadeBy(ctx);
      const postId = statusPostId ?? video?.id;
      return { ...(postId ? { postId } : {}), ...(video?.share_url ? { url: video.share_url } : {}) };
    } catch {
      return statusPostId ? { postId: statusPostId } : {};
    }
  }

  const videoPostInfo = (ctx: PublishContext, privacyLevel: TikTokPrivacyLevel | undefined) => ({
    title: matchTextOf(ctx),
    privacy_level: privacyLevel!,
    is_aigc: true,
  });
  const photoPostInfo = (ctx: PublishContext, privacyLevel: TikTokPrivacyLevel | undefined) => ({
    title: (ctx.post.title || ctx.post.caption).slice(0, 90),
    description: matchTextOf(ctx),
    privacy_level: privacyLevel!,
  });

  const awaitsUpload = (ctx: PublishContext) =>
    ctx.post.format === 'VIDEO' && Boolean(ctx.state.uploadUrl) && ctx.state.uploadComplete !== true;

  return {
    platform: 'TIKTOK',
    label: 'TikTok',

    refreshTokens: (refreshToken) => tiktok.refresh(refreshToken),

    async prepare(ctx) {
      if (ctx.post.format === 'VIDEO' && !ctx.post.video) {
        throw new PublishRefusal('TikTok: the post has no ready video', 'REJECTED_BY_PLATFORM');
      }
      if (ctx.post.format !== 'VIDEO' && ctx.post.images.length === 0) {
        throw new PublishRefusal('TikTok: the post has no rendered slides', 'REJECTED_BY_PLATFORM');
      }
      // creator_info is also where a creator's daily cap shows first.
      const info = await ctx.paced(() => tiktok.creatorInfo(ctx.tokens));
      await ctx.save({ privacyLevel: choosePrivacy(info.privacy_level_options) });
    },

    // The init makes the post: see `publish`.
    async init() {},

    /**
     * PUTs the video in the chunks the init announced, each read from storage as a byte range
     * (a 2 GB video is never held whole). Resumes after a crash from the chunk the last
     * heartbeat named; a chunk TikTok refuses with 416 was already taken (the heartbeat lags
     * the upload), so the next one is tried. A PUT of the same range is harmless.
     */
    async upload(ctx) {
      if (!awaitsUpload(ctx)) return;
      const video = ctx.post.video!;
      const uploadUrl = ctx.state.uploadUrl!;
      const size = video.byteSize;
      const plan = planVideoChunks(size, settings.videoChunkBytes);
      let index = (ctx.resumeDetails as { nextChunk?: number } | undefined)?.nextChunk ?? 0;
      ctx.heartbeat({ nextChunk: index });
      while (index < plan.totalChunkCount) {
        const start = index * plan.chunkSize;
        const end = index === plan.totalChunkCount - 1 ? size : start + plan.chunkSize;
        const bytes = await storage.getRange(video.storageKey, start, end);
        if (!bytes || bytes.length !== end - start)
          throw new PublishRefusal('TikTok: the video is missing from storage', 'REJECTED_BY_PLATFORM');
        const put = await fetch(uploadUrl, {
          method: 'PUT',
          headers: { 'content-type': 'video/mp4', 'content-range': `bytes ${start}-${end - 1}/${size}` },
          // A copy typed as BodyInit for every lib setting (the sdk compiles this file too); one
          // chunk, so at most a chunk more in memory.
          body: new Uint8Array(bytes),
          signal: AbortSignal.timeout(120_000),
        });
        await put.arrayBuffer();
        if (put.status === 201 || put.status === 206 || put.status === 416) {
          index++;
          ctx.heartbeat({ nextChunk: index });
          continue;
        }
        if (put.status === 403 || put.status === 404) {
          throw new PublishRefusal(`TikTok: the upload URL was refused (HTTP ${put.status})`, 'REJECTED_BY_PLATFORM');
        }
        throw new PublishRefusal(`TikTok: chunk ${index + 1} got HTTP ${put.status}`, 'TRANSIENT');
      }
      await ctx.save({ uploadComplete: true });
    },

    async status(ctx) {
      const publishId = ctx.state.publishId;
      // Nothing was sent yet: the publish (TikTok's init) comes next.
      if (!publishId) return { kind: 'ready' };
      const status = await ctx.paced(() => tiktok.fetchPublishStatus(ctx.tokens, publishId));
      if (status.status === 'PUBLISH_COMPLETE') {
        return { kind: 'published', post: await madePost(ctx, status.publicaly_available_post_id?.[0]?.toString()) };
      }
      // Sent to the creator's inbox to finish in the app: done on our side, no post id yet.
      if (status.status === 'SEND_TO_USER_INBOX') return { kind: 'published', post: {} };
      if (status.status === 'FAILED') {
        // TikTok's own internal failure made no post: another attempt may work.
        const internal = status.fail_reason === 'internal';
        return {
          kind: 'failed',
          category: internal ? 'TRANSIENT' : 'REJECTED_BY_PLATFORM',
          reason: `TikTok: ${status.fail_reason ?? 'failed without a reason'}`,
          ...(internal ? { madeNothing: true } : {}),
        };
      }
      return { kind: 'processing', detail: status.status };
    },

    describePublish(ctx) {
      const { post } = ctx;
      return post.format === 'VIDEO'
        ? {
            endpoint: 'video/init',
            matchText: matchTextOf(ctx),
            postInfo: videoPostInfo(ctx, ctx.state.privacyLevel),
            source: { source: 'FILE_UPLOAD', video_size: post.video?.byteSize, chunk_size: settings.videoChunkBytes },
          }
        : {
            endpoint: 'content/init',
            matchText: matchTextOf(ctx),
            postInfo: photoPostInfo(ctx, ctx.state.privacyLevel),
            source: { source: 'PULL_FROM_URL', photo_count: post.images.length },
          };
    },

    async publish(ctx) {
      const { post } = ctx;
      // An attempt that looked for a lost init and found nothing comes here without prepare.
      const privacyLevel =
        ctx.state.privacyLevel ?? choosePrivacy((await tiktok.creatorInfo(ctx.tokens)).privacy_level_options);
      const sent: { publish_id: string; upload_url?: string } = await ctx.paced(() => {
        if (post.format === 'VIDEO') {
          return tiktok.initVideo(ctx.tokens, {
            postInfo: videoPostInfo(ctx, privacyLevel),
            source: { source: 'FILE_UPLOAD', videoSize: post.video!.byteSize, chunkSize: settings.videoChunkBytes },
          });
        }
        return tiktok.initPhotoPost(ctx.tokens, {
          postInfo: photoPostInfo(ctx, privacyLevel),
          photoUrls: post.images.map((image) => image.url),
        });
      });
      await ctx.save({ publishId: sent.publish_id, ...(sent.upload_url ? { uploadUrl: sent.upload_url } : {}) });
      return { processing: true, ...(awaitsUpload(ctx) ? { awaitsUpload: true } : {}) };
    },

    async find(ctx) {
      // The init's answer was recorded after all: the post is TikTok's to finish.
      if (ctx.state.publishId) {
        return { kind: 'found', post: { processing: true, ...(awaitsUpload(ctx) ? { awaitsUpload: true } : {}) } };
      }
      const video = await videoMadeBy(ctx);
      if (!video) return { kind: 'not-made' };
      return { kind: 'found', post: { postId: video.id, ...(video.share_url ? { url: video.share_url } : {}) } };
    },

    urlOf: () => undefined,
  };
}
