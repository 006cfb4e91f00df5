export * from './errors.js';
export * from './http.js';
export * from './tokens.js';
export * from './accounts.js';
export type { OAuthConnector } from './connect.js';
export * from './ai/content.js';
export { createAnthropicGenerator, type AnthropicClientOptions } from './anthropic/index.js';
export { createOpenAIGenerator, type OpenAIClientOptions } from './openai/index.js';
export * as tiktok from './tiktok/index.js';
