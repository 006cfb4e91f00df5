import { randomBytes } from 'node:crypto';
import type { AiProvider, Database } from '@pressroom/db';
import { createVault, generateKeyRingEntry, parseKeyRing } from '@pressroom/db/vault';
import type { ActivityDependencies } from './activities/index.js';
import type { WorkerConfig } from './config.js';
import type { ContentGenerator } from './platforms/ai/index.js';
import { createAnthropicGenerator } from './platforms/anthropic/index.js';
import type { EmailSender } from './platforms/email/index.js';
import { createOpenAIGenerator, createOpenAIImageGenerator } from './platforms/openai/index.js';
import { createResendSender } from './platforms/resend/index.js';
import { createSmtpSender } from './platforms/smtp/index.js';
import { createTelegramClient, type TelegramClient } from './platforms/telegram/index.js';
import { createTikTokClient } from './platforms/tiktok/index.js';
import { createFacebookClient } from './platforms/facebook/index.js';
import { createTikTokAdsClient } from './platforms/tiktok-ads/index.js';
import { createInstagramClient } from './platforms/instagram/index.js';
import { createVkClient } from './platforms/vk/index.js';
import { createYouTubeClient } from './platforms/youtube/index.js';
import { createLocalStorage, createS3Storage, createUrlSigner } from './storage/index.js';

/** The configured AI provider (loadWorkerConfig has checked its key is set). */
function contentGenerator(config: WorkerConfig): ContentGenerator | undefined {
  if (config.AI_PROVIDER === 'anthropic' && config.ANTHROPIC_API_KEY) {
    return createAnthropicGenerator({
      apiKey: config.ANTHROPIC_API_KEY,
      baseUrl: config.ANTHROPIC_BASE_URL,
      model: config.ANTHROPIC_MODEL,
    });
  }
  if (config.AI_PROVIDER === 'openai' && config.OPENAI_API_KEY) {
    return createOpenAIGenerator({
      apiKey: config.OPENAI_API_KEY,
      baseUrl: config.OPENAI_BASE_URL,
      model: config.OPENAI_MODEL,
    });
  }
  return undefined;
}

/**
 * Every provider with credentials, for organizations that name theirs (the server's own
 * choice above stays the default).
 */
function contentGenerators(config: WorkerConfig): Partial<Record<AiProvider, ContentGenerator>> {
  const generators: Partial<Record<AiProvider, ContentGenerator>> = {};
  if (config.ANTHROPIC_API_KEY) {
    generators.ANTHROPIC = createAnthropicGenerator({
      apiKey: config.ANTHROPIC_API_KEY,
      baseUrl: config.ANTHROPIC_BASE_URL,
      model: config.ANTHROPIC_MODEL,
    });
  }
  if (config.OPENAI_API_KEY) {
    generators.OPENAI = createOpenAIGenerator({
      apiKey: config.OPENAI_API_KEY,
      baseUrl: config.OPENAI_BASE_URL,
      model: config.OPENAI_MODEL,
    });
  }
  return generators;
}

/** The configured email sender (loadWorkerConfig has checked what it needs is set). */
function emailSender(config: WorkerConfig): EmailSender | undefined {
  if (config.EMAIL_PROVIDER === 'resend' && config.RESEND_API_KEY) {
    return createResendSender({ apiKey: config.RESEND_API_KEY, baseUrl: config.RESEND_BASE_URL });
  }
  if (config.EMAIL_PROVIDER === 'smtp' && config.SMTP_HOST) {
    return createSmtpSender({
      host: config.SMTP_HOST,
      port: config.SMTP_PORT ?? (config.SMTP_SECURE ? 465 : 587),
      secure: config.SMTP_SECURE,
      user: config.SMTP_USER,
      password: config.SMTP_PASSWORD,
    });
  }
  return undefined;
}

function telegramClient(config: WorkerConfig): TelegramClient | undefined {
  if (!config.TELEGRAM_BOT_TOKEN) return undefined;
  return createTelegramClient({ botToken: config.TELEGRAM_BOT_TOKEN, baseUrl: config.TELEGRAM_API_BASE_URL });
}

