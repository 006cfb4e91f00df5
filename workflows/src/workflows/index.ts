// Workflow definitions are exported from here; the worker bundles this file. Workflow code
// imports nothing from Node and reaches activities only through proxyActivities.
export { checkPublicationWorkflow, publicationCheckWorkflow, publishWorkflow } from './publish.js';
export { rateGateWorkflow } from './rate-gate.js';
export { syncAccountWorkflow } from './sync.js';
export { generateBatchWorkflow, rejectedMediaWorkflow, reviewWorkflow } from './content.js';
export { deletionWorkflow, exportDataWorkflow, retentionWorkflow } from './governance.js';
export { webhookDeliveryWorkflow } from './webhooks.js';
export { processMediaAssetWorkflow } from './media.js';
export { contactSubmissionWorkflow } from './contact.js';
export { syncAdsInventoryWorkflow } from './ads.js';
export { syncAdsFactsWorkflow } from './ads-backfill.js';
export { adsBulkJobWorkflow } from './ads-bulk.js';
export { captionSuggestionsWorkflow, videoReviewWorkflow } from './ai-uploads.js';
