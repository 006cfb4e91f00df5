import {
  Client,
  Connection,
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type ScheduleOptionsStartWorkflowAction,
  type WorkflowHandle,
} from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, type Workflow } from '@temporalio/common';
import {
  approveUpdate,
  batchWorkflowId,
  generateBatchWorkflow,
  rejectUpdate,
  reviewWorkflow,
  reviewWorkflowId,
  type ReviewDecisionRequest,
  type ReviewDecisionResult,
} from './workflows/content.js';
import { deletionWorkflow, exportDataWorkflow, retentionWorkflow } from './workflows/governance.js';
import { mediaProcessingWorkflowId, processMediaAssetWorkflow } from './workflows/media.js';
import {
  captionSuggestionsWorkflow,
  captionSuggestionWorkflowId,
  videoReviewWorkflow,
  videoReviewWorkflowId,
} from './workflows/ai-uploads.js';
import { contactSubmissionWorkflow } from './workflows/contact.js';
import { syncAccountWorkflow } from './workflows/sync.js';
import { syncAdsInventoryWorkflow } from './workflows/ads.js';
import { syncAdsFactsWorkflow } from './workflows/ads-backfill.js';
import { adsBulkJobWorkflow } from './workflows/ads-bulk.js';
import { webhookDeliveryWorkflow, webhookDeliveryWorkflowId } from './workflows/webhooks.js';
import {
  cancelUpdate,
  checkPublicationWorkflow,
  publicationCheckWorkflow,
  publicationStatusQuery,
  publishWorkflow,
  rescheduleUpdate,
  retryUpdate,
  type PublicationStatus,
  type PublishActivityTimeouts,
} from './workflows/publish.js';

export {
  apiTokenReviewerPrefix,
  batchWorkflowId,
  reviewWorkflowId,
  type ReviewDecisionResult,
} from './workflows/content.js';

/** Every Pressroom workflow and activity runs on this task queue. */
export const taskQueue = 'pressroom';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
}

/**
 * The typed entry point the api uses to start and signal workflows. The connection is lazy,
 * so creating the client never blocks on Temporal being up.
 */
export function connectTemporalClient(options: TemporalClientOptions): Client {
  return new Client({ connection: Connection.lazy({ address: options.address }), namespace: options.namespace });
}

/** One workflow per publication, for its whole life (schedule, attempts, retries). */
export function publicationWorkflowId(publicationId: string): string {
  return `publication:${publicationId}`;
}

export interface WorkflowTarget {
  /** Defaults to `pressroom`; tests use a queue of their own. */
  taskQueue?: string;
}

/**
 * Starts publishing a Publication the api has written (state SCHEDULED, scheduledAt set).
 * Calling it again for the same publication returns the running workflow.
 */
