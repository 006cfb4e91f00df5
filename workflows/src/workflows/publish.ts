import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  AttemptResult,
  AttemptSummary,
  Permit,
  PublicationCheck,
  PublicationPlan,
  PublishActivities,
  TikTokGate,
} from '../activities/publish.js';
import type { FailureCategory } from '../platforms/errors.js';
import { permitGrantedSignal, releasePermitSignal } from './rate-gate.js';

export interface PublishInput {
  publicationId: string;
  /** Set when an operator's retry starts a new run after the previous one ended. */
  retry?: { triggeredById: string | null };
  /** Shorter activity timeouts (the crash tests); production runs leave it out. */
  activityTimeouts?: PublishActivityTimeouts;
}

export type PublishPhase = 'WAITING' | 'PUBLISHING' | 'PUBLISHED' | 'FAILED' | 'CANCELLED';

export interface PublishResult {
  state: 'PUBLISHED' | 'FAILED' | 'CANCELLED';
  attempts: number;
  failure?: { category: string; reason: string };
}

export interface PublicationStatus {
  phase: PublishPhase;
  scheduledAtMs: number | null;
  attemptNumber: number | null;
  /** From here on cancelling is refused: the platform may already have the post. */
  platformMayHavePost: boolean;
  failure: { category: string; reason: string } | null;
}

export const publicationStatusQuery = defineQuery<PublicationStatus>('publicationStatus');
export const rescheduleUpdate = defineUpdate<{ scheduledAtMs: number }, [{ scheduledAt: string }]>('reschedule');
export const cancelUpdate = defineUpdate<{ cancelled: true }, []>('cancel');
export const retryUpdate = defineUpdate<{ attemptNumber: number }, [{ triggeredById: string | null }]>('retry');
export { permitGrantedSignal };
/** Wakes a waiting publication to read its schedule again (after the api changed it directly). */
export const scheduleChangedSignal = defineSignal('scheduleChanged');

/**
 * Overrides of the publish activities' timeouts. The crash tests kill the worker and wait for
 * Temporal to notice: with the production values that is most of their run. Part of the input,
 * so a run keeps its timeouts across worker restarts; Temporal does not compare activity
 * options on replay, so recorded histories replay either way.
 */
export interface PublishActivityTimeouts {
  /** Heartbeat timeout of the platform calls and the upload (5 s). */
  heartbeatMs?: number;
  /** Start-to-close timeout of the database activities (30 s). */
  storeMs?: number;
  /** First retry interval of every activity (1 s for the database, 2 s for the platform). */
  retryInitialMs?: number;
}

function publishActivities(timeouts: PublishActivityTimeouts = {}) {
  const heartbeatTimeout = timeouts.heartbeatMs ?? '5s';
  return {
    // Database work is cheap and safe to repeat: retry it patiently, a database restart included.
    store: proxyActivities<PublishActivities>({
      startToCloseTimeout: timeouts.storeMs ?? '30s',
      retry: {
        initialInterval: timeouts.retryInitialMs ?? '1s',
        backoffCoefficient: 2,
        maximumInterval: '30s',
        maximumAttempts: 20,
      },
    }),
    // Platform calls heartbeat every second, so a killed worker is noticed in 5 s. Retries are
    // safe for all of them: reads are idempotent, initPost refuses to send twice, chunk PUTs
    // repeat the same range. Refusals come back nonRetryable; rate limits carry their wait.
    platform: proxyActivities<PublishActivities>({
      startToCloseTimeout: '2m',
      heartbeatTimeout,
      retry: {
        initialInterval: timeouts.retryInitialMs ?? '2s',
        backoffCoefficient: 2,
        maximumInterval: '1m',
        maximumAttempts: 8,
      },
    }),
    // An upload moves megabytes: a longer limit, the same heartbeat rule (it heartbeats during
    // each chunk and records the next chunk after it).
    upload: proxyActivities<PublishActivities>({
      startToCloseTimeout: '30m',
      heartbeatTimeout,
      retry: {
        initialInterval: timeouts.retryInitialMs ?? '2s',
        backoffCoefficient: 2,
        maximumInterval: '1m',
        maximumAttempts: 8,
      },
    }),
  };
}

