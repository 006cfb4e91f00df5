import type { Role } from '@pressroom/db';

/**
 * What a request may do inside one organization. Roles grant sets of permissions; API tokens
 * carry a subset of them as explicit scopes. Every field and mutation names the permission
 * it needs, so this table is the whole RBAC policy.
 */
export const permissions = [
  'org:read',
  'org:manage',
  'members:read',
  'members:manage',
  'tokens:manage',
  'audit:read',
  'brands:read',
  'brands:manage',
  'brands:write',
  'posts:read',
  'posts:write',
  'posts:review',
  'posts:schedule',
  'publish:retry',
  'analytics:read',
  'webhooks:read',
  'webhooks:write',
  'media:read',
  'media:write',
  /** Send the organization's uploads to its AI provider: caption suggestions, video reviews. */
  'ai:use',
  /** Connect and disconnect TikTok for Business, sync its inventory on demand (people only). */
  'ads:manage',
  /** Read the ads inventory and reports, export them, keep report views. */
  'ads:read',
  /** Run bulk changes (enable, pause, budgets) on campaigns, ad groups and ads. */
  'ads:bulk',
  /** Create, change and delete alert rules (spend, cost per conversion, rejected ads, broken connections). */
  'ads:alerts',
] as const;

export type Permission = (typeof permissions)[number];

const everyone: Permission[] = ['org:read', 'members:read', 'brands:read', 'posts:read', 'media:read'];

export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  OWNER: new Set(permissions),
  ADMIN: new Set(permissions),
  EDITOR: new Set([
    ...everyone,
    'brands:write',
    'posts:write',
    'posts:schedule',
    'analytics:read',
    'media:write',
    'ai:use',
    'ads:read',
  ]),
  REVIEWER: new Set([...everyone, 'posts:review']),
  ANALYST: new Set([...everyone, 'analytics:read', 'ads:read']),
};

/**
 * Scopes an integrator's token may carry. Managing people, tokens and the organization itself
 * stays with people signed in, so a leaked token cannot mint more access.
 */
export const apiTokenScopes = [
  'org:read',
  'members:read',
  'brands:read',
  'brands:write',
  'posts:read',
  'posts:write',
  'posts:review',
  'posts:schedule',
  'publish:retry',
  'analytics:read',
  'audit:read',
  'webhooks:read',
  'webhooks:write',
  'media:read',
  'media:write',
  'ai:use',
  'ads:read',
  'ads:bulk',
  'ads:alerts',
] as const satisfies readonly Permission[];

export type ApiTokenScope = (typeof apiTokenScopes)[number];

/** Roles ordered by reach: a member may grant or change only roles at or below their own. */
export const roleRank: Record<Role, number> = { OWNER: 4, ADMIN: 3, EDITOR: 1, REVIEWER: 1, ANALYST: 1 };
