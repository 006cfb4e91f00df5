import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Prisma, type Database, type Platform } from '@pressroom/db';
import { isPlatformError, type FailureCategory } from '../platforms/errors.js';
import type { AccessTokenSource } from '../platforms/tokens.js';
import { networkVersionOf } from '../platforms/limits.js';
import type { ObjectStorage } from '../storage/index.js';
import type { Permit, PublishSettings } from './publish.js';
import {
  PublishRefusal,
  type FoundPost,
  type MadePost,
  type NetworkPost,
  type NetworkPublisher,
  type NetworkState,
  type NetworkStatus,
  type PostMedia,
  type PublishContext,
} from './publishers/types.js';

/** What the publish request column holds for a network publish: written BEFORE it is sent. */
export interface NetworkPublishRecord {
  /** The publisher's own description of the call (describePublish). */
  [detail: string]: unknown;
  publishSentAtMs: number;
  matchText: string;
}

export type NetworkPublishOutcome =
  | { kind: 'published'; post: MadePost }
  | { kind: 'unknown'; reason: string }
  | { kind: 'refused'; category: FailureCategory; reason: string; retryAfterMs?: number };

export type NetworkPrepareOutcome = { kind: 'ready' } | { kind: 'refused'; category: FailureCategory; reason: string };

interface Shared {
  db: Database;
  storage: ObjectStorage;
  settings: PublishSettings;
  now: () => number;
  publishers: Partial<Record<Platform, NetworkPublisher>>;
  tokensFor: (socialAccountId: string) => AccessTokenSource;
  /** Sends a call in a rate-gate permit's slot (TikTok), at once without a permit. */
  withPermit: <T>(permit: Permit | undefined, call: () => Promise<T>) => Promise<T>;
  announce: (
    tx: Prisma.TransactionClient,
    publication: { id: string; organizationId: string; postId: string },
  ) => Promise<void>;
}

/** A platform error as a Temporal failure: refusals and dead tokens are not retried by Temporal. */
function failureOf(error: unknown): unknown {
  if (error instanceof PublishRefusal) {
    return ApplicationFailure.create({
      message: error.message,
      type: error.category,
      nonRetryable: error.category !== 'TRANSIENT',
      nextRetryDelay: error.retryAfterMs,
    });
  }
  if (isPlatformError(error)) {
    const category = error.operation === 'token' ? 'TOKEN_EXPIRED' : error.category;
    return ApplicationFailure.create({
      message: `${error.platform}: ${error.reason}`,
      type: category,
      nonRetryable: category === 'REJECTED_BY_PLATFORM' || category === 'TOKEN_EXPIRED',
      nextRetryDelay: error.retryAfterMs,
    });
  }
  return error;
}

/** Runs a publisher step, heartbeating every second, with its errors as Temporal failures. */
async function step<T>(call: () => Promise<T>): Promise<T> {
  heartbeat();
  const timer = setInterval(() => heartbeat(), 1_000);
  try {
    return await call();
  } catch (error) {
    throw failureOf(error);
  } finally {
    clearInterval(timer);
  }
}

/**
 * The publish activities for every network behind a `NetworkPublisher`: each loads the
 * attempt, builds the publisher's context (the post in its network version, the account's
 * tokens, the state earlier steps saved) and runs one step.
 */
