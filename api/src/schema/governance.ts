import type { DeletionScope as DeletionScopeValue, RequestScope as RequestScopeValue } from '@pressroom/db';
import type { RequestStatus as RequestStatusValue } from '@pressroom/db';
import { services } from '../context.js';
import { NotFoundError } from '../errors.js';
import * as governance from '../services/governance.js';
import { builder } from './builder.js';
import { objectMutationErrors } from './errors.js';
import { idFor, selection } from './ids.js';
import { inViewerOrganizations } from './organization.js';

const RequestStatus = builder.enumType('RequestStatus', {
  values: ['PENDING', 'RUNNING', 'COMPLETED', 'FAILED'] as const satisfies readonly RequestStatusValue[],
});
const RequestScope = builder.enumType('RequestScope', {
  values: ['ORGANIZATION', 'USER'] as const satisfies readonly RequestScopeValue[],
});
const DeletionScope = builder.enumType('DeletionScope', {
  values: ['ORGANIZATION', 'USER', 'SOCIAL_ACCOUNT'] as const satisfies readonly DeletionScopeValue[],
});

// Reachable as the answer to the mutation that made them and by `node`, to whoever may make them.
const DataExportRequest = builder.prismaNode('DataExportRequest', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, organizationId: inViewerOrganizations(ctx.viewer) }),
  authScopes: (request) => ({ permission: { organizationId: request.organizationId, permission: 'org:manage' } }),
  fields: (t) => ({
    scope: t.expose('scope', { type: RequestScope }),
    status: t.expose('status', { type: RequestStatus }),
    error: t.exposeString('error', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
  }),
});

/** A person's own deletion has no organization: only they see it. */
const DeletionRequest = builder.prismaNode('DeletionRequest', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({
    id,
    OR: [
      { organizationId: inViewerOrganizations(ctx.viewer) },
      { organizationId: null, requestedById: ctx.viewer?.kind === 'user' ? ctx.viewer.userId : '-' },
    ],
  }),
  authScopes: (request, ctx) =>
    request.organizationId === null
      ? ctx.viewer?.kind === 'user' && ctx.viewer.userId === request.requestedById
      : {
          permission: {
            organizationId: request.organizationId,
            // The permission its kind of request needs (see deletionTarget).
            permission: request.scope === 'SOCIAL_ACCOUNT' ? 'brands:manage' : 'org:manage',
          },
        },
  fields: (t) => ({
    scope: t.expose('scope', { type: DeletionScope }),
    status: t.expose('status', { type: RequestStatus }),
    error: t.exposeString('error', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.mutationField('requestDataExport', (t) =>
  t.prismaField({
    type: DataExportRequest,
    description:
      "Starts a machine-readable archive of the organization's data, or of one member's (`userId`) (org:manage).",
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { organizationId: t.arg.globalID(), userId: t.arg.globalID({ required: false }) },
    resolve: async (query, _root, args, ctx) => {
      if (!ctx.temporal) throw new Error('no workflow client on this transport');
      const request = await governance.requestDataExport(services(ctx), ctx.temporal, {
        organizationId: idFor(args.organizationId, 'Organization'),
        subjectUserId: args.userId ? idFor(args.userId, 'User') : undefined,
      });
      return ctx.db.dataExportRequest.findUniqueOrThrow({ ...selection(query), where: { id: request.id } });
    },
  }),
);

const deletionScopeOf: Record<string, governance.DeletionSubject['scope']> = {
  SocialAccount: 'SOCIAL_ACCOUNT',
  User: 'USER',
  Organization: 'ORGANIZATION',
};

builder.mutationField('requestAccountDeletion', (t) =>
  t.prismaField({
    type: DeletionRequest,
    description:
      'Deletes a social account (brands:manage), your own user, or an organization (owners only): platform grants revoked, media removed, personal data erased.',
    authScopes: { authenticated: true },
    errors: { types: objectMutationErrors },
    args: { id: t.arg.globalID({ description: 'A SocialAccount, User or Organization id.' }) },
    resolve: async (query, _root, args, ctx) => {
      if (!ctx.temporal) throw new Error('no workflow client on this transport');
      const scope = deletionScopeOf[args.id.typename];
      if (!scope) throw new NotFoundError(args.id.typename);
      const request = await governance.requestAccountDeletion(services(ctx), ctx.temporal, { scope, id: args.id.id });
      return ctx.db.deletionRequest.findUniqueOrThrow({ ...selection(query), where: { id: request.id } });
    },
  }),
);
