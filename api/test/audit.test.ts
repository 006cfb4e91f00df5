import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import {
  gid,
  seedOrganization,
  seedUser,
  startTestApi,
  testPassword,
  unique,
  type SeededOrganization,
  type TestApi,
  type TestClient,
} from './kit.js';
import { operations } from './operations.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi({}, { worker: {} });
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

const userAgent = 'pressroom-audit-test/1.0';

interface Expected {
  action: string;
  targetType: string;
  targetId?: string;
  actorUserId: string | null;
  organizationId: string | null;
}

/** Runs one mutation with a known request id and checks the one audit event it wrote. */
async function expectAudited(
  client: TestClient,
  document: string,
  variables: Record<string, unknown>,
  expected: (data: Record<string, unknown>) => Expected | Promise<Expected>,
) {
  const requestId = `audit-${randomUUID()}`;
  // Workflows started by earlier mutations (exports, deletions) audit their own steps as they
  // run, without a request: only events written by requests are counted here.
  const byRequests = { requestId: { not: null } };
  const before = await api.db.auditEvent.count({ where: byRequests });
  const response = await client.gql(document, variables, { 'x-request-id': requestId, 'user-agent': userAgent });
  expect(response.body.errors).toBeUndefined();
  expect(response.headers.get('x-request-id')).toBe(requestId);
  const events = await api.db.auditEvent.findMany({ where: { requestId } });
  expect(events).toHaveLength(1);
  expect(await api.db.auditEvent.count({ where: byRequests })).toBe(before + 1);
  const want = await expected(response.body.data as Record<string, unknown>);
  const event = events[0]!;
  expect(event).toMatchObject({
    action: want.action,
    targetType: want.targetType,
    actorUserId: want.actorUserId,
    organizationId: want.organizationId,
    userAgent,
    requestId,
  });
  expect(event.ip).toMatch(/127\.0\.0\.1$/);
  if (want.targetId) expect(event.targetId).toBe(want.targetId);
  else expect(event.targetId).toBeTruthy();
  return response;
}

const covered = new Set<string>();

test.each(operations.filter((operation) => operation.kind === 'mutation'))(
  '$name writes its audit event in its organization',
  async (operation) => {
    covered.add(operation.name);
    const prepared = await operation.prepare(api, org);
    await expectAudited(org.members.OWNER.client, operation.document, prepared.variables, () => ({
      action: operation.audit!.action,
      targetType: operation.audit!.targetType,
      targetId: prepared.targetId,
      actorUserId: org.members.OWNER.userId,
      organizationId: org.organization.id,
    }));
  },
);

test('an API token is named as the actor', async () => {
  const { db } = api;
  const token = `prt_${randomSecret()}`;
  const row = await db.apiToken.create({
    data: {
      organizationId: org.organization.id,
      name: 't',
      prefix: token.slice(0, 10),
      tokenHash: sha256(token),
      scopes: ['posts:write'],
    },
  });
  const requestId = `audit-${randomUUID()}`;
  await api.withToken(token).gql(
    `mutation($id: ID!) { createPost(brandId: $id, caption: "By token") { __typename } }`,
    { id: org.brand.gid },
    {
      'x-request-id': requestId,
    },
  );
  const event = await db.auditEvent.findFirstOrThrow({ where: { requestId } });
  expect(event).toMatchObject({ action: 'post.create', actorApiTokenId: row.id, actorUserId: null });
});

