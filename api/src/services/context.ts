import type { Database } from '@pressroom/db';
import type { ZodType, z } from 'zod';
import type { Permission } from '../auth/permissions.js';
import { can, canSee, missingPermission, peopleOnly, type Viewer } from '../auth/viewer.js';
import type { ApiConfig } from '../config.js';
import { ForbiddenError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../errors.js';
import type { RequestMeta } from './audit.js';

/** Delivers secrets that must reach a person and nobody else (reset links, invites). */
export interface Mailer {
  sendPasswordReset(email: string, token: string): Promise<void>;
  sendInvite(email: string, organizationName: string, token: string): Promise<void>;
}

/** Everything a service needs; built per request by the api, by hand in service tests. */
export interface ServiceContext {
  db: Database;
  meta: RequestMeta;
  config: ApiConfig;
  mailer: Mailer;
}

export function parseInput<S extends ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw InvalidInputError.fromZod(parsed.error);
  return parsed.data;
}

export function requireViewer(ctx: ServiceContext): Viewer {
  if (!ctx.meta.viewer) throw new UnauthenticatedError(ctx.meta.lapsedCredential ?? undefined);
  return ctx.meta.viewer;
}

export function requireUser(ctx: ServiceContext): Extract<Viewer, { kind: 'user' }> {
  const viewer = requireViewer(ctx);
  // People-only operations (passwords, organizations, invites) are out of a token's reach.
  if (viewer.kind !== 'user') throw new ForbiddenError(peopleOnly);
  return viewer;
}

/**
 * The one gate for tenant-owned rows: an organization the viewer cannot see answers exactly
 * like a missing row; one they can see but may not act in is forbidden.
 */
export function authorize(ctx: ServiceContext, organizationId: string, permission: Permission, what: string): Viewer {
  const viewer = requireViewer(ctx);
  if (!canSee(viewer, organizationId)) throw new NotFoundError(what);
  if (!can(viewer, organizationId, permission))
    throw new ForbiddenError(missingPermission(viewer, organizationId, permission));
  return viewer;
}

/** Runs `work` in one transaction: the change and its audit event land together or not at all. */
export function inTransaction<T>(
  ctx: ServiceContext,
  work: (tx: Parameters<Parameters<Database['$transaction']>[0]>[0]) => Promise<T>,
): Promise<T> {
  return ctx.db.$transaction(work);
}
