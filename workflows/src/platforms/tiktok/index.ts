export * from './client.js';
export * from './connect.js';
export * from './types.js';
