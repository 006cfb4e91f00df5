import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@pressroom/db';
import { createVault, generateKeyRingEntry, parseKeyRing } from '@pressroom/db/vault';
import { facebook, telegram, tiktok, vk, youtube, type OAuthConnector } from '@pressroom/workflows/platforms';
import { createSignedObjectHandler, createUrlSigner, type ObjectStorage } from '@pressroom/workflows/storage';
import { resolveViewer } from '../auth/sessions.js';
import { can } from '../auth/viewer.js';
import type { ApiConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { createConnectRoutes } from './connect.js';
import { removeSyncSchedule, startSyncingAccount } from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';

/**
 * The OAuth networks this instance can connect, by URL name (`/connect/<name>`): those whose
 * app credentials are configured. The dashboard offers exactly these (serverInfo).
 */
export function createConnectors(config: ApiConfig): Record<string, OAuthConnector> {
  const connectors: Record<string, OAuthConnector> = {};
  if (config.TIKTOK_CLIENT_KEY && config.TIKTOK_CLIENT_SECRET) {
    connectors.tiktok = tiktok.tiktokConnector(
      tiktok.createTikTokClient({
        clientKey: config.TIKTOK_CLIENT_KEY,
        clientSecret: config.TIKTOK_CLIENT_SECRET,
        authBaseUrl: config.TIKTOK_AUTH_BASE_URL,
        apiBaseUrl: config.TIKTOK_API_BASE_URL,
      }),
    );
  }
  if (config.FACEBOOK_APP_ID && config.FACEBOOK_APP_SECRET) {
    connectors.facebook = facebook.metaConnector(
      facebook.createFacebookClient({
        graphBaseUrl: config.FACEBOOK_GRAPH_BASE_URL,
        dialogBaseUrl: config.FACEBOOK_DIALOG_BASE_URL,
        appId: config.FACEBOOK_APP_ID,
        appSecret: config.FACEBOOK_APP_SECRET,
      }),
    );
    // Instagram professional accounts are reached through the same Meta login.
    connectors.instagram = connectors.facebook;
  }
  if (config.YOUTUBE_CLIENT_ID && config.YOUTUBE_CLIENT_SECRET) {
    connectors.youtube = youtube.youtubeConnector(
      youtube.createGoogleOAuthClient({
        clientId: config.YOUTUBE_CLIENT_ID,
        clientSecret: config.YOUTUBE_CLIENT_SECRET,
        authBaseUrl: config.GOOGLE_AUTH_BASE_URL,
        tokenBaseUrl: config.GOOGLE_OAUTH_BASE_URL,
        apiBaseUrl: config.YOUTUBE_API_BASE_URL,
      }),
    );
  }
  if (config.VK_CLIENT_ID) {
    connectors.vk = vk.vkConnector(
      vk.createVkClient({
        apiBaseUrl: config.VK_API_BASE_URL,
        idBaseUrl: config.VK_ID_BASE_URL,
        clientId: config.VK_CLIENT_ID,
      }),
    );
  }
  return connectors;
}

/** What the dashboard may offer to connect: the configured OAuth networks, and Telegram (no OAuth). */
export function connectableNetworks(config: ApiConfig): string[] {
  const names = Object.keys(createConnectors(config)).filter((name) => name !== 'instagram');
  return [...names, 'telegram'];
}

/**
 * The plain HTTP routes beside /graphql that deal with platforms: the OAuth connect flow
 * (`/connect/...`) and the signed media URLs platforms pull images from (`/media/...`).
 * Resolves true when it answered the request.
 */
export function createPlatformRoutes(deps: {
  db: Database;
  config: ApiConfig;
  logger: Logger;
  temporal?: Client;
  /** Where /media reads objects: the api's media storage (the bucket when S3 is configured). */
  storage: ObjectStorage;
}) {
  const { db, config, logger, temporal, storage } = deps;
  const publicBaseUrl = config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${config.PORT}`;
  if (!config.PRESSROOM_TOKEN_KEYS) {
    logger.warn('PRESSROOM_TOKEN_KEYS is not set: connected accounts are encrypted under a key made at start');
  }
  const vault = createVault(
    parseKeyRing(config.PRESSROOM_TOKEN_KEYS ?? generateKeyRingEntry('ephemeral'), config.PRESSROOM_TOKEN_KEY_CURRENT),
  );

  const connectors = createConnectors(config);
  const connect = createConnectRoutes({
    db,
    vault,
    connectors,
    telegram: {
      serverBotToken: config.TELEGRAM_BOT_TOKEN,
      verify: (params) => telegram.verifyTelegramChannel({ ...params, baseUrl: config.TELEGRAM_API_BASE_URL }),
    },
    publicBaseUrl,
    completionUrl: config.CONNECT_COMPLETION_URL,
    logger,
    ...(temporal
      ? {
          // The first sync runs now, not when the 6-hour Schedule first fires.
          onConnected: (accountId: string) =>
            startSyncingAccount(temporal, accountId, { taskQueue: config.TEMPORAL_TASK_QUEUE }),
          onDisconnected: (accountId: string) => removeSyncSchedule(temporal, accountId),
        }
      : {}),
    // People with brands:manage in the brand's organization connect and disconnect accounts;
    // API tokens cannot (a consent screen needs a person).
    resolveActor: async (req, organizationId) => {
      const viewer = await resolveViewer(db, config, {
        authorization: req.headers.authorization ?? null,
        cookie: req.headers.cookie ?? null,
      }).catch(() => null);
      if (!viewer) return 'unauthenticated';
      return viewer.kind === 'user' && organizationId && can(viewer, organizationId, 'brands:manage')
        ? { userId: viewer.userId }
        : null;
    },
  });

  if (!config.PRESSROOM_MEDIA_SECRET) {
    logger.warn('PRESSROOM_MEDIA_SECRET is not set: media URLs signed by the worker will not verify here');
  }
  const signer = createUrlSigner({
    baseUrl: `${publicBaseUrl}/media`,
    secret: config.PRESSROOM_MEDIA_SECRET ?? randomBytes(32),
  });
  // The same storage the worker writes to: with S3 configured, signed /media URLs (the default,
  // MEDIA_S3_PRESIGNED_URLS off) stream from the bucket, not from a local folder that is empty.
  const media = createSignedObjectHandler(storage, signer);

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/media/')) {
      await media(req, res);
      return true;
    }
    return path.startsWith('/connect/') ? connect(req, res) : false;
  };
}
