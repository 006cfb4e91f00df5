import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AnthropicEmulator,
  FacebookEmulator,
  GoogleOAuthEmulator,
  InstagramEmulator,
  OpenAIEmulator,
  ResendEmulator,
  SmtpEmulator,
  TelegramEmulator,
  TikTokAdsEmulator,
  TikTokEmulator,
  VkEmulator,
  YouTubeEmulator,
  type FacebookEmulatorState,
  type GoogleOAuthEmulatorState,
  type InstagramEmulatorState,
  type TelegramEmulatorState,
  type TikTokAdsEmulatorState,
  type TikTokEmulatorState,
  type VkEmulatorState,
  type YouTubeEmulatorState,
} from '../../workflows/src/emulators/index.js';
import type { StackConfig } from './config.js';

export interface RunningEmulators {
  /** Base URLs and credentials for the api and the worker. */
  env: Record<string, string>;
  /** Lines for the banner. */
  lines: string[];
  /** The emulators running here, for tools that seed them or read what they hold (scripts/faults). */
  instances: EmulatorInstances;
  stop: () => Promise<void>;
}

export interface EmulatorInstances {
  tiktok?: TikTokEmulator;
  instagram?: InstagramEmulator;
  telegram?: TelegramEmulator;
  youtube?: YouTubeEmulator;
  facebook?: FacebookEmulator;
  vk?: VkEmulator;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    // Missing or unreadable (a first start, or a file cut short by a crash): start afresh.
    return undefined;
  }
}

/** Written aside and renamed, so a stop halfway never leaves half a file. */
async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(value));
  await rename(`${file}.tmp`, file);
}

/** An emulator whose state a restart keeps. */
interface Persistable<S> {
  snapshot(): S;
  restore(state: S): void;
}

/**
 * An emulator's state in `<dir>/<name>.json`: restored at once (before its credentials are
 * read), written shortly after every request to any of `servers` that may have changed it, and
 * once more at stop. An emulator that forgot the tokens it issued would turn every connected
 * account REVOKED at the next sync, and one that forgot its posts would lose their counts.
 */
async function persist<S>(
  emulator: Persistable<S>,
  dir: string,
  name: string,
  servers: Array<{ afterRequest?: () => void }>,
): Promise<{ stop: () => Promise<void>; touch: () => void }> {
  const file = join(dir, `${name}.json`);
  const kept = await readJson<S>(file);
  if (kept) {
    try {
      emulator.restore(kept);
    } catch {
      // A file from an older shape: start afresh rather than not start.
    }
  }
  let timer: NodeJS.Timeout | undefined;
  let writing = Promise.resolve();
  const save = () => {
    timer = undefined;
    const state = emulator.snapshot();
    writing = writing.then(() => writeJson(file, state)).catch(() => {});
    return writing;
  };
  const touch = () => {
    timer ??= setTimeout(() => void save(), 200);
  };
  for (const server of servers) server.afterRequest = touch;
  return {
    touch,
    stop: async () => {
      clearTimeout(timer);
      for (const server of servers) server.afterRequest = undefined;
      await save();
    },
  };
}

/**
 * Starts an emulator for every external service that has no real credentials configured, on
 * loopback, and says where they are. A service with credentials set talks to the real API.
 */
