import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AnthropicEmulator,
  InstagramEmulator,
  OpenAIEmulator,
  ResendEmulator,
  SmtpEmulator,
  TelegramEmulator,
  TikTokEmulator,
  YouTubeEmulator,
} from '../../workflows/src/emulators/index.js';
import type { StackConfig } from './config.js';

export interface RunningEmulators {
  /** Base URLs and credentials for the api and the worker. */
  env: Record<string, string>;
  /** Lines for the banner. */
  lines: string[];
  stop: () => Promise<void>;
}

interface StackSecrets {
  tokenKeys: string;
  mediaSecret: string;
}

/**
 * Secrets the api and the worker must share (the token key ring, the media URL key), made
 * once and kept in the data folder so stored tokens stay readable across restarts.
 */
async function stackSecrets(dataDir: string): Promise<StackSecrets> {
  const file = join(dataDir, 'secrets.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StackSecrets;
  } catch {
    const secrets = {
      tokenKeys: `local-1:${randomBytes(32).toString('base64')}`,
      mediaSecret: randomBytes(32).toString('base64url'),
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
    return secrets;
  }
}

/**
 * Starts an emulator for every external service that has no real credentials configured, on
 * loopback, and says where they are. A service with credentials set talks to the real API.
 */
export async function startEmulators(config: StackConfig): Promise<RunningEmulators> {
  const stops: Array<() => Promise<void>> = [];
  const env: Record<string, string> = {};
  const lines: string[] = [];
  const secrets = await stackSecrets(config.PRESSROOM_DATA_DIR);
  env.PRESSROOM_TOKEN_KEYS = config.PRESSROOM_TOKEN_KEYS ?? secrets.tokenKeys;
  env.PRESSROOM_MEDIA_SECRET = config.PRESSROOM_MEDIA_SECRET ?? secrets.mediaSecret;
  env.PRESSROOM_MEDIA_DIR = join(config.PRESSROOM_DATA_DIR, 'media');
  env.PRESSROOM_MEDIA_BASE_URL = `http://${config.HOST}:${config.PORT}/media`;
  const emulated = (name: string, url: string) => {
    if (lines.length === 0) lines.push('', 'Emulated services (set real credentials to use the real ones):');
    lines.push(`  ${name.padEnd(16)}${url}`);
  };

  try {
    if (!config.TIKTOK_CLIENT_KEY) {
      const tiktok = new TikTokEmulator();
      const url = await tiktok.start();
      stops.push(() => tiktok.stop());
      Object.assign(env, {
        TIKTOK_CLIENT_KEY: tiktok.clientKey,
        TIKTOK_CLIENT_SECRET: tiktok.clientSecret,
        TIKTOK_AUTH_BASE_URL: url,
        TIKTOK_API_BASE_URL: url,
      });
      emulated('TikTok', url);
    }
    if (!config.INSTAGRAM_APP_ID) {
      const instagram = new InstagramEmulator();
      env.INSTAGRAM_GRAPH_BASE_URL = await instagram.start();
      stops.push(() => instagram.stop());
      emulated('Instagram', env.INSTAGRAM_GRAPH_BASE_URL);
    }
    if (!config.TELEGRAM_BOT_TOKEN) {
      const telegram = new TelegramEmulator();
      env.TELEGRAM_API_BASE_URL = await telegram.start();
      env.TELEGRAM_BOT_TOKEN = telegram.botToken;
      stops.push(() => telegram.stop());
      emulated('Telegram', env.TELEGRAM_API_BASE_URL);
    }
    if (!config.YOUTUBE_CLIENT_ID) {
      const youtube = new YouTubeEmulator();
      env.YOUTUBE_API_BASE_URL = await youtube.start();
      stops.push(() => youtube.stop());
      emulated('YouTube', env.YOUTUBE_API_BASE_URL);
    }
    if (!config.ANTHROPIC_API_KEY && !config.OPENAI_API_KEY) {
      const anthropic = new AnthropicEmulator();
      const openai = new OpenAIEmulator();
      Object.assign(env, {
        AI_PROVIDER: 'anthropic',
        ANTHROPIC_BASE_URL: await anthropic.start(),
        ANTHROPIC_API_KEY: 'emulated',
        OPENAI_BASE_URL: await openai.start(),
        OPENAI_API_KEY: 'emulated',
      });
      stops.push(
        () => anthropic.stop(),
        () => openai.stop(),
      );
      emulated('Anthropic', env.ANTHROPIC_BASE_URL!);
      emulated('OpenAI', env.OPENAI_BASE_URL!);
    }
    if (!config.RESEND_API_KEY && !config.SMTP_HOST) {
      const resend = new ResendEmulator();
      const smtp = new SmtpEmulator();
      Object.assign(env, {
        EMAIL_PROVIDER: 'resend',
        RESEND_BASE_URL: await resend.start(),
        RESEND_API_KEY: 'emulated',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(await smtp.start()),
      });
      stops.push(
        () => resend.stop(),
        () => smtp.stop(),
      );
      emulated('Resend', env.RESEND_BASE_URL!);
      emulated('SMTP', `smtp://127.0.0.1:${env.SMTP_PORT}`);
    }
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
  return {
    env,
    lines,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}
