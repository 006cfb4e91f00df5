import type { AdsConnectionStatus as AdsConnectionStatusValue } from '@pressroom/db';
import { services } from '../context.js';
import * as ads from '../services/ads.js';
import { builder, connectionComplexity } from './builder.js';
import { ErrorInterface, objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
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
      const connection = await ads.completeAdsConnect(services(ctx), {
        organizationId: idFor(args.organizationId, 'Organization'),
        state: args.state,
        authCode: args.authCode,
      });
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
      const connection = await ads.disconnectAdsConnection(services(ctx), idFor(args.id, 'AdsConnection'));
      return ctx.db.adsConnection.findUniqueOrThrow({ ...selection(query), where: { id: connection.id } });
    },
  }),
);