function failureOf(error: unknown): { category: FailureCategory; reason: string } {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure) {
    const type = cause.type as FailureCategory | 'NOT_FOUND' | null | undefined;
    const category: FailureCategory =
      type === 'TOKEN_EXPIRED' || type === 'RATE_LIMITED' || type === 'REJECTED_BY_PLATFORM' || type === 'TRANSIENT'
        ? type
        : type === 'OUTCOME_UNKNOWN'
          ? 'OUTCOME_UNKNOWN'
          : type === 'NOT_FOUND'
            ? 'REJECTED_BY_PLATFORM'
            : 'TRANSIENT';
    return { category, reason: cause.message };
  }
  return { category: 'TRANSIENT', reason: error instanceof Error ? error.message : String(error) };
}

type AttemptEnd =
  | { kind: 'published' }
  | { kind: 'cancelled' }
  | {
      kind: 'failed';
      category: FailureCategory;
      reason: string;
      automaticRetry: boolean;
      /** The attempt ends OUTCOME_UNKNOWN: the platform may still have (or make) the post. */
      unknown?: boolean;
      /** An init went out and could not be looked for: the next attempt looks first. */
      lookFirst?: boolean;
      /** The network said when to ask again (a rate limit): the automatic retry waits that long. */
      retryAfterMs?: number;
    };

/**
 * Marks the versions of this workflow that record their own end on every failure path (a
 * look for the post that fails, an activity that fails for good, a cancellation) instead of
 * failing the run with the publication left PUBLISHING.
 */
const recordsFailures = 'publish-records-failures';

/**
 * Marks the versions that publish TikTok through its NetworkPublisher (runNetworkAttempt)
 * instead of its own activities (runAttempt): runs recorded before keep the older path.
 */
const tiktokPublisher = 'tiktok-network-publisher';

/**
 * Marks the versions that wait as long as a rate-limiting network asked before the automatic
 * retry (VK's "too many requests per second" asks for a second), rather than the full
 * automaticRetryDelayMs: after an outage the publications that waited all reach the network
 * at once, and each one refused sat out a minute. The wait doubles with each automatic
 * attempt and carries a jitter, so that the refused ones do not all come back together.
 */
const retryAfterAsTold = 'publish-retry-after-as-told';

/**
 * Publishes one Publication: waits for its time, then tries until the platform has exactly
 * one post for it. Never two: an init whose answer was lost is followed by a search for the
 * post it may have made, never by a second init until that search says there is none.
 */
