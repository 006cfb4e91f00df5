import type { SocialAccountStatus as SocialAccountStatusValue } from '@pressroom/db';
import { services } from '../context.js';
import * as analytics from '../services/analytics.js';
import * as socialAccounts from '../services/social-accounts.js';
import { Brand } from './brand.js';
import { builder } from './builder.js';
import { Platform } from './content.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { inViewerOrganizations } from './organization.js';

const SocialAccountStatus = builder.enumType('SocialAccountStatus', {
  values: [
    'ACTIVE',
    'TOKEN_EXPIRED',
    'REVOKED',
    'ERROR',
    'DISCONNECTED',
  ] as const satisfies readonly SocialAccountStatusValue[],
});

interface AccountTotals {
  followerCount: number;
  followingCount: number;
  likesCount: bigint;
  videoCount: number;
  capturedAt: Date;
}

const AccountSnapshot = builder.objectRef<AccountTotals>('AccountSnapshot').implement({
  description: 'What a sync read of the account: its totals at `capturedAt`.',
  fields: (t) => ({
    followerCount: t.exposeInt('followerCount'),
    followingCount: t.exposeInt('followingCount'),
    likesCount: t.expose('likesCount', { type: 'BigInt' }),
    videoCount: t.exposeInt('videoCount'),
    capturedAt: t.expose('capturedAt', { type: 'DateTime' }),
  }),
});

/** A connected account of a brand. Its tokens never leave the database (they are encrypted there). */
export const SocialAccount = builder.prismaNode('SocialAccount', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (account) => ({ permission: { organizationId: account.organizationId, permission: 'brands:read' } }),
  fields: (t) => ({
    platform: t.expose('platform', { type: Platform }),
    displayName: t.exposeString('displayName'),
    username: t.exposeString('username', { nullable: true }),
    status: t.expose('status', { type: SocialAccountStatus }),
    lastError: t.exposeString('lastError', { nullable: true }),
    lastSyncedAt: t.expose('lastSyncedAt', { type: 'DateTime', nullable: true }),
    connectedAt: t.expose('createdAt', { type: 'DateTime' }),
    latestSnapshot: t.field({
      type: AccountSnapshot,
      nullable: true,
      description: 'The newest totals (analytics:read).',
      authScopes: (account) => ({
        permission: { organizationId: account.organizationId, permission: 'analytics:read' },
      }),
      // Part of the parent's query: no extra statement per account.
      select: {
        snapshots: {
          take: 1,
          orderBy: { capturedAt: 'desc' },
          select: { followerCount: true, followingCount: true, likesCount: true, videoCount: true, capturedAt: true },
        },
      },
      resolve: (account) => account.snapshots[0] ?? null,
    }),
    snapshots: t.field({
      type: [AccountSnapshot],
      description:
        'The totals each sync read between `from` and `to` (inclusive), oldest first: the newest `last` of them (analytics:read).',
      authScopes: (account) => ({
        permission: { organizationId: account.organizationId, permission: 'analytics:read' },
      }),
      args: {
        from: t.arg({ type: 'DateTime', required: true }),
        to: t.arg({ type: 'DateTime', required: true }),
        last: t.arg.int({ required: false, defaultValue: analytics.defaultSeriesPoints }),
      },
      // Priced like a page of that many items.
      complexity: (args) => ({ field: 1, multiplier: args.last ?? analytics.defaultSeriesPoints }),
      resolve: (account, args, ctx) =>
        analytics.accountSnapshots(ctx.db, account.id, {
          from: args.from,
          to: args.to,
          last: args.last ?? analytics.defaultSeriesPoints,
        }),
    }),
  }),
});

builder.prismaObjectField(Brand, 'socialAccounts', (t) =>
  t.relation('socialAccounts', {
    description: "The brand's connected accounts.",
    query: { orderBy: { createdAt: 'asc' } },
  }),
);

builder.mutationField('syncAccountNow', (t) =>
  t.prismaField({
    type: SocialAccount,
    description: "Runs the account's analytics sync now instead of at its next 6-hourly run (analytics:read).",
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { socialAccountId: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      if (!ctx.temporal) throw new Error('no workflow client on this transport');
      const account = await socialAccounts.syncAccountNow(
        services(ctx),
        ctx.temporal,
        idFor(args.socialAccountId, 'SocialAccount'),
      );
      return ctx.db.socialAccount.findUniqueOrThrow({ ...selection(query), where: { id: account.id } });
    },
  }),
);
