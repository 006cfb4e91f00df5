import { YouTubeQuotaReserved, youtubeQuota } from './publishers/youtube.js';
import { defaultPublishSettings, type PublishSettings } from './publish.js';
import { ApplicationFailure } from '@temporalio/common';
import { heartbeat } from '@temporalio/activity';
import type { Database, Platform } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import type { TokenVault } from '@pressroom/db/vault';
import { createAccountTokenSource } from '../platforms/accounts.js';
import { isPlatformError } from '../platforms/errors.js';
import type { AccessTokenSource } from '../platforms/tokens.js';
import type { EmailSender } from '../platforms/email/index.js';
import { createNotifier } from './notifications.js';
import type { TikTokClient, TikTokVideo } from '../platforms/tiktok/index.js';
import { PlatformError } from '../platforms/errors.js';
import {
  createNetworkAnalytics,
  type AccountNumbers,
  type NetworkSyncClients,
  type PostNumbers,
  type SyncedAccount,
} from './sync-networks.js';

export interface SyncSettings {
  /** Pages (20 videos each) one activity fetches and writes before handing back a cursor. */
  pagesPerActivity: number;
  /** Display API: 600 requests per minute per endpoint and token. */
  listLimit: { limit: number; windowMs: number };
  /** A video made by a publication is posted within this of the publication's publish time. */
  matchWindowMs: number;
  /** Other networks: publications whose posts one activity reads before handing back a cursor. */
  postsPerActivity: number;
  /**
   * Longest an activity waits for a network's rate window to free a call; past it the activity
   * hands back what it read (or, having read nothing, is retried by Temporal once the window frees).
   */
  maxPaceWaitMs: number;
  /** A read window other than the network's own, per network (tests, or a stricter app limit). */
  networkLimits: Partial<Record<Platform, { limit: number; windowMs: number }>>;
}

export const defaultSyncSettings: SyncSettings = {
  pagesPerActivity: 25,
  listLimit: { limit: 600, windowMs: 60_000 },
  matchWindowMs: 2 * 3600_000,
  postsPerActivity: 500,
  maxPaceWaitMs: 60_000,
  networkLimits: {},
};

export interface SyncDependencies {
  db: Database;
  vault: TokenVault;
  tiktok: TikTokClient;
  /** The other networks' clients; an account on a network without one is not synced. */
  networks?: NetworkSyncClients;
  syncSettings?: Partial<SyncSettings>;
  /** The YouTube quota publishing shares: analytics reads leave its reserve to uploads. */
  settings?: Partial<Pick<PublishSettings, 'youtubeDailyQuotaUnits' | 'youtubeQuotaReserveUnits'>>;
  now?: () => number;
  /** Owners are emailed when an account's access is revoked (in-app only without one). */
  email?: EmailSender;
  emailFrom?: string;
}

export type AccountStatsOutcome =
  | { kind: 'synced'; videoCount: number }
  | { kind: 'revoked'; reason: string }
  /** Held back without a call (YouTube's quota is down to the reserve kept for publishing). */
  | { kind: 'deferred'; reason: string };

export interface VideoPageOutcome {
  videos: number;
  /** Statements that wrote videos or snapshots (each covers a whole page batch). */
  writeStatements: number;
  cursor?: number;
  done: boolean;
  /** Why the reads stopped short without a call (YouTube's quota reserve); the next sync picks up. */
  deferred?: string;
}

/**
 * A sliding window per account of the list calls made in this process: the sync of one
 * account runs one activity at a time, so this keeps it under the Display API's limit.
 */
function createWindow() {
  const calls = new Map<string, number[]>();
  const wait = async (key: string, limit: { limit: number; windowMs: number }) => {
    for (;;) {
      const now = Date.now();
      const recent = (calls.get(key) ?? []).filter((at) => at > now - limit.windowMs);
      if (recent.length < limit.limit) {
        recent.push(now);
        calls.set(key, recent);
        return;
      }
      calls.set(key, recent);
      heartbeat();
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, recent[0]! + limit.windowMs - now + 1)));
    }
  };
  /** Takes `cost` calls when the window has room for them (0), else says how long until it has. */
  const take = (key: string, limit: { limit: number; windowMs: number }, cost: number): number => {
    const now = Date.now();
    const recent = (calls.get(key) ?? []).filter((at) => at > now - limit.windowMs);
    calls.set(key, recent);
    if (recent.length + cost <= limit.limit) {
      for (let i = 0; i < cost; i++) recent.push(now);
      return 0;
    }
    // The oldest calls that have to age out before `cost` more fit.
    return recent[recent.length + cost - limit.limit - 1]! + limit.windowMs - now + 1;
  };
  return Object.assign(wait, { take });
}

