import { ApplicationFailure } from '@temporalio/common';
import type { Database, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import type { ContentGenerator } from '../platforms/ai/index.js';
import type { EmailSender } from '../platforms/email/index.js';
import { isPlatformError } from '../platforms/errors.js';
import type { TelegramClient } from '../platforms/telegram/index.js';
import { renderAndStoreCarousel } from '../rendering/index.js';
import type { ObjectStorage } from '../storage/index.js';
import { apiTokenReviewerPrefix } from '../workflows/content.js';

export interface ContentSettings {
  slidesPerPost: number;
  /** Reviewers are reminded this long after a post entered review, and again after as long. */
  reviewReminderMs: number;
  /** From this reminder on, the organization's owners and admins are told too. */
  escalateAfterReminders: number;
  /** Reminders stop after this many (the post stays in review). */
  maxReminders: number;
  emailFrom: string;
}

export const defaultContentSettings: ContentSettings = {
  slidesPerPost: 5,
  reviewReminderMs: 24 * 3600_000,
  escalateAfterReminders: 2,
  maxReminders: 5,
  emailFrom: 'Pressroom <notifications@pressroom.local>',
};

export interface ContentDependencies {
  db: Database;
  storage: ObjectStorage;
  /** The configured AI provider; without one, generation fails with a clear reason. */
  ai?: ContentGenerator;
  /** Without one, EMAIL notifications stay PENDING (the in-app ones are still made). */
  email?: EmailSender;
  /**
   * The bot that tells an organization's review chat (OrganizationSettings.telegramReviewChatId)
   * about posts waiting for review; without one, no TELEGRAM notifications are made.
   */
  telegram?: TelegramClient;
  contentSettings?: Partial<ContentSettings>;
}

/** What reviewers are told, once per `key`. */
interface ReviewNotification {
  organizationId: string;
  kind: string;
  key: string;
  subject: string;
  body: string;
  payload: Prisma.InputJsonValue;
}

export interface ReviewPlan {
  postId: string;
  requiredApprovals: number;
  rejectedMediaRetentionMs: number;
  settings: ContentSettings;
}

type Tx = Prisma.TransactionClient;

export function createContentActivities(deps: ContentDependencies) {
  const { db, storage } = deps;
  const settings: ContentSettings = { ...defaultContentSettings, ...deps.contentSettings };

  async function postChanged(tx: Tx, post: { id: string; brandId: string; organizationId: string }) {
    await emitEvent(tx, {
      kind: 'post.changed',
      organizationId: post.organizationId,
      payload: { postId: post.id, brandId: post.brandId },
    });
  }

  /**
   * In-app and email notifications to these members, and one message to the organization's
   * review chat on Telegram; each is made once (idempotency key).
   */
  async function notify(input: ReviewNotification & { userIds: string[] }) {
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
    await db.notification.createMany({ data: rows, skipDuplicates: true });
    await sendEmails(rows.map((row) => row.idempotencyKey));
    await tellReviewChat(input);
  }

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
          from: settings.emailFrom,
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
  async function tellReviewChat(input: ReviewNotification) {
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

  async function members(organizationId: string, roles: Array<'OWNER' | 'ADMIN' | 'REVIEWER'>) {
    const rows = await db.membership.findMany({
      where: { organizationId, role: { in: roles }, user: { deletedAt: null } },
      select: { userId: true },
    });
    return rows.map((row) => row.userId);
  }

  return {
    async startBatch(input: { batchId: string; workflowId: string }): Promise<{ count: number }> {
      const batch = await db.batch.findUnique({ where: { id: input.batchId } });
      if (!batch) throw ApplicationFailure.nonRetryable(`batch ${input.batchId} does not exist`, 'NOT_FOUND');
      if (batch.status === 'QUEUED') {
        await db.$transaction(async (tx) => {
          await tx.batch.update({
            where: { id: batch.id },
            data: { status: 'GENERATING', workflowId: input.workflowId },
          });
          await emitEvent(tx, {
            kind: 'batch.progress',
            organizationId: batch.organizationId,
            payload: { batchId: batch.id, brandId: batch.brandId },
          });
        });
      }
      return { count: batch.count };
    },

    /**
     * Writes, renders and stores post `index` of the batch, and puts it IN_REVIEW. Safe to
     * repeat: the post is keyed by (batch, index), slide keys are stable, a finished post is
     * left alone.
     */
    async generatePost(input: { batchId: string; index: number }): Promise<{ postId: string; status: string }> {
      const batch = await db.batch.findUniqueOrThrow({
        where: { id: input.batchId },
        include: { brand: { include: { knowledgeDocuments: true } } },
      });
      let post = await db.post.findFirst({ where: { batchId: batch.id, batchIndex: input.index } });
      if (post && post.status !== 'GENERATING') return { postId: post.id, status: post.status };
      post ??= await db.$transaction(async (tx) => {
        const created = await tx.post.create({
          data: {
            organizationId: batch.organizationId,
            brandId: batch.brandId,
            batchId: batch.id,
            batchIndex: input.index,
            createdById: batch.createdById,
            format: batch.format,
            status: 'GENERATING',
          },
        });
        await postChanged(tx, created);
        return created;
      });
      if (!deps.ai) throw ApplicationFailure.nonRetryable('no AI provider is configured', 'REJECTED_BY_PLATFORM');
      const brand = batch.brand;
      let generated;
      try {
        [generated] = await deps.ai.generatePosts({
          brand: { name: brand.name, voice: brand.voice },
          knowledge: brand.knowledgeDocuments.map((doc) => ({ title: doc.title, content: doc.content })),
          brief: batch.count > 1 ? `${batch.brief}\n\n(Post ${input.index + 1} of ${batch.count}.)` : batch.brief,
          postCount: 1,
          slidesPerPost: settings.slidesPerPost,
          platform: batch.platforms[0],
        });
      } catch (error) {
        if (isPlatformError(error)) {
          throw ApplicationFailure.create({
            message: error.reason,
            type: error.category,
            nonRetryable: error.category === 'REJECTED_BY_PLATFORM',
            nextRetryDelay: error.retryAfterMs,
          });
        }
        throw error;
      }
      if (!generated) throw ApplicationFailure.nonRetryable('the AI provider wrote no post', 'REJECTED_BY_PLATFORM');
      const stored = await renderAndStoreCarousel({
        storage,
        keyPrefix: `org/${batch.organizationId}/posts/${post.id}`,
        brand,
        slides: generated.slides,
      });
      const postId = post.id;
      await db.$transaction(async (tx) => {
        await tx.slide.deleteMany({ where: { postId } });
        for (const [position, slide] of stored.entries()) {
          const media = await tx.media.upsert({
            where: { storageKey: slide.key },
            create: {
              organizationId: batch.organizationId,
              postId,
              kind: 'IMAGE',
              status: 'READY',
              contentType: slide.contentType,
              byteSize: slide.byteSize,
              width: slide.width,
              height: slide.height,
              storageKey: slide.key,
            },
            update: { status: 'READY', byteSize: slide.byteSize },
          });
          const text = generated.slides[position]!;
          await tx.slide.create({
            data: { postId, position, heading: text.heading, body: text.body, mediaId: media.id },
          });
        }
        const updated = await tx.post.update({
          where: { id: postId },
          data: {
            title: generated.title,
            caption: generated.caption,
            hashtags: generated.hashtags,
            status: 'IN_REVIEW',
            generationError: null,
          },
        });
        await tx.batch.update({ where: { id: batch.id }, data: { generatedCount: { increment: 1 } } });
        await postChanged(tx, updated);
        await emitEvent(tx, {
          kind: 'batch.progress',
          organizationId: batch.organizationId,
          payload: { batchId: batch.id, brandId: batch.brandId },
        });
      });
      return { postId, status: 'IN_REVIEW' };
    },

    /** The post could not be generated: the batch goes on without it. */
    async failPost(input: { batchId: string; index: number; reason: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const batch = await tx.batch.findUniqueOrThrow({ where: { id: input.batchId } });
        const post =
          (await tx.post.findFirst({ where: { batchId: batch.id, batchIndex: input.index } })) ??
          (await tx.post.create({
            data: {
              organizationId: batch.organizationId,
              brandId: batch.brandId,
              batchId: batch.id,
              batchIndex: input.index,
              format: batch.format,
              status: 'GENERATING',
            },
          }));
        if (post.status !== 'GENERATING') return;
        const failed = await tx.post.update({
          where: { id: post.id },
          data: { status: 'GENERATION_FAILED', generationError: input.reason.slice(0, 2000) },
        });
        await tx.batch.update({ where: { id: batch.id }, data: { failedCount: { increment: 1 } } });
        await postChanged(tx, failed);
      });
    },

    /** Closes the batch (READY, PARTIAL or FAILED) and tells the reviewers what is waiting. */
    async finishBatch(input: { batchId: string }): Promise<{ status: string; inReview: string[] }> {
      const batch = await db.batch.findUniqueOrThrow({ where: { id: input.batchId } });
      const inReview = (
        await db.post.findMany({
          where: { batchId: batch.id, status: 'IN_REVIEW' },
          orderBy: { batchIndex: 'asc' },
          select: { id: true },
        })
      ).map((post) => post.id);
      const status = batch.failedCount === 0 ? 'READY' : batch.generatedCount > 0 ? 'PARTIAL' : 'FAILED';
      await db.$transaction(async (tx) => {
        await tx.batch.update({ where: { id: batch.id }, data: { status, completedAt: new Date() } });
        await emitEvent(tx, {
          kind: 'batch.progress',
          organizationId: batch.organizationId,
          payload: { batchId: batch.id, brandId: batch.brandId },
        });
      });
      if (inReview.length) {
        await notify({
          organizationId: batch.organizationId,
          userIds: await members(batch.organizationId, ['REVIEWER', 'ADMIN', 'OWNER']),
          kind: 'batch.ready_for_review',
          key: `batch.ready:${batch.id}`,
          subject: `${inReview.length} new post${inReview.length === 1 ? '' : 's'} to review`,
          body: `A batch finished generating: ${inReview.length} post(s) are waiting for review.`,
          payload: { batchId: batch.id, postIds: inReview },
        });
      }
      return { status, inReview };
    },

    async loadReviewPlan(input: { postId: string }): Promise<ReviewPlan> {
      const post = await db.post.findUniqueOrThrow({
        where: { id: input.postId },
        include: { brand: true, organization: { include: { settings: true } } },
      });
      const orgSettings = post.organization.settings;
      return {
        postId: post.id,
        requiredApprovals: Math.max(1, post.brand.requiredApprovals ?? orgSettings?.requiredApprovals ?? 1),
        rejectedMediaRetentionMs: (orgSettings?.rejectedMediaRetentionHours ?? 24) * 3600_000,
        settings,
      };
    },

    /**
     * Records one reviewer's decision. The post is APPROVED once it has the approvals its brand
     * asks for; one rejection rejects it, and its rendered media is due for deletion.
     */
    async recordReview(input: {
      postId: string;
      reviewerId: string;
      decision: 'APPROVED' | 'REJECTED';
      comment?: string;
      requiredApprovals: number;
      rejectedMediaRetentionMs: number;
    }): Promise<{ status: string; approvals: number; deleteAfterMs?: number }> {
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM "Post" WHERE id = ${input.postId} FOR UPDATE`;
        const post = await tx.post.findUniqueOrThrow({ where: { id: input.postId } });
        if (post.status === 'IN_REVIEW') {
          await tx.review.create({
            data: {
              postId: post.id,
              // An API token's decision is kept without a person (the audit log names the token).
              reviewerId: input.reviewerId.startsWith(apiTokenReviewerPrefix) ? null : input.reviewerId,
              decision: input.decision,
              comment: input.comment ?? null,
            },
          });
        }
        // A post edited after a rejection and submitted again starts counting from zero.
        const lastRejection = await tx.review.findFirst({
          where: { postId: post.id, decision: 'REJECTED' },
          orderBy: { createdAt: 'desc' },
          select: { createdAt: true },
        });
        const approvals = await tx.review.count({
          where: {
            postId: post.id,
            decision: 'APPROVED',
            ...(lastRejection ? { createdAt: { gt: lastRejection.createdAt } } : {}),
          },
        });
        if (post.status !== 'IN_REVIEW') return { status: post.status, approvals };
        const now = new Date();
        if (input.decision === 'REJECTED') {
          const deleteAfter = new Date(now.getTime() + input.rejectedMediaRetentionMs);
          const updated = await tx.post.update({
            where: { id: post.id },
            data: { status: 'REJECTED', rejectedAt: now, version: { increment: 1 } },
          });
          await tx.media.updateMany({ where: { postId: post.id, deletedAt: null }, data: { deleteAfter } });
          await postChanged(tx, updated);
          return { status: 'REJECTED', approvals, deleteAfterMs: deleteAfter.getTime() };
        }
        if (approvals >= input.requiredApprovals) {
          const updated = await tx.post.update({
            where: { id: post.id },
            data: { status: 'APPROVED', approvedAt: now, version: { increment: 1 } },
          });
          await postChanged(tx, updated);
          return { status: 'APPROVED', approvals };
        }
        return { status: 'IN_REVIEW', approvals };
      });
    },

    async remindReviewers(input: { postId: string; round: number; escalate: boolean }): Promise<void> {
      const post = await db.post.findUniqueOrThrow({ where: { id: input.postId } });
      if (post.status !== 'IN_REVIEW') return;
      const roles: Array<'OWNER' | 'ADMIN' | 'REVIEWER'> = input.escalate
        ? ['REVIEWER', 'ADMIN', 'OWNER']
        : ['REVIEWER'];
      const reviewed = new Set(
        (await db.review.findMany({ where: { postId: post.id }, select: { reviewerId: true } })).map(
          (r) => r.reviewerId,
        ),
      );
      let userIds = (await members(post.organizationId, roles)).filter((id) => !reviewed.has(id));
      // Nobody holds the reviewer role: the owners and admins are who can decide.
      if (!userIds.length) userIds = await members(post.organizationId, ['ADMIN', 'OWNER']);
      await notify({
        organizationId: post.organizationId,
        userIds,
        kind: input.escalate ? 'review.escalated' : 'review.reminder',
        key: `review.reminder:${post.id}:${input.round}`,
        subject: `Waiting for review: ${post.title || 'a post'}`,
        body: input.escalate
          ? `This post has been waiting for review through ${input.round} reminders.`
          : 'A post is waiting for your review.',
        payload: { postId: post.id, round: input.round },
      });
    },

    /** Deletes the stored images of a rejected post once they are due. Safe to repeat. */
    async deleteRejectedMedia(input: { postId: string }): Promise<{ deleted: number }> {
      const due = await db.media.findMany({
        where: { postId: input.postId, deletedAt: null, deleteAfter: { lte: new Date() } },
      });
      for (const media of due) {
        await storage.delete(media.storageKey);
        await db.media.update({ where: { id: media.id }, data: { status: 'DELETED', deletedAt: new Date() } });
      }
      return { deleted: due.length };
    },
  };
}

export type ContentActivities = ReturnType<typeof createContentActivities>;
