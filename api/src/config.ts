import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const booleanFromString = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

// The api's one reader of process.env.
const schema = z.object({
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgresql:// URL' }),
  TEMPORAL_ADDRESS: z.string().min(1, 'TEMPORAL_ADDRESS must be host:port'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** The worker's task queue, where the api starts and signals workflows. */
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('pressroom'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `json` or `pretty` (one readable line per entry); unset, pretty on a terminal and JSON elsewhere. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /**
   * Key for the HMAC that signs session cookies; at least 32 characters. Every api instance of
   * one deployment needs the same value. Without it a random key is made at start, which is
   * fine for one process on a laptop and signs everyone out on restart.
   */
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 14),
  /** `false` only for plain-http development: browsers drop Secure cookies there. */
  COOKIE_SECURE: booleanFromString.default(true),
  GRAPHQL_INTROSPECTION: booleanFromString.default(true),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().positive().default(30),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().positive().default(2_000),
  GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(10_000),
  /** Keep people's post list and calendar answers until a row they read changes (read-cache.ts). */
  GRAPHQL_READ_CACHE: booleanFromString.default(true),
  /** Longest a cached answer is kept even with nothing changed (its signed image URLs last an hour). */
  GRAPHQL_READ_CACHE_TTL_SECONDS: z.coerce.number().int().positive().max(600).default(60),
  GRAPHQL_READ_CACHE_MAX_ENTRIES: z.coerce.number().int().positive().default(200),
  /** Largest GraphQL request body (and WebSocket message); uploads have UPLOAD_MAX_BYTES. */
  GRAPHQL_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(256 * 1024),
  /** API token cost budget: a bucket of this many points ... */
  API_TOKEN_COST_BUCKET: z.coerce.number().positive().default(10_000),
  /** ... refilled at this many points per second (Shopify's Admin API model). */
  API_TOKEN_COST_RESTORE_RATE: z.coerce.number().positive().default(500),
  /** Wrong passwords allowed per account or address before sign-in is delayed. */
  SIGN_IN_FREE_FAILURES: z.coerce.number().int().min(1).default(5),
  /**
   * The public contact form: submissions one address may send in a burst and how long it takes
   * to earn all of them back, and the same for every address together (the whole server).
   */
  CONTACT_FORM_ADDRESS_LIMIT: z.coerce.number().int().min(1).default(5),
  CONTACT_FORM_ADDRESS_WINDOW_SECONDS: z.coerce.number().int().min(1).default(3_600),
  CONTACT_FORM_GLOBAL_LIMIT: z.coerce.number().int().min(1).default(300),
  CONTACT_FORM_GLOBAL_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** The api's public origin, for OAuth callbacks and signed media URLs; `http://HOST:PORT` when unset. */
  PUBLIC_BASE_URL: z.string().url().optional(),
  /**
   * Other sites whose pages may call the api with the browser's cookies (CORS with credentials,
   * and the session cookie on a WebSocket): comma-separated origins such as
   * `https://studio.example.com`. The api's own origin is always allowed; nothing else is.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const origins: string[] = [];
      for (const entry of value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)) {
        let url: URL | null = null;
        try {
          url = new URL(entry);
        } catch {
          url = null;
        }
        if (!url || !/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
          ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin like https://app.example.com` });
          return z.NEVER;
        }
        origins.push(url.origin);
      }
      return origins;
    }),
  /** `id:base64key,...` (32-byte keys) encrypting platform tokens; the worker needs the same ring. */
  PRESSROOM_TOKEN_KEYS: z.string().optional(),
  /** Which key of the ring encrypts new tokens (the first listed when unset). */
  PRESSROOM_TOKEN_KEY_CURRENT: z.string().optional(),
  /** TikTok app credentials; without them /connect/tiktok is not offered. */
  TIKTOK_CLIENT_KEY: z.string().optional(),
  TIKTOK_CLIENT_SECRET: z.string().optional(),
  TIKTOK_AUTH_BASE_URL: z.string().url().default('https://www.tiktok.com'),
  TIKTOK_API_BASE_URL: z.string().url().default('https://open.tiktokapis.com'),
  /** Meta app (Facebook Login for Pages and their Instagram accounts); without them /connect/facebook is not offered. */
  FACEBOOK_APP_ID: z.string().optional(),
  FACEBOOK_APP_SECRET: z.string().optional(),
  FACEBOOK_GRAPH_BASE_URL: z.string().url().default('https://graph.facebook.com'),
  FACEBOOK_DIALOG_BASE_URL: z.string().url().default('https://www.facebook.com'),
  /** Google OAuth client (YouTube); without them /connect/youtube is not offered. */
  YOUTUBE_CLIENT_ID: z.string().optional(),
  YOUTUBE_CLIENT_SECRET: z.string().optional(),
  GOOGLE_AUTH_BASE_URL: z.string().url().default('https://accounts.google.com'),
  GOOGLE_OAUTH_BASE_URL: z.string().url().default('https://oauth2.googleapis.com'),
  YOUTUBE_API_BASE_URL: z.string().url().default('https://www.googleapis.com'),
  /** VK ID app; without it /connect/vk is not offered. */
  VK_CLIENT_ID: z.string().optional(),
  VK_API_BASE_URL: z.string().url().default('https://api.vk.com'),
  VK_ID_BASE_URL: z.string().url().default('https://id.vk.com'),
  /** TikTok Marketing API app (ads connections); without them connecting TikTok for Business is refused. */
  TIKTOK_ADS_APP_ID: z.string().min(1).optional(),
  TIKTOK_ADS_SECRET: z.string().min(1).optional(),
  TIKTOK_ADS_API_BASE_URL: z.string().url().default('https://business-api.tiktok.com'),
  TIKTOK_ADS_PORTAL_BASE_URL: z.string().url().default('https://business-api.tiktok.com'),
  /** Where TikTok sends the browser after consent (the app's registered redirect); the dashboard's `/ads/connected` when unset. */
  TIKTOK_ADS_REDIRECT_URI: z.string().url().optional(),
  /** The server's own Telegram bot, offered when connecting a channel without a bot token of the brand's. */
  TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
  TELEGRAM_API_BASE_URL: z.string().url().default('https://api.telegram.org'),
  /** Where the browser goes after a connect (`?connected=<account id>` or `?connectError=<code>`); the dashboard's `/accounts` when unset. */
  CONNECT_COMPLETION_URL: z.string().url().optional(),
  /** How long a mutation waits for a workflow to take a decision (approve, cancel...) before answering UNAVAILABLE. */
  WORKFLOW_UPDATE_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** How long an Idempotency-Key's first answer is kept (and the key refused for other requests). */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce.number().positive().default(24),
  /** How long a repeat waits for the key's first request, still running, before IDEMPOTENCY_IN_PROGRESS. */
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * Lets webhook endpoints point at loopback, private, link-local and unique-local addresses
   * (refused otherwise, against SSRF). The worker reads the same variable for deliveries.
   */
  WEBHOOKS_ALLOW_PRIVATE_URLS: booleanFromString.default(false),
  /** Rendered media served at /media through signed URLs (the worker's storage folder and key). */
  PRESSROOM_MEDIA_DIR: z.string().default('.pressroom/media'),
  PRESSROOM_MEDIA_SECRET: z.string().min(32).optional(),
  /** Largest media library upload (tus); its Upload-Length is checked when the upload is created. */
  MEDIA_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  /** Bytes of media library originals each organization may store (declared lengths of uploads in progress count). */
  MEDIA_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(50 * 1024 ** 3),
  /**
   * The most an organization's owners may set its own media quota to (updateOrganization
   * mediaQuotaBytes); unset, MEDIA_QUOTA_BYTES, so they can only lower it.
   */
  MEDIA_QUOTA_MAX_BYTES: z.coerce.number().int().positive().optional(),
  /**
   * S3-compatible storage for media (uploads and everything rendered); without a bucket, the
   * local folder PRESSROOM_MEDIA_DIR. The worker reads the same variables.
   */
  MEDIA_S3_BUCKET: z.string().min(1).optional(),
  MEDIA_S3_ENDPOINT: z.string().url().optional(),
  MEDIA_S3_REGION: z.string().min(1).default('us-east-1'),
  MEDIA_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  MEDIA_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Platforms pull media through the bucket's own presigned GET URLs instead of the api's /media route. */
  MEDIA_S3_PRESIGNED_URLS: booleanFromString.default(false),
  /** The built dashboard the api serves at `/` (npm start builds it when missing or stale). */
  PRESSROOM_WEB_DIR: z.string().default(fileURLToPath(new URL('../../web/dist', import.meta.url))),
});

const checkedSchema = schema.superRefine((env, ctx) => {
  if (env.MEDIA_S3_BUCKET && !(env.MEDIA_S3_ACCESS_KEY_ID && env.MEDIA_S3_SECRET_ACCESS_KEY)) {
    ctx.addIssue({
      code: 'custom',
      path: ['MEDIA_S3_ACCESS_KEY_ID'],
      message: 'MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY must be set with MEDIA_S3_BUCKET',
    });
  }
});

export type ApiConfig = Omit<z.infer<typeof schema>, 'SESSION_SECRET'> & {
  SESSION_SECRET: string;
  /** True when SESSION_SECRET was made up at start (a warning is logged). */
  sessionSecretGenerated: boolean;
};

export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = checkedSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const { SESSION_SECRET, ...rest } = parsed.data;
  return {
    ...rest,
    SESSION_SECRET: SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    sessionSecretGenerated: !SESSION_SECRET,
  };
}

/** The api's public origin, no trailing slash: PUBLIC_BASE_URL, else `http://HOST:PORT`. */
export function apiBaseUrl(config: Pick<ApiConfig, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  return config.PUBLIC_BASE_URL?.replace(/\/$/, '') ?? `http://${config.HOST}:${config.PORT}`;
}

/** Host names (lower case) that are the api's own: never a brand's blog domain. */
export function ownHostNames(config: Pick<ApiConfig, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): Set<string> {
  return new Set(['localhost', '127.0.0.1', '[::1]', config.HOST.toLowerCase(), new URL(apiBaseUrl(config)).hostname]);
}