/** The activities' dependencies from the worker's configuration. */
export function activityDependenciesFromConfig(
  config: WorkerConfig,
  db: Database,
  warn: (message: string) => void,
): Omit<ActivityDependencies, 'taskQueue'> {
  if (!config.PRESSROOM_TOKEN_KEYS) warn('PRESSROOM_TOKEN_KEYS is not set: platform tokens use a key made at start');
  const vault = createVault(
    parseKeyRing(config.PRESSROOM_TOKEN_KEYS ?? generateKeyRingEntry('ephemeral'), config.PRESSROOM_TOKEN_KEY_CURRENT),
  );
  const signer = createUrlSigner({
    baseUrl: config.PRESSROOM_MEDIA_BASE_URL,
    secret: config.PRESSROOM_MEDIA_SECRET ?? randomBytes(32),
  });
  const ai = contentGenerator(config);
  if (!ai) warn('no AI provider is configured (ANTHROPIC_API_KEY or OPENAI_API_KEY): generating posts will fail');
  const email = emailSender(config);
  if (!email) warn('no email sender is configured (RESEND_API_KEY or SMTP_HOST): notification emails stay unsent');
  const telegram = telegramClient(config);
  // Images speak OpenAI's images API whichever provider writes the text (Anthropic has none).
  const images = config.OPENAI_API_KEY
    ? createOpenAIImageGenerator({
        apiKey: config.OPENAI_API_KEY,
        baseUrl: config.OPENAI_BASE_URL,
        imageModel: config.OPENAI_IMAGE_MODEL,
      })
    : undefined;
  return {
    db,
    ...(images ? { images } : {}),
    vault,
    storage: config.MEDIA_S3_BUCKET
      ? createS3Storage({
          bucket: config.MEDIA_S3_BUCKET,
          endpoint: config.MEDIA_S3_ENDPOINT,
          region: config.MEDIA_S3_REGION,
          accessKeyId: config.MEDIA_S3_ACCESS_KEY_ID!,
          secretAccessKey: config.MEDIA_S3_SECRET_ACCESS_KEY!,
          signer,
          presignedUrls: config.MEDIA_S3_PRESIGNED_URLS,
        })
      : createLocalStorage({ root: config.PRESSROOM_MEDIA_DIR, signer }),
    tiktok: createTikTokClient({
      clientKey: config.TIKTOK_CLIENT_KEY,
      clientSecret: config.TIKTOK_CLIENT_SECRET,
      authBaseUrl: config.TIKTOK_AUTH_BASE_URL,
      apiBaseUrl: config.TIKTOK_API_BASE_URL,
    }),
    ...(config.TIKTOK_ADS_APP_ID && config.TIKTOK_ADS_SECRET
      ? {
          tiktokAds: createTikTokAdsClient({
            apiBaseUrl: config.TIKTOK_ADS_API_BASE_URL,
            appId: config.TIKTOK_ADS_APP_ID,
            secret: config.TIKTOK_ADS_SECRET,
          }),
        }
      : {}),
    networks: {
      instagram: createInstagramClient({ baseUrl: config.INSTAGRAM_API_BASE_URL }),
      youtube: createYouTubeClient({
        baseUrl: config.YOUTUBE_API_BASE_URL,
        oauthBaseUrl: config.GOOGLE_OAUTH_BASE_URL,
        ...(config.YOUTUBE_CLIENT_ID ? { clientId: config.YOUTUBE_CLIENT_ID } : {}),
        ...(config.YOUTUBE_CLIENT_SECRET ? { clientSecret: config.YOUTUBE_CLIENT_SECRET } : {}),
      }),
      // Each Telegram account posts with its own bot token; only the API's address is shared.
      telegram: config.TELEGRAM_API_BASE_URL ? { baseUrl: config.TELEGRAM_API_BASE_URL } : {},
      // Publishing and the analytics sync (a refresh derives page tokens again from the user token).
      facebook: createFacebookClient({
        graphBaseUrl: config.FACEBOOK_GRAPH_BASE_URL,
        ...(config.FACEBOOK_APP_ID ? { appId: config.FACEBOOK_APP_ID } : {}),
        ...(config.FACEBOOK_APP_SECRET ? { appSecret: config.FACEBOOK_APP_SECRET } : {}),
      }),
      vk: createVkClient({
        apiBaseUrl: config.VK_API_BASE_URL,
        idBaseUrl: config.VK_ID_BASE_URL,
        ...(config.VK_CLIENT_ID ? { clientId: config.VK_CLIENT_ID } : {}),
      }),
      blog: { publicBaseUrl: config.PUBLIC_BASE_URL ?? new URL(config.PRESSROOM_MEDIA_BASE_URL).origin },
    },
    settings: {
      youtubeDailyQuotaUnits: config.YOUTUBE_DAILY_QUOTA_UNITS,
      youtubeQuotaReserveUnits: config.YOUTUBE_QUOTA_RESERVE_UNITS,
    },
    ai,
    aiProviders: contentGenerators(config),
    email,
    telegram,
    ...(config.EMAIL_FROM ? { emailFrom: config.EMAIL_FROM } : {}),
    webhookSettings: {
      allowPrivateUrls: config.WEBHOOKS_ALLOW_PRIVATE_URLS,
      failureThreshold: config.WEBHOOK_FAILURE_THRESHOLD,
    },
  };
}
