import { proxyActivities } from '@temporalio/workflow';
import type { ContactActivities } from '../activities/contact.js';

// Notifying is idempotent (one Notification row per key, Telegram sent only while PENDING), so
// retries are safe; a Telegram flood wait comes back as the retry's delay.
const contact = proxyActivities<ContactActivities>({
  startToCloseTimeout: '1m',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 20 },
});

/** One per accepted contact form submission: its operators are told. */
export async function contactSubmissionWorkflow(input: { submissionId: string }): Promise<{ notified: boolean }> {
  return contact.notifyContactSubmission(input);
}
