import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { AiUploadActivities } from '../activities/ai-uploads.js';

const ai = proxyActivities<AiUploadActivities>({
  // Frames from a long video and a vision answer take a minute or two on a loaded machine.
  startToCloseTimeout: '10m',
  // A provider's 429/5xx or a lost worker is worth a few tries; AI_DISABLED and refusals are
  // non-retryable failures and end the review at once.
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 4 },
});

const record = proxyActivities<AiUploadActivities>({
  startToCloseTimeout: '30s',
  // Only a database write: retried until it lands.
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export function videoReviewWorkflowId(reviewId: string): string {
  return `video-review:${reviewId}`;
}

export function captionSuggestionWorkflowId(requestId: string): string {
  return `caption-suggestions:${requestId}`;
}

function reasonOf(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/** One AI video review; whatever fails ends the review FAILED with the reason, never a retry loop. */
export async function videoReviewWorkflow(input: { reviewId: string }): Promise<{ status: 'DONE' | 'FAILED' }> {
  try {
    const result = await ai.reviewPostVideo(input);
    return { status: result.status };
  } catch (error) {
    await record.failVideoReview({ reviewId: input.reviewId, reason: reasonOf(error) });
    return { status: 'FAILED' };
  }
}

/** Caption suggestions, asked by the api and awaited: the worker holds the provider clients. */
export async function captionSuggestionsWorkflow(
  input: Parameters<AiUploadActivities['suggestCaptionsForMedia']>[0],
): Promise<ReturnType<AiUploadActivities['suggestCaptionsForMedia']> extends Promise<infer T> ? T : never> {
  try {
    return await ai.suggestCaptionsForMedia(input);
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    // The activity's type (AI_DISABLED, NOT_FOUND, a provider's category) reaches the caller.
    if (cause instanceof ApplicationFailure) throw ApplicationFailure.nonRetryable(cause.message, cause.type);
    throw ApplicationFailure.nonRetryable(reasonOf(error), 'UNKNOWN');
  }
}
