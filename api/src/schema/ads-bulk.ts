import type {
  AdsBulkAction as AdsBulkActionValue,
  AdsBulkItemStatus as AdsBulkItemStatusValue,
  AdsBulkJobStatus as AdsBulkJobStatusValue,
  AdsObjectLevel as AdsObjectLevelValue,
} from '@pressroom/db';
import type { PublishedDomainEvent } from '@pressroom/db/events';
import { visibleOrganizationIds } from '../auth/viewer.js';
import { services } from '../context.js';
import { InvalidInputError, NotFoundError, unauthenticated } from '../errors.js';
import * as bulk from '../services/ads-bulk.js';
import { AdsConnection } from './ads.js';
import { builder, connectionComplexity } from './builder.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { readOnce, subscribeTo } from './live.js';
import { inViewerOrganizations, Organization } from './organization.js';

const AdsObjectLevel = builder.enumType('AdsObjectLevel', {
  values: ['CAMPAIGN', 'ADGROUP', 'AD'] as const satisfies readonly AdsObjectLevelValue[],
});

const AdsBulkAction = builder.enumType('AdsBulkAction', {
  description: 'ENABLE and PAUSE set the operation status; SET_BUDGET the budget (campaigns and ad groups).',
  values: ['ENABLE', 'PAUSE', 'SET_BUDGET'] as const satisfies readonly AdsBulkActionValue[],
});

const AdsBulkJobStatus = builder.enumType('AdsBulkJobStatus', {
  values: {
    PREVIEW: { description: 'Previewed: the items say what would change; nothing was sent yet.' },
    RUNNING: {},
    SUCCEEDED: { description: 'Every item DONE or SKIPPED.' },
    PARTIALLY_FAILED: { description: 'Finished with FAILED items; retryAdsBulkJobFailures sends them again.' },
  } satisfies Record<AdsBulkJobStatusValue, object>,
});

const AdsBulkItemStatus = builder.enumType('AdsBulkItemStatus', {
  values: {
    PENDING: { description: 'To be sent (or being sent).' },
    DONE: {},
    FAILED: { description: "TikTok refused it; `message` is TikTok's." },
    SKIPPED: { description: 'Already in the wanted state, or deleted; never sent.' },
  } satisfies Record<AdsBulkItemStatusValue, object>,
});

const AdsBulkJobCounts = builder
  .objectRef<Awaited<ReturnType<typeof bulk.bulkJobCounts>>>('AdsBulkJobCounts')
  .implement({
    fields: (t) => ({
      total: t.exposeInt('total'),
      pending: t.exposeInt('pending'),
      done: t.exposeInt('done'),
      failed: t.exposeInt('failed'),
      skipped: t.exposeInt('skipped'),
    }),
  });

