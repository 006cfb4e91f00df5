import { connectTemporalClient, syncScheduleId } from '@pressroom/workflows/client';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  gid,
  seedApiToken,
  seedOrganization,
  seedUser,
  startTestApi,
  unique,
  type SeededOrganization,
  type TestApi,
} from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let temporal: Client;
beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
  temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
});
afterAll(async () => {
  await temporal?.connection.close();
  await api?.close();
});

/** The started workflow's type, queue and first argument, then it is ended (no worker polls). */
async function startedWorkflow(workflowId: string) {
  const handle = temporal.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const history = await handle.fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  await handle.terminate('test over');
  return {
    type: description.type,
    taskQueue: description.taskQueue,
    status: description.status.name,
    input: JSON.parse(Buffer.from(payload!).toString('utf8')) as unknown,
  };
}

async function account(status: 'ACTIVE' | 'REVOKED' = 'ACTIVE') {
  return api.db.socialAccount.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      platform: 'TIKTOK',
      platformAccountId: unique('acct'),
      status,
    },
  });
}

const syncNow = `mutation($id: ID!) { syncAccountNow(socialAccountId: $id) { __typename ... on Error { code } } }`;

test('syncAccountNow makes the account its sync Schedule on the configured queue and runs it at once', async () => {
  const connected = await account();
  const response = await org.members.ANALYST.client.gql(syncNow, { id: gid('SocialAccount', connected.id) });
  expect(response.body.data).toEqual({ syncAccountNow: { __typename: 'MutationSyncAccountNowSuccess' } });
  const schedule = temporal.schedule.getHandle(syncScheduleId(connected.id));
  try {
    const description = await schedule.describe();
    expect(description.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'syncAccountWorkflow',
      taskQueue: api.config.TEMPORAL_TASK_QUEUE,
      args: [{ socialAccountId: connected.id }],
    });
    // The trigger is carried out by the Schedule asynchronously.
    const deadline = Date.now() + 10_000;
    let taken = description.info.numActionsTaken;
    while (taken < 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      taken = (await schedule.describe()).info.numActionsTaken;
    }
    expect(taken).toBeGreaterThanOrEqual(1);
  } finally {
    await schedule.delete();
  }
});

test('syncAccountNow refuses an account that is no longer connected, and records nothing', async () => {
  const revoked = await account('REVOKED');
  const before = await api.db.auditEvent.count();
  const response = await org.members.OWNER.client.gql(syncNow, { id: gid('SocialAccount', revoked.id) });
  expect(response.body.data).toEqual({ syncAccountNow: { __typename: 'ConflictError', code: 'CONFLICT' } });
  expect(await api.db.auditEvent.count()).toBe(before);
  await expect(temporal.schedule.getHandle(syncScheduleId(revoked.id)).describe()).rejects.toThrow();
});

const exportData = `mutation($id: ID!, $user: ID) { requestDataExport(organizationId: $id, userId: $user) {
  __typename ... on MutationRequestDataExportSuccess { data { id scope status } } ... on Error { code } } }`;

test("requestDataExport writes the request PENDING and starts the export of the organization or of one member's data", async () => {
  const whole = await org.members.ADMIN.client.gql<{
    requestDataExport: { data: { id: string; scope: string; status: string } };
  }>(exportData, { id: org.organization.gid });
  expect(whole.body.errors).toBeUndefined();
  expect(whole.body.data!.requestDataExport.data).toMatchObject({ scope: 'ORGANIZATION', status: 'PENDING' });
  const organizationRequest = await api.db.dataExportRequest.findFirstOrThrow({
    where: { organizationId: org.organization.id, scope: 'ORGANIZATION' },
  });
  expect(organizationRequest.requestedById).toBe(org.members.ADMIN.userId);
  expect(await startedWorkflow(`export:${organizationRequest.id}`)).toEqual({
    type: 'exportDataWorkflow',
    taskQueue: api.config.TEMPORAL_TASK_QUEUE,
    status: 'RUNNING',
    input: { requestId: organizationRequest.id },
  });

  const member = await org.members.OWNER.client.gql(exportData, {
    id: org.organization.gid,
    user: gid('User', org.members.EDITOR.userId),
  });
  expect(member.body.errors).toBeUndefined();
  const memberRequest = await api.db.dataExportRequest.findFirstOrThrow({
    where: { organizationId: org.organization.id, scope: 'USER' },
  });
  expect(memberRequest.subjectUserId).toBe(org.members.EDITOR.userId);
  expect((await startedWorkflow(`export:${memberRequest.id}`)).input).toEqual({ requestId: memberRequest.id });

  // Someone who is not a member is not found, and nothing is written.
  const stranger = await seedUser(api.db);
  const count = await api.db.dataExportRequest.count();
  const refused = await org.members.OWNER.client.gql(exportData, {
    id: org.organization.gid,
    user: gid('User', stranger.id),
  });
  expect(refused.body.data).toEqual({ requestDataExport: { __typename: 'NotFoundError', code: 'NOT_FOUND' } });
  expect(await api.db.dataExportRequest.count()).toBe(count);
});

const deletion = `mutation($id: ID!) { requestAccountDeletion(id: $id) {
  __typename ... on MutationRequestAccountDeletionSuccess { data { id scope status } } ... on Error { code } } }`;

