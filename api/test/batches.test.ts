import { batchWorkflowId, connectTemporalClient } from '@pressroom/workflows/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

const create = `mutation($id: ID!) { createBatch(brandId: $id, brief: "Autumn launch", count: 2, platforms: [TIKTOK]) {
  __typename ... on MutationCreateBatchSuccess { data { id status } } ... on Error { code } } }`;

test('createBatch writes the batch QUEUED and starts its generation workflow on the configured queue', async () => {
  const response = await org.members.EDITOR.client.gql<{
    createBatch: { __typename: string; data: { id: string; status: string } };
  }>(create, { id: org.brand.gid });
  expect(response.body.errors).toBeUndefined();
  expect(response.body.data!.createBatch.data.status).toBe('QUEUED');
  const batch = await api.db.batch.findFirstOrThrow({
    where: { organizationId: org.organization.id, brief: 'Autumn launch' },
    orderBy: { createdAt: 'desc' },
  });
  const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
  try {
    const handle = temporal.workflow.getHandle(batchWorkflowId(batch.id));
    const description = await handle.describe();
    expect(description.type).toBe('generateBatchWorkflow');
    expect(description.taskQueue).toBe(api.config.TEMPORAL_TASK_QUEUE);
    expect(description.status.name).toBe('RUNNING');
    const history = await handle.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const payload = started?.input?.payloads?.[0]?.data;
    expect(JSON.parse(Buffer.from(payload!).toString('utf8'))).toEqual({ batchId: batch.id });
    await handle.terminate('test over');
  } finally {
    await temporal.connection.close();
  }
});

test('when the workflow cannot start, the batch is marked FAILED, audited, and the error says so', async () => {
  // Temporal refuses task queue names over 1000 characters: a start that fails at once.
  const refusing = await startTestApi({ TEMPORAL_TASK_QUEUE: 'q'.repeat(1_001) });
  try {
    const other = await seedOrganization(refusing);
    const response = await other.members.OWNER.client.gql(create, { id: other.brand.gid });
    expect(response.body.data?.createBatch ?? null).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(response.body.errors?.[0]?.message).toMatch(/could not be started, so it is marked FAILED/);
    const batch = await refusing.db.batch.findFirstOrThrow({
      where: { organizationId: other.organization.id, brief: 'Autumn launch' },
    });
    expect(batch.status).toBe('FAILED');
    expect(batch.completedAt).not.toBeNull();
    const events = await refusing.db.auditEvent.findMany({
      where: { targetId: batch.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(events.map((event) => event.action)).toEqual(['batch.create', 'batch.start_failed']);
    expect((events[1]!.metadata as { reason: string }).reason).toBeTruthy();
  } finally {
    await refusing.close();
  }
});
