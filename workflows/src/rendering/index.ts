export * from './carousel.js';
export { resolveFontFamily, supportedFontFamilies, type FontFamily } from './fonts.js';
export { postMediaPrefix, renderPostSlides, upsertSlideMedia } from './post-slides.js';
export {
  extractFrame,
  mediaTools,
  probeVideo,
  renderSlideshow,
  slideshowSize,
  type RenderedSlideshow,
  type SlideshowOptions,
} from './slideshow.js';
export { renderPostSlideshow } from './post-slideshow.js';
export { renderAndStoreScriptVideo, type SceneForVideo } from './script-video.js';