test('requestAccountDeletion of a social account starts the deletion workflow for it', async () => {
  const connected = await account();
  const response = await org.members.ADMIN.client.gql(deletion, { id: gid('SocialAccount', connected.id) });
  expect(response.body.errors).toBeUndefined();
  const request = await api.db.deletionRequest.findFirstOrThrow({ where: { subjectId: connected.id } });
  expect(request).toMatchObject({ scope: 'SOCIAL_ACCOUNT', organizationId: org.organization.id, status: 'PENDING' });
  expect(await startedWorkflow(`deletion:${request.id}`)).toEqual({
    type: 'deletionWorkflow',
    taskQueue: api.config.TEMPORAL_TASK_QUEUE,
    status: 'RUNNING',
    input: { requestId: request.id },
  });
});

test('an organization is deleted only by an owner', async () => {
  const other = await seedOrganization(api);
  const admin = await other.members.ADMIN.client.gql(deletion, { id: other.organization.gid });
  expect(admin.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const { client: token } = await seedApiToken(api, other.organization.id, ['org:read', 'brands:write']);
  expect((await token.gql(deletion, { id: other.organization.gid })).body.errors?.[0]?.extensions?.code).toBe(
    'FORBIDDEN',
  );
  expect(await api.db.deletionRequest.count({ where: { subjectId: other.organization.id } })).toBe(0);

  const owner = await other.members.OWNER.client.gql(deletion, { id: other.organization.gid });
  expect(owner.body.errors).toBeUndefined();
  const request = await api.db.deletionRequest.findFirstOrThrow({ where: { subjectId: other.organization.id } });
  expect(request).toMatchObject({ scope: 'ORGANIZATION', organizationId: other.organization.id });
  expect((await startedWorkflow(`deletion:${request.id}`)).type).toBe('deletionWorkflow');
  const audit = await api.db.auditEvent.findFirstOrThrow({ where: { targetId: request.id } });
  expect(audit).toMatchObject({ action: 'deletion.request', actorUserId: other.members.OWNER.userId });
});

test('a person may delete their own user and nobody else; the request is audited outside any organization', async () => {
  const person = await seedUser(api.db);
  const client = await api.signedInAs(person.id);
  const someoneElse = await client.gql(deletion, { id: gid('User', org.members.EDITOR.userId) });
  expect(someoneElse.body.data).toEqual({
    requestAccountDeletion: { __typename: 'NotFoundError', code: 'NOT_FOUND' },
  });
  const requestId = `audit-${unique('delete-self')}`;
  const self = await client.gql(deletion, { id: gid('User', person.id) }, { 'x-request-id': requestId });
  expect(self.body.errors).toBeUndefined();
  const request = await api.db.deletionRequest.findFirstOrThrow({ where: { subjectId: person.id } });
  expect(request).toMatchObject({ scope: 'USER', organizationId: null, requestedById: person.id });
  expect((await startedWorkflow(`deletion:${request.id}`)).input).toEqual({ requestId: request.id });
  const events = await api.db.auditEvent.findMany({ where: { requestId } });
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({
    action: 'deletion.request',
    targetType: 'DeletionRequest',
    targetId: request.id,
    actorUserId: person.id,
    organizationId: null,
  });
});

test('the only owner of an organization cannot delete their user until someone else owns it', async () => {
  const other = await seedOrganization(api);
  const owner = other.members.OWNER;
  const own = { id: gid('User', owner.userId) };
  const refused = await owner.client.gql(
    `mutation($id: ID!) { requestAccountDeletion(id: $id) { __typename ... on Error { code message } } }`,
    own,
  );
  expect(refused.body.data).toEqual({
    requestAccountDeletion: {
      __typename: 'ConflictError',
      code: 'CONFLICT',
      message: `You are the only owner of "Org": make another member an owner, or delete the organization, before deleting your account.`,
    },
  });
  expect(await api.db.deletionRequest.count({ where: { subjectId: owner.userId } })).toBe(0);

  await api.db.membership.update({ where: { id: other.members.ADMIN.membershipId }, data: { role: 'OWNER' } });
  const accepted = await owner.client.gql(deletion, own);
  expect(accepted.body.data).toMatchObject({
    requestAccountDeletion: { __typename: 'MutationRequestAccountDeletionSuccess' },
  });
  expect(await api.db.deletionRequest.count({ where: { subjectId: owner.userId } })).toBe(1);
});

test('when the workflow cannot start, the request is marked FAILED with the reason and the error says so', async () => {
  // Temporal refuses task queue names over 1000 characters: a start that fails at once.
  const refusing = await startTestApi({ TEMPORAL_TASK_QUEUE: 'q'.repeat(1_001) });
  try {
    const other = await seedOrganization(refusing);
    const response = await other.members.OWNER.client.gql(exportData, { id: other.organization.gid });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(response.body.errors?.[0]?.message).toMatch(/could not be started, so it is marked FAILED/);
    const request = await refusing.db.dataExportRequest.findFirstOrThrow({
      where: { organizationId: other.organization.id },
    });
    expect(request.status).toBe('FAILED');
    expect(request.error).toMatch(/^not started: /);
  } finally {
    await refusing.close();
  }
});
