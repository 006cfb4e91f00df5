import type { Platform } from '@pressroom/db';
import type { IssuedTokens } from '../platforms/accounts.js';
import { isPlatformError, PlatformError } from '../platforms/errors.js';
import { instagramRefresh, metaRefresh, type FacebookClient } from '../platforms/facebook/index.js';
import type { InstagramClient } from '../platforms/instagram/index.js';
import { createTelegramClient } from '../platforms/telegram/index.js';
import type { AccessTokenSource } from '../platforms/tokens.js';
import { vkRefresh, type VkClient } from '../platforms/vk/index.js';
import type { YouTubeClient, YouTubeQuotaMeter } from '../platforms/youtube/index.js';

/** The clients the analytics sync reads each network with; a network left out is not synced. */
export interface NetworkSyncClients {
  instagram?: InstagramClient;
  youtube?: YouTubeClient;
  /** Each Telegram account reads with its own bot token: only the API's address is shared. */
  telegram?: { baseUrl?: string };
  facebook?: FacebookClient;
  vk?: VkClient;
}

/** An account's audience as the network reports it (what it does not report stays 0). */
export interface AccountNumbers {
  followers: number;
  following?: number;
  likes?: number;
  posts?: number;
  displayName?: string;
  username?: string;
}

/** One post's counts, by the post id the publisher stored on its publication. */
export interface PostNumbers {
  views: number;
  likes: number;
  comments: number;
  shares: number;
}

export interface SyncedAccount {
  id: string;
  platform: Platform;
  platformAccountId: string;
}

export interface NetworkAnalytics {
  /** Read calls one account may make per window (the network's per-token limit), when it has one. */
  limit?: { limit: number; windowMs: number };
  /** Posts one read covers, and the calls it costs. */
  batchSize: number;
  callsPerBatch: number;
  /** The network's refresh for a stored refresh token (absent: the token cannot be refreshed). */
  /** The account's scopes say how it was connected (an Instagram account through Meta or Instagram login). */
  refresh?: (refreshToken: string, account: SyncedAccount & { scopes: readonly string[] }) => Promise<IssuedTokens>;
  account(tokens: AccessTokenSource, account: SyncedAccount): Promise<AccountNumbers>;
  /**
   * Counts of the given posts. A post the network no longer has (deleted there) is left out of
   * the answer, as a video no longer listed drops out of TikTok's list. Absent where the
   * network has no per-post numbers.
   */
  posts?(tokens: AccessTokenSource, account: SyncedAccount, postIds: string[]): Promise<Map<string, PostNumbers>>;
}

/** Graph answers a read of an object that is gone (or was never this token's) with code 100. */
function isGoneOnGraph(error: unknown): boolean {
  return (
    isPlatformError(error, 'REJECTED_BY_PLATFORM') &&
    (error.code === '100' || (error.code?.startsWith('100/') ?? false))
  );
}

/** A VK wall post as stored by a publisher: `123`, `-<group>_123` or `wall-<group>_123`. */
export function vkPostNumber(platformPostId: string): number | undefined {
  const match = /^(?:wall)?(?:-?\d+_)?(\d+)$/.exec(platformPostId.trim());
  return match ? Number(match[1]) : undefined;
}

