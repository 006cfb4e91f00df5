import { randomBytes } from 'node:crypto';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatch } from '../src/client.js';
import { AnthropicEmulator } from '../src/emulators/anthropic.js';
import { OpenAIEmulator } from '../src/emulators/openai.js';
import { createAnthropicGenerator } from '../src/platforms/anthropic/index.js';
import { createOpenAIGenerator } from '../src/platforms/openai/index.js';
import { seedTenant, servedStorage, testVault } from './helpers.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `ai-opt-in-test-${randomBytes(4).toString('hex')}`;

/**
 * The activity that would call the provider checks the organization's opt-in itself, so a
 * batch that reaches the worker some other way (queued before AI was turned off, started by
 * hand) still sends nothing.
 */
describe('AI opt-in in the generation activities', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let anthropic: AnthropicEmulator;
  let openai: OpenAIEmulator;
  let media: Awaited<ReturnType<typeof servedStorage>>;

  beforeAll(async () => {
    anthropic = new AnthropicEmulator({ apiKeys: ['test-anthropic-key'], requestsPerMinute: 1_000 });
    openai = new OpenAIEmulator({ apiKeys: ['test-openai-key'], requestsPerMinute: 1_000 });
    const anthropicUrl = await anthropic.start();
    const openaiUrl = await openai.start();
    media = await servedStorage();
    const claude = createAnthropicGenerator({ apiKey: 'test-anthropic-key', baseUrl: anthropicUrl });
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault: testVault(),
        storage: media.storage,
        tiktok: tiktokClientFor({ clientKey: 'x', clientSecret: 'x' }, 'http://127.0.0.1:9'),
        ai: claude,
        aiProviders: {
          ANTHROPIC: claude,
          OPENAI: createOpenAIGenerator({ apiKey: 'test-openai-key', baseUrl: openaiUrl }),
        },
        contentSettings: { slidesPerPost: 2 },
      }),
      cleanups: [() => anthropic.stop(), () => openai.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  async function batchFor(organizationId: string, brandId: string, count: number) {
    return db.batch.create({
      data: { organizationId, brandId, brief: 'Pour-over basics', count, platforms: ['TIKTOK'] },
    });
  }

  it('sends nothing to any provider for an organization that has not opted in, and says why', async () => {
    const off = await seedTenant(db);
    // No settings row at all, and one whose text is off while images are on: both are "off" for text.
    const alsoOff = await seedTenant(db);
    await db.organizationSettings.create({
      data: { organizationId: alsoOff.organizationId, aiTextEnabled: false, aiImagesEnabled: true },
    });
    for (const tenant of [off, alsoOff]) {
      const batch = await batchFor(tenant.organizationId, tenant.brandId, 2);
      const result = await (await createBatch(client, batch.id, { taskQueue })).result();
      expect(result).toEqual({ status: 'FAILED', inReview: [] });
      const posts = await db.post.findMany({ where: { batchId: batch.id } });
      expect(posts).toHaveLength(2);
      for (const post of posts) {
        expect(post.status).toBe('GENERATION_FAILED');
        expect(post.generationError).toContain('AI text generation is turned off for this organization');
      }
    }
    expect(anthropic.server.requests.filter((request) => request.path.startsWith('/v1/'))).toEqual([]);
    expect(openai.server.requests.filter((request) => request.path.startsWith('/v1/'))).toEqual([]);
    expect(anthropic.received).toHaveLength(0);
    expect(openai.received).toHaveLength(0);
  });

  it("uses the organization's provider and model once it has opted in", async () => {
    const tenant = await seedTenant(db);
    await db.organizationSettings.create({
      data: {
        organizationId: tenant.organizationId,
        aiTextEnabled: true,
        aiProvider: 'OPENAI',
        aiTextModel: 'gpt-4.1-mini',
      },
    });
    const batch = await batchFor(tenant.organizationId, tenant.brandId, 1);
    const result = await (await createBatch(client, batch.id, { taskQueue })).result();
    expect(result.status).toBe('READY');
    expect(openai.received).toHaveLength(1);
    expect(openai.received[0]).toMatchObject({ model: 'gpt-4.1-mini' });
    expect(anthropic.received).toHaveLength(0);

    // Turned off again: the next batch stops at the activity, nothing more is sent.
    await db.organizationSettings.update({
      where: { organizationId: tenant.organizationId },
      data: { aiTextEnabled: false },
    });
    const later = await batchFor(tenant.organizationId, tenant.brandId, 1);
    await (await createBatch(client, later.id, { taskQueue })).result();
    expect(openai.received).toHaveLength(1);
  });
});
