// Reviewers are told about posts waiting for review in-app, by email and, when the organization
// names a review chat, by one Telegram message to that chat — on the Telegram emulator here.
import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContentActivities } from '../src/activities/content.js';
import { createBatch } from '../src/client.js';
import { AnthropicEmulator } from '../src/emulators/anthropic.js';
import { TelegramEmulator } from '../src/emulators/telegram.js';
import { createAnthropicGenerator } from '../src/platforms/anthropic/index.js';
import { createTelegramClient } from '../src/platforms/telegram/index.js';
import { recordingEmail, seedTenant, servedStorage, testVault } from './helpers.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `notifications-test-${randomBytes(4).toString('hex')}`;

/** A supergroup id of its own for each test, so flood limits and message lists never mix. */
function newChatId(): string {
  return `-100${1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)}`;
}

describe('review notifications on Telegram', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let anthropic: AnthropicEmulator;
  let telegram: TelegramEmulator;
  let telegramUrl: string;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const email = recordingEmail().sender;

  beforeAll(async () => {
    anthropic = new AnthropicEmulator({ apiKeys: ['test-anthropic-key'], requestsPerMinute: 1_000 });
    const anthropicUrl = await anthropic.start();
    telegram = new TelegramEmulator();
    telegramUrl = await telegram.start();
    media = await servedStorage();
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault: testVault(),
        storage: media.storage,
        // Content workflows never reach TikTok: an address where nothing listens.
        tiktok: tiktokClientFor({ clientKey: 'x', clientSecret: 'x' }, 'http://127.0.0.1:9'),
        ai: createAnthropicGenerator({ apiKey: 'test-anthropic-key', baseUrl: anthropicUrl }),
        email,
        // No waiting inside the client: a 429 reaches the activity, and Temporal's retry is tested.
        telegram: createTelegramClient({ botToken: telegram.botToken, baseUrl: telegramUrl, http: { maxRetries: 0 } }),
        contentSettings: { slidesPerPost: 2 },
      }),
      cleanups: [() => telegram.stop(), () => anthropic.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  /** A tenant with a reviewer, whose organization's review chat is `chatId` (none when null). */
  async function team(chatId: string | null) {
    const tenant = await seedTenant(db);
    const reviewer = await db.user.create({
      data: {
        email: `rita-${randomBytes(3).toString('hex')}@example.test`,
        name: 'Rita',
        passwordHash: 'scrypt$unused',
      },
    });
    await db.membership.create({
      data: { organizationId: tenant.organizationId, userId: reviewer.id, role: 'REVIEWER' },
    });
    await db.organizationSettings.create({
      data: { organizationId: tenant.organizationId, telegramReviewChatId: chatId, aiTextEnabled: true },
    });
    return tenant;
  }

  /** A batch whose posts are written and waiting for review: finishBatch is next. */
  async function generatedBatch(tenant: { organizationId: string; brandId: string }, posts: number) {
    const batch = await db.batch.create({
      data: {
        organizationId: tenant.organizationId,
        brandId: tenant.brandId,
        brief: 'Cold brew at home',
        count: posts,
        status: 'GENERATING',
        generatedCount: posts,
      },
    });
    for (let index = 0; index < posts; index++) {
      await db.post.create({
        data: {
          organizationId: tenant.organizationId,
          brandId: tenant.brandId,
          batchId: batch.id,
          batchIndex: index,
          status: 'IN_REVIEW',
        },
      });
    }
    return batch;
  }

  function telegramRows(organizationId: string) {
    return db.notification.findMany({ where: { organizationId, channel: 'TELEGRAM' } });
  }

  function messagesTo(chatId: string) {
    return telegram.messages.filter((message) => message.chatId === Number(chatId));
  }

  it('tells the review chat once when a batch finishes, with the number of posts waiting', async () => {
    const chatId = newChatId();
    const tenant = await team(chatId);
    const batch = await db.batch.create({
      data: { organizationId: tenant.organizationId, brandId: tenant.brandId, brief: 'Espresso basics', count: 3 },
    });
    const result = await (await createBatch(client, batch.id, { taskQueue })).result();
    expect(result).toMatchObject({
      status: 'READY',
      inReview: [expect.any(String), expect.any(String), expect.any(String)],
    });

    const messages = messagesTo(chatId);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ method: 'sendMessage' });
    expect(messages[0]!.text).toContain('3 new posts to review');
    expect(messages[0]!.text).toContain('3 post(s) are waiting for review');
    const rows = await telegramRows(tenant.organizationId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      userId: null,
      kind: 'batch.ready_for_review',
      status: 'SENT',
      idempotencyKey: `batch.ready:${batch.id}:telegram`,
    });
    expect(rows[0]!.sentAt).toBeInstanceOf(Date);
    // The members are still told in-app and by email, each of them.
    const perMember = await db.notification.findMany({
      where: { organizationId: tenant.organizationId, channel: { in: ['IN_APP', 'EMAIL'] } },
    });
    expect(perMember).toHaveLength(4);
  });

  it('sends once when the notifying activity runs again', async () => {
    const chatId = newChatId();
    const tenant = await team(chatId);
    const batch = await generatedBatch(tenant, 2);
    const activities = createContentActivities({
      db,
      storage: media.storage,
      email,
      telegram: createTelegramClient({ botToken: telegram.botToken, baseUrl: telegramUrl }),
    });
    await activities.finishBatch({ batchId: batch.id });
    await activities.finishBatch({ batchId: batch.id });

    expect(messagesTo(chatId).map((message) => message.text)).toEqual([
      '2 new posts to review\n\nA batch finished generating: 2 post(s) are waiting for review.',
    ]);
    expect(await telegramRows(tenant.organizationId)).toMatchObject([{ status: 'SENT' }]);
  });

  it('keeps the message PENDING when Telegram floods back with 429, and sends it on the retry', async () => {
    // One message a minute in a group: the second one inside the minute is refused.
    const flooded = new TelegramEmulator({ perGroupPerMinute: 1 });
    const floodedUrl = await flooded.start();
    try {
      const chatId = newChatId();
      const tenant = await team(chatId);
      const bot = createTelegramClient({ botToken: flooded.botToken, baseUrl: floodedUrl });
      await bot.sendMessage(chatId, 'Someone else was first this minute');
      const batch = await generatedBatch(tenant, 1);
      const activities = createContentActivities({ db, storage: media.storage, telegram: bot });

      const failure = await activities.finishBatch({ batchId: batch.id }).then(
        () => undefined,
        (error: unknown) => error,
      );
      // Retryable, after the wait Telegram asked for (longer than the client waits out itself).
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'RATE_LIMITED', nonRetryable: false });
      expect((failure as ApplicationFailure).nextRetryDelay).toBeGreaterThan(30_000);
      expect(await telegramRows(tenant.organizationId)).toMatchObject([{ status: 'PENDING', sentAt: null }]);
      expect(flooded.messages).toHaveLength(1);

      flooded.server.clock.advance(60_000);
      await activities.finishBatch({ batchId: batch.id });
      expect(await telegramRows(tenant.organizationId)).toMatchObject([{ status: 'SENT' }]);
      expect(flooded.messages.map((message) => message.text)).toEqual([
        'Someone else was first this minute',
        '1 new post to review\n\nA batch finished generating: 1 post(s) are waiting for review.',
      ]);
    } finally {
      await flooded.stop();
    }
  });

  it('lets Temporal retry a batch whose Telegram message was refused with 429', async () => {
    const chatId = newChatId();
    const tenant = await team(chatId);
    const batch = await db.batch.create({
      data: { organizationId: tenant.organizationId, brandId: tenant.brandId, brief: 'Moka pot', count: 1 },
    });
    // The emulator's own 429 body asks for retry_after: 3.
    telegram.server.inject({ method: 'POST', pathPrefix: '/bot' }, { kind: 'status', status: 429 });
    const handle = await createBatch(client, batch.id, { taskQueue });
    await handle.result();

    expect(messagesTo(chatId)).toHaveLength(1);
    expect(await telegramRows(tenant.organizationId)).toMatchObject([{ status: 'SENT' }]);
    // finishBatch went through on its second attempt, after the 429 of the first.
    const events = (await handle.fetchHistory()).events ?? [];
    const finish = events.findIndex(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'finishBatch',
    );
    const started = events.slice(finish).find((event) => event.activityTaskStartedEventAttributes);
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(2);
    expect(started?.activityTaskStartedEventAttributes?.lastFailure?.applicationFailureInfo?.type).toBe('RATE_LIMITED');
  });

  it('makes no TELEGRAM row when the organization names no review chat, or no bot is configured', async () => {
    const withoutChat = await team(null);
    const batch = await generatedBatch(withoutChat, 1);
    const sent = telegram.messages.length;
    const bot = createTelegramClient({ botToken: telegram.botToken, baseUrl: telegramUrl });
    await createContentActivities({ db, storage: media.storage, email, telegram: bot }).finishBatch({
      batchId: batch.id,
    });
    expect(await telegramRows(withoutChat.organizationId)).toEqual([]);
    expect(await db.notification.count({ where: { organizationId: withoutChat.organizationId } })).toBe(4);

    const withChat = await team(newChatId());
    const other = await generatedBatch(withChat, 1);
    await createContentActivities({ db, storage: media.storage, email }).finishBatch({ batchId: other.id });
    expect(await telegramRows(withChat.organizationId)).toEqual([]);
    expect(telegram.messages.length).toBe(sent);
  });
});
