import type { Database } from '@pressroom/db';
import { renderPostSlideshow } from '../rendering/post-slideshow.js';
import type { SlideshowOptions } from '../rendering/slideshow.js';
import type { ObjectStorage } from '../storage/index.js';

export interface VideoDependencies {
  db: Database;
  storage: ObjectStorage;
}

/** Video a publisher asks for before it posts where a network wants video rather than images. */
export function createVideoActivities(deps: VideoDependencies) {
  return {
    /**
     * The post's carousel as a vertical MP4 slideshow (1080×1920, H.264), stored like its
     * slides. Safe to repeat: the same key and Media row are reused.
     */
    async renderCarouselVideo(input: { postId: string; options?: SlideshowOptions }) {
      return renderPostSlideshow(deps, input.postId, input.options);
    },
  };
}

export type VideoActivities = ReturnType<typeof createVideoActivities>;
