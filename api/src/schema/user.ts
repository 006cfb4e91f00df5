import { organizationsWhere } from '../auth/viewer.js';
import { services } from '../context.js';
import { ConflictError, InvalidCredentialsError, InvalidInputError, RateLimitedError } from '../errors.js';
import * as accounts from '../services/accounts.js';
import { builder } from './builder.js';
import { selection } from './ids.js';

export const User = builder.prismaNode('User', {
  id: { field: 'id' },
  description:
    'A person. Visible to themselves and, by id, to whoever may list the members of an organization they belong to.',
  // Only oneself, and people of organizations whose members the viewer may list, are found by id.
  findUnique: (id, ctx) => ({
    id,
    deletedAt: null,
    OR: [
      { id: ctx.viewer?.kind === 'user' ? ctx.viewer.userId : '' },
      { memberships: { some: { organizationId: { in: organizationsWhere(ctx.viewer, 'members:read') } } } },
    ],
  }),
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    memberships: t.relation('memberships', {
      description: "The viewer's own organizations; other people's memberships are listed per organization.",
      authScopes: (user, _args, ctx) => ctx.viewer?.kind === 'user' && ctx.viewer.userId === user.id,
      query: { where: { organization: { deletedAt: null } }, orderBy: { createdAt: 'asc' } },
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.prismaField({
    type: User,
    nullable: true,
    description: 'The signed-in person, or null (also for API tokens, which act for an organization).',
    resolve: (query, _root, _args, ctx) =>
      ctx.viewer?.kind === 'user'
        ? ctx.db.user.findUnique({ ...selection(query), where: { id: ctx.viewer.userId } })
        : null,
  }),
);

builder.mutationField('signUp', (t) =>
  t.prismaField({
    type: User,
    description: 'Creates an account and signs it in (sets the session cookie).',
    errors: { types: [InvalidInputError, ConflictError] },
    args: {
      email: t.arg.string(),
      name: t.arg.string(),
      password: t.arg.string(),
    },
    resolve: async (query, _root, args, ctx) => {
      const result = await accounts.signUp(services(ctx), args);
      ctx.setCookie(result.cookie);
      // The rest of this request is the person's, signed in: their own memberships are theirs to read.
      ctx.viewer = result.viewer;
      return ctx.db.user.findUniqueOrThrow({ ...selection(query), where: { id: result.userId } });
    },
  }),
);

builder.mutationField('signIn', (t) =>
  t.prismaField({
    type: User,
    description: 'Starts a session (sets the session cookie). Repeated failures are delayed.',
    errors: { types: [InvalidInputError, InvalidCredentialsError, RateLimitedError] },
    args: { email: t.arg.string(), password: t.arg.string() },
    resolve: async (query, _root, args, ctx) => {
      const result = await accounts.signIn(services(ctx), args);
      ctx.setCookie(result.cookie);
      // The rest of this request is the person's, signed in: their own memberships are theirs to read.
      ctx.viewer = result.viewer;
      return ctx.db.user.findUniqueOrThrow({ ...selection(query), where: { id: result.userId } });
    },
  }),
);

builder.mutationField('signOut', (t) =>
  t.boolean({
    authScopes: { person: true },
    resolve: async (_root, _args, ctx) => {
      ctx.setCookie(await accounts.signOut(services(ctx)));
      return true;
    },
  }),
);

builder.mutationField('signOutEverywhere', (t) =>
  t.int({
    description: "Ends every one of the viewer's sessions, this one included; returns how many.",
    authScopes: { person: true },
    resolve: async (_root, _args, ctx) => {
      const result = await accounts.signOutEverywhere(services(ctx));
      ctx.setCookie(result.cookie);
      return result.count;
    },
  }),
);

builder.mutationField('changePassword', (t) =>
  t.boolean({
    description: 'Other sessions end; this one continues under a new cookie.',
    authScopes: { person: true },
    errors: { types: [InvalidInputError] },
    args: { currentPassword: t.arg.string(), newPassword: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const result = await accounts.changePassword(services(ctx), args);
      ctx.setCookie(result.cookie);
      return true;
    },
  }),
);

builder.mutationField('requestPasswordReset', (t) =>
  t.boolean({
    description: 'Mails a single-use reset link if the account exists; answers the same either way.',
    errors: { types: [InvalidInputError] },
    args: { email: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      await accounts.requestPasswordReset(services(ctx), args);
      return true;
    },
  }),
);

builder.mutationField('resetPassword', (t) =>
  t.boolean({
    description: 'Sets a new password with a reset token; every session of the account ends.',
    errors: { types: [InvalidInputError] },
    args: { token: t.arg.string(), newPassword: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      await accounts.resetPassword(services(ctx), args);
      return true;
    },
  }),
);
