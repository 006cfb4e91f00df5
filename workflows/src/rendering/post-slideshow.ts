import type { Database } from '@pressroom/db';
import type { ObjectStorage } from '../storage/index.js';
import { postMediaPrefix } from './post-slides.js';
import { renderSlideshow, type SlideshowOptions } from './slideshow.js';

/**
 * Turns a carousel post's rendered slides into its vertical MP4 slideshow (for Reels, Shorts,
 * TikTok video), stored beside the slides under a stable key with its own VIDEO Media row,
 * so rendering it again (a retried activity) replaces the file and keeps the row.
 */
export async function renderPostSlideshow(
  deps: { db: Database; storage: ObjectStorage },
  postId: string,
  options: SlideshowOptions = {},
) {
  const post = await deps.db.post.findUniqueOrThrow({
    where: { id: postId },
    include: { brand: true, slides: { orderBy: { position: 'asc' }, include: { media: true } } },
  });
  const images: Buffer[] = [];
  for (const slide of post.slides) {
    if (!slide.media) throw new Error(`slide ${slide.position} of post ${post.id} has no rendered image yet`);
    const stored = await deps.storage.get(slide.media.storageKey);
    if (!stored) throw new Error(`the image of slide ${slide.position} is missing from storage`);
    images.push(Buffer.from(stored.body));
  }
  const video = await renderSlideshow(images, options);
  const key = `${postMediaPrefix(post)}/slideshow.mp4`;
  await deps.storage.put(key, video.data, { contentType: video.contentType });
  const media = await deps.db.media.upsert({
    where: { storageKey: key },
    create: {
      organizationId: post.organizationId,
      postId: post.id,
      kind: 'VIDEO',
      status: 'READY',
      contentType: video.contentType,
      byteSize: video.data.length,
      width: video.width,
      height: video.height,
      durationMs: video.durationMs,
      storageKey: key,
    },
    update: { status: 'READY', byteSize: video.data.length, durationMs: video.durationMs, deletedAt: null },
  });
  return { mediaId: media.id, storageKey: key, durationMs: video.durationMs, byteSize: video.data.length };
}
