// One sender's privacy request: their contact form submissions are erased from an append-only
// table that still refuses every other UPDATE and DELETE.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;

beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
  other = await seedOrganization(api);
});
afterAll(() => api?.close());

async function submit(organizationId: string, contact: string, contactKind: 'EMAIL' | 'TELEGRAM' | 'PHONE') {
  const row = await api.db.contactSubmission.create({
    data: {
      organizationId,
      name: 'Sender',
      contact,
      contactKind,
      category: 'General',
      message: `A message from ${contact}`,
      ip: '192.0.2.7',
      userAgent: 'test',
      state: { create: { organizationId, status: 'NEW' } },
    },
  });
  // What notifyContactSubmission leaves in the app: the message quoted, keyed by the submission.
  await api.db.notification.create({
    data: {
      organizationId,
      userId: org.members.OWNER.userId,
      channel: 'IN_APP',
      kind: 'contact.received',
      subject: 'New message from Sender (General)',
      body: `A message from ${contact}\n\nReply: ${contact}`,
      payload: { contactSubmissionId: row.id },
      idempotencyKey: `contact:${row.id}:in-app`,
    },
  });
  return row.id;
}

type Erasure = {
  eraseContactSender: {
    __typename: string;
    code?: string;
    data?: { erased: number; contactKind: string };
  };
};
const erase = (client: SeededOrganization['members']['OWNER']['client'], organizationGid: string, contact: string) =>
  client.gql<Erasure>(
    `mutation($id: ID!, $contact: String!) { eraseContactSender(organizationId: $id, contact: $contact) {
      __typename ... on Error { code } ... on MutationEraseContactSenderSuccess { data { erased contactKind } } } }`,
    { id: organizationGid, contact },
  );

