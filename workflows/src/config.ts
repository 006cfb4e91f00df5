import { z } from 'zod';

// The worker's one reader of process.env.
const schema = z.object({
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgresql:// URL' }),
  TEMPORAL_ADDRESS: z.string().min(1, 'TEMPORAL_ADDRESS must be host:port'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
  /** Where rendered media is stored (local filesystem storage). */
  PRESSROOM_MEDIA_DIR: z.string().default('.pressroom/media'),
  /** The public base URL of the api's signed /media route, which platforms pull from. */
  PRESSROOM_MEDIA_BASE_URL: z.string().url().default('http://127.0.0.1:4000/media'),
  /** HMAC key for signed media URLs; the api needs the same. */
  PRESSROOM_MEDIA_SECRET: z.string().min(32).optional(),
});

export type WorkerConfig = z.infer<typeof schema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid configuration: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
