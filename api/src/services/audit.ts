import type { Prisma } from '@pressroom/db';
import { actorOf, type Viewer } from '../auth/viewer.js';

/** Where a change came from; every service that changes something takes one. */
export interface RequestMeta {
  viewer: Viewer | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
}

export interface AuditEntry {
  organizationId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Prisma.InputJsonValue;
  /** For changes made before a viewer exists (sign up, sign in, password reset). */
  actorUserId?: string;
}

/** Written inside the transaction of the change it describes: both land or neither does. */
export async function recordAudit(tx: Prisma.TransactionClient, meta: RequestMeta, entry: AuditEntry): Promise<void> {
  const actor = actorOf(meta.viewer);
  await tx.auditEvent.create({
    data: {
      organizationId: entry.organizationId,
      actorUserId: entry.actorUserId ?? actor.actorUserId,
      actorApiTokenId: actor.actorApiTokenId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
      metadata: entry.metadata,
    },
  });
}
