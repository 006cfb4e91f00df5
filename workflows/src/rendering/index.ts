export * from './carousel.js';
export { resolveFontFamily, supportedFontFamilies, type FontFamily } from './fonts.js';
export { postMediaPrefix, renderPostSlides, upsertSlideMedia } from './post-slides.js';
