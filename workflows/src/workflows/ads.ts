import { proxyActivities } from '@temporalio/workflow';
import type { AdsActivities, AdsInventoryOutcome } from '../activities/ads.js';

export interface SyncAdsInventoryInput {
  connectionId: string;
}

// Reads of TikTok and upserts keyed on TikTok's ids: safe to repeat, so retried patiently (a
// rate limit the client could not wait out, or a TikTok outage, passes in minutes). The
// activity heartbeats after every call, so a killed worker is noticed within the heartbeat.
const ads = proxyActivities<AdsActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 },
});

/** One inventory sync of an ads connection (its Schedule runs it every 6 hours, or on demand). */
export async function syncAdsInventoryWorkflow(input: SyncAdsInventoryInput): Promise<AdsInventoryOutcome> {
  return ads.syncAdsInventory({ connectionId: input.connectionId });
}
