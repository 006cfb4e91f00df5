// A worker process for the crash tests: the test SIGKILLs it in the middle of a publish and
// starts another. Configured through the environment by the test.
import { createPrismaClient } from '@pressroom/db';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { createTikTokClient } from '../../src/platforms/tiktok/index.js';
import { createFacebookClient } from '../../src/platforms/facebook/index.js';
import { createInstagramClient } from '../../src/platforms/instagram/index.js';
import { createVkClient } from '../../src/platforms/vk/index.js';
import { createYouTubeClient } from '../../src/platforms/youtube/index.js';
import { createLocalStorage, createUrlSigner } from '../../src/storage/index.js';
import { createPressroomWorker } from '../../src/worker.js';
import { fastSettings } from './publishing.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const db = createPrismaClient({ databaseUrl: env('DATABASE_URL') });
const tiktokBaseUrl = env('TIKTOK_BASE_URL');
const { worker } = await createPressroomWorker({
  address: env('TEMPORAL_ADDRESS'),
  namespace: 'default',
  // The test bundled the workflows once for all its worker processes.
  ...(process.env.WORKFLOW_BUNDLE_PATH ? { workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH } : {}),
  activities: {
    db,
    vault: createVault(parseKeyRing(env('TOKEN_KEYS'))),
    storage: createLocalStorage({
      root: env('MEDIA_DIR'),
      signer: createUrlSigner({
        baseUrl: process.env.MEDIA_BASE_URL ?? 'http://127.0.0.1:9/media',
        secret: process.env.MEDIA_SECRET ?? 'x'.repeat(32),
      }),
    }),
    tiktok: createTikTokClient({
      clientKey: env('TIKTOK_CLIENT_KEY'),
      clientSecret: env('TIKTOK_CLIENT_SECRET'),
      authBaseUrl: tiktokBaseUrl,
      apiBaseUrl: tiktokBaseUrl,
      http: { timeoutMs: 5_000, backoffBaseMs: 50 },
    }),
    // The other networks, when the test runs their emulators.
    networks: {
      ...(process.env.INSTAGRAM_BASE_URL
        ? { instagram: createInstagramClient({ baseUrl: process.env.INSTAGRAM_BASE_URL }) }
        : {}),
      ...(process.env.YOUTUBE_BASE_URL
        ? {
            youtube: createYouTubeClient({
              baseUrl: process.env.YOUTUBE_BASE_URL,
              oauthBaseUrl: process.env.YOUTUBE_BASE_URL,
              http: { timeoutMs: 5_000, backoffBaseMs: 50 },
            }),
          }
        : {}),
      ...(process.env.TELEGRAM_BASE_URL ? { telegram: { baseUrl: process.env.TELEGRAM_BASE_URL } } : {}),
      ...(process.env.FACEBOOK_BASE_URL
        ? {
            facebook: createFacebookClient({
              graphBaseUrl: process.env.FACEBOOK_BASE_URL,
              appId: env('FACEBOOK_APP_ID'),
              appSecret: env('FACEBOOK_APP_SECRET'),
              http: { timeoutMs: 5_000, backoffBaseMs: 50 },
            }),
          }
        : {}),
      ...(process.env.VK_BASE_URL
        ? {
            vk: createVkClient({
              apiBaseUrl: process.env.VK_BASE_URL,
              idBaseUrl: process.env.VK_BASE_URL,
              clientId: env('VK_CLIENT_ID'),
              http: { timeoutMs: 5_000, backoffBaseMs: 50 },
            }),
          }
        : {}),
    },
    taskQueue: env('TASK_QUEUE'),
    settings: { ...fastSettings, youtubeChunkBytes: 256 * 1024 },
  },
  // A dead worker's sticky queue is given up on after a second, not ten.
  tuning: { stickyQueueScheduleToStartTimeout: '1s' },
});
console.log('worker ready');
await worker.run();