/** A platform error as a Temporal failure: refusals are final, rate limits wait as told. */
function syncFailure(error: unknown): unknown {
  if (!isPlatformError(error)) return error;
  return ApplicationFailure.create({
    message: error.reason,
    type: error.category,
    nonRetryable: error.category === 'REJECTED_BY_PLATFORM',
    nextRetryDelay: error.retryAfterMs,
  });
}

export function createSyncActivities(deps: SyncDependencies) {
  const { db, vault, tiktok } = deps;
  const settings: SyncSettings = { ...defaultSyncSettings, ...deps.syncSettings };
  const now = deps.now ?? Date.now;
  const quota = youtubeQuota(db, {
    dailyUnits: deps.settings?.youtubeDailyQuotaUnits ?? defaultPublishSettings.youtubeDailyQuotaUnits,
    reserveUnits: deps.settings?.youtubeQuotaReserveUnits ?? defaultPublishSettings.youtubeQuotaReserveUnits,
  });
  const networks = createNetworkAnalytics(deps.networks ?? {}, { youtubeMeter: quota.analyticsMeter(now) });
  const sources = new Map<string, AccessTokenSource>();
  const tokensFor = (account: SyncedAccount) => {
    let source = sources.get(account.id);
    if (!source) {
      source = createAccountTokenSource({
        db,
        vault,
        accountId: account.id,
        now,
        // Each network refreshes its own way; one that cannot leaves the account to be connected again.
        refresh: async (token) => {
          if (account.platform === 'TIKTOK') return tiktok.refresh(token);
          const refresh = networks[account.platform]?.refresh;
          if (!refresh) {
            throw new PlatformError(`${account.platform} tokens cannot be refreshed; reconnect the account`, {
              category: 'REJECTED_BY_PLATFORM',
              platform: account.platform.toLowerCase(),
              operation: 'token',
            });
          }
          const { scopes } = await db.socialAccount.findUniqueOrThrow({
            where: { id: account.id },
            select: { scopes: true },
          });
          return refresh(token, { ...account, scopes });
        },
      });
      sources.set(account.id, source);
    }
    return source;
  };
  /** The reader of a network's analytics; an account on a network this worker cannot read fails its sync. */
  const networkOf = (platform: SyncedAccount['platform']) => {
    const network = networks[platform];
    if (!network) {
      throw ApplicationFailure.nonRetryable(
        `analytics for ${platform} are not configured on this worker`,
        'REJECTED_BY_PLATFORM',
      );
    }
    return network;
  };
  const listWindow = createWindow();
  const notifier = createNotifier(deps);

  /** Marks the account revoked and tells its owners and admins (in-app and email), once per revocation. */
  async function markRevoked(accountId: string, reason: string) {
    const account = await db.socialAccount.update({
      where: { id: accountId },
      data: { status: 'REVOKED', lastError: reason, lastErrorAt: new Date() },
    });
    const revokedAt = (account.lastErrorAt ?? new Date()).toISOString().slice(0, 13);
    await notifier.notify({
      organizationId: account.organizationId,
      userIds: await notifier.members(account.organizationId, ['OWNER', 'ADMIN']),
      kind: 'social_account.revoked',
      key: `social_account.revoked:${account.id}:${revokedAt}`,
      subject: `${account.displayName || account.platformAccountId} needs to be connected again`,
      body: `Pressroom can no longer reach this ${account.platform} account (${reason}). Connect it again to keep publishing and syncing.`,
      payload: { socialAccountId: account.id },
    });
  }

  /**
   * The other networks have no list of every post with its counts to page through: the
   * account's published publications are read in publication order (the cursor is how many
   * were done) and their posts' counts asked for by the post id each publisher stored, in the
   * network's batch size and within its rate window. A post deleted on the network keeps its
   * last counts, as a TikTok video that left the list does.
   */
  async function syncNetworkPosts(
    account: SyncedAccount & { organizationId: string },
    input: { cursor?: number; capturedAtMs: number },
  ): Promise<VideoPageOutcome> {
    const network = networkOf(account.platform);
    const offset = input.cursor ?? 0;
    if (!network.posts) return { videos: 0, writeStatements: 0, done: true };
    const publications = await db.publication.findMany({
      where: { socialAccountId: account.id, state: 'PUBLISHED', platformPostId: { not: null } },
      orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }],
      skip: offset,
      take: settings.postsPerActivity + 1,
      select: { id: true, platformPostId: true, platformUrl: true, publishedAt: true, scheduledAt: true },
    });
    const batch = publications.slice(0, settings.postsPerActivity);
    const tokens = tokensFor(account);
    const limit = settings.networkLimits[account.platform] ?? network.limit;
    const read: Array<{ publication: (typeof batch)[number]; numbers: PostNumbers }> = [];
    let done = 0;
    let paused: number | undefined;
    let deferred: string | undefined;
    try {
      while (done < batch.length) {
        const chunk = batch.slice(done, done + network.batchSize);
        if (limit) {
          let waitMs = listWindow.take(account.id, limit, network.callsPerBatch);
          while (waitMs > 0 && waitMs <= settings.maxPaceWaitMs) {
            heartbeat(offset + done);
            await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, waitMs)));
            waitMs = listWindow.take(account.id, limit, network.callsPerBatch);
          }
          if (waitMs > 0) {
            paused = waitMs;
            break;
          }
        }
        heartbeat(offset + done);
        const numbers = await network.posts(
          tokens,
          account,
          chunk.map((publication) => publication.platformPostId!),
        );
        for (const publication of chunk) {
          const found = numbers.get(publication.platformPostId!);
          if (found) read.push({ publication, numbers: found });
        }
        done += chunk.length;
      }
    } catch (error) {
      // Held back at YouTube's quota reserve: keep what was read and stop without another call.
      if (!(error instanceof YouTubeQuotaReserved)) throw syncFailure(error);
      deferred = error.reason;
    }
    if (paused !== undefined && done === 0) {
      // Nothing read: let Temporal retry once the network's window has room again.
      throw ApplicationFailure.create({
        message: `${account.platform}: waiting ${Math.ceil(paused / 1000)} s for the read rate limit`,
        type: 'RATE_LIMITED',
        nextRetryDelay: paused,
      });
    }
    let writeStatements = 0;
    if (read.length) {
      const capturedAt = new Date(input.capturedAtMs);
      const rows = await db.$queryRaw<Array<{ id: string; platformVideoId: string }>>`
        INSERT INTO "PlatformVideo" ("id", "organizationId", "socialAccountId", "platform", "platformVideoId",
          "publicationId", "shareUrl", "postedAt", "viewCount", "likeCount", "commentCount", "shareCount",
          "metricsCapturedAt", "updatedAt")
        SELECT 'pv_' || md5(${account.id} || v.pid), ${account.organizationId}, ${account.id},
          ${account.platform}::"Platform", v.pid, v.publication_id, v.url, to_timestamp(v.posted / 1000.0), v.views, v.likes, v.comments,
          v.shares, ${capturedAt}, now()
        FROM unnest(
          ${read.map((r) => r.publication.platformPostId!)}::text[], ${read.map((r) => r.publication.id)}::text[],
          ${read.map((r) => r.publication.platformUrl)}::text[],
          ${read.map((r) => (r.publication.publishedAt ?? r.publication.scheduledAt).getTime())}::bigint[],
          ${read.map((r) => r.numbers.views)}::bigint[], ${read.map((r) => r.numbers.likes)}::bigint[],
          ${read.map((r) => r.numbers.comments)}::bigint[], ${read.map((r) => r.numbers.shares)}::bigint[]
        ) AS v(pid, publication_id, url, posted, views, likes, comments, shares)
        ON CONFLICT ("socialAccountId", "platformVideoId") DO UPDATE SET
          "publicationId" = COALESCE("PlatformVideo"."publicationId", EXCLUDED."publicationId"),
          "shareUrl" = COALESCE(EXCLUDED."shareUrl", "PlatformVideo"."shareUrl"),
          "viewCount" = EXCLUDED."viewCount", "likeCount" = EXCLUDED."likeCount",
          "commentCount" = EXCLUDED."commentCount", "shareCount" = EXCLUDED."shareCount",
          "metricsCapturedAt" = EXCLUDED."metricsCapturedAt", "updatedAt" = now()
        RETURNING "id", "platformVideoId"`;
      writeStatements++;
      const byPostId = new Map(read.map((r) => [r.publication.platformPostId!, r.numbers]));
      // A repeated activity (after a crash) must not double the snapshots of this capture.
      const existing = new Set(
        (
          await db.videoMetricSnapshot.findMany({
            where: { platformVideoId: { in: rows.map((row) => row.id) }, capturedAt },
            select: { platformVideoId: true },
          })
        ).map((row) => row.platformVideoId),
      );
      const snapshots = rows
        .filter((row) => !existing.has(row.id))
        .map((row) => {
          const numbers = byPostId.get(row.platformVideoId)!;
          return {
            organizationId: account.organizationId,
            platformVideoId: row.id,
            capturedAt,
            viewCount: BigInt(numbers.views),
            likeCount: BigInt(numbers.likes),
            commentCount: BigInt(numbers.comments),
            shareCount: BigInt(numbers.shares),
          };
        });
      if (snapshots.length) {
        await db.videoMetricSnapshot.createMany({ data: snapshots });
        writeStatements++;
      }
    }
    if (deferred !== undefined)
      return { videos: read.length, writeStatements, cursor: offset + done, done: true, deferred };
    const finished = paused === undefined && publications.length <= settings.postsPerActivity;
    return { videos: read.length, writeStatements, cursor: offset + done, done: finished };
  }

  return {
    /** Account stats into an AccountSnapshot; a refused token marks the account revoked. */
    async syncAccountStats(input: { socialAccountId: string }): Promise<AccountStatsOutcome> {
      const account = await db.socialAccount.findUnique({ where: { id: input.socialAccountId } });
      if (!account) throw ApplicationFailure.nonRetryable('the social account does not exist', 'NOT_FOUND');
      if (account.status === 'REVOKED' || account.status === 'DISCONNECTED') {
        return { kind: 'revoked', reason: `the account is ${account.status.toLowerCase()}` };
      }
      if (account.platform !== 'TIKTOK') {
        let numbers: AccountNumbers;
        try {
          numbers = await networkOf(account.platform).account(tokensFor(account), account);
        } catch (error) {
          if (error instanceof YouTubeQuotaReserved) return { kind: 'deferred', reason: error.reason };
          if (isPlatformError(error, 'REJECTED_BY_PLATFORM') || isPlatformError(error, 'TOKEN_EXPIRED')) {
            await markRevoked(account.id, error.reason);
            return { kind: 'revoked', reason: error.reason };
          }
          throw syncFailure(error);
        }
        await db.$transaction(async (tx) => {
          await tx.accountSnapshot.create({
            data: {
              organizationId: account.organizationId,
              socialAccountId: account.id,
              followerCount: numbers.followers,
              followingCount: numbers.following ?? 0,
              likesCount: BigInt(numbers.likes ?? 0),
              videoCount: numbers.posts ?? 0,
            },
          });
          if (numbers.displayName || numbers.username) {
            await tx.socialAccount.update({
              where: { id: account.id },
              data: {
                displayName: numbers.displayName ?? account.displayName,
                username: numbers.username ?? account.username,
              },
            });
          }
        });
        return { kind: 'synced', videoCount: numbers.posts ?? 0 };
      }
      let user;
      try {
        user = await tiktok.userInfo(tokensFor(account));
      } catch (error) {
        if (isPlatformError(error, 'REJECTED_BY_PLATFORM') || isPlatformError(error, 'TOKEN_EXPIRED')) {
          await markRevoked(account.id, error.reason);
          return { kind: 'revoked', reason: error.reason };
        }
        throw error;
      }
      await db.$transaction(async (tx) => {
        await tx.accountSnapshot.create({
          data: {
            organizationId: account.organizationId,
            socialAccountId: account.id,
            followerCount: user.follower_count ?? 0,
            followingCount: user.following_count ?? 0,
            likesCount: BigInt(user.likes_count ?? 0),
            videoCount: user.video_count ?? 0,
          },
        });
        await tx.socialAccount.update({
          where: { id: account.id },
          data: {
            displayName: user.display_name ?? account.displayName,
            username: user.username ?? account.username,
            avatarUrl: user.avatar_url ?? account.avatarUrl,
          },
        });
      });
      return { kind: 'synced', videoCount: user.video_count ?? 0 };
    },

    /**
     * Fetches up to `pagesPerActivity` pages of the video list from `cursor` and writes them:
     * one upsert statement for the videos and one createMany for their snapshots per batch.
     * Safe to repeat (the upsert is keyed on the platform's video id).
     */
    async syncVideoPages(input: {
      socialAccountId: string;
      cursor?: number;
      capturedAtMs: number;
    }): Promise<VideoPageOutcome> {
      const account = await db.socialAccount.findUniqueOrThrow({ where: { id: input.socialAccountId } });
      if (account.platform !== 'TIKTOK') return syncNetworkPosts(account, input);
      const tokens = tokensFor(account);
      const videos: TikTokVideo[] = [];
      let cursor = input.cursor;
      let done = false;
      try {
        for (let page = 0; page < settings.pagesPerActivity; page++) {
          await listWindow(account.id, settings.listLimit);
          heartbeat(cursor);
          const result = await tiktok.listVideos(tokens, { cursor, maxCount: 20 });
          videos.push(...result.videos);
          cursor = result.cursor;
          if (!result.has_more) {
            done = true;
            break;
          }
        }
      } catch (error) {
        if (isPlatformError(error)) {
          throw ApplicationFailure.create({
            message: error.reason,
            type: error.category,
            nonRetryable: error.category === 'REJECTED_BY_PLATFORM',
            nextRetryDelay: error.retryAfterMs,
          });
        }
        throw error;
      }
      let writeStatements = 0;
      if (videos.length) {
        const capturedAt = new Date(input.capturedAtMs);
        // A page may repeat a video when new ones arrive while paging: keep one of each.
        const unique = [...new Map(videos.map((video) => [video.id, video])).values()];
        const rows = await db.$queryRaw<Array<{ id: string; platformVideoId: string }>>`
          INSERT INTO "PlatformVideo" ("id", "organizationId", "socialAccountId", "platform", "platformVideoId",
            "title", "description", "shareUrl", "coverImageUrl", "durationSec", "postedAt",
            "viewCount", "likeCount", "commentCount", "shareCount", "metricsCapturedAt", "updatedAt")
          SELECT 'pv_' || md5(${account.id} || v.vid), ${account.organizationId}, ${account.id}, 'TIKTOK'::"Platform", v.vid,
            v.title, v.description, v.share_url, v.cover, v.duration, to_timestamp(v.created),
            v.views, v.likes, v.comments, v.shares, ${capturedAt}, now()
          FROM unnest(
            ${unique.map((v) => v.id)}::text[], ${unique.map((v) => v.title ?? '')}::text[],
            ${unique.map((v) => v.video_description ?? '')}::text[], ${unique.map((v) => v.share_url ?? null)}::text[],
            ${unique.map((v) => v.cover_image_url ?? null)}::text[], ${unique.map((v) => v.duration ?? null)}::int[],
            ${unique.map((v) => v.create_time ?? 0)}::bigint[], ${unique.map((v) => v.view_count ?? 0)}::bigint[],
            ${unique.map((v) => v.like_count ?? 0)}::bigint[], ${unique.map((v) => v.comment_count ?? 0)}::bigint[],
            ${unique.map((v) => v.share_count ?? 0)}::bigint[]
          ) AS v(vid, title, description, share_url, cover, duration, created, views, likes, comments, shares)
          ON CONFLICT ("socialAccountId", "platformVideoId") DO UPDATE SET
            "title" = EXCLUDED."title", "description" = EXCLUDED."description", "shareUrl" = EXCLUDED."shareUrl",
            "coverImageUrl" = EXCLUDED."coverImageUrl", "viewCount" = EXCLUDED."viewCount",
            "likeCount" = EXCLUDED."likeCount", "commentCount" = EXCLUDED."commentCount",
            "shareCount" = EXCLUDED."shareCount", "metricsCapturedAt" = EXCLUDED."metricsCapturedAt",
            "updatedAt" = now()
          RETURNING "id", "platformVideoId"`;
        writeStatements++;
        const byPlatformId = new Map(unique.map((video) => [video.id, video]));
        // A repeated activity (after a crash) must not double the snapshots of this capture.
        const existing = new Set(
          (
            await db.videoMetricSnapshot.findMany({
              where: { platformVideoId: { in: rows.map((row) => row.id) }, capturedAt },
              select: { platformVideoId: true },
            })
          ).map((row) => row.platformVideoId),
        );
        const snapshots = rows
          .filter((row) => !existing.has(row.id))
          .map((row) => {
            const video = byPlatformId.get(row.platformVideoId)!;
            return {
              organizationId: account.organizationId,
              platformVideoId: row.id,
              capturedAt,
              viewCount: BigInt(video.view_count ?? 0),
              likeCount: BigInt(video.like_count ?? 0),
              commentCount: BigInt(video.comment_count ?? 0),
              shareCount: BigInt(video.share_count ?? 0),
            };
          });
        if (snapshots.length) {
          await db.videoMetricSnapshot.createMany({ data: snapshots });
          writeStatements++;
        }
      }
      return { videos: videos.length, writeStatements, ...(cursor !== undefined ? { cursor } : {}), done };
    },

    /**
     * Links platform videos to the publications that made them: by the post id the platform
     * reported at publish time, else by the text we sent and a time window around the publish.
     */
    async matchVideos(input: { socialAccountId: string }): Promise<{ matched: number }> {
      const windowSec = settings.matchWindowMs / 1000;
      const byId = await db.$executeRaw`
        UPDATE "PlatformVideo" v SET "publicationId" = p.id
        FROM "Publication" p
        WHERE v."socialAccountId" = ${input.socialAccountId} AND v."publicationId" IS NULL
          AND p."socialAccountId" = v."socialAccountId" AND p."platformPostId" = v."platformVideoId"`;
      // The text each publication sent is in its successful attempt's request (matchText).
      const byCaption = await db.$executeRaw`
        WITH candidates AS (
          SELECT DISTINCT ON (p.id) p.id AS publication_id, v.id AS video_id
          FROM "Publication" p
          JOIN "PublishAttempt" a ON a."publicationId" = p.id AND a.status = 'SUCCEEDED'
          JOIN "PlatformVideo" v ON v."socialAccountId" = p."socialAccountId" AND v."publicationId" IS NULL
            AND (v.description = a.request->>'matchText' OR v.title = a.request->>'matchText')
            AND abs(extract(epoch FROM v."postedAt" - p."publishedAt")) <= ${windowSec}
          WHERE p."socialAccountId" = ${input.socialAccountId} AND p.state = 'PUBLISHED'
            AND NOT EXISTS (SELECT 1 FROM "PlatformVideo" linked WHERE linked."publicationId" = p.id)
          ORDER BY p.id, abs(extract(epoch FROM v."postedAt" - p."publishedAt"))
        )
        UPDATE "PlatformVideo" v SET "publicationId" = c.publication_id
        FROM candidates c WHERE v.id = c.video_id`;
      // A publication learns the id and link of the video it made (a publish may not have:
      // TikTok reports the id only after moderation, and never for SELF_ONLY posts).
      const filled = await db.$queryRaw<Array<{ id: string; organizationId: string; postId: string }>>`
        UPDATE "Publication" p
        SET "platformPostId" = COALESCE(p."platformPostId", v."platformVideoId"),
            "platformUrl" = COALESCE(p."platformUrl", v."shareUrl"), "updatedAt" = now()
        FROM "PlatformVideo" v
        WHERE v."publicationId" = p.id AND p."socialAccountId" = ${input.socialAccountId}
          AND (p."platformPostId" IS NULL OR (p."platformUrl" IS NULL AND v."shareUrl" IS NOT NULL))
          AND (p."platformPostId" IS NULL OR p."platformPostId" = v."platformVideoId")
        RETURNING p.id, p."organizationId", p."postId"`;
      if (filled.length) {
        await db.$transaction(async (tx) => {
          for (const publication of filled) {
            await emitEvent(tx, {
              kind: 'publication.changed',
              organizationId: publication.organizationId,
              payload: { publicationId: publication.id, postId: publication.postId },
            });
          }
        });
      }
      return { matched: byId + byCaption };
    },

    async finishSync(input: { socialAccountId: string; capturedAtMs: number }): Promise<void> {
      await db.$transaction(async (tx) => {
        const account = await tx.socialAccount.update({
          where: { id: input.socialAccountId },
          data: { lastSyncedAt: new Date(input.capturedAtMs) },
        });
        await emitEvent(tx, {
          kind: 'metrics.updated',
          organizationId: account.organizationId,
          payload: { socialAccountId: account.id },
        });
      });
    },
  };
}

export type SyncActivities = ReturnType<typeof createSyncActivities>;
