import type { AdsReportView, Prisma } from '@pressroom/db';
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.js';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../errors.js';
import { adsReportInput, adsReportSettings } from './ads-reports.js';
import { recordAudit } from './audit.js';
import { authorize, inTransaction, parseInput, requireUser, type ServiceContext } from './context.js';

// Saved report views: a report's settings under a name, private to the person who saved it or
// shared with the organization. Anyone with ads:read saves their own; a shared view may be
// changed or deleted only by its owner or an OWNER/ADMIN of the organization.

/** The report settings as stored (row ids, not global ids), exactly as AdsReportInput takes them. */
export const savedReport = adsReportSettings.extend({
  // Stored as given: what was absent stays absent, so the view reads back what was saved.
  groupBy: adsReportSettings.shape.groupBy.removeDefault().nullish(),
  sortBy: adsReportSettings.shape.sortBy.removeDefault().nullish(),
  sortDirection: adsReportSettings.shape.sortDirection.removeDefault().nullish(),
});
export type SavedReport = z.output<typeof savedReport>;

const saveInput = z.object({
  organizationId: z.string(),
  id: z.string().nullish(),
  name: z.string().trim().min(1, 'a name').max(120, 'at most 120 characters'),
  shared: z.boolean(),
  report: savedReport,
});

/** Views the viewer may see: their own and the organization's shared ones. */
export function visibleViews(viewer: Viewer, organizationId: string): Prisma.AdsReportViewWhereInput {
  return {
    organizationId,
    OR: [{ shared: true }, ...(viewer.kind === 'user' ? [{ ownerId: viewer.userId }] : [])],
  };
}

/** Whether the viewer may rename, share or delete a view they can see. */
export function canEditView(viewer: Viewer | null, view: Pick<AdsReportView, 'organizationId' | 'ownerId'>): boolean {
  if (viewer?.kind !== 'user') return false;
  if (view.ownerId === viewer.userId) return true;
  const role = viewer.roles.get(view.organizationId);
  return role === 'OWNER' || role === 'ADMIN';
}

async function editableView(ctx: ServiceContext, tx: Prisma.TransactionClient, id: string, organizationId?: string) {
  const viewer = requireUser(ctx);
  const view = await tx.adsReportView.findUnique({ where: { id } });
  // Someone else's private view, or another organization's, looks like no view at all.
  if (!view || (organizationId && view.organizationId !== organizationId)) throw new NotFoundError('report view');
  authorize(ctx, view.organizationId, 'ads:read', 'report view');
  if (!view.shared && view.ownerId !== viewer.userId) throw new NotFoundError('report view');
  if (!canEditView(viewer, view)) {
    throw new ForbiddenError('Only its owner, or an owner or admin of the organization, may change a shared view.');
  }
  return view;
}

/** The filters name only this organization's objects (another's answer as missing). */
async function requireOwnObjects(ctx: ServiceContext, organizationId: string, report: SavedReport) {
  const where = (ids: string[]) => ({ id: { in: ids }, organizationId });
  const checks: Array<[keyof SavedReport, (ids: string[]) => Promise<number>]> = [
    ['advertiserIds', (ids) => ctx.db.advertiser.count({ where: where(ids) })],
    ['campaignIds', (ids) => ctx.db.adsCampaign.count({ where: where(ids) })],
    ['adGroupIds', (ids) => ctx.db.adsAdGroup.count({ where: where(ids) })],
    ['adIds', (ids) => ctx.db.adsAd.count({ where: where(ids) })],
  ];
  for (const [field, count] of checks) {
    const ids = report[field] as string[] | null | undefined;
    if (ids?.length && (await count(ids)) !== new Set(ids).size) {
      throw new InvalidInputError('Some objects of the report were not found.', [
        { path: `report.${field}`, message: 'not found' },
      ]);
    }
  }
}

/** Creates a view (no id) or updates one the viewer may edit. Audited. */
export async function saveAdsReportView(ctx: ServiceContext, raw: z.input<typeof saveInput>): Promise<AdsReportView> {
  const input = parseInput(saveInput, raw);
  authorize(ctx, input.organizationId, 'ads:read', 'Organization');
  // Ownership needs a person: an API token has no views of its own.
  const viewer = requireUser(ctx);
  // The same checks a report makes (dates, range, filters' sizes), so a saved view always runs.
  const given = Object.fromEntries(Object.entries(input.report).filter(([, value]) => value !== null));
  parseInput(adsReportInput, { ...given, organizationId: input.organizationId });
  await requireOwnObjects(ctx, input.organizationId, input.report);
  const report = input.report as Prisma.InputJsonObject;
  return inTransaction(ctx, async (tx) => {
    const view = input.id
      ? await (async () => {
          await editableView(ctx, tx, input.id!, input.organizationId);
          return tx.adsReportView.update({
            where: { id: input.id! },
            data: { name: input.name, shared: input.shared, report },
          });
        })()
      : await tx.adsReportView.create({
          data: {
            organizationId: input.organizationId,
            ownerId: viewer.userId,
            name: input.name,
            shared: input.shared,
            report,
          },
        });
    await recordAudit(tx, ctx.meta, {
      organizationId: view.organizationId,
      action: input.id ? 'ads_report_view.update' : 'ads_report_view.create',
      targetType: 'AdsReportView',
      targetId: view.id,
      metadata: { name: view.name, shared: view.shared, level: input.report.level },
    });
    return view;
  });
}

/** Deletes a view the viewer may edit. Audited. */
export async function deleteAdsReportView(ctx: ServiceContext, id: string): Promise<string> {
  return inTransaction(ctx, async (tx) => {
    const view = await editableView(ctx, tx, id);
    await tx.adsReportView.delete({ where: { id } });
    await recordAudit(tx, ctx.meta, {
      organizationId: view.organizationId,
      action: 'ads_report_view.delete',
      targetType: 'AdsReportView',
      targetId: view.id,
      metadata: { name: view.name, shared: view.shared },
    });
    return view.id;
  });
}
