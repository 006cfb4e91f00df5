// Live updates over graphql-ws. Each subscription is authorized when it starts and again
// before every event (tenant and role, read fresh); events carry ids only, and what is sent
// is re-read through the same tenant filter as a query.
import type { DomainEventKind, PublishedDomainEvent } from '@pressroom/db/events';
import type { Permission } from '../auth/permissions.js';
import { can, missingPermission, peopleOnly, visibleOrganizationIds } from '../auth/viewer.js';
import type { ApiContext } from '../context.js';
import { NotFoundError, forbidden, unauthenticated } from '../errors.js';
import { builder } from './builder.js';
import { idFor, selection } from './ids.js';
import { retryingFor } from '../events/retry.js';

builder.subscriptionType({});

interface Target<K extends DomainEventKind> {
  organizationId: string;
  permission: Permission;
  kind: K;
  matches?: (event: PublishedDomainEvent<K>) => boolean;
}

/** Starts a subscription for `target` once the viewer may see it; otherwise throws. */
export function subscribeTo<K extends DomainEventKind>(
  ctx: ApiContext,
  target: Target<K>,
): AsyncIterable<PublishedDomainEvent<K>> {
  if (!ctx.viewer) throw unauthenticated(ctx.lapsedCredential);
  if (!can(ctx.viewer, target.organizationId, target.permission)) {
    throw forbidden(missingPermission(ctx.viewer, target.organizationId, target.permission));
  }
  const matches = target.matches;
  // The hub only hands over events of `target.kind`, so the narrowing below holds.
  return ctx.events.subscribe({
    kinds: [target.kind],
    organizationId: target.organizationId,
    matches: matches && ((event) => matches(event as PublishedDomainEvent<K>)),
    authorize: async () => can(await ctx.currentViewer(), target.organizationId, target.permission),
  }) as AsyncIterable<PublishedDomainEvent<K>>;
}

/**
 * One event reaches every subscriber of it on this instance, and each re-reads the same row
 * with the same selection through the same tenant filter (the event's organization): the
 * read is shared. Entries live only as long as the event is being fanned out.
 */
const sharedReads = new Map<string, Promise<unknown>>();
const sharedReadTtlMs = 5_000;

export function readOnce<T>(
  event: PublishedDomainEvent,
  query: unknown,
  read: () => Promise<T>,
  retryForMs = 30_000,
): Promise<T> {
  const key = `${event.id}:${JSON.stringify(query)}`;
  let pending = sharedReads.get(key) as Promise<T> | undefined;
  if (!pending) {
    // Tried again for a while when it fails (PostgreSQL restarting): failed, the subscriber
    // would get an error in place of the change, and never learn the state it told of.
    pending = retryingFor(read, { delayMs: 250, forMs: retryForMs });
    sharedReads.set(key, pending);
    setTimeout(() => sharedReads.delete(key), sharedReadTtlMs).unref();
  }
  return pending;
}

/** The organization of what a subscription names, if the viewer can see it; else "not found". */
async function organizationOf(
  ctx: ApiContext,
  what: string,
  lookup: (visibleOrganizationIds: string[]) => Promise<string | null | undefined>,
): Promise<string> {
  if (!ctx.viewer) throw unauthenticated(ctx.lapsedCredential);
  const organizationId = await lookup(visibleOrganizationIds(ctx.viewer));
  if (!organizationId) throw new NotFoundError(what);
  return organizationId;
}

/** The organization of a brand the viewer can see; otherwise "not found". */
function brandOrganization(ctx: ApiContext, brandId: string): Promise<string> {
  return organizationOf(ctx, 'Brand', async (visible) => {
    const brand = await ctx.db.brand.findFirst({
      where: { id: brandId, organizationId: { in: visible } },
      select: { organizationId: true },
    });
    return brand?.organizationId;
  });
}

function organizationArg(ctx: ApiContext, globalId: { typename: string; id: string }): Promise<string> {
  const id = idFor(globalId, 'Organization');
  return organizationOf(ctx, 'Organization', (visible) => Promise.resolve(visible.includes(id) ? id : null));
}

builder.subscriptionField('batchProgress', (t) =>
  t.prismaField({
    type: 'Batch',
    nullable: true,
    description: 'The batch, each time one of its posts is generated or fails.',
    args: { id: t.arg.globalID() },
    subscribe: async (_root, args, ctx) => {
      const batchId = idFor(args.id, 'Batch');
      const organizationId = await organizationOf(ctx, 'Batch', async (visible) => {
        const batch = await ctx.db.batch.findFirst({
          where: { id: batchId, organizationId: { in: visible } },
          select: { organizationId: true },
        });
        return batch?.organizationId;
      });
      return subscribeTo(ctx, {
        organizationId,
        permission: 'posts:read',
        kind: 'batch.progress',
        matches: (event) => event.payload.batchId === batchId,
      });
    },
    resolve: (query, event: PublishedDomainEvent<'batch.progress'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.batch.findFirst({
          ...selection(query),
          where: { id: event.payload.batchId, organizationId: event.organizationId },
        }),
      ),
  }),
);

builder.subscriptionField('postChanged', (t) =>
  t.prismaField({
    type: 'Post',
    nullable: true,
    description: 'A post of this brand, each time it is created or changes (null once it is deleted).',
    args: { brandId: t.arg.globalID() },
    subscribe: async (_root, args, ctx) => {
      const brandId = idFor(args.brandId, 'Brand');
      const organizationId = await brandOrganization(ctx, brandId);
      return subscribeTo(ctx, {
        organizationId,
        permission: 'posts:read',
        kind: 'post.changed',
        matches: (event) => event.payload.brandId === brandId,
      });
    },
    resolve: (query, event: PublishedDomainEvent<'post.changed'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.post.findFirst({
          ...selection(query),
          where: { id: event.payload.postId, organizationId: event.organizationId },
        }),
      ),
  }),
);

