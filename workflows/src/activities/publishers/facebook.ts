import type { FacebookClient } from '../../platforms/facebook/index.js';
import { metaRefresh } from '../../platforms/facebook/connect.js';
import { PublishRefusal, type NetworkPublisher, type PublishContext } from './types.js';

/** A post made before its publish call was recorded cannot be it: Graph's clock may differ a little. */
const clockSkewMs = 5 * 60_000;

/**
 * Facebook Pages through the Graph API with the page token (derived from the connecting
 * person's long-lived user token, which is the account's refresh token). Text posts, a
 * single photo (a published photo is a post of its own), multi-photo posts (unpublished
 * photos made first, then attached to one feed post) and videos (Facebook downloads the file
 * and processes it after the post exists).
 *
 * Graph does not deduplicate: the feed/photo/video call that makes the post is the publish
 * step, recorded before it is sent. A publish whose answer was lost is looked for among the
 * page's published posts (videos: the page's videos) by its exact text, made no earlier than
 * the recorded send; a post found nowhere was not made (Graph lists a post as soon as it is
 * created), so it may be published again after the workflow's look-up window.
 */
export function createFacebookPublisher(facebook: FacebookClient): NetworkPublisher {
  const sameText = (found: string | undefined, text: string) => (found ?? '').trim() === text.trim();
  const isVideo = (ctx: PublishContext) => ctx.post.format === 'VIDEO';

  return {
    platform: 'FACEBOOK',
    label: 'Facebook',

    async refreshTokens(userToken, account) {
      // Meta has no refresh token: the user token is exchanged again and the page token derived from it.
      return metaRefresh(facebook, { platform: 'FACEBOOK', platformAccountId: account.platformAccountId })(userToken);
    },

    prepare(ctx) {
      // Nothing to read before posting (Pages have no posting quota to check); only what cannot be posted.
      if (isVideo(ctx) && !ctx.post.video) {
        return Promise.reject(
          new PublishRefusal('Facebook: a video post needs a video and the post has none', 'REJECTED_BY_PLATFORM'),
        );
      }
      if (ctx.post.link && (isVideo(ctx) || ctx.post.images.length > 0)) {
        return Promise.reject(
          new PublishRefusal('Facebook: a link post carries no photos or video', 'REJECTED_BY_PLATFORM'),
        );
      }
      if (!isVideo(ctx) && ctx.post.images.length === 0 && !ctx.post.text.trim() && !ctx.post.link) {
        return Promise.reject(
          new PublishRefusal('Facebook: the post has neither text nor images', 'REJECTED_BY_PLATFORM'),
        );
      }
      return Promise.resolve();
    },

    async init(ctx) {
      // Unpublished photos make no post and are not shown; ones a retry leaves unused stay hidden.
      if (isVideo(ctx) || ctx.post.images.length < 2 || ctx.state.photoIds) return;
      const photoIds: string[] = [];
      for (const image of ctx.post.images) {
        const photo = await facebook.createPhoto(ctx.tokens, ctx.platformAccountId, {
          url: image.url,
          published: false,
        });
        photoIds.push(photo.id);
        ctx.heartbeat();
      }
      await ctx.save({ photoIds });
    },

    async upload() {},

    async status(ctx) {
      // Before the publish there is nothing to wait for; after a video's, its processing.
      if (!isVideo(ctx) || !ctx.state.postId) return { kind: 'ready' };
      const video = await facebook.videoStatus(ctx.tokens, ctx.state.postId);
      if (video.videoStatus === 'ready') {
        return {
          kind: 'published',
          post: { postId: ctx.state.postId, ...(video.permalinkUrl ? { url: video.permalinkUrl } : {}) },
        };
      }
      if (video.videoStatus === 'error') {
        return {
          kind: 'failed',
          category: 'REJECTED_BY_PLATFORM',
          reason: `Facebook could not process the video: ${video.error ?? 'no reason given'}`,
        };
      }
      return { kind: 'processing', detail: video.videoStatus };
    },

    async publish(ctx) {
      const { post } = ctx;
      const page = ctx.platformAccountId;
      let postId: string;
      if (isVideo(ctx)) {
        postId = await facebook.createVideo(ctx.tokens, page, {
          fileUrl: post.video!.url,
          description: post.text,
          ...(post.title ? { title: post.title } : {}),
        });
      } else if (post.images.length === 1) {
        const photo = await facebook.createPhoto(ctx.tokens, page, {
          url: post.images[0]!.url,
          caption: post.text,
          published: true,
        });
        postId = photo.postId ?? photo.id;
      } else {
        postId = await facebook.createFeedPost(ctx.tokens, page, {
          message: post.text,
          // A link post: Graph shows the address as a card under the message.
          ...(post.link ? { link: post.link } : {}),
          ...(ctx.state.photoIds?.length ? { attachedMediaIds: ctx.state.photoIds } : {}),
        });
      }
      const url = await facebook.permalink(ctx.tokens, postId).catch(() => undefined);
      // A video is a post as soon as Graph takes it, but published only once processed.
      return { postId, ...(url ? { url } : {}), ...(isVideo(ctx) ? { processing: true } : {}) };
    },

    async find(ctx) {
      const text = ctx.state.matchText ?? ctx.post.text;
      const since = (ctx.state.publishSentAtMs ?? 0) - clockSkewMs;
      // Made after our send, and not a post another publication already has (same text twice).
      const made = (createdTime: string, id: string) => Date.parse(createdTime) >= since && !ctx.takenPostIds.has(id);
      if (isVideo(ctx)) {
        const videos = await facebook.recentVideos(ctx.tokens, ctx.platformAccountId);
        const video = videos.find(
          (candidate) => sameText(candidate.description, text) && made(candidate.created_time, candidate.id),
        );
        if (!video) return { kind: 'not-made' };
        return {
          kind: 'found',
          post: { postId: video.id, ...(video.permalink_url ? { url: video.permalink_url } : {}), processing: true },
        };
      }
      const posts = await facebook.recentPosts(ctx.tokens, ctx.platformAccountId);
      const found = posts.find(
        (candidate) => sameText(candidate.message, text) && made(candidate.created_time, candidate.id),
      );
      if (!found) return { kind: 'not-made' };
      return {
        kind: 'found',
        post: { postId: found.id, ...(found.permalink_url ? { url: found.permalink_url } : {}) },
      };
    },

    urlOf() {
      return undefined;
    },
  };
}
