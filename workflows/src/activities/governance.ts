import { gzipSync } from 'node:zlib';
import { ApplicationFailure } from '@temporalio/common';
import type { Database, Prisma } from '@pressroom/db';
import type { TokenVault } from '@pressroom/db/vault';
import { disconnectAccount } from '../platforms/accounts.js';
import type { TikTokClient } from '../platforms/tiktok/index.js';
import { mediaAssetObjectKeys, type ObjectStorage } from '../storage/index.js';

export interface GovernanceDependencies {
  db: Database;
  vault: TokenVault;
  tiktok: TikTokClient;
  storage: ObjectStorage;
}

export interface RetentionCounts {
  accountSnapshots: number;
  videoSnapshots: number;
  requestLogs: number;
  auditEvents: number;
  media: number;
  contactSubmissions: number;
  /** Media library uploads of members who left, past the organization's grace period. */
  departedMemberUploads: number;
}

const day = 24 * 3600_000;
/** Rows deleted per statement: short transactions, no long lock on a busy table. */
const deleteBatch = 5_000;

// Dates and bigints as JSON: ISO strings and decimal strings.
const toJson = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);

/**
 * ContactSubmission refuses every UPDATE and DELETE (a trigger) unless the transaction set
 * this: the sanctioned path for the retention purge and erasure requests, and only for them.
 */
