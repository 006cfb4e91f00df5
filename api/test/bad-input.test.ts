import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

// Bad input of every kind gets a typed error (a ValidationError result, or a top-level error
// coded BAD_USER_INPUT when GraphQL itself refuses the request) and changes nothing.

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

async function fingerprint(): Promise<string> {
  const { db } = api;
  const counts = await Promise.all([
    db.user.count(),
    db.organization.count(),
    db.membership.count(),
    db.invite.count(),
    db.apiToken.count(),
    db.brand.count(),
    db.brandKnowledgeDocument.count(),
    db.batch.count(),
    db.post.count(),
    db.slide.count(),
    db.auditEvent.count(),
  ]);
  const posts = await db.post.findMany({
    select: { id: true, version: true, status: true, caption: true },
    orderBy: { id: 'asc' },
  });
  const brands = await db.brand.findMany({ select: { id: true, voice: true, name: true }, orderBy: { id: 'asc' } });
  return JSON.stringify({ counts, posts, brands });
}

const long = (n: number) => 'x'.repeat(n);

interface Case {
  name: string;
  document: string;
  variables: () => Record<string, unknown>;
  /** `validation`: a ValidationError result; `refused`: a top-level BAD_USER_INPUT error. */
  expect: 'validation' | 'refused';
}

const result = `__typename ... on ValidationError { code issues { path message } }`;