builder.prismaObject('AdsBulkItem', {
  description: 'One object of a bulk job and what became of it.',
  fields: (t) => ({
    id: t.exposeID('id'),
    platformId: t.exposeString('platformId', { description: "TikTok's campaign, ad group or ad id." }),
    platformAdvertiserId: t.exposeString('platformAdvertiserId'),
    name: t.exposeString('name'),
    previousStatus: t.exposeString('previousStatus', { description: 'The operation status when previewed.' }),
    previousBudget: t.string({ nullable: true, resolve: (item) => item.previousBudget?.toFixed(2) ?? null }),
    status: t.expose('status', { type: AdsBulkItemStatus }),
    message: t.exposeString('message', {
      nullable: true,
      description: "Why it was skipped, or TikTok's message when it failed.",
    }),
    errorCode: t.exposeString('errorCode', {
      nullable: true,
      description: "TikTok's code when the whole call was refused.",
    }),
    requestId: t.exposeString('requestId', { nullable: true, description: "TikTok's request_id of the call." }),
    run: t.exposeInt('run', { description: 'The run that settled it (0: not sent yet).' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const AdsBulkJob = builder.prismaNode('AdsBulkJob', {
  id: { field: 'id' },
  description: 'A change of many campaigns, ad groups or ads: previewed, then run in chunks, each item kept.',
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (job) => ({ permission: { organizationId: job.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    level: t.expose('level', { type: AdsObjectLevel }),
    action: t.expose('action', { type: AdsBulkAction }),
    budget: t.string({
      nullable: true,
      description: "SET_BUDGET's budget, in each advertiser's currency.",
      resolve: (job) => job.budget?.toFixed(2) ?? null,
    }),
    status: t.expose('status', { type: AdsBulkJobStatus }),
    run: t.exposeInt('run', { description: '1 once run; one more for each retry of its failed items.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    connection: t.relation('connection', { type: AdsConnection }),
    counts: t.field({ type: AdsBulkJobCounts, resolve: (job, _args, ctx) => bulk.bulkJobCounts(ctx.db, job.id) }),
    items: t.relatedConnection('items', {
      cursor: 'id',
      description: 'Its objects, failed first, then by name.',
      args: { status: t.arg({ type: AdsBulkItemStatus, required: false }) },
      query: (args) => ({
        where: args.status ? { status: args.status } : {},
        orderBy: [{ status: 'asc' }, { name: 'asc' }, { id: 'asc' }],
      }),
      complexity: connectionComplexity,
    }),
  }),
});

builder.prismaObjectField(Organization, 'adsBulkJobs', (t) =>
  t.relatedConnection('adsBulkJobs', {
    cursor: 'id',
    description: 'Bulk jobs on ads, newest first (ads:read).',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'ads:read' } }),
    query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    complexity: connectionComplexity,
  }),
);

const levelOfType: Record<string, AdsObjectLevelValue> = {
  AdsCampaign: 'CAMPAIGN',
  AdsAdGroup: 'ADGROUP',
  AdsAd: 'AD',
};

builder.mutationField('previewAdsBulkJob', (t) =>
  t.prismaField({
    type: AdsBulkJob,
    description:
      'Previews a bulk change of campaigns, ad groups or ads (all of one kind and one connection): a job whose items say what will change and what is skipped. Nothing is sent until runAdsBulkJob (ads:bulk).',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      objectIds: t.arg.globalIDList({
        description: `AdsCampaign, AdsAdGroup or AdsAd ids; at most ${bulk.maxBulkItems}.`,
      }),
      action: t.arg({ type: AdsBulkAction }),
      budget: t.arg.string({ required: false, description: 'For SET_BUDGET: a decimal amount ("150.00").' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const levels = new Set(args.objectIds.map((id) => levelOfType[id.typename]));
      if (levels.has(undefined)) throw new NotFoundError('ads object');
      if (levels.size !== 1) {
        throw new InvalidInputError('A bulk job changes objects of one kind.', [
          { path: 'objectIds', message: 'campaigns, ad groups and ads mixed' },
        ]);
      }
      const job = await bulk.previewAdsBulkJob(services(ctx), {
        level: [...levels][0]!,
        objectIds: args.objectIds.map((id) => id.id),
        action: args.action,
        budget: args.budget,
      });
      return ctx.db.adsBulkJob.findUniqueOrThrow({ ...selection(query), where: { id: job.id } });
    },
  }),
);

builder.mutationField('runAdsBulkJob', (t) =>
  t.prismaField({
    type: AdsBulkJob,
    description: 'Runs a previewed job; follow it with adsBulkJobChanged (ads:bulk).',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      if (!ctx.temporal) throw new Error('no workflow client on this transport');
      const job = await bulk.runAdsBulkJob(services(ctx), idFor(args.id, 'AdsBulkJob'), ctx.temporal);
      return ctx.db.adsBulkJob.findUniqueOrThrow({ ...selection(query), where: { id: job.id } });
    },
  }),
);

builder.mutationField('retryAdsBulkJobFailures', (t) =>
  t.prismaField({
    type: AdsBulkJob,
    description: "Sends a finished job's failed items again, as its next run (ads:bulk).",
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      if (!ctx.temporal) throw new Error('no workflow client on this transport');
      const job = await bulk.retryAdsBulkJobFailures(services(ctx), idFor(args.id, 'AdsBulkJob'), ctx.temporal);
      return ctx.db.adsBulkJob.findUniqueOrThrow({ ...selection(query), where: { id: job.id } });
    },
  }),
);

builder.subscriptionField('adsBulkJobChanged', (t) =>
  t.prismaField({
    type: AdsBulkJob,
    nullable: true,
    description: 'The job each time it is run, a chunk of it settles, or it finishes (ads:read).',
    args: { id: t.arg.globalID() },
    subscribe: async (_root, args, ctx) => {
      if (!ctx.viewer) throw unauthenticated(ctx.lapsedCredential);
      const jobId = idFor(args.id, 'AdsBulkJob');
      const job = await ctx.db.adsBulkJob.findFirst({
        where: { id: jobId, organizationId: { in: visibleOrganizationIds(ctx.viewer) } },
        select: { organizationId: true },
      });
      if (!job) throw new NotFoundError('AdsBulkJob');
      return subscribeTo(ctx, {
        organizationId: job.organizationId,
        permission: 'ads:read',
        kind: 'ads.bulk_job.changed',
        matches: (event) => event.payload.jobId === jobId,
      });
    },
    resolve: (query, event: PublishedDomainEvent<'ads.bulk_job.changed'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.adsBulkJob.findFirst({
          ...selection(query),
          where: { id: event.payload.jobId, organizationId: event.organizationId },
        }),
      ),
  }),
);