/** The analytics reader of every network the worker has a client for (TikTok has its own). */
export function createNetworkAnalytics(
  clients: NetworkSyncClients,
  /**
   * What every YouTube read passes: the project's daily quota that uploads draw on too, which
   * counts the read or holds it back (YouTubeQuotaReserved) to keep a reserve for publishing.
   */
  deps: { youtubeMeter?: YouTubeQuotaMeter } = {},
): Partial<Record<Platform, NetworkAnalytics>> {
  const networks: Partial<Record<Platform, NetworkAnalytics>> = {};

  const { instagram, telegram, facebook, vk } = clients;
  const youtube = clients.youtube && deps.youtubeMeter ? clients.youtube.metered(deps.youtubeMeter) : clients.youtube;
  if (instagram) {
    networks.INSTAGRAM = {
      // Graph's platform rate limit: 200 calls per hour per account token.
      limit: { limit: 200, windowMs: 3600_000 },
      batchSize: 1,
      callsPerBatch: 1,
      // As publishing refreshes it: by how the account was connected (Meta or Instagram login).
      refresh: instagramRefresh({ instagram, facebook }),
      async account(tokens, account) {
        const profile = await instagram.account(tokens, account.platformAccountId);
        return {
          followers: profile.followers_count ?? 0,
          following: profile.follows_count ?? 0,
          posts: profile.media_count ?? 0,
          ...(profile.username ? { username: profile.username } : {}),
        };
      },
      async posts(tokens, _account, postIds) {
        const found = new Map<string, PostNumbers>();
        for (const id of postIds) {
          try {
            // `views` replaced impressions/plays; reach and saved are read but have no column yet.
            const insights = await instagram.insights(tokens, id, [
              'views',
              'reach',
              'likes',
              'comments',
              'shares',
              'saved',
            ]);
            found.set(id, {
              views: insights.views ?? 0,
              likes: insights.likes ?? 0,
              comments: insights.comments ?? 0,
              shares: insights.shares ?? 0,
            });
          } catch (error) {
            if (!isGoneOnGraph(error)) throw error;
          }
        }
        return found;
      },
    };
  }

  if (facebook) {
    networks.FACEBOOK = {
      // Page tokens: 200 calls per hour per token on the platform limit; each post costs two.
      limit: { limit: 200, windowMs: 3600_000 },
      batchSize: 1,
      callsPerBatch: 2,
      // The page token comes again from the person's long-lived user token.
      refresh: (userToken, account) => metaRefresh(facebook, account)(userToken),
      async account(tokens, account) {
        const page = await facebook.pageStats(tokens, account.platformAccountId);
        // followers_count is who sees the page's posts in their feed; fan_count (likes) is older.
        return { followers: page.followers, likes: page.fans, ...(page.name ? { displayName: page.name } : {}) };
      },
      async posts(tokens, _account, postIds) {
        const found = new Map<string, PostNumbers>();
        for (const id of postIds) {
          try {
            const stats = await facebook.postStats(tokens, id);
            found.set(id, { views: stats.views, likes: stats.likes, comments: stats.comments, shares: stats.shares });
          } catch (error) {
            if (!isGoneOnGraph(error)) throw error;
          }
        }
        return found;
      },
    };
  }

  if (youtube) {
    networks.YOUTUBE = {
      // No per-second limit to keep under; each call is one unit of the project's daily quota.
      batchSize: 50,
      callsPerBatch: 1,
      refresh: async (refreshToken) => {
        const fresh = await youtube.refresh(refreshToken);
        return { accessToken: fresh.accessToken, accessTokenExpiresAt: fresh.accessTokenExpiresAt };
      },
      async account(tokens) {
        // channels.list costs a unit of the project's quota (answered or not); the meter counts it.
        const channel = await youtube.channelStatistics(tokens);
        return { followers: channel.subscriberCount, posts: channel.videoCount };
      },
      async posts(tokens, _account, postIds) {
        // A deleted video is simply not in the answer. YouTube's Data API has no share count.
        const stats = await youtube.statistics(tokens, postIds);
        return new Map(
          stats.map((video) => [
            video.id,
            { views: video.viewCount, likes: video.likeCount, comments: video.commentCount, shares: 0 },
          ]),
        );
      },
    };
  }

  if (vk) {
    networks.VK = {
      // 3 requests a second per user token; wall.getById takes up to 100 posts.
      limit: { limit: 3, windowMs: 1_000 },
      batchSize: 100,
      callsPerBatch: 1,
      refresh: (packed) => vkRefresh(vk)(packed),
      async account(tokens, account) {
        const group = await vk.group(tokens, account.platformAccountId);
        return {
          followers: group.members_count ?? 0,
          displayName: group.name,
          ...(group.screen_name ? { username: group.screen_name } : {}),
        };
      },
      async posts(tokens, account, postIds) {
        const numbers = new Map<number, string>();
        for (const id of postIds) {
          const number = vkPostNumber(id);
          if (number !== undefined) numbers.set(number, id);
        }
        const posts = await vk.postsById(tokens, account.platformAccountId, [...numbers.keys()]);
        const found = new Map<string, PostNumbers>();
        for (const post of posts) {
          const id = numbers.get(post.id);
          if (id === undefined) continue;
          found.set(id, {
            views: post.views?.count ?? 0,
            likes: post.likes?.count ?? 0,
            comments: post.comments?.count ?? 0,
            shares: post.reposts?.count ?? 0,
          });
        }
        return found;
      },
    };
  }

  if (telegram) {
    networks.TELEGRAM = {
      batchSize: 1,
      callsPerBatch: 1,
      // The Bot API has the channel's subscriber count and nothing per message (views and
      // reactions are for MTProto clients), so Telegram publications get no metrics.
      async account(tokens, account) {
        const bot = createTelegramClient({ botToken: await tokens.accessToken(), baseUrl: telegram.baseUrl });
        try {
          return { followers: await bot.getChatMemberCount(account.platformAccountId) };
        } catch (error) {
          // 401: the bot's token was revoked at @BotFather; 403: the bot was removed from the channel.
          if (isPlatformError(error) && (error.status === 401 || error.status === 403)) {
            throw new PlatformError(`the bot can no longer read the channel (${error.reason})`, {
              category: 'REJECTED_BY_PLATFORM',
              platform: 'telegram',
              operation: 'getChatMemberCount',
              status: error.status,
            });
          }
          throw error;
        }
      },
    };
  }
  return networks;
}