test('people and sessions: every mutation is audited', async () => {
  const anonymous = api.anonymous();
  const email = `${unique('signup')}@example.test`;
  const signUp = await expectAudited(
    anonymous,
    `mutation($email: String!, $password: String!) { signUp(email: $email, name: "New", password: $password) { __typename ... on MutationSignUpSuccess { data { id } } } }`,
    { email, password: testPassword },
    async () => {
      const user = await api.db.user.findUniqueOrThrow({ where: { email } });
      return {
        action: 'user.sign_up',
        targetType: 'User',
        targetId: user.id,
        actorUserId: user.id,
        organizationId: null,
      };
    },
  );
  expect(signUp.body.data).toMatchObject({ signUp: { __typename: 'MutationSignUpSuccess' } });
  covered.add('signUp');
  const user = await api.db.user.findUniqueOrThrow({ where: { email } });
  const person = { actorUserId: user.id, organizationId: null };

  const client = api.anonymous();
  await expectAudited(
    client,
    `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { __typename } }`,
    { email, password: testPassword },
    () => ({ action: 'session.sign_in', targetType: 'Session', ...person }),
  );
  covered.add('signIn');

  await expectAudited(
    client,
    `mutation { changePassword(currentPassword: "${testPassword}", newPassword: "another long password") { __typename } }`,
    {},
    () => ({ action: 'user.change_password', targetType: 'User', targetId: user.id, ...person }),
  );
  covered.add('changePassword');

  const slug = unique('made').toLowerCase();
  await expectAudited(
    client,
    `mutation($slug: String!) { createOrganization(name: "Made", slug: $slug) { __typename } }`,
    { slug },
    async () => {
      const made = await api.db.organization.findUniqueOrThrow({ where: { slug } });
      return {
        action: 'organization.create',
        targetType: 'Organization',
        targetId: made.id,
        ...person,
        organizationId: made.id,
      };
    },
  );
  covered.add('createOrganization');

  const inviteToken = randomSecret();
  const invite = await api.db.invite.create({
    data: {
      organizationId: org.organization.id,
      email,
      role: 'ANALYST',
      tokenHash: sha256(inviteToken),
      expiresAt: new Date(Date.now() + 60_000),
    },
  });
  await expectAudited(
    client,
    `mutation($token: String!) { acceptInvite(token: $token) { __typename } }`,
    { token: inviteToken },
    async () => {
      const membership = await api.db.membership.findUniqueOrThrow({
        where: { organizationId_userId: { organizationId: org.organization.id, userId: user.id } },
      });
      expect(invite.id).toBeTruthy();
      return {
        action: 'invite.accept',
        targetType: 'Membership',
        targetId: membership.id,
        ...person,
        organizationId: org.organization.id,
      };
    },
  );
  covered.add('acceptInvite');

  await expectAudited(client, `mutation { signOut }`, {}, () => ({
    action: 'session.sign_out',
    targetType: 'Session',
    ...person,
  }));
  covered.add('signOut');

  const other = await seedUser(api.db);
  const otherClient = await api.signedInAs(other.id);
  await expectAudited(
    otherClient,
    `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { __typename } }`,
    { ids: [gid('Notification', 'none')] },
    () => ({
      action: 'notification.mark_read',
      targetType: 'User',
      targetId: other.id,
      actorUserId: other.id,
      organizationId: null,
    }),
  );
  covered.add('markNotificationsRead');

  await expectAudited(otherClient, `mutation { signOutEverywhere }`, {}, () => ({
    action: 'session.sign_out_everywhere',
    targetType: 'User',
    targetId: other.id,
    actorUserId: other.id,
    organizationId: null,
  }));
  covered.add('signOutEverywhere');

  await expectAudited(
    api.anonymous(),
    `mutation($email: String!) { requestPasswordReset(email: $email) { __typename } }`,
    { email: other.email },
    () => ({
      action: 'user.request_password_reset',
      targetType: 'User',
      targetId: other.id,
      actorUserId: other.id,
      organizationId: null,
    }),
  );
  covered.add('requestPasswordReset');
  const mail = api.mail.find((sent) => sent.kind === 'password-reset' && sent.email === other.email)!;
  await expectAudited(
    api.anonymous(),
    `mutation($token: String!) { resetPassword(token: $token, newPassword: "a brand new password") { __typename } }`,
    { token: mail.token },
    () => ({
      action: 'user.reset_password',
      targetType: 'User',
      targetId: other.id,
      actorUserId: other.id,
      organizationId: null,
    }),
  );
  covered.add('resetPassword');
});