export async function publishWorkflow(input: PublishInput): Promise<PublishResult> {
  const { store, platform, upload } = publishActivities(input.activityTimeouts);
  const workflowId = workflowInfo().workflowId;
  let phase: PublishPhase = 'WAITING';
  let scheduledAtMs: number | null = null;
  let scheduleVersion = 0;
  let attemptNumber: number | null = null;
  let platformMayHavePost = false;
  let cancelRequested = false;
  let retryRequest: { triggeredById: string | null } | undefined = input.retry;
  let failure: { category: string; reason: string } | null = null;
  const granted = new Map<string, number>();

  setHandler(permitGrantedSignal, ({ requestId, notBeforeMs }) => void granted.set(requestId, notBeforeMs));
  setHandler(publicationStatusQuery, () => ({ phase, scheduledAtMs, attemptNumber, platformMayHavePost, failure }));
  setHandler(scheduleChangedSignal, () => void scheduleVersion++);
  setHandler(
    rescheduleUpdate,
    async ({ scheduledAt }) => {
      const at = Date.parse(scheduledAt);
      await store.persistSchedule({ publicationId: input.publicationId, scheduledAtMs: at });
      scheduledAtMs = at;
      scheduleVersion++;
      return { scheduledAtMs: at };
    },
    {
      validator: ({ scheduledAt }: { scheduledAt: string }) => {
        if (Number.isNaN(Date.parse(scheduledAt))) throw new Error('scheduledAt is not a date');
        if (phase !== 'WAITING') throw new Error(`a ${phase.toLowerCase()} publication cannot be rescheduled`);
      },
    },
  );
  setHandler(
    cancelUpdate,
    async () => {
      cancelRequested = true;
      await condition(() => phase === 'CANCELLED');
      return { cancelled: true as const };
    },
    {
      validator: () => {
        if (platformMayHavePost) throw new Error('too late to cancel: the platform may already have the post');
        if (phase === 'PUBLISHED' || phase === 'CANCELLED')
          throw new Error(`the publication is ${phase.toLowerCase()}`);
      },
    },
  );
  setHandler(
    retryUpdate,
    async (request: { triggeredById: string | null }): Promise<{ attemptNumber: number }> => {
      const before = attemptNumber ?? 0;
      retryRequest = request;
      await condition(() => (attemptNumber ?? 0) > before || phase === 'CANCELLED' || phase === 'PUBLISHED');
      return { attemptNumber: attemptNumber ?? 0 };
    },
    {
      validator: (_request: { triggeredById: string | null }) => {
        if (phase !== 'FAILED')
          throw new Error(`only a failed publication can be retried (it is ${phase.toLowerCase()})`);
      },
    },
  );

  const plan: PublicationPlan = await store.loadPublication({ publicationId: input.publicationId, workflowId });
  const settings = plan.settings;
  /** The wait before automatic attempt `automatic` + 1: as the network asked (doubling, jittered), else the settings'. */
  const automaticRetryDelay = (retryAfterMs: number | undefined, automatic: number): number => {
    if (retryAfterMs === undefined || !patched(retryAfterAsTold)) return settings.automaticRetryDelayMs;
    const wait = Math.max(retryAfterMs, 1_000) * 2 ** (automatic - 1);
    return wait + Math.floor(Math.random() * wait);
  };
  scheduledAtMs = plan.scheduledAtMs;
  let attempts = 0;

  const finish = async (state: PublishResult['state']): Promise<PublishResult> => {
    if (state === 'CANCELLED') await store.markCancelled({ publicationId: input.publicationId });
    phase = state;
    return { state, attempts, ...(failure ? { failure } : {}) };
  };

  if (plan.state === 'PUBLISHED') return finish('PUBLISHED');
  if (plan.state === 'CANCELLED') return { state: 'CANCELLED', attempts };

  /**
   * Runs `call` holding a permit of the account's rate gate for `gate`; `call` gets the time
   * before which its activity must not send. With `cancellable`, a cancel accepted while
   * waiting for the permit wins and `call` never runs (undefined).
   */
  async function paced<T>(
    gate: TikTokGate,
    call: (permit: Permit) => Promise<T>,
    options: { cancellable: true },
  ): Promise<T | undefined>;
  async function paced<T>(gate: TikTokGate, call: (permit: Permit) => Promise<T>): Promise<T>;
  async function paced<T>(gate: TikTokGate, call: (permit: Permit) => Promise<T>, options?: { cancellable: true }) {
    const requestId = `${gate}:${uuid4()}`;
    const { gateWorkflowId } = await store.requestPermit({
      socialAccountId: plan.socialAccountId,
      gate,
      requesterWorkflowId: workflowId,
      requestId,
    });
    const cancellable = options?.cancellable === true;
    await condition(() => granted.has(requestId) || (cancellable && cancelRequested));
    const notBeforeMs = granted.get(requestId);
    granted.delete(requestId);
    try {
      if (notBeforeMs === undefined || (cancellable && cancelRequested)) return undefined;
      return await call({ gateWorkflowId, requestId, notBeforeMs });
    } finally {
      // Workflow time after the activity completed is no earlier than the platform's answer.
      // The same signal withdraws a request still queued at the gate.
      await getExternalWorkflowHandle(gateWorkflowId).signal(releasePermitSignal, {
        requestId,
        answeredAtMs: Date.now(),
      });
    }
  }

  async function poll(attempt: AttemptSummary): Promise<AttemptEnd> {
    let delay = settings.pollInitialMs;
    const deadline = Date.now() + settings.pollTimeoutMs;
    let uploaded = attempt.uploadComplete || !attempt.isVideo;
    for (;;) {
      if (!uploaded) {
        await upload.uploadVideo({ attemptId: attempt.attemptId });
        uploaded = true;
      }
      const outcome = await paced('status', (permit) =>
        platform.fetchPublishStatus({ attemptId: attempt.attemptId, permit }),
      );
      if (outcome.status === 'PUBLISH_COMPLETE' || outcome?.status === 'SEND_TO_USER_INBOX') {
        await store.finishAttempt({
          attemptId: attempt.attemptId,
          result: {
            status: 'SUCCEEDED',
            ...(outcome.postId ? { platformPostId: outcome.postId } : {}),
            ...(outcome.postUrl ? { platformUrl: outcome.postUrl } : {}),
          },
          final: true,
        });
        return { kind: 'published' };
      }
      if (outcome.status === 'FAILED') {
        const category = outcome.failCategory ?? 'REJECTED_BY_PLATFORM';
        return {
          kind: 'failed',
          category,
          reason: outcome.failReason ?? 'failed',
          // The platform's own internal failure made no post: another try may work.
          automaticRetry: category === 'TRANSIENT',
        };
      }
      if (Date.now() >= deadline) {
        // The post may still complete: a retry resumes this publish_id (OUTCOME_UNKNOWN).
        return {
          kind: 'failed',
          category: 'OUTCOME_UNKNOWN',
          reason: 'TikTok was still processing the post when polling gave up',
          automaticRetry: false,
          unknown: true,
        };
      }
      await sleep(delay);
      delay = Math.min(delay * 2, settings.pollMaxMs);
    }
  }

  /** After an init whose answer was lost: the post is found, or the window passes without it. */
  async function reconcile(attempt: AttemptSummary): Promise<AttemptEnd | { kind: 'resume'; publishId: string }> {
    platformMayHavePost = true;
    const deadline = Date.now() + settings.reconcileWindowMs;
    for (;;) {
      const found = await platform.findPostOnPlatform({ attemptId: attempt.attemptId });
      if (found.kind === 'publish-id') return { kind: 'resume', publishId: found.publishId };
      if (found.kind === 'video') {
        await store.finishAttempt({
          attemptId: attempt.attemptId,
          result: {
            status: 'SUCCEEDED',
            platformPostId: found.videoId,
            ...(found.url ? { platformUrl: found.url } : {}),
          },
          final: true,
        });
        return { kind: 'published' };
      }
      if (Date.now() >= deadline) {
        const reason = 'the init answer was lost and no such post appeared on TikTok: it was not made';
        platformMayHavePost = false;
        return { kind: 'failed', category: 'OUTCOME_UNKNOWN', reason, automaticRetry: true, unknown: true };
      }
      await sleep(settings.reconcileIntervalMs);
    }
  }

  /**
   * reconcile(), but when the platform cannot be asked (a revoked account, an outage that
   * outlasts the retries) the attempt ends OUTCOME_UNKNOWN and the next one looks first.
   */
  async function reconcileOrUnknown(
    attempt: AttemptSummary,
  ): Promise<AttemptEnd | { kind: 'resume'; publishId: string }> {
    try {
      return await reconcile(attempt);
    } catch (error) {
      if (isCancellation(error) || !patched(recordsFailures)) throw error;
      return {
        kind: 'failed',
        category: 'OUTCOME_UNKNOWN',
        reason: `TikTok could not be asked whether the post was made: ${failureOf(error).reason}`,
        automaticRetry: false,
        unknown: true,
        lookFirst: true,
      };
    }
  }

  async function runAttempt(attempt: AttemptSummary): Promise<AttemptEnd> {
    attemptNumber = attempt.number;
    try {
      await platform.ensureFreshToken({ socialAccountId: plan.socialAccountId, attemptId: attempt.attemptId });
    } catch (error) {
      const { category, reason } = failureOf(error);
      return { kind: 'failed', category, reason, automaticRetry: category === 'TRANSIENT' };
    }
    let publishId = attempt.publishId;
    if (!publishId && attempt.initUnresolved) {
      const found = await reconcileOrUnknown(attempt);
      if (found.kind !== 'resume') return found;
      publishId = found.publishId;
    }
    if (!publishId) {
      if (cancelRequested) return { kind: 'cancelled' };
      let privacyLevel;
      try {
        const creator = await paced(
          'creator_info',
          (permit) => platform.queryCreatorInfo({ socialAccountId: plan.socialAccountId, permit }),
          { cancellable: true },
        );
        if (!creator) return { kind: 'cancelled' };
        privacyLevel = creator.privacyLevel;
      } catch (error) {
        const { category, reason } = failureOf(error);
        return {
          kind: 'failed',
          category,
          reason,
          automaticRetry: category !== 'REJECTED_BY_PLATFORM' && category !== 'TOKEN_EXPIRED',
        };
      }
      let init;
      try {
        const answer = await paced(
          'init',
          (permit) => {
            // Decided in the same step as the call: a cancel accepted before this point wins.
            platformMayHavePost = true;
            return platform.initPost({ attemptId: attempt.attemptId, privacyLevel, permit });
          },
          { cancellable: true },
        );
        if (!answer) return { kind: 'cancelled' };
        init = answer;
      } catch (error) {
        // Whatever happened, the request may have been sent: look before anything else.
        init = { kind: 'unknown' as const, reason: failureOf(error).reason };
      }
      if (init.kind === 'refused') {
        platformMayHavePost = false;
        return {
          kind: 'failed',
          category: init.category,
          reason: init.reason,
          automaticRetry: init.category === 'RATE_LIMITED' || init.category === 'TRANSIENT',
          ...(init.retryAfterMs !== undefined ? { retryAfterMs: init.retryAfterMs } : {}),
        };
      }
      if (init.kind === 'unknown') {
        const found = await reconcileOrUnknown(attempt);
        if (found.kind !== 'resume') return found;
        publishId = found.publishId;
      } else {
        publishId = init.publishId;
      }
    }
    platformMayHavePost = true;
    try {
      return await poll({ ...attempt, publishId });
    } catch (error) {
      const { category, reason } = failureOf(error);
      // The platform has a post in progress (publish_id): unless it refused it, end
      // OUTCOME_UNKNOWN so that a retry resumes it rather than posting again.
      return category === 'REJECTED_BY_PLATFORM' || category === 'TOKEN_EXPIRED'
        ? { kind: 'failed', category, reason, automaticRetry: false }
        : { kind: 'failed', category: 'OUTCOME_UNKNOWN', reason, automaticRetry: false, unknown: true };
    }
  }

  /**
   * One attempt on a network behind a NetworkPublisher (activities/publishers/types.ts):
   * prepare → init → upload → poll → publish, each step resumable from what the previous
   * ones saved. Never twice: a publish whose answer was lost is looked for before anything
   * else, and only a network that says for sure it made nothing is sent to again.
   */
  async function runNetworkAttempt(attempt: AttemptSummary): Promise<AttemptEnd> {
    attemptNumber = attempt.number;
    const network = plan.platform;
    const attemptId = attempt.attemptId;
    // TikTok limits creator_info, init and status per token: those calls wait for a permit of
    // the account's rate gate. Its init is its publish, so nothing is made or uploaded before.
    const gated = network === 'TIKTOK';
    const publishFirst = network === 'TIKTOK';
    async function call<T>(gate: TikTokGate, run: (permit?: Permit) => Promise<T>): Promise<T> {
      return gated ? paced(gate, run) : run();
    }
    async function cancellableCall<T>(gate: TikTokGate, run: (permit?: Permit) => Promise<T>): Promise<T | undefined> {
      return gated ? paced(gate, run, { cancellable: true }) : run();
    }
    const withPermit = (permit?: Permit) => (permit ? { permit } : {});
    /** Set while looking for a lost publish: if that fails, the next attempt must look first. */
    let looking = false;
    try {
      await platform.ensureFreshToken({ socialAccountId: plan.socialAccountId, attemptId });
    } catch (error) {
      const { category, reason } = failureOf(error);
      return { kind: 'failed', category, reason, automaticRetry: category === 'TRANSIENT' };
    }

    /**
     * The network made a post whose media it still processes (a Facebook video): polled until
     * it is ready (the post's final link comes with it) or failed (FAILED with the reason).
     * Only answers recorded with `processing` take this path, so histories from before it
     * replay unchanged.
     */
    async function followProcessing(): Promise<
      AttemptEnd | { kind: 'ready'; post: { postId?: string; url?: string } }
    > {
      let delay = settings.pollInitialMs;
      const deadline = Date.now() + settings.pollTimeoutMs;
      for (;;) {
        const status = await call('status', (permit) =>
          platform.networkPostStatus({ attemptId, ...withPermit(permit) }),
        );
        if (status.kind === 'published') return { kind: 'ready', post: status.post };
        if (status.kind === 'failed') {
          return {
            kind: 'failed',
            category: status.category,
            reason: status.reason,
            automaticRetry: status.madeNothing === true,
          };
        }
        if (Date.now() >= deadline) {
          return {
            kind: 'failed',
            category: 'OUTCOME_UNKNOWN',
            reason: `${network} was still processing the post when polling gave up`,
            automaticRetry: false,
            unknown: true,
          };
        }
        await sleep(delay);
        delay = Math.min(delay * 2, settings.pollMaxMs);
      }
    }

    const published = async (made: {
      postId?: string;
      url?: string;
      processing?: boolean;
      awaitsUpload?: boolean;
    }): Promise<AttemptEnd> => {
      let post: { postId?: string; url?: string } = made;
      looking = false;
      if (made.awaitsUpload) await upload.uploadNetworkMedia({ attemptId });
      if (made.processing) {
        const processed = await followProcessing();
        if (processed.kind !== 'ready') return processed;
        post = { postId: processed.post.postId, url: processed.post.url ?? made.url };
      }
      await store.finishAttempt({
        attemptId,
        result: {
          status: 'SUCCEEDED',
          ...(post.postId ? { platformPostId: post.postId } : {}),
          ...(post.url ? { platformUrl: post.url } : {}),
        },
        final: true,
      });
      return { kind: 'published' };
    };

    /** After a lost publish answer: found, safe to publish again, or unknowable. */
    async function lookForPost(): Promise<AttemptEnd | { kind: 'not-made' }> {
      platformMayHavePost = true;
      looking = true;
      const deadline = Date.now() + settings.reconcileWindowMs;
      for (;;) {
        const settle = Date.now() >= deadline;
        const found = await platform.findNetworkPost({ attemptId, settle });
        if (found.kind === 'found') {
          if (found.post.processing) return published(found.post);
          looking = false;
          await store.finishAttempt({
            attemptId,
            result: {
              status: 'SUCCEEDED',
              ...(found.post.postId ? { platformPostId: found.post.postId } : {}),
              ...(found.post.url ? { platformUrl: found.post.url } : {}),
            },
            final: true,
          });
          return { kind: 'published' };
        }
        if (found.kind === 'unknowable') {
          return {
            kind: 'failed',
            category: 'OUTCOME_UNKNOWN',
            reason: found.reason,
            automaticRetry: false,
            unknown: true,
          };
        }
        if (settle) {
          platformMayHavePost = false;
          looking = false;
          return { kind: 'not-made' };
        }
        await sleep(settings.reconcileIntervalMs);
      }
    }

    try {
      let lookFirst = attempt.publishUnresolved === true;
      if (!lookFirst) {
        if (cancelRequested) return { kind: 'cancelled' };
        const prepared = await cancellableCall('creator_info', (permit) =>
          platform.prepareNetworkPost({ attemptId, ...withPermit(permit) }),
        );
        if (!prepared) return { kind: 'cancelled' };
        if (prepared.kind === 'refused') {
          return {
            kind: 'failed',
            category: prepared.category,
            reason: prepared.reason,
            automaticRetry: prepared.category === 'RATE_LIMITED' || prepared.category === 'TRANSIENT',
          };
        }
        if (cancelRequested) return { kind: 'cancelled' };
        if (!publishFirst) await platform.initNetworkPost({ attemptId });
        // From the upload on, the network may make the post (YouTube's last chunk does).
        if (!publishFirst) platformMayHavePost = true;
        if (!publishFirst) await upload.uploadNetworkMedia({ attemptId });
        let delay = settings.pollInitialMs;
        const deadline = Date.now() + settings.pollTimeoutMs;
        for (; !publishFirst;) {
          const status = await platform.networkPostStatus({ attemptId });
          if (status.kind === 'published') return await published(status.post);
          if (status.kind === 'ready') break;
          if (status.kind === 'failed') {
            return {
              kind: 'failed',
              category: status.category,
              reason: status.reason,
              automaticRetry: status.category === 'TRANSIENT',
            };
          }
          if (Date.now() >= deadline) {
            return {
              kind: 'failed',
              category: 'OUTCOME_UNKNOWN',
              reason: `${network} was still processing the post when polling gave up`,
              automaticRetry: false,
              unknown: true,
            };
          }
          await sleep(delay);
          delay = Math.min(delay * 2, settings.pollMaxMs);
        }
      }
      for (;;) {
        if (lookFirst) {
          const looked = await lookForPost();
          if (looked.kind !== 'not-made') return looked;
        }
        if (!gated) platformMayHavePost = true;
        const outcome = await cancellableCall('init', (permit) => {
          // Decided in the same step as the call: a cancel accepted before this point wins.
          platformMayHavePost = true;
          return platform.publishNetworkPost({ attemptId, ...withPermit(permit) });
        });
        if (!outcome) return { kind: 'cancelled' };
        if (outcome.kind === 'published') return await published(outcome.post);
        if (outcome.kind === 'refused') {
          platformMayHavePost = false;
          return {
            kind: 'failed',
            category: outcome.category,
            reason: outcome.reason,
            automaticRetry: outcome.category === 'RATE_LIMITED' || outcome.category === 'TRANSIENT',
            ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}),
          };
        }
        lookFirst = true;
      }
    } catch (error) {
      if (isCancellation(error)) throw error;
      const { category, reason } = failureOf(error);
      if (looking) {
        // A look for a lost publish that failed (a token refused meanwhile, an outage): the
        // post may exist, and whoever tries next must look before sending.
        return {
          kind: 'failed',
          category: 'OUTCOME_UNKNOWN',
          reason: `${network} could not be asked whether the post was made: ${reason}`,
          automaticRetry: false,
          unknown: true,
          lookFirst: true,
        };
      }
      if (!platformMayHavePost || category === 'REJECTED_BY_PLATFORM' || category === 'TOKEN_EXPIRED') {
        return {
          kind: 'failed',
          category,
          reason,
          automaticRetry: !platformMayHavePost && category !== 'REJECTED_BY_PLATFORM' && category !== 'TOKEN_EXPIRED',
        };
      }
      return { kind: 'failed', category: 'OUTCOME_UNKNOWN', reason, automaticRetry: false, unknown: true };
    }
  }

  try {
    // ── Wait for the scheduled time (or an operator's retry of a failed publication). ──
    if (plan.state === 'FAILED' && !retryRequest) {
      phase = 'FAILED';
    } else if (!retryRequest) {
      for (;;) {
        if (cancelRequested) return finish('CANCELLED');
        const remaining = (scheduledAtMs ?? 0) - Date.now();
        if (remaining <= 0) break;
        const version = scheduleVersion;
        await condition(() => cancelRequested || scheduleVersion !== version, remaining);
        if (scheduleVersion !== version && scheduledAtMs === plan.scheduledAtMs) {
          // Told the schedule changed elsewhere: read it again.
          scheduledAtMs = (await store.loadPublication({ publicationId: input.publicationId, workflowId }))
            .scheduledAtMs;
        }
      }
    }

    for (;;) {
      if (phase === 'FAILED') {
        const asked = await condition(() => retryRequest !== undefined || cancelRequested, settings.failedWaitMs);
        if (cancelRequested) return finish('CANCELLED');
        if (!asked) return finish('FAILED');
      }
      const triggeredById = retryRequest?.triggeredById ?? null;
      retryRequest = undefined;
      phase = 'PUBLISHING';
      failure = null;
      let automatic = 0;
      for (;;) {
        const attempt = await store.startAttempt({
          publicationId: input.publicationId,
          triggeredById: automatic === 0 ? triggeredById : null,
        });
        attempts++;
        // Every network goes through its NetworkPublisher; TikTok runs recorded before its
        // publisher existed keep the path they were made with.
        const end =
          plan.platform === 'TIKTOK' && !patched(tiktokPublisher)
            ? await runAttempt(attempt)
            : await runNetworkAttempt(attempt);
        if (end.kind === 'published') return finish('PUBLISHED');
        if (end.kind === 'cancelled') return finish('CANCELLED');
        const retryAutomatically = end.automaticRetry && automatic + 1 < settings.automaticAttempts && !cancelRequested;
        const result: AttemptResult = {
          status: end.unknown ? 'OUTCOME_UNKNOWN' : 'FAILED',
          category: end.category,
          reason: end.reason,
          ...(end.lookFirst ? { lookFirst: true } : {}),
        };
        failure = { category: end.category, reason: end.reason };
        if (!retryAutomatically) {
          // FAILED before the failure is stored: an operator who sees it stored (and is told)
          // may retry at once, and the retry is taken even while this activity still runs.
          phase = 'FAILED';
          platformMayHavePost = false;
        }
        await store.finishAttempt({ attemptId: attempt.attemptId, result, final: !retryAutomatically });
        if (!retryAutomatically) break;
        automatic++;
        await sleep(automaticRetryDelay(end.retryAfterMs, automatic));
      }
      phase = 'FAILED';
      platformMayHavePost = false;
    }
  } catch (error) {
    if (!patched(recordsFailures)) throw error;
    return recordFailure(error);
  }

  /**
   * The run is ending on an error nothing recorded: the publication must not stay PUBLISHING.
   * A cancellation of the run itself is recorded too (as a cancel while nothing may have been
   * sent, else as FAILED), outside the cancelled scope so that the write still happens.
   */
  async function recordFailure(error: unknown): Promise<PublishResult> {
    const cancelled = isCancellation(error);
    if (cancelled && !platformMayHavePost) {
      await CancellationScope.nonCancellable(() => store.markCancelled({ publicationId: input.publicationId }));
      phase = 'CANCELLED';
      return { state: 'CANCELLED', attempts };
    }
    const { category, reason } = cancelled
      ? { category: 'OUTCOME_UNKNOWN' as const, reason: 'its publish run was cancelled while publishing' }
      : failureOf(error);
    await CancellationScope.nonCancellable(() =>
      store.recordRunFailure({
        publicationId: input.publicationId,
        category,
        reason: `publishing stopped on an error: ${reason}`,
        platformMayHavePost,
      }),
    );
    phase = 'FAILED';
    failure = { category, reason };
    return { state: 'FAILED', attempts, failure };
  }
}

