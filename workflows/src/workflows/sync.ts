import { continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SyncActivities, VideoPageOutcome } from '../activities/sync.js';

export interface SyncAccountInput {
  socialAccountId: string;
  /** Carried over continue-as-new. */
  progress?: { cursor?: number; capturedAtMs: number; videos: number; writeStatements: number };
}

export interface SyncAccountResult {
  /** DEFERRED: YouTube's quota was down to the reserve kept for publishing; reads stopped unsent. */
  state: 'SYNCED' | 'REVOKED' | 'DEFERRED';
  reason?: string;
  videos: number;
  matched: number;
  writeStatements: number;
}

// Database writes and reads of the platform: both safe to repeat (upserts keyed on the
// platform's ids, snapshots deduplicated per capture), so retried patiently.
const sync = proxyActivities<SyncActivities>({
  startToCloseTimeout: '10m',
  heartbeatTimeout: '30s',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 },
});

/**
 * One analytics sync of a connected account: its stats, then every video with its metrics,
 * page batch by page batch, then videos matched to the publications that made them.
 */
export async function syncAccountWorkflow(input: SyncAccountInput): Promise<SyncAccountResult> {
  let progress = input.progress;
  if (!progress) {
    const stats = await sync.syncAccountStats({ socialAccountId: input.socialAccountId });
    if (stats.kind === 'revoked') return { state: 'REVOKED', videos: 0, matched: 0, writeStatements: 0 };
    if (stats.kind === 'deferred') {
      return { state: 'DEFERRED', reason: stats.reason, videos: 0, matched: 0, writeStatements: 0 };
    }
    progress = { capturedAtMs: Date.now(), videos: 0, writeStatements: 0 };
  }
  let deferred: string | undefined;
  for (;;) {
    const page: VideoPageOutcome = await sync.syncVideoPages({
      socialAccountId: input.socialAccountId,
      capturedAtMs: progress.capturedAtMs,
      ...(progress.cursor !== undefined ? { cursor: progress.cursor } : {}),
    });
    progress = {
      capturedAtMs: progress.capturedAtMs,
      videos: progress.videos + page.videos,
      writeStatements: progress.writeStatements + page.writeStatements,
      ...(page.cursor !== undefined ? { cursor: page.cursor } : {}),
    };
    deferred = page.deferred;
    if (page.done) break;
    if (workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof syncAccountWorkflow>({ socialAccountId: input.socialAccountId, progress });
    }
  }
  const { matched } = await sync.matchVideos({ socialAccountId: input.socialAccountId });
  if (deferred !== undefined) {
    // Not a finished sync: lastSyncedAt stays, and the next scheduled sync reads what was left.
    return {
      state: 'DEFERRED',
      reason: deferred,
      videos: progress.videos,
      matched,
      writeStatements: progress.writeStatements,
    };
  }
  await sync.finishSync({ socialAccountId: input.socialAccountId, capturedAtMs: progress.capturedAtMs });
  return { state: 'SYNCED', videos: progress.videos, matched, writeStatements: progress.writeStatements };
}
