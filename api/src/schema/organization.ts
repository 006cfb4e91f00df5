import type { AiProvider as AiProviderValue, Role as RoleValue } from '@pressroom/db';
import { rolePermissions } from '../auth/permissions.js';
import { visibleOrganizationIds } from '../auth/viewer.js';
import { services } from '../context.js';
import { InvalidInputError } from '../errors.js';
import * as ai from '../services/ai.js';
import * as organizations from '../services/organizations.js';
import { builder, connectionComplexity } from './builder.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';

export const Role = builder.enumType('Role', {
  values: ['OWNER', 'ADMIN', 'EDITOR', 'REVIEWER', 'ANALYST'] as const satisfies readonly RoleValue[],
});

export const AiProvider = builder.enumType('AiProvider', {
  values: ['ANTHROPIC', 'OPENAI'] as const satisfies readonly AiProviderValue[],
});

/** Where clause that makes other organizations' rows invisible (used by every node lookup). */
export function inViewerOrganizations(ctx: Parameters<typeof visibleOrganizationIds>[0]) {
  return { in: visibleOrganizationIds(ctx) };
}

export const Organization = builder.prismaNode('Organization', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, deletedAt: null, AND: [{ id: inViewerOrganizations(ctx.viewer) }] }),
  authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'org:read' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    viewerRole: t.field({
      type: Role,
      nullable: true,
      description: "The viewer's role here; null for API tokens.",
      resolve: (org, _args, ctx) => (ctx.viewer?.kind === 'user' ? (ctx.viewer.roles.get(org.id) ?? null) : null),
    }),
    settings: t.relation('settings', { nullable: true }),
    members: t.relatedConnection('memberships', {
      cursor: 'id',
      authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'members:read' } }),
      query: { orderBy: { createdAt: 'asc' } },
      complexity: connectionComplexity,
    }),
    invites: t.relatedConnection('invites', {
      cursor: 'id',
      description: 'Invites not yet accepted or revoked.',
      authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'members:manage' } }),
      query: { where: { acceptedAt: null, revokedAt: null }, orderBy: { createdAt: 'desc' } },
      complexity: connectionComplexity,
    }),
  }),
});

builder.prismaObject('OrganizationSettings', {
  authScopes: (settings) => ({ permission: { organizationId: settings.organizationId, permission: 'org:read' } }),
  fields: (t) => ({
    timezone: t.exposeString('timezone'),
    requiredApprovals: t.exposeInt('requiredApprovals'),
    aiEnabled: t.exposeBoolean('aiTextEnabled', { deprecationReason: 'Use aiTextEnabled.' }),
    aiTextEnabled: t.exposeBoolean('aiTextEnabled', {
      description:
        'AI writes posts for this organization. Off for a new organization until an owner or admin turns it on.',
    }),
    aiImagesEnabled: t.exposeBoolean('aiImagesEnabled', {
      description: 'AI makes or looks at images for this organization. Off until an owner or admin turns it on.',
    }),
    aiProvider: t.expose('aiProvider', {
      type: AiProvider,
      nullable: true,
      description: "The AI provider this organization uses; null uses the server's.",
    }),
    aiTextModel: t.exposeString('aiTextModel', { nullable: true, description: "null uses the provider's default." }),
    aiImageModel: t.exposeString('aiImageModel', { nullable: true, description: "null uses the provider's default." }),
    analyticsRetentionDays: t.exposeInt('analyticsRetentionDays'),
    rejectedMediaRetentionHours: t.exposeInt('rejectedMediaRetentionHours'),
    requestLogRetentionDays: t.exposeInt('requestLogRetentionDays'),
    auditRetentionDays: t.exposeInt('auditRetentionDays'),
    contactRetentionDays: t.exposeInt('contactRetentionDays', {
      description: 'Contact form submissions older than this many days are purged.',
    }),
    departedMemberMediaRetentionDays: t.exposeInt('departedMemberMediaRetentionDays', {
      description: "Days a removed member's uploads are kept before retention deletes them (0: at its next run).",
    }),
    telegramReviewChatId: t.exposeString('telegramReviewChatId', {
      nullable: true,
      description: "The Telegram chat where the organization's reviewers are told about posts waiting for review.",
    }),
    mediaQuotaBytes: t.expose('mediaQuotaBytes', {
      type: 'BigInt',
      nullable: true,
      description:
        "The organization's own media library quota; null uses the server's (Organization.mediaUsage.quotaBytes is the one in force).",
    }),
  }),
});

