import type {
  AdsAlertDeliveryStatus as AdsAlertDeliveryStatusValue,
  AdsAlertKind as AdsAlertKindValue,
  NotificationChannel,
} from '@pressroom/db';
import type { PublishedDomainEvent } from '@pressroom/db/events';
import { visibleOrganizationIds } from '../auth/viewer.js';
import { services } from '../context.js';
import { InvalidInputError, NotFoundError, unauthenticated } from '../errors.js';
import * as alerts from '../services/ads-alerts.js';
import { Advertiser } from './ads.js';
import { builder, connectionComplexity } from './builder.js';
import { encodeGlobalId, idFor, selection } from './ids.js';
import { readOnce, subscribeTo } from './live.js';
import { inViewerOrganizations, Organization } from './organization.js';

const AdsAlertKind = builder.enumType('AdsAlertKind', {
  values: {
    DAILY_SPEND_ABOVE: { description: "An advertiser's spend of one day above the threshold." },
    COST_PER_CONVERSION_ABOVE: {
      description: "An advertiser's spend per conversion of one day above the threshold (days with conversions).",
    },
    AD_REJECTED: { description: 'An ad rejected in review at TikTok.' },
    CONNECTION_BROKEN: { description: 'A TikTok for Business connection needs reconnecting or fails.' },
  } satisfies Record<AdsAlertKindValue, unknown>,
});

const AlertChannel = builder.enumType('AlertChannel', {
  values: ['IN_APP', 'EMAIL', 'TELEGRAM'] as const satisfies readonly NotificationChannel[],
});

const AlertDeliveryStatus = builder.enumType('AlertDeliveryStatus', {
  values: {
    PENDING: { description: 'Not sent yet, or handed to the provider and its answer awaited.' },
    SENT: { description: 'The provider took it; providerReference names it there.' },
    FAILED: {
      description: 'Not delivered (error says why), or its outcome is unknown (outcomeUnknown); never sent again.',
    },
  },
});

/** The stored status as the contract's three: an unknown outcome is not retried, so it reads as FAILED. */
const contractStatus: Record<AdsAlertDeliveryStatusValue, 'PENDING' | 'SENT' | 'FAILED'> = {
  PENDING: 'PENDING',
  SENDING: 'PENDING',
  SENT: 'SENT',
  FAILED: 'FAILED',
  UNKNOWN: 'FAILED',
};

builder.prismaObject('AdsAlertDelivery', {
  name: 'AlertDelivery',
  description: 'One message of an alert event on one channel to one target, sent at most once.',
  fields: (t) => ({
    channel: t.field({ type: AlertChannel, resolve: (delivery) => delivery.channel }),
    target: t.exposeString('target', { description: 'Email address or Telegram chat; "app" for in-app.' }),
    status: t.field({ type: AlertDeliveryStatus, resolve: (delivery) => contractStatus[delivery.status] }),
    outcomeUnknown: t.boolean({
      description:
        "The provider's answer was lost after the message was handed over: it may have arrived, and it is not sent again.",
      resolve: (delivery) => delivery.status === 'UNKNOWN',
    }),
    providerReference: t.exposeString('providerReference', {
      nullable: true,
      description: "The provider's id: the email message id, Telegram's message_id.",
    }),
    error: t.exposeString('error', { nullable: true }),
    attempts: t.exposeInt('attempts'),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
  }),
});

