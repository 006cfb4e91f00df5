import type { Role } from '@pressroom/db';
import { rolePermissions, type Permission } from './permissions.js';

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
