import { connectTemporalClient, publicationWorkflowId } from '@pressroom/workflows/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

async function publication(state: 'FAILED' | 'PUBLISHED') {
  const account = await api.db.socialAccount.findFirstOrThrow({ where: { organizationId: org.organization.id } });
  const post = await api.db.post.create({
    data: { organizationId: org.organization.id, brandId: org.brand.id, status: 'FAILED' },
  });
  return api.db.publication.create({
    data: {
      organizationId: org.organization.id,
      postId: post.id,
      socialAccountId: account.id,
      platform: account.platform,
      state,
      scheduledAt: new Date(),
    },
  });
}

const retry = `mutation($id: ID!) { retryPublication(id: $id) { __typename ... on Error { code } } }`;

test('retrying a FAILED publication starts its publish workflow on the configured queue', async () => {
  const failed = await publication('FAILED');
  const response = await org.members.ADMIN.client.gql(retry, { id: gid('Publication', failed.id) });
  expect(response.body.data).toEqual({ retryPublication: { __typename: 'MutationRetryPublicationSuccess' } });
  const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
  try {
    const description = await temporal.workflow.getHandle(publicationWorkflowId(failed.id)).describe();
    expect(description.taskQueue).toBe(api.config.TEMPORAL_TASK_QUEUE);
    expect(description.status.name).toBe('RUNNING');
    await temporal.workflow.getHandle(publicationWorkflowId(failed.id)).terminate('test over');
  } finally {
    await temporal.connection.close();
  }
});

test('a publication that did not fail is a conflict, and nothing is started or recorded', async () => {
  const published = await publication('PUBLISHED');
  const before = await api.db.auditEvent.count();
  const response = await org.members.OWNER.client.gql(retry, { id: gid('Publication', published.id) });
  expect(response.body.data).toEqual({ retryPublication: { __typename: 'ConflictError', code: 'CONFLICT' } });
  expect(await api.db.auditEvent.count()).toBe(before);
  const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
  try {
    await expect(temporal.workflow.getHandle(publicationWorkflowId(published.id)).describe()).rejects.toThrow();
  } finally {
    await temporal.connection.close();
  }
});

test('a publication whose account lost its access is refused until the account is connected again', async () => {
  const failed = await publication('FAILED');
  await api.db.socialAccount.update({ where: { id: failed.socialAccountId }, data: { status: 'REVOKED' } });
  try {
    const before = await api.db.auditEvent.count();
    const response = await org.members.ADMIN.client.gql(
      `mutation($id: ID!) { retryPublication(id: $id) { __typename ... on Error { code message } } }`,
      { id: gid('Publication', failed.id) },
    );
    expect(response.body.data).toEqual({
      retryPublication: {
        __typename: 'ConflictError',
        code: 'CONFLICT',
        message: 'TIKTOK needs to be connected again before this publication can be retried.',
      },
    });
    expect(await api.db.auditEvent.count()).toBe(before);
  } finally {
    await api.db.socialAccount.update({ where: { id: failed.socialAccountId }, data: { status: 'ACTIVE' } });
  }
});

test('operators list the failed publications of their organization to retry them', async () => {
  const failed = await publication('FAILED');
  await publication('PUBLISHED');
  const response = await org.members.ADMIN.client.gql<{
    organization: { publications: { edges: Array<{ node: { id: string; state: string } }> } };
  }>(
    `query($id: ID!) { organization(id: $id) { publications(first: 50, state: [FAILED]) { edges { node { id state } } } } }`,
    { id: org.organization.gid },
  );
  const listed = response.body.data!.organization.publications.edges.map((edge) => edge.node);
  expect(listed.length).toBeGreaterThan(0);
  expect(listed.every((node) => node.state === 'FAILED')).toBe(true);
  expect(listed.map((node) => node.id)).toContain(gid('Publication', failed.id));
});
