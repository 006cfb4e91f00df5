import { randomBytes } from 'node:crypto';
import type { Database, Platform } from '@pressroom/db';
import type { TokenVault } from '@pressroom/db/vault';
import type { PublishSettings } from '../../src/activities/index.js';
import type { TikTokEmulator } from '../../src/emulators/tiktok.js';
import { saveConnectedAccount } from '../../src/platforms/accounts.js';
import type { ObjectStorage } from '../../src/storage/index.js';
import { seedTenant, solidImage } from '../helpers.js';

/** Timings for tests: every gate ten times faster than TikTok's, short polls and windows. */
export const fastSettings: Partial<PublishSettings> = {
  tiktokLimits: {
    creator_info: { limit: 20, windowMs: 6_000 },
    init: { limit: 6, windowMs: 6_000 },
    status: { limit: 30, windowMs: 6_000 },
  },
  gateLeaseMs: 15_000,
  gateIdleMs: 30_000,
  pollInitialMs: 200,
  pollMaxMs: 800,
  pollTimeoutMs: 60_000,
  reconcileWindowMs: 3_000,
  reconcileIntervalMs: 400,
  automaticRetryDelayMs: 200,
  failedWaitMs: 60_000,
  videoChunkBytes: 5 * 1024 * 1024,
};

export interface SeededAccount {
  organizationId: string;
  brandId: string;
  userId: string;
  socialAccountId: string;
  openId: string;
}

/** A tenant with a TikTok account connected to a fresh emulator user. */
export async function connectTikTokAccount(
  db: Database,
  vault: TokenVault,
  emulator: TikTokEmulator,
  options: { now?: () => number } = {},
): Promise<SeededAccount> {
  const tenant = await seedTenant(db);
  const user = emulator.createUser();
  const issued = emulator.issueTokens(user.openId);
  const now = options.now ?? Date.now;
  const account = await saveConnectedAccount(db, vault, {
    organizationId: tenant.organizationId,
    brandId: tenant.brandId,
    platform: 'TIKTOK',
    platformAccountId: user.openId,
    displayName: user.displayName,
    tokens: {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      accessTokenExpiresAt: new Date(now() + issued.expires_in * 1000),
      refreshTokenExpiresAt: new Date(now() + issued.refresh_expires_in * 1000),
      scopes: issued.scope.split(','),
    },
  });
  return { ...tenant, socialAccountId: account.id, openId: user.openId };
}

/** A carousel post with rendered (JPEG) slides and its publication, scheduled at `scheduledAt`. */
export async function createCarouselPublication(
  db: Database,
  storage: ObjectStorage,
  account: SeededAccount,
  options: { scheduledAt?: Date; caption?: string; slides?: number; platform?: Platform } = {},
) {
  const suffix = randomBytes(4).toString('hex');
  const image = await solidImage(1080, 1350, 'jpeg');
  const post = await db.post.create({
    data: {
      organizationId: account.organizationId,
      brandId: account.brandId,
      format: 'CAROUSEL',
      status: 'SCHEDULED',
      title: `Morning brew ${suffix}`,
      caption: options.caption ?? `Three ways to brew a better morning cup ${suffix}`,
      hashtags: ['coffee', 'morning'],
      scheduledAt: options.scheduledAt ?? new Date(),
    },
  });
  for (let position = 0; position < (options.slides ?? 2); position++) {
    const storageKey = `org/${account.organizationId}/media/${post.id}-${position}.jpg`;
    await storage.put(storageKey, image, { contentType: 'image/jpeg' });
    const media = await db.media.create({
      data: {
        organizationId: account.organizationId,
        postId: post.id,
        kind: 'IMAGE',
        status: 'READY',
        contentType: 'image/jpeg',
        byteSize: image.length,
        width: 1080,
        height: 1350,
        storageKey,
      },
    });
    await db.slide.create({ data: { postId: post.id, position, heading: `Slide ${position + 1}`, mediaId: media.id } });
  }
  return db.publication.create({
    data: {
      organizationId: account.organizationId,
      postId: post.id,
      socialAccountId: account.socialAccountId,
      platform: options.platform ?? 'TIKTOK',
      scheduledAt: options.scheduledAt ?? new Date(),
    },
  });
}

/** A video post (FILE_UPLOAD) of `bytes` bytes and its publication. */
export async function createVideoPublication(
  db: Database,
  storage: ObjectStorage,
  account: SeededAccount,
  options: {
    bytes: number;
    scheduledAt?: Date;
    platform?: Platform;
    width?: number;
    height?: number;
    durationMs?: number;
  },
) {
  const suffix = randomBytes(4).toString('hex');
  const post = await db.post.create({
    data: {
      organizationId: account.organizationId,
      brandId: account.brandId,
      format: 'VIDEO',
      status: 'SCHEDULED',
      title: `Latte art ${suffix}`,
      caption: `Latte art in sixty seconds ${suffix}`,
      hashtags: ['latteart'],
      scheduledAt: options.scheduledAt ?? new Date(),
    },
  });
  const storageKey = `org/${account.organizationId}/media/${post.id}.mp4`;
  await storage.put(storageKey, randomBytes(options.bytes), { contentType: 'video/mp4' });
  await db.media.create({
    data: {
      organizationId: account.organizationId,
      postId: post.id,
      kind: 'VIDEO',
      status: 'READY',
      contentType: 'video/mp4',
      byteSize: options.bytes,
      storageKey,
      width: options.width ?? 1080,
      height: options.height ?? 1920,
      durationMs: options.durationMs ?? 30_000,
    },
  });
  return db.publication.create({
    data: {
      organizationId: account.organizationId,
      postId: post.id,
      socialAccountId: account.socialAccountId,
      platform: options.platform ?? 'TIKTOK',
      scheduledAt: options.scheduledAt ?? new Date(),
    },
  });
}

/** A tenant with an account on another network, stored the way a connect flow stores it. */
export async function connectNetworkAccount(
  db: Database,
  vault: TokenVault,
  input: {
    platform: Platform;
    platformAccountId: string;
    accessToken: string;
    refreshToken?: string;
    accessTokenExpiresAt?: Date;
    /** What the connect granted (Meta login's scopes mark an Instagram account connected through it). */
    scopes?: string[];
    tenant?: { organizationId: string; brandId: string; userId: string };
  },
): Promise<SeededAccount> {
  const tenant = input.tenant ?? (await seedTenant(db));
  const account = await saveConnectedAccount(db, vault, {
    organizationId: tenant.organizationId,
    brandId: tenant.brandId,
    platform: input.platform,
    platformAccountId: input.platformAccountId,
    displayName: `${input.platform} ${input.platformAccountId}`,
    tokens: {
      accessToken: input.accessToken,
      ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}),
      ...(input.accessTokenExpiresAt ? { accessTokenExpiresAt: input.accessTokenExpiresAt } : {}),
      ...(input.scopes ? { scopes: input.scopes } : {}),
    },
  });
  return { ...tenant, socialAccountId: account.id, openId: input.platformAccountId };
}

export async function waitFor<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
