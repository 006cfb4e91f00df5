import { proxyActivities } from '@temporalio/workflow';
import type { AdsBulkActivities, AdsBulkRunOutcome } from '../activities/ads-bulk.js';

export interface AdsBulkJobInput {
  jobId: string;
  /** 1 for the first run, one more for each retry of the failed items. */
  run: number;
  /**
   * The chunk activity's start-to-close timeout (20 s): how long a killed worker's chunk takes
   * to be retried. Shorter in the crash tests; Temporal does not compare it on replay.
   */
  chunkTimeoutMs?: number;
}

// Planning and finishing are database work, safe to repeat.
const bookkeeping = proxyActivities<AdsBulkActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

// One chunk is one call to TikTok (plus a read-back after a crash). A dead worker is noticed by
// the start-to-close timeout (a call and its rate-limit waits take seconds); retries are safe
// because a chunk found SENDING reads its items back before sending the rest. Retried
// patiently: rate limits and outages pass in minutes.
const chunksWith = (startToCloseTimeout: number | string) =>
  proxyActivities<AdsBulkActivities>({
    startToCloseTimeout,
    retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
  });

/**
 * One run of a bulk job: the PENDING items in chunks at TikTok's id limit, one chunk after
 * another (one advertiser's QPS is the limit that matters), then the job's outcome.
 */
export async function adsBulkJobWorkflow(input: AdsBulkJobInput): Promise<AdsBulkRunOutcome> {
  const chunks = chunksWith(input.chunkTimeoutMs ?? '20s');
  const chunkIds = await bookkeeping.planAdsBulkRun({ jobId: input.jobId, run: input.run });
  for (const chunkId of chunkIds) {
    try {
      await chunks.applyAdsBulkChunk({ chunkId });
    } catch {
      // Out of retries (TikTok down for long): the chunk's items stay PENDING, the job ends
      // PARTIALLY_FAILED, and a retry of the job sends them again after reading them back.
    }
  }
  return bookkeeping.finishAdsBulkRun({ jobId: input.jobId, run: input.run });
}
