import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Database } from '@pressroom/db';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteAccount, requestDataExport } from '../src/client.js';
import { retentionWorkflow } from '../src/workflows/governance.js';
import { seedTenant, servedStorage, testVault } from './helpers.js';
import { startWorkerHarness, tiktokClientFor, type WorkerHarness } from './support/worker-harness.js';

const taskQueue = `contact-governance-test-${randomBytes(4).toString('hex')}`;
const day = 24 * 3600_000;

/** Contact form submissions are append-only, except for retention and erasure. */
describe('contact submissions under retention, export and deletion', () => {
  let harness: WorkerHarness;
  let db: Database;
  let client: Client;
  let media: Awaited<ReturnType<typeof servedStorage>>;

  beforeAll(async () => {
    media = await servedStorage();
    harness = await startWorkerHarness({
      taskQueue,
      activities: () => ({
        vault: testVault(),
        storage: media.storage,
        tiktok: tiktokClientFor({ clientKey: 'x', clientSecret: 'x' }, 'http://127.0.0.1:9'),
      }),
      cleanups: [() => media.close()],
    });
    ({ db, client } = harness);
  });
  afterAll(() => harness?.close());

  async function submissions(organizationId: string, daysAgo: number[]) {
    for (const age of daysAgo) {
      await db.contactSubmission.create({
        data: {
          organizationId,
          name: `Sender ${age}`,
          contact: '@sender_name',
          contactKind: 'TELEGRAM',
          category: 'General',
          message: `Sent ${age} days ago`,
          ip: '192.0.2.7',
          userAgent: 'test',
          createdAt: new Date(Date.now() - age * day),
          state: { create: { organizationId, status: 'NEW' } },
        },
      });
    }
  }

  it('refuses UPDATE, DELETE and TRUNCATE outside an erasure', async () => {
    const tenant = await seedTenant(db);
    await submissions(tenant.organizationId, [1]);
    await expect(db.$executeRaw`UPDATE "ContactSubmission" SET "message" = 'changed'`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`DELETE FROM "ContactSubmission"`).rejects.toThrow(/append-only/);
    await expect(db.$executeRaw`TRUNCATE "ContactSubmission" CASCADE`).rejects.toThrow(/append-only/);
    await expect(db.contactSubmission.deleteMany({ where: { organizationId: tenant.organizationId } })).rejects.toThrow(
      /append-only/,
    );
    expect(await db.contactSubmission.count({ where: { organizationId: tenant.organizationId } })).toBe(1);
  });

  it('purges submissions past the organization’s retention (default a year), exports and deletes the rest', async () => {
    const short = await seedTenant(db);
    await db.organizationSettings.create({ data: { organizationId: short.organizationId, contactRetentionDays: 30 } });
    await submissions(short.organizationId, [45, 31, 2]);
    const byDefault = await seedTenant(db);
    await submissions(byDefault.organizationId, [400, 200]);

    const result = await client.workflow.execute(retentionWorkflow, {
      workflowId: `retention-${randomBytes(3).toString('hex')}`,
      taskQueue,
    });
    expect(result.totals.contactSubmissions).toBeGreaterThanOrEqual(3);
    const left = async (organizationId: string) =>
      (await db.contactSubmission.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' } })).map(
        (row) => row.message,
      );
    expect(await left(short.organizationId)).toEqual(['Sent 2 days ago']);
    expect(await left(byDefault.organizationId)).toEqual(['Sent 200 days ago']);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: short.organizationId, action: 'retention.applied' },
    });
    expect(audit.metadata).toMatchObject({ contactSubmissions: 2 });

    const exportRequest = await db.dataExportRequest.create({
      data: { organizationId: short.organizationId, requestedById: short.userId, scope: 'ORGANIZATION' },
    });
    await (await requestDataExport(client, exportRequest.id, { taskQueue })).result();
    const stored = await db.dataExportRequest.findUniqueOrThrow({ where: { id: exportRequest.id } });
    const archive = JSON.parse(gunzipSync((await media.storage.get(stored.storageKey!))!.body).toString('utf8')) as {
      contactSubmissions: Array<{ message: string; ip: string; state: { status: string } }>;
    };
    expect(archive.contactSubmissions).toHaveLength(1);
    expect(archive.contactSubmissions[0]).toMatchObject({
      message: 'Sent 2 days ago',
      ip: '192.0.2.7',
      state: { status: 'NEW' },
    });

    // An organization's deletion is an erasure: its submissions go with it.
    const deletion = await db.deletionRequest.create({
      data: { organizationId: short.organizationId, scope: 'ORGANIZATION', subjectId: short.organizationId },
    });
    await (await deleteAccount(client, deletion.id, { taskQueue })).result();
    expect(await db.organization.findUnique({ where: { id: short.organizationId } })).toBeNull();
    expect(await db.contactSubmission.count({ where: { organizationId: short.organizationId } })).toBe(0);
    expect(await db.contactSubmission.count({ where: { organizationId: byDefault.organizationId } })).toBe(1);
  });
});
