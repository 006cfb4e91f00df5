import { AnthropicEmulator } from '@pressroom/workflows/emulators';
import { createAnthropicGenerator } from '@pressroom/workflows/platforms';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decodeGlobalId } from '../src/schema/ids.js';
import { seedUser, startTestApi, unique, type TestApi, type TestClient } from './kit.js';

let api: TestApi;
let emulator: AnthropicEmulator;
beforeAll(async () => {
  emulator = new AnthropicEmulator({ apiKeys: ['test-key'], requestsPerMinute: 1_000 });
  const baseUrl = await emulator.start();
  api = await startTestApi(
    {},
    {
      worker: {
        activities: {
          ai: createAnthropicGenerator({ apiKey: 'test-key', baseUrl }),
          contentSettings: { slidesPerPost: 2 },
        },
      },
    },
  );
});
afterAll(async () => {
  await api?.close();
  await emulator?.stop();
});

const createBatch = `mutation($id: ID!) { createBatch(brandId: $id, brief: "Spring menu", count: 1, platforms: [TIKTOK]) {
  __typename ... on MutationCreateBatchSuccess { data { id } } ... on AiDisabledError { code message feature } } }`;

const setAi = `mutation($id: ID!, $text: Boolean, $images: Boolean, $provider: AiProvider, $model: String) {
  setOrganizationAi(organizationId: $id, text: $text, images: $images, provider: $provider, textModel: $model) {
    __typename
    ... on MutationSetOrganizationAiSuccess { data { settings { aiTextEnabled aiImagesEnabled aiProvider aiTextModel } } }
    ... on Error { code message }
  }
}`;

/** An organization made the way a new team makes one: through the api, by its owner. */
async function newOrganization() {
  const ownerRow = await seedUser(api.db, 'Owner');
  const owner = await api.signedInAs(ownerRow.id);
  const made = await owner.gql<{ createOrganization: { data: { id: string } } }>(
    `mutation($slug: String!) { createOrganization(name: "New team", slug: $slug) {
      ... on MutationCreateOrganizationSuccess { data { id } } } }`,
    { slug: unique('team') },
  );
  const organizationId = made.body.data!.createOrganization.data.id;
  const brand = await owner.gql<{ createBrand: { data: { id: string } } }>(
    `mutation($id: ID!, $slug: String!) { createBrand(organizationId: $id, name: "Cafe", slug: $slug, voice: "Warm") {
      ... on MutationCreateBrandSuccess { data { id } } } }`,
    { id: organizationId, slug: unique('brand') },
  );
  return { owner, organizationId, brandId: brand.body.data!.createBrand.data.id };
}

async function memberOf(organizationGid: string, role: 'ADMIN' | 'EDITOR'): Promise<TestClient> {
  const user = await seedUser(api.db, role);
  const id = decodeGlobalId(organizationGid).id;
  await api.db.membership.create({ data: { organizationId: id, userId: user.id, role } });
  return api.signedInAs(user.id);
}

test('a new organization has AI off: a batch is refused with AiDisabledError, nothing is made, nothing is sent', async () => {
  const team = await newOrganization();
  const settings = await team.owner.gql<{ node: { settings: Record<string, unknown> } }>(
    `query($id: ID!) { node(id: $id) { ... on Organization { settings { aiTextEnabled aiImagesEnabled aiProvider } } } }`,
    { id: team.organizationId },
  );
  expect(settings.body.data!.node.settings).toEqual({ aiTextEnabled: false, aiImagesEnabled: false, aiProvider: null });

  const refused = await team.owner.gql<{ createBatch: Record<string, unknown> }>(createBatch, { id: team.brandId });
  expect(refused.body.errors).toBeUndefined();
  expect(refused.body.data!.createBatch).toEqual({
    __typename: 'AiDisabledError',
    code: 'AI_DISABLED',
    feature: 'text',
    message: expect.stringContaining('AI text generation is turned off for this organization') as unknown,
  });
  const id = decodeGlobalId(team.organizationId).id;
  expect(await api.db.batch.count({ where: { organizationId: id } })).toBe(0);
  expect(await api.db.auditEvent.count({ where: { organizationId: id, action: 'batch.create' } })).toBe(0);
  expect(emulator.received).toHaveLength(0);
  expect(emulator.server.requests).toEqual([]);
});

test('only owners and admins turn it on, each change is audited, and then a batch is written', async () => {
  const team = await newOrganization();
  const id = decodeGlobalId(team.organizationId).id;
  const editor = await memberOf(team.organizationId, 'EDITOR');
  const denied = await editor.gql(setAi, { id: team.organizationId, text: true });
  expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  expect(await api.db.organizationSettings.findUniqueOrThrow({ where: { organizationId: id } })).toMatchObject({
    aiTextEnabled: false,
  });

  const badModel = await team.owner.gql<{ setOrganizationAi: { __typename: string } }>(setAi, {
    id: team.organizationId,
    text: true,
    model: 'no spaces allowed',
  });
  expect(badModel.body.data!.setOrganizationAi.__typename).toBe('ValidationError');

  const admin = await memberOf(team.organizationId, 'ADMIN');
  const on = await admin.gql<{ setOrganizationAi: { data: { settings: Record<string, unknown> } } }>(setAi, {
    id: team.organizationId,
    text: true,
    provider: 'ANTHROPIC',
  });
  expect(on.body.errors).toBeUndefined();
  expect(on.body.data!.setOrganizationAi.data.settings).toEqual({
    aiTextEnabled: true,
    aiImagesEnabled: false,
    aiProvider: 'ANTHROPIC',
    aiTextModel: null,
  });
  const audit = await api.db.auditEvent.findFirstOrThrow({
    where: { organizationId: id, action: 'organization.ai_update' },
  });
  expect(audit.metadata).toMatchObject({
    before: { text: false, images: false, provider: null },
    after: { text: true, images: false, provider: 'ANTHROPIC' },
  });

  const made = await team.owner.gql<{ createBatch: { __typename: string; data: { id: string } } }>(createBatch, {
    id: team.brandId,
  });
  expect(made.body.data!.createBatch.__typename).toBe('MutationCreateBatchSuccess');
  const batch = await waitFor(
    () => api.db.batch.findFirstOrThrow({ where: { organizationId: id } }),
    (row) => row.status === 'READY' || row.status === 'FAILED',
  );
  expect(batch.status).toBe('READY');
  expect(emulator.received.length).toBeGreaterThan(0);

  // Off again (audited too): refused at the boundary again.
  await team.owner.gql(setAi, { id: team.organizationId, text: false });
  const again = await team.owner.gql<{ createBatch: { __typename: string } }>(createBatch, { id: team.brandId });
  expect(again.body.data!.createBatch.__typename).toBe('AiDisabledError');
  expect(await api.db.auditEvent.count({ where: { organizationId: id, action: 'organization.ai_update' } })).toBe(2);
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
