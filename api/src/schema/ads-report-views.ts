import { services } from '../context.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import * as views from '../services/ads-report-views.js';
import {
  AdsMetric,
  AdsReportGrouping,
  AdsReportInput,
  AdsReportLevel,
  AdsReportSort,
  reportInputFor,
  SortDirection,
} from './ads-reports.js';
import { builder } from './builder.js';
import { encodeGlobalId, idFor, selection } from './ids.js';
import { inViewerOrganizations, Organization } from './organization.js';

const globalIds = (ids: string[] | null | undefined, type: string) =>
  ids ? ids.map((id) => encodeGlobalId(type, id)) : null;

const AdsReportViewSettings = builder.objectRef<views.SavedReport>('AdsReportViewSettings').implement({
  description: 'A saved report, exactly as AdsReportInput takes it (from and to as saved).',
  fields: (t) => ({
    level: t.field({ type: AdsReportLevel, resolve: (r) => r.level }),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    groupBy: t.field({ type: AdsReportGrouping, nullable: true, resolve: (r) => r.groupBy ?? null }),
    metrics: t.field({ type: [AdsMetric], nullable: true, resolve: (r) => r.metrics ?? null }),
    sortBy: t.field({ type: AdsReportSort, nullable: true, resolve: (r) => r.sortBy ?? null }),
    sortDirection: t.field({ type: SortDirection, nullable: true, resolve: (r) => r.sortDirection ?? null }),
    advertiserIds: t.idList({ nullable: true, resolve: (r) => globalIds(r.advertiserIds, 'Advertiser') }),
    campaignIds: t.idList({ nullable: true, resolve: (r) => globalIds(r.campaignIds, 'AdsCampaign') }),
    adGroupIds: t.idList({ nullable: true, resolve: (r) => globalIds(r.adGroupIds, 'AdsAdGroup') }),
    adIds: t.idList({ nullable: true, resolve: (r) => globalIds(r.adIds, 'AdsAd') }),
  }),
});

export const AdsReportView = builder.prismaNode('AdsReportView', {
  id: { field: 'id' },
  description: "A saved report: the viewer's own, or one shared with the organization.",
  // Someone else's private view is found by nobody else.
  findUnique: (id, ctx) => ({
    id,
    organizationId: inViewerOrganizations(ctx.viewer),
    OR: [{ shared: true }, { ownerId: ctx.viewer?.kind === 'user' ? ctx.viewer.userId : '' }],
  }),
  authScopes: (view) => ({ permission: { organizationId: view.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    shared: t.exposeBoolean('shared', { description: 'Visible to the whole organization.' }),
    owner: t.relation('owner', { nullable: true, description: 'Who saved it (null once their account is gone).' }),
    editable: t.boolean({
      description: 'Whether the viewer may rename, share or delete it.',
      resolve: (view, _args, ctx) => views.canEditView(ctx.viewer, view),
    }),
    report: t.field({
      type: AdsReportViewSettings,
      description: 'The saved report, exactly as AdsReportInput (from/to kept as saved).',
      resolve: (view) => view.report as unknown as views.SavedReport,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField(Organization, 'adsReportViews', (t) =>
  t.prismaField({
    type: [AdsReportView],
    description: "The viewer's own views and the organization's shared ones, by name (ads:read).",
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'ads:read' } }),
    resolve: (query, org, _args, ctx) =>
      ctx.db.adsReportView.findMany({
        ...query,
        where: views.visibleViews(ctx.viewer!, org.id),
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }),
);

const SaveAdsReportViewInput = builder.inputType('SaveAdsReportViewInput', {
  fields: (t) => ({
    organizationId: t.globalID({ required: true }),
    id: t.globalID({ required: false, description: 'Absent: create. Present: update that view.' }),
    name: t.string({ required: true }),
    shared: t.boolean({ required: true }),
    report: t.field({ type: AdsReportInput, required: true }),
  }),
});

/** The GraphQL report input as it is stored: row ids, and absent settings left absent. */
function savedReportOf(organizationId: string, input: typeof AdsReportInput.$inferInput): views.SavedReport {
  const { organizationId: _organization, ...report } = reportInputFor(organizationId, input);
  return {
    ...report,
    groupBy: input.groupBy ?? null,
    sortBy: input.sortBy ?? null,
    sortDirection: input.sortDirection ?? null,
  };
}

builder.mutationField('saveAdsReportView', (t) =>
  t.prismaField({
    type: AdsReportView,
    description:
      'Saves a report view (no id) or changes one: the owner, or an owner or admin for a shared view (ads:read; people only).',
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, NotFoundError], dataField: { name: 'view' } },
    args: { input: t.arg({ type: SaveAdsReportViewInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const organizationId = idFor(args.input.organizationId, 'Organization');
      const view = await views.saveAdsReportView(services(ctx), {
        organizationId,
        id: args.input.id ? idFor(args.input.id, 'AdsReportView') : null,
        name: args.input.name,
        shared: args.input.shared,
        report: savedReportOf(organizationId, args.input.report),
      });
      return ctx.db.adsReportView.findUniqueOrThrow({ ...selection(query), where: { id: view.id } });
    },
  }),
);

builder.mutationField('deleteAdsReportView', (t) =>
  t.id({
    description: 'Deletes a report view the viewer may edit; answers its id.',
    authScopes: { authenticated: true },
    errors: { types: [NotFoundError], dataField: { name: 'id' } },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (_root, args, ctx) =>
      encodeGlobalId('AdsReportView', await views.deleteAdsReportView(services(ctx), idFor(args.id, 'AdsReportView'))),
  }),
);
