import { ApplicationFailure } from '@temporalio/common';
import type { AdsBulkJob, AdsObjectLevel, Database, Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { adsConnectionTokenContext, type TokenVault } from '@pressroom/db/vault';
import { isPlatformError } from '../platforms/errors.js';
import { recordAdsConnectionFailure } from './ads.js';
import {
  tiktokAdsMaxIds,
  type TikTokAdsClient,
  type TikTokAdsObjectState,
  type TikTokAdsWriteAnswer,
} from '../platforms/tiktok-ads/index.js';

export interface AdsBulkDependencies {
  db: Database;
  vault: TokenVault;
  tiktokAds?: TikTokAdsClient;
}

export interface AdsBulkChunkOutcome {
  done: number;
  failed: number;
}

export interface AdsBulkRunOutcome {
  status: 'SUCCEEDED' | 'PARTIALLY_FAILED';
  done: number;
  failed: number;
  skipped: number;
}

/** Items one call may carry: TikTok's id limit, except a campaign's budget (one campaign a call). */
function chunkSize(job: Pick<AdsBulkJob, 'level' | 'action'>): number {
  return job.action === 'SET_BUDGET' && job.level === 'CAMPAIGN' ? 1 : tiktokAdsMaxIds;
}

/** Whether an object as TikTok has it now is already what the job wants. */
export function inTargetState(
  job: Pick<AdsBulkJob, 'action' | 'budget'>,
  state: { operationStatus: string; budget: number | string | null | { toString(): string } },
): boolean {
  if (job.action === 'ENABLE') return state.operationStatus === 'ENABLE';
  if (job.action === 'PAUSE') return state.operationStatus === 'DISABLE';
  return state.budget !== null && job.budget !== null && Number(state.budget) === Number(job.budget);
}

const inventoryModel = {
  CAMPAIGN: 'adsCampaign',
  ADGROUP: 'adsAdGroup',
  AD: 'adsAd',
} as const satisfies Record<AdsObjectLevel, string>;

/** Keeps the stored inventory in step with what TikTok took, so screens need not wait for a sync. */
async function updateInventory(tx: Prisma.TransactionClient, job: AdsBulkJob, objectIds: string[]): Promise<void> {
  if (objectIds.length === 0) return;
  const where = { where: { id: { in: objectIds }, organizationId: job.organizationId } };
  if (job.action === 'SET_BUDGET') {
    const data = { data: { budget: job.budget } };
    if (job.level === 'CAMPAIGN') await tx.adsCampaign.updateMany({ ...where, ...data });
    else await tx.adsAdGroup.updateMany({ ...where, ...data });
    return;
  }
  const data = { data: { operationStatus: job.action === 'ENABLE' ? 'ENABLE' : 'DISABLE' } };
  const model = inventoryModel[job.level];
  if (model === 'adsCampaign') await tx.adsCampaign.updateMany({ ...where, ...data });
  else if (model === 'adsAdGroup') await tx.adsAdGroup.updateMany({ ...where, ...data });
  else await tx.adsAd.updateMany({ ...where, ...data });
}

export function createAdsBulkActivities(deps: AdsBulkDependencies) {
  const { db } = deps;

  async function tokenOf(connectionId: string): Promise<string | null> {
    const connection = await db.adsConnection.findUnique({ where: { id: connectionId } });
    if (!connection || connection.status === 'DISCONNECTED' || !connection.accessTokenCiphertext) return null;
    return deps.vault.decrypt(
      connection.tokenKeyId!,
      connection.accessTokenCiphertext,
      adsConnectionTokenContext(connection),
    );
  }

  /** Settles the named items of a chunk in one transaction with the chunk itself and an event. */
  async function settle(
    job: AdsBulkJob,
    chunkId: string,
    results: {
      done: string[];
      failed: Array<{ id: string; message: string; code?: string | null }>;
      requestId?: string | null;
    },
  ): Promise<AdsBulkChunkOutcome> {
    await db.$transaction(async (tx) => {
      if (results.done.length) {
        await tx.adsBulkItem.updateMany({
          where: { jobId: job.id, platformId: { in: results.done } },
          data: { status: 'DONE', message: null, errorCode: null, requestId: results.requestId ?? null, run: job.run },
        });
        const rows = await tx.adsBulkItem.findMany({
          where: { jobId: job.id, platformId: { in: results.done } },
          select: { objectId: true },
        });
        await updateInventory(
          tx,
          job,
          rows.map((row) => row.objectId),
        );
      }
      // Items refused with the same message are written together.
      const byMessage = new Map<string, { code: string | null; ids: string[] }>();
      for (const failure of results.failed) {
        const key = `${failure.code ?? ''}\u0001${failure.message}`;
        const group = byMessage.get(key) ?? { code: failure.code ?? null, ids: [] };
        group.ids.push(failure.id);
        byMessage.set(key, group);
      }
      for (const [key, group] of byMessage) {
        await tx.adsBulkItem.updateMany({
          where: { jobId: job.id, platformId: { in: group.ids } },
          data: {
            status: 'FAILED',
            message: key.slice(key.indexOf('\u0001') + 1).slice(0, 1000),
            errorCode: group.code,
            requestId: results.requestId ?? null,
            run: job.run,
          },
        });
      }
      await tx.adsBulkChunk.update({
        where: { id: chunkId },
        data: { state: 'SETTLED', settledAt: new Date(), requestId: results.requestId ?? null },
      });
      await emitEvent(tx, {
        kind: 'ads.bulk_job.changed',
        organizationId: job.organizationId,
        payload: { jobId: job.id },
      });
    });
    return { done: results.done.length, failed: results.failed.length };
  }

  return {
    /**
     * The chunks of one run: the job's PENDING items, by advertiser, at most TikTok's id limit
     * each. Made once per run (a repeated call answers the same chunks).
     */
    async planAdsBulkRun(input: { jobId: string; run: number }): Promise<string[]> {
      const existing = await db.adsBulkChunk.findMany({
        where: { jobId: input.jobId, run: input.run },
        orderBy: { position: 'asc' },
        select: { id: true },
      });
      if (existing.length) return existing.map((chunk) => chunk.id);
      const job = await db.adsBulkJob.findUniqueOrThrow({ where: { id: input.jobId } });
      const items = await db.adsBulkItem.findMany({
        where: { jobId: job.id, status: 'PENDING' },
        orderBy: [{ platformAdvertiserId: 'asc' }, { platformId: 'asc' }],
        select: { platformAdvertiserId: true, platformId: true },
      });
      const size = chunkSize(job);
      const chunks: Array<{ platformAdvertiserId: string; platformIds: string[] }> = [];
      for (const item of items) {
        const last = chunks.at(-1);
        if (last && last.platformAdvertiserId === item.platformAdvertiserId && last.platformIds.length < size) {
          last.platformIds.push(item.platformId);
        } else {
          chunks.push({ platformAdvertiserId: item.platformAdvertiserId, platformIds: [item.platformId] });
        }
      }
      // Items of an earlier run's chunk whose call may have reached TikTok (a run that gave up
      // mid-chunk) are read back before they are sent again, as that chunk would have been.
      const unsettled = await db.adsBulkChunk.count({ where: { jobId: job.id, state: 'SENDING' } });
      await db.adsBulkChunk.createMany({
        data: chunks.map((chunk, position) => ({
          jobId: job.id,
          run: input.run,
          position,
          ...chunk,
          state: unsettled > 0 ? ('SENDING' as const) : ('PLANNED' as const),
        })),
        skipDuplicates: true,
      });
      const made = await db.adsBulkChunk.findMany({
        where: { jobId: job.id, run: input.run },
        orderBy: { position: 'asc' },
        select: { id: true },
      });
      return made.map((chunk) => chunk.id);
    },

    /**
     * Applies one chunk. SENDING is committed before the call; a chunk found SENDING (a worker
     * died, or the answer was lost or rate-limited) first reads its items back from TikTok and
     * sends only those not yet in the wanted state, so no item is applied twice.
     */
    async applyAdsBulkChunk(input: { chunkId: string }): Promise<AdsBulkChunkOutcome> {
      const chunk = await db.adsBulkChunk.findUniqueOrThrow({ where: { id: input.chunkId } });
      const job = await db.adsBulkJob.findUniqueOrThrow({ where: { id: chunk.jobId } });
      if (chunk.state === 'SETTLED') return { done: 0, failed: 0 };
      const pending = await db.adsBulkItem.findMany({
        where: { jobId: job.id, platformId: { in: chunk.platformIds }, status: 'PENDING' },
        select: { platformId: true },
      });
      let toSend = pending.map((item) => item.platformId);
      if (toSend.length === 0) return settle(job, chunk.id, { done: [], failed: [] });

      const token = await tokenOf(job.connectionId);
      if (!token) {
        return settle(job, chunk.id, {
          done: [],
          failed: toSend.map((id) => ({ id, message: 'The ads connection is disconnected; connect it again.' })),
        });
      }
      if (!deps.tiktokAds) {
        throw ApplicationFailure.nonRetryable('no TikTok Marketing API app is configured on the worker');
      }
      const client = deps.tiktokAds;
      const level = job.level;
      const advertiserId = chunk.platformAdvertiserId;
      const alreadyDone: string[] = [];
      try {
        if (chunk.state === 'SENDING') {
          // The previous call's outcome is unknown: what TikTok has now decides what is left.
          const states: TikTokAdsObjectState[] = await client.objectStates(token, { advertiserId, level, ids: toSend });
          const applied = new Set(states.filter((state) => inTargetState(job, state)).map((state) => state.id));
          alreadyDone.push(...toSend.filter((id) => applied.has(id)));
          toSend = toSend.filter((id) => !applied.has(id));
          if (toSend.length === 0) return settle(job, chunk.id, { done: alreadyDone, failed: [] });
        }
        await db.adsBulkChunk.update({
          where: { id: chunk.id },
          data: { state: 'SENDING', sends: { increment: 1 } },
        });
        let answer: TikTokAdsWriteAnswer;
        if (job.action === 'SET_BUDGET') {
          const budget = Number(job.budget);
          answer =
            level === 'CAMPAIGN'
              ? await client.updateCampaignBudget(token, { advertiserId, campaignId: toSend[0]!, budget })
              : await client.updateAdGroupBudgets(token, {
                  advertiserId,
                  budgets: toSend.map((id) => ({ id, budget })),
                });
        } else {
          answer = await client.updateStatus(token, {
            advertiserId,
            level,
            ids: toSend,
            status: job.action === 'ENABLE' ? 'ENABLE' : 'DISABLE',
          });
        }
        const refused = new Map(answer.failed.map((item) => [item.id, item.message]));
        return settle(job, chunk.id, {
          done: [...alreadyDone, ...toSend.filter((id) => !refused.has(id))],
          failed: toSend.filter((id) => refused.has(id)).map((id) => ({ id, message: refused.get(id)! })),
          requestId: answer.requestId ?? null,
        });
      } catch (error) {
        if (!isPlatformError(error)) throw error;
        // A refusal of the whole call (every item refused, a token TikTok no longer takes):
        // nothing was applied, each item fails with TikTok's message and can be retried.
        if (error.category === 'REJECTED_BY_PLATFORM' || error.category === 'TOKEN_EXPIRED') {
          if (error.category === 'TOKEN_EXPIRED') {
            await recordAdsConnectionFailure(db, job.connectionId, error);
          }
          return settle(job, chunk.id, {
            done: alreadyDone,
            failed: toSend.map((id) => ({ id, message: error.message, code: error.code ?? null })),
            requestId: error.requestId ?? null,
          });
        }
        // Rate limits past the client's waits, outages and lost answers: the chunk stays
        // SENDING and the retry reads the items back first.
        throw error;
      }
    },

    /** Ends a run: the job's status from its items, audited with the counts. */
    async finishAdsBulkRun(input: { jobId: string; run: number }): Promise<AdsBulkRunOutcome> {
      return db.$transaction(async (tx) => {
        const job = await tx.adsBulkJob.findUniqueOrThrow({ where: { id: input.jobId } });
        const groups = await tx.adsBulkItem.groupBy({ by: ['status'], where: { jobId: job.id }, _count: true });
        const count = (status: string) => groups.find((group) => group.status === status)?._count ?? 0;
        const outcome: AdsBulkRunOutcome = {
          status: count('FAILED') + count('PENDING') > 0 ? 'PARTIALLY_FAILED' : 'SUCCEEDED',
          done: count('DONE'),
          failed: count('FAILED') + count('PENDING'),
          skipped: count('SKIPPED'),
        };
        if (job.status === 'RUNNING' && job.run === input.run) {
          await tx.adsBulkJob.update({
            where: { id: job.id },
            data: { status: outcome.status, finishedAt: new Date() },
          });
          const event = await tx.auditEvent.create({
            data: {
              organizationId: job.organizationId,
              actorUserId: job.createdById,
              action: 'ads_bulk_job.finish',
              targetType: 'AdsBulkJob',
              targetId: job.id,
              metadata: { run: input.run, ...outcome },
            },
            select: { id: true },
          });
          await emitEvent(tx, {
            kind: 'audit.recorded',
            organizationId: job.organizationId,
            payload: { auditEventId: event.id.toString() },
          });
          await emitEvent(tx, {
            kind: 'ads.bulk_job.changed',
            organizationId: job.organizationId,
            payload: { jobId: job.id },
          });
        }
        return outcome;
      });
    },
  };
}

export type AdsBulkActivities = ReturnType<typeof createAdsBulkActivities>;