const cases: Case[] = [
  {
    name: 'wrong type (string for Int)',
    document: `mutation($id: ID!, $count: Int!) { createBatch(brandId: $id, brief: "b", count: $count, platforms: [TIKTOK]) { ${result} } }`,
    variables: () => ({ id: org.brand.gid, count: 'three' }),
    expect: 'refused',
  },
  {
    name: 'wrong type (object for String)',
    document: `mutation($id: ID!, $caption: String) { createPost(brandId: $id, caption: $caption) { ${result} } }`,
    variables: () => ({ id: org.brand.gid, caption: { nested: true } }),
    expect: 'refused',
  },
  {
    name: 'unknown enum value',
    document: `mutation($id: ID!) { createBatch(brandId: $id, brief: "b", count: 1, platforms: [MYSPACE]) { ${result} } }`,
    variables: () => ({ id: org.brand.gid }),
    expect: 'refused',
  },
  {
    name: 'unknown enum value in a variable',
    document: `mutation($id: ID!, $role: Role!) { changeMemberRole(membershipId: $id, role: $role) { ${result} } }`,
    variables: () => ({ id: gid('Membership', org.members.EDITOR.membershipId), role: 'SUPERUSER' }),
    expect: 'refused',
  },
  {
    name: 'missing required argument',
    document: `mutation($id: ID!) { createBrand(organizationId: $id, name: "n") { ${result} } }`,
    variables: () => ({ id: org.organization.gid }),
    expect: 'refused',
  },
  {
    name: 'malformed id',
    document: `mutation($id: ID!) { updateBrand(id: $id, voice: "v") { ${result} } }`,
    variables: () => ({ id: 'not-an-id!' }),
    expect: 'refused',
  },
  {
    name: 'malformed id (valid base64 without a type)',
    document: `mutation($id: ID!) { deletePost(id: $id) { ${result} } }`,
    variables: () => ({ id: Buffer.from('justtext').toString('base64url') }),
    expect: 'refused',
  },
  {
    name: 'malformed date',
    document: `mutation($id: ID!, $at: DateTime!) { schedulePost(id: $id, scheduledAt: $at) { ${result} } }`,
    variables: () => ({ id: org.posts.approved.gid, at: 'next tuesday' }),
    expect: 'refused',
  },
  {
    name: 'oversize caption',
    document: `mutation($id: ID!, $caption: String) { createPost(brandId: $id, caption: $caption) { ${result} } }`,
    variables: () => ({ id: org.brand.gid, caption: long(4_001) }),
    expect: 'validation',
  },
  {
    name: 'oversize brand voice',
    document: `mutation($id: ID!, $voice: String) { updateBrand(id: $id, voice: $voice) { ${result} } }`,
    variables: () => ({ id: org.brand.gid, voice: long(5_001) }),
    expect: 'validation',
  },
  {
    name: 'oversize knowledge document',
    document: `mutation($id: ID!, $content: String!) { addKnowledgeDocument(brandId: $id, title: "t", content: $content) { ${result} } }`,
    variables: () => ({ id: org.brand.gid, content: long(100_001) }),
    expect: 'validation',
  },
  {
    name: 'too many slides',
    document: `mutation($id: ID!, $slides: [SlideInput!]) { createPost(brandId: $id, slides: $slides) { ${result} } }`,
    variables: () => ({ id: org.brand.gid, slides: Array.from({ length: 36 }, () => ({ heading: 'h' })) }),
    expect: 'validation',
  },
  {
    name: 'count out of range',
    document: `mutation($id: ID!) { createBatch(brandId: $id, brief: "b", count: 500, platforms: [TIKTOK]) { ${result} } }`,
    variables: () => ({ id: org.brand.gid }),
    expect: 'validation',
  },
  {
    name: 'bad colour',
    document: `mutation($id: ID!) { updateBrand(id: $id, primaryColor: "red; drop table") { ${result} } }`,
    variables: () => ({ id: org.brand.gid }),
    expect: 'validation',
  },
  {
    name: 'bad slug',
    document: `mutation($id: ID!) { createBrand(organizationId: $id, name: "n", slug: "Has Spaces!") { ${result} } }`,
    variables: () => ({ id: org.organization.gid }),
    expect: 'validation',
  },
  {
    name: 'bad email',
    document: `mutation($id: ID!) { inviteMember(organizationId: $id, email: "not-an-email", role: EDITOR) { ${result} } }`,
    variables: () => ({ id: org.organization.gid }),
    expect: 'validation',
  },
  {
    name: 'bad hashtag',
    document: `mutation($id: ID!) { createPost(brandId: $id, hashtags: ["two words"]) { ${result} } }`,
    variables: () => ({ id: org.brand.gid }),
    expect: 'validation',
  },
  {
    name: 'empty brief',
    document: `mutation($id: ID!) { createBatch(brandId: $id, brief: "   ", count: 1, platforms: [TIKTOK]) { ${result} } }`,
    variables: () => ({ id: org.brand.gid }),
    expect: 'validation',
  },
  {
    name: 'stale version is a conflict, not an edit',
    document: `mutation($id: ID!) { updatePost(id: $id, expectedVersion: 99, caption: "x") { __typename ... on Error { code } } }`,
    variables: () => ({ id: org.posts.draft.gid }),
    expect: 'validation',
  },
  // PostgreSQL text cannot hold U+0000: refused for every string argument, in one place.
  {
    name: 'NUL in a brief',
    document: `mutation($id: ID!, $brief: String!) { createBatch(brandId: $id, brief: $brief, count: 1, platforms: [TIKTOK]) { ${result} } }`,
    variables: () => ({ id: org.brand.gid, brief: 'hello\u0000world' }),
    expect: 'validation',
  },
  {
    name: 'NUL in a slide of a new post',
    document: `mutation($id: ID!, $slides: [SlideInput!]) { createPost(brandId: $id, caption: "fine", slides: $slides) { ${result} } }`,
    variables: () => ({ id: org.brand.gid, slides: [{ heading: 'h' }, { heading: 'h', body: 'b\u0000' }] }),
    expect: 'validation',
  },
  {
    name: 'NUL in a brand voice (inline literal)',
    document: `mutation($id: ID!) { updateBrand(id: $id, voice: "calm\\u0000") { ${result} } }`,
    variables: () => ({ id: org.brand.gid }),
    expect: 'validation',
  },
  {
    name: 'NUL in a knowledge document title',
    document: `mutation($id: ID!) { addKnowledgeDocument(brandId: $id, title: "t\\u0000", content: "c") { ${result} } }`,
    variables: () => ({ id: org.brand.gid }),
    expect: 'validation',
  },
  {
    name: 'NUL in an organization name',
    document: `mutation { createOrganization(name: "Acme\\u0000", slug: "acme-nul") { ${result} } }`,
    variables: () => ({}),
    expect: 'validation',
  },
  {
    name: 'syntax error',
    document: `mutation { createPost(brandId: ) { __typename }`,
    variables: () => ({}),
    expect: 'refused',
  },
  {
    name: 'unknown field',
    document: `mutation($id: ID!) { createPost(brandId: $id, colour: "x") { __typename } }`,
    variables: () => ({ id: org.brand.gid }),
    expect: 'refused',
  },
];

