import type { AdsAssetKind as AdsAssetKindValue, AdsConnectionStatus as AdsConnectionStatusValue } from '@pressroom/db';
import type { PublishedDomainEvent } from '@pressroom/db/events';
import { visibleOrganizationIds } from '../auth/viewer.js';
import { services } from '../context.js';
import { NotFoundError, unauthenticated } from '../errors.js';
import * as ads from '../services/ads.js';
import { builder, connectionComplexity } from './builder.js';
import { ErrorInterface, objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { readOnce, subscribeTo } from './live.js';
import { inViewerOrganizations, Organization } from './organization.js';

builder.objectType(ads.AdsPlatformError, {
  name: 'AdsPlatformError',
  description: 'TikTok refused or failed a call the change needed; nothing changed.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof ads.AdsPlatformError,
  fields: (t) => ({
    platformCode: t.exposeString('platformCode', { nullable: true, description: "TikTok's code (40110 ...)." }),
    requestId: t.exposeString('requestId', { nullable: true, description: "TikTok's request_id, for support." }),
  }),
});

const adsErrors = [...objectMutationErrors, ads.AdsPlatformError];

const AdsConnectionStatus = builder.enumType('AdsConnectionStatus', {
  values: [
    'ACTIVE',
    'RECONNECT_NEEDED',
    'ERROR',
    'DISCONNECTED',
  ] as const satisfies readonly AdsConnectionStatusValue[],
});

const AdsAssetKind = builder.enumType('AdsAssetKind', {
  values: [
    'BUSINESS_CENTER',
    'IDENTITY',
    'PIXEL',
    'CATALOG',
    'AUDIENCE',
  ] as const satisfies readonly AdsAssetKindValue[],
});

builder.prismaObject('AdsAsset', {
  description: 'A business center, TikTok identity, pixel, catalog or audience.',
  fields: (t) => ({
    kind: t.expose('kind', { type: AdsAssetKind }),
    platformId: t.exposeString('platformId'),
    name: t.exposeString('name'),
    status: t.exposeString('status', { nullable: true }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
  }),
});

const budgetField = {
  description: "In the advertiser's currency, as a decimal string (exact).",
  nullable: true,
} as const;

export const AdsAd = builder.prismaNode('AdsAd', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (ad) => ({ permission: { organizationId: ad.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    platformId: t.exposeString('platformId', { description: "TikTok's ad_id." }),
    name: t.exposeString('name'),
    operationStatus: t.exposeString('operationStatus', { description: 'ENABLE or DISABLE.' }),
    secondaryStatus: t.exposeString('secondaryStatus', {
      nullable: true,
      description: 'Review and delivery (AD_STATUS_REJECT ...).',
    }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    adGroup: t.relation('adGroup'),
  }),
});

export const AdsAdGroup = builder.prismaNode('AdsAdGroup', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (group) => ({ permission: { organizationId: group.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    platformId: t.exposeString('platformId', { description: "TikTok's adgroup_id." }),
    name: t.exposeString('name'),
    budgetMode: t.exposeString('budgetMode', { nullable: true }),
    budget: t.string({ ...budgetField, resolve: (group) => group.budget?.toFixed(2) ?? null }),
    operationStatus: t.exposeString('operationStatus'),
    secondaryStatus: t.exposeString('secondaryStatus', { nullable: true }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    campaign: t.relation('campaign'),
    ads: t.relatedConnection('ads', {
      cursor: 'id',
      args: { includeDeleted: t.arg.boolean({ required: false }) },
      query: (args) => ({
        where: args.includeDeleted ? {} : { deletedAt: null },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
      complexity: connectionComplexity,
    }),
  }),
});

export const AdsCampaign = builder.prismaNode('AdsCampaign', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (campaign) => ({ permission: { organizationId: campaign.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    platformId: t.exposeString('platformId', { description: "TikTok's campaign_id." }),
    name: t.exposeString('name'),
    objective: t.exposeString('objective', { nullable: true }),
    budgetMode: t.exposeString('budgetMode', { nullable: true }),
    budget: t.string({ ...budgetField, resolve: (campaign) => campaign.budget?.toFixed(2) ?? null }),
    operationStatus: t.exposeString('operationStatus'),
    secondaryStatus: t.exposeString('secondaryStatus', { nullable: true }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    advertiser: t.relation('advertiser'),
    adGroups: t.relatedConnection('adGroups', {
      cursor: 'id',
      args: { includeDeleted: t.arg.boolean({ required: false }) },
      query: (args) => ({
        where: args.includeDeleted ? {} : { deletedAt: null },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
      complexity: connectionComplexity,
    }),
  }),
});

export const Advertiser = builder.prismaNode('Advertiser', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (advertiser) => ({ permission: { organizationId: advertiser.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    platformAdvertiserId: t.exposeString('platformAdvertiserId', { description: "TikTok's advertiser_id." }),
    name: t.exposeString('name'),
    status: t.exposeString('status', { nullable: true, description: 'As TikTok says (STATUS_ENABLE ...).' }),
    currency: t.exposeString('currency', { nullable: true, description: 'ISO 4217; every amount of it is in this.' }),
    timezone: t.exposeString('timezone', { nullable: true }),
    deletedAt: t.expose('deletedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set when the connection stopped reaching it; kept with its history.',
    }),
    syncedAt: t.expose('syncedAt', { type: 'DateTime', nullable: true }),
    connection: t.relation('connection'),
    assets: t.relation('assets', {
      description: "The advertiser's identities, pixels and audiences.",
      args: {
        kind: t.arg({ type: AdsAssetKind, required: false }),
        includeDeleted: t.arg.boolean({ required: false }),
      },
      query: (args) => ({
        where: { ...(args.kind ? { kind: args.kind } : {}), ...(args.includeDeleted ? {} : { deletedAt: null }) },
        orderBy: [{ kind: 'asc' }, { name: 'asc' }],
      }),
    }),
    campaigns: t.relatedConnection('campaigns', {
      cursor: 'id',
      args: { includeDeleted: t.arg.boolean({ required: false }) },
      query: (args) => ({
        where: args.includeDeleted ? {} : { deletedAt: null },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
      complexity: connectionComplexity,
    }),
  }),
});

/** A TikTok for Business authorization of the organization. The token never leaves the database. */
export const AdsConnection = builder.prismaNode('AdsConnection', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (connection) => ({ permission: { organizationId: connection.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    displayName: t.exposeString('displayName'),
    status: t.expose('status', { type: AdsConnectionStatus }),
    lastSuccessAt: t.expose('lastSuccessAt', { type: 'DateTime', nullable: true }),
    lastErrorAt: t.expose('lastErrorAt', { type: 'DateTime', nullable: true }),
    lastErrorCode: t.exposeString('lastErrorCode', { nullable: true, description: "TikTok's code, e.g. 40105." }),
    lastErrorMessage: t.exposeString('lastErrorMessage', { nullable: true }),
    lastInventorySyncAt: t.expose('lastInventorySyncAt', { type: 'DateTime', nullable: true }),
    connectedAt: t.expose('createdAt', { type: 'DateTime' }),
    connectedBy: t.relation('connectedBy', { nullable: true }),
    advertisers: t.relation('advertisers', { query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] } }),
    businessCenters: t.relation('assets', {
      description: 'Business centers and their catalogs.',
      query: {
        where: { kind: { in: ['BUSINESS_CENTER', 'CATALOG'] }, deletedAt: null },
        orderBy: [{ kind: 'asc' }, { name: 'asc' }],
      },
    }),
  }),
});

builder.prismaObjectField(Organization, 'adsConnections', (t) =>
  t.relatedConnection('adsConnections', {
    cursor: 'id',
    description: 'TikTok for Business connections (ads:read).',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'ads:read' } }),
    query: { orderBy: { createdAt: 'desc' } },
    complexity: connectionComplexity,
  }),
);

type Started = Awaited<ReturnType<typeof ads.startAdsConnect>>;
const AdsConnectStart = builder.objectRef<Started>('AdsConnectStart').implement({
  fields: (t) => ({
    authorizeUrl: t.exposeString('authorizeUrl', {
      description: "TikTok for Business's consent page; it sends the browser back with `auth_code` and `state`.",
    }),
    state: t.exposeString('state', { description: 'Give it back to completeAdsConnect; single use, yours only.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.mutationField('startAdsConnect', (t) =>
  t.field({
    type: AdsConnectStart,
    description: 'Starts connecting TikTok for Business (ads:manage; people only).',
    authScopes: { authenticated: true },
    errors: { types: adsErrors },
    args: { organizationId: t.arg.globalID() },
    resolve: (_root, args, ctx) =>
      ads.startAdsConnect(services(ctx), { organizationId: idFor(args.organizationId, 'Organization') }),
  }),
);

builder.mutationField('completeAdsConnect', (t) =>
  t.prismaField({
    type: AdsConnection,
    description:
      'Completes a connect with the `auth_code` and `state` TikTok sent back: the token is stored encrypted and the advertisers it reaches are listed (ads:manage; the person who started it).',
    authScopes: { authenticated: true },
    errors: { types: adsErrors },
    args: { organizationId: t.arg.globalID(), state: t.arg.string(), authCode: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const connection = await ads.completeAdsConnect(
        services(ctx),
        {
          organizationId: idFor(args.organizationId, 'Organization'),
          state: args.state,
          authCode: args.authCode,
        },
        ctx.temporal,
      );
      return ctx.db.adsConnection.findUniqueOrThrow({ ...selection(query), where: { id: connection.id } });
    },
  }),
);

builder.mutationField('disconnectAdsConnection', (t) =>
  t.prismaField({
    type: AdsConnection,
    description: 'Erases the token; inventory and reports stay (ads:manage).',
    authScopes: { authenticated: true },
    errors: { types: adsErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const connection = await ads.disconnectAdsConnection(
        services(ctx),
        idFor(args.id, 'AdsConnection'),
        ctx.temporal,
      );
      return ctx.db.adsConnection.findUniqueOrThrow({ ...selection(query), where: { id: connection.id } });
    },
  }),
);

builder.mutationField('syncAdsConnectionNow', (t) =>
  t.prismaField({
    type: AdsConnection,
    description: "Reads the connection's inventory now instead of at its next 6-hourly run (ads:manage).",
    authScopes: { authenticated: true },
    errors: { types: adsErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      if (!ctx.temporal) throw new Error('no workflow client on this transport');
      const connection = await ads.syncAdsConnectionNow(services(ctx), idFor(args.id, 'AdsConnection'), ctx.temporal);
      return ctx.db.adsConnection.findUniqueOrThrow({ ...selection(query), where: { id: connection.id } });
    },
  }),
);

builder.subscriptionField('adsConnectionChanged', (t) =>
  t.prismaField({
    type: AdsConnection,
    nullable: true,
    description:
      "A connection of the organization as it now stands, each time what the ads home shows of it moves on: connected or disconnected, its inventory read, its daily facts backfill advanced, or its health (status, last success, TikTok's last error) changed (ads:read).",
    args: { organizationId: t.arg.globalID({ required: true }) },
    subscribe: (_root, args, ctx) => {
      if (!ctx.viewer) throw unauthenticated(ctx.lapsedCredential);
      const organizationId = idFor(args.organizationId, 'Organization');
      if (!visibleOrganizationIds(ctx.viewer).includes(organizationId)) throw new NotFoundError('Organization');
      return subscribeTo(ctx, { organizationId, permission: 'ads:read', kind: 'ads.connection.changed' });
    },
    resolve: (query, event: PublishedDomainEvent<'ads.connection.changed'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.adsConnection.findFirst({
          ...selection(query),
          where: { id: event.payload.connectionId, organizationId: event.organizationId },
        }),
      ),
  }),
);
