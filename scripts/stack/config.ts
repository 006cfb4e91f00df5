import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StackError } from './errors.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const port = z.coerce.number().int().min(1).max(65535);

// The stack's one reader of process.env. Unset DATABASE_URL / TEMPORAL_ADDRESS mean "run the
// embedded default"; set, they point the platform at existing services instead.
const schema = z.object({
  DATABASE_URL: z.string().url('must be a URL like postgresql://user:pass@host:5432/db').optional(),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  PRESSROOM_DATA_DIR: z.string().default(join(repoRoot, '.pressroom')),
  PRESSROOM_TOOLS_DIR: z.string().default(join(repoRoot, '.tools')),
  /** false: never install the Temporal CLI automatically (air-gapped or locked-down machines). */
  PRESSROOM_TEMPORAL_AUTO_INSTALL: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  PRESSROOM_POSTGRES_PORT: port.default(54320),
  PRESSROOM_TEMPORAL_PORT: port.default(7233),
  PRESSROOM_TEMPORAL_UI_PORT: port.default(8233),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(4000),
  LOG_LEVEL: z.string().default('info'),
  /** Unset: readable lines when this launcher writes to a terminal, JSON lines otherwise. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  // Real credentials for an external service: set, the platform talks to that service;
  // unset, `npm start` runs its emulator on loopback (scripts/stack/emulators.ts).
  TIKTOK_CLIENT_KEY: z.string().optional(),
  INSTAGRAM_APP_ID: z.string().optional(),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  YOUTUBE_CLIENT_ID: z.string().optional(),
  FACEBOOK_APP_ID: z.string().optional(),
  VK_CLIENT_ID: z.string().optional(),
  TIKTOK_ADS_APP_ID: z.string().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  OPENAI_API_KEY: z.string().optional(),
  RESEND_API_KEY: z.string().optional(),
  SMTP_HOST: z.string().optional(),
  PRESSROOM_TOKEN_KEYS: z.string().optional(),
  PRESSROOM_MEDIA_SECRET: z.string().optional(),
  /** Unset: made once and kept in `<data dir>/secrets.json`, so a restart signs nobody out. */
  SESSION_SECRET: z.string().optional(),
});

export type StackConfig = z.infer<typeof schema>;

export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StackError(`${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}
