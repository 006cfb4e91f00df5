import { activityInfo, getClient, heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Database, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { settlePostStatus } from '@pressroom/db/post-status';
import type { TokenVault } from '@pressroom/db/vault';
import { createAccountTokenSource } from '../platforms/accounts.js';
import { isPlatformError, PlatformError, type FailureCategory } from '../platforms/errors.js';
import { networkLimits } from '../platforms/limits.js';
import type { AccessTokenSource } from '../platforms/tokens.js';
import type { EmailSender } from '../platforms/email/index.js';
import { createNotifier } from './notifications.js';
import {
  planVideoChunks,
  type TikTokClient,
  type TikTokPrivacyLevel,
  type TikTokVideo,
} from '../platforms/tiktok/index.js';
import type { ObjectStorage } from '../storage/index.js';
import { publicationWorkflowId } from '../client.js';
import { createNetworkPublishActivities, type NetworkPublishRecord } from './network-publish.js';
import { createPublishers, type PublisherClients } from './publishers/index.js';
import type { NetworkState } from './publishers/types.js';
import {
  rateGateWorkflow,
  rateGateWorkflowId,
  releasePermitSignal,
  requestPermitSignal,
  type RateGateInput,
} from '../workflows/rate-gate.js';

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** The TikTok Content Posting endpoints that have a per-token limit of their own. */
export type TikTokGate = 'creator_info' | 'init' | 'status';

export interface PublishSettings {
  /** PLATFORMS.md: creator_info 20/min, init 6/min, status/fetch 30/min per user token. */
  tiktokLimits: Record<TikTokGate, RateLimit>;
  /** A permit holder that neither answers nor releases within this is presumed dead. */
  gateLeaseMs: number;
  gateIdleMs: number;
  pollInitialMs: number;
  pollMaxMs: number;
  /** Still processing after this long: the attempt ends OUTCOME_UNKNOWN (a retry resumes polling). */
  pollTimeoutMs: number;
  /** How long to look for a post whose init answer was lost before concluding it was not made. */
  reconcileWindowMs: number;
  reconcileIntervalMs: number;
  /** Tries per publication without an operator (after rate limits and transient failures). */
  automaticAttempts: number;
  automaticRetryDelayMs: number;
  /** How long a FAILED publication's workflow waits for an operator's retry before it ends. */
  failedWaitMs: number;
  preferredPrivacy: TikTokPrivacyLevel;
  videoChunkBytes: number;
  photoUrlTtlSeconds: number;
  /** The YouTube project's daily quota in units (an upload costs 1 600); it resets at midnight Pacific. */
  youtubeDailyQuotaUnits: number;
  /** Units of it the analytics sync leaves for publishing (one upload by default). */
  youtubeQuotaReserveUnits: number;
  /** A multiple of 256 KiB. */
  youtubeChunkBytes: number;
  youtubePrivacy: 'public' | 'unlisted' | 'private';
}

export const defaultPublishSettings: PublishSettings = {
  tiktokLimits: {
    creator_info: { limit: 20, windowMs: 60_000 },
    init: { limit: 6, windowMs: 60_000 },
    status: { limit: 30, windowMs: 60_000 },
  },
  gateLeaseMs: 2 * 60_000,
  gateIdleMs: 10 * 60_000,
  pollInitialMs: 2_000,
  pollMaxMs: 30_000,
  pollTimeoutMs: 2 * 3600_000,
  reconcileWindowMs: 10 * 60_000,
  reconcileIntervalMs: 30_000,
  automaticAttempts: 3,
  automaticRetryDelayMs: 60_000,
  failedWaitMs: 7 * 24 * 3600_000,
  preferredPrivacy: 'PUBLIC_TO_EVERYONE',
  videoChunkBytes: 10 * 1024 * 1024,
  photoUrlTtlSeconds: 3600,
  youtubeDailyQuotaUnits: 10_000,
  youtubeQuotaReserveUnits: 1600,
  youtubeChunkBytes: 8 * 1024 * 1024,
  youtubePrivacy: 'public',
};

export interface PublishDependencies {
  db: Database;
  vault: TokenVault;
  tiktok: TikTokClient;
  storage: ObjectStorage;
  /** The task queue rate gates run on (the worker's own). */
  taskQueue: string;
  settings?: Partial<PublishSettings>;
  /** The clock token expiry is judged on. */
  now?: () => number;
  /** Owners and admins are emailed when a publication fails (in-app only without one). */
  email?: EmailSender;
  emailFrom?: string;
  /** The other networks' clients; a network without one cannot be published to. */
  networks?: PublisherClients;
}

export interface PublicationPlan {
  publicationId: string;
  organizationId: string;
  socialAccountId: string;
  platform: string;
  state: string;
  scheduledAtMs: number;
  settings: PublishSettings;
}

export interface AttemptSummary {
  attemptId: string;
  number: number;
  publishId: string | null;
  /** An init was sent and its answer never recorded: look on the platform before anything else. */
  initUnresolved: boolean;
  uploadComplete: boolean;
  isVideo: boolean;
  /** Networks other than TikTok: a publish call went out and its answer was never recorded. */
  publishUnresolved?: boolean;
}

export type InitOutcome =
  | { kind: 'initialised'; publishId: string }
  | { kind: 'unknown'; reason: string }
  | { kind: 'refused'; category: FailureCategory; reason: string; retryAfterMs?: number };

export type ReconcileOutcome =
  { kind: 'publish-id'; publishId: string } | { kind: 'video'; videoId: string; url?: string } | { kind: 'not-found' };

export interface StatusOutcome {
  status: string;
  failCategory?: FailureCategory;
  failReason?: string;
  /** The post a completed publish made, and its link, when they could be learned. */
  postId?: string;
  postUrl?: string;
}

export type AttemptResult =
  | { status: 'SUCCEEDED'; platformPostId?: string; platformUrl?: string; platformPublishId?: string }
  | {
      status: 'FAILED' | 'OUTCOME_UNKNOWN';
      category: FailureCategory | 'CANCELLED';
      reason: string;
      /**
       * An init went out and nobody could look for what it made: the next attempt must look
       * on the platform before it sends anything.
       */
      lookFirst?: boolean;
    };

interface InitRequestRecord {
  endpoint: 'video/init' | 'content/init';
  /** What the post's text will read on the platform: how a lost post is recognised. */
  matchText: string;
  sentAtMs: number;
  postInfo: Record<string, unknown>;
  source: Record<string, unknown>;
}

interface InitResponseRecord {
  /** Set when the attempt ended before anyone could look for the post its init may have made. */
  lookFirst?: boolean;
  publish_id?: string;
  upload_url?: string;
  uploadComplete?: boolean;
  status?: string;
  fail_reason?: string;
  code?: string;
  message?: string;
}

/**
 * A platform error as the workflow sees it: the category is the failure's type; a refusal or
 * a dead token is not retried by Temporal (the workflow decides), anything else is.
 */
function toFailure(error: PlatformError): ApplicationFailure {
  const category = error.operation === 'token' ? 'TOKEN_EXPIRED' : error.category;
  return ApplicationFailure.create({
    message: error.reason,
    type: category,
    nonRetryable: category === 'REJECTED_BY_PLATFORM' || category === 'TOKEN_EXPIRED',
    nextRetryDelay: error.retryAfterMs,
  });
}

/** What the platform says about an attempt's post when someone asks again. */
type PlatformAnswer =
  | { kind: 'published'; postId?: string; postUrl?: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'in-progress' }
  | { kind: 'not-found' }
  | { kind: 'nothing-sent' }
  | { kind: 'unreachable'; reason: string };

/** What a check of a publication found and did. */
export interface PublicationCheck {
  state: string;
  /** The publish workflow's status (RUNNING, COMPLETED, TERMINATED, ... or NOT_FOUND). */
  workflowStatus: string;
  /** What the platform answered, when it was asked. */
  platform?: PlatformAnswer['kind'];
  /** True when the check changed the publication (repaired it or found it published). */
  changed: boolean;
}

/** A rate gate's permit, as the workflow hands it to the activity that makes the paced call. */
export interface Permit {
  gateWorkflowId: string;
  requestId: string;
  /** Epoch ms (wall clock) before which the call must not be sent. */
  notBeforeMs: number;
}

/**
 * Makes a paced call: waits (heartbeating) for the permit's slot, sends, and releases the
 * permit with the time the answer came, straight from here, so the next holder's slot is
 * counted from the real answer and the gate does not wait for this activity to be recorded.
 * (The workflow releases again when the activity is recorded: a backup the gate ignores.)
 */
async function withPermit<T>(permit: Permit | undefined, call: () => Promise<T>): Promise<T> {
  if (!permit) return call();
  for (;;) {
    const wait = permit.notBeforeMs - Date.now();
    if (wait <= 0) break;
    heartbeat();
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1_000)));
  }
  try {
    return await call();
  } finally {
    await getClient()
      .workflow.getHandle(permit.gateWorkflowId)
      .signal(releasePermitSignal, { requestId: permit.requestId, answeredAtMs: Date.now() })
      .catch(() => undefined);
  }
}

