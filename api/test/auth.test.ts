import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sha256 } from '../src/auth/secrets.js';
import { withRenderedSlide } from './operations.js';
import {
  gid,
  seedApiToken,
  seedOrganization,
  seedUser,
  startTestApi,
  testPassword,
  unique,
  type SeededOrganization,
  type TestApi,
  type TestClient,
} from './kit.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi({ SIGN_IN_FREE_FAILURES: '3' }, { worker: {} });
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

const signInDocument = `mutation($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    __typename
    ... on Error { code message }
    ... on RateLimitedError { retryAfterSeconds }
    ... on MutationSignInSuccess { data { id email } }
  }
}`;

async function viewerEmail(client: TestClient): Promise<string | null> {
  const response = await client.gql<{ viewer: { email: string } | null }>(`{ viewer { email } }`);
  return response.body.data?.viewer?.email ?? null;
}

describe('sessions', () => {
  test('sign up sets an httpOnly, Secure, SameSite cookie holding a signed secret that the database keeps only hashed', async () => {
    const client = api.anonymous();
    const email = `${unique('a')}@example.test`;
    const response = await client.request({
      body: JSON.stringify({
        query: `mutation($email: String!) { signUp(email: $email, name: "Ann", password: "${testPassword}") { __typename } }`,
        variables: { email },
      }),
      headers: { 'content-type': 'application/json' },
    });
    const setCookie = response.headers.getSetCookie()[0]!;
    expect(setCookie).toMatch(/^__Host-pressroom_session=[\w-]+\.[\w-]+; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('Secure');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toMatch(/Expires=/);
    const secret = client.cookie!.split('=')[1]!.split('.')[0]!;
    const user = await api.db.user.findUniqueOrThrow({ where: { email }, include: { sessions: true } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.sessions).toHaveLength(1);
    expect(user.sessions[0]!.tokenHash).toBe(sha256(secret));
    expect(await viewerEmail(client)).toBe(email);
  });

  // Found by the fuzz suite: the answer to signUp/signIn was read as the anonymous caller, so
  // selecting the new person's memberships answered UNAUTHENTICATED with no data although the
  // account (or session) had been made.
  test('sign up and sign in answer with the person as signed in: their own memberships are readable', async () => {
    const email = `${unique('member')}@example.test`;
    const anonymous = api.anonymous();
    const signedUp = await anonymous.gql<{ signUp: { data: { email: string; memberships: unknown[] } } }>(
      `mutation($email: String!) { signUp(email: $email, name: "Ann", password: "${testPassword}") {
        ... on MutationSignUpSuccess { data { email memberships { id } } } } }`,
      { email },
    );
    expect(signedUp.body.errors).toBeUndefined();
    expect(signedUp.body.data?.signUp.data).toEqual({ email, memberships: [] });

    const member = org.members.EDITOR;
    const user = await api.db.user.findUniqueOrThrow({ where: { id: member.userId } });
    const signedIn = await api
      .anonymous()
      .gql<{ signIn: { data: { memberships: Array<{ id: string; role: string }> } } }>(
        `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) {
        ... on MutationSignInSuccess { data { memberships { id role } } } } }`,
        { email: user.email, password: testPassword },
      );
    expect(signedIn.body.errors).toBeUndefined();
    expect(signedIn.body.data?.signIn.data.memberships).toEqual([
      { id: gid('Membership', member.membershipId), role: 'EDITOR' },
    ]);
  });

  test('a tampered, unsigned or expired cookie is nobody', async () => {
    const user = await seedUser(api.db);
    const client = await api.signedInAs(user.id);
    expect(await viewerEmail(client)).toBe(user.email);
    const [name, value] = client.cookie!.split('=') as [string, string];
    const [secret, signature] = value.split('.') as [string, string];
    for (const forged of [`${secret}x.${signature}`, secret, `${secret}.${signature.slice(1)}A`]) {
      const forger = api.anonymous();
      forger.cookie = `${name}=${forged}`;
      expect(await viewerEmail(forger)).toBeNull();
    }
    await api.db.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await viewerEmail(client)).toBeNull();
  });

  test('sign out ends the session; sign out everywhere ends all of them', async () => {
    const user = await seedUser(api.db);
    const [one, two, three] = [
      await api.signedInAs(user.id),
      await api.signedInAs(user.id),
      await api.signedInAs(user.id),
    ];
    const stolenCookie = one.cookie;
    expect((await one.gql(`mutation { signOut }`)).body.data).toEqual({ signOut: true });
    expect(one.cookie).toBeNull();
    const replay = api.anonymous();
    replay.cookie = stolenCookie;
    expect(await viewerEmail(replay)).toBeNull();
    expect(await viewerEmail(two)).toBe(user.email);
    expect((await two.gql(`mutation { signOutEverywhere }`)).body.data).toEqual({ signOutEverywhere: 2 });
    expect(await viewerEmail(two)).toBeNull();
    expect(await viewerEmail(three)).toBeNull();
  });

  test('the session id is rotated when privileges change (new organization, accepted invite)', async () => {
    const user = await seedUser(api.db);
    const client = await api.signedInAs(user.id);
    const before = client.cookie;
    const created = await client.gql(
      `mutation($slug: String!) { createOrganization(name: "Mine", slug: $slug) { __typename ... on MutationCreateOrganizationSuccess { data { viewerRole } } } }`,
      { slug: unique('mine').toLowerCase() },
    );
    expect(created.body.data).toEqual({
      createOrganization: { __typename: 'MutationCreateOrganizationSuccess', data: { viewerRole: 'OWNER' } },
    });
    expect(client.cookie).not.toBe(before);
    const old = api.anonymous();
    old.cookie = before;
    expect(await viewerEmail(old)).toBeNull();
    expect(await viewerEmail(client)).toBe(user.email);
  });

  test('changing the password ends other sessions and keeps this one under a new cookie', async () => {
    const user = await seedUser(api.db);
    const client = await api.signedInAs(user.id);
    const other = await api.signedInAs(user.id);
    const wrong = await client.gql(
      `mutation { changePassword(currentPassword: "not it", newPassword: "long enough password") { __typename ... on ValidationError { issues { path } } } }`,
    );
    expect(wrong.body.data).toEqual({
      changePassword: { __typename: 'ValidationError', issues: [{ path: 'currentPassword' }] },
    });
    const before = client.cookie;
    const changed = await client.gql(
      `mutation { changePassword(currentPassword: "${testPassword}", newPassword: "long enough password") { __typename } }`,
    );
    expect(changed.body.data).toEqual({ changePassword: { __typename: 'MutationChangePasswordSuccess' } });
    expect(client.cookie).not.toBe(before);
    expect(await viewerEmail(client)).toBe(user.email);
    expect(await viewerEmail(other)).toBeNull();
    const signIn = await api.anonymous().gql(signInDocument, { email: user.email, password: 'long enough password' });
    expect(signIn.body.data).toMatchObject({ signIn: { __typename: 'MutationSignInSuccess' } });
  });

  test('a reset token works once, within its time, and ends every session', async () => {
    const user = await seedUser(api.db);
    const session = await api.signedInAs(user.id);
    const unknown = await api
      .anonymous()
      .gql(`mutation { requestPasswordReset(email: "nobody@example.test") { __typename } }`);
    expect(unknown.body.data).toEqual({ requestPasswordReset: { __typename: 'MutationRequestPasswordResetSuccess' } });
    await api
      .anonymous()
      .gql(`mutation($e: String!) { requestPasswordReset(email: $e) { __typename } }`, { e: user.email });
    const token = api.mail.filter((m) => m.email === user.email && m.kind === 'password-reset').at(-1)!.token;
    expect(await api.db.passwordResetToken.count({ where: { tokenHash: sha256(token) } })).toBe(1);
    const reset = `mutation($t: String!) { resetPassword(token: $t, newPassword: "reset password 123") { __typename ... on Error { code } } }`;
    expect((await api.anonymous().gql(reset, { t: token })).body.data).toEqual({
      resetPassword: { __typename: 'MutationResetPasswordSuccess' },
    });
    expect(await viewerEmail(session)).toBeNull();
    expect((await api.anonymous().gql(reset, { t: token })).body.data).toEqual({
      resetPassword: { __typename: 'ValidationError', code: 'BAD_USER_INPUT' },
    });
    await api
      .anonymous()
      .gql(`mutation($e: String!) { requestPasswordReset(email: $e) { __typename } }`, { e: user.email });
    const late = api.mail.filter((m) => m.email === user.email).at(-1)!.token;
    await api.db.passwordResetToken.update({
      where: { tokenHash: sha256(late) },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect((await api.anonymous().gql(reset, { t: late })).body.data).toEqual({
      resetPassword: { __typename: 'ValidationError', code: 'BAD_USER_INPUT' },
    });
  });
});

describe('sign-in throttling', () => {
  test('repeated wrong passwords for one account get RATE_LIMITED, with growing delays, even with the right password', async () => {
    const user = await seedUser(api.db);
    const typenames: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await api.anonymous().gql(signInDocument, { email: user.email, password: `wrong ${i}` });
      typenames.push((response.body.data as { signIn: { __typename: string } }).signIn.__typename);
    }
    expect(typenames).toEqual(['InvalidCredentialsError', 'InvalidCredentialsError', 'InvalidCredentialsError']);
    // The fourth failure is counted and starts the delay.
    await api.anonymous().gql(signInDocument, { email: user.email, password: 'wrong 4' });
    const blocked = await api.anonymous().gql(signInDocument, { email: user.email, password: testPassword });
    expect(blocked.body.data).toMatchObject({ signIn: { __typename: 'RateLimitedError', code: 'RATE_LIMITED' } });
    const first = (blocked.body.data as { signIn: { retryAfterSeconds: number } }).signIn.retryAfterSeconds;
    expect(first).toBeGreaterThanOrEqual(1);
    // Further failures (as if from another instance: the bucket is in the database) double the delay.
    const bucket = await api.db.rateLimitBucket.findUniqueOrThrow({ where: { key: `sign-in:account:${user.email}` } });
    expect(bucket.failures).toBe(4);
    await api.db.rateLimitBucket.update({ where: { key: bucket.key }, data: { blockedUntil: null } });
    await api.anonymous().gql(signInDocument, { email: user.email, password: 'wrong 5' });
    await api
      .anonymous()
      .gql(signInDocument, { email: user.email, password: 'wrong 6' })
      .then(() => undefined);
    const later = await api.anonymous().gql(signInDocument, { email: user.email, password: testPassword });
    const second = (later.body.data as { signIn: { retryAfterSeconds: number } }).signIn.retryAfterSeconds;
    expect(second).toBeGreaterThan(first);
    expect(await api.db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  test('the right password before any block signs in and clears the account counter', async () => {
    const user = await seedUser(api.db);
    await api.anonymous().gql(signInDocument, { email: user.email, password: 'wrong' });
    const ok = await api.anonymous().gql(signInDocument, { email: user.email, password: testPassword });
    expect(ok.body.data).toMatchObject({
      signIn: { __typename: 'MutationSignInSuccess', data: { email: user.email } },
    });
    expect(await api.db.rateLimitBucket.count({ where: { key: `sign-in:account:${user.email}` } })).toBe(0);
  });

  test('unknown accounts answer exactly like wrong passwords', async () => {
    const known = await seedUser(api.db);
    const a = await api.anonymous().gql(signInDocument, { email: known.email, password: 'nope' });
    const b = await api.anonymous().gql(signInDocument, { email: `${unique('ghost')}@example.test`, password: 'nope' });
    expect(a.body.data).toEqual(b.body.data);
  });
});

describe('API tokens', () => {
  test('shown once, stored hashed, record last use, expire and can be revoked', async () => {
    const admin = org.members.ADMIN.client;
    const created = await admin.gql<{
      createApiToken: { data: { token: string; apiToken: { id: string; prefix: string; scopes: string[] } } };
    }>(
      `mutation($id: ID!) { createApiToken(organizationId: $id, name: "Zapier", scopes: [POSTS_READ, ANALYTICS_READ]) {
        ... on MutationCreateApiTokenSuccess { data { token apiToken { id prefix scopes } } } } }`,
      { id: org.organization.gid },
    );
    const { token, apiToken } = created.body.data!.createApiToken.data;
    expect(token).toMatch(/^prt_/);
    expect(apiToken.scopes).toEqual(['posts:read', 'analytics:read']);
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    const row = await api.db.apiToken.findFirstOrThrow({ where: { name: 'Zapier' } });
    expect(row.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.lastUsedAt).toBeNull();
    const listed = await admin.gql(
      `query($id: ID!) { organization(id: $id) { apiTokens(first: 50) { edges { node { prefix } } } } }`,
      {
        id: org.organization.gid,
      },
    );
    expect(JSON.stringify(listed.body)).not.toContain(token);

    const integrator = api.withToken(token);
    const read = await integrator.gql(
      `query($id: ID!) { organization(id: $id) { posts(first: 1) { edges { node { id } } } } }`,
      {
        id: org.organization.gid,
      },
    );
    expect(read.body.errors).toBeUndefined();
    expect((await api.db.apiToken.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt).not.toBeNull();
    expect((await integrator.gql(`{ viewer { id } }`)).body.data).toEqual({ viewer: null });

    await admin.gql(`mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }`, { id: apiToken.id });
    const revoked = await integrator.gql(`{ organizations { id } }`);
    expect(revoked.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await api.db.apiToken.update({
      where: { id: row.id },
      data: { revokedAt: null, expiresAt: new Date(Date.now() - 1) },
    });
    expect((await integrator.gql(`{ organizations { id } }`)).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    expect(
      (await api.withToken('prt_made-up').gql(`{ organizations { id } }`)).body.errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
  });

  test('people are found by id only with members:read', async () => {
    const userId = gid('User', org.members.EDITOR.userId);
    const lookup = `query($id: ID!) { node(id: $id) { ... on User { email } } }`;
    const withoutScope = await seedApiToken(api, org.organization.id, ['posts:read']);
    expect((await withoutScope.client.gql(lookup, { id: userId })).body.data).toEqual({ node: null });
    const withScope = await seedApiToken(api, org.organization.id, ['members:read']);
    expect((await withScope.client.gql(lookup, { id: userId })).body.data).toEqual({
      node: { email: expect.stringContaining('@example.test') as unknown },
    });
  });

  test('a token cannot be given a scope outside the list', async () => {
    const bad = await org.members.OWNER.client.gql(
      `mutation($id: ID!) { createApiToken(organizationId: $id, name: "x", scopes: [MEMBERS_MANAGE]) { __typename } }`,
      { id: org.organization.gid },
    );
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('tenancy', () => {
  test('invites are single use, expire, and must be accepted by the invited email', async () => {
    const owner = org.members.OWNER.client;
    const invitee = await seedUser(api.db);
    const invited = await owner.gql<{ inviteMember: { data: { token: string } } }>(
      `mutation($id: ID!, $email: String!) { inviteMember(organizationId: $id, email: $email, role: REVIEWER) {
        ... on MutationInviteMemberSuccess { data { token } } } }`,
      { id: org.organization.gid, email: invitee.email.toUpperCase() },
    );
    const token = invited.body.data!.inviteMember.data.token;
    expect(api.mail.at(-1)).toMatchObject({ kind: 'invite', email: invitee.email, token });
    const accept = `mutation($t: String!) { acceptInvite(token: $t) { __typename ... on MutationAcceptInviteSuccess { data { role } } } }`;
    const stranger = await api.signedInAs((await seedUser(api.db)).id);
    expect((await stranger.gql(accept, { t: token })).body.data).toEqual({
      acceptInvite: { __typename: 'ValidationError' },
    });
    const client = await api.signedInAs(invitee.id);
    expect((await client.gql(accept, { t: token })).body.data).toEqual({
      acceptInvite: { __typename: 'MutationAcceptInviteSuccess', data: { role: 'REVIEWER' } },
    });
    expect((await client.gql(accept, { t: token })).body.data).toEqual({
      acceptInvite: { __typename: 'ValidationError' },
    });
  });

  test('an organization always keeps an owner; only owners grant OWNER', async () => {
    const db = api.db;
    const solo = await seedUser(db);
    const organization = await db.organization.create({ data: { name: 'Solo', slug: unique('solo').toLowerCase() } });
    const ownership = await db.membership.create({
      data: { organizationId: organization.id, userId: solo.id, role: 'OWNER' },
    });
    const owner = await api.signedInAs(solo.id);
    const membershipId = Buffer.from(`Membership:${ownership.id}`).toString('base64url');
    const demote = await owner.gql(
      `mutation($id: ID!) { changeMemberRole(membershipId: $id, role: ADMIN) { __typename ... on Error { code } } }`,
      { id: membershipId },
    );
    expect(demote.body.data).toEqual({ changeMemberRole: { __typename: 'ConflictError', code: 'CONFLICT' } });
    const leave = await owner.gql(
      `mutation($id: ID!) { removeMember(membershipId: $id) { __typename ... on Error { code } } }`,
      {
        id: membershipId,
      },
    );
    expect(leave.body.data).toEqual({ removeMember: { __typename: 'ConflictError', code: 'CONFLICT' } });
    expect(await db.membership.findUnique({ where: { id: ownership.id } })).toMatchObject({ role: 'OWNER' });

    const promote = await org.members.ADMIN.client.gql(
      `mutation($id: ID!) { changeMemberRole(membershipId: $id, role: OWNER) { __typename } }`,
      { id: Buffer.from(`Membership:${org.members.EDITOR.membershipId}`).toString('base64url') },
    );
    expect(promote.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const touchOwner = await org.members.ADMIN.client.gql(
      `mutation($id: ID!) { removeMember(membershipId: $id) { __typename } }`,
      { id: Buffer.from(`Membership:${org.members.OWNER.membershipId}`).toString('base64url') },
    );
    expect(touchOwner.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  test('a demoted member loses the permission on their very next request', async () => {
    const user = await seedUser(api.db);
    const membership = await api.db.membership.create({
      data: { organizationId: org.organization.id, userId: user.id, role: 'ADMIN' },
    });
    const client = await api.signedInAs(user.id);
    const audit = `query($id: ID!) { organization(id: $id) { auditEvents(first: 1) { edges { node { id } } } } }`;
    expect((await client.gql(audit, { id: org.organization.gid })).body.errors).toBeUndefined();
    await org.members.OWNER.client.gql(
      `mutation($id: ID!) { changeMemberRole(membershipId: $id, role: ANALYST) { __typename } }`,
      {
        id: Buffer.from(`Membership:${membership.id}`).toString('base64url'),
      },
    );
    expect((await client.gql(audit, { id: org.organization.gid })).body.errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('post lifecycle', () => {
  test('draft → review → rejected → edited → review → approved → scheduled → unscheduled, with stale edits refused', async () => {
    const editor = org.members.EDITOR.client;
    const reviewer = org.members.REVIEWER.client;
    const created = await editor.gql<{ createPost: { data: { id: string; version: number; status: string } } }>(
      `mutation($id: ID!) { createPost(brandId: $id, caption: "v1", slides: [{ heading: "a" }, { heading: "b" }]) {
        ... on MutationCreatePostSuccess { data { id version status } } } }`,
      { id: org.brand.gid },
    );
    const post = created.body.data!.createPost.data;
    expect(post).toMatchObject({ status: 'DRAFT', version: 1 });
    const step = async (client: TestClient, mutation: string, extra = '') => {
      const response = await client.gql<
        Record<string, { __typename: string; data?: { status: string; version: number } }>
      >(
        `mutation($id: ID!) { ${mutation}(id: $id${extra}) { __typename ... on Mutation${mutation[0]!.toUpperCase()}${mutation.slice(1)}Success { data { status version } } } }`,
        { id: post.id },
      );
      return response.body.data![mutation]!;
    };
    expect((await step(editor, 'submitPostForReview')).data?.status).toBe('IN_REVIEW');
    expect((await step(editor, 'submitPostForReview')).__typename).toBe('ConflictError');
    expect((await step(reviewer, 'rejectPost', ', comment: "no"')).data?.status).toBe('REJECTED');
    const edit = `mutation($id: ID!, $v: Int!) { updatePost(id: $id, expectedVersion: $v, caption: "v2") { __typename ... on MutationUpdatePostSuccess { data { status version caption } } } }`;
    const stale = await editor.gql(edit, { id: post.id, v: 1 });
    expect(stale.body.data).toEqual({ updatePost: { __typename: 'VersionConflictError' } });
    const current = await api.db.post.findUniqueOrThrow({
      where: { id: Buffer.from(post.id, 'base64url').toString().split(':')[1] },
    });
    const edited = await editor.gql(edit, { id: post.id, v: current.version });
    expect(edited.body.data).toMatchObject({ updatePost: { data: { status: 'DRAFT', caption: 'v2' } } });
    expect((await step(editor, 'submitPostForReview')).data?.status).toBe('IN_REVIEW');
    expect((await step(reviewer, 'approvePost')).data?.status).toBe('APPROVED');
    const at = new Date(Date.now() + 86_400_000).toISOString();
    // A hand-written carousel has no rendered images yet: nothing TikTok could take.
    expect((await step(editor, 'schedulePost', `, scheduledAt: "${at}"`)).__typename).toBe('ConflictError');
    await withRenderedSlide(api, current);
    expect((await step(editor, 'schedulePost', `, scheduledAt: "${at}"`)).data?.status).toBe('SCHEDULED');
    expect((await step(editor, 'unschedulePost')).data?.status).toBe('APPROVED');
    const past = new Date(Date.now() - 60_000).toISOString();
    expect((await step(editor, 'schedulePost', `, scheduledAt: "${past}"`)).__typename).toBe('ValidationError');
  });
});