// A check asks the platform (heartbeating while it does) and writes a few rows: cheap and safe
// to repeat, since it only ever settles what is not settled yet.
const checks = proxyActivities<PublishActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
});

export interface PublicationCheckInput {
  /** Rows changed more recently than this are left alone (their workflow may be starting). */
  graceMs?: number;
  /** At most this many repairs per run; the next run takes the rest. */
  limit?: number;
}

/**
 * The periodic check (a Temporal Schedule, every few minutes): publications that are
 * SCHEDULED or PUBLISHING while no publish workflow runs for them — terminated, timed out,
 * failed before recording its end, or never started — are settled: PUBLISHED when the
 * platform has the post, else FAILED with the reason, the operators told.
 */
export async function publicationCheckWorkflow(
  input: PublicationCheckInput = {},
): Promise<{ checked: number; repaired: number }> {
  const { publicationIds } = await checks.findStrandedPublications({
    graceMs: input.graceMs ?? 2 * 60_000,
    limit: input.limit ?? 100,
  });
  let repaired = 0;
  for (const publicationId of publicationIds) {
    const result = await checks.checkPublication({ publicationId });
    if (result.changed) repaired++;
  }
  return { checked: publicationIds.length, repaired };
}

/** An operator's check of one publication (checkPublication in the api). */
export async function checkPublicationWorkflow(input: { publicationId: string }): Promise<PublicationCheck> {
  return checks.checkPublication(input);
}
