import { ApplicationFailure } from '@temporalio/common';
import type { Database, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import type { EmailSender } from '../platforms/email/index.js';
import { isPlatformError } from '../platforms/errors.js';
import type { TelegramClient } from '../platforms/telegram/index.js';

export const defaultEmailFrom = 'Pressroom <notifications@pressroom.local>';

/** What members are told, once per `key`. */
export interface MemberNotification {
  organizationId: string;
  userIds: string[];
  kind: string;
  key: string;
  subject: string;
  body: string;
  payload: Prisma.InputJsonValue;
}

export interface NotifierDependencies {
  db: Database;
  /** Without one, EMAIL notifications stay PENDING (the in-app ones are still made). */
  email?: EmailSender;
  /** The sender of notification emails. */
  emailFrom?: string;
  /**
   * The bot that tells an organization's review chat (OrganizationSettings.telegramReviewChatId);
   * without one, no TELEGRAM notifications are made.
   */
  telegram?: TelegramClient;
}

/**
 * In-app and email notifications to members, and optionally one message to the organization's
 * review chat on Telegram. Each is a Notification row made once (its idempotency key) and sent
 * only while PENDING, so a retried activity sends nothing twice.
 */
export function createNotifier(deps: NotifierDependencies) {
  const { db } = deps;

  async function sendEmails(idempotencyKeys: string[]) {
    if (!deps.email) return;
    const pending = await db.notification.findMany({
      where: { idempotencyKey: { in: idempotencyKeys }, channel: 'EMAIL', status: 'PENDING' },
      include: { user: { select: { email: true } } },
    });
    for (const notification of pending) {
      if (!notification.user) continue;
      try {
        await deps.email.send({
          from: deps.emailFrom ?? defaultEmailFrom,
          to: [notification.user.email],
          subject: notification.subject,
          text: notification.body,
          idempotencyKey: notification.idempotencyKey,
        });
        await db.notification.update({ where: { id: notification.id }, data: { status: 'SENT', sentAt: new Date() } });
      } catch (error) {
        await db.notification.update({
          where: { id: notification.id },
          data: { status: 'FAILED', error: (error as Error).message },
        });
      }
    }
  }

  /**
   * One message per notification to the organization's review chat, not one per reviewer.
   * Telegram has no idempotency key, so the row is what makes it once: it is sent only while
   * PENDING and marked SENT as soon as Telegram took it, so a retried activity skips it.
   */
  async function tellReviewChat(input: Omit<MemberNotification, 'userIds'>) {
    const telegram = deps.telegram;
    if (!telegram) return;
    const orgSettings = await db.organizationSettings.findUnique({
      where: { organizationId: input.organizationId },
      select: { telegramReviewChatId: true },
    });
    const chatId = orgSettings?.telegramReviewChatId;
    if (!chatId) return;
    const idempotencyKey = `${input.key}:telegram`;
    await db.notification.createMany({
      data: [
        {
          organizationId: input.organizationId,
          userId: null,
          channel: 'TELEGRAM',
          kind: input.kind,
          subject: input.subject,
          body: input.body,
          payload: input.payload,
          idempotencyKey,
        },
      ],
      skipDuplicates: true,
    });
    const notification = await db.notification.findUniqueOrThrow({ where: { idempotencyKey } });
    if (notification.status !== 'PENDING') return;
    try {
      await telegram.sendMessage(chatId, `${notification.subject}\n\n${notification.body}`);
    } catch (error) {
      // Flood control: Telegram took nothing. The row stays PENDING and the activity is retried
      // once Telegram's wait is over (the http client already waited out the short ones).
      if (isPlatformError(error, 'RATE_LIMITED')) {
        throw ApplicationFailure.create({
          message: error.reason,
          type: error.category,
          nextRetryDelay: error.retryAfterMs,
        });
      }
      await db.notification.update({
        where: { id: notification.id },
        data: { status: 'FAILED', error: (error as Error).message },
      });
      return;
    }
    await db.notification.update({ where: { id: notification.id }, data: { status: 'SENT', sentAt: new Date() } });
  }

  return {
    /** Who in the organization holds one of `roles` (people whose data was erased excluded). */
    async members(organizationId: string, roles: Array<'OWNER' | 'ADMIN' | 'REVIEWER'>): Promise<string[]> {
      const rows = await db.membership.findMany({
        where: { organizationId, role: { in: roles }, user: { deletedAt: null } },
        select: { userId: true },
      });
      return rows.map((row) => row.userId);
    },

    async notify(input: MemberNotification & { reviewChat?: boolean }) {
      const rows = input.userIds.flatMap((userId) =>
        (['IN_APP', 'EMAIL'] as const).map((channel) => ({
          organizationId: input.organizationId,
          userId,
          channel,
          kind: input.kind,
          subject: input.subject,
          body: input.body,
          payload: input.payload,
          idempotencyKey: `${input.key}:${userId}:${channel}`,
        })),
      );
      await db.$transaction(async (tx) => {
        // Only rows made now come back (a retried activity makes none): each person's open
        // dashboard hears of a notification once.
        const made = await tx.notification.createManyAndReturn({
          data: rows,
          skipDuplicates: true,
          select: { id: true, userId: true, channel: true },
        });
        for (const row of made) {
          if (row.channel !== 'IN_APP' || !row.userId) continue;
          await emitEvent(tx, {
            kind: 'notification.created',
            organizationId: input.organizationId,
            payload: { notificationId: row.id, userId: row.userId },
          });
        }
      });
      await sendEmails(rows.map((row) => row.idempotencyKey));
      if (input.reviewChat) await tellReviewChat(input);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
