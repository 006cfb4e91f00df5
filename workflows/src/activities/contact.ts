import type { Database } from '@pressroom/db';
import type { EmailSender } from '../platforms/email/index.js';
import type { TelegramClient } from '../platforms/telegram/index.js';
import { createNotifier } from './notifications.js';

export interface ContactDependencies {
  db: Database;
  email?: EmailSender;
  emailFrom?: string;
  telegram?: TelegramClient;
}

const contactLabel = { TELEGRAM: 'Telegram', PHONE: 'phone', EMAIL: 'email' } as const;

export function createContactActivities(deps: ContactDependencies) {
  const notifier = createNotifier(deps);
  return {
    /**
     * Tells the organization's owners and admins (in the app, by email) and its Telegram chat
     * about a contact form submission. Honeypot ones are never told. Once per submission: the
     * notifications' idempotency keys carry its id.
     */
    async notifyContactSubmission(input: { submissionId: string }): Promise<{ notified: boolean }> {
      const submission = await deps.db.contactSubmission.findUnique({ where: { id: input.submissionId } });
      if (!submission || submission.honeypot) return { notified: false };
      const operators = await notifier.members(submission.organizationId, ['OWNER', 'ADMIN']);
      await notifier.notify({
        organizationId: submission.organizationId,
        userIds: operators,
        kind: 'contact.received',
        key: `contact:${submission.id}`,
        subject: `New message from ${submission.name} (${submission.category})`,
        body: `${submission.message.slice(0, 1_000)}\n\nReply by ${contactLabel[submission.contactKind]}: ${submission.contact}`,
        payload: { contactSubmissionId: submission.id },
        reviewChat: true,
      });
      return { notified: true };
    },
  };
}

export type ContactActivities = ReturnType<typeof createContactActivities>;
