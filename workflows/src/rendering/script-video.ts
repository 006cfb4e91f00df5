import type { Database } from '@pressroom/db';
import type { ObjectStorage } from '../storage/index.js';
import { renderSlide, type CarouselBrand } from './carousel.js';
import { postMediaPrefix } from './post-slides.js';
import { extractFrame, renderSlideshow, slideshowSize } from './slideshow.js';

export interface SceneForVideo {
  onScreenText: string;
  durationSeconds: number;
}

/**
 * A script's vertical MP4: one card per scene in the brand's colours and font with the scene's
 * on-screen text, held exactly the scene's duration (hard cuts, so the video lasts the script's
 * total), and a poster frame taken from the first scene. Both are stored under stable keys
 * beside the post's other media with their Media rows, so a retried activity replaces them.
 */
export async function renderAndStoreScriptVideo(
  deps: { db: Database; storage: ObjectStorage },
  post: { id: string; organizationId: string },
  brand: CarouselBrand,
  scenes: SceneForVideo[],
) {
  if (!scenes.length) throw new Error('a script video needs at least one scene');
  const cards: Buffer[] = [];
  // One at a time: each card is a full-size bitmap, and the worker shares its cores.
  for (const [index, scene] of scenes.entries()) {
    const card = await renderSlide(
      brand,
      { heading: scene.onScreenText, body: '' },
      { index, total: scenes.length },
      { ...slideshowSize, format: 'jpeg', quality: 90 },
    );
    cards.push(card.bytes);
  }
  const video = await renderSlideshow(cards, {
    durations: scenes.map((scene) => scene.durationSeconds),
    transitionSeconds: 0,
  });
  const poster = await extractFrame(video.data, Math.min(1, scenes[0]!.durationSeconds / 2));
  const prefix = postMediaPrefix(post);
  const videoKey = `${prefix}/script.mp4`;
  const posterKey = `${prefix}/script-poster.jpg`;
  await deps.storage.put(videoKey, video.data, { contentType: video.contentType });
  await deps.storage.put(posterKey, poster, { contentType: 'image/jpeg' });
  const rows = [
    {
      key: videoKey,
      kind: 'VIDEO' as const,
      contentType: video.contentType,
      byteSize: video.data.length,
      durationMs: video.durationMs,
    },
    { key: posterKey, kind: 'IMAGE' as const, contentType: 'image/jpeg', byteSize: poster.length, durationMs: null },
  ];
  const ids: string[] = [];
  for (const row of rows) {
    const media = await deps.db.media.upsert({
      where: { storageKey: row.key },
      create: {
        organizationId: post.organizationId,
        postId: post.id,
        kind: row.kind,
        status: 'READY',
        contentType: row.contentType,
        byteSize: row.byteSize,
        width: video.width,
        height: video.height,
        durationMs: row.durationMs,
        storageKey: row.key,
      },
      update: { status: 'READY', byteSize: row.byteSize, durationMs: row.durationMs, deletedAt: null },
    });
    ids.push(media.id);
  }
  return {
    videoKey,
    posterKey,
    videoMediaId: ids[0]!,
    posterMediaId: ids[1]!,
    durationMs: video.durationMs,
    byteSize: video.data.length,
  };
}