/** `progress` is what each heartbeat carries (the last one is what a retry starts from). */
async function platformCall<T>(call: () => Promise<T>, progress?: () => unknown): Promise<T> {
  // Heartbeats let Temporal notice a dead worker within the heartbeat timeout instead of the
  // start-to-close timeout.
  heartbeat(progress?.());
  const timer = setInterval(() => heartbeat(progress?.()), 1_000);
  try {
    return await call();
  } catch (error) {
    if (isPlatformError(error)) throw toFailure(error);
    throw error;
  } finally {
    clearInterval(timer);
  }
}

function captionOf(post: { caption: string; hashtags: string[] }): string {
  const tags = post.hashtags.map((tag) => (tag.startsWith('#') ? tag : `#${tag}`)).join(' ');
  return [post.caption.trim(), tags].filter(Boolean).join(' ');
}

type Tx = Prisma.TransactionClient;

interface FailedPublication {
  publication: { id: string; organizationId: string; postId: string; platform: string };
  attemptNumber: number;
  category: FailureCategory | 'CANCELLED';
  reason: string;
}

export function createPublishActivities(deps: PublishDependencies) {
  const { db, vault, tiktok, storage } = deps;
  const settings: PublishSettings = { ...defaultPublishSettings, ...deps.settings };
  const publishers = createPublishers({ ...deps.networks, tiktok }, { db, storage, settings });
  const now = deps.now ?? Date.now;
  const notifier = createNotifier(deps);

  /** Owners and admins learn that a publication failed and why: they are who can retry it. */
  async function tellOperators(failed: FailedPublication) {
    if (failed.category === 'CANCELLED') return;
    const post = await db.post.findUnique({ where: { id: failed.publication.postId }, select: { title: true } });
    const what = post?.title ? `“${post.title}”` : 'A post';
    await notifier.notify({
      organizationId: failed.publication.organizationId,
      userIds: await notifier.members(failed.publication.organizationId, ['OWNER', 'ADMIN']),
      kind: 'publication.failed',
      key: `publication.failed:${failed.publication.id}:${failed.attemptNumber}`,
      subject: `${what} could not be published on ${failed.publication.platform}`,
      body:
        failed.category === 'OUTCOME_UNKNOWN'
          ? `Attempt ${failed.attemptNumber} ended without knowing whether ${failed.publication.platform} made the post: ${failed.reason}. Check the publication, mark it published with its link, or retry it (a retry looks for the post first).`
          : `Attempt ${failed.attemptNumber} failed (${failed.category}): ${failed.reason}. Retry it from the publication once the cause is fixed.`,
      payload: { publicationId: failed.publication.id, postId: failed.publication.postId, category: failed.category },
    });
  }

  const tokenSources = new Map<string, AccessTokenSource>();
  const tokensFor = (socialAccountId: string) => {
    let source = tokenSources.get(socialAccountId);
    if (!source) {
      source = createAccountTokenSource({
        db,
        vault,
        accountId: socialAccountId,
        now,
        // Each network refreshes its own way; the account's platform says which.
        refresh: async (refreshToken) => {
          const { platform, platformAccountId, scopes } = await db.socialAccount.findUniqueOrThrow({
            where: { id: socialAccountId },
            select: { platform: true, platformAccountId: true, scopes: true },
          });
          const publisher = publishers[platform];
          if (!publisher?.refreshTokens) {
            throw new PlatformError(`${platform} tokens cannot be refreshed; reconnect the account`, {
              category: 'REJECTED_BY_PLATFORM',
              platform: platform.toLowerCase(),
              operation: 'token',
            });
          }
          return publisher.refreshTokens(refreshToken, { platformAccountId, scopes });
        },
      });
      tokenSources.set(socialAccountId, source);
    }
    return source;
  };

  const networks = createNetworkPublishActivities({
    db,
    storage,
    settings,
    now,
    publishers,
    tokensFor: (socialAccountId) => tokensFor(socialAccountId),
    withPermit,
    announce: (tx, publication) => announce(tx, publication),
  });

  async function loadAttempt(attemptId: string) {
    const attempt = await db.publishAttempt.findUnique({
      where: { id: attemptId },
      include: {
        publication: {
          include: {
            post: {
              include: {
                slides: { orderBy: { position: 'asc' }, include: { media: true } },
                media: { where: { kind: 'VIDEO', status: 'READY' }, orderBy: { createdAt: 'desc' }, take: 1 },
              },
            },
          },
        },
      },
    });
    if (!attempt) throw ApplicationFailure.nonRetryable(`publish attempt ${attemptId} does not exist`, 'NOT_FOUND');
    return attempt;
  }

  async function announce(tx: Tx, publication: { id: string; organizationId: string; postId: string }) {
    await emitEvent(tx, {
      kind: 'publication.changed',
      organizationId: publication.organizationId,
      payload: { publicationId: publication.id, postId: publication.postId },
    });
  }

  /**
   * The creator's recent video with the text the attempt's init sent, posted after it was
   * sent and not already another publication's; undefined when there is none.
   */
  async function videoMadeBy(attempt: Awaited<ReturnType<typeof loadAttempt>>): Promise<TikTokVideo | undefined> {
    const request = attempt.request as unknown as InitRequestRecord | null;
    if (!request) return undefined;
    // Clocks differ a little between us and the platform.
    const sinceSec = Math.floor((request.sentAtMs - 5 * 60_000) / 1000);
    const taken = new Set(
      (
        await db.platformVideo.findMany({
          where: {
            socialAccountId: attempt.publication.socialAccountId,
            publicationId: { not: null, notIn: [attempt.publicationId] },
          },
          select: { platformVideoId: true },
        })
      ).map((video) => video.platformVideoId),
    );
    const tokens = tokensFor(attempt.publication.socialAccountId);
    let cursor: number | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await platformCall(() => tiktok.listVideos(tokens, { cursor, maxCount: 20 }));
      for (const video of result.videos) {
        const text = request.endpoint === 'content/init' ? video.video_description : video.title;
        if (text === request.matchText && (video.create_time ?? 0) >= sinceSec && !taken.has(video.id)) return video;
      }
      const oldest = result.videos[result.videos.length - 1]?.create_time ?? 0;
      if (!result.has_more || oldest < sinceSec) break;
      cursor = result.cursor;
    }
    return undefined;
  }

  /**
   * The id and link of the post a completed publish made: the id from the status answer
   * (there only once moderation passed, never for SELF_ONLY), else the video list; the link
   * from the video itself. Best effort: the account's next sync fills in what this misses.
   */
  async function madePost(
    attempt: Awaited<ReturnType<typeof loadAttempt>>,
    statusPostId: string | undefined,
  ): Promise<{ postId?: string; postUrl?: string }> {
    try {
      const tokens = tokensFor(attempt.publication.socialAccountId);
      const video = statusPostId
        ? (await platformCall(() => tiktok.queryVideos(tokens, [statusPostId], ['id', 'share_url'])))[0]
        : await videoMadeBy(attempt);
      const postId = statusPostId ?? video?.id;
      return {
        ...(postId ? { postId } : {}),
        ...(video?.share_url ? { postUrl: video.share_url } : {}),
      };
    } catch {
      return statusPostId ? { postId: statusPostId } : {};
    }
  }

  /** Asks the platform what became of an attempt's post, without sending anything new. */
  async function askPlatform(attemptId: string): Promise<PlatformAnswer> {
    const attempt = await loadAttempt(attemptId);
    // TikTok attempts made through its publisher have a network publish record (publishSentAtMs).
    const viaPublisher = (attempt.request as { publishSentAtMs?: number } | null)?.publishSentAtMs !== undefined;
    if (attempt.publication.platform !== 'TIKTOK' || viaPublisher) return networks.ask(attemptId);
    try {
      if (attempt.platformPublishId) {
        const publishId = attempt.platformPublishId;
        const status = await platformCall(() =>
          tiktok.fetchPublishStatus(tokensFor(attempt.publication.socialAccountId), publishId),
        );
        if (status.status === 'PUBLISH_COMPLETE' || status.status === 'SEND_TO_USER_INBOX') {
          const made =
            status.status === 'PUBLISH_COMPLETE'
              ? await madePost(attempt, status.publicaly_available_post_id?.[0]?.toString())
              : {};
          return { kind: 'published', ...made };
        }
        if (status.status === 'FAILED') return { kind: 'refused', reason: status.fail_reason ?? 'failed' };
        return { kind: 'in-progress' };
      }
      // No request, or one the platform answered without a publish_id (a refusal): nothing made.
      if (attempt.request === null || attempt.responseCode !== null) return { kind: 'nothing-sent' };
      const video = await videoMadeBy(attempt);
      return video
        ? { kind: 'published', postId: video.id, ...(video.share_url ? { postUrl: video.share_url } : {}) }
        : { kind: 'not-found' };
    } catch (error) {
      const cause = error as { message?: string };
      return { kind: 'unreachable', reason: cause.message ?? String(error) };
    }
  }

  /** The platform has the post: the attempt succeeded and the publication is PUBLISHED. */
  async function settlePublished(attemptId: string, made: { postId?: string; postUrl?: string }): Promise<boolean> {
    return db.$transaction(async (tx) => {
      const attempt = await tx.publishAttempt.findUniqueOrThrow({
        where: { id: attemptId },
        include: { publication: true },
      });
      const publication = attempt.publication;
      const finishedAt = new Date();
      const moved = await tx.publication.updateMany({
        where: { id: publication.id, state: { in: ['SCHEDULED', 'PUBLISHING', 'FAILED'] } },
        data: {
          state: 'PUBLISHED',
          publishedAt: finishedAt,
          failureCategory: null,
          failureReason: null,
          ...(made.postId ? { platformPostId: made.postId } : {}),
          ...(made.postUrl ? { platformUrl: made.postUrl } : {}),
        },
      });
      if (moved.count === 0) return false;
      await tx.publishAttempt.update({
        where: { id: attempt.id },
        data: {
          status: 'SUCCEEDED',
          finishedAt: attempt.finishedAt ?? finishedAt,
          failureCategory: null,
          failureReason: null,
        },
      });
      await settlePostStatus(tx, publication.postId);
      await announce(tx, publication);
      return true;
    });
  }

  /**
   * Ends a publication whose run ended without recording an outcome: its open attempt is
   * closed, it is FAILED with the reason, and the operators are told. Only a publication still
   * SCHEDULED or PUBLISHING is touched (whatever recorded an outcome first stands).
   */
  async function closeStranded(
    publicationId: string,
    failure: { category: FailureCategory; reason: string; unknown: boolean; lookFirst: boolean },
  ): Promise<boolean> {
    const failedFor = await db.$transaction(async (tx): Promise<FailedPublication | null> => {
      await tx.$executeRaw`SELECT 1 FROM "Publication" WHERE id = ${publicationId} FOR UPDATE`;
      const publication = await tx.publication.findUniqueOrThrow({ where: { id: publicationId } });
      if (publication.state !== 'SCHEDULED' && publication.state !== 'PUBLISHING') return null;
      const open = await tx.publishAttempt.findMany({ where: { publicationId, status: 'RUNNING' } });
      for (const attempt of open) {
        await tx.publishAttempt.update({
          where: { id: attempt.id },
          data: {
            status: failure.unknown ? 'OUTCOME_UNKNOWN' : 'FAILED',
            failureCategory: failure.category,
            failureReason: failure.reason,
            finishedAt: new Date(),
            ...(failure.lookFirst ? { response: { ...responseOf(attempt), lookFirst: true } } : {}),
          },
        });
      }
      await tx.publication.update({
        where: { id: publicationId },
        data: { state: 'FAILED', failureCategory: failure.category, failureReason: failure.reason },
      });
      await settlePostStatus(tx, publication.postId);
      await announce(tx, publication);
      const last = await tx.publishAttempt.findFirst({ where: { publicationId }, orderBy: { number: 'desc' } });
      return { publication, attemptNumber: last?.number ?? 0, category: failure.category, reason: failure.reason };
    });
    if (failedFor) await tellOperators(failedFor);
    return failedFor !== null;
  }

  /** The publish workflow's status as Temporal reports it; NOT_FOUND when it has none. */
  async function workflowStatusOf(publicationId: string): Promise<string> {
    try {
      const description = await getClient().workflow.getHandle(publicationWorkflowId(publicationId)).describe();
      return description.status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'NOT_FOUND';
      throw error;
    }
  }

  const responseOf = (attempt: { response: Prisma.JsonValue }): InitResponseRecord =>
    (attempt.response ?? {}) as InitResponseRecord;

  return {
    ...networks.activities,

    async loadPublication(input: { publicationId: string; workflowId: string }): Promise<PublicationPlan> {
      const publication = await db.publication.findUnique({ where: { id: input.publicationId } });
      if (!publication) {
        throw ApplicationFailure.nonRetryable(`publication ${input.publicationId} does not exist`, 'NOT_FOUND');
      }
      if (publication.platform !== 'TIKTOK' && !publishers[publication.platform]) {
        throw ApplicationFailure.nonRetryable(
          `publishing to ${publication.platform} is not supported yet`,
          'REJECTED_BY_PLATFORM',
        );
      }
      if (publication.workflowId !== input.workflowId) {
        await db.publication.update({ where: { id: publication.id }, data: { workflowId: input.workflowId } });
      }
      return {
        publicationId: publication.id,
        organizationId: publication.organizationId,
        socialAccountId: publication.socialAccountId,
        platform: publication.platform,
        state: publication.state,
        scheduledAtMs: publication.scheduledAt.getTime(),
        settings,
      };
    },

    async persistSchedule(input: { publicationId: string; scheduledAtMs: number }): Promise<void> {
      await db.$transaction(async (tx) => {
        const publication = await tx.publication.update({
          where: { id: input.publicationId },
          data: { scheduledAt: new Date(input.scheduledAtMs) },
        });
        await tx.post.update({
          where: { id: publication.postId },
          data: { scheduledAt: new Date(input.scheduledAtMs) },
        });
        await announce(tx, publication);
      });
    },

    async markCancelled(input: { publicationId: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const publication = await tx.publication.update({
          where: { id: input.publicationId },
          data: { state: 'CANCELLED', failureCategory: 'CANCELLED', failureReason: 'cancelled before publishing' },
        });
        await tx.publishAttempt.updateMany({
          where: { publicationId: input.publicationId, status: 'RUNNING' },
          data: {
            status: 'FAILED',
            failureCategory: 'CANCELLED',
            failureReason: 'cancelled',
            finishedAt: new Date(),
          },
        });
        await announce(tx, publication);
      });
    },

    /**
     * Opens the publication's next attempt, or returns the one still RUNNING (a retried
     * activity, or a run that died mid-attempt): one attempt is open at a time, and an
     * unresolved one must be finished, never abandoned. An attempt that ended OUTCOME_UNKNOWN
     * while the platform still had its post passes that publish_id on, so a retry resumes
     * it instead of posting again.
     */
    async startAttempt(input: { publicationId: string; triggeredById: string | null }): Promise<AttemptSummary> {
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM "Publication" WHERE id = ${input.publicationId} FOR UPDATE`;
        const publication = await tx.publication.findUniqueOrThrow({
          where: { id: input.publicationId },
          include: { post: { select: { format: true } } },
        });
        const isVideo = publication.post.format === 'VIDEO' || publication.post.format === 'SCRIPT';
        const summary = (attempt: {
          id: string;
          number: number;
          platformPublishId: string | null;
          request: Prisma.JsonValue;
          responseCode: number | null;
          response: Prisma.JsonValue;
        }): AttemptSummary => ({
          attemptId: attempt.id,
          number: attempt.number,
          publishId: attempt.platformPublishId,
          initUnresolved: !attempt.platformPublishId && attempt.request !== null && attempt.responseCode === null,
          uploadComplete: responseOf(attempt).uploadComplete === true,
          isVideo,
          ...(publication.platform !== 'TIKTOK'
            ? {
                publishUnresolved:
                  (attempt.request as unknown as NetworkPublishRecord | null)?.publishSentAtMs !== undefined &&
                  attempt.responseCode === null &&
                  !(attempt.response as NetworkState | null)?.postId,
              }
            : {
                // Either record (the older init's or the publisher's) sent without an answer.
                publishUnresolved:
                  !attempt.platformPublishId && attempt.request !== null && attempt.responseCode === null,
              }),
        });
        const open = await tx.publishAttempt.findFirst({
          where: { publicationId: input.publicationId, status: 'RUNNING' },
          orderBy: { number: 'desc' },
        });
        if (open) return summary(open);
        const last = await tx.publishAttempt.findFirst({
          where: { publicationId: input.publicationId },
          orderBy: { number: 'desc' },
        });
        const inherit = last?.status === 'OUTCOME_UNKNOWN' && last.platformPublishId;
        // An init nobody could look for: the new attempt takes its request, so it looks first.
        const lookFirst = last?.status === 'OUTCOME_UNKNOWN' && !inherit && responseOf(last).lookFirst === true;
        const attempt = await tx.publishAttempt.create({
          data: {
            publicationId: input.publicationId,
            number: (last?.number ?? 0) + 1,
            triggeredById: input.triggeredById,
            ...(inherit
              ? {
                  platformPublishId: last.platformPublishId,
                  request: last.request ?? undefined,
                  response: last.response ?? undefined,
                  responseCode: last.responseCode,
                  step: 'POLL',
                }
              : lookFirst
                ? { request: last.request ?? undefined, step: 'RECONCILE' }
                : {}),
          },
        });
        await tx.publication.update({
          where: { id: input.publicationId },
          data: { state: 'PUBLISHING', attemptCount: attempt.number, failureCategory: null, failureReason: null },
        });
        await settlePostStatus(tx, publication.postId);
        await announce(tx, publication);
        return summary(attempt);
      });
    },

    /** Refreshes the account's token when it is about to expire (the rotated refresh token is stored first). */
    async ensureFreshToken(input: { socialAccountId: string; attemptId: string }): Promise<void> {
      const attempt = await db.publishAttempt.update({
        where: { id: input.attemptId },
        data: { step: 'TOKEN' },
        select: { publication: { select: { platform: true } } },
      });
      if (publishers[attempt.publication.platform]?.tokenless) return;
      await platformCall(() => tokensFor(input.socialAccountId).accessToken());
    },

    /** creator_info: which privacy levels the creator may use; also where daily caps show first. */
    async queryCreatorInfo(input: {
      socialAccountId: string;
      permit?: Permit;
    }): Promise<{ privacyLevel: TikTokPrivacyLevel }> {
      const info = await platformCall(() =>
        withPermit(input.permit, () => tiktok.creatorInfo(tokensFor(input.socialAccountId))),
      );
      const options = info.privacy_level_options;
      const privacyLevel = options.includes(settings.preferredPrivacy)
        ? settings.preferredPrivacy
        : (options.find((option) => option === 'SELF_ONLY') ?? options[0]);
      if (!privacyLevel) {
        throw ApplicationFailure.nonRetryable('the creator has no privacy level to post with', 'REJECTED_BY_PLATFORM');
      }
      return { privacyLevel };
    },

    /**
     * Initialises the post. TikTok makes a new post for every init, so the request is written
     * down BEFORE it is sent: when this activity runs again and finds a sent request without
     * an answer, it does not send another one; it says the outcome is unknown and the workflow
     * looks for the post. That makes the activity safe for Temporal to retry.
     */
    async initPost(input: {
      attemptId: string;
      privacyLevel: TikTokPrivacyLevel;
      permit?: Permit;
    }): Promise<InitOutcome> {
      const attempt = await loadAttempt(input.attemptId);
      if (attempt.platformPublishId) return { kind: 'initialised', publishId: attempt.platformPublishId };
      if (attempt.request !== null && attempt.responseCode === null) {
        return { kind: 'unknown', reason: 'an earlier try of this init may have reached TikTok' };
      }
      const { publication } = attempt;
      const post = publication.post;
      const caption = captionOf(post);
      const isVideo = post.format === 'VIDEO' || post.format === 'SCRIPT';
      let record: InitRequestRecord;
      let send: (tokens: AccessTokenSource) => Promise<{ publish_id: string; upload_url?: string }>;
      if (isVideo) {
        const video = post.media[0];
        if (!video) throw ApplicationFailure.nonRetryable('the post has no ready video', 'REJECTED_BY_PLATFORM');
        const postInfo = { title: caption.slice(0, 2200), privacy_level: input.privacyLevel, is_aigc: true };
        record = {
          endpoint: 'video/init',
          matchText: postInfo.title,
          sentAtMs: now(),
          postInfo,
          source: { source: 'FILE_UPLOAD', video_size: video.byteSize, chunk_size: settings.videoChunkBytes },
        };
        send = (tokens) =>
          tiktok.initVideo(tokens, {
            postInfo,
            source: { source: 'FILE_UPLOAD', videoSize: video.byteSize, chunkSize: settings.videoChunkBytes },
          });
      } else {
        const images = post.slides.map((slide) => slide.media).filter((media) => media?.status === 'READY');
        if (images.length === 0) {
          throw ApplicationFailure.nonRetryable('the post has no rendered slides', 'REJECTED_BY_PLATFORM');
        }
        const postInfo = {
          title: (post.title || post.caption).slice(0, 90),
          description: caption.slice(0, 4000),
          privacy_level: input.privacyLevel,
        };
        record = {
          endpoint: 'content/init',
          matchText: postInfo.description,
          sentAtMs: now(),
          postInfo,
          // Signed URLs are credentials for an hour: only how many went is recorded.
          source: { source: 'PULL_FROM_URL', photo_count: images.length },
        };
        send = (tokens) =>
          tiktok.initPhotoPost(tokens, {
            postInfo,
            photoUrls: images.map((media) =>
              storage.signedUrl(media!.storageKey, { expiresInSeconds: settings.photoUrlTtlSeconds }),
            ),
          });
      }
      await db.publishAttempt.update({
        where: { id: attempt.id },
        data: { step: 'INIT', request: record as unknown as Prisma.InputJsonValue },
      });
      let result: { publish_id: string; upload_url?: string };
      try {
        heartbeat();
        result = await withPermit(input.permit, () => send(tokensFor(publication.socialAccountId)));
      } catch (error) {
        if (!isPlatformError(error)) throw error;
        const category = error.operation === 'token' ? 'TOKEN_EXPIRED' : error.category;
        if (category === 'OUTCOME_UNKNOWN') {
          await db.publishAttempt.update({ where: { id: attempt.id }, data: { failureReason: error.reason } });
          return { kind: 'unknown', reason: error.reason };
        }
        // The platform answered and made nothing: the request is resolved.
        await db.publishAttempt.update({
          where: { id: attempt.id },
          data: {
            responseCode: error.status ?? 0,
            response: { code: error.code ?? null, message: error.message },
            failureCategory: category,
            failureReason: error.reason,
          },
        });
        return { kind: 'refused', category, reason: error.reason, retryAfterMs: error.retryAfterMs };
      }
      await db.$transaction(async (tx) => {
        await tx.publishAttempt.update({
          where: { id: attempt.id },
          data: {
            platformPublishId: result.publish_id,
            responseCode: 200,
            response: {
              publish_id: result.publish_id,
              ...(result.upload_url ? { upload_url: result.upload_url } : {}),
            },
          },
        });
        await tx.publication.update({
          where: { id: publication.id },
          data: { platformPublishId: result.publish_id },
        });
        await announce(tx, publication);
      });
      return { kind: 'initialised', publishId: result.publish_id };
    },

    /**
     * PUTs the video in the chunks the init announced, resuming after a crash: the heartbeat
     * carries the next chunk, and a chunk TikTok refuses with 416 was already taken (the
     * heartbeat lags behind the upload), so the next one is tried. A PUT of the same range is
     * harmless, which is what makes this safe to retry.
     */
    async uploadVideo(input: { attemptId: string }): Promise<void> {
      const attempt = await loadAttempt(input.attemptId);
      const response = responseOf(attempt);
      if (response.uploadComplete) return;
      const video = attempt.publication.post.media[0];
      if (!response.upload_url || !video) {
        throw ApplicationFailure.nonRetryable('nothing to upload for this attempt', 'REJECTED_BY_PLATFORM');
      }
      await db.publishAttempt.update({ where: { id: attempt.id }, data: { step: 'UPLOAD' } });
      const uploadUrl = response.upload_url;
      // Each chunk is read from storage as a byte range: the whole video is never in memory.
      const size = video.byteSize;
      const plan = planVideoChunks(size, settings.videoChunkBytes);
      const details = activityInfo().heartbeatDetails as { nextChunk?: number } | undefined;
      let index = details?.nextChunk ?? 0;
      heartbeat({ nextChunk: index });
      while (index < plan.totalChunkCount) {
        const start = index * plan.chunkSize;
        const end = index === plan.totalChunkCount - 1 ? size : start + plan.chunkSize;
        const bytes = await storage.getRange(video.storageKey, start, end);
        if (!bytes || bytes.length !== end - start) {
          throw ApplicationFailure.nonRetryable('the video is missing from storage', 'REJECTED_BY_PLATFORM');
        }
        const put = await platformCall(
          () =>
            fetch(uploadUrl, {
              method: 'PUT',
              headers: {
                'content-type': 'video/mp4',
                'content-range': `bytes ${start}-${end - 1}/${size}`,
              },
              // A copy typed as BodyInit for every lib setting (the api compiles this file too).
              body: new Uint8Array(bytes),
              signal: AbortSignal.timeout(120_000),
            }).then(async (answer) => {
              await answer.arrayBuffer();
              return answer;
            }),
          () => ({ nextChunk: index }),
        );
        if (put.status === 201 || put.status === 206 || put.status === 416) {
          index++;
          heartbeat({ nextChunk: index });
          continue;
        }
        if (put.status === 403 || put.status === 404) {
          throw ApplicationFailure.nonRetryable(
            `the upload URL was refused (HTTP ${put.status})`,
            'REJECTED_BY_PLATFORM',
          );
        }
        throw ApplicationFailure.retryable(`chunk ${index + 1} got HTTP ${put.status}`, 'TRANSIENT');
      }
      await db.publishAttempt.update({
        where: { id: attempt.id },
        data: { response: { ...response, uploadComplete: true } },
      });
    },

    async fetchPublishStatus(input: { attemptId: string; permit?: Permit }): Promise<StatusOutcome> {
      const attempt = await loadAttempt(input.attemptId);
      if (!attempt.platformPublishId) throw ApplicationFailure.nonRetryable('no publish_id to poll', 'NOT_FOUND');
      const publishId = attempt.platformPublishId;
      const status = await platformCall(() =>
        withPermit(input.permit, () =>
          tiktok.fetchPublishStatus(tokensFor(attempt.publication.socialAccountId), publishId),
        ),
      );
      await db.publishAttempt.update({
        where: { id: attempt.id },
        data: {
          step: 'POLL',
          responseCode: 200,
          response: {
            ...responseOf(attempt),
            status: status.status,
            ...(status.fail_reason ? { fail_reason: status.fail_reason } : {}),
          },
        },
      });
      const made =
        status.status === 'PUBLISH_COMPLETE'
          ? await madePost(attempt, status.publicaly_available_post_id?.[0]?.toString())
          : {};
      return {
        ...made,
        status: status.status,
        ...(status.status === 'FAILED'
          ? {
              failCategory: status.fail_reason === 'internal' ? 'TRANSIENT' : 'REJECTED_BY_PLATFORM',
              failReason: status.fail_reason ?? 'failed without a reason',
            }
          : {}),
      };
    },

    /**
     * Looks for the post an init with a lost answer may have made: the publish_id when it got
     * recorded after all, else the creator's recent videos with the same text posted after the
     * request was sent.
     */
    async findPostOnPlatform(input: { attemptId: string }): Promise<ReconcileOutcome> {
      const attempt = await loadAttempt(input.attemptId);
      await db.publishAttempt.update({ where: { id: attempt.id }, data: { step: 'RECONCILE' } });
      if (attempt.platformPublishId) return { kind: 'publish-id', publishId: attempt.platformPublishId };
      const video = await videoMadeBy(attempt);
      if (!video) return { kind: 'not-found' };
      return { kind: 'video', videoId: video.id, ...(video.share_url ? { url: video.share_url } : {}) };
    },

    async finishAttempt(input: { attemptId: string; result: AttemptResult; final: boolean }): Promise<void> {
      const { result } = input;
      const failedFor = await db.$transaction(async (tx): Promise<FailedPublication | null> => {
        const attempt = await tx.publishAttempt.findUniqueOrThrow({
          where: { id: input.attemptId },
          include: { publication: true },
        });
        const publication = attempt.publication;
        const finishedAt = new Date();
        // Repeated by a retried activity or a replayed step: the first outcome stands.
        if (attempt.status !== 'RUNNING' && !input.final) return null;
        if (attempt.status !== 'RUNNING') {
          if (result.status !== 'SUCCEEDED') {
            await tx.publication.update({
              where: { id: publication.id },
              data: { state: 'FAILED', failureCategory: result.category, failureReason: result.reason },
            });
            await settlePostStatus(tx, publication.postId);
            await announce(tx, publication);
            return { publication, attemptNumber: attempt.number, category: result.category, reason: result.reason };
          }
          return null;
        }
        if (result.status === 'SUCCEEDED') {
          await tx.publishAttempt.update({
            where: { id: attempt.id },
            data: { status: 'SUCCEEDED', finishedAt, failureCategory: null, failureReason: null },
          });
          await tx.publication.update({
            where: { id: publication.id },
            data: {
              state: 'PUBLISHED',
              publishedAt: finishedAt,
              failureCategory: null,
              failureReason: null,
              ...(result.platformPostId ? { platformPostId: result.platformPostId } : {}),
              ...(result.platformUrl ? { platformUrl: result.platformUrl } : {}),
            },
          });
          await settlePostStatus(tx, publication.postId);
        } else {
          await tx.publishAttempt.update({
            where: { id: attempt.id },
            data: {
              status: result.status,
              finishedAt,
              failureCategory: result.category,
              failureReason: result.reason,
              ...(result.lookFirst ? { response: { ...responseOf(attempt), lookFirst: true } } : {}),
            },
          });
          if (input.final) {
            await tx.publication.update({
              where: { id: publication.id },
              data: { state: 'FAILED', failureCategory: result.category, failureReason: result.reason },
            });
            await settlePostStatus(tx, publication.postId);
          }
        }
        await announce(tx, publication);
        return input.final && result.status !== 'SUCCEEDED'
          ? { publication, attemptNumber: attempt.number, category: result.category, reason: result.reason }
          : null;
      });
      if (failedFor) await tellOperators(failedFor);
    },

    /**
     * The publish run is ending on an error nothing else recorded (an activity that failed for
     * good, a cancellation): the publication is FAILED with the reason and its attempt closed.
     * When the platform may have the post the outcome is OUTCOME_UNKNOWN, and an init that
     * went out unanswered is looked for before the next attempt sends anything.
     */
    async recordRunFailure(input: {
      publicationId: string;
      category: FailureCategory;
      reason: string;
      platformMayHavePost: boolean;
    }): Promise<void> {
      const open = await db.publishAttempt.findFirst({
        where: { publicationId: input.publicationId, status: 'RUNNING' },
        orderBy: { number: 'desc' },
      });
      const unresolvedInit = !!open && !open.platformPublishId && open.request !== null && open.responseCode === null;
      const unknown = input.platformMayHavePost && !!open && (!!open.platformPublishId || unresolvedInit);
      await closeStranded(input.publicationId, {
        category: unknown ? 'OUTCOME_UNKNOWN' : input.category,
        reason: input.reason,
        unknown,
        lookFirst: unknown && unresolvedInit,
      });
    },

    /**
     * Asks again what became of a publication whose outcome is not settled: one that FAILED
     * (the platform may have made the post after all) or one whose publish workflow has ended
     * without recording an outcome (terminated, timed out, failed, never started). A post the
     * platform has makes it PUBLISHED; a run that ended without one is repaired to FAILED with
     * the reason, and the operators are told. A publication its running workflow still handles
     * is left to it.
     */
    async checkPublication(input: { publicationId: string }): Promise<PublicationCheck> {
      const publication = await db.publication.findUnique({
        where: { id: input.publicationId },
        include: { attempts: { orderBy: { number: 'desc' }, take: 1 } },
      });
      if (!publication) return { state: 'MISSING', workflowStatus: 'NOT_FOUND', changed: false };
      const { state } = publication;
      if (state !== 'SCHEDULED' && state !== 'PUBLISHING' && state !== 'FAILED') {
        return { state, workflowStatus: 'UNCHECKED', changed: false };
      }
      const workflowStatus = await workflowStatusOf(publication.id);
      if (workflowStatus === 'RUNNING' && state !== 'FAILED') return { state, workflowStatus, changed: false };
      const last = publication.attempts[0];
      // Reasons name the publication's own network.
      const network = networkLimits[publication.platform].label;
      const answer: PlatformAnswer = last ? await askPlatform(last.id) : { kind: 'nothing-sent' };
      if (answer.kind === 'published') {
        const changed = await settlePublished(last!.id, answer);
        return { state: changed ? 'PUBLISHED' : state, workflowStatus, platform: answer.kind, changed };
      }
      if (state === 'FAILED') {
        // The platform refused what it was processing: a retry starts afresh, not from it.
        if (answer.kind === 'refused' && last?.status === 'OUTCOME_UNKNOWN') {
          const reason = `${network} failed the post: ${answer.reason}`;
          await db.$transaction(async (tx) => {
            await tx.publishAttempt.update({
              where: { id: last.id },
              data: { status: 'FAILED', failureCategory: 'REJECTED_BY_PLATFORM', failureReason: reason },
            });
            await tx.publication.updateMany({
              where: { id: publication.id, state: 'FAILED' },
              data: { failureCategory: 'REJECTED_BY_PLATFORM', failureReason: reason },
            });
            await announce(tx, publication);
          });
          return { state, workflowStatus, platform: answer.kind, changed: true };
        }
        return { state, workflowStatus, platform: answer.kind, changed: false };
      }
      const ended =
        workflowStatus === 'NOT_FOUND'
          ? 'its publish workflow is gone'
          : `its publish workflow ended (${workflowStatus.toLowerCase()})`;
      const failure =
        answer.kind === 'refused'
          ? {
              category: 'REJECTED_BY_PLATFORM' as const,
              reason: `${network} failed the post: ${answer.reason}`,
              unknown: false,
            }
          : answer.kind === 'nothing-sent'
            ? { category: 'TRANSIENT' as const, reason: `${ended} before anything reached ${network}`, unknown: false }
            : {
                category: 'OUTCOME_UNKNOWN' as const,
                reason:
                  answer.kind === 'in-progress'
                    ? `${ended} while ${network} was still processing the post`
                    : answer.kind === 'not-found'
                      ? `${ended} after sending the post; ${network} does not show it (yet)`
                      : `${ended} after sending the post, and ${network} could not be asked: ${answer.reason}`,
                unknown: true,
              };
      const changed = await closeStranded(publication.id, {
        ...failure,
        lookFirst: failure.unknown && !last?.platformPublishId,
      });
      return { state: changed ? 'FAILED' : state, workflowStatus, platform: answer.kind, changed };
    },

    /**
     * Publications that should have a running publish workflow (SCHEDULED or PUBLISHING) but
     * have none, as Temporal's visibility lists them; rows changed within `graceMs` are left
     * out (their workflow may be starting). checkPublication confirms each one.
     */
    async findStrandedPublications(input: { graceMs: number; limit: number }): Promise<{ publicationIds: string[] }> {
      const running = new Set<string>();
      for await (const execution of getClient().workflow.list({
        query: `WorkflowType = 'publishWorkflow' AND ExecutionStatus = 'Running'`,
      })) {
        running.add(execution.workflowId);
        heartbeat();
      }
      const rows = await db.publication.findMany({
        where: { state: { in: ['SCHEDULED', 'PUBLISHING'] }, updatedAt: { lt: new Date(Date.now() - input.graceMs) } },
        select: { id: true },
        orderBy: { updatedAt: 'asc' },
      });
      const stranded = rows.filter((row) => !running.has(publicationWorkflowId(row.id)));
      return { publicationIds: stranded.slice(0, input.limit).map((row) => row.id) };
    },

    /** Asks the account's rate gate for a permit; the gate signals the requester when it is its turn. */
    async requestPermit(input: {
      socialAccountId: string;
      gate: TikTokGate;
      requesterWorkflowId: string;
      requestId: string;
    }): Promise<{ gateWorkflowId: string }> {
      const limit = settings.tiktokLimits[input.gate];
      const key = `tiktok:${input.socialAccountId}:${input.gate}`;
      const gateInput: RateGateInput = {
        key,
        intervalMs: Math.ceil(limit.windowMs / limit.limit),
        leaseMs: settings.gateLeaseMs,
        idleMs: settings.gateIdleMs,
      };
      const workflowId = rateGateWorkflowId(key);
      await getClient().workflow.signalWithStart(rateGateWorkflow, {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [gateInput],
        signal: requestPermitSignal,
        signalArgs: [{ requesterWorkflowId: input.requesterWorkflowId, requestId: input.requestId }],
      });
      return { gateWorkflowId: workflowId };
    },
  };
}

export type PublishActivities = ReturnType<typeof createPublishActivities>;
