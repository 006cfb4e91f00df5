// `node` and `nodes`: every global id the api hands out can be looked up, under the same
// tenant and permission rules as everywhere else; any other well-formed id names nothing.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

// Warnings and errors the server logs: none of these lookups is anything but ordinary.
const logged: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged.push(chunk.toString());
    done();
  },
});

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi({}, { logger: pino({ level: 'warn' }, sink) });
  org = await seedOrganization(api);
  other = await seedOrganization(api);
});
afterAll(() => api?.close());

const nodeQuery = `query($id: ID!) { node(id: $id) { __typename id } }`;
const nodesQuery = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`;

test('an id of a type that is not a Node, or of no type at all, answers null to anyone, without an error', async () => {
  const event = await api.db.auditEvent.create({ data: { organizationId: org.organization.id, action: 'test' } });
  const ids = [
    gid('NoSuchType', 'x'),
    gid('AuditEvent', event.id.toString()),
    gid('Session', 'x'),
    gid('Slide', 'x'),
    gid('Mutation', 'x'),
    gid('String', 'x'),
  ];
  for (const client of [api.anonymous(), org.members.OWNER.client]) {
    for (const id of ids) {
      const response = await client.gql(nodeQuery, { id });
      expect(response.body).toEqual({ data: { node: null }, extensions: expect.anything() as unknown });
    }
    const many = await client.gql(nodesQuery, { ids: [...ids, org.brand.gid] });
    expect(many.body.errors).toBeUndefined();
    const expectedBrand = client === org.members.OWNER.client ? { __typename: 'Brand', id: org.brand.gid } : null;
    expect(many.body.data?.nodes).toEqual([...ids.map(() => null), expectedBrand]);
  }
  expect(logged).toEqual([]);
});

test('every id the api hands out is one node can load: social accounts, export and deletion requests, audit targets', async () => {
  const owner = org.members.OWNER.client;
  const accounts = await owner.gql<{ node: { socialAccounts: Array<{ id: string }> } }>(
    `query($id: ID!) { node(id: $id) { ... on Brand { socialAccounts { id } } } }`,
    { id: org.brand.gid },
  );
  const accountId = accounts.body.data!.node.socialAccounts[0]!.id;
  const account = await owner.gql(nodeQuery, { id: accountId });
  expect(account.body.data?.node).toEqual({ __typename: 'SocialAccount', id: accountId });

  const exportRow = await api.db.dataExportRequest.create({
    data: { organizationId: org.organization.id, scope: 'ORGANIZATION', requestedById: org.members.OWNER.userId },
  });
  const exportId = gid('DataExportRequest', exportRow.id);
  expect((await owner.gql(nodeQuery, { id: exportId })).body.data?.node).toEqual({
    __typename: 'DataExportRequest',
    id: exportId,
  });

  const ownDeletion = await api.db.deletionRequest.create({
    data: { scope: 'USER', subjectId: org.members.EDITOR.userId, requestedById: org.members.EDITOR.userId },
  });
  const deletionId = gid('DeletionRequest', ownDeletion.id);
  expect((await org.members.EDITOR.client.gql(nodeQuery, { id: deletionId })).body.data?.node).toEqual({
    __typename: 'DeletionRequest',
    id: deletionId,
  });
  // Someone else's own deletion is nobody else's business, even in the same organization.
  expect((await owner.gql(nodeQuery, { id: deletionId })).body).toMatchObject({ data: { node: null } });

  // Audit targets are ids node can load, or null (a session is not an object of the api).
  await api.db.auditEvent.createMany({
    data: [
      { organizationId: org.organization.id, action: 'x.scope', targetType: 'SOCIAL_ACCOUNT', targetId: 'acc' },
      { organizationId: org.organization.id, action: 'x.session', targetType: 'Session', targetId: 'ses' },
    ],
  });
  const audit = await owner.gql<{
    organization: { auditEvents: { edges: Array<{ node: { action: string; targetId: string | null } }> } };
  }>(`query($id: ID!) { organization(id: $id) { auditEvents(first: 2) { edges { node { action targetId } } } } }`, {
    id: org.organization.gid,
  });
  expect(audit.body.data?.organization.auditEvents.edges.map((edge) => edge.node)).toEqual([
    { action: 'x.session', targetId: null },
    { action: 'x.scope', targetId: gid('SocialAccount', 'acc') },
  ]);
});

test('the same tenant and permission rules as everywhere else', async () => {
  const exportRow = await api.db.dataExportRequest.create({
    data: { organizationId: org.organization.id, scope: 'ORGANIZATION' },
  });
  const exportId = gid('DataExportRequest', exportRow.id);
  const accounts = await org.members.OWNER.client.gql<{ node: { socialAccounts: Array<{ id: string }> } }>(
    `query($id: ID!) { node(id: $id) { ... on Brand { socialAccounts { id } } } }`,
    { id: org.brand.gid },
  );
  const accountId = accounts.body.data!.node.socialAccounts[0]!.id;
  // Another organization and anonymous callers: exactly like a missing object.
  for (const client of [other.members.OWNER.client, api.anonymous()]) {
    for (const id of [exportId, accountId]) {
      expect((await client.gql(nodeQuery, { id })).body).toMatchObject({ data: { node: null } });
    }
  }
  // A member without the permission: refused like the type's other fields.
  const editor = await org.members.EDITOR.client.gql(nodeQuery, { id: exportId });
  expect(editor.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const analyst = await org.members.ANALYST.client.gql(nodeQuery, { id: accountId });
  expect(analyst.body.data?.node).toEqual({ __typename: 'SocialAccount', id: accountId });
});
