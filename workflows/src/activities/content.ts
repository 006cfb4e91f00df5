import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { Prisma, type AiProvider, type Database, type PostFormat } from '@pressroom/db';
import { readingMinutes, slugify } from '@pressroom/db/articles';
import { aiDisabledMessage, aiFeatureEnabled, readAiPolicy, type AiFeature, type AiPolicy } from '@pressroom/db/ai';
import { emitEvent } from '@pressroom/db/events';
import {
  batchPostBrief,
  imagePrompt,
  type ContentGenerator,
  type ImageGenerator,
  type ImageSettings,
  type GeneratedArticle,
  type GeneratedPost,
  type GeneratedScript,
} from '../platforms/ai/index.js';
import type { EmailSender } from '../platforms/email/index.js';
import { isPlatformError } from '../platforms/errors.js';
import type { TelegramClient } from '../platforms/telegram/index.js';
import {
  postMediaPrefix,
  renderAndStoreCarousel,
  renderAndStoreScriptVideo,
  upsertSlideMedia,
} from '../rendering/index.js';
import { createNotifier, type MemberNotification } from './notifications.js';
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
}

export const defaultContentSettings: ContentSettings = {
  slidesPerPost: 5,
  reviewReminderMs: 24 * 3600_000,
  escalateAfterReminders: 2,
  maxReminders: 5,
};

export interface ContentDependencies {
  db: Database;
  storage: ObjectStorage;
  /** The configured AI provider; without one, generation fails with a clear reason. */
  ai?: ContentGenerator;
  /**
   * Every provider the server has credentials for, by name, for organizations that chose one
   * (OrganizationSettings.aiProvider); those that did not use `ai`.
   */
  aiProviders?: Partial<Record<AiProvider, ContentGenerator>>;
  /**
   * The images endpoint (OpenAI's images API wire format); without one, or for an organization
   * that has not opted into AI images, articles have no hero image and slides a plain background.
   */
  images?: ImageGenerator;
  /** Without one, EMAIL notifications stay PENDING (the in-app ones are still made). */
  email?: EmailSender;
  /** The sender of notification emails. */
  emailFrom?: string;
  /**
   * The bot that tells an organization's review chat (OrganizationSettings.telegramReviewChatId)
   * about posts waiting for review; without one, no TELEGRAM notifications are made.
   */
  telegram?: TelegramClient;
  contentSettings?: Partial<ContentSettings>;
}

export interface ReviewPlan {
  postId: string;
  requiredApprovals: number;
  rejectedMediaRetentionMs: number;
  settings: ContentSettings;
}

type Tx = Prisma.TransactionClient;

/** The format of post `index` of a batch: its place in a mixed batch, else the batch's one format. */
export function batchPostFormat(batch: { format: PostFormat; formats: PostFormat[] }, index: number): PostFormat {
  return batch.formats[index] ?? batch.format;
}

