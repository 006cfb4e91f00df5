// A worker process for the ads bulk-job crash test: the test SIGKILLs it in the middle of a
// job and starts another. Configured through the environment by the test.
import { createPrismaClient } from '@pressroom/db';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { createTikTokAdsClient } from '../../src/platforms/tiktok-ads/index.js';
import { createTikTokClient } from '../../src/platforms/tiktok/index.js';
import { createLocalStorage, createUrlSigner } from '../../src/storage/index.js';
import { createPressroomWorker } from '../../src/worker.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const db = createPrismaClient({ databaseUrl: env('DATABASE_URL') });
const adsBaseUrl = env('TIKTOK_ADS_BASE_URL');
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
      signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
    }),
    // Not used: bulk jobs speak only to the Marketing API.
    tiktok: createTikTokClient({ clientKey: 'x', clientSecret: 'x', authBaseUrl: adsBaseUrl, apiBaseUrl: adsBaseUrl }),
    tiktokAds: createTikTokAdsClient({
      apiBaseUrl: adsBaseUrl,
      appId: env('TIKTOK_ADS_APP_ID'),
      secret: env('TIKTOK_ADS_SECRET'),
      http: { timeoutMs: 5_000, backoffBaseMs: 50 },
    }),
    taskQueue: env('TASK_QUEUE'),
  },
  // A dead worker's sticky queue is given up on after a second, not ten.
  tuning: { stickyQueueScheduleToStartTimeout: '1s' },
});
console.log('worker ready');
await worker.run();
