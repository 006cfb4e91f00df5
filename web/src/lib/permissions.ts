// What each role may do, as the api's table says (api/src/auth/permissions.ts): the dashboard
// offers only what the viewer's role allows; the server still refuses everything else.
export type Role = 'OWNER' | 'ADMIN' | 'EDITOR' | 'REVIEWER' | 'ANALYST';
export type Permission =
  | 'org:manage'
  | 'members:manage'
  | 'tokens:manage'
  | 'audit:read'
  | 'brands:manage'
  | 'brands:write'
  | 'posts:write'
  | 'posts:review'
  | 'posts:schedule'
  | 'publish:retry'
  | 'analytics:read'
  | 'webhooks:write';

const all: Permission[] = [
  'org:manage',
  'members:manage',
  'tokens:manage',
  'audit:read',
  'brands:manage',
  'brands:write',
  'posts:write',
  'posts:review',
  'posts:schedule',
  'publish:retry',
  'analytics:read',
  'webhooks:write',
];

const byRole: Record<Role, ReadonlySet<Permission>> = {
  OWNER: new Set(all),
  ADMIN: new Set(all),
  EDITOR: new Set(['brands:write', 'posts:write', 'posts:schedule', 'analytics:read']),
  REVIEWER: new Set(['posts:review']),
  ANALYST: new Set(['analytics:read']),
};

export function roleAllows(role: Role | null | undefined, permission: Permission): boolean {
  return !!role && byRole[role].has(permission);
}
