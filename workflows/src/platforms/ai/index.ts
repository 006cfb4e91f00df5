export * from './content.js';
export * from './images.js';
export * from './vision.js';