export async function allowContactErasure(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT set_config('pressroom.contact_erasure', 'on', true)`;
}

export function createGovernanceActivities(deps: GovernanceDependencies) {
  const { db, storage } = deps;

  async function deleteInBatches(run: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await run();
      total += deleted;
      if (deleted < deleteBatch) return total;
    }
  }

  async function audit(data: Prisma.AuditEventUncheckedCreateInput) {
    await db.auditEvent.create({ data });
  }

  return {
    async listOrganizations(): Promise<string[]> {
      const rows = await db.organization.findMany({ where: { deletedAt: null }, select: { id: true } });
      return rows.map((row) => row.id);
    },

    /**
     * One organization's retention: old analytics snapshots, request logs and audit events
     * (by its settings, else the defaults), and due rendered media. Idempotent; audited.
     */
    async applyRetention(input: { organizationId: string; nowMs: number }): Promise<RetentionCounts> {
      const settings = await db.organizationSettings.findUnique({ where: { organizationId: input.organizationId } });
      const cutoff = (days: number) => new Date(input.nowMs - days * day);
      const org = input.organizationId;
      const analytics = cutoff(settings?.analyticsRetentionDays ?? 90);
      const logs = cutoff(settings?.requestLogRetentionDays ?? 30);
      const audits = cutoff(settings?.auditRetentionDays ?? 365);
      const contacts = cutoff(settings?.contactRetentionDays ?? 365);
      const counts: RetentionCounts = {
        accountSnapshots: await deleteInBatches(
          () => db.$executeRaw`DELETE FROM "AccountSnapshot" WHERE id IN (SELECT id FROM "AccountSnapshot"
            WHERE "organizationId" = ${org} AND "capturedAt" < ${analytics} LIMIT ${deleteBatch})`,
        ),
        videoSnapshots: await deleteInBatches(
          () => db.$executeRaw`DELETE FROM "VideoMetricSnapshot" WHERE id IN (SELECT id FROM "VideoMetricSnapshot"
            WHERE "organizationId" = ${org} AND "capturedAt" < ${analytics} LIMIT ${deleteBatch})`,
        ),
        requestLogs: await deleteInBatches(
          () => db.$executeRaw`DELETE FROM "RequestLog" WHERE id IN (SELECT id FROM "RequestLog"
            WHERE "organizationId" = ${org} AND "createdAt" < ${logs} LIMIT ${deleteBatch})`,
        ),
        auditEvents: await deleteInBatches(
          () => db.$executeRaw`DELETE FROM "AuditEvent" WHERE id IN (SELECT id FROM "AuditEvent"
            WHERE "organizationId" = ${org} AND "createdAt" < ${audits} LIMIT ${deleteBatch})`,
        ),
        media: 0,
        departedMemberUploads: 0,
        // Append-only rows: only a transaction that names itself an erasure may delete them.
        contactSubmissions: await deleteInBatches(() =>
          db.$transaction(async (tx) => {
            await allowContactErasure(tx);
            return tx.$executeRaw`DELETE FROM "ContactSubmission" WHERE id IN (SELECT id FROM "ContactSubmission"
              WHERE "organizationId" = ${org} AND "createdAt" < ${contacts} LIMIT ${deleteBatch})`;
          }),
        ),
      };
      const due = await db.media.findMany({
        where: { organizationId: org, deletedAt: null, deleteAfter: { lte: new Date(input.nowMs) } },
      });
      for (const media of due) {
        await storage.delete(media.storageKey);
        await db.media.update({ where: { id: media.id }, data: { status: 'DELETED', deletedAt: new Date() } });
      }
      counts.media = due.length;
      // Files first, then the row: a crash in between leaves the row to find again, never
      // files no row points to.
      const departed = await db.mediaAsset.findMany({
        where: { organizationId: org, deleteAfter: { lte: new Date(input.nowMs) } },
      });
      for (const asset of departed) {
        for (const key of mediaAssetObjectKeys(asset)) await storage.delete(key);
        await db.mediaAsset.deleteMany({ where: { id: asset.id } });
      }
      counts.departedMemberUploads = departed.length;
      await audit({
        organizationId: org,
        action: 'retention.applied',
        targetType: 'Organization',
        targetId: org,
        metadata: { ...counts },
      });
      return counts;
    },

    /** A machine-readable archive (gzipped JSON) of an organization's or a user's data. */
    async exportData(input: { requestId: string }): Promise<{ storageKey: string; byteSize: number }> {
      const request = await db.dataExportRequest.findUnique({ where: { id: input.requestId } });
      if (!request) throw ApplicationFailure.nonRetryable('the export request does not exist', 'NOT_FOUND');
      await db.dataExportRequest.update({ where: { id: request.id }, data: { status: 'RUNNING' } });
      const org = request.organizationId;
      const userSelect = { id: true, email: true, name: true, createdAt: true, emailVerifiedAt: true } as const;
      let archive: Record<string, unknown>;
      if (request.scope === 'ORGANIZATION') {
        archive = {
          organization: await db.organization.findUnique({ where: { id: org }, include: { settings: true } }),
          members: await db.membership.findMany({
            where: { organizationId: org },
            include: { user: { select: userSelect } },
          }),
          brands: await db.brand.findMany({ where: { organizationId: org }, include: { knowledgeDocuments: true } }),
          // Tokens never leave: only what identifies the account.
          socialAccounts: await db.socialAccount.findMany({
            where: { organizationId: org },
            select: {
              id: true,
              platform: true,
              platformAccountId: true,
              displayName: true,
              username: true,
              status: true,
              createdAt: true,
            },
          }),
          batches: await db.batch.findMany({ where: { organizationId: org } }),
          posts: await db.post.findMany({
            where: { organizationId: org },
            include: { slides: true, reviews: true, media: true },
          }),
          publications: await db.publication.findMany({ where: { organizationId: org }, include: { attempts: true } }),
          accountSnapshots: await db.accountSnapshot.findMany({ where: { organizationId: org } }),
          platformVideos: await db.platformVideo.findMany({ where: { organizationId: org } }),
          videoSnapshots: await db.videoMetricSnapshot.findMany({ where: { organizationId: org } }),
          auditEvents: await db.auditEvent.findMany({ where: { organizationId: org } }),
          contactSubmissions: await db.contactSubmission.findMany({
            where: { organizationId: org },
            include: { state: true },
            orderBy: { createdAt: 'asc' },
          }),
          // The media library: what was uploaded, where it is stored, and how it was processed.
          mediaAssets: await db.mediaAsset.findMany({ where: { organizationId: org }, orderBy: { createdAt: 'asc' } }),
        };
      } else {
        const userId = request.subjectUserId;
        if (!userId) throw ApplicationFailure.nonRetryable('a user export needs its subject', 'REJECTED_BY_PLATFORM');
        archive = {
          user: await db.user.findUnique({ where: { id: userId }, select: userSelect }),
          memberships: await db.membership.findMany({ where: { userId, organizationId: org } }),
          posts: await db.post.findMany({ where: { createdById: userId, organizationId: org } }),
          reviews: await db.review.findMany({ where: { reviewerId: userId, post: { organizationId: org } } }),
          notifications: await db.notification.findMany({ where: { userId, organizationId: org } }),
          sessions: await db.session.findMany({
            where: { userId },
            select: { createdAt: true, lastSeenAt: true, ip: true, userAgent: true, expiresAt: true },
          }),
        };
      }
      const body = gzipSync(
        toJson({
          format: 'pressroom-export/1',
          exportedAt: new Date().toISOString(),
          scope: request.scope,
          ...archive,
        }),
      );
      const storageKey = `exports/${org}/${request.id}.json.gz`;
      await storage.put(storageKey, body, { contentType: 'application/gzip' });
      await db.dataExportRequest.update({
        where: { id: request.id },
        data: {
          status: 'COMPLETED',
          storageKey,
          byteSize: body.length,
          completedAt: new Date(),
          expiresAt: new Date(Date.now() + 7 * day),
        },
      });
      await audit({
        organizationId: org,
        actorUserId: request.requestedById,
        action: 'data_export.completed',
        targetType: 'DataExportRequest',
        targetId: request.id,
        metadata: { scope: request.scope, byteSize: body.length },
      });
      return { storageKey, byteSize: body.length };
    },

    /**
     * Deletes what a DeletionRequest names. Platform grants are revoked first (a failure stops
     * here, to be retried), then stored media, then the rows; personal data of a user is
     * erased in place so the audit trail keeps its shape. Idempotent; audited.
     */
    async deleteSubject(input: { requestId: string }): Promise<{ revokedAccounts: number; deletedMedia: number }> {
      const request = await db.deletionRequest.findUnique({ where: { id: input.requestId } });
      if (!request) throw ApplicationFailure.nonRetryable('the deletion request does not exist', 'NOT_FOUND');
      await db.deletionRequest.update({ where: { id: request.id }, data: { status: 'RUNNING' } });
      const revoke = (token: string) => deps.tiktok.revoke(token);
      let revokedAccounts = 0;
      let deletedMedia = 0;
      const disconnect = async (where: Prisma.SocialAccountWhereInput) => {
        const accounts = await db.socialAccount.findMany({ where: { ...where, tokenKeyId: { not: null } } });
        for (const account of accounts) {
          await disconnectAccount({ db, vault: deps.vault, revoke }, account.id);
          revokedAccounts++;
        }
      };
      const removeMedia = async (where: Prisma.MediaWhereInput) => {
        const rows = await db.media.findMany({ where: { ...where, deletedAt: null } });
        for (const media of rows) {
          await storage.delete(media.storageKey);
          await db.media.update({ where: { id: media.id }, data: { status: 'DELETED', deletedAt: new Date() } });
          deletedMedia++;
        }
      };
      if (request.scope === 'SOCIAL_ACCOUNT') {
        await disconnect({ id: request.subjectId });
        await db.platformVideo.deleteMany({ where: { socialAccountId: request.subjectId } });
        await db.accountSnapshot.deleteMany({ where: { socialAccountId: request.subjectId } });
      } else if (request.scope === 'USER') {
        const userId = request.subjectId;
        await db.$transaction([
          db.session.deleteMany({ where: { userId } }),
          db.passwordResetToken.deleteMany({ where: { userId } }),
          db.membership.deleteMany({ where: { userId } }),
          db.notification.deleteMany({ where: { userId } }),
          db.user.update({
            where: { id: userId },
            data: {
              email: `deleted-${userId}@deleted.invalid`,
              name: 'Deleted user',
              passwordHash: 'deleted',
              emailVerifiedAt: null,
              deletedAt: new Date(),
            },
          }),
        ]);
      } else {
        const org = request.subjectId;
        await disconnect({ organizationId: org });
        await removeMedia({ organizationId: org });
        const assets = await db.brandAsset.findMany({ where: { organizationId: org } });
        for (const asset of assets) await storage.delete(asset.storageKey);
        // The media library's uploads: originals, previews and renditions (the rows go with the organization).
        const library = await db.mediaAsset.findMany({ where: { organizationId: org } });
        for (const asset of library) {
          for (const key of mediaAssetObjectKeys(asset)) await storage.delete(key);
        }
        const exports = await db.dataExportRequest.findMany({
          where: { organizationId: org, storageKey: { not: null } },
        });
        for (const archive of exports) await storage.delete(archive.storageKey!);
        await db
          .$transaction(async (tx) => {
            // The cascade reaches the append-only contact submissions: this erasure may.
            await allowContactErasure(tx);
            await tx.organization.delete({ where: { id: org } });
          })
          .catch(async (error: unknown) => {
            if (await db.organization.findUnique({ where: { id: org } })) throw error;
          });
      }
      await db.deletionRequest.update({
        where: { id: request.id },
        data: { status: 'COMPLETED', completedAt: new Date() },
      });
      // An organization's own audit log goes with it: this record is kept outside it.
      await audit({
        organizationId: request.scope === 'ORGANIZATION' ? null : request.organizationId,
        actorUserId: request.requestedById,
        action: 'deletion.completed',
        targetType: request.scope,
        targetId: request.subjectId,
        metadata: { requestId: request.id, revokedAccounts, deletedMedia },
      });
      return { revokedAccounts, deletedMedia };
    },

    async failRequest(input: { kind: 'export' | 'deletion'; requestId: string; reason: string }): Promise<void> {
      const data = { status: 'FAILED' as const, error: input.reason.slice(0, 2000) };
      if (input.kind === 'export') await db.dataExportRequest.update({ where: { id: input.requestId }, data });
      else await db.deletionRequest.update({ where: { id: input.requestId }, data });
    },
  };
}

export type GovernanceActivities = ReturnType<typeof createGovernanceActivities>;
