import { startSyncingAccount } from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';
import { ConflictError, NotFoundError, withArticle } from '../errors.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, type ServiceContext } from './context.js';

/**
 * Sync now: the account's sync Schedule runs its action at once (made first if the account
 * has none yet, so an account connected before the Schedules existed still syncs). Reading
 * fresh numbers is part of reading analytics, so `analytics:read` is enough: it changes no
 * setting of the account, and analysts are the people who want it. The Schedule is asked
 * inside the transaction that writes the audit event: when Temporal refuses, nothing is
 * recorded.
 */
export async function syncAccountNow(ctx: ServiceContext, temporal: Client, socialAccountId: string) {
  const account = await ctx.db.socialAccount.findUnique({ where: { id: socialAccountId } });
  if (!account) throw new NotFoundError('social account');
  authorize(ctx, account.organizationId, 'analytics:read', 'social account');
  if (account.status !== 'ACTIVE') {
    throw new ConflictError(`${withArticle(account.status)} account cannot be synced; connect it again.`);
  }
  return inTransaction(ctx, async (tx) => {
    await recordAudit(tx, ctx.meta, {
      organizationId: account.organizationId,
      action: 'social_account.sync_now',
      targetType: 'SocialAccount',
      targetId: account.id,
    });
    await startSyncingAccount(temporal, account.id, { taskQueue: ctx.config.TEMPORAL_TASK_QUEUE });
    return account;
  });
}
