import type { Prisma } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { actorOf, type Viewer } from '../auth/viewer.js';

/** Where a change came from; every service that changes something takes one. */
export interface RequestMeta {
  viewer: Viewer | null;
  /** Why a credential that was sent identifies nobody (an expired session...), for UNAUTHENTICATED's message. */
  lapsedCredential?: string | null;
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
  const event = await tx.auditEvent.create({
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
    select: { id: true },
  });
  await announceChange(tx, entry, event.id);
}

/**
 * Every audited change is also announced to live subscribers, in the same transaction: the
 * audit event itself, and the post it touched (subscribers re-read it; a deleted post reads
 * as null).
 */
async function announceChange(tx: Prisma.TransactionClient, entry: AuditEntry, auditEventId: bigint): Promise<void> {
  if (!entry.organizationId) return;
  const organizationId = entry.organizationId;
  await emitEvent(tx, { kind: 'audit.recorded', organizationId, payload: { auditEventId: auditEventId.toString() } });
  if (entry.targetType === 'Post' && entry.targetId) {
    const post = await tx.post.findUnique({ where: { id: entry.targetId }, select: { brandId: true } });
    const brandId = post?.brandId ?? (entry.metadata as { brandId?: string } | undefined)?.brandId;
    if (brandId) {
      await emitEvent(tx, { kind: 'post.changed', organizationId, payload: { postId: entry.targetId, brandId } });
    }
  }
}
