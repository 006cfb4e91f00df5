// The domain services run without GraphQL or HTTP: a hand-made ServiceContext is all they need.
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, temporalAddress, type TestDatabase } from '@pressroom/db/testing';
import { connectTemporalClient, reviewWorkflowId } from '@pressroom/workflows/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Viewer } from '../src/auth/viewer.js';
import { loadApiConfig } from '../src/config.js';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '../src/errors.js';
import * as content from '../src/services/content.js';
import type { ServiceContext } from '../src/services/context.js';
import * as organizations from '../src/services/organizations.js';

let database: TestDatabase;
let db: Database;
let organizationId: string;
let brandId: string;
const userIds: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrismaClient({ databaseUrl: database.url, maxConnections: 2 });
  const organization = await db.organization.create({ data: { name: 'O', slug: 'services-org' } });
  organizationId = organization.id;
  for (const role of ['OWNER', 'EDITOR', 'REVIEWER'] as const) {
    const user = await db.user.create({ data: { email: `${role}@services.test`, name: role, passwordHash: 'x' } });
    await db.membership.create({ data: { organizationId, userId: user.id, role } });
    userIds[role] = user.id;
  }
  brandId = (await db.brand.create({ data: { organizationId, name: 'B', slug: 'b' } })).id;
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

function as(role: 'OWNER' | 'EDITOR' | 'REVIEWER' | null): ServiceContext {
  const viewer: Viewer | null = role
    ? { kind: 'user', userId: userIds[role]!, sessionId: 'none', roles: new Map([[organizationId, role]]) }
    : null;
  return {
    db,
    config: loadApiConfig({
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_TASK_QUEUE: 'services-test',
    }),
    mailer: { sendPasswordReset: () => Promise.resolve(), sendInvite: () => Promise.resolve() },
    meta: { viewer, ip: null, userAgent: null, requestId: 'service-test' },
  };
}

test('review decisions are refused by role and lifecycle before any workflow is asked', async () => {
  // Nothing polls this queue: every refusal below happens before the workflow would answer.
  const temporal = connectTemporalClient({ address: temporalAddress(), namespace: 'default' });
  const post = await content.createPost(as('EDITOR'), { brandId, caption: 'hello', hashtags: ['fall', '#Two'] });
  expect(post.hashtags).toEqual(['#fall', '#Two']);
  await expect(content.reviewPost(as('REVIEWER'), temporal, 'approve', { postId: post.id })).rejects.toBeInstanceOf(
    ConflictError,
  );
  const submitted = await content.submitPostForReview(as('EDITOR'), temporal, { postId: post.id });
  expect(submitted.status).toBe('IN_REVIEW');
  await expect(content.reviewPost(as('EDITOR'), temporal, 'approve', { postId: post.id })).rejects.toBeInstanceOf(
    ForbiddenError,
  );
  await expect(content.reviewPost(as('REVIEWER'), temporal, 'approve', { postId: 'nope' })).rejects.toBeInstanceOf(
    NotFoundError,
  );
  await expect(content.submitPostForReview(as('EDITOR'), temporal, { postId: post.id })).rejects.toBeInstanceOf(
    ConflictError,
  );
  expect(await db.review.count({ where: { postId: post.id } })).toBe(0);
  await temporal.workflow.getHandle(reviewWorkflowId(post.id)).terminate('test over');
  await temporal.connection.close();
});

test('input is validated before anything is read or written', async () => {
  const before = await db.post.count();
  await expect(content.createPost(as('EDITOR'), { brandId, caption: 'x'.repeat(5000) })).rejects.toBeInstanceOf(
    InvalidInputError,
  );
  expect(await db.post.count()).toBe(before);
});

test('the last owner cannot be demoted, even by themselves', async () => {
  const owner = await db.membership.findFirstOrThrow({ where: { organizationId, role: 'OWNER' } });
  await expect(
    organizations.changeMemberRole(as('OWNER'), { membershipId: owner.id, role: 'EDITOR' }),
  ).rejects.toBeInstanceOf(ConflictError);
  expect((await db.membership.findUniqueOrThrow({ where: { id: owner.id } })).role).toBe('OWNER');
  expect(await db.auditEvent.count({ where: { action: 'member.change_role' } })).toBe(0);
});
