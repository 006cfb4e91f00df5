import { ApplicationFailure } from '@temporalio/common';
import { heartbeat } from '@temporalio/activity';
import type { Database } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import type { TokenVault } from '@pressroom/db/vault';
import { createAccountTokenSource } from '../platforms/accounts.js';
import { isPlatformError } from '../platforms/errors.js';
import type { AccessTokenSource } from '../platforms/tokens.js';
import type { EmailSender } from '../platforms/email/index.js';
import { createNotifier } from './notifications.js';
import type { TikTokClient, TikTokVideo } from '../platforms/tiktok/index.js';

export interface SyncSettings {
  /** Pages (20 videos each) one activity fetches and writes before handing back a cursor. */
  pagesPerActivity: number;
  /** Display API: 600 requests per minute per endpoint and token. */
  listLimit: { limit: number; windowMs: number };
  /** A video made by a publication is posted within this of the publication's publish time. */
  matchWindowMs: number;
}

export const defaultSyncSettings: SyncSettings = {
  pagesPerActivity: 25,
  listLimit: { limit: 600, windowMs: 60_000 },
  matchWindowMs: 2 * 3600_000,
};

export interface SyncDependencies {
  db: Database;
  vault: TokenVault;
  tiktok: TikTokClient;
  syncSettings?: Partial<SyncSettings>;
  now?: () => number;
  /** Owners are emailed when an account's access is revoked (in-app only without one). */
  email?: EmailSender;
  emailFrom?: string;
}

export type AccountStatsOutcome = { kind: 'synced'; videoCount: number } | { kind: 'revoked'; reason: string };

export interface VideoPageOutcome {
  videos: number;
  /** Statements that wrote videos or snapshots (each covers a whole page batch). */
  writeStatements: number;
  cursor?: number;
  done: boolean;
}

/**
 * A sliding window per account of the list calls made in this process: the sync of one
 * account runs one activity at a time, so this keeps it under the Display API's limit.
 */
function createWindow() {
  const calls = new Map<string, number[]>();
  return async (key: string, limit: { limit: number; windowMs: number }) => {
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
}

export function createSyncActivities(deps: SyncDependencies) {
  const { db, vault, tiktok } = deps;
  const settings: SyncSettings = { ...defaultSyncSettings, ...deps.syncSettings };
  const now = deps.now ?? Date.now;
  const sources = new Map<string, AccessTokenSource>();
  const tokensFor = (accountId: string) => {
    let source = sources.get(accountId);
    if (!source) {
      source = createAccountTokenSource({ db, vault, accountId, now, refresh: (token) => tiktok.refresh(token) });
      sources.set(accountId, source);
    }
    return source;
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

  return {
    /** Account stats into an AccountSnapshot; a refused token marks the account revoked. */
    async syncAccountStats(input: { socialAccountId: string }): Promise<AccountStatsOutcome> {
      const account = await db.socialAccount.findUnique({ where: { id: input.socialAccountId } });
      if (!account) throw ApplicationFailure.nonRetryable('the social account does not exist', 'NOT_FOUND');
      if (account.status === 'REVOKED' || account.status === 'DISCONNECTED') {
        return { kind: 'revoked', reason: `the account is ${account.status.toLowerCase()}` };
      }
      let user;
      try {
        user = await tiktok.userInfo(tokensFor(account.id));
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
      const tokens = tokensFor(account.id);
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