test.each(cases)('$name → typed error, nothing changed', async (testCase) => {
  const before = await fingerprint();
  const response = await org.members.OWNER.client.gql(testCase.document, testCase.variables());
  if (testCase.expect === 'refused') {
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  } else {
    expect(response.body.errors).toBeUndefined();
    const answer = Object.values(response.body.data ?? {})[0] as { __typename: string; code: string };
    if (testCase.name.startsWith('stale')) {
      expect(answer).toEqual({ __typename: 'VersionConflictError', code: 'CONFLICT' });
    } else {
      expect(answer).toMatchObject({ __typename: 'ValidationError', code: 'BAD_USER_INPUT' });
      expect((answer as unknown as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    }
  }
  expect(await fingerprint()).toBe(before);
});

test('a NUL in a query argument (no typed result there) is a top-level BAD_USER_INPUT, not a crash', async () => {
  const response = await org.members.OWNER.client.gql(
    `query($id: ID!, $actions: [String!]) { organization(id: $id) { auditEvents(first: 1, filter: { actions: $actions }) { edges { cursor } } } }`,
    { id: org.organization.gid, actions: ['post.approve', 'post\u0000'] },
  );
  expect(response.body.errors?.[0]).toMatchObject({
    message: 'filter.actions.1: must not contain the NUL character (U+0000)',
    extensions: { code: 'BAD_USER_INPUT' },
  });
});

test('a cursor that is not one of ours (or a NUL in one) is BAD_USER_INPUT, not a crash', async () => {
  for (const after of ['garbage', 'cursor\u0000']) {
    const response = await org.members.OWNER.client.gql(
      `query($id: ID!, $after: String) { organization(id: $id) { posts(first: 1, after: $after) { edges { cursor } } } }`,
      { id: org.organization.gid, after },
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }
});

// Found by the fuzz suite (seed 1717, request #650): a cursor of another list, whose ids are
// numbers (`GPC:I:79`, `GPC:N:79`), sent to a list of string ids crashed the whole `organization`
// field with INTERNAL_SERVER_ERROR, for anyone, even signed out.
test('a cursor of ours from another list (a number where the ids are strings) is BAD_USER_INPUT, not a crash', async () => {
  for (const raw of ['GPC:I:79', 'GPC:N:79']) {
    const after = Buffer.from(raw).toString('base64');
    for (const client of [org.members.OWNER.client, api.anonymous()]) {
      const response = await client.gql(
        `query($id: ID!, $after: String) { organization(id: $id) { posts(first: 1, after: $after) { edges { cursor } } } }`,
        { id: org.organization.gid, after },
      );
      expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const members = await org.members.OWNER.client.gql(
      `query($id: ID!, $before: String) { organization(id: $id) { members(last: 1, before: $before) { edges { cursor } } } }`,
      { id: org.organization.gid, before: after },
    );
    expect(members.body.errors?.[0]).toMatchObject({
      message: 'Invalid cursor: it belongs to another list.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
});

test('malformed ids in queries answer BAD_USER_INPUT, not a crash', async () => {
  const response = await org.members.OWNER.client.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: '%%%' });
  expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

describe('GraphQL request bodies are capped (GRAPHQL_MAX_BODY_BYTES, 256 KB by default)', () => {
  const padded = (bytes: number) => JSON.stringify({ query: `{ viewer { id } }\n#${'x'.repeat(bytes)}` });

  test('a 1 MB document (a comment) is refused with 413 before it is parsed', async () => {
    const response = await org.members.OWNER.client.request({
      body: padded(1024 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(body.errors[0]!.message).toContain(String(api.config.GRAPHQL_MAX_BODY_BYTES));
  });

  test('also when the body declares no length (chunked)', async () => {
    const chunk = new TextEncoder().encode(padded(400 * 1024));
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: org.members.OWNER.client.cookie! },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(chunk);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  test('a document just under the cap still runs', async () => {
    const response = await org.members.OWNER.client.request({
      body: padded(api.config.GRAPHQL_MAX_BODY_BYTES - 200),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { viewer: { id: gid('User', org.members.OWNER.userId) } } });
  });

  test('a WebSocket message over the cap closes the socket (1009)', async () => {
    const socket = new WebSocket(`${api.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(300 * 1024) } }));
    expect(await closed).toBe(1009);
  });
});
