import { proxyActivities, sleep } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhooks.js';

const webhooks = proxyActivities<WebhookActivities>({
  // An attempt is one POST with a 10 s timeout plus a few writes.
  startToCloseTimeout: '1m',
  // A receiver's failure is not an activity failure (it is recorded and the workflow waits);
  // only the activity's own trouble (database down, worker lost) is retried here.
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 },
});

export function webhookDeliveryWorkflowId(deliveryId: string, run = 0): string {
  return run === 0 ? `webhook-delivery:${deliveryId}` : `webhook-delivery:${deliveryId}:${run}`;
}

/**
 * One event to one endpoint: attempts until a 2xx, waiting longer after each failure (the
 * activity says how long, from the worker's settings) for up to a day.
 */
export async function webhookDeliveryWorkflow(input: { deliveryId: string }): Promise<{ delivered: boolean }> {
  for (;;) {
    const outcome = await webhooks.attemptWebhookDelivery({ deliveryId: input.deliveryId });
    if (outcome.done) return { delivered: outcome.delivered };
    await sleep(outcome.retryInMs);
  }
}
