import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  gid,
  seedApiToken,
  seedOrganization,
  startTestApi,
  type SeededOrganization,
  type TestApi,
  type TestClient,
} from './kit.js';
import { operations } from './operations.js';

// Organization A's people and tokens poke at organization B through every path. Whatever
// they try must answer exactly as a missing object would, and B must not change at all.

let api: TestApi;
let a: SeededOrganization;
let b: SeededOrganization;
let attackers: Array<[string, TestClient]>;

beforeAll(async () => {
  api = await startTestApi({}, { worker: {} });
  a = await seedOrganization(api);
  b = await seedOrganization(api);
  const token = await seedApiToken(api, a.organization.id, [
    'org:read',
    'members:read',
    'brands:read',
    'brands:write',
    'posts:read',
    'posts:write',
    'posts:review',
    'posts:schedule',
    'analytics:read',
    'audit:read',
  ]);
  attackers = [
    ['owner of A', a.members.OWNER.client],
    ['token of A', token.client],
  ];
});
afterAll(() => api?.close());

/** Every row of organization B, so any change at all shows. */
async function snapshotOf(org: SeededOrganization) {
  const where = { organizationId: org.organization.id };
  const { db } = api;
  return JSON.stringify(
    await Promise.all([
      db.organization.findUnique({ where: { id: org.organization.id }, include: { settings: true } }),
      db.membership.findMany({ where, orderBy: { id: 'asc' } }),
      db.invite.findMany({ where, orderBy: { id: 'asc' } }),
      db.apiToken.findMany({ where, orderBy: { id: 'asc' } }),
      db.brand.findMany({ where, orderBy: { id: 'asc' } }),
      db.brandKnowledgeDocument.findMany({ where, orderBy: { id: 'asc' } }),
      db.batch.findMany({ where, orderBy: { id: 'asc' } }),
      db.post.findMany({ where, orderBy: { id: 'asc' }, include: { slides: true, reviews: true } }),
      db.publication.findMany({ where, orderBy: { id: 'asc' } }),
      db.auditEvent.count({ where }),
    ]),
    (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
  );
}

function nodeIdsOf(org: SeededOrganization): Array<[string, string]> {
  return [
    ['Organization', org.organization.id],
    ['Membership', org.members.EDITOR.membershipId],
    ['User', org.members.EDITOR.userId],
    ['Invite', org.invite.id],
    ['ApiToken', org.apiToken.id],
    ['Brand', org.brand.id],
    ['BrandKnowledgeDocument', org.document.id],
    ['Batch', org.batch.id],
    ['Post', org.posts.published.id],
  ];
}

describe.each([0, 1])('attacker %#', (index) => {
  test('node and nodes answer null for every type of B, exactly as for missing ids', async () => {
    const [, client] = attackers[index]!;
    const publication = await api.db.publication.findFirstOrThrow({ where: { organizationId: b.organization.id } });
    const ids: Array<[string, string]> = [...nodeIdsOf(b), ['Publication', publication.id]];
    for (const [typename, id] of ids) {
      const foreign = await client.gql(`query($id: ID!) { node(id: $id) { id __typename } }`, {
        id: gid(typename, id),
      });
      const missing = await client.gql(`query($id: ID!) { node(id: $id) { id __typename } }`, {
        id: gid(typename, `missing${id}`),
      });
      expect(foreign.body, typename).toEqual({ data: { node: null }, extensions: foreign.body.extensions });
      expect(foreign.body.data).toEqual(missing.body.data);
    }
    const many = await client.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: ids.map(([typename, id]) => gid(typename, id)),
    });
    expect(many.body.data).toEqual({ nodes: ids.map(() => null) });
  });

  test('the same ids of A are found (the lookups above could have found something)', async () => {
    const [name, client] = attackers[index]!;
    const ownIds = nodeIdsOf(a).filter(([typename]) =>
      // Tokens do not manage tokens or invites, and see users only through memberships.
      name.startsWith('token') ? !['ApiToken', 'Invite', 'User'].includes(typename) : true,
    );
    for (const [typename, id] of ownIds) {
      const own = await client.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: gid(typename, id) });
      expect(own.body.data, typename).toEqual({ node: { id: gid(typename, id) } });
    }
  });

  test('organization(id), connections and filters show nothing of B', async () => {
    const [, client] = attackers[index]!;
    const org = await client.gql(
      `query($id: ID!) { organization(id: $id) { name posts(first: 5) { edges { node { id } } } } }`,
      {
        id: b.organization.gid,
      },
    );
    expect(org.body.data).toEqual({ organization: null });
    const bAccount = await api.db.socialAccount.findFirstOrThrow({ where: { organizationId: b.organization.id } });
    const filtered = await client.gql(
      `query($id: ID!, $brand: ID!, $actor: ID!, $target: ID!, $account: ID!) { organization(id: $id) {
        posts(first: 50, brandId: $brand) { edges { node { id } } }
        publications(first: 50, socialAccountId: $account) { edges { node { id } } }
        auditEvents(first: 50, filter: { actor: $actor, target: $target }) { edges { node { id } } }
      } }`,
      {
        id: a.organization.gid,
        brand: b.brand.gid,
        account: gid('SocialAccount', bAccount.id),
        actor: gid('User', b.members.OWNER.userId),
        target: b.posts.draft.gid,
      },
    );
    expect(filtered.body.errors).toBeUndefined();
    expect(filtered.body.data).toEqual({
      organization: { posts: { edges: [] }, publications: { edges: [] }, auditEvents: { edges: [] } },
    });
    const organizations = await client.gql<{ organizations: Array<{ id: string }> }>(`{ organizations { id } }`);
    expect(organizations.body.data?.organizations.map((o) => o.id)).toEqual([a.organization.gid]);
  });

  test('every mutation with B ids changes nothing and answers like a missing id', async () => {
    const [, client] = attackers[index]!;
    const mutations = operations.filter((operation) => operation.kind === 'mutation');
    const prepared = [];
    for (const operation of mutations) prepared.push(await operation.prepare(api, b));
    const before = await snapshotOf(b);
    for (const [i, operation] of mutations.entries()) {
      const variables = prepared[i]!.variables;
      const foreign = await client.gql(operation.document, variables);
      // The same call with every id replaced by an id that names nothing.
      const missingVariables = Object.fromEntries(
        Object.entries(variables).map(([key, value]) => {
          if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{20,}$/.test(value)) return [key, value];
          const [typename] = Buffer.from(value, 'base64url').toString().split(':');
          return [key, gid(typename!, 'missing')];
        }),
      );
      const missing = await client.gql(operation.document, missingVariables);
      const field = Object.keys(foreign.body.data ?? {})[0];
      const answer = field ? (foreign.body.data as Record<string, { __typename: string; code?: string }>)[field] : null;
      if (answer) {
        expect(answer, operation.name).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
      } else {
        // Tokens may not call people-only mutations at all: refused before any lookup.
        expect(foreign.body.errors?.[0]?.extensions?.code, operation.name).toBe('FORBIDDEN');
      }
      expect(foreign.body.data, operation.name).toEqual(missing.body.data);
      expect(foreign.body.errors, operation.name).toEqual(missing.body.errors);
    }
    expect(await snapshotOf(b)).toBe(before);
  });

  test('the audit CSV of B is not found, like a missing organization', async () => {
    const [, client] = attackers[index]!;
    const query = `query($id: ID!) { auditLogCsv(organizationId: $id) }`;
    const foreign = await client.gql(query, { id: b.organization.gid });
    const missing = await client.gql(query, { id: gid('Organization', 'missing') });
    expect(foreign.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(foreign.body.errors).toEqual(missing.body.errors);
  });
});
