import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import { createVault, generateKeyRingEntry, parseKeyRing } from '@pressroom/db/vault';
import type { ActivityDependencies } from './activities/index.js';
import type { WorkerConfig } from './config.js';
import { createTikTokClient } from './platforms/tiktok/index.js';
import { createLocalStorage, createUrlSigner } from './storage/index.js';

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
  return {
    db,
    vault,
    storage: createLocalStorage({ root: config.PRESSROOM_MEDIA_DIR, signer }),
    tiktok: createTikTokClient({
      clientKey: config.TIKTOK_CLIENT_KEY,
      clientSecret: config.TIKTOK_CLIENT_SECRET,
      authBaseUrl: config.TIKTOK_AUTH_BASE_URL,
      apiBaseUrl: config.TIKTOK_API_BASE_URL,
    }),
  };
}
