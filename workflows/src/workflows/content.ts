import {
  ParentClosePolicy,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ContentActivities, ReviewPlan } from '../activities/content.js';

// Database work, safe to repeat: retried patiently.
const content = proxyActivities<ContentActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 20 },
});

// One post: an AI call and rendering. A few tries for an overloaded provider; a refusal
// (invalid request, no provider) is not retried. Then the post fails and the batch goes on.
// It heartbeats every second, so a worker that died mid-post is noticed in 10 s, not after
// the 5 minutes an AI call may take.
const generation = proxyActivities<ContentActivities>({
  startToCloseTimeout: '5m',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 4 },
});

export function batchWorkflowId(batchId: string): string {
  return `batch:${batchId}`;
}

export function reviewWorkflowId(postId: string): string {
  return `review:${postId}`;
}

export interface GenerateBatchResult {
  status: string;
  inReview: string[];
}

/** Posts generated at the same time: the AI provider's rate limit is per key. */
const parallelPosts = 3;

/**
 * brief + brand knowledge → N posts, each written, rendered, stored and put IN_REVIEW as it
 * happens (progress is per post); one post failing does not sink the batch. The reviewers
 * are told, and each post gets its review workflow.
 */
export async function generateBatchWorkflow(input: { batchId: string }): Promise<GenerateBatchResult> {
  const { count } = await content.startBatch({ batchId: input.batchId, workflowId: workflowInfo().workflowId });
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallelPosts, count) }, async () => {
      while (next < count) {
        const index = next++;
        try {
          await generation.generatePost({ batchId: input.batchId, index });
        } catch (error) {
          const cause = (error as { cause?: Error }).cause ?? (error as Error);
          await content.failPost({ batchId: input.batchId, index, reason: cause.message });
        }
      }
    }),
  );
  const result = await content.finishBatch({ batchId: input.batchId });
  for (const postId of result.inReview) {
    try {
      await startChild(reviewWorkflow, {
        workflowId: reviewWorkflowId(postId),
        args: [{ postId }],
        // Reviews outlive the batch that made them.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (error) {
      // A reviewer decided on this post while the rest of the batch was still being written:
      // that decision started its review already.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
  return result;
}

export interface ReviewInput {
  postId: string;
}

/** Reviewer ids that name an API token rather than a member: `apiToken:<id>`. */
export const apiTokenReviewerPrefix = 'apiToken:';

export interface ReviewDecisionRequest {
  /** The member's user id, or `apiToken:<id>` for an integrator's token; each decides once. */
  reviewerId: string;
  comment?: string;
  /**
   * The post's version the reviewer decided on. A reviewer decides once per version: after the
   * text changes in review they may approve the new text; a decision on an old version is not
   * recorded (the result carries staleVersion).
   */
  expectedVersion?: number;
}

export interface ReviewDecisionResult {
  status: string;
  approvals: number;
  requiredApprovals: number;
  /** Set when the decision was made on an older version: nothing was recorded. */
  staleVersion?: number;
}

export const approveUpdate = defineUpdate<ReviewDecisionResult, [ReviewDecisionRequest]>('approve');
export const rejectUpdate = defineUpdate<ReviewDecisionResult, [ReviewDecisionRequest]>('reject');
export const reviewStatusQuery = defineQuery<{ status: string; approvals: number; requiredApprovals: number }>(
  'reviewStatus',
);

/** One decision per reviewer and version of the text (decisions without a version: one per reviewer). */
function decisionKey(request: ReviewDecisionRequest): string {
  return request.expectedVersion === undefined
    ? request.reviewerId
    : `${request.reviewerId}@${request.expectedVersion}`;
}

/**
 * Waits for the reviewers: approve and reject are updates (validated, answered with the
 * post's new state). Reminds on a timer, escalates to owners and admins, and deletes a
 * rejected post's rendered images when the organization's retention says.
 */
export async function reviewWorkflow(input: ReviewInput): Promise<{ status: string }> {
  // Handlers are set before the first await: with update-with-start the first decision
  // arrives together with the start, and waits here until the plan is loaded.
  let loaded: ReviewPlan | undefined = undefined;
  const planLoaded = async (): Promise<ReviewPlan> => {
    await condition(() => loaded !== undefined);
    return loaded!;
  };
  let status = 'IN_REVIEW';
  let approvals = 0;
  let deleteAfterMs: number | undefined;
  const decided = new Set<string>();

  setHandler(reviewStatusQuery, () => ({ status, approvals, requiredApprovals: loaded?.requiredApprovals ?? 1 }));
  const decide =
    (decision: 'APPROVED' | 'REJECTED') =>
    async (request: ReviewDecisionRequest): Promise<ReviewDecisionResult> => {
      const key = decisionKey(request);
      decided.add(key);
      const plan = await planLoaded();
      const result = await content.recordReview({
        postId: input.postId,
        reviewerId: request.reviewerId,
        decision,
        ...(request.comment !== undefined ? { comment: request.comment } : {}),
        ...(request.expectedVersion !== undefined ? { expectedVersion: request.expectedVersion } : {}),
        requiredApprovals: plan.requiredApprovals,
        rejectedMediaRetentionMs: plan.rejectedMediaRetentionMs,
      });
      status = result.status;
      approvals = result.approvals;
      if (result.deleteAfterMs !== undefined) deleteAfterMs = result.deleteAfterMs;
      if (result.staleVersion !== undefined) {
        // Nothing was recorded: the reviewer may decide again on the text as it is now.
        decided.delete(key);
        return { status, approvals, requiredApprovals: plan.requiredApprovals, staleVersion: result.staleVersion };
      }
      return { status, approvals, requiredApprovals: plan.requiredApprovals };
    };
  const validate = (request: ReviewDecisionRequest) => {
    if (!request.reviewerId) throw new Error('a decision needs its reviewer');
    if (status !== 'IN_REVIEW') throw new Error(`the post is already ${status.toLowerCase()}`);
    if (decided.has(decisionKey(request))) throw new Error('this reviewer has already decided on this post');
  };
  setHandler(approveUpdate, decide('APPROVED'), { validator: validate });
  setHandler(rejectUpdate, decide('REJECTED'), { validator: validate });
  const plan = await content.loadReviewPlan({ postId: input.postId });
  loaded = plan;

  for (let round = 1; ; round++) {
    if (await condition(() => status !== 'IN_REVIEW', plan.settings.reviewReminderMs)) break;
    if (round > plan.settings.maxReminders) {
      await condition(() => status !== 'IN_REVIEW');
      break;
    }
    await content.remindReviewers({
      postId: input.postId,
      round,
      escalate: round >= plan.settings.escalateAfterReminders,
    });
  }
  if (status === 'REJECTED' && deleteAfterMs !== undefined) {
    // The review ends with the decision, so a post edited and submitted again gets a new
    // review run under the same id; the media deletion waits in a workflow of its own.
    if (patched('rejected-media-in-own-workflow')) {
      await startChild(rejectedMediaWorkflow, {
        workflowId: `rejected-media:${input.postId}:${workflowInfo().runId}`,
        args: [{ postId: input.postId, deleteAfterMs }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } else {
      const wait = deleteAfterMs - Date.now();
      if (wait > 0) await sleep(wait);
      await content.deleteRejectedMedia({ postId: input.postId });
    }
  }
  return { status };
}

/** Deletes a rejected post's rendered images once the organization's retention says. */
export async function rejectedMediaWorkflow(input: { postId: string; deleteAfterMs: number }): Promise<void> {
  const wait = input.deleteAfterMs - Date.now();
  if (wait > 0) await sleep(wait);
  await content.deleteRejectedMedia({ postId: input.postId });
}
