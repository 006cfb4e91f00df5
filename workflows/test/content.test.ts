import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentActivities } from '../src/activities/content.js';
import { approvePost, batchWorkflowId, createBatch, rejectPost } from '../src/client.js';
import { AnthropicEmulator } from '../src/emulators/anthropic.js';
import { createAnthropicGenerator } from '../src/platforms/anthropic/index.js';
import { reviewWorkflowId } from '../src/workflows/content.js';
import { recordingEmail, seedTenant, servedStorage, testVault } from './helpers.js';
import { saveHistory } from './support/histories.js';
import { waitFor } from './support/publishing.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `content-test-${randomBytes(4).toString('hex')}`;

describe('generateBatch and review workflows', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let anthropic: AnthropicEmulator;
  let anthropicUrl: string;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const mail = recordingEmail();
  const emails = mail.sent;

  beforeAll(async () => {
    anthropic = new AnthropicEmulator({ apiKeys: ['test-anthropic-key'], requestsPerMinute: 1_000 });
    anthropicUrl = await anthropic.start();
    media = await servedStorage();
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault: testVault(),
        storage: media.storage,
        // Content workflows never reach TikTok: an address where nothing listens.
        tiktok: tiktokClientFor({ clientKey: 'x', clientSecret: 'x' }, 'http://127.0.0.1:9'),
        ai: createAnthropicGenerator({
          apiKey: 'test-anthropic-key',
          baseUrl: anthropicUrl,
          http: { backoffBaseMs: 10 },
        }),
        email: mail.sender,
        contentSettings: { slidesPerPost: 3, reviewReminderMs: 1_500, escalateAfterReminders: 2, maxReminders: 2 },
      }),
      cleanups: [() => anthropic.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  async function team() {
    const tenant = await seedTenant(db);
    await db.organizationSettings.create({ data: { organizationId: tenant.organizationId, aiTextEnabled: true } });
    const reviewers = [];
    for (const name of ['Rita', 'Ravi']) {
      const user = await db.user.create({
        data: { email: `${name}-${randomBytes(3).toString('hex')}@example.test`, name, passwordHash: 'scrypt$unused' },
      });
      await db.membership.create({
        data: { organizationId: tenant.organizationId, userId: user.id, role: 'REVIEWER' },
      });
      reviewers.push(user.id);
    }
    return { ...tenant, reviewers };
  }

  it('two attempts at one batch post at once make one post (the index is unique), and a later one finds it', async () => {
    // A retry can start while a worker that lost its connection is still running the first
    // attempt: both looked for the index's post, found none, and each created one.
    const tenant = await team();
    const batch = await db.batch.create({
      data: {
        organizationId: tenant.organizationId,
        brandId: tenant.brandId,
        brief: 'Two at once',
        count: 1,
        platforms: ['TIKTOK'],
        status: 'GENERATING',
      },
    });
    const activities = createContentActivities({
      db,
      storage: media.storage,
      ai: createAnthropicGenerator({
        apiKey: 'test-anthropic-key',
        baseUrl: anthropicUrl,
        http: { backoffBaseMs: 10 },
      }),
      contentSettings: { slidesPerPost: 3 },
    });
    const attempts = await Promise.allSettled([
      activities.generatePost({ batchId: batch.id, index: 0 }),
      activities.generatePost({ batchId: batch.id, index: 0 }),
    ]);
    const posts = await db.post.findMany({ where: { batchId: batch.id } });
    expect(posts).toHaveLength(1);
    const made = attempts.filter((attempt) => attempt.status === 'fulfilled');
    expect(made.length).toBeGreaterThanOrEqual(1);
    for (const attempt of made) expect(attempt.value.postId).toBe(posts[0]!.id);
    expect((await activities.generatePost({ batchId: batch.id, index: 0 })).postId).toBe(posts[0]!.id);
    await expect(
      db.post.create({
        data: {
          organizationId: tenant.organizationId,
          brandId: tenant.brandId,
          batchId: batch.id,
          batchIndex: 0,
          status: 'GENERATING',
        },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

  it('generates a batch post by post, survives a failed post, renders slides and notifies reviewers', async () => {
    const tenant = await team();
    const batch = await db.batch.create({
      data: {
        organizationId: tenant.organizationId,
        brandId: tenant.brandId,
        createdById: tenant.userId,
        brief: 'Beginner pour-over tips',
        count: 3,
        platforms: ['TIKTOK'],
      },
    });
    // The provider refuses one request outright (400): that post fails, the others go on.
    anthropic.server.inject(
      { method: 'POST', pathPrefix: '/v1/messages', skip: 1 },
      {
        kind: 'status',
        status: 400,
        code: 'invalid_request_error',
      },
    );
    const handle = await createBatch(client, batch.id, { taskQueue });
    const result = await handle.result();
    expect(result.status).toBe('PARTIAL');
    expect(result.inReview).toHaveLength(2);

    const stored = await db.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(stored).toMatchObject({ status: 'PARTIAL', generatedCount: 2, failedCount: 1 });
    const posts = await db.post.findMany({
      where: { batchId: batch.id },
      orderBy: { batchIndex: 'asc' },
      include: { slides: { include: { media: true } } },
    });
    expect(posts.map((post) => post.status).sort()).toEqual(['GENERATION_FAILED', 'IN_REVIEW', 'IN_REVIEW']);
    for (const post of posts.filter((candidate) => candidate.status === 'IN_REVIEW')) {
      expect(post.caption.length).toBeGreaterThan(0);
      expect(post.slides).toHaveLength(3);
      for (const slide of post.slides) {
        expect(slide.media).toMatchObject({ status: 'READY', contentType: 'image/jpeg' });
        expect(await media.storage.get(slide.media!.storageKey)).not.toBeNull();
      }
    }
    expect(posts.find((post) => post.status === 'GENERATION_FAILED')!.generationError).toContain('injected');
    // Every reviewer and the owner: told in-app and by email.
    const notifications = await db.notification.findMany({
      where: { organizationId: tenant.organizationId, kind: 'batch.ready_for_review' },
    });
    expect(notifications).toHaveLength(6);
    expect(notifications.filter((row) => row.channel === 'EMAIL').every((row) => row.status === 'SENT')).toBe(true);
    expect(emails.filter((email) => email.subject.includes('to review'))).toHaveLength(3);
    await saveHistory(client, handle.workflowId, 'generate-batch');
  });

  it('approves with the brand’s approval level, rejects with media deletion, and reminds reviewers', async () => {
    const tenant = await team();
    await db.brand.update({ where: { id: tenant.brandId }, data: { requiredApprovals: 2 } });
    await db.organizationSettings.update({
      where: { organizationId: tenant.organizationId },
      data: { rejectedMediaRetentionHours: 0 },
    });
    const batch = await db.batch.create({
      data: { organizationId: tenant.organizationId, brandId: tenant.brandId, brief: 'Latte art', count: 3 },
    });
    const { inReview } = await (await createBatch(client, batch.id, { taskQueue })).result();
    const [approved, rejected, waiting] = inReview as [string, string, string];
    const [rita, ravi] = tenant.reviewers as [string, string];

    await expect(approvePost(client, approved, { reviewerId: rita })).resolves.toEqual({
      status: 'IN_REVIEW',
      approvals: 1,
      requiredApprovals: 2,
    });
    await expect(approvePost(client, approved, { reviewerId: rita })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(approvePost(client, approved, { reviewerId: ravi })).resolves.toMatchObject({
      status: 'APPROVED',
      approvals: 2,
    });
    expect(await db.post.findUniqueOrThrow({ where: { id: approved } })).toMatchObject({ status: 'APPROVED' });

    await expect(rejectPost(client, rejected, { reviewerId: rita, comment: 'Off brand' })).resolves.toMatchObject({
      status: 'REJECTED',
    });
    await expect(client.workflow.getHandle(reviewWorkflowId(rejected)).result()).resolves.toEqual({
      status: 'REJECTED',
    });
    // The deletion runs in a workflow of its own, so the review itself ends with the decision.
    const rejectedMedia = await waitFor(
      () => db.media.findMany({ where: { postId: rejected } }),
      (rows) => rows.length === 3 && rows.every((row) => row.status === 'DELETED'),
      20_000,
      'the rejected post’s media deleted',
    );
    for (const row of rejectedMedia) {
      expect(row.status).toBe('DELETED');
      expect(await media.storage.get(row.storageKey)).toBeNull();
    }
    expect(await db.review.findFirst({ where: { postId: rejected } })).toMatchObject({ comment: 'Off brand' });

    // Nobody decides on the third: reminders, then an escalation to the owner.
    await waitFor(
      () => db.notification.findMany({ where: { organizationId: tenant.organizationId, kind: 'review.escalated' } }),
      (rows) => rows.length > 0,
      20_000,
      'an escalation',
    );
    const reminders = await db.notification.findMany({
      where: { organizationId: tenant.organizationId, kind: 'review.reminder', channel: 'IN_APP' },
    });
    expect(new Set(reminders.map((row) => row.userId))).toEqual(new Set([rita, ravi]));
    await approvePost(client, waiting, { reviewerId: rita });
    await approvePost(client, waiting, { reviewerId: ravi });
    await expect(client.workflow.getHandle(reviewWorkflowId(waiting)).result()).resolves.toEqual({
      status: 'APPROVED',
    });
    await saveHistory(client, reviewWorkflowId(rejected), 'review-rejected-media-workflow');
    const review = await client.workflow.getHandle(reviewWorkflowId(rejected)).describe();
    await saveHistory(client, `rejected-media:${rejected}:${review.runId}`, 'rejected-media');
    await saveHistory(client, reviewWorkflowId(waiting), 'review-reminded-approved');
  });
  it('a post approved while the rest of its batch is still being written keeps its review, and the batch ends well', async () => {
    const tenant = await team();
    await db.brand.update({ where: { id: tenant.brandId }, data: { requiredApprovals: 2 } });
    const batch = await db.batch.create({
      data: { organizationId: tenant.organizationId, brandId: tenant.brandId, brief: 'Cold brew', count: 2 },
    });
    // The second post's call is refused as overloaded, its retries included (1 + 3): Temporal
    // writes it again 5 s later, while the first post already waits in review.
    anthropic.server.inject({ pathPrefix: '/v1/messages', skip: 1 }, { kind: 'status', status: 529 }, 4);
    const generation = await createBatch(client, batch.id, { taskQueue });
    const [early] = await waitFor(
      () => db.post.findMany({ where: { batchId: batch.id, status: 'IN_REVIEW' } }),
      (rows) => rows.length === 1,
      20_000,
      'the first post in review',
    );
    const [rita, ravi] = tenant.reviewers as [string, string];
    await expect(approvePost(client, early!.id, { reviewerId: rita }, { taskQueue })).resolves.toMatchObject({
      status: 'IN_REVIEW',
      approvals: 1,
    });
    expect((await client.workflow.getHandle(batchWorkflowId(batch.id)).describe()).status.name).toBe('RUNNING');

    // The batch then starts reviews for both posts: the early one's is already running.
    const result = await generation.result();
    expect(result.status).toBe('READY');
    expect(result.inReview).toHaveLength(2);
    await expect(approvePost(client, early!.id, { reviewerId: ravi }, { taskQueue })).resolves.toMatchObject({
      status: 'APPROVED',
      approvals: 2,
    });
    const late = result.inReview.find((id) => id !== early!.id)!;
    expect((await client.workflow.getHandle(reviewWorkflowId(late)).describe()).status.name).toBe('RUNNING');
  });
});