export async function startEmulators(config: StackConfig): Promise<RunningEmulators> {
  const stops: Array<() => Promise<void>> = [];
  const env: Record<string, string> = {};
  const lines: string[] = [];
  const instances: EmulatorInstances = {};
  // Each emulator gets the port it had last time (its URLs, and the accounts and posts it
  // holds, stay where they were), or any free one when that is taken.
  const dir = join(config.PRESSROOM_DATA_DIR, 'emulators');
  await mkdir(dir, { recursive: true });
  const portsFile = join(dir, 'ports.json');
  const ports: Record<string, number> = (await readJson<Record<string, number>>(portsFile)) ?? {};
  async function listen<T extends string | number>(name: string, start: (port?: number) => Promise<T>): Promise<T> {
    const address = await start(ports[name]).catch(() => start(0));
    ports[name] = typeof address === 'number' ? address : Number(new URL(address).port);
    return address;
  }
  const emulated = (name: string, url: string) => {
    if (lines.length === 0) lines.push('', 'Emulated services (set real credentials to use the real ones):');
    lines.push(`  ${name.padEnd(16)}${url}`);
  };

  try {
    if (!config.TIKTOK_CLIENT_KEY) {
      const tiktok = new TikTokEmulator();
      instances.tiktok = tiktok;
      const saveTikTok = (await persist<TikTokEmulatorState>(tiktok, dir, 'tiktok', [tiktok.server])).stop;
      const url = await listen('tiktok', (port) => tiktok.start(port));
      stops.push(async () => {
        await tiktok.stop();
        await saveTikTok();
      });
      Object.assign(env, {
        TIKTOK_CLIENT_KEY: tiktok.clientKey,
        TIKTOK_CLIENT_SECRET: tiktok.clientSecret,
        TIKTOK_AUTH_BASE_URL: url,
        TIKTOK_API_BASE_URL: url,
      });
      emulated('TikTok', url);
    }
    let instagram: InstagramEmulator | undefined;
    let instagramChanged: (() => void) | undefined;
    if (!config.INSTAGRAM_APP_ID) {
      const running = new InstagramEmulator();
      instagram = running;
      instances.instagram = running;
      const kept = await persist<InstagramEmulatorState>(running, dir, 'instagram', [running.server]);
      instagramChanged = kept.touch;
      env.INSTAGRAM_API_BASE_URL = await listen('instagram', (port) => running.start(port));
      stops.push(async () => {
        await running.stop();
        await kept.stop();
      });
      emulated('Instagram', env.INSTAGRAM_API_BASE_URL);
    }
    if (!config.TELEGRAM_BOT_TOKEN) {
      const telegram = new TelegramEmulator();
      instances.telegram = telegram;
      const save = (await persist<TelegramEmulatorState>(telegram, dir, 'telegram', [telegram.server])).stop;
      // A channel the server's bot administers, so Telegram can be connected from the dashboard
      // (Accounts → Connect Telegram → @pressroom_demo) with nothing set up; kept across restarts.
      if (![...telegram.channels.values()].some((channel) => channel.username === 'pressroom_demo')) {
        telegram.createChannel({
          title: 'Pressroom Demo Channel',
          username: 'pressroom_demo',
          adminBots: [{ id: telegram.serverBotId }],
        });
      }
      env.TELEGRAM_API_BASE_URL = await listen('telegram', (port) => telegram.start(port));
      env.TELEGRAM_BOT_TOKEN = telegram.botToken;
      stops.push(async () => {
        await telegram.stop();
        await save();
      });
      emulated('Telegram', env.TELEGRAM_API_BASE_URL);
    }
    if (!config.YOUTUBE_CLIENT_ID) {
      const youtube = new YouTubeEmulator();
      instances.youtube = youtube;
      const google = new GoogleOAuthEmulator(youtube);
      // One server, two emulators: kept together.
      const { stop: save } = await persist<{ youtube: YouTubeEmulatorState; google: GoogleOAuthEmulatorState }>(
        {
          snapshot: () => ({ youtube: youtube.snapshot(), google: google.snapshot() }),
          restore: (state) => {
            youtube.restore(state.youtube);
            google.restore(state.google);
          },
        },
        dir,
        'youtube',
        [youtube.server],
      );
      env.YOUTUBE_API_BASE_URL = await listen('youtube', (port) => youtube.start(port));
      // Google's consent, token and revoke endpoints are served on the same emulator.
      Object.assign(env, {
        YOUTUBE_CLIENT_ID: google.clientId,
        YOUTUBE_CLIENT_SECRET: google.clientSecret,
        GOOGLE_AUTH_BASE_URL: env.YOUTUBE_API_BASE_URL,
        GOOGLE_OAUTH_BASE_URL: env.YOUTUBE_API_BASE_URL,
      });
      stops.push(async () => {
        await youtube.stop();
        await save();
      });
      emulated('YouTube', env.YOUTUBE_API_BASE_URL);
    }
    if (!config.FACEBOOK_APP_ID) {
      // Page tokens from the emulated Facebook Login also work on the emulated Instagram, as
      // a real page token does for the page's linked Instagram professional account.
      const linked = instagram;
      const facebook = new FacebookEmulator({
        onPageToken: (token, page) => {
          if (page.igUserId) linked?.adoptToken(token, page.igUserId, page.expiresAt);
        },
      });
      const kept = await persist<FacebookEmulatorState>(facebook, dir, 'facebook', [facebook.server]);
      // Page tokens it mints are adopted by the Instagram emulator, which must keep them too.
      facebook.server.afterRequest = () => {
        kept.touch();
        instagramChanged?.();
      };
      instances.facebook = facebook;
      const save = kept.stop;
      const url = await listen('facebook', (port) => facebook.start(port));
      stops.push(async () => {
        await facebook.stop();
        await save();
      });
      Object.assign(env, {
        FACEBOOK_APP_ID: facebook.appId,
        FACEBOOK_APP_SECRET: facebook.appSecret,
        FACEBOOK_GRAPH_BASE_URL: url,
        FACEBOOK_DIALOG_BASE_URL: url,
      });
      emulated('Facebook', url);
    }
    if (!config.VK_CLIENT_ID) {
      const vk = new VkEmulator();
      instances.vk = vk;
      const save = (await persist<VkEmulatorState>(vk, dir, 'vk', [vk.server])).stop;
      const url = await listen('vk', (port) => vk.start(port));
      stops.push(async () => {
        await vk.stop();
        await save();
      });
      Object.assign(env, { VK_CLIENT_ID: vk.clientId, VK_API_BASE_URL: url, VK_ID_BASE_URL: url });
      emulated('VK', url);
    }
    if (!config.TIKTOK_ADS_APP_ID) {
      // The Marketing API and its consent page on one port; a demo business with two ad
      // accounts approves every consent, so connecting works at once.
      // Its business, tokens and app credentials are kept across restarts like the others'.
      const ads = new TikTokAdsEmulator();
      const { stop: saveAds, touch } = await persist<TikTokAdsEmulatorState>(ads, dir, 'tiktok-ads', [ads.server]);
      if (ads.advertisers.size === 0) {
        ads.consentingUserId = ads.createAdvertiserOwner({ advertisers: 2, campaigns: 3, adGroups: 2, ads: 3 }).userId;
        touch();
      }
      const url = await listen('tiktok-ads', (port) => ads.start(port));
      stops.push(async () => {
        await ads.stop();
        await saveAds();
      });
      Object.assign(env, {
        TIKTOK_ADS_APP_ID: ads.appId,
        TIKTOK_ADS_SECRET: ads.secret,
        TIKTOK_ADS_API_BASE_URL: url,
        TIKTOK_ADS_PORTAL_BASE_URL: url,
      });
      emulated('TikTok Ads', url);
    }
    if (!config.ANTHROPIC_API_KEY && !config.OPENAI_API_KEY) {
      const anthropic = new AnthropicEmulator();
      const openai = new OpenAIEmulator();
      Object.assign(env, {
        AI_PROVIDER: 'anthropic',
        ANTHROPIC_BASE_URL: await listen('anthropic', (port) => anthropic.start(port)),
        ANTHROPIC_API_KEY: 'emulated',
        OPENAI_BASE_URL: await listen('openai', (port) => openai.start(port)),
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
        RESEND_BASE_URL: await listen('resend', (port) => resend.start(port)),
        RESEND_API_KEY: 'emulated',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(await listen('smtp', (port) => smtp.start(port))),
      });
      stops.push(
        () => resend.stop(),
        () => smtp.stop(),
      );
      emulated('Resend', env.RESEND_BASE_URL!);
      emulated('SMTP', `smtp://127.0.0.1:${env.SMTP_PORT}`);
    }
    await writeJson(portsFile, ports);
  } catch (error) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
  return {
    env,
    lines,
    instances,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}
