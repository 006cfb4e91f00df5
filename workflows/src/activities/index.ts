import { createPublishActivities, type PublishDependencies } from './publish.js';
import { createSyncActivities, type SyncDependencies } from './sync.js';
import { createContentActivities, type ContentDependencies } from './content.js';
import { createAiUploadActivities } from './ai-uploads.js';
import { createContactActivities } from './contact.js';
import { createGovernanceActivities } from './governance.js';
import { createMediaActivities } from './media.js';
import { createVideoActivities } from './video.js';
import { createWebhookActivities, type WebhookDependencies } from './webhooks.js';
import { createAdsActivities, type AdsDependencies } from './ads.js';
import { createAdsFactsActivities, type AdsFactsDependencies } from './ads-facts.js';
import { createAdsBulkActivities } from './ads-bulk.js';

export type ActivityDependencies = PublishDependencies &
  SyncDependencies &
  ContentDependencies &
  WebhookDependencies &
  AdsDependencies &
  AdsFactsDependencies;

/**
 * Activities are built from their dependencies so tests can hand in their own (an emulator's
 * base URL, a vault with a test key, local storage, short timings).
 */
export function createActivities(deps: ActivityDependencies) {
  return {
    ...createPublishActivities(deps),
    ...createSyncActivities(deps),
    ...createContentActivities(deps),
    ...createAiUploadActivities(deps),
    ...createGovernanceActivities(deps),
    ...createVideoActivities(deps),
    ...createMediaActivities(deps),
    ...createWebhookActivities(deps),
    ...createContactActivities(deps),
    ...createAdsActivities(deps),
    ...createAdsFactsActivities(deps),
    ...createAdsBulkActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export { defaultPublishSettings, type PublishSettings, type PublishDependencies } from './publish.js';
export type { PublisherClients } from './publishers/index.js';
export { defaultSyncSettings, type SyncSettings } from './sync.js';
export { defaultContentSettings, type ContentSettings } from './content.js';
export { createNotifier, type MemberNotification } from './notifications.js';
export { defaultWebhookSettings, type WebhookSettings } from './webhooks.js';
export { defaultAdsSettings, type AdsSettings, type AdsInventoryOutcome } from './ads.js';
export { defaultAdsFactsSettings, type AdsFactsSettings } from './ads-facts.js';
