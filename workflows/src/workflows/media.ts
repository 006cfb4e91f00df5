import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { MediaActivities } from '../activities/media.js';

const media = proxyActivities<MediaActivities>({
  // A long video's rendition takes minutes; the heartbeat tells a lost worker from a slow one.
  startToCloseTimeout: '2h',
  heartbeatTimeout: '2m',
  // A worker lost or storage briefly unreachable is worth a few more tries; a file ffprobe or
  // the image decoder cannot read fails non-retryably (UnprocessableMedia) and is not retried.
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 4 },
});

const record = proxyActivities<MediaActivities>({
  startToCloseTimeout: '30s',
  // Only a database write: retried until it lands.
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export function mediaProcessingWorkflowId(assetId: string): string {
  return `media:${assetId}`;
}

/**
 * One upload, stored whole: probe, previews, and the platform-ready rendition. Whatever
 * fails ends the asset FAILED with the reason; the workflow itself completes, so nothing
 * retries it in a loop.
 */
export async function processMediaAssetWorkflow(input: {
  assetId: string;
}): Promise<{ status: 'READY' | 'FAILED'; reason?: string }> {
  try {
    await media.processMediaAsset({ assetId: input.assetId });
    return { status: 'READY' };
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : error;
    const reason =
      cause instanceof ApplicationFailure && cause.type === 'UnprocessableMedia'
        ? cause.message
        : `processing failed: ${cause instanceof Error ? cause.message : String(cause)}`;
    await record.failMediaAsset({ assetId: input.assetId, reason });
    return { status: 'FAILED', reason };
  }
}
