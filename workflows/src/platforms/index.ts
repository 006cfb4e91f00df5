export * from './errors.js';
export * from './http.js';
export * from './tokens.js';
export * from './accounts.js';
export type { OAuthConnector } from './connect.js';
export * as tiktok from './tiktok/index.js';
