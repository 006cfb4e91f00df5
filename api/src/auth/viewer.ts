import type { Role } from '@pressroom/db';
import { apiTokenScopes, rolePermissions, type Permission } from './permissions.js';

/** Who is making a request: a person through a session, or an integrator through an API token. */
export type Viewer =
  | {
      kind: 'user';
      userId: string;
      sessionId: string;
      /** organizationId → role, read fresh on every request so a demotion bites at once. */
      roles: ReadonlyMap<string, Role>;
    }
  | {
      kind: 'apiToken';
      apiTokenId: string;
      organizationId: string;
      scopes: ReadonlySet<string>;
    };

/** Organizations whose rows this viewer may see at all; anything else is "not found". */
export function visibleOrganizationIds(viewer: Viewer | null): string[] {
  if (!viewer) return [];
  return viewer.kind === 'user' ? [...viewer.roles.keys()] : [viewer.organizationId];
}

export function canSee(viewer: Viewer | null, organizationId: string): boolean {
  if (!viewer) return false;
  return viewer.kind === 'user' ? viewer.roles.has(organizationId) : viewer.organizationId === organizationId;
}

export function can(viewer: Viewer | null, organizationId: string, permission: Permission): boolean {
  if (!viewer) return false;
  if (viewer.kind === 'apiToken') {
    // Any token may see the bare organization it belongs to; everything else needs a scope.
    return viewer.organizationId === organizationId && (permission === 'org:read' || viewer.scopes.has(permission));
  }
  const role = viewer.roles.get(organizationId);
  return role !== undefined && rolePermissions[role].has(permission);
}

/** FORBIDDEN's message for an operation kept from API tokens. */
export const peopleOnly = 'Only a person signed in may do this; API tokens cannot.';

/** FORBIDDEN's message when `can(viewer, organizationId, permission)` said no: what is missing, and whose. */
export function missingPermission(viewer: Viewer, organizationId: string, permission: Permission): string {
  if (viewer.kind === 'apiToken') {
    return (apiTokenScopes as readonly Permission[]).includes(permission)
      ? `This API token lacks the ${permission} scope.`
      : `This needs the ${permission} permission, which API tokens never carry; a person must sign in.`;
  }
  const role = viewer.roles.get(organizationId);
  return role
    ? `This needs the ${permission} permission, which the ${role} role does not have.`
    : `This needs the ${permission} permission in an organization you are not a member of.`;
}

/** Organizations in which the viewer holds `permission`. */
export function organizationsWhere(viewer: Viewer | null, permission: Permission): string[] {
  return visibleOrganizationIds(viewer).filter((organizationId) => can(viewer, organizationId, permission));
}

/** Who an audit event names as its actor. */
export function actorOf(viewer: Viewer | null): { actorUserId: string | null; actorApiTokenId: string | null } {
  if (!viewer) return { actorUserId: null, actorApiTokenId: null };
  return viewer.kind === 'user'
    ? { actorUserId: viewer.userId, actorApiTokenId: null }
    : { actorUserId: null, actorApiTokenId: viewer.apiTokenId };
}