export const AdsAlertRule = builder.prismaNode('AdsAlertRule', {
  id: { field: 'id' },
  description: "When to tell whom about the organization's ads.",
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (rule) => ({ permission: { organizationId: rule.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.field({ type: AdsAlertKind, resolve: (rule) => rule.kind }),
    threshold: t.float({
      nullable: true,
      description: "Money in the advertiser's currency (the two ABOVE kinds).",
      resolve: (rule) => (rule.thresholdCents === null ? null : Number(rule.thresholdCents) / 100),
    }),
    advertisers: t.prismaField({
      type: [Advertiser],
      description: "Advertisers watched; empty when it watches all of the organization's.",
      resolve: (query, rule, _args, ctx) =>
        rule.advertiserIds.length === 0
          ? []
          : ctx.db.advertiser.findMany({
              ...query,
              where: { id: { in: rule.advertiserIds }, organizationId: rule.organizationId },
              orderBy: [{ name: 'asc' }, { id: 'asc' }],
            }),
    }),
    channels: t.field({ type: [AlertChannel], resolve: (rule) => rule.channels }),
    emailRecipients: t.exposeStringList('emailRecipients'),
    telegramChatId: t.exposeString('telegramChatId', { nullable: true }),
    enabled: t.exposeBoolean('enabled'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastFiredAt: t.expose('lastFiredAt', { type: 'DateTime', nullable: true }),
  }),
});

export const AdsAlertEvent = builder.prismaNode('AdsAlertEvent', {
  id: { field: 'id' },
  description: 'One breach of an alert rule, fired once.',
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (event) => ({ permission: { organizationId: event.organizationId, permission: 'ads:read' } }),
  fields: (t) => ({
    rule: t.relation('rule', { nullable: true, description: 'Null once the rule was deleted.' }),
    kind: t.field({ type: AdsAlertKind, resolve: (event) => event.kind }),
    message: t.exposeString('message', {
      description: 'What breached, e.g. "Spend 1,234.50 USD on 2026-11-30 above 1,000.00 (Acme US)".',
    }),
    advertiser: t.relation('advertiser', { nullable: true }),
    breachKey: t.exposeString('breachKey', {
      description: "The breach's identity, so it fires once: e.g. advertiser + day, or ad id + status.",
    }),
    firedAt: t.expose('firedAt', { type: 'DateTime' }),
    deliveries: t.relation('deliveries', { query: { orderBy: [{ channel: 'asc' }, { target: 'asc' }] } }),
  }),
});

builder.prismaObjectField(Organization, 'adsAlertRules', (t) =>
  t.prismaField({
    type: [AdsAlertRule],
    description: 'Alert rules, by name (ads:read).',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'ads:read' } }),
    resolve: (query, org, _args, ctx) =>
      ctx.db.adsAlertRule.findMany({
        ...query,
        where: { organizationId: org.id },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }),
);

builder.prismaObjectField(Organization, 'adsAlertEvents', (t) =>
  t.relatedConnection('adsAlertEvents', {
    cursor: 'id',
    description: 'Alert events, newest first (ads:read).',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'ads:read' } }),
    query: { orderBy: [{ firedAt: 'desc' }, { id: 'desc' }] },
    complexity: connectionComplexity,
  }),
);

const AdsAlertRuleInput = builder.inputType('AdsAlertRuleInput', {
  fields: (t) => ({
    organizationId: t.globalID({ required: true }),
    name: t.string({ required: true }),
    kind: t.field({ type: AdsAlertKind, required: true }),
    threshold: t.float({
      required: false,
      description: "Money in the advertiser's currency; required for the two ABOVE kinds, refused for the others.",
    }),
    advertiserIds: t.globalIDList({
      required: false,
      description: "Advertisers watched; all of the organization's when absent.",
    }),
    channels: t.field({ type: [AlertChannel], required: true }),
    emailRecipients: t.stringList({ required: false, description: 'Required when channels has EMAIL.' }),
    telegramChatId: t.string({
      required: false,
      description: "Required when channels has TELEGRAM (a chat id or @channel the server's bot can post to).",
    }),
    enabled: t.boolean({ required: true }),
  }),
});

function ruleInputFor(input: typeof AdsAlertRuleInput.$inferInput): alerts.AdsAlertRuleInput {
  return {
    organizationId: idFor(input.organizationId, 'Organization'),
    name: input.name,
    kind: input.kind,
    threshold: input.threshold ?? null,
    advertiserIds: input.advertiserIds ? input.advertiserIds.map((id) => idFor(id, 'Advertiser')) : null,
    channels: input.channels,
    emailRecipients: input.emailRecipients ?? null,
    telegramChatId: input.telegramChatId ?? null,
    enabled: input.enabled,
  };
}

