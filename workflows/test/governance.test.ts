import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteAccount, requestDataExport } from '../src/client.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { retentionWorkflow } from '../src/workflows/governance.js';
import { servedStorage, testVault } from './helpers.js';
import { saveHistory } from './support/histories.js';
import { connectTikTokAccount, createCarouselPublication } from './support/publishing.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `governance-test-${randomBytes(4).toString('hex')}`;
const day = 24 * 3600_000;

describe('retention, data export and deletion workflows', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let emulator: TikTokEmulator;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  const vault = testVault();

  beforeAll(async () => {
    emulator = new TikTokEmulator({ seededVideos: 0 });
    const baseUrl = await emulator.start();
    media = await servedStorage();
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({ vault, storage: media.storage, tiktok: tiktokClientFor(emulator, baseUrl) }),
      cleanups: [() => emulator.stop(), () => media.close()],
    });
    ({ db, client } = harness);
  });

  afterAll(() => harness?.close());

  it('applies each organization’s retention and audits it', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const org = account.organizationId;
    await db.organizationSettings.create({ data: { organizationId: org, analyticsRetentionDays: 30 } });
    const snapshot = (daysAgo: number) => ({
      organizationId: org,
      socialAccountId: account.socialAccountId,
      capturedAt: new Date(Date.now() - daysAgo * day),
      followerCount: 1,
      followingCount: 1,
      likesCount: 1n,
      videoCount: 1,
    });
    await db.accountSnapshot.createMany({ data: [snapshot(45), snapshot(40), snapshot(5)] });
    await db.requestLog.createMany({
      data: [40, 1].map((daysAgo) => ({
        organizationId: org,
        requestId: randomBytes(4).toString('hex'),
        method: 'POST',
        path: '/graphql',
        statusCode: 200,
        durationMs: 3,
        createdAt: new Date(Date.now() - daysAgo * day),
      })),
    });
    const publication = await createCarouselPublication(db, media.storage, account, { slides: 2 });
    const due = await db.media.findMany({ where: { postId: publication.postId } });
    await db.media.update({ where: { id: due[0]!.id }, data: { deleteAfter: new Date(Date.now() - 1000) } });

    const workflowId = `retention-test-${randomBytes(4).toString('hex')}`;
    const result = await client.workflow.execute(retentionWorkflow, { workflowId, taskQueue });
    expect(result.organizations).toBeGreaterThanOrEqual(1);
    expect(await db.accountSnapshot.count({ where: { organizationId: org } })).toBe(1);
    expect(await db.requestLog.count({ where: { organizationId: org } })).toBe(1);
    expect(await db.media.findUniqueOrThrow({ where: { id: due[0]!.id } })).toMatchObject({ status: 'DELETED' });
    expect(await media.storage.get(due[0]!.storageKey)).toBeNull();
    expect(await media.storage.get(due[1]!.storageKey)).not.toBeNull();
    const audit = await db.auditEvent.findFirstOrThrow({ where: { organizationId: org, action: 'retention.applied' } });
    expect(audit.metadata).toMatchObject({ accountSnapshots: 2, requestLogs: 1, media: 1 });
    await saveHistory(client, workflowId, 'retention');
  });

  it('exports an organization as a machine-readable archive without secrets', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    await createCarouselPublication(db, media.storage, account, { slides: 1, caption: 'Exported caption' });
    const brand = await db.brand.findFirstOrThrow({ where: { organizationId: account.organizationId } });
    const uploadId = randomBytes(16).toString('hex');
    await db.mediaAsset.create({
      data: {
        id: uploadId,
        organizationId: account.organizationId,
        brandId: brand.id,
        filename: 'exported-upload.mp4',
        kind: 'VIDEO',
        byteSize: 1234n,
        storageKey: `uploads/${uploadId}`,
        status: 'READY',
      },
    });
    const request = await db.dataExportRequest.create({
      data: { organizationId: account.organizationId, requestedById: account.userId, scope: 'ORGANIZATION' },
    });
    const handle = await requestDataExport(client, request.id, { taskQueue });
    await handle.result();
    const stored = await db.dataExportRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(stored).toMatchObject({ status: 'COMPLETED' });
    const object = await media.storage.get(stored.storageKey!);
    const text = gunzipSync(object!.body).toString('utf8');
    const archive = JSON.parse(text) as {
      format: string;
      posts: Array<{ caption: string }>;
      socialAccounts: Array<Record<string, unknown>>;
      members: Array<{ user: Record<string, unknown> }>;
      mediaAssets: Array<{ id: string; filename: string; byteSize: string }>;
    };
    expect(archive.format).toBe('pressroom-export/1');
    expect(archive.posts.map((post) => post.caption)).toContain('Exported caption');
    expect(archive.socialAccounts).toHaveLength(1);
    expect(archive.mediaAssets.map((asset) => [asset.id, asset.filename, String(asset.byteSize)])).toEqual([
      [uploadId, 'exported-upload.mp4', '1234'],
    ]);
    expect(text).not.toMatch(/Ciphertext|passwordHash|scrypt\$/);
    expect(archive.members[0]!.user).not.toHaveProperty('passwordHash');
    await saveHistory(client, handle.workflowId, 'export-organization');
  });

  it('deletes an organization: platform tokens revoked, media removed, audited', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createCarouselPublication(db, media.storage, account, { slides: 2 });
    const stored = await db.media.findMany({ where: { postId: publication.postId } });
    // An upload in the media library, with its original, tus sidecar, poster and variant stored.
    const brand = await db.brand.findFirstOrThrow({ where: { organizationId: account.organizationId } });
    const uploadId = randomBytes(16).toString('hex');
    const library = {
      storageKey: `uploads/${uploadId}`,
      posterKey: `org/${account.organizationId}/library/${uploadId}/w1080.jpg`,
      thumbnailKey: `org/${account.organizationId}/library/${uploadId}/thumb.jpg`,
    };
    for (const key of [...Object.values(library), `uploads/${uploadId}.json`]) {
      await media.storage.put(key, randomBytes(32), { contentType: 'application/octet-stream' });
    }
    await db.mediaAsset.create({
      data: {
        id: uploadId,
        organizationId: account.organizationId,
        brandId: brand.id,
        filename: 'staff.jpg',
        kind: 'IMAGE',
        byteSize: 32n,
        status: 'READY',
        ...library,
        variantKeys: { '1080': library.posterKey },
      },
    });
    const revocations = emulator.calls.revocations;
    const request = await db.deletionRequest.create({
      data: {
        organizationId: account.organizationId,
        requestedById: account.userId,
        scope: 'ORGANIZATION',
        subjectId: account.organizationId,
      },
    });
    const handle = await deleteAccount(client, request.id, { taskQueue });
    await expect(handle.result()).resolves.toMatchObject({ revokedAccounts: 1 });
    expect(emulator.calls.revocations - revocations).toBe(1);
    expect(await db.organization.findUnique({ where: { id: account.organizationId } })).toBeNull();
    for (const row of stored) expect(await media.storage.get(row.storageKey)).toBeNull();
    for (const key of [...Object.values(library), `uploads/${uploadId}.json`]) {
      expect(await media.storage.get(key)).toBeNull();
    }
    expect(await db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: 'COMPLETED',
    });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: 'deletion.completed', targetId: account.organizationId },
    });
    expect(audit.metadata).toMatchObject({ revokedAccounts: 1, deletedMedia: 2 });
    await saveHistory(client, handle.workflowId, 'deletion-organization');
  });

  it('erases a user’s personal data', async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const request = await db.deletionRequest.create({
      data: { organizationId: account.organizationId, scope: 'USER', subjectId: account.userId },
    });
    await (await deleteAccount(client, request.id, { taskQueue })).result();
    const user = await db.user.findUniqueOrThrow({ where: { id: account.userId } });
    expect(user).toMatchObject({ name: 'Deleted user', passwordHash: 'deleted' });
    expect(user.deletedAt).not.toBeNull();
    expect(user.email).not.toContain('example.test');
    expect(await db.membership.count({ where: { userId: account.userId } })).toBe(0);
  });
});
