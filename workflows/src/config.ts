import { z } from 'zod';

// The worker's one reader of process.env.
const variables = z.object({
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgresql:// URL' }),
  TEMPORAL_ADDRESS: z.string().min(1, 'TEMPORAL_ADDRESS must be host:port'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` or `pretty` (one readable line per entry); unset, pretty on a terminal and JSON elsewhere. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /**
   * `id:base64key,...` (32-byte keys) that encrypt platform tokens; the same ring as the api's.
   * Without it a random key is made at start: fine for a demo, but tokens stored by another
   * process (or before a restart) cannot be read.
   */
  PRESSROOM_TOKEN_KEYS: z.string().optional(),
  PRESSROOM_TOKEN_KEY_CURRENT: z.string().optional(),
  TIKTOK_CLIENT_KEY: z.string().default('pressroom-emulated-client'),
  TIKTOK_CLIENT_SECRET: z.string().default('pressroom-emulated-secret'),
  TIKTOK_AUTH_BASE_URL: z.string().url().default('https://www.tiktok.com'),
  TIKTOK_API_BASE_URL: z.string().url().default('https://open.tiktokapis.com'),
  /** TikTok Marketing API app and address (ads inventory and reports); unset, ads syncs fail plainly. */
  TIKTOK_ADS_APP_ID: z.string().min(1).optional(),
  TIKTOK_ADS_SECRET: z.string().min(1).optional(),
  TIKTOK_ADS_API_BASE_URL: z.string().url().default('https://business-api.tiktok.com'),
  /** Instagram Graph API (or an emulator): publishing to Instagram professional accounts. */
  INSTAGRAM_API_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  /** YouTube Data API (or an emulator) and the Google OAuth client that refreshes its tokens. */
  YOUTUBE_API_BASE_URL: z.string().url().default('https://www.googleapis.com'),
  GOOGLE_OAUTH_BASE_URL: z.string().url().default('https://oauth2.googleapis.com'),
  YOUTUBE_CLIENT_ID: z.string().min(1).optional(),
  YOUTUBE_CLIENT_SECRET: z.string().min(1).optional(),
  /** Facebook Graph API (or an emulator) and the Meta app that derives page tokens again on refresh. */
  FACEBOOK_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  FACEBOOK_APP_ID: z.string().min(1).optional(),
  FACEBOOK_APP_SECRET: z.string().min(1).optional(),
  /** VK API and VK ID (or an emulator); the app id refreshes VK ID tokens. */
  VK_API_BASE_URL: z.string().url().default('https://api.vk.com'),
  VK_ID_BASE_URL: z.string().url().default('https://id.vk.com'),
  VK_CLIENT_ID: z.string().min(1).optional(),
  /** The Google Cloud project's YouTube quota per day (Pacific); an upload costs 1 600. */
  YOUTUBE_DAILY_QUOTA_UNITS: z.coerce.number().int().min(1600).default(10_000),
  /** Units of it the analytics sync leaves for publishing: its reads are held back below this. */
  YOUTUBE_QUOTA_RESERVE_UNITS: z.coerce.number().int().min(0).default(1600),
  /** Where rendered media is stored (local filesystem storage). */
  PRESSROOM_MEDIA_DIR: z.string().default('.pressroom/media'),
  /** S3-compatible media storage, the same variables as the api's; without a bucket, PRESSROOM_MEDIA_DIR. */
  MEDIA_S3_BUCKET: z.string().min(1).optional(),
  MEDIA_S3_ENDPOINT: z.string().url().optional(),
  MEDIA_S3_REGION: z.string().min(1).default('us-east-1'),
  MEDIA_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  MEDIA_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Platforms pull media through the bucket's own presigned GET URLs instead of the api's /media route. */
  MEDIA_S3_PRESIGNED_URLS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  /** The public base URL of the api's signed /media route, which platforms pull from. */
  PRESSROOM_MEDIA_BASE_URL: z.string().url().default('http://127.0.0.1:4000/media'),
  /**
   * The api's public address, as the api has it (its PUBLIC_BASE_URL): where the brands' blogs
   * live, so the URL a blog publication records is the page's. Unset, the media URL's origin.
   */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** HMAC key for signed media URLs; the api needs the same. */
  PRESSROOM_MEDIA_SECRET: z.string().min(32).optional(),

  /** Which AI writes posts; unset, whichever key is set (Anthropic first). Neither: generation fails. */
  AI_PROVIDER: z.enum(['anthropic', 'openai']).optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  ANTHROPIC_MODEL: z.string().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  OPENAI_MODEL: z.string().min(1).optional(),
  /** The images API's model when the organization names none (dall-e-3 unset). */
  OPENAI_IMAGE_MODEL: z.string().min(1).optional(),

  /** How email leaves; unset, whichever is configured (Resend first). Neither: emails stay PENDING. */
  EMAIL_PROVIDER: z.enum(['resend', 'smtp']).optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  SMTP_HOST: z.string().min(1).optional(),
  /** Unset: 465 with SMTP_SECURE, else 587. */
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  /** The From of notification emails, e.g. `Pressroom <notifications@example.com>`. */
  EMAIL_FROM: z.string().min(3).optional(),

  /** The bot that tells review chats about posts waiting; unset, no Telegram notifications. */
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  TELEGRAM_API_BASE_URL: z.string().url().optional(),
  /**
   * Lets webhook deliveries reach loopback, private, link-local and unique-local addresses
   * (refused otherwise, SSRF); the api reads the same variable for registration.
   */
  WEBHOOKS_ALLOW_PRIVATE_URLS: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  /** Failed webhook attempts in a row after which an endpoint is disabled. */
  WEBHOOK_FAILURE_THRESHOLD: z.coerce.number().int().positive().default(50),
});

/**
 * The worker's configuration. AI_PROVIDER and EMAIL_PROVIDER name the provider in use
 * (undefined: none is configured), and the variables that provider needs are known to be set.
 */
export type WorkerConfig = z.infer<typeof variables>;

function resolveProviders(env: WorkerConfig, ctx: z.RefinementCtx): WorkerConfig {
  const requires = (variable: keyof WorkerConfig, because: string) => {
    if (env[variable] === undefined)
      ctx.addIssue({ code: 'custom', path: [variable], message: `must be set ${because}` });
  };
  const ai = env.AI_PROVIDER ?? (env.ANTHROPIC_API_KEY ? 'anthropic' : env.OPENAI_API_KEY ? 'openai' : undefined);
  if (ai === 'anthropic') requires('ANTHROPIC_API_KEY', 'when AI_PROVIDER=anthropic');
  if (ai === 'openai') requires('OPENAI_API_KEY', 'when AI_PROVIDER=openai');
  const email = env.EMAIL_PROVIDER ?? (env.RESEND_API_KEY ? 'resend' : env.SMTP_HOST ? 'smtp' : undefined);
  if (email === 'resend') requires('RESEND_API_KEY', 'when EMAIL_PROVIDER=resend');
  if (email === 'smtp') requires('SMTP_HOST', 'when EMAIL_PROVIDER=smtp');
  if (env.SMTP_PASSWORD !== undefined) requires('SMTP_USER', 'when SMTP_PASSWORD is set');
  if (env.MEDIA_S3_BUCKET) {
    requires('MEDIA_S3_ACCESS_KEY_ID', 'when MEDIA_S3_BUCKET is set');
    requires('MEDIA_S3_SECRET_ACCESS_KEY', 'when MEDIA_S3_BUCKET is set');
  }
  return { ...env, AI_PROVIDER: ai, EMAIL_PROVIDER: email };
}

const schema = variables.transform(resolveProviders);

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