export const Membership = builder.prismaNode('Membership', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (m) => ({ permission: { organizationId: m.organizationId, permission: 'members:read' } }),
  fields: (t) => ({
    role: t.expose('role', { type: Role }),
    firstName: t.exposeString('firstName', { nullable: true, description: "The staff record's first name." }),
    lastName: t.exposeString('lastName', { nullable: true, description: "The staff record's last name." }),
    permissions: t.stringList({
      description:
        "What this member's role allows in the organization (`posts:write`, `media:read`...), from the same table every resolver checks: clients offer actions by it instead of keeping a copy of the table.",
      resolve: (m) => [...rolePermissions[m.role]],
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    organization: t.relation('organization'),
    user: t.relation('user'),
  }),
});

export const Invite = builder.prismaNode('Invite', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (invite) => ({ permission: { organizationId: invite.organizationId, permission: 'members:manage' } }),
  fields: (t) => ({
    email: t.exposeString('email'),
    role: t.expose('role', { type: Role }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    invitedBy: t.relation('invitedBy', { nullable: true }),
  }),
});

const InviteWithToken = builder
  .objectRef<{ invite: Awaited<ReturnType<typeof organizations.inviteMember>>['invite']; token: string }>(
    'InviteWithToken',
  )
  .implement({
    fields: (t) => ({
      invite: t.field({ type: Invite, resolve: (result) => result.invite }),
      token: t.exposeString('token', { description: 'Shown once; only its hash is kept.' }),
    }),
  });

builder.queryField('organization', (t) =>
  t.prismaField({
    type: Organization,
    nullable: true,
    args: { id: t.arg.globalID() },
    resolve: (query, _root, args, ctx) =>
      ctx.db.organization.findFirst({
        ...query,
        where: {
          id: { equals: idFor(args.id, 'Organization'), ...inViewerOrganizations(ctx.viewer) },
          deletedAt: null,
        },
      }),
  }),
);

builder.queryField('organizations', (t) =>
  t.prismaField({
    type: [Organization],
    description: 'Organizations the viewer belongs to (for a token: its own).',
    authScopes: { authenticated: true },
    resolve: (query, _root, _args, ctx) =>
      ctx.db.organization.findMany({
        ...query,
        where: { id: inViewerOrganizations(ctx.viewer), deletedAt: null },
        orderBy: { name: 'asc' },
      }),
  }),
);

builder.mutationField('createOrganization', (t) =>
  t.prismaField({
    type: Organization,
    description: 'The viewer becomes its owner; the session cookie is rotated.',
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: { name: t.arg.string(), slug: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const result = await organizations.createOrganization(services(ctx), args);
      ctx.setCookie(result.cookie);
      // The new role is not in this request's viewer yet; read the row directly.
      ctx.viewer =
        ctx.viewer?.kind === 'user'
          ? { ...ctx.viewer, roles: new Map([...ctx.viewer.roles, [result.organization.id, 'OWNER']]) }
          : ctx.viewer;
      return ctx.db.organization.findUniqueOrThrow({ ...selection(query), where: { id: result.organization.id } });
    },
  }),
);

builder.mutationField('updateOrganization', (t) =>
  t.prismaField({
    type: Organization,
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: {
      id: t.arg.globalID(),
      name: t.arg.string({ required: false }),
      timezone: t.arg.string({ required: false }),
      requiredApprovals: t.arg.int({ required: false }),
      contactRetentionDays: t.arg.int({ required: false }),
      departedMemberMediaRetentionDays: t.arg.int({ required: false }),
      telegramReviewChatId: t.arg.string({
        required: false,
        description: 'A chat id (-1001234567890) or @channelname; null stops the Telegram messages.',
      }),
      mediaQuotaBytes: t.arg({
        type: 'BigInt',
        required: false,
        description:
          "Bytes of media originals the organization may store, up to the server's ceiling; null goes back to the server's default.",
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const organization = await organizations.updateOrganization(services(ctx), {
        organizationId: idFor(args.id, 'Organization'),
        name: args.name ?? undefined,
        timezone: args.timezone ?? undefined,
        requiredApprovals: args.requiredApprovals ?? undefined,
        contactRetentionDays: args.contactRetentionDays ?? undefined,
        departedMemberMediaRetentionDays: args.departedMemberMediaRetentionDays ?? undefined,
        // Unlike the others, an explicit null means something: clear it.
        telegramReviewChatId: args.telegramReviewChatId,
        mediaQuotaBytes: args.mediaQuotaBytes,
      });
      return ctx.db.organization.findUniqueOrThrow({ ...selection(query), where: { id: organization.id } });
    },
  }),
);

builder.mutationField('setOrganizationAi', (t) =>
  t.prismaField({
    type: Organization,
    description:
      'Turns AI text and images on or off for the organization and picks its provider and models (owners and admins; audited). Omitted arguments stay as they are; null provider or model goes back to the server default.',
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: {
      organizationId: t.arg.globalID(),
      text: t.arg.boolean({ required: false }),
      images: t.arg.boolean({ required: false }),
      provider: t.arg({ type: AiProvider, required: false }),
      textModel: t.arg.string({ required: false }),
      imageModel: t.arg.string({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const organizationId = idFor(args.organizationId, 'Organization');
      await ai.setOrganizationAi(services(ctx), {
        organizationId,
        text: args.text ?? undefined,
        images: args.images ?? undefined,
        // An explicit null means something here: back to the server's default.
        provider: args.provider,
        textModel: args.textModel,
        imageModel: args.imageModel,
      });
      return ctx.db.organization.findUniqueOrThrow({ ...selection(query), where: { id: organizationId } });
    },
  }),
);

builder.mutationField('inviteMember', (t) =>
  t.field({
    type: InviteWithToken,
    description: 'Mails a single-use invite; the token is also returned, once, to share by hand.',
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: { organizationId: t.arg.globalID(), email: t.arg.string(), role: t.arg({ type: Role }) },
    resolve: (_root, args, ctx) =>
      organizations.inviteMember(services(ctx), {
        organizationId: idFor(args.organizationId, 'Organization'),
        email: args.email,
        role: args.role,
      }),
  }),
);

builder.mutationField('revokeInvite', (t) =>
  t.prismaField({
    type: Invite,
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const invite = await organizations.revokeInvite(services(ctx), idFor(args.id, 'Invite'));
      return ctx.db.invite.findUniqueOrThrow({ ...selection(query), where: { id: invite.id } });
    },
  }),
);

builder.mutationField('acceptInvite', (t) =>
  t.prismaField({
    type: Membership,
    description: 'Joins the organization the invite is for; the session cookie is rotated.',
    authScopes: { person: true },
    errors: { types: [...objectMutationErrors, InvalidInputError] },
    args: { token: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const result = await organizations.acceptInvite(services(ctx), args);
      ctx.setCookie(result.cookie);
      const { membership } = result;
      ctx.viewer =
        ctx.viewer?.kind === 'user'
          ? { ...ctx.viewer, roles: new Map([...ctx.viewer.roles, [membership.organizationId, membership.role]]) }
          : ctx.viewer;
      return ctx.db.membership.findUniqueOrThrow({ ...selection(query), where: { id: membership.id } });
    },
  }),
);

builder.mutationField('changeMemberRole', (t) =>
  t.prismaField({
    type: Membership,
    description: 'Only owners grant or take away OWNER; an organization always keeps one owner.',
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: { membershipId: t.arg.globalID(), role: t.arg({ type: Role }) },
    resolve: async (query, _root, args, ctx) => {
      const membership = await organizations.changeMemberRole(services(ctx), {
        membershipId: idFor(args.membershipId, 'Membership'),
        role: args.role,
      });
      return ctx.db.membership.findUniqueOrThrow({ ...selection(query), where: { id: membership.id } });
    },
  }),
);

builder.mutationField('updateMemberProfile', (t) =>
  t.prismaField({
    type: Membership,
    description:
      "Sets a staff record's first and last name (the member's own, or anyone's with members:manage); an empty string clears one, an omitted one stays.",
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: {
      membershipId: t.arg.globalID(),
      firstName: t.arg.string({ required: false }),
      lastName: t.arg.string({ required: false }),
    },
    resolve: async (query, _root, args, ctx) => {
      const membership = await organizations.updateMemberProfile(services(ctx), {
        membershipId: idFor(args.membershipId, 'Membership'),
        firstName: args.firstName ?? undefined,
        lastName: args.lastName ?? undefined,
      });
      return ctx.db.membership.findUniqueOrThrow({ ...selection(query), where: { id: membership.id } });
    },
  }),
);

builder.mutationField('removeMember', (t) =>
  t.globalID({
    description:
      "Removes a member (or lets the viewer leave); returns the removed membership id. Their uploads are deleted after the organization's departedMemberMediaRetentionDays unless they rejoin first.",
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: { membershipId: t.arg.globalID() },
    resolve: async (_root, args, ctx) => {
      const removed = await organizations.removeMember(services(ctx), idFor(args.membershipId, 'Membership'));
      return { type: 'Membership', id: removed.id };
    },
  }),
);