test('uploadBrandAsset writes its audit event', async () => {
  const requestId = `audit-${randomUUID()}`;
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(16)]);
  const response = await org.members.OWNER.client.upload(
    `mutation($brand: ID!, $file: File!) { uploadBrandAsset(brandId: $brand, kind: IMAGE, file: $file) { __typename } }`,
    { brand: org.brand.gid },
    { name: 'a.png', type: 'image/png', bytes: png },
    { 'x-pressroom-csrf': '1', 'x-request-id': requestId, 'user-agent': userAgent },
  );
  expect(response.body.data).toEqual({ uploadBrandAsset: { __typename: 'MutationUploadBrandAssetSuccess' } });
  const asset = await api.db.brandAsset.findFirstOrThrow({ where: { filename: 'a.png' } });
  const events = await api.db.auditEvent.findMany({ where: { requestId } });
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    action: 'brand_asset.upload',
    targetType: 'BrandAsset',
    targetId: asset.id,
    actorUserId: org.members.OWNER.userId,
    organizationId: org.organization.id,
    userAgent,
  });
  covered.add('uploadBrandAsset');
});

test('a refused change writes no audit event', async () => {
  const before = await api.db.auditEvent.count();
  const response = await org.members.OWNER.client.gql(
    `mutation($id: ID!) { approvePost(id: $id) { __typename ... on Error { code } } }`,
    { id: org.posts.draft.gid },
  );
  expect(response.body.data).toEqual({ approvePost: { __typename: 'ConflictError', code: 'CONFLICT' } });
  expect(await api.db.auditEvent.count()).toBe(before);
});

test('every Mutation field of the schema was covered above', async () => {
  const response = await org.members.OWNER.client.gql<{ __type: { fields: Array<{ name: string }> } }>(
    `{ __type(name: "Mutation") { fields { name } } }`,
  );
  const names = response.body.data!.__type.fields.map((field) => field.name).sort();
  expect(names.length).toBeGreaterThan(20);
  expect(names.filter((name) => !covered.has(name))).toEqual([]);
});

test('audit queries filter and paginate, and the CSV export carries the same events', async () => {
  const client = org.members.ADMIN.client;
  const page = async (after?: string) =>
    client.gql<{
      organization: {
        auditEvents: {
          edges: Array<{ cursor: string; node: { action: string; targetId: string | null } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    }>(
      `query($id: ID!, $after: String, $target: ID) { organization(id: $id) {
        auditEvents(first: 2, after: $after, filter: { actions: ["post.create", "post.update"], target: $target }) {
          edges { cursor node { action targetId } } pageInfo { hasNextPage endCursor }
        } } }`,
      { id: org.organization.gid, after },
    );
  const first = await page();
  expect(first.body.errors).toBeUndefined();
  const firstPage = first.body.data!.organization.auditEvents;
  expect(firstPage.edges).toHaveLength(2);
  expect(firstPage.pageInfo.hasNextPage).toBe(true);
  const second = (await page(firstPage.pageInfo.endCursor)).body.data!.organization.auditEvents;
  const actions = [...firstPage.edges, ...second.edges].map((edge) => edge.node.action);
  expect(new Set(actions)).toEqual(new Set(['post.create', 'post.update']));
  expect(second.edges[0]!.cursor).not.toBe(firstPage.edges[1]!.cursor);

  const csv = await client.gql<{ auditLogCsv: string }>(
    `query($id: ID!) { auditLogCsv(organizationId: $id, filter: { actions: ["post.create"] }) }`,
    { id: org.organization.gid },
  );
  const lines = csv.body.data!.auditLogCsv.trim().split('\r\n');
  expect(lines[0]).toBe(
    'id,createdAt,action,actorUserId,actorApiTokenId,targetType,targetId,ip,userAgent,requestId,metadata',
  );
  const count = await api.db.auditEvent.count({
    where: { organizationId: org.organization.id, action: 'post.create' },
  });
  expect(lines).toHaveLength(count + 1);
  expect(lines.slice(1).every((line) => line.split(',')[2] === 'post.create')).toBe(true);
  expect(gid('Organization', org.organization.id)).toBe(org.organization.gid);
});
