import { afterAll, beforeAll, expect, test } from 'vitest';
import { gid, seedApiToken, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

// What members were told in the app (a batch ready for review, a failed publication...),
// read and marked read by the person they were for, and by nobody else.

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

async function told(userId: string, channel: 'IN_APP' | 'EMAIL', kind: string, payload: Record<string, string>) {
  return api.db.notification.create({
    data: {
      organizationId: org.organization.id,
      userId,
      channel,
      kind,
      subject: `${kind} subject`,
      body: `${kind} body`,
      payload,
      idempotencyKey: `${kind}:${userId}:${channel}:${Math.random()}`,
    },
  });
}

const inbox = `query($unread: Boolean) { viewer { notifications(first: 10, unreadOnly: $unread) {
  totalCount edges { node { id kind subject body readAt subjectId organizationId } } } } }`;

type Inbox = {
  viewer: {
    notifications: {
      totalCount: number;
      edges: Array<{ node: { id: string; kind: string; readAt: string | null; subjectId: string | null } }>;
    };
  };
};

test('a member reads their own in-app notifications, newest first, pointing at what they are about', async () => {
  const reviewer = org.members.REVIEWER;
  const ready = await told(reviewer.userId, 'IN_APP', 'batch.ready_for_review', { batchId: org.batch.id });
  await told(reviewer.userId, 'EMAIL', 'batch.ready_for_review', { batchId: org.batch.id });
  const reminder = await told(reviewer.userId, 'IN_APP', 'review.reminder', { postId: org.posts.inReview.id });
  await told(org.members.OWNER.userId, 'IN_APP', 'publication.failed', { publicationId: 'p1' });

  const response = await reviewer.client.gql<Inbox>(inbox, {});
  expect(response.body.errors).toBeUndefined();
  const { notifications } = response.body.data!.viewer;
  expect(notifications.totalCount).toBe(2);
  expect(notifications.edges.map((edge) => edge.node)).toEqual([
    expect.objectContaining({
      id: gid('Notification', reminder.id),
      kind: 'review.reminder',
      subjectId: org.posts.inReview.gid,
    }),
    expect.objectContaining({
      id: gid('Notification', ready.id),
      kind: 'batch.ready_for_review',
      subjectId: org.batch.gid,
    }),
  ]);
});

test('marking read changes only the viewer’s own, is audited, and someone else’s stay unread and unseen', async () => {
  const editor = org.members.EDITOR;
  const mine = await told(editor.userId, 'IN_APP', 'review.escalated', { postId: org.posts.draft.id });
  const theirs = await told(org.members.ADMIN.userId, 'IN_APP', 'review.escalated', { postId: org.posts.draft.id });

  const peek = await editor.client.gql<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, {
    id: gid('Notification', theirs.id),
  });
  expect(peek.body.data).toEqual({ node: null });

  const marked = await editor.client.gql<{ markNotificationsRead: { __typename: string; data?: number } }>(
    `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { __typename ... on MutationMarkNotificationsReadSuccess { data } } }`,
    { ids: [gid('Notification', mine.id), gid('Notification', theirs.id)] },
  );
  expect(marked.body.data?.markNotificationsRead).toEqual({
    __typename: 'MutationMarkNotificationsReadSuccess',
    data: 1,
  });
  expect((await api.db.notification.findUniqueOrThrow({ where: { id: mine.id } })).readAt).not.toBeNull();
  expect((await api.db.notification.findUniqueOrThrow({ where: { id: theirs.id } })).readAt).toBeNull();
  const unread = await editor.client.gql<Inbox>(inbox, { unread: true });
  expect(unread.body.data!.viewer.notifications.edges).toEqual([]);

  const empty = await editor.client.gql<{ markNotificationsRead: { __typename: string } }>(
    `mutation { markNotificationsRead(ids: []) { __typename } }`,
  );
  expect(empty.body.data?.markNotificationsRead.__typename).toBe('ValidationError');
});

test('an API token has no inbox', async () => {
  const { client } = await seedApiToken(api, org.organization.id, ['posts:read']);
  const response = await client.gql(`mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) { __typename } }`, {
    ids: [gid('Notification', 'x')],
  });
  expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
