import { isPlatformError } from '../../platforms/errors.js';
import { vkDailyWallPostLimit, vkRefresh, type VkClient } from '../../platforms/vk/index.js';
import type { ObjectStorage } from '../../storage/index.js';
import { PublishRefusal, type NetworkPublisher, type PublishContext } from './types.js';

/** A post dated before the recorded send (less VK's clock difference) cannot be ours. */
const clockSkewMs = 5 * 60_000;
const day = 24 * 3600_000;

/**
 * VK community wall posts with photos, posted as the community with the token of the person
 * who administers it (VK ID; refresh tokens rotate and carry the login's device_id).
 *
 * prepare reads the wall and refuses (RATE_LIMITED, until the oldest of the day's posts is a
 * day old) when the community already has 50 posts in the last 24 hours; init uploads each
 * photo to the wall upload server and saves it to the community's album, keeping what it saved
 * so a retry continues instead of starting over (saved photos are not posts); publish is
 * `wall.post`, which VK does not deduplicate. A post whose answer was lost is looked for on
 * the wall by its exact text, dated no earlier than the recorded send; VK shows a wall post
 * as soon as it is made, so one found nowhere was not made.
 */
export function createVkPublisher(deps: { vk: VkClient; storage: ObjectStorage }): NetworkPublisher {
  const { vk, storage } = deps;

  async function recentWall(ctx: PublishContext) {
    return (await vk.wall(ctx.tokens, ctx.platformAccountId, { count: 100 })).items;
  }

  return {
    platform: 'VK',
    label: 'VK',

    refreshTokens(packed) {
      return vkRefresh(vk)(packed);
    },

    async prepare(ctx) {
      if (ctx.post.format === 'VIDEO') {
        throw new PublishRefusal('VK: only text and photo posts are published to a wall', 'REJECTED_BY_PLATFORM');
      }
      if (!ctx.post.images.length && !ctx.post.text.trim()) {
        throw new PublishRefusal('VK: the post has neither text nor photos', 'REJECTED_BY_PLATFORM');
      }
      const since = ctx.now() - day;
      const today = (await recentWall(ctx)).filter((post) => post.date * 1000 > since);
      if (today.length >= vkDailyWallPostLimit) {
        const oldest = Math.min(...today.map((post) => post.date * 1000));
        throw new PublishRefusal(
          `VK: the community has made ${today.length} wall posts in the last 24 h, the most VK allows (${vkDailyWallPostLimit} a day)`,
          'RATE_LIMITED',
          Math.max(60_000, oldest + day - ctx.now()),
        );
      }
    },

    async init(ctx) {
      const images = ctx.post.images;
      const attachments = [...(ctx.state.attachments ?? [])];
      if (attachments.length >= images.length) return;
      // One upload address serves every photo of the post.
      const uploadUrl = await vk.wallUploadServer(ctx.tokens, ctx.platformAccountId);
      for (const image of images.slice(attachments.length)) {
        const stored = await storage.get(image.storageKey);
        if (!stored) {
          throw new PublishRefusal(`VK: the image ${image.storageKey} is missing from storage`, 'REJECTED_BY_PLATFORM');
        }
        const uploaded = await vk.uploadWallPhoto(uploadUrl, {
          data: Buffer.from(stored.body),
          filename: image.storageKey.split('/').pop()!,
          contentType: image.contentType,
        });
        attachments.push(await vk.saveWallPhoto(ctx.tokens, ctx.platformAccountId, uploaded));
        await ctx.save({ attachments });
        ctx.heartbeat();
      }
    },

    async upload() {},

    status() {
      return Promise.resolve({ kind: 'ready' as const });
    },

    async publish(ctx) {
      try {
        const postId = String(
          await vk.wallPost(ctx.tokens, ctx.platformAccountId, {
            message: ctx.post.text,
            ...(ctx.state.attachments?.length ? { attachments: ctx.state.attachments } : {}),
          }),
        );
        return { postId, url: vk.postUrl(ctx.platformAccountId, Number(postId)) };
      } catch (error) {
        // 214 "a post limit is reached": posts made elsewhere used up the day since prepare read the wall.
        if (isPlatformError(error) && error.code === '214' && /limit/i.test(error.reason)) {
          throw new PublishRefusal(
            `VK: the community reached its ${vkDailyWallPostLimit} wall posts a day (${error.reason})`,
            'RATE_LIMITED',
            3600_000,
          );
        }
        throw error;
      }
    },

    async find(ctx) {
      const text = (ctx.state.matchText ?? ctx.post.text).trim();
      const since = (ctx.state.publishSentAtMs ?? 0) - clockSkewMs;
      const found = (await recentWall(ctx)).find(
        (post) =>
          post.text.trim() === text && post.date * 1000 >= since - 1000 && !ctx.takenPostIds.has(String(post.id)),
      );
      if (!found) return { kind: 'not-made' };
      const postId = String(found.id);
      return { kind: 'found', post: { postId, url: vk.postUrl(ctx.platformAccountId, found.id) } };
    },

    urlOf(ctx, postId) {
      return vk.postUrl(ctx.platformAccountId, Number(postId));
    },
  };
}
