import { z } from 'zod';
import { recordAudit } from './audit.js';
import { inTransaction, parseInput, requireUser, type ServiceContext } from './context.js';

const markReadInput = z.object({
  notificationIds: z.array(z.string()).min(1, 'at least one').max(500, 'at most 500'),
});

/**
 * Marks the viewer's own in-app notifications read; ids of anyone else's (or already read)
 * are left alone. Answers how many changed.
 */
export async function markNotificationsRead(ctx: ServiceContext, input: z.input<typeof markReadInput>) {
  const data = parseInput(markReadInput, input);
  const viewer = requireUser(ctx);
  return inTransaction(ctx, async (tx) => {
    const marked = await tx.notification.updateMany({
      where: { id: { in: data.notificationIds }, userId: viewer.userId, channel: 'IN_APP', readAt: null },
      data: { readAt: new Date() },
    });
    await recordAudit(tx, ctx.meta, {
      organizationId: null,
      action: 'notification.mark_read',
      targetType: 'User',
      targetId: viewer.userId,
      metadata: { notifications: marked.count },
    });
    return marked.count;
  });
}
