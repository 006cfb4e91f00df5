import { proxyActivities, sleep } from '@temporalio/workflow';
import type { AdsActivities } from '../activities/ads.js';
import type { AdsFactsActivities } from '../activities/ads-facts.js';

export interface SyncAdsFactsInput {
  connectionId: string;
}

export type SyncAdsFactsOutcome =
  | { state: 'SYNCED'; windows: number; facts: number; unknownAds: number }
  | { state: 'RECONNECT_NEEDED' | 'SKIPPED'; reason: string };

// Report reads and idempotent upserts: safe to repeat, so retried patiently (a rate limit the
// client could not wait out, a TikTok outage). Each window heartbeats after every page, so a
// killed worker is noticed within the heartbeat and the window is read again from its start
// (its staged rows died with the killed worker's connection).
const facts = proxyActivities<AdsFactsActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 10 },
});

const ads = proxyActivities<AdsActivities>({
  startToCloseTimeout: '30m',
  heartbeatTimeout: '1m',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 },
});

/**
 * One facts sync of an ads connection (its Schedule runs it daily): the first one backfills
 * 90 days in 30-day windows, later ones read what is new and the last days again, which
 * TikTok revises. Progress is each advertiser's `factsThrough`, moved after every window.
 */
export async function syncAdsFactsWorkflow(input: SyncAdsFactsInput): Promise<SyncAdsFactsOutcome> {
  let plan = await facts.planAdsFacts({ connectionId: input.connectionId });
  // A new connection's inventory runs beside the first facts sync: wait for it (facts are
  // stored against the ads it reads).
  for (let waited = 0; plan.state === 'WAITING_FOR_INVENTORY' && waited < 60; waited++) {
    await sleep('10s');
    plan = await facts.planAdsFacts({ connectionId: input.connectionId });
  }
  if (plan.state === 'WAITING_FOR_INVENTORY') {
    const inventory = await ads.syncAdsInventory({ connectionId: input.connectionId });
    if (inventory.state !== 'SYNCED') return { state: inventory.state, reason: inventory.reason };
    plan = await facts.planAdsFacts({ connectionId: input.connectionId });
  }
  if (plan.state !== 'PLANNED') return { state: 'SKIPPED', reason: 'the connection is gone or disconnected' };
  let written = 0;
  let unknownAds = 0;
  let inventoryRead = false;
  for (const window of plan.windows) {
    let outcome = await facts.syncAdsFactsWindow({ connectionId: input.connectionId, ...window });
    // Ads the inventory has not seen yet (made since its last run): read it, then the window again.
    if (outcome.state === 'WRITTEN' && outcome.unknownAds > 0 && !inventoryRead) {
      inventoryRead = true;
      const inventory = await ads.syncAdsInventory({ connectionId: input.connectionId });
      if (inventory.state !== 'SYNCED') return { state: inventory.state, reason: inventory.reason };
      outcome = await facts.syncAdsFactsWindow({ connectionId: input.connectionId, ...window });
    }
    if (outcome.state !== 'WRITTEN') return outcome;
    written += outcome.facts;
    unknownAds += outcome.unknownAds;
  }
  return { state: 'SYNCED', windows: plan.windows.length, facts: written, unknownAds };
}
