import { webhookEventTypes } from '@pressroom/workflows/webhooks';
import { services } from '../context.js';
import * as webhooks from '../services/webhooks.js';
import { builder, connectionComplexity } from './builder.js';
import { ErrorInterface, objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { inViewerOrganizations, Organization } from './organization.js';

builder.objectType(webhooks.UnsafeWebhookUrlError, {
  name: 'UnsafeWebhookUrlError',
  description:
    'The URL resolves to a loopback, private, link-local or unique-local address (or is not http(s)); such URLs are refused unless WEBHOOKS_ALLOW_PRIVATE_URLS is set on the server.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof webhooks.UnsafeWebhookUrlError,
  fields: (t) => ({ reason: t.exposeString('reason') }),
});

const webhookErrors = [...objectMutationErrors, webhooks.UnsafeWebhookUrlError];

const WebhookDeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  values: ['PENDING', 'SUCCEEDED', 'FAILED'] as const,
});

export const WebhookEndpoint = builder.prismaNode('WebhookEndpoint', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (endpoint) => ({ permission: { organizationId: endpoint.organizationId, permission: 'webhooks:read' } }),
  fields: (t) => ({
    url: t.exposeString('url'),
    description: t.exposeString('description'),
    events: t.exposeStringList('events', { description: 'Event types delivered here (see `webhookEventTypes`).' }),
    enabled: t.exposeBoolean('enabled'),
    disabledReason: t.exposeString('disabledReason', { nullable: true }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    consecutiveFailures: t.exposeInt('consecutiveFailures'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
      complexity: connectionComplexity,
    }),
  }),
});

builder.prismaObject('WebhookDeliveryAttempt', {
  fields: (t) => ({
    number: t.exposeInt('number'),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: "The receiver's HTTP status; null when no answer came.",
    }),
    durationMs: t.exposeInt('durationMs'),
    error: t.exposeString('error', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const WebhookDelivery = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (delivery) => ({ permission: { organizationId: delivery.organizationId, permission: 'webhooks:read' } }),
  fields: (t) => ({
    eventId: t.exposeString('eventId', { description: 'Sent as `Pressroom-Delivery`; the same on every attempt.' }),
    eventType: t.exposeString('eventType'),
    body: t.exposeString('body', { description: 'The JSON body, exactly as sent.' }),
    status: t.expose('status', { type: WebhookDeliveryStatus }),
    attemptCount: t.exposeInt('attemptCount'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    endpoint: t.relation('endpoint'),
    attempts: t.relation('attempts', { query: { orderBy: { number: 'asc' } } }),
  }),
});

builder.prismaObjectField(Organization, 'webhookEndpoints', (t) =>
  t.relatedConnection('webhookEndpoints', {
    cursor: 'id',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'webhooks:read' } }),
    query: { orderBy: { createdAt: 'desc' } },
    complexity: connectionComplexity,
  }),
);

builder.queryField('webhookEventTypes', (t) =>
  t.stringList({
    description: 'Every event type an endpoint may subscribe to.',
    resolve: () => [...webhookEventTypes],
  }),
);

type WithSecret = Awaited<ReturnType<typeof webhooks.createWebhookEndpoint>>;
const WebhookEndpointWithSecret = builder.objectRef<WithSecret>('WebhookEndpointWithSecret').implement({
  fields: (t) => ({
    endpoint: t.field({ type: WebhookEndpoint, resolve: (result) => result.endpoint }),
    secret: t.exposeString('secret', {
      description: 'Verifies `Pressroom-Signature`. Shown once (here and on rotation); stored encrypted.',
    }),
  }),
});

builder.mutationField('createWebhookEndpoint', (t) =>
  t.field({
    type: WebhookEndpointWithSecret,
    description: 'Registers a URL for the events named (webhooks:write; owners and admins).',
    authScopes: { authenticated: true },
    errors: { types: webhookErrors },
    args: {
      organizationId: t.arg.globalID(),
      url: t.arg.string(),
      events: t.arg.stringList(),
      description: t.arg.string({ required: false }),
    },
    resolve: (_root, args, ctx) =>
      webhooks.createWebhookEndpoint(services(ctx), {
        organizationId: idFor(args.organizationId, 'Organization'),
        url: args.url,
        events: args.events,
        description: args.description ?? undefined,
      }),
  }),
);

builder.mutationField('updateWebhookEndpoint', (t) =>
  t.prismaField({
    type: WebhookEndpoint,
    description: 'Changes the URL, events or description; `enabled: true` turns a disabled endpoint back on.',
    authScopes: { authenticated: true },
    errors: { types: webhookErrors },
    args: {
      id: t.arg.globalID(),
      url: t.arg.string({ required: false }),
      events: t.arg.stringList({ required: false }),
      description: t.arg.string({ required: false }),
      enabled: t.arg.boolean({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const endpoint = await webhooks.updateWebhookEndpoint(services(ctx), idFor(args.id, 'WebhookEndpoint'), {
        url: args.url,
        events: args.events,
        description: args.description,
        enabled: args.enabled,
      });
      return ctx.db.webhookEndpoint.findUniqueOrThrow({ ...selection(query), where: { id: endpoint.id } });
    },
  }),
);

builder.mutationField('rotateWebhookEndpointSecret', (t) =>
  t.field({
    type: WebhookEndpointWithSecret,
    description: 'A new secret, shown once; the old one is still signed with for 24 hours.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: (_root, args, ctx) =>
      webhooks.rotateWebhookEndpointSecret(services(ctx), idFor(args.id, 'WebhookEndpoint')),
  }),
);

builder.mutationField('deleteWebhookEndpoint', (t) =>
  t.globalID({
    description: 'Deletes an endpoint and its deliveries; returns its id.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (_root, args, ctx) => {
      const endpoint = await webhooks.deleteWebhookEndpoint(services(ctx), idFor(args.id, 'WebhookEndpoint'));
      return { type: 'WebhookEndpoint', id: endpoint.id };
    },
  }),
);

builder.mutationField('redeliverWebhookDelivery', (t) =>
  t.prismaField({
    type: WebhookDelivery,
    description: 'Sends a finished delivery again: the same event id and body, attempts numbered on.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const delivery = await webhooks.redeliverWebhook(services(ctx), ctx.temporal, idFor(args.id, 'WebhookDelivery'));
      return ctx.db.webhookDelivery.findUniqueOrThrow({ ...selection(query), where: { id: delivery.id } });
    },
  }),
);