export function createNetworkPublishActivities(shared: Shared) {
  const { db, storage, settings, now, publishers } = shared;

  async function load(attemptId: string) {
    const attempt = await db.publishAttempt.findUnique({
      where: { id: attemptId },
      include: {
        publication: {
          include: {
            socialAccount: { select: { platformAccountId: true } },
            post: {
              include: {
                slides: { orderBy: { position: 'asc' }, include: { media: true } },
                media: { where: { kind: 'VIDEO', status: 'READY' }, orderBy: { createdAt: 'desc' }, take: 1 },
                versions: true,
              },
            },
          },
        },
      },
    });
    if (!attempt) throw ApplicationFailure.nonRetryable(`publish attempt ${attemptId} does not exist`, 'NOT_FOUND');
    const publisher = publishers[attempt.publication.platform];
    if (!publisher) {
      throw ApplicationFailure.nonRetryable(
        `publishing to ${attempt.publication.platform} is not supported yet`,
        'REJECTED_BY_PLATFORM',
      );
    }
    return { attempt, publisher };
  }

  type Loaded = Awaited<ReturnType<typeof load>>;

  function mediaOf(media: {
    kind: 'IMAGE' | 'VIDEO';
    storageKey: string;
    contentType: string;
    byteSize: number;
    width: number | null;
    height: number | null;
    durationMs: number | null;
  }): PostMedia {
    return {
      kind: media.kind,
      storageKey: media.storageKey,
      contentType: media.contentType,
      byteSize: media.byteSize,
      width: media.width,
      height: media.height,
      durationMs: media.durationMs,
      url: storage.signedUrl(media.storageKey, { expiresInSeconds: settings.photoUrlTtlSeconds }),
    };
  }

  /**
   * The account's posts that belong to other publications: their stored post ids, and the
   * post ids other attempts saved (a look-up's claim, a publish's answer). Read under the
   * account's row lock when claiming, so two look-ups never settle on the same post.
   */
  async function takenPostIds(
    tx: Pick<Database, '$queryRaw'>,
    publication: { id: string; socialAccountId: string },
  ): Promise<Set<string>> {
    const rows = await tx.$queryRaw<Array<{ postId: string }>>`
      SELECT p."platformPostId" AS "postId" FROM "Publication" p
      WHERE p."socialAccountId" = ${publication.socialAccountId} AND p.id <> ${publication.id}
        AND p."platformPostId" IS NOT NULL
      UNION
      SELECT a.response->>'postId' FROM "PublishAttempt" a JOIN "Publication" p ON p.id = a."publicationId"
      WHERE p."socialAccountId" = ${publication.socialAccountId} AND p.id <> ${publication.id}
        AND a.response->>'postId' IS NOT NULL`;
    return new Set(rows.map((row) => row.postId));
  }

  /**
   * The attempt's saved state, with when and what its publish sent (the request column) for
   * the look-ups. A TikTok attempt recorded by its older activities keeps its publish_id in
   * its own columns: read as the same state, so a run that moved to the publisher resumes it
   * and never inits again.
   */
  function stateOf(attempt: Loaded['attempt']): NetworkState {
    const record = attempt.request as { publishSentAtMs?: number; sentAtMs?: number; matchText?: string } | null;
    const response = (attempt.response ?? {}) as NetworkState & { upload_url?: string; publish_id?: string };
    const sentAtMs = record?.publishSentAtMs ?? record?.sentAtMs;
    const tiktok =
      attempt.publication.platform === 'TIKTOK' && attempt.platformPublishId
        ? {
            publishId: attempt.platformPublishId,
            ...((response.uploadUrl ?? response.upload_url)
              ? { uploadUrl: response.uploadUrl ?? response.upload_url }
              : {}),
          }
        : {};
    return {
      ...(sentAtMs !== undefined ? { publishSentAtMs: sentAtMs } : {}),
      ...(record?.matchText !== undefined ? { matchText: record.matchText } : {}),
      ...response,
      ...tiktok,
    };
  }

  function contextOf({ attempt }: Loaded, taken: ReadonlySet<string> = new Set(), permit?: Permit): PublishContext {
    const { publication } = attempt;
    const post = publication.post;
    const version = networkVersionOf(post, publication.platform);
    const networkPost: NetworkPost = {
      postId: post.id,
      // A script goes out as the vertical video it was rendered to.
      format: post.format === 'SCRIPT' ? 'VIDEO' : post.format,
      title: version.title,
      caption: version.caption,
      hashtags: version.hashtags,
      text: version.text,
      ...(version.link ? { link: version.link } : {}),
      images: post.slides.flatMap((slide) =>
        slide.media && slide.media.status === 'READY' && slide.media.kind === 'IMAGE' ? [mediaOf(slide.media)] : [],
      ),
      video: post.media[0] ? mediaOf(post.media[0]) : null,
    };
    let state = stateOf(attempt);
    return {
      platformAccountId: publication.socialAccount.platformAccountId,
      tokens: shared.tokensFor(publication.socialAccountId),
      post: networkPost,
      get state() {
        return state;
      },
      async save(patch) {
        state = { ...state, ...patch };
        // The network's handle (Instagram container, YouTube video, TikTok publish_id): what a
        // retry resumes.
        const handle = patch.containerId ?? patch.videoId ?? patch.publishId;
        await db.$transaction(async (tx) => {
          await tx.publishAttempt.update({
            where: { id: attempt.id },
            data: { response: state as Prisma.InputJsonValue, ...(handle ? { platformPublishId: handle } : {}) },
          });
          // TikTok's webhooks and the stranded check find the publication by its publish_id.
          if (patch.publishId) {
            await tx.publication.update({
              where: { id: publication.id },
              data: { platformPublishId: patch.publishId },
            });
            await shared.announce(tx, publication);
          }
        });
      },
      paced: (call) => shared.withPermit(permit, call),
      takenPostIds: taken,
      heartbeat: (details) => heartbeat(details),
      resumeDetails: activityInfo().heartbeatDetails,
      now,
    };
  }

  const recordOf = (attempt: { request: Prisma.JsonValue }) =>
    attempt.request as unknown as NetworkPublishRecord | null;

  /**
   * What the network says became of an attempt's post, sending nothing (the stranded-publication
   * check): published, not found, nothing sent, or that it cannot be told.
   */
  async function ask(
    attemptId: string,
  ): Promise<
    | { kind: 'published'; postId?: string; postUrl?: string }
    | { kind: 'refused'; reason: string }
    | { kind: 'in-progress' }
    | { kind: 'not-found' }
    | { kind: 'nothing-sent' }
    | { kind: 'unreachable'; reason: string }
  > {
    const loaded = await load(attemptId);
    const { attempt } = loaded;
    const state = stateOf(attempt);
    if (state.postId)
      return { kind: 'published', postId: state.postId, ...(state.postUrl ? { postUrl: state.postUrl } : {}) };
    const sent = recordOf(attempt) !== null && attempt.responseCode === null;
    if (!sent && !state.sessionUrl && !state.publishId) return { kind: 'nothing-sent' };
    try {
      const ctx = contextOf(loaded, await takenPostIds(db, loaded.attempt.publication));
      const found = await loaded.publisher.find(ctx);
      if (found.kind === 'found' && found.post.processing) {
        // Made and still being processed (a TikTok publish_id): its status says how it ended.
        const status = await loaded.publisher.status(ctx);
        if (status.kind === 'published') {
          const post = status.post;
          return {
            kind: 'published',
            ...(post.postId ? { postId: post.postId } : {}),
            ...(post.url ? { postUrl: post.url } : {}),
          };
        }
        return status.kind === 'failed' ? { kind: 'refused', reason: status.reason } : { kind: 'in-progress' };
      }
      if (found.kind === 'found') {
        return {
          kind: 'published',
          ...(found.post.postId ? { postId: found.post.postId } : {}),
          ...(found.post.url ? { postUrl: found.post.url } : {}),
        };
      }
      return found.kind === 'not-made' ? { kind: 'not-found' } : { kind: 'unreachable', reason: found.reason };
    } catch (error) {
      return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  const activities = {
    /** Budgets and formats checked before anything is sent; a refusal is an answer, not an error. */
    async prepareNetworkPost(input: { attemptId: string; permit?: Permit }): Promise<NetworkPrepareOutcome> {
      const loaded = await load(input.attemptId);
      await db.publishAttempt.update({ where: { id: input.attemptId }, data: { step: 'INIT' } });
      try {
        await step(() => loaded.publisher.prepare(contextOf(loaded, undefined, input.permit)));
        return { kind: 'ready' };
      } catch (error) {
        if (error instanceof ApplicationFailure && error.nonRetryable) {
          return {
            kind: 'refused',
            category: (error.type ?? 'REJECTED_BY_PLATFORM') as FailureCategory,
            reason: error.message,
          };
        }
        throw error;
      }
    },

    /** Containers / upload session: makes no post, saved so that a retry reuses them. */
    async initNetworkPost(input: { attemptId: string }): Promise<void> {
      const loaded = await load(input.attemptId);
      await db.publishAttempt.update({ where: { id: input.attemptId }, data: { step: 'INIT' } });
      await step(() => loaded.publisher.init(contextOf(loaded)));
    },

    /** Bytes to the network, resumed from what it acknowledged (heartbeats carry progress). */
    async uploadNetworkMedia(input: { attemptId: string }): Promise<void> {
      const loaded = await load(input.attemptId);
      await db.publishAttempt.update({ where: { id: input.attemptId }, data: { step: 'UPLOAD' } });
      // An upload whose session is gone looks for the video it may have made (YouTube).
      const taken = await takenPostIds(db, loaded.attempt.publication);
      await step(() => loaded.publisher.upload(contextOf(loaded, taken)));
    },

    async networkPostStatus(input: { attemptId: string; permit?: Permit }): Promise<NetworkStatus> {
      const loaded = await load(input.attemptId);
      await db.publishAttempt.update({ where: { id: input.attemptId }, data: { step: 'POLL' } });
      return step(() => loaded.publisher.status(contextOf(loaded, undefined, input.permit)));
    },

    /**
     * The call that makes the post. Written down BEFORE it is sent: a try that finds a sent
     * request without an answer does not send again but says the outcome is unknown, and the
     * workflow looks for the post. That makes this activity safe for Temporal to retry.
     */
    async publishNetworkPost(input: { attemptId: string; permit?: Permit }): Promise<NetworkPublishOutcome> {
      const loaded = await load(input.attemptId);
      const { attempt, publisher } = loaded;
      const state = stateOf(attempt);
      if (state.postId || state.publishId) {
        // Sent and answered before (TikTok's publish_id comes before any post id): never again.
        return {
          kind: 'published',
          post: {
            ...(state.postId ? { postId: state.postId } : {}),
            ...(state.postUrl ? { url: state.postUrl } : {}),
            ...(state.processing || !state.postId ? { processing: true } : {}),
            ...(state.uploadUrl && state.uploadComplete !== true ? { awaitsUpload: true } : {}),
          },
        };
      }
      if (recordOf(attempt) && attempt.responseCode === null) {
        return { kind: 'unknown', reason: `an earlier try of this publish may have reached ${publisher.label}` };
      }
      const ctx = contextOf(loaded, undefined, input.permit);
      const record: NetworkPublishRecord = {
        publishSentAtMs: now(),
        matchText: ctx.post.text,
        // A publisher may say how its network shows the text (TikTok cuts a video title).
        ...publisher.describePublish?.(ctx),
      };
      await db.publishAttempt.update({
        where: { id: attempt.id },
        data: { step: 'INIT', request: record as unknown as Prisma.InputJsonValue, responseCode: null },
      });
      let made: MadePost;
      // Heartbeats while the network takes its time (a media group downloads every item).
      heartbeat();
      const timer = setInterval(() => heartbeat(), 1_000);
      try {
        made = await publisher.publish(ctx);
      } catch (error) {
        if (error instanceof PublishRefusal) {
          await db.publishAttempt.update({ where: { id: attempt.id }, data: { responseCode: 0 } });
          return { kind: 'refused', category: error.category, reason: error.message };
        }
        if (!isPlatformError(error)) throw error;
        const category = error.operation === 'token' ? 'TOKEN_EXPIRED' : error.category;
        if (category === 'OUTCOME_UNKNOWN') {
          await db.publishAttempt.update({ where: { id: attempt.id }, data: { failureReason: error.reason } });
          return { kind: 'unknown', reason: `${publisher.label}: ${error.reason}` };
        }
        // The network answered and made nothing: the request is resolved.
        await db.publishAttempt.update({
          where: { id: attempt.id },
          data: { responseCode: error.status ?? 0, failureCategory: category, failureReason: error.reason },
        });
        return {
          kind: 'refused',
          category,
          reason: `${publisher.label}: ${error.reason}`,
          ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
        };
      } finally {
        clearInterval(timer);
      }
      await db.publishAttempt.update({
        where: { id: attempt.id },
        data: {
          responseCode: 200,
          response: {
            ...ctx.state,
            ...(made.postId ? { postId: made.postId } : {}),
            ...(made.url ? { postUrl: made.url } : {}),
            ...(made.processing ? { processing: true } : {}),
          },
        },
      });
      return { kind: 'published', post: made };
    },

    /**
     * Looks for the post a publish with a lost answer may have made. With `settle`, a
     * `not-made` answer clears the publish record, so that the next publish call may send.
     */
    async findNetworkPost(input: { attemptId: string; settle: boolean }): Promise<FoundPost> {
      const loaded = await load(input.attemptId);
      await db.publishAttempt.update({ where: { id: input.attemptId }, data: { step: 'RECONCILE' } });
      const publication = loaded.attempt.publication;
      let found: FoundPost;
      for (let tries = 0; ; tries++) {
        const taken = await takenPostIds(db, publication);
        found = await step(() => loaded.publisher.find(contextOf(loaded, taken)));
        if (found.kind !== 'found') break;
        const post = found.post;
        // A TikTok publish_id still being processed: nothing to claim yet.
        if (!post.postId) break;
        const postId = post.postId;
        // Claimed under the account's lock: another publication's look-up that settles on the
        // same post at the same time sees this claim and looks again without it.
        const claimed = await db.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT 1 FROM "SocialAccount" WHERE id = ${publication.socialAccountId} FOR UPDATE`;
          if ((await takenPostIds(tx, publication)).has(postId)) return false;
          const current = await tx.publishAttempt.findUniqueOrThrow({
            where: { id: input.attemptId },
            select: { response: true },
          });
          await tx.publishAttempt.update({
            where: { id: input.attemptId },
            data: {
              response: {
                ...((current.response ?? {}) as NetworkState),
                postId,
                ...(post.url ? { postUrl: post.url } : {}),
              },
            },
          });
          return true;
        });
        if (claimed) break;
        if (tries >= 2) {
          found = {
            kind: 'unknowable',
            reason: `${loaded.publisher.label}: the only matching post keeps being claimed by another publication`,
          };
          break;
        }
      }
      if (found.kind === 'not-made' && input.settle) {
        await db.publishAttempt.update({
          where: { id: input.attemptId },
          data: { request: Prisma.DbNull, responseCode: null },
        });
      }
      return found;
    },
  };
  return { activities, ask };
}

export type NetworkPublishActivities = ReturnType<typeof createNetworkPublishActivities>['activities'];