builder.mutationField('createAdsAlertRule', (t) =>
  t.prismaField({
    type: AdsAlertRule,
    description: 'Creates an alert rule (ads:alerts).',
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, NotFoundError], dataField: { name: 'rule' } },
    args: { input: t.arg({ type: AdsAlertRuleInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const rule = await alerts.createAdsAlertRule(services(ctx), ruleInputFor(args.input));
      return ctx.db.adsAlertRule.findUniqueOrThrow({ ...selection(query), where: { id: rule.id } });
    },
  }),
);

builder.mutationField('updateAdsAlertRule', (t) =>
  t.prismaField({
    type: AdsAlertRule,
    description: 'Replaces an alert rule with the input (ads:alerts).',
    authScopes: { authenticated: true },
    errors: { types: [InvalidInputError, NotFoundError], dataField: { name: 'rule' } },
    args: {
      id: t.arg.globalID({ required: true }),
      input: t.arg({ type: AdsAlertRuleInput, required: true }),
    },
    resolve: async (query, _root, args, ctx) => {
      const rule = await alerts.updateAdsAlertRule(
        services(ctx),
        idFor(args.id, 'AdsAlertRule'),
        ruleInputFor(args.input),
      );
      return ctx.db.adsAlertRule.findUniqueOrThrow({ ...selection(query), where: { id: rule.id } });
    },
  }),
);

builder.mutationField('deleteAdsAlertRule', (t) =>
  t.id({
    description: 'Deletes an alert rule; its events stay (ads:alerts).',
    authScopes: { authenticated: true },
    errors: { types: [NotFoundError], dataField: { name: 'id' } },
    args: { id: t.arg.globalID({ required: true }) },
    resolve: async (_root, args, ctx) =>
      encodeGlobalId('AdsAlertRule', await alerts.deleteAdsAlertRule(services(ctx), idFor(args.id, 'AdsAlertRule'))),
  }),
);

builder.subscriptionField('adsAlertFired', (t) =>
  t.prismaField({
    type: AdsAlertEvent,
    nullable: true,
    description: 'A new alert event in the organization (ads:read).',
    args: { organizationId: t.arg.globalID({ required: true }) },
    subscribe: (_root, args, ctx) => {
      if (!ctx.viewer) throw unauthenticated(ctx.lapsedCredential);
      const organizationId = idFor(args.organizationId, 'Organization');
      if (!visibleOrganizationIds(ctx.viewer).includes(organizationId)) throw new NotFoundError('Organization');
      return subscribeTo(ctx, { organizationId, permission: 'ads:read', kind: 'ads.alert.fired' });
    },
    resolve: (query, event: PublishedDomainEvent<'ads.alert.fired'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.adsAlertEvent.findFirst({
          ...selection(query),
          where: { id: event.payload.eventId, organizationId: event.organizationId },
        }),
      ),
  }),
);

builder.subscriptionField('adsAlertEventChanged', (t) =>
  t.prismaField({
    type: AdsAlertEvent,
    nullable: true,
    description:
      'An alert event of the organization, each time one of its deliveries moves on: sent (with the provider reference), failed, its outcome unknown, or left for another try (ads:read).',
    args: { organizationId: t.arg.globalID({ required: true }) },
    subscribe: (_root, args, ctx) => {
      if (!ctx.viewer) throw unauthenticated(ctx.lapsedCredential);
      const organizationId = idFor(args.organizationId, 'Organization');
      if (!visibleOrganizationIds(ctx.viewer).includes(organizationId)) throw new NotFoundError('Organization');
      return subscribeTo(ctx, { organizationId, permission: 'ads:read', kind: 'ads.alert.delivery_changed' });
    },
    resolve: (query, event: PublishedDomainEvent<'ads.alert.delivery_changed'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.adsAlertEvent.findFirst({
          ...selection(query),
          where: { id: event.payload.eventId, organizationId: event.organizationId },
        }),
      ),
  }),
);
