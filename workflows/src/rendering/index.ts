export * from './carousel.js';
export { resolveFontFamily, supportedFontFamilies, type FontFamily } from './fonts.js';