export async function schedulePublication(
  client: Client,
  publicationId: string,
  /** `activityTimeouts`: shorter ones for tests that kill the worker; left out in production. */
  target: WorkflowTarget & { activityTimeouts?: PublishActivityTimeouts } = {},
): Promise<WorkflowHandle<typeof publishWorkflow>> {
  const workflowId = publicationWorkflowId(publicationId);
  try {
    return await client.workflow.start(publishWorkflow, {
      workflowId,
      taskQueue: target.taskQueue ?? taskQueue,
      args: [{ publicationId, ...(target.activityTimeouts ? { activityTimeouts: target.activityTimeouts } : {}) }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return client.workflow.getHandle(workflowId);
    throw error;
  }
}

/** Moves a publication that is still waiting; refused (WorkflowUpdateFailedError) once it started. */
export async function reschedulePublication(client: Client, publicationId: string, scheduledAt: Date) {
  return client.workflow
    .getHandle(publicationWorkflowId(publicationId))
    .executeUpdate(rescheduleUpdate, { args: [{ scheduledAt: scheduledAt.toISOString() }] });
}

/** Cancels until the platform may have the post; refused after that. */
export async function cancelPublication(client: Client, publicationId: string) {
  return client.workflow.getHandle(publicationWorkflowId(publicationId)).executeUpdate(cancelUpdate);
}

/**
 * An operator's retry of a FAILED publication: a new attempt on the same publication. When the
 * publication's workflow has already ended, a new run starts straight into the attempt.
 */
export async function retryPublication(
  client: Client,
  publicationId: string,
  request: { triggeredById: string | null },
  target: WorkflowTarget = {},
): Promise<{ attemptNumber: number | null }> {
  const workflowId = publicationWorkflowId(publicationId);
  const handle = client.workflow.getHandle(workflowId);
  const running = await handle
    .describe()
    .then((description) => description.status.name === 'RUNNING')
    .catch(() => false);
  if (running) return handle.executeUpdate(retryUpdate, { args: [request] });
  await client.workflow.start(publishWorkflow, {
    workflowId,
    taskQueue: target.taskQueue ?? taskQueue,
    args: [{ publicationId, retry: request }],
  });
  return { attemptNumber: null };
}

/**
 * Asks the platform again about a publication whose outcome is not settled (see
 * checkPublication in the publish activities) and answers what was found and done.
 */
export async function checkPublication(client: Client, publicationId: string, target: WorkflowTarget = {}) {
  return client.workflow.execute(checkPublicationWorkflow, {
    workflowId: `publication-check:${publicationId}`,
    taskQueue: target.taskQueue ?? taskQueue,
    args: [{ publicationId }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

/**
 * Makes sure a Schedule starts `workflow` every `every`, with the Schedule's id as the
 * workflow id: a run still going when the next is due is skipped, never stacked. One that
 * exists already is left as it is, so callers may call this again.
 */
async function ensureSchedule<W extends Workflow>(
  client: Client,
  schedule: { id: string; every: string; workflow: W; args: Parameters<W>; taskQueue?: string },
): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: schedule.id,
      spec: { intervals: [{ every: schedule.every }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      // The SDK's conditional type cannot see that args are Parameters<W> for a generic W;
      // callers' args are checked against their workflow by this function's signature.
      action: {
        type: 'startWorkflow',
        workflowType: schedule.workflow,
        workflowId: schedule.id,
        taskQueue: schedule.taskQueue ?? taskQueue,
        args: schedule.args,
      } as ScheduleOptionsStartWorkflowAction<W>,
    });
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
}

/** The Schedule of the periodic check for stranded publications (one per deployment). */
export const publicationCheckScheduleId = 'publication-check';

/**
 * Makes sure the periodic check runs (every 5 minutes by default): publications left
 * SCHEDULED or PUBLISHING by a publish workflow that is no longer running are settled and
 * the operators told. Safe to call again.
 */
export async function ensurePublicationCheckSchedule(client: Client, target: WorkflowTarget & { every?: string } = {}) {
  await ensureSchedule(client, {
    id: publicationCheckScheduleId,
    every: target.every ?? '5m',
    workflow: publicationCheckWorkflow,
    args: [{}],
    taskQueue: target.taskQueue,
  });
}

export async function publicationStatus(client: Client, publicationId: string): Promise<PublicationStatus> {
  return client.workflow.getHandle(publicationWorkflowId(publicationId)).query(publicationStatusQuery);
}

// Temporal's enum values (temporal.api.enums.v1), spelled out: the proto package is not a
// dependency of its own here.
const normalTaskQueue = 1; // TASK_QUEUE_KIND_NORMAL
const taskQueueTypes = { workflow: 1, activity: 2 } as const; // TASK_QUEUE_TYPE_*

/** A protobuf Timestamp in ms (its seconds may be a Long, which converts through Number). */
function timestampMs(at: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return at ? Number(at.seconds ?? 0) * 1000 + Math.floor((at.nanos ?? 0) / 1e6) : 0;
}

/**
 * Whether a worker polls `queue` for both workflow and activity tasks, i.e. whether a
 * workflow started now would run. Temporal lists the pollers it heard from in the last few
 * minutes with the time of each one's latest poll; an idle worker polls again about every
 * minute (a long poll's length), so only pollers seen within `freshMs` count.
 */
export async function workerPolls(client: Client, queue: string = taskQueue, freshMs = 120_000): Promise<boolean> {
  const since = Date.now() - freshMs;
  const answers = await Promise.all(
    Object.values(taskQueueTypes).map((taskQueueType) =>
      client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: queue, kind: normalTaskQueue },
        taskQueueType,
      }),
    ),
  );
  return answers.every((answer) => answer.pollers.some((poller) => timestampMs(poller.lastAccessTime) >= since));
}

/**
 * The PostgreSQL application_name of a worker process's presence connection for `queue`
 * (presence.ts); PostgreSQL keeps the first 63 bytes of a name.
 */
export function workerPresenceName(queue: string = taskQueue): string {
  return `pressroom-worker:${queue}`.slice(0, 63);
}

/** The Temporal Schedule that syncs one account's analytics. */
export function syncScheduleId(socialAccountId: string): string {
  return `sync:${socialAccountId}`;
}

/**
 * Makes sure a connected account has its sync Schedule (every 6 hours by default; a sync
 * still running when the next is due is skipped, not stacked). Safe to call again.
 */
export async function ensureSyncSchedule(
  client: Client,
  socialAccountId: string,
  options: WorkflowTarget & { every?: string } = {},
): Promise<void> {
  await ensureSchedule(client, {
    id: syncScheduleId(socialAccountId),
    every: options.every ?? '6h',
    workflow: syncAccountWorkflow,
    args: [{ socialAccountId }],
    taskQueue: options.taskQueue,
  });
}

/** Sync now, on demand: the account's Schedule runs its action at once. */
export async function syncAccountNow(client: Client, socialAccountId: string): Promise<void> {
  await client.schedule.getHandle(syncScheduleId(socialAccountId)).trigger(ScheduleOverlapPolicy.SKIP);
}

/**
 * An account to sync from now on (just connected, or asked to sync now): its Schedule made if
 * missing, and a sync run at once rather than when the first interval comes round (6 hours
 * after connecting), so its numbers show straight away.
 */
export async function startSyncingAccount(
  client: Client,
  socialAccountId: string,
  options: WorkflowTarget & { every?: string } = {},
): Promise<void> {
  await ensureSyncSchedule(client, socialAccountId, options);
  await syncAccountNow(client, socialAccountId);
}

/** Removes the Schedule (account disconnected or deleted). */
export async function removeSyncSchedule(client: Client, socialAccountId: string): Promise<void> {
  await client.schedule
    .getHandle(syncScheduleId(socialAccountId))
    .delete()
    .catch(() => undefined);
}

/** Runs one sync outside the Schedule and returns its handle (tools, tests, benchmarks). */
export function startAccountSync(client: Client, socialAccountId: string, target: WorkflowTarget = {}) {
  return client.workflow.start(syncAccountWorkflow, {
    workflowId: `sync-once:${socialAccountId}:${Date.now()}`,
    taskQueue: target.taskQueue ?? taskQueue,
    args: [{ socialAccountId }],
  });
}

/** Starts generating a Batch the api has written (status QUEUED). Idempotent per batch. */
export async function createBatch(client: Client, batchId: string, target: WorkflowTarget = {}) {
  try {
    return await client.workflow.start(generateBatchWorkflow, {
      workflowId: batchWorkflowId(batchId),
      taskQueue: target.taskQueue ?? taskQueue,
      args: [{ batchId }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError)
      return client.workflow.getHandle<typeof generateBatchWorkflow>(batchWorkflowId(batchId));
    throw error;
  }
}

/**
 * Starts the review of a post that entered IN_REVIEW (reminders, escalation). A review
 * already running for the post is kept.
 */
export async function startReview(client: Client, postId: string, target: WorkflowTarget = {}) {
  return client.workflow.start(reviewWorkflow, {
    workflowId: reviewWorkflowId(postId),
    taskQueue: target.taskQueue ?? taskQueue,
    args: [{ postId }],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

function decideOnPost(
  update: typeof approveUpdate,
  client: Client,
  postId: string,
  request: ReviewDecisionRequest,
  target: WorkflowTarget,
): Promise<ReviewDecisionResult> {
  // Update-with-start: a post whose review run has not started (a hand-written draft submitted
  // while Temporal was away, a post edited after a rejection) gets one, in the same call.
  return client.workflow.executeUpdateWithStart(update, {
    args: [request],
    startWorkflowOperation: new WithStartWorkflowOperation(reviewWorkflow, {
      workflowId: reviewWorkflowId(postId),
      taskQueue: target.taskQueue ?? taskQueue,
      args: [{ postId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

/**
 * A reviewer approves a post in review; answers with the post's state and approval count.
 * Refused (WorkflowUpdateFailedError) when the post is no longer in review or this reviewer
 * has already decided.
 */
export function approvePost(
  client: Client,
  postId: string,
  request: ReviewDecisionRequest,
  target: WorkflowTarget = {},
): Promise<ReviewDecisionResult> {
  return decideOnPost(approveUpdate, client, postId, request, target);
}

/** A reviewer rejects a post in review; its rendered images are deleted after the retention. */
export function rejectPost(
  client: Client,
  postId: string,
  request: ReviewDecisionRequest,
  target: WorkflowTarget = {},
): Promise<ReviewDecisionResult> {
  return decideOnPost(rejectUpdate, client, postId, request, target);
}

/** The daily retention Schedule (one per deployment). Safe to call again. */
export async function ensureRetentionSchedule(client: Client, target: WorkflowTarget & { every?: string } = {}) {
  await ensureSchedule(client, {
    id: 'retention',
    every: target.every ?? '1d',
    workflow: retentionWorkflow,
    args: [],
    taskQueue: target.taskQueue,
  });
}

/** Produces the archive of a DataExportRequest the api has written (PENDING). */
export function requestDataExport(client: Client, requestId: string, target: WorkflowTarget = {}) {
  return client.workflow.start(exportDataWorkflow, {
    workflowId: `export:${requestId}`,
    taskQueue: target.taskQueue ?? taskQueue,
    args: [{ requestId }],
  });
}

/** Carries out a DeletionRequest the api has written (a user, a social account, an organization). */
export function deleteAccount(client: Client, requestId: string, target: WorkflowTarget = {}) {
  return client.workflow.start(deletionWorkflow, {
    workflowId: `deletion:${requestId}`,
    taskQueue: target.taskQueue ?? taskQueue,
    args: [{ requestId }],
  });
}

/** Tells a contact form submission's organization about it; a repeat start is a no-op. */
export async function notifyContactSubmission(client: Client, submissionId: string, target: WorkflowTarget = {}) {
  try {
    await client.workflow.start(contactSubmissionWorkflow, {
      workflowId: `contact:${submissionId}`,
      taskQueue: target.taskQueue ?? taskQueue,
      args: [{ submissionId }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export { webhookDeliveryWorkflowId };

/**
 * Starts delivering a WebhookDelivery row. `run` is 0 for the first delivery and the attempts
 * made so far for a redelivery, so each run has its own workflow id and a repeat of the same
 * start returns the running one.
 */
export async function startWebhookDelivery(
  client: Client,
  deliveryId: string,
  run: number,
  target: WorkflowTarget = {},
): Promise<void> {
  try {
    await client.workflow.start(webhookDeliveryWorkflow, {
      workflowId: webhookDeliveryWorkflowId(deliveryId, run),
      taskQueue: target.taskQueue ?? taskQueue,
      args: [{ deliveryId }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

export { mediaProcessingWorkflowId };

/** Where a media library upload's original is stored, and its tus upload id. */
export function mediaUploadKey(assetId: string): string {
  return `uploads/${assetId}`;
}

/** Starts processing an upload that arrived whole; a repeat finds the one already running. */
export async function startMediaProcessing(
  client: Client,
  assetId: string,
  target: WorkflowTarget = {},
): Promise<void> {
  try {
    await client.workflow.start(processMediaAssetWorkflow, {
      workflowId: mediaProcessingWorkflowId(assetId),
      taskQueue: target.taskQueue ?? taskQueue,
      args: [{ assetId }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

export function adsInventoryScheduleId(connectionId: string): string {
  return `ads-inventory:${connectionId}`;
}

/**
 * An ads connection to keep in sync: its inventory Schedule (every 6 hours; a sync still
 * running when the next is due is skipped) made if missing, and a sync run at once.
 */
export async function startSyncingAdsConnection(
  client: Client,
  connectionId: string,
  options: WorkflowTarget & { every?: string } = {},
): Promise<void> {
  const scheduleId = adsInventoryScheduleId(connectionId);
  await ensureSchedule(client, {
    id: scheduleId,
    every: options.every ?? '6h',
    workflow: syncAdsInventoryWorkflow,
    args: [{ connectionId }],
    taskQueue: options.taskQueue,
  });
  await client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.SKIP);
  await startAdsFactsSchedule(client, connectionId, options);
}

export function adsFactsScheduleId(connectionId: string): string {
  return `ads-facts:${connectionId}`;
}

/**
 * The connection's daily facts Schedule (made if missing) and a run at once: the first run
 * backfills 90 days, later ones read the new day and re-read the days TikTok still revises.
 */
export async function startAdsFactsSchedule(
  client: Client,
  connectionId: string,
  options: WorkflowTarget & { every?: string } = {},
): Promise<void> {
  const scheduleId = adsFactsScheduleId(connectionId);
  await ensureSchedule(client, {
    id: scheduleId,
    every: options.every ?? '24h',
    workflow: syncAdsFactsWorkflow,
    args: [{ connectionId }],
    taskQueue: options.taskQueue,
  });
  await client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.SKIP);
}

/** Removes the Schedules (connection ended). */
export async function removeAdsInventorySchedule(client: Client, connectionId: string): Promise<void> {
  for (const id of [adsInventoryScheduleId(connectionId), adsFactsScheduleId(connectionId)]) {
    await client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  }
}

/** One run of a bulk job: run 1 applies it, each retry of its failed items is the next run. */
export function adsBulkJobWorkflowId(jobId: string, run: number): string {
  return `ads-bulk:${jobId}:${run}`;
}

/** Starts a run of an ads bulk job (a run already started is left alone). */
export async function startAdsBulkJobRun(
  client: Client,
  jobId: string,
  run: number,
  /** `chunkTimeoutMs`: a shorter one for tests that kill the worker; left out in production. */
  options: WorkflowTarget & { chunkTimeoutMs?: number } = {},
): Promise<void> {
  try {
    await client.workflow.start(adsBulkJobWorkflow, {
      workflowId: adsBulkJobWorkflowId(jobId, run),
      taskQueue: options.taskQueue ?? taskQueue,
      args: [{ jobId, run, ...(options.chunkTimeoutMs ? { chunkTimeoutMs: options.chunkTimeoutMs } : {}) }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

export { videoReviewWorkflowId };

/** Starts the AI review of a post's video (a VideoReview row made RUNNING by the caller). */
export async function startVideoReview(client: Client, reviewId: string, target: WorkflowTarget = {}): Promise<void> {
  try {
    await client.workflow.start(videoReviewWorkflow, {
      workflowId: videoReviewWorkflowId(reviewId),
      taskQueue: target.taskQueue ?? taskQueue,
      args: [{ reviewId }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return;
    throw error;
  }
}

export type CaptionSuggestionsInput = Parameters<typeof captionSuggestionsWorkflow>[0];

/**
 * Caption suggestions from uploads, run by the worker (which holds the providers' clients)
 * and awaited. A failure's type (AI_DISABLED, NOT_FOUND, RATE_LIMITED ...) comes back as
 * `failure`, so the caller answers with its own typed error.
 */
export async function suggestCaptions(
  client: Client,
  input: CaptionSuggestionsInput,
  target: WorkflowTarget = {},
): Promise<
  | { suggestions: Awaited<ReturnType<typeof captionSuggestionsWorkflow>>['suggestions'] }
  | { failure: { type: string; message: string } }
> {
  try {
    return await client.workflow.execute(captionSuggestionsWorkflow, {
      workflowId: captionSuggestionWorkflowId(randomUUID()),
      taskQueue: target.taskQueue ?? taskQueue,
      args: [input],
    });
  } catch (error) {
    if (error instanceof WorkflowFailedError && error.cause instanceof ApplicationFailure) {
      return { failure: { type: error.cause.type ?? 'UNKNOWN', message: error.cause.message } };
    }
    throw error;
  }
}