test("a sender's submissions, inbox status and notifications are erased in every spelling; nobody else's", async () => {
  const mine = [
    await submit(org.organization.id, 'Jane.Doe@Example.test', 'EMAIL'),
    await submit(org.organization.id, 'jane.doe@example.test', 'EMAIL'),
  ];
  const keep = [
    await submit(org.organization.id, 'someone.else@example.test', 'EMAIL'),
    // The same address in another organization is that organization's to erase.
    await submit(other.organization.id, 'jane.doe@example.test', 'EMAIL'),
  ];
  const telegram = [
    await submit(org.organization.id, '@jane_doe_tg', 'TELEGRAM'),
    await submit(org.organization.id, 'Jane_Doe_TG', 'TELEGRAM'),
  ];
  const phones = [
    await submit(org.organization.id, '+49 30 1234567', 'PHONE'),
    await submit(org.organization.id, '+49 (30) 123-4567', 'PHONE'),
  ];
  keep.push(await submit(org.organization.id, '+49 30 7654321', 'PHONE'));

  // Only owners and admins; a malformed contact is a validation error; nothing is removed.
  const editor = await erase(org.members.EDITOR.client, org.organization.gid, 'jane.doe@example.test');
  expect(editor.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const malformed = await erase(org.members.ADMIN.client, org.organization.gid, 'not a contact');
  expect(malformed.body.data?.eraseContactSender.__typename).toBe('ValidationError');
  const foreign = await erase(other.members.OWNER.client, org.organization.gid, 'jane.doe@example.test');
  expect(foreign.body.data?.eraseContactSender.__typename).toBe('NotFoundError');
  expect(await api.db.contactSubmission.count({ where: { id: { in: mine } } })).toBe(2);

  const done = await erase(org.members.ADMIN.client, org.organization.gid, '  JANE.DOE@example.TEST ');
  expect(done.body.errors).toBeUndefined();
  expect(done.body.data?.eraseContactSender).toEqual({
    __typename: 'MutationEraseContactSenderSuccess',
    data: { erased: 2, contactKind: 'EMAIL' },
  });
  expect(await api.db.contactSubmission.count({ where: { id: { in: mine } } })).toBe(0);
  expect(await api.db.contactSubmissionState.count({ where: { submissionId: { in: mine } } })).toBe(0);
  const quoting = await api.db.notification.findMany({ where: { kind: 'contact.received' } });
  expect(
    quoting.some(
      (row) => row.body.toLowerCase().includes('jane.doe@example.test') && row.organizationId === org.organization.id,
    ),
  ).toBe(false);
  // Everyone else's rows, states and notifications are as they were.
  expect(await api.db.contactSubmission.count({ where: { id: { in: [...keep, ...telegram, ...phones] } } })).toBe(
    keep.length + telegram.length + phones.length,
  );
  expect(
    await api.db.notification.count({ where: { kind: 'contact.received', organizationId: other.organization.id } }),
  ).toBe(1);

  // Audited, without the contact itself.
  const audit = await api.db.auditEvent.findFirstOrThrow({
    where: { organizationId: org.organization.id, action: 'contact_sender.erase' },
    orderBy: { createdAt: 'desc' },
  });
  expect(audit).toMatchObject({ targetType: 'Organization', targetId: org.organization.id });
  expect(audit.metadata).toMatchObject({ contactKind: 'EMAIL', notifications: 2 });
  expect(((audit.metadata as { submissionIds: string[] }).submissionIds ?? []).sort()).toEqual([...mine].sort());
  expect(JSON.stringify(audit.metadata).toLowerCase()).not.toContain('jane');

  // A Telegram username with or without @, a phone number by its digits.
  const tg = await erase(org.members.OWNER.client, org.organization.gid, 'jane_doe_tg');
  expect(tg.body.data?.eraseContactSender.data).toEqual({ erased: 2, contactKind: 'TELEGRAM' });
  const phone = await erase(org.members.OWNER.client, org.organization.gid, '+493012 34567');
  expect(phone.body.data?.eraseContactSender.data).toEqual({ erased: 2, contactKind: 'PHONE' });
  expect(await api.db.contactSubmission.count({ where: { id: { in: [...telegram, ...phones] } } })).toBe(0);
  expect(await api.db.contactSubmission.count({ where: { id: { in: keep } } })).toBe(keep.length);
  // Asking again finds nothing, and says so.
  const again = await erase(org.members.OWNER.client, org.organization.gid, 'jane.doe@example.test');
  expect(again.body.data?.eraseContactSender.data).toEqual({ erased: 0, contactKind: 'EMAIL' });
});

test('the table stays append-only: plain UPDATE and DELETE are refused, and a sender flag reaches only that sender', async () => {
  const kept = await submit(org.organization.id, 'kept@example.test', 'EMAIL');
  const target = await submit(org.organization.id, 'target@example.test', 'EMAIL');
  await expect(
    api.db.$executeRaw`UPDATE "ContactSubmission" SET "message" = 'edited' WHERE id = ${kept}`,
  ).rejects.toThrow(/append-only/);
  await expect(api.db.$executeRaw`DELETE FROM "ContactSubmission" WHERE id = ${kept}`).rejects.toThrow(/append-only/);
  // A transaction that names one sender cannot delete or change another's row with it...
  await expect(
    api.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('pressroom.contact_erasure_sender', ${`${org.organization.id}/EMAIL:target@example.test`}, true)`;
      await tx.$executeRaw`DELETE FROM "ContactSubmission" WHERE id = ${kept}`;
    }),
  ).rejects.toThrow(/append-only/);
  await expect(
    api.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('pressroom.contact_erasure_sender', ${`${org.organization.id}/EMAIL:target@example.test`}, true)`;
      await tx.$executeRaw`UPDATE "ContactSubmission" SET "message" = 'edited' WHERE id = ${target}`;
    }),
  ).rejects.toThrow(/append-only/);
  // ...and the flag the function sets is gone once it returns: a later DELETE in the same
  // transaction is refused.
  await expect(
    api.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT * FROM erase_contact_sender(${other.organization.id}, 'EMAIL'::"ContactKind", 'nobody@example.test')`;
      await tx.$executeRaw`DELETE FROM "ContactSubmission" WHERE id = ${target}`;
    }),
  ).rejects.toThrow(/append-only/);
  const rows = await api.db.contactSubmission.findMany({ where: { id: { in: [kept, target] } } });
  expect(rows.map((row) => row.message).sort()).toEqual([
    'A message from kept@example.test',
    'A message from target@example.test',
  ]);
});
