export * from './client.js';
export * from './images.js';
