import type { Prisma } from '@pressroom/db';
import { z } from 'zod';
import { authorize, parseInput, type ServiceContext } from './context.js';

export const auditFilterInput = z.object({
  organizationId: z.string(),
  actions: z.array(z.string().max(100)).max(50).optional(),
  actorUserId: z.string().max(100).optional(),
  targetId: z.string().max(100).optional(),
  since: z.date().optional(),
  until: z.date().optional(),
});

export type AuditFilter = z.input<typeof auditFilterInput>;

/** The where clause for an organization's audit log; checks audit:read first. */
export function auditWhere(ctx: ServiceContext, input: AuditFilter): Prisma.AuditEventWhereInput {
  const filter = parseInput(auditFilterInput, input);
  authorize(ctx, filter.organizationId, 'audit:read', 'organization');
  return {
    organizationId: filter.organizationId,
    action: filter.actions ? { in: filter.actions } : undefined,
    actorUserId: filter.actorUserId,
    targetId: filter.targetId,
    createdAt: filter.since || filter.until ? { gte: filter.since, lt: filter.until } : undefined,
  };
}

const csvColumns = [
  'id',
  'createdAt',
  'action',
  'actorUserId',
  'actorApiTokenId',
  'targetType',
  'targetId',
  'ip',
  'userAgent',
  'requestId',
  'metadata',
] as const;

/** RFC 4180, with cells that a spreadsheet would run as a formula defused by a leading quote. */
function csvCell(value: string | number | bigint | Date | Prisma.JsonValue | null): string {
  let text: string;
  if (value === null) text = '';
  else if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = `${value}`;
  else text = JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const auditCsvRowLimit = 10_000;

/** Newest first, at most 10,000 rows (narrow with since/until for more). */
export async function exportAuditCsv(ctx: ServiceContext, input: AuditFilter): Promise<string> {
  const where = auditWhere(ctx, input);
  const events = await ctx.db.auditEvent.findMany({
    where,
    orderBy: { id: 'desc' },
    take: auditCsvRowLimit,
  });
  const lines = [csvColumns.join(',')];
  for (const event of events) lines.push(csvColumns.map((column) => csvCell(event[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
