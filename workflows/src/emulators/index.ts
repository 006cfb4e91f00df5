export { EmulatorClock, EmulatorServer, type Fault } from './core.js';
export {
  TikTokEmulator,
  type TikTokEmulatorOptions,
  type TikTokEmulatorState,
  type EmulatedTikTokPost,
} from './tiktok.js';
export { AnthropicEmulator, type AIEmulatorOptions } from './anthropic.js';
export { OpenAIEmulator, emulatedImage } from './openai.js';
export { writePosts } from './ai-writer.js';
export { InstagramEmulator, type InstagramEmulatorOptions, type InstagramEmulatorState } from './instagram.js';
export { TelegramEmulator, type TelegramEmulatorOptions, type TelegramEmulatorState } from './telegram.js';
export { YouTubeEmulator, type YouTubeEmulatorOptions, type YouTubeEmulatorState } from './youtube.js';
export { ResendEmulator, type ResendEmulatorOptions } from './resend.js';
export { SmtpEmulator } from './smtp.js';
export { S3Emulator } from './s3.js';
export {
  FacebookEmulator,
  type FacebookEmulatorOptions,
  type FacebookEmulatorState,
  type EmulatedFacebookPost,
} from './facebook.js';
export { VkEmulator, type VkEmulatorOptions, type VkEmulatorState, type EmulatedVkPost } from './vk.js';
export { GoogleOAuthEmulator, type EmulatedChannel, type GoogleOAuthEmulatorState } from './google.js';
export {
  TikTokAdsEmulator,
  type TikTokAdsEmulatorOptions,
  type TikTokAdsEmulatorState,
  type TikTokAdsDataLevel,
  type DailyCounts,
  settledCounts,
  countsAtAge,
  metricStrings,
  tiktokAdsCountMetrics,
} from './tiktok-ads.js';
