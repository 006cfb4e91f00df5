import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

const update = `mutation($id: ID!, $chat: String, $name: String) {
  updateOrganization(id: $id, telegramReviewChatId: $chat, name: $name) {
    __typename
    ... on MutationUpdateOrganizationSuccess { data { name settings { telegramReviewChatId } } }
    ... on ValidationError { code issues { path message } }
  }
}`;

interface UpdateResult {
  updateOrganization: {
    __typename: string;
    data?: { name: string; settings: { telegramReviewChatId: string | null } };
    code?: string;
    issues?: Array<{ path: string; message: string }>;
  };
}

async function storedChat(): Promise<string | null> {
  const settings = await api.db.organizationSettings.findUniqueOrThrow({
    where: { organizationId: org.organization.id },
  });
  return settings.telegramReviewChatId;
}

test('an owner sets the Telegram review chat, keeps it through other changes, and clears it with null', async () => {
  const owner = org.members.OWNER.client;
  const set = await owner.gql<UpdateResult>(update, { id: org.organization.gid, chat: '-1001234567890' });
  expect(set.body.errors).toBeUndefined();
  expect(set.body.data!.updateOrganization.data!.settings.telegramReviewChatId).toBe('-1001234567890');
  expect(await storedChat()).toBe('-1001234567890');
  const audit = await api.db.auditEvent.findFirstOrThrow({
    where: { organizationId: org.organization.id, action: 'organization.update' },
    orderBy: { createdAt: 'desc' },
  });
  expect(audit.metadata).toMatchObject({ telegramReviewChatId: '-1001234567890' });

  // Left out, it stays as it is.
  const renamed = await owner.gql<UpdateResult>(update, { id: org.organization.gid, name: 'Renamed' });
  expect(renamed.body.data!.updateOrganization.data).toEqual({
    name: 'Renamed',
    settings: { telegramReviewChatId: '-1001234567890' },
  });

  const channel = await owner.gql<UpdateResult>(update, { id: org.organization.gid, chat: '@pressroom_reviews' });
  expect(channel.body.data!.updateOrganization.data!.settings.telegramReviewChatId).toBe('@pressroom_reviews');

  const cleared = await owner.gql<UpdateResult>(update, { id: org.organization.gid, chat: null });
  expect(cleared.body.errors).toBeUndefined();
  expect(cleared.body.data!.updateOrganization.data!.settings.telegramReviewChatId).toBeNull();
  expect(await storedChat()).toBeNull();
});

test('refuses what is not a Telegram chat id or @channelname, and changes nothing', async () => {
  const owner = org.members.OWNER.client;
  await owner.gql<UpdateResult>(update, { id: org.organization.gid, chat: '-100555' });
  for (const chat of ['reviews', '@ab', '-100 123', `-${'1'.repeat(64)}`, '']) {
    const response = await owner.gql<UpdateResult>(update, { id: org.organization.gid, chat });
    expect(response.body.data!.updateOrganization, chat).toMatchObject({
      __typename: 'ValidationError',
      code: 'BAD_USER_INPUT',
      issues: [{ path: 'telegramReviewChatId' }],
    });
  }
  expect(await storedChat()).toBe('-100555');
});

test('only members who manage the organization may change it', async () => {
  const response = await org.members.REVIEWER.client.gql<UpdateResult>(update, {
    id: org.organization.gid,
    chat: '-1009999',
  });
  expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(await storedChat()).not.toBe('-1009999');
});
