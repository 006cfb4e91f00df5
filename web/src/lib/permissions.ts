// Names of the api's permissions (api/src/auth/permissions.ts) the dashboard asks about. Who
// has which comes from the server (`Membership.permissions`), so the table lives in one place.
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
  | 'webhooks:write'
  | 'media:read'
  | 'media:write'
  | 'ads:manage'
  | 'ads:read'
  | 'ads:bulk'
  | 'ads:alerts'
  | 'ai:use';