/** The slug, or the slug with -2, -3 ... when another article of the brand has it. */
export async function uniqueArticleSlug(tx: Tx, brandId: string, postId: string, wanted: string): Promise<string> {
  const base = slugify(wanted);
  const taken = new Set(
    (
      await tx.article.findMany({
        where: { brandId, slug: { startsWith: base }, postId: { not: postId } },
        select: { slug: true },
      })
    ).map((article) => article.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** Writes (or rewrites) an ARTICLE post's article; the reading time is the project's count. */
export async function storeArticle(
  tx: Tx,
  post: { postId: string; organizationId: string; brandId: string },
  article: Omit<GeneratedArticle, 'title'> & { slug?: string; heroMediaId?: string | null },
): Promise<void> {
  const slug = await uniqueArticleSlug(tx, post.brandId, post.postId, article.slug ?? article.metaTitle);
  const fields = {
    slug,
    metaTitle: article.metaTitle,
    metaDescription: article.metaDescription,
    keywords: article.keywords,
    outline: article.outline,
    body: article.body,
    excerpt: article.excerpt,
    readingMinutes: readingMinutes(article.body),
    ...(article.heroMediaId !== undefined ? { heroMediaId: article.heroMediaId } : {}),
  };
  await tx.article.upsert({
    where: { postId: post.postId },
    create: { ...post, ...fields },
    update: fields,
  });
}

/** Tells Temporal the activity is alive, when it runs as one (tests call activities directly too). */
function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Not inside an activity.
  }
}

/** Runs `work` heartbeating every second: an AI call and the rendering take their time. */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  heartbeat();
  const timer = setInterval(heartbeat, 1_000);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

export function platformFailure(error: unknown): unknown {
  if (!isPlatformError(error)) return error;
  return ApplicationFailure.create({
    message: error.reason,
    type: error.category,
    nonRetryable: error.category === 'REJECTED_BY_PLATFORM',
    nextRetryDelay: error.retryAfterMs,
  });
}

/**
 * The generator for an organization's AI work, or a non-retryable failure when the
 * organization has not opted into `feature` — checked in the activity that would call the
 * provider, so nothing is sent whatever path started the work.
 */
export async function aiGeneratorFor(
  deps: Pick<ContentDependencies, 'db' | 'ai' | 'aiProviders'>,
  organizationId: string,
  feature: AiFeature,
): Promise<{ generator: ContentGenerator; policy: AiPolicy }> {
  const policy = await readAiPolicy(deps.db, organizationId);
  if (!aiFeatureEnabled(policy, feature))
    throw ApplicationFailure.nonRetryable(aiDisabledMessage(feature), 'AI_DISABLED');
  const generator = aiProviderFor(deps, policy);
  if (!generator) {
    throw ApplicationFailure.nonRetryable(
      policy.provider
        ? `the organization's AI provider (${policy.provider.toLowerCase()}) is not configured on this server`
        : 'no AI provider is configured',
      'REJECTED_BY_PLATFORM',
    );
  }
  return { generator, policy };
}

function aiProviderFor(deps: Pick<ContentDependencies, 'ai' | 'aiProviders'>, policy: AiPolicy) {
  if (!policy.provider) return deps.ai;
  const name = policy.provider === 'ANTHROPIC' ? 'anthropic' : 'openai';
  return deps.aiProviders?.[policy.provider] ?? (deps.ai?.provider === name ? deps.ai : undefined);
}

export function createContentActivities(deps: ContentDependencies) {
  const { db, storage } = deps;
  const settings: ContentSettings = { ...defaultContentSettings, ...deps.contentSettings };
  const notifier = createNotifier(deps);
  /** Reviewers in-app and by email, and the organization's review chat on Telegram. */
  const notify = (input: MemberNotification) => notifier.notify({ ...input, reviewChat: true });
  const generatorFor = (organizationId: string, feature: AiFeature) => aiGeneratorFor(deps, organizationId, feature);

  async function postChanged(tx: Tx, post: { id: string; brandId: string; organizationId: string }) {
    await emitEvent(tx, {
      kind: 'post.changed',
      organizationId: post.organizationId,
      payload: { postId: post.id, brandId: post.brandId },
    });
  }

  /**
   * An AI image for a post, stored beside its media with the prompt and settings it was made
   * with, or null when the organization has not opted into AI images (nothing is sent then) or
   * no images endpoint is configured: the post is made without it.
   */
  async function postImage(
    post: { id: string; organizationId: string },
    brand: { name: string; imageStyle: string },
    input: { subject: string; name: string; size: ImageSettings['size']; policy: AiPolicy },
  ) {
    if (!input.policy.images || !deps.images) return null;
    const settings: ImageSettings = {
      size: input.size,
      ...(input.policy.imageModel ? { model: input.policy.imageModel } : {}),
    };
    const prompt = imagePrompt(input.subject, brand);
    let image;
    try {
      image = await deps.images.generateImage({ ...settings, prompt });
    } catch (error) {
      throw platformFailure(error);
    }
    const key = `${postMediaPrefix(post)}/${input.name}.png`;
    await storage.put(key, image.bytes, { contentType: image.contentType });
    const fields = {
      status: 'READY' as const,
      contentType: image.contentType,
      byteSize: image.bytes.length,
      width: image.width,
      height: image.height,
      sha256: createHash('sha256').update(image.bytes).digest('hex'),
      aiPrompt: prompt,
      aiImageSettings: {
        model: image.model,
        size: settings.size,
        style: settings.style ?? null,
        quality: settings.quality ?? null,
      },
    };
    const media = await db.media.upsert({
      where: { storageKey: key },
      create: { organizationId: post.organizationId, postId: post.id, kind: 'IMAGE', storageKey: key, ...fields },
      update: fields,
    });
    return { media, bytes: image.bytes };
  }

  /**
   * Writes, renders and stores post `index` of the batch, and puts it IN_REVIEW. Safe to
   * repeat: the post is keyed by (batch, index), slide keys are stable, a finished post is
   * left alone.
   */
  async function generatePost(input: { batchId: string; index: number }): Promise<{ postId: string; status: string }> {
    const batch = await db.batch.findUniqueOrThrow({
      where: { id: input.batchId },
      include: { brand: { include: { knowledgeDocuments: true } } },
    });
    const format = batchPostFormat(batch, input.index);
    const atIndex = { batchId_batchIndex: { batchId: batch.id, batchIndex: input.index } };
    const post =
      (await db.post.findUnique({ where: atIndex })) ??
      (await db
        .$transaction(async (tx) => {
          const created = await tx.post.create({
            data: {
              organizationId: batch.organizationId,
              brandId: batch.brandId,
              batchId: batch.id,
              batchIndex: input.index,
              createdById: batch.createdById,
              format,
              status: 'GENERATING',
            },
          });
          await postChanged(tx, created);
          return created;
        })
        .catch(async (error: unknown) => {
          // Another attempt at this index created it first (the index is unique): go on with that one.
          if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') throw error;
          return db.post.findUniqueOrThrow({ where: atIndex });
        }));
    if (post.status !== 'GENERATING') return { postId: post.id, status: post.status };
    const { generator, policy } = await generatorFor(batch.organizationId, 'text');
    const brand = batch.brand;
    const request = {
      ...(policy.textModel ? { model: policy.textModel } : {}),
      brand: { name: brand.name, voice: brand.voice },
      knowledge: brand.knowledgeDocuments.map((doc) => ({ title: doc.title, content: doc.content })),
      brief: batchPostBrief(batch.brief, input.index, batch.count),
      platform: batch.platforms[0],
    };
    const postId = post.id;
    const written = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (error) {
        throw platformFailure(error);
      }
    };
    /** The post's text written, its parts stored: IN_REVIEW, counted, announced. */
    const finish = async (tx: Tx, text: { title: string; caption: string; hashtags: string[] }): Promise<void> => {
      const updated = await tx.post.update({
        where: { id: postId },
        data: { ...text, status: 'IN_REVIEW', generationError: null },
      });
      await tx.batch.update({ where: { id: batch.id }, data: { generatedCount: { increment: 1 } } });
      await postChanged(tx, updated);
      await emitEvent(tx, {
        kind: 'batch.progress',
        organizationId: batch.organizationId,
        payload: { batchId: batch.id, brandId: batch.brandId },
      });
    };

    if (format === 'ARTICLE') {
      const article: GeneratedArticle = await written(() => generator.generateArticle(request));
      const hero = await postImage(post, brand, {
        subject: `A hero image for an article titled "${article.title}" about ${article.keywords[0] ?? article.title}`,
        name: 'hero',
        size: '1536x1024',
        policy,
      });
      await db.$transaction(async (tx) => {
        await storeArticle(
          tx,
          { postId, organizationId: batch.organizationId, brandId: batch.brandId },
          { ...article, slug: article.title, heroMediaId: hero?.media.id ?? null },
        );
        await finish(tx, {
          title: article.title,
          caption: article.excerpt,
          hashtags: article.keywords.map((keyword) => `#${keyword.replace(/[^\p{L}\p{N}_]+/gu, '')}`),
        });
      });
      return { postId, status: 'IN_REVIEW' };
    }
    if (format === 'SCRIPT') {
      const script: GeneratedScript = await written(() => generator.generateScript(request));
      await db.$transaction(async (tx) => {
        await tx.scriptScene.deleteMany({ where: { postId } });
        await tx.scriptScene.createMany({
          data: script.scenes.map((scene, position) => ({ postId, position, ...scene })),
        });
      });
      // Reviewers see the video as it would be posted: rendered before the post is IN_REVIEW.
      await renderAndStoreScriptVideo({ db, storage }, post, brand, script.scenes);
      await db.$transaction((tx) =>
        finish(tx, { title: script.title, caption: script.caption, hashtags: script.hashtags }),
      );
      return { postId, status: 'IN_REVIEW' };
    }
    const [generated]: GeneratedPost[] = await written(() =>
      generator.generatePosts({
        ...request,
        postCount: 1,
        // A text post is its caption: one slide's worth of ideas, none rendered.
        slidesPerPost: format === 'TEXT' ? 1 : settings.slidesPerPost,
      }),
    );
    if (!generated) throw ApplicationFailure.nonRetryable('the AI provider wrote no post', 'REJECTED_BY_PLATFORM');
    if (format === 'TEXT') {
      await db.$transaction((tx) =>
        finish(tx, { title: generated.title, caption: generated.caption, hashtags: generated.hashtags }),
      );
      return { postId, status: 'IN_REVIEW' };
    }
    const background = await postImage(post, brand, {
      subject: `A background for social media slides about "${generated.title}"`,
      name: 'background',
      size: '1024x1536',
      policy,
    });
    const stored = await renderAndStoreCarousel({
      storage,
      keyPrefix: postMediaPrefix(post),
      brand,
      slides: generated.slides,
      ...(background ? { options: { background: background.bytes } } : {}),
    });
    await db.$transaction(async (tx) => {
      await tx.slide.deleteMany({ where: { postId } });
      for (const [position, slide] of stored.entries()) {
        const media = await upsertSlideMedia(tx, { organizationId: batch.organizationId, id: postId }, slide);
        const text = generated.slides[position]!;
        await tx.slide.create({
          data: {
            postId,
            position,
            heading: text.heading,
            body: text.body,
            mediaId: media.id,
            backgroundMediaId: background?.media.id ?? null,
          },
        });
      }
      await finish(tx, { title: generated.title, caption: generated.caption, hashtags: generated.hashtags });
    });
    return { postId, status: 'IN_REVIEW' };
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
     * Writes, renders and stores post `index` of the batch, and puts it IN_REVIEW (see
     * generatePost above), heartbeating all the while.
     */
    generatePost(input: { batchId: string; index: number }): Promise<{ postId: string; status: string }> {
      return heartbeating(() => generatePost(input));
    },

    /** The post could not be generated: the batch goes on without it. */
    async failPost(input: { batchId: string; index: number; reason: string }): Promise<void> {
      await db.$transaction(async (tx) => {
        const batch = await tx.batch.findUniqueOrThrow({ where: { id: input.batchId } });
        const post =
          (await tx.post.findUnique({
            where: { batchId_batchIndex: { batchId: batch.id, batchIndex: input.index } },
          })) ??
          (await tx.post.create({
            data: {
              organizationId: batch.organizationId,
              brandId: batch.brandId,
              batchId: batch.id,
              batchIndex: input.index,
              format: batchPostFormat(batch, input.index),
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
          userIds: await notifier.members(batch.organizationId, ['REVIEWER', 'ADMIN', 'OWNER']),
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
      /** The version the reviewer saw; when the text changed since, nothing is recorded. */
      expectedVersion?: number;
    }): Promise<{ status: string; approvals: number; deleteAfterMs?: number; staleVersion?: number }> {
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM "Post" WHERE id = ${input.postId} FOR UPDATE`;
        const post = await tx.post.findUniqueOrThrow({ where: { id: input.postId } });
        const stale =
          post.status === 'IN_REVIEW' && input.expectedVersion !== undefined && post.version !== input.expectedVersion;
        if (post.status === 'IN_REVIEW' && !stale) {
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
        // A post edited after a rejection and submitted again starts counting from zero, and so
        // does one whose text changed during review (approvalsResetAt): those approvals were
        // for other text. The api counts the same way.
        const lastRejection = await tx.review.findFirst({
          where: { postId: post.id, decision: 'REJECTED' },
          orderBy: { createdAt: 'desc' },
          select: { createdAt: true },
        });
        const since = [lastRejection?.createdAt, post.approvalsResetAt ?? undefined]
          .filter((date): date is Date => date !== undefined)
          .sort((a, b) => b.getTime() - a.getTime())[0];
        const approvals = await tx.review.count({
          where: { postId: post.id, decision: 'APPROVED', ...(since ? { createdAt: { gt: since } } : {}) },
        });
        if (stale) return { status: post.status, approvals, staleVersion: post.version };
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
      let userIds = (await notifier.members(post.organizationId, roles)).filter((id) => !reviewed.has(id));
      // Nobody holds the reviewer role: the owners and admins are who can decide.
      if (!userIds.length) userIds = await notifier.members(post.organizationId, ['ADMIN', 'OWNER']);
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
