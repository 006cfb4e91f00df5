import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, temporalAddress, type TestDatabase } from '@pressroom/db/testing';
import { adsConnectionTokenContext, createVault, parseKeyRing } from '@pressroom/db/vault';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adsBulkJobWorkflowId, startAdsBulkJobRun } from '../src/client.js';
import { TikTokAdsEmulator } from '../src/emulators/tiktok-ads.js';
import { seedTenant } from './helpers.js';
import { saveHistory } from './support/histories.js';
import { waitFor } from './support/publishing.js';
import { workerProcesses } from './support/worker-process.js';

// Acceptance: the worker PROCESS is killed (SIGKILL) in the middle of a bulk pause of 1,000
// ads, right after TikTok applied a chunk whose answer never arrived. A new process finishes
// the job, and TikTok's request log shows no ad sent for a change twice once it was applied.

const taskQueue = `ads-bulk-crash-${randomBytes(4).toString('hex')}`;
const statusPath = '/open_api/v1.3/ad/status/update/';

describe('killing the worker process in the middle of a bulk job', () => {
  let database: TestDatabase;
  let db: Database;
  let client: Client;
  let mediaDir: string;
  const emulator = new TikTokAdsEmulator();
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const vault = createVault(parseKeyRing(keys));

  const workers = workerProcesses('ads-worker.ts', () => ({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporalAddress(),
    TASK_QUEUE: taskQueue,
    TIKTOK_ADS_BASE_URL: emulator.server.baseUrl,
    TIKTOK_ADS_APP_ID: emulator.appId,
    TIKTOK_ADS_SECRET: emulator.secret,
    TOKEN_KEYS: keys,
    MEDIA_DIR: mediaDir,
  }));
  const startWorker = () => workers.start();
  const kill = (child: ChildProcess) => workers.kill(child);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url });
    mediaDir = await mkdtemp(join(tmpdir(), 'pressroom-ads-crash-'));
    await emulator.start();
    client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
    // Bundled once here rather than inside the first test's time.
    await workers.prepare();
  });

  afterAll(async () => {
    await workers.stopAll();
    await client?.connection.close();
    await emulator.stop();
    await db?.$disconnect();
    await database?.drop();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  /** The emulator's business as stored inventory, and a RUNNING job pausing every ad. */
  async function seedJob() {
    const owner = emulator.createAdvertiserOwner({ advertisers: 1, campaigns: 10, adGroups: 10, ads: 10 });
    const platformAdvertiserId = owner.advertiserIds[0]!;
    const { accessToken } = emulator.issueToken(owner.userId);
    const tenant = await seedTenant(db);
    const organizationId = tenant.organizationId;
    const connectionId = randomBytes(8).toString('hex');
    const sealed = vault.encrypt(accessToken, adsConnectionTokenContext({ id: connectionId, organizationId }));
    await db.adsConnection.create({
      data: { id: connectionId, organizationId, accessTokenCiphertext: sealed.ciphertext, tokenKeyId: sealed.keyId },
    });
    const advertiser = await db.advertiser.create({
      data: { organizationId, connectionId, platformAdvertiserId },
    });
    const seen = { organizationId, advertiserId: advertiser.id, lastSeenAt: new Date(), operationStatus: 'ENABLE' };
    const campaigns = new Map<string, string>();
    const groups = new Map<string, string>();
    for (const campaign of emulator.campaigns.values()) {
      if (campaign.advertiserId !== platformAdvertiserId) continue;
      const row = await db.adsCampaign.create({ data: { ...seen, platformId: campaign.campaignId } });
      campaigns.set(campaign.campaignId, row.id);
    }
    for (const group of emulator.adGroups.values()) {
      if (group.advertiserId !== platformAdvertiserId) continue;
      const row = await db.adsAdGroup.create({
        data: { ...seen, campaignId: campaigns.get(group.campaignId)!, platformId: group.adgroupId },
      });
      groups.set(group.adgroupId, row.id);
    }
    const ads = [...emulator.ads.values()].filter((ad) => ad.advertiserId === platformAdvertiserId);
    await db.adsAd.createMany({
      data: ads.map((ad) => ({
        ...seen,
        campaignId: campaigns.get(ad.campaignId)!,
        adGroupId: groups.get(ad.adgroupId)!,
        platformId: ad.adId,
        name: ad.name,
      })),
    });
    const rows = await db.adsAd.findMany({ where: { advertiserId: advertiser.id }, orderBy: { platformId: 'asc' } });
    const job = await db.adsBulkJob.create({
      data: { organizationId, connectionId, level: 'AD', action: 'PAUSE', status: 'RUNNING', run: 1 },
    });
    await db.adsBulkItem.createMany({
      data: rows.map((row) => ({
        jobId: job.id,
        objectId: row.id,
        platformAdvertiserId,
        platformId: row.platformId,
        previousStatus: 'ENABLE',
        status: 'PENDING' as const,
      })),
    });
    return { jobId: job.id, adIds: rows.map((row) => row.platformId) };
  }

  it(
    'a chunk applied whose answer was lost, then the worker killed: the new worker reads it back and sends nothing twice',
    { timeout: 180_000 },
    async () => {
      const { jobId, adIds } = await seedJob();
      expect(adIds).toHaveLength(1000);
      const refused = adIds.filter((_id, index) => index % 33 === 5).slice(0, 30);
      emulator.refuseChanges(refused, 'Ad is under review and cannot be modified.');
      // TikTok applies the fourth chunk, and its answer never arrives.
      emulator.server.inject({ method: 'POST', pathPrefix: statusPath, skip: 3 }, { kind: 'lost-response' });
      const writes = () => emulator.writeCalls().filter((entry) => entry.path === statusPath);

      const first = await startWorker();
      // The killed worker's chunk is retried after 5 s rather than the production 20 s.
      await startAdsBulkJobRun(client, jobId, 1, { taskQueue, chunkTimeoutMs: 5_000 });
      await waitFor(
        () => Promise.resolve(writes().length),
        (count) => count >= 4,
        30_000,
        'the fourth chunk to reach TikTok',
      );
      await kill(first);
      const chunk = await db.adsBulkChunk.findFirstOrThrow({ where: { jobId, position: 3 } });
      // Its intent was written before the call, and no outcome after it.
      expect(chunk.state).toBe('SENDING');
      expect(
        await db.adsBulkItem.count({ where: { jobId, platformId: { in: chunk.platformIds }, status: 'PENDING' } }),
      ).toBe(chunk.platformIds.length);

      await startWorker();
      const outcome: unknown = await client.workflow.getHandle(adsBulkJobWorkflowId(jobId, 1)).result();
      expect(outcome).toMatchObject({ status: 'PARTIALLY_FAILED', done: 970, failed: 30 });

      // The request log: every ad TikTok took was named in exactly one status call.
      const named = new Map<string, number>();
      for (const write of writes()) {
        for (const id of (write.body as { ad_ids: string[] }).ad_ids) named.set(id, (named.get(id) ?? 0) + 1);
      }
      const refusedSet = new Set(refused);
      const twice = adIds.filter((id) => !refusedSet.has(id) && named.get(id) !== 1);
      expect(twice).toEqual([]);
      // The lost chunk was read back (ad/get by id) before anything of it was sent again.
      const readBack = emulator.log.filter((entry) => entry.path === '/open_api/v1.3/ad/get/');
      expect(readBack.length).toBeGreaterThanOrEqual(1);
      expect([...emulator.ads.values()].filter((ad) => ad.operationStatus === 'DISABLE')).toHaveLength(970);
      const items = await db.adsBulkItem.groupBy({ by: ['status'], where: { jobId }, _count: true });
      expect(Object.fromEntries(items.map((group) => [group.status, group._count]))).toEqual({ DONE: 970, FAILED: 30 });
      const settled = await db.adsBulkChunk.findUniqueOrThrow({ where: { id: chunk.id } });
      expect(settled.state).toBe('SETTLED');
      // The replay test keeps this run (a worker killed mid-job, a chunk read back) as the
      // bulk job workflow's recorded history.
      await saveHistory(client, adsBulkJobWorkflowId(jobId, 1), 'ads-bulk-job-crash');
    },
  );
});
