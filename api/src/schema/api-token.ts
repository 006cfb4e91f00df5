import { apiTokenScopes } from '../auth/permissions.js';
import { services } from '../context.js';
import * as organizations from '../services/organizations.js';
import { builder, connectionComplexity } from './builder.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { inViewerOrganizations, Organization } from './organization.js';

export const ApiTokenScope = builder.enumType('ApiTokenScope', {
  description: 'What an integrator token may do, e.g. POSTS_READ is `posts:read`.',
  values: Object.fromEntries(
    apiTokenScopes.map((scope) => [scope.replace(':', '_').toUpperCase(), { value: scope, description: scope }]),
  ),
});

export const ApiToken = builder.prismaNode('ApiToken', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (token) => ({ permission: { organizationId: token.organizationId, permission: 'tokens:manage' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters, to tell tokens apart.' }),
    scopes: t.exposeStringList('scopes'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.relation('createdBy', { nullable: true }),
  }),
});

builder.prismaObjectField(Organization, 'apiTokens', (t) =>
  t.relatedConnection('apiTokens', {
    cursor: 'id',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'tokens:manage' } }),
    query: { orderBy: { createdAt: 'desc' } },
    complexity: connectionComplexity,
  }),
);

const ApiTokenWithSecret = builder
  .objectRef<Awaited<ReturnType<typeof organizations.createApiToken>>>('ApiTokenWithSecret')
  .implement({
    fields: (t) => ({
      apiToken: t.field({ type: ApiToken, resolve: (result) => result.apiToken }),
      token: t.exposeString('token', {
        description: 'Send as `Authorization: Bearer <token>`. Shown once; only its hash is kept.',
      }),
    }),
  });

builder.mutationField('createApiToken', (t) =>
  t.field({
    type: ApiTokenWithSecret,
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: {
      organizationId: t.arg.globalID(),
      name: t.arg.string(),
      scopes: t.arg({ type: [ApiTokenScope] }),
      expiresAt: t.arg({ type: 'DateTime', required: false }),
    },
    resolve: (_root, args, ctx) =>
      organizations.createApiToken(services(ctx), {
        organizationId: idFor(args.organizationId, 'Organization'),
        name: args.name,
        scopes: args.scopes,
        expiresAt: args.expiresAt,
      }),
  }),
);

builder.mutationField('revokeApiToken', (t) =>
  t.prismaField({
    type: ApiToken,
    authScopes: { person: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID() },
    resolve: async (query, _root, args, ctx) => {
      const token = await organizations.revokeApiToken(services(ctx), idFor(args.id, 'ApiToken'));
      return ctx.db.apiToken.findUniqueOrThrow({ ...selection(query), where: { id: token.id } });
    },
  }),
);
