import type { Database, Prisma } from '@pressroom/db';
import type { ObjectStorage } from '../storage/index.js';
import { renderAndStoreCarousel, type StoredSlide } from './carousel.js';

/** Where a post's slide images are stored: one folder per post, stable keys. */
export function postMediaPrefix(post: { organizationId: string; id: string }): string {
  return `org/${post.organizationId}/posts/${post.id}`;
}

/**
 * The Media row of a stored slide image, keyed by its storage key, so storing the same slide
 * again (a retried activity, a second seeding) updates the row instead of adding one.
 */
export function upsertSlideMedia(
  tx: Prisma.TransactionClient,
  post: { organizationId: string; id: string },
  slide: StoredSlide,
) {
  return tx.media.upsert({
    where: { storageKey: slide.key },
    create: {
      organizationId: post.organizationId,
      postId: post.id,
      kind: 'IMAGE',
      status: 'READY',
      contentType: slide.contentType,
      byteSize: slide.byteSize,
      width: slide.width,
      height: slide.height,
      storageKey: slide.key,
    },
    update: { status: 'READY', byteSize: slide.byteSize },
  });
}

/**
 * Renders the slide texts a post already has (written by hand or seeded) into images in its
 * brand's look, stores them and links each slide to its image, so the post can be scheduled.
 * A post whose every slide has its image is left alone. Returns how many images were made.
 */
export async function renderPostSlides(deps: { db: Database; storage: ObjectStorage }, postId: string) {
  const post = await deps.db.post.findUniqueOrThrow({
    where: { id: postId },
    include: { brand: true, slides: { orderBy: { position: 'asc' } } },
  });
  if (post.slides.length === 0 || post.slides.every((slide) => slide.mediaId)) return 0;
  const stored = await renderAndStoreCarousel({
    storage: deps.storage,
    keyPrefix: postMediaPrefix(post),
    brand: post.brand,
    slides: post.slides.map((slide) => ({ heading: slide.heading, body: slide.body })),
  });
  await deps.db.$transaction(async (tx) => {
    for (const [index, slide] of post.slides.entries()) {
      const media = await upsertSlideMedia(tx, post, stored[index]!);
      await tx.slide.update({ where: { id: slide.id }, data: { mediaId: media.id } });
    }
  });
  return stored.length;
}
