// Idempotency-Key on mutations, through the real server: createBatch, schedulePost and
// retryPublication sent twice with one key (one after the other, and at the same moment, also
// to a second api instance sharing the database) act once: one batch, one TikTok post. The
// replay is the first answer byte for byte; another body under the key is refused; keys of
// different credentials never meet.
import type { AddressInfo } from 'node:net';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { batchWorkflowId, connectTemporalClient } from '@pressroom/workflows/client';
import { TikTokEmulator } from '@pressroom/workflows/emulators';
import { saveConnectedAccount } from '@pressroom/workflows/platforms';
import { createLocalStorage, createUrlSigner } from '@pressroom/workflows/storage';
import type { Server } from 'node:http';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createApiServer } from '../src/server.js';
import { requestHash } from '../src/services/idempotency.js';
import { gid, seedApiToken, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let tiktok: TikTokEmulator;
let org: SeededOrganization;
let accountId: string;
let token: string;
let otherToken: string;
let secondServer: Server;
let secondUrl: string;
const temporal = () => connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });

beforeAll(async () => {
  tiktok = new TikTokEmulator({ processingMs: 300 });
  const tiktokUrl = await tiktok.start();
  api = await startTestApi(
    {
      TIKTOK_CLIENT_KEY: 'pressroom-emulated-client',
      TIKTOK_CLIENT_SECRET: 'pressroom-emulated-secret',
      TIKTOK_AUTH_BASE_URL: tiktokUrl,
      TIKTOK_API_BASE_URL: tiktokUrl,
      WORKFLOW_UPDATE_TIMEOUT_MS: '20000',
    },
    { worker: { publishSettings: { pollInitialMs: 200, pollMaxMs: 500 } } },
  );
  org = await seedOrganization(api);
  const scopes = ['posts:read', 'posts:write', 'posts:schedule', 'publish:retry', 'brands:read'];
  token = (await seedApiToken(api, org.organization.id, scopes)).token;
  otherToken = (await seedApiToken(api, org.organization.id, scopes)).token;
  const creator = tiktok.createUser();
  const issued = tiktok.issueTokens(creator.openId);
  const account = await saveConnectedAccount(api.db, createVault(parseKeyRing(api.config.PRESSROOM_TOKEN_KEYS!)), {
    organizationId: org.organization.id,
    brandId: org.brand.id,
    platform: 'TIKTOK',
    platformAccountId: creator.openId,
    displayName: creator.displayName,
    tokens: {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token,
      accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
      refreshTokenExpiresAt: new Date(Date.now() + issued.refresh_expires_in * 1000),
      scopes: issued.scope.split(','),
    },
  });
  accountId = account.id;
  await api.db.socialAccount.updateMany({
    where: { organizationId: org.organization.id, id: { not: account.id } },
    data: { status: 'REVOKED' },
  });
  // A second api instance on the same database: the key's lock lives in PostgreSQL, not in a process.
  secondServer = createApiServer({
    db: api.db,
    temporal: connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' }),
    logger: createLogger('silent', 'api-second'),
    config: api.config,
  });
  await new Promise<void>((resolve) => secondServer.listen(0, '127.0.0.1', resolve));
  secondUrl = `http://127.0.0.1:${(secondServer.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  secondServer?.closeAllConnections();
  await new Promise<void>((resolve) => (secondServer ? secondServer.close(() => resolve()) : resolve()));
  await api?.close();
  await tiktok?.stop();
});

interface Sent {
  status: number;
  text: string;
  replayed: string | null;
  body: { data?: Record<string, Record<string, unknown>> | null; errors?: Array<{ extensions?: { code?: string } }> };
}

async function send(
  query: string,
  variables: Record<string, unknown>,
  options: { key?: string; token?: string; url?: string } = {},
): Promise<Sent> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${options.token ?? token}`,
  };
  if (options.key) headers['idempotency-key'] = options.key;
  const response = await fetch(`${options.url ?? api.url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    replayed: response.headers.get('idempotent-replayed'),
    body: JSON.parse(text) as Sent['body'],
  };
}

const newKey = (name: string) => `${name}-${Math.random().toString(36).slice(2)}`;

const createBatch = `mutation($brand: ID!, $brief: String!) {
  createBatch(brandId: $brand, brief: $brief, count: 2, platforms: [TIKTOK]) {
    __typename ... on Error { code message } ... on MutationCreateBatchSuccess { data { id status } } } }`;

async function batchesWithBrief(brief: string) {
  return api.db.batch.findMany({ where: { organizationId: org.organization.id, brief } });
}

/** Generation needs an AI provider these tests do not run: their workflows are ended. */
async function endGeneration(batchIds: string[]) {
  const client = temporal();
  try {
    for (const id of batchIds) await client.workflow.getHandle(batchWorkflowId(id)).terminate('test over');
  } finally {
    await client.connection.close();
  }
}

describe('createBatch', () => {
  test('sent twice in a row with one key: one batch, and the second answer is the first, replayed', async () => {
    const brief = `Sequential ${Date.now()}`;
    const key = newKey('batch');
    const first = await send(createBatch, { brand: org.brand.gid, brief }, { key });
    expect(first.body.data?.createBatch?.__typename).toBe('MutationCreateBatchSuccess');
    expect(first.replayed).toBeNull();
    const second = await send(createBatch, { brand: org.brand.gid, brief }, { key });
    expect(second.replayed).toBe('true');
    expect(second.status).toBe(first.status);
    expect(second.text).toBe(first.text);
    // The same request with its variables in another order is the same request.
    const reordered = await send(createBatch, { brief, brand: org.brand.gid }, { key });
    expect(reordered.text).toBe(first.text);
    const batches = await batchesWithBrief(brief);
    expect(batches).toHaveLength(1);
    // Without a key, the same mutation makes another batch (the header is what prevents it).
    await send(createBatch, { brand: org.brand.gid, brief });
    const after = await batchesWithBrief(brief);
    expect(after).toHaveLength(2);
    await endGeneration(after.map((batch) => batch.id));
  });

  test('sent eight times at once, to two api instances, with one key: one batch, every answer identical', async () => {
    const brief = `Concurrent ${Date.now()}`;
    const key = newKey('batch');
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        send(createBatch, { brand: org.brand.gid, brief }, { key, url: i % 2 ? secondUrl : api.url }),
      ),
    );
    const batches = await batchesWithBrief(brief);
    expect(batches).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers[0]!.body.data?.createBatch?.__typename).toBe('MutationCreateBatchSuccess');
    // One of them ran; the seven others got its answer replayed.
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(7);
    await endGeneration(batches.map((batch) => batch.id));
  });

  test('the same key with another body is refused with IDEMPOTENCY_KEY_REUSED and changes nothing', async () => {
    const brief = `Reused ${Date.now()}`;
    const key = newKey('batch');
    const first = await send(createBatch, { brand: org.brand.gid, brief }, { key });
    expect(first.body.data?.createBatch?.__typename).toBe('MutationCreateBatchSuccess');
    const other = await send(createBatch, { brand: org.brand.gid, brief: `${brief} but different` }, { key });
    expect(other.body.data ?? null).toBeNull();
    expect(other.body.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await batchesWithBrief(`${brief} but different`)).toHaveLength(0);
    // The key still answers for its own request.
    const again = await send(createBatch, { brand: org.brand.gid, brief }, { key });
    expect(again.text).toBe(first.text);
    const batches = await batchesWithBrief(brief);
    expect(batches).toHaveLength(1);
    await endGeneration(batches.map((batch) => batch.id));
  });

  test("another credential's key is its own: the same key from a second token and from a person acts again", async () => {
    const brief = `Per credential ${Date.now()}`;
    const key = newKey('batch');
    const byToken = await send(createBatch, { brand: org.brand.gid, brief }, { key });
    const byOtherToken = await send(createBatch, { brand: org.brand.gid, brief }, { key, token: otherToken });
    expect(byOtherToken.replayed).toBeNull();
    const byPerson = await org.members.EDITOR.client.gql(
      createBatch,
      { brand: org.brand.gid, brief },
      { 'idempotency-key': key },
    );
    expect(byPerson.headers.get('idempotent-replayed')).toBeNull();
    for (const answer of [byToken.body, byOtherToken.body, byPerson.body]) {
      expect((answer.data as Record<string, { __typename: string }>).createBatch?.__typename).toBe(
        'MutationCreateBatchSuccess',
      );
    }
    const batches = await batchesWithBrief(brief);
    expect(batches).toHaveLength(3);
    await endGeneration(batches.map((batch) => batch.id));
  });
});

describe('the header itself', () => {
  test('on a query it is ignored; a malformed key is refused; a refusal before acting frees the key', async () => {
    const query = `query { viewer { __typename } }`;
    const key = newKey('query');
    const a = await send(query, {}, { key });
    const b = await send(query, {}, { key });
    expect(a.replayed).toBeNull();
    expect(b.replayed).toBeNull();
    expect(await api.db.idempotencyKey.count({ where: { key } })).toBe(0);

    const bad = await send(createBatch, { brand: org.brand.gid, brief: 'x' }, { key: 'é'.repeat(3) });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    // A token without posts:write is refused (FORBIDDEN): nothing acted, so the key is not kept.
    const readOnly = (await seedApiToken(api, org.organization.id, ['posts:read'])).token;
    const forbiddenKey = newKey('forbidden');
    const refused = await send(
      createBatch,
      { brand: org.brand.gid, brief: 'x' },
      { key: forbiddenKey, token: readOnly },
    );
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await api.db.idempotencyKey.count({ where: { key: forbiddenKey } })).toBe(0);
  });

  // Found by the fuzz suite: a token that may write knowledge documents but not read brands got
  // FORBIDDEN on the result's fields (null up to `data`) after the document was made, and that
  // answer freed the key, so the same request sent again made a second document.
  test('a mutation that acted, answered FORBIDDEN on a result field it may not read, keeps its key', async () => {
    const writeOnly = (await seedApiToken(api, org.organization.id, ['brands:write'])).token;
    const title = `Write-only ${Date.now()}`;
    const add = `mutation($brand: ID!, $title: String!) {
      addKnowledgeDocument(brandId: $brand, title: $title, content: "c") {
        __typename ... on Error { code } ... on MutationAddKnowledgeDocumentSuccess { data { id title } } } }`;
    const key = newKey('write-only');
    const first = await send(add, { brand: org.brand.gid, title }, { key, token: writeOnly });
    expect(first.body.errors?.[0]).toMatchObject({
      path: ['addKnowledgeDocument', 'data', 'id'],
      extensions: { code: 'FORBIDDEN' },
    });
    const again = await send(add, { brand: org.brand.gid, title }, { key, token: writeOnly });
    expect(again.replayed).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await api.db.brandKnowledgeDocument.count({ where: { title } })).toBe(1);
  });

  test('an expired key is free again, and pruning removes expired keys', async () => {
    const brief = `Expired ${Date.now()}`;
    const key = newKey('expired');
    await send(createBatch, { brand: org.brand.gid, brief }, { key });
    await api.db.idempotencyKey.updateMany({ where: { key }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const again = await send(createBatch, { brand: org.brand.gid, brief }, { key });
    expect(again.replayed).toBeNull();
    const batches = await batchesWithBrief(brief);
    expect(batches).toHaveLength(2);
    const row = await api.db.idempotencyKey.findFirstOrThrow({ where: { key } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    expect(row.requestHash).toBe(
      requestHash({ query: createBatch, operationName: null, variables: { brand: org.brand.gid, brief } }),
    );
    await endGeneration(batches.map((batch) => batch.id));
  });
});

/** An APPROVED carousel with its two slides rendered, ready to publish. */
async function approvedCarousel(caption: string) {
  const post = await api.db.post.create({
    data: {
      organizationId: org.organization.id,
      brandId: org.brand.id,
      status: 'APPROVED',
      caption,
      slides: {
        create: [
          { position: 0, heading: 'One' },
          { position: 1, heading: 'Two' },
        ],
      },
    },
  });
  const storage = createLocalStorage({
    root: api.config.PRESSROOM_MEDIA_DIR,
    signer: createUrlSigner({ baseUrl: `${api.url}/media`, secret: api.config.PRESSROOM_MEDIA_SECRET! }),
  });
  const image = await sharp({ create: { width: 1080, height: 1350, channels: 3, background: '#c0ffee' } })
    .jpeg()
    .toBuffer();
  for (const position of [0, 1]) {
    const storageKey = `org/${org.organization.id}/media/${post.id}-${position}.jpg`;
    await storage.put(storageKey, image, { contentType: 'image/jpeg' });
    const media = await api.db.media.create({
      data: {
        organizationId: org.organization.id,
        postId: post.id,
        kind: 'IMAGE',
        status: 'READY',
        contentType: 'image/jpeg',
        byteSize: image.length,
        width: 1080,
        height: 1350,
        storageKey,
      },
    });
    await api.db.slide.update({
      where: { postId_position: { postId: post.id, position } },
      data: { mediaId: media.id },
    });
  }
  return { id: post.id, gid: gid('Post', post.id) };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const postsOnTikTok = (caption: string) =>
  tiktok.listPosts().filter((row) => JSON.stringify(row.request).includes(caption)).length;

const schedulePost = `mutation($id: ID!, $at: DateTime!, $accounts: [ID!]) {
  schedulePost(id: $id, scheduledAt: $at, socialAccountIds: $accounts) {
    __typename ... on Error { code message } ... on MutationSchedulePostSuccess { data { id status } } } }`;

const retryPublication = `mutation($id: ID!) { retryPublication(id: $id) {
  __typename ... on Error { code message } ... on MutationRetryPublicationSuccess { data { id state } } } }`;

describe.each(['sequential', 'concurrent'] as const)('publishing, %s', (mode) => {
  async function twice(query: string, variables: Record<string, unknown>, key: string) {
    if (mode === 'sequential') {
      const first = await send(query, variables, { key });
      return [first, await send(query, variables, { key, url: secondUrl })];
    }
    return Promise.all([send(query, variables, { key }), send(query, variables, { key, url: secondUrl })]);
  }

  test('schedulePost twice with one key: one publication, one TikTok post, the same answer', async () => {
    const caption = `Scheduled once (${mode}) ${Date.now()}`;
    const post = await approvedCarousel(caption);
    const variables = {
      id: post.gid,
      at: new Date(Date.now() + 1_000).toISOString(),
      accounts: [gid('SocialAccount', accountId)],
    };
    const answers = await twice(schedulePost, variables, newKey('schedule'));
    expect(answers[0]!.body.data?.schedulePost?.__typename).toBe('MutationSchedulePostSuccess');
    expect(answers[1]!.text).toBe(answers[0]!.text);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(1);
    const publication = await waitFor(
      () => api.db.publication.findFirstOrThrow({ where: { postId: post.id } }),
      (row) => row.state === 'PUBLISHED' || row.state === 'FAILED',
      'the publication to finish',
    );
    expect(publication.state).toBe('PUBLISHED');
    expect(await api.db.publication.count({ where: { postId: post.id } })).toBe(1);
    expect(postsOnTikTok(caption)).toBe(1);
  });

  test('retryPublication twice with one key: one retry, one TikTok post, the same answer', async () => {
    const caption = `Retried once (${mode}) ${Date.now()}`;
    const post = await approvedCarousel(caption);
    const publication = await api.db.publication.create({
      data: {
        organizationId: org.organization.id,
        postId: post.id,
        socialAccountId: accountId,
        platform: 'TIKTOK',
        state: 'FAILED',
        failureCategory: 'REJECTED_BY_PLATFORM',
        scheduledAt: new Date(),
        attemptCount: 1,
      },
    });
    await api.db.post.update({ where: { id: post.id }, data: { status: 'FAILED' } });
    const answers = await twice(retryPublication, { id: gid('Publication', publication.id) }, newKey('retry'));
    expect(answers[0]!.body.data?.retryPublication?.__typename).toBe('MutationRetryPublicationSuccess');
    expect(answers[1]!.text).toBe(answers[0]!.text);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(1);
    const done = await waitFor(
      () => api.db.publication.findUniqueOrThrow({ where: { id: publication.id } }),
      (row) => row.state === 'PUBLISHED' || (row.state === 'FAILED' && row.attemptCount > 1),
      'the retry to finish',
    );
    expect(done.state).toBe('PUBLISHED');
    // One retry ran: one attempt recorded (the seeded failure had none).
    expect(await api.db.publishAttempt.count({ where: { publicationId: publication.id } })).toBe(1);
    expect(postsOnTikTok(caption)).toBe(1);
  });
});
