// What refusals say, and how they are logged: a client (and whoever reads the logs) must be
// able to tell an expired session from a revoked token, and which permission is missing.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { withArticle } from '../src/errors.js';
import { seedApiToken, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

interface LogLine {
  level: number;
  msg: string;
  err?: { stack?: string };
  [key: string]: unknown;
}

const lines: LogLine[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
    done();
  },
});

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi({}, { logger: pino({ level: 'info' }, sink) });
  org = await seedOrganization(api);
});
afterAll(() => api?.close());
beforeEach(() => {
  lines.length = 0;
});

const organizationPosts = `query($id: ID!) { organization(id: $id) { posts(first: 1) { edges { node { id } } } } }`;
const firstError = (body: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) =>
  body.errors?.[0];

describe('UNAUTHENTICATED says why', () => {
  test('a revoked, an expired, an unknown and a malformed API token', async () => {
    const revoked = await seedApiToken(api, org.organization.id, ['posts:read']);
    await api.db.apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const expired = await seedApiToken(api, org.organization.id, ['posts:read']);
    await api.db.apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const cases = [
      [revoked.client, /revoked/],
      [expired.client, /expired/],
      [api.withToken('prt_made-up'), /not valid/],
      [api.withToken('not-a-token'), /Bearer prt_/],
    ] as const;
    for (const [client, message] of cases) {
      const response = await client.gql(organizationPosts, { id: org.organization.gid });
      expect(response.status).toBe(401);
      expect(firstError(response.body)?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(firstError(response.body)?.message).toMatch(message);
    }
  });

  test('an expired or signed-out session still lets its browser sign in again, and says what happened', async () => {
    const expired = await api.signedInAs(org.members.EDITOR.userId);
    await api.db.session.updateMany({
      where: { userId: org.members.EDITOR.userId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const answer = await expired.gql(`mutation { createOrganization(name: "Nope", slug: "nope") { __typename } }`);
    expect(firstError(answer.body)?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(firstError(answer.body)?.message).toBe('Your session has expired; sign in again.');
    // Anonymous fields still answer: the lapsed cookie is not an error by itself.
    expect((await expired.gql(`{ viewer { id } }`)).body).toMatchObject({ data: { viewer: null } });

    const signedOut = await api.signedInAs(org.members.ANALYST.userId);
    const replay = api.anonymous();
    replay.cookie = signedOut.cookie;
    await signedOut.gql(`mutation { signOut }`);
    const refused = await replay.gql(`mutation { createOrganization(name: "Nope", slug: "nope") { __typename } }`);
    expect(firstError(refused.body)?.message).toBe('Your session was signed out or revoked; sign in again.');

    const nobody = await api
      .anonymous()
      .gql(`mutation { createOrganization(name: "Nope", slug: "nope") { __typename } }`);
    expect(firstError(nobody.body)?.message).toBe('Sign in or send an API token.');
  });
});

describe('FORBIDDEN names what is missing', () => {
  test("a token's missing scope, a role's missing permission, a people-only operation", async () => {
    const narrow = await seedApiToken(api, org.organization.id, ['analytics:read']);
    const byToken = await narrow.client.gql(organizationPosts, { id: org.organization.gid });
    expect(firstError(byToken.body)).toMatchObject({
      message: 'This API token lacks the posts:read scope.',
      extensions: { code: 'FORBIDDEN' },
    });

    const auditLog = `query($id: ID!) { organization(id: $id) { auditEvents(first: 1) { edges { node { id } } } } }`;
    const byRole = await org.members.ANALYST.client.gql(auditLog, { id: org.organization.gid });
    expect(firstError(byRole.body)).toMatchObject({
      message: 'This needs the audit:read permission, which the ANALYST role does not have.',
      extensions: { code: 'FORBIDDEN' },
    });

    // A service's own check (the mutation's permission), not only the schema's.
    const approve = await org.members.ANALYST.client.gql(`mutation($id: ID!) { approvePost(id: $id) { __typename } }`, {
      id: org.posts.inReview.gid,
    });
    expect(firstError(approve.body)).toMatchObject({
      message: 'This needs the posts:review permission, which the ANALYST role does not have.',
      extensions: { code: 'FORBIDDEN' },
    });

    const everything = await seedApiToken(api, org.organization.id, ['posts:read']);
    const peopleOnly = await everything.client.gql(
      `mutation { createOrganization(name: "Nope", slug: "nope") { __typename } }`,
    );
    expect(firstError(peopleOnly.body)?.extensions?.code).toBe('FORBIDDEN');
    expect(firstError(peopleOnly.body)?.message).toMatch(/API tokens cannot/);
  });
});

test('expected refusals are logged at info without a stack; unexpected errors stay errors', async () => {
  const narrow = await seedApiToken(api, org.organization.id, ['analytics:read']);
  await narrow.client.gql(organizationPosts, { id: org.organization.gid });
  await api.withToken('prt_made-up').gql(organizationPosts, { id: org.organization.gid });
  await api.anonymous().gql(`mutation { createOrganization(name: "Nope", slug: "nope") { __typename } }`);
  const refusals = lines.filter((line) => line.msg === 'request refused');
  expect(refusals.map((line) => line.code).sort()).toEqual(['FORBIDDEN', 'UNAUTHENTICATED', 'UNAUTHENTICATED']);
  for (const line of refusals) expect(line.level).toBe(30);
  // Nothing at warn or above, and no stack anywhere.
  expect(lines.filter((line) => line.level >= 40)).toEqual([]);
  expect(JSON.stringify(lines)).not.toContain('    at ');
});

test('state names take the right article', async () => {
  expect(withArticle('APPROVED')).toBe('An APPROVED');
  expect(withArticle('IN_REVIEW')).toBe('An IN_REVIEW');
  expect(withArticle('DRAFT')).toBe('A DRAFT');
  const response = await org.members.REVIEWER.client.gql<{ approvePost: { __typename: string; message: string } }>(
    `mutation($id: ID!) { approvePost(id: $id) { __typename ... on Error { message } } }`,
    { id: org.posts.approved.gid },
  );
  expect(response.body.data?.approvePost).toEqual({
    __typename: 'ConflictError',
    message: 'An APPROVED post is not waiting for review.',
  });
});
