import { services } from '../context.js';
import { auditWhere, exportAuditCsv, type AuditFilter } from '../services/audit-log.js';
import { builder, connectionComplexity, isNodeType } from './builder.js';
import { encodeGlobalId, idFor } from './ids.js';
import { Organization } from './organization.js';

const deletionScopeTypes: Record<string, string> = {
  ORGANIZATION: 'Organization',
  USER: 'User',
  SOCIAL_ACCOUNT: 'SocialAccount',
};

builder.prismaObject('AuditEvent', {
  description: 'One change, written in the same transaction as the change itself.',
  authScopes: (event) =>
    event.organizationId !== null && {
      permission: { organizationId: event.organizationId, permission: 'audit:read' },
    },
  fields: (t) => ({
    id: t.field({ type: 'String', resolve: (event) => event.id.toString() }),
    action: t.exposeString('action'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    actor: t.field({
      type: 'ID',
      nullable: true,
      description: 'Global id of the User or ApiToken that acted.',
      resolve: (event) =>
        event.actorUserId
          ? encodeGlobalId('User', event.actorUserId)
          : event.actorApiTokenId
            ? encodeGlobalId('ApiToken', event.actorApiTokenId)
            : null,
    }),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.field({
      type: 'ID',
      nullable: true,
      description: 'Global id of the object acted on (null when it is not something `node` can load, e.g. a session).',
      resolve: (event, _args, _ctx, info) => {
        if (!event.targetType || !event.targetId) return null;
        // Only ids `node` can load are handed out (older rows name deletion scopes: ORGANIZATION ...).
        const typename = deletionScopeTypes[event.targetType] ?? event.targetType;
        return isNodeType(info.schema, typename) ? encodeGlobalId(typename, event.targetId) : null;
      },
    }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    requestId: t.exposeString('requestId', { nullable: true }),
    metadata: t.string({
      nullable: true,
      description: 'Details of the change, as JSON.',
      resolve: (event) => (event.metadata === null ? null : JSON.stringify(event.metadata)),
    }),
  }),
});

const AuditFilterInput = builder.inputType('AuditEventFilter', {
  fields: (t) => ({
    actions: t.stringList({ required: false, description: 'e.g. post.approve, member.change_role' }),
    actor: t.globalID({ required: false, description: 'A User id.' }),
    target: t.globalID({ required: false }),
    since: t.field({ type: 'DateTime', required: false }),
    until: t.field({ type: 'DateTime', required: false }),
  }),
});

type FilterArg = typeof AuditFilterInput.$inferInput | null | undefined;

function filterFrom(organizationId: string, filter: FilterArg): AuditFilter {
  return {
    organizationId,
    actions: filter?.actions ?? undefined,
    // An id of the wrong type matches nothing, like an id of another organization.
    actorUserId: filter?.actor ? (filter.actor.typename === 'User' ? filter.actor.id : '-') : undefined,
    targetId: filter?.target ? filter.target.id : undefined,
    since: filter?.since ?? undefined,
    until: filter?.until ?? undefined,
  };
}

builder.prismaObjectField(Organization, 'auditEvents', (t) =>
  t.prismaConnection({
    type: 'AuditEvent',
    cursor: 'id',
    description: 'Newest first.',
    authScopes: (org) => ({ permission: { organizationId: org.id, permission: 'audit:read' } }),
    args: { filter: t.arg({ type: AuditFilterInput, required: false }) },
    complexity: connectionComplexity,
    resolve: (query, org, args, ctx) =>
      ctx.db.auditEvent.findMany({
        ...query,
        where: auditWhere(services(ctx), filterFrom(org.id, args.filter)),
        orderBy: { id: 'desc' },
      }),
  }),
);

builder.queryField('auditLogCsv', (t) =>
  t.string({
    description: "The organization's audit log as CSV (newest first, at most 10,000 rows).",
    authScopes: { authenticated: true },
    args: { organizationId: t.arg.globalID(), filter: t.arg({ type: AuditFilterInput, required: false }) },
    complexity: 200,
    resolve: (_root, args, ctx) =>
      exportAuditCsv(services(ctx), filterFrom(idFor(args.organizationId, 'Organization'), args.filter)),
  }),
);