builder.subscriptionField('publicationChanged', (t) =>
  t.prismaField({
    type: 'Publication',
    nullable: true,
    description: 'Any publication of the organization, each time its state changes.',
    args: { organizationId: t.arg.globalID() },
    subscribe: async (_root, args, ctx) => {
      const organizationId = await organizationArg(ctx, args.organizationId);
      return subscribeTo(ctx, { organizationId, permission: 'posts:read', kind: 'publication.changed' });
    },
    resolve: (query, event: PublishedDomainEvent<'publication.changed'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.publication.findFirst({
          ...selection(query),
          where: { id: event.payload.publicationId, organizationId: event.organizationId },
        }),
      ),
  }),
);

builder.subscriptionField('auditRecorded', (t) =>
  t.prismaField({
    type: 'AuditEvent',
    nullable: true,
    description: 'Each audit event of the organization as it is written.',
    args: { organizationId: t.arg.globalID() },
    subscribe: async (_root, args, ctx) => {
      const organizationId = await organizationArg(ctx, args.organizationId);
      return subscribeTo(ctx, { organizationId, permission: 'audit:read', kind: 'audit.recorded' });
    },
    resolve: (query, event: PublishedDomainEvent<'audit.recorded'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.auditEvent.findFirst({
          ...selection(query),
          where: { id: BigInt(event.payload.auditEventId), organizationId: event.organizationId },
        }),
      ),
  }),
);

builder.subscriptionField('accountMetricsUpdated', (t) =>
  t.prismaField({
    type: 'SocialAccount',
    nullable: true,
    description: 'The account, each time a sync brings back its numbers (analytics:read).',
    args: { socialAccountId: t.arg.globalID() },
    subscribe: async (_root, args, ctx) => {
      const socialAccountId = idFor(args.socialAccountId, 'SocialAccount');
      const organizationId = await organizationOf(ctx, 'SocialAccount', async (visible) => {
        const account = await ctx.db.socialAccount.findFirst({
          where: { id: socialAccountId, organizationId: { in: visible } },
          select: { organizationId: true },
        });
        return account?.organizationId;
      });
      return subscribeTo(ctx, {
        organizationId,
        permission: 'analytics:read',
        kind: 'metrics.updated',
        matches: (event) => event.payload.socialAccountId === socialAccountId,
      });
    },
    resolve: (query, event: PublishedDomainEvent<'metrics.updated'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.socialAccount.findFirst({
          ...selection(query),
          where: { id: event.payload.socialAccountId, organizationId: event.organizationId },
        }),
      ),
  }),
);

builder.subscriptionField('accountChanged', (t) =>
  t.prismaField({
    type: 'SocialAccount',
    nullable: true,
    description:
      'An account of the brand, each time it is connected or its status changes (a grant revoked, a refused refresh, a disconnect).',
    args: { brandId: t.arg.globalID({ required: true }) },
    subscribe: async (_root, args, ctx) => {
      const brandId = idFor(args.brandId, 'Brand');
      const organizationId = await brandOrganization(ctx, brandId);
      return subscribeTo(ctx, {
        organizationId,
        // Who may read an account (SocialAccount's own rule).
        permission: 'brands:read',
        kind: 'account.changed',
        matches: (event) => event.payload.brandId === brandId,
      });
    },
    resolve: (query, event: PublishedDomainEvent<'account.changed'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.socialAccount.findFirst({
          ...selection(query),
          where: { id: event.payload.socialAccountId, organizationId: event.organizationId },
        }),
      ),
  }),
);

builder.subscriptionField('notificationReceived', (t) =>
  t.prismaField({
    type: 'Notification',
    nullable: true,
    description: 'Each in-app notification for the signed-in person in this organization, as it is made.',
    args: { organizationId: t.arg.globalID() },
    subscribe: async (_root, args, ctx) => {
      if (!ctx.viewer) throw unauthenticated(ctx.lapsedCredential);
      if (ctx.viewer.kind !== 'user') throw forbidden(peopleOnly);
      const userId = ctx.viewer.userId;
      const organizationId = await organizationArg(ctx, args.organizationId);
      return subscribeTo(ctx, {
        organizationId,
        permission: 'org:read',
        kind: 'notification.created',
        matches: (event) => event.payload.userId === userId,
      });
    },
    resolve: (query, event: PublishedDomainEvent<'notification.created'>, _args, ctx) =>
      ctx.db.notification.findFirst({
        ...selection(query),
        where: {
          id: event.payload.notificationId,
          userId: ctx.viewer?.kind === 'user' ? ctx.viewer.userId : '',
          channel: 'IN_APP',
        },
      }),
  }),
);

builder.subscriptionField('mediaAssetChanged', (t) =>
  t.prismaField({
    type: 'MediaAsset',
    nullable: true,
    description:
      "An asset of this brand's library, each time it is created, arrives whole, moves on in processing or changes (null once deleted).",
    args: { brandId: t.arg.globalID() },
    subscribe: async (_root, args, ctx) => {
      const brandId = idFor(args.brandId, 'Brand');
      const organizationId = await brandOrganization(ctx, brandId);
      return subscribeTo(ctx, {
        organizationId,
        permission: 'media:read',
        kind: 'media.changed',
        matches: (event) => event.payload.brandId === brandId,
      });
    },
    resolve: (query, event: PublishedDomainEvent<'media.changed'>, _args, ctx) =>
      readOnce(event, query, () =>
        ctx.db.mediaAsset.findFirst({
          ...selection(query),
          where: { id: event.payload.mediaAssetId, organizationId: event.organizationId },
        }),
      ),
  }),
);
