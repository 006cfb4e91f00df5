import { instagramRefresh, type FacebookClient } from '../../platforms/facebook/index.js';
import type { InstagramClient } from '../../platforms/instagram/index.js';
import { PublishRefusal, type NetworkPublisher, type PublishContext } from './types.js';

/**
 * Instagram professional accounts through the Graph API: a container per post (an image, a
 * carousel of 2–10 image items, or a reel from the post's video) that Instagram downloads
 * and processes, polled until FINISHED, then `media_publish`, the one call that makes the
 * post and is not idempotent. Before anything is made the account's
 * content_publishing_limit is read: a used-up quota is a rate limit, not a failed post.
 * A publish whose answer was lost is looked up in the account's recent media; the container's
 * own status (PUBLISHED or not) settles whether it was made.
 */
export function createInstagramPublisher(instagram: InstagramClient, facebook?: FacebookClient): NetworkPublisher {
  const matches = (caption: string | undefined, text: string) => (caption ?? '').trim() === text.trim();

  async function lookUp(ctx: PublishContext) {
    const since = (ctx.state.publishSentAtMs ?? 0) - 5 * 60_000;
    const recent = await instagram.recentMedia(ctx.tokens, ctx.platformAccountId);
    return recent.find(
      (media) =>
        matches(media.caption, ctx.state.matchText ?? ctx.post.text) &&
        Date.parse(media.timestamp) >= since &&
        // Another publication's post with the same caption is not this one.
        !ctx.takenPostIds.has(media.id),
    );
  }

  return {
    platform: 'INSTAGRAM',
    label: 'Instagram',

    // Meta login re-derives the page token; Instagram login renews its own token.
    refreshTokens: instagramRefresh({ instagram, facebook }),

    async prepare(ctx) {
      if (ctx.post.format === 'VIDEO' && !ctx.post.video) {
        throw new PublishRefusal('Instagram: a reel needs a video and the post has none', 'REJECTED_BY_PLATFORM');
      }
      if (ctx.post.format !== 'VIDEO' && ctx.post.images.length === 0) {
        throw new PublishRefusal('Instagram: the post has no rendered images', 'REJECTED_BY_PLATFORM');
      }
      const limit = await instagram.publishingLimit(ctx.tokens, ctx.platformAccountId);
      if (limit.quota_usage >= limit.config.quota_total) {
        throw new PublishRefusal(
          `Instagram: the account has used its ${limit.config.quota_total} posts per ${Math.round(limit.config.quota_duration / 3600)} h (content_publishing_limit)`,
          'RATE_LIMITED',
          3600_000,
        );
      }
    },

    async init(ctx) {
      if (ctx.state.containerId) return;
      const { post } = ctx;
      const account = ctx.platformAccountId;
      if (post.format === 'VIDEO') {
        const containerId = await instagram.createReelContainer(ctx.tokens, account, {
          videoUrl: post.video!.url,
          caption: post.text,
        });
        await ctx.save({ containerId });
        return;
      }
      if (post.images.length === 1) {
        const containerId = await instagram.createImageContainer(ctx.tokens, account, {
          imageUrl: post.images[0]!.url,
          caption: post.text,
        });
        await ctx.save({ containerId });
        return;
      }
      // Unused containers expire by themselves in 24 h: a retry that makes new ones is harmless.
      const children: string[] = [];
      for (const image of post.images) {
        children.push(
          await instagram.createImageContainer(ctx.tokens, account, { imageUrl: image.url, isCarouselItem: true }),
        );
        ctx.heartbeat();
      }
      const containerId = await instagram.createCarouselContainer(ctx.tokens, account, {
        children,
        caption: post.text,
      });
      await ctx.save({ containerId, childContainerIds: children });
    },

    async upload() {},

    async status(ctx) {
      const { status_code, status } = await instagram.containerStatus(ctx.tokens, ctx.state.containerId!);
      if (status_code === 'FINISHED' || status_code === 'PUBLISHED') return { kind: 'ready' };
      if (status_code === 'IN_PROGRESS') return { kind: 'processing', detail: status_code };
      if (status_code === 'EXPIRED') {
        return { kind: 'failed', category: 'TRANSIENT', reason: 'Instagram: the media container expired (24 h)' };
      }
      return {
        kind: 'failed',
        category: 'REJECTED_BY_PLATFORM',
        reason: `Instagram could not process the media: ${status ?? status_code}`,
      };
    },

    async publish(ctx) {
      const postId = await instagram.publish(ctx.tokens, ctx.platformAccountId, ctx.state.containerId!);
      const url = await instagram.permalink(ctx.tokens, postId).catch(() => undefined);
      return { postId, ...(url ? { url } : {}) };
    },

    async find(ctx) {
      const media = await lookUp(ctx);
      if (media)
        return { kind: 'found', post: { postId: media.id, ...(media.permalink ? { url: media.permalink } : {}) } };
      if (!ctx.state.containerId) return { kind: 'not-made' };
      const { status_code } = await instagram.containerStatus(ctx.tokens, ctx.state.containerId);
      // The container says whether it was published: only an unpublished one is safe to publish.
      if (status_code !== 'PUBLISHED') return { kind: 'not-made' };
      return {
        kind: 'unknowable',
        reason: 'Instagram says the container was published but the post is not among the recent media',
      };
    },

    urlOf() {
      return undefined;
    },
  };
}
