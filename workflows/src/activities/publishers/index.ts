import type { Database, Platform } from '@pressroom/db';
import type { FacebookClient } from '../../platforms/facebook/index.js';
import type { InstagramClient } from '../../platforms/instagram/index.js';
import type { TikTokClient, TikTokPrivacyLevel } from '../../platforms/tiktok/index.js';
import type { VkClient } from '../../platforms/vk/index.js';
import type { YouTubeClient } from '../../platforms/youtube/index.js';
import type { ObjectStorage } from '../../storage/index.js';
import { createBlogPublisher } from './blog.js';
import { createFacebookPublisher } from './facebook.js';
import { createInstagramPublisher } from './instagram.js';
import { createTelegramPublisher } from './telegram.js';
import { createTikTokPublisher } from './tiktok.js';
import type { NetworkPublisher } from './types.js';
import { createVkPublisher } from './vk.js';
import { createYouTubePublisher } from './youtube.js';

/** The networks' clients the publishers use; a network left out cannot be published to. */
export interface PublisherClients {
  instagram?: InstagramClient;
  youtube?: YouTubeClient;
  /** Telegram posts go out with each account's own bot token: only the API's address is shared. */
  telegram?: { baseUrl?: string };
  /** Facebook Pages; its app id and secret are what refreshes page tokens. */
  facebook?: FacebookClient;
  /** VK communities; its VK ID client id is what refreshes tokens. */
  vk?: VkClient;
  tiktok?: TikTokClient;
  /** The brands' blogs: the api's public address their URLs start from. */
  blog?: { publicBaseUrl: string };
}

export interface PublisherSettings {
  youtubeDailyQuotaUnits: number;
  youtubeChunkBytes: number;
  youtubePrivacy: 'public' | 'unlisted' | 'private';
  preferredPrivacy: TikTokPrivacyLevel;
  videoChunkBytes: number;
}

/** The publisher of each network the worker can publish to. */
export function createPublishers(
  clients: PublisherClients,
  deps: { db: Database; storage: ObjectStorage; settings: PublisherSettings },
): Partial<Record<Platform, NetworkPublisher>> {
  const publishers: Partial<Record<Platform, NetworkPublisher>> = {};
  if (clients.instagram) publishers.INSTAGRAM = createInstagramPublisher(clients.instagram, clients.facebook);
  if (clients.youtube) {
    publishers.YOUTUBE = createYouTubePublisher({
      youtube: clients.youtube,
      storage: deps.storage,
      db: deps.db,
      dailyQuotaUnits: deps.settings.youtubeDailyQuotaUnits,
      chunkBytes: deps.settings.youtubeChunkBytes,
      privacy: deps.settings.youtubePrivacy,
    });
  }
  if (clients.telegram) publishers.TELEGRAM = createTelegramPublisher(clients.telegram);
  if (clients.facebook) publishers.FACEBOOK = createFacebookPublisher(clients.facebook);
  if (clients.vk) publishers.VK = createVkPublisher({ vk: clients.vk, storage: deps.storage });
  if (clients.tiktok) {
    publishers.TIKTOK = createTikTokPublisher({
      tiktok: clients.tiktok,
      storage: deps.storage,
      settings: deps.settings,
    });
  }
  if (clients.blog) publishers.BLOG = createBlogPublisher({ db: deps.db, publicBaseUrl: clients.blog.publicBaseUrl });
  return publishers;
}

export type { NetworkPublisher } from './types.js';
