import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { loadApiConfig } from '../src/config.js';
import { gid, seedApiToken, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
beforeAll(async () => {
  // A small bucket so that exhausting it takes a few requests, and a slow refill.
  api = await startTestApi({
    API_TOKEN_COST_BUCKET: '300',
    API_TOKEN_COST_RESTORE_RATE: '1',
    CORS_ORIGINS: 'https://studio.example, http://localhost:5173',
  });
  org = await seedOrganization(api);
});
afterAll(() => api?.close());

function nested(depth: number): string {
  let selection = 'id';
  for (let i = 0; i < depth; i += 1)
    selection = `organization { brands(first: 1) { edges { node { ${selection} } } } }`;
  return selection;
}

describe('refused before execution', () => {
  test('a depth-20 query', async () => {
    const client = org.members.OWNER.client;
    let response!: Awaited<ReturnType<typeof client.gql>>;
    const statements = await api.countStatements(async () => {
      response = await client.gql(`query($id: ID!) { node(id: $id) { ... on Brand { ${nested(5)} } } }`, {
        id: org.brand.gid,
      });
    });
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.message).toMatch(/depth/i);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // Only the session lookup ran: no resolver touched the database.
    expect(statements.length).toBeLessThanOrEqual(1);
  });

  test('an alias bomb', async () => {
    const aliases = Array.from({ length: 100 }, (_, i) => `a${i}: viewer { id }`).join(' ');
    const response = await org.members.OWNER.client.gql(`{ ${aliases} }`);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.message).toMatch(/alias/i);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('a document with too many tokens', async () => {
    const fields = Array.from({ length: 3_000 }, () => '__typename').join(' ');
    const response = await org.members.OWNER.client.gql(`{ ${fields} }`);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.message).toMatch(/token/i);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  test('a query over the cost limit', async () => {
    const response = await org.members.OWNER.client.gql(
      `query($id: ID!) { organization(id: $id) { posts(first: 5000) { edges { node { id slides { heading } } } } } }`,
      { id: org.organization.gid },
    );
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors?.[0]?.message).toMatch(/costs/);
    expect(response.body.extensions?.cost).toMatchObject({ maximumQueryCost: 10_000 });
  });
});

test('every answer reports its cost; API tokens spend a budget that refuses with RATE_LIMITED when empty', async () => {
  const person = await org.members.OWNER.client.gql(`{ viewer { id } }`);
  expect(person.body.extensions?.cost).toMatchObject({ requestedQueryCost: 2 });

  const { client } = await seedApiToken(api, org.organization.id, ['posts:read']);
  const query = `query($id: ID!) { organization(id: $id) { posts(first: 10) { edges { node { id caption } } } } }`;
  const first = await client.gql(query, { id: org.organization.gid });
  const cost = first.body.extensions?.cost as {
    requestedQueryCost: number;
    throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
  };
  expect(cost.requestedQueryCost).toBeGreaterThan(20);
  expect(cost.throttleStatus).toMatchObject({ maximumAvailable: 300, restoreRate: 1 });
  expect(cost.throttleStatus.currentlyAvailable).toBeLessThanOrEqual(300 - cost.requestedQueryCost + 1);
  let refused: Awaited<ReturnType<typeof client.gql>> | undefined;
  for (let i = 0; i < 20 && !refused; i += 1) {
    const response = await client.gql(query, { id: org.organization.gid });
    if (response.body.errors) refused = response;
  }
  expect(refused?.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
  expect(refused?.body.data).toBeUndefined();
  expect(refused?.body.extensions?.cost).toMatchObject({ throttleStatus: { maximumAvailable: 300 } });
});

describe('query cost: a list is priced by the page it returns, and the dashboard fits', () => {
  const costOf = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await org.members.OWNER.client.gql(query, variables);
    expect(response.body.errors).toBeUndefined();
    return (response.body.extensions?.cost as { requestedQueryCost: number }).requestedQueryCost;
  };

  test('a connection without first costs its default page (20), counted once, not again for its edges', async () => {
    // organizations (a list, 5) × brands (page of 20) × edges (that page, once) × node { id }:
    // 1 + 5 × (1 + 20 × (1 + 1 × (1 + 1))) = 306; it cost 1,106 (and 13,675 was reported) before.
    const unpaged = await costOf(`{ organizations { brands { edges { node { id } } } } }`);
    expect(unpaged).toBe(306);
    expect(await costOf(`{ organizations { brands(first: 20) { edges { node { id } } } } }`)).toBe(unpaged);
    expect(await costOf(`{ organizations { brands(first: 10) { edges { node { id } } } } }`)).toBe(156);
  });

  test('the dashboard’s own queries stay well under GRAPHQL_MAX_COST', async () => {
    const post = `id title caption status version scheduledAt hashtags
      slides { position heading body }
      latestPublication { id state }
      publications { id state platform platformUrl failureReason attempts { number status step failureReason startedAt } }`;
    const costs = {
      navigation: await costOf(
        `{ viewer { id name email } organizations { id name slug brands { edges { node { id name slug } } } } }`,
      ),
      postBoard: await costOf(
        `query($id: ID!) { organization(id: $id) { posts(first: 20) {
          edges { cursor node { ${post} } } pageInfo { hasNextPage endCursor } } } }`,
        { id: org.organization.gid },
      ),
      publications: await costOf(
        `query($id: ID!) { organization(id: $id) { publications(first: 20) { edges { node {
          id state platform scheduledAt platformUrl post { id title } attempts { number status step failureReason } } } } } }`,
        { id: org.organization.gid },
      ),
      notifications: await costOf(
        `{ viewer { notifications(first: 20) { edges { node { id kind subject body } } } } }`,
      ),
    };
    // Measured: navigation 525, postBoard 3,762, publications 622, notifications 122 (postBoard was ~18,000).
    for (const cost of Object.values(costs)) expect(cost).toBeLessThan(api.config.GRAPHQL_MAX_COST / 2);
  });
});

test('CSRF: GraphQL requests that are not JSON need the x-pressroom-csrf header', async () => {
  const client = org.members.OWNER.client;
  const form = await client.request({
    body: new URLSearchParams({ query: 'mutation { signOut }' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(form.status).toBe(403);
  const get = await client.request({ method: 'GET', path: '/graphql?query=%7Bviewer%7Bid%7D%7D', body: null as never });
  expect(get.status).toBe(403);
  const withHeader = await client.request({
    method: 'GET',
    path: '/graphql?query=%7Bviewer%7Bid%7D%7D',
    headers: { 'x-pressroom-csrf': '1' },
    body: null as never,
  });
  expect(withHeader.status).toBe(200);
  // The session survived the refused sign-out.
  const viewer = await client.gql<{ viewer: { id: string } | null }>(`{ viewer { id } }`);
  expect(viewer.body.data?.viewer?.id).toBe(gid('User', org.members.OWNER.userId));
});

test('request ids: a caller’s is echoed, otherwise one is made', async () => {
  const given = await api.anonymous().gql(`{ serverInfo { version } }`, {}, { 'x-request-id': 'caller-request-1234' });
  expect(given.headers.get('x-request-id')).toBe('caller-request-1234');
  const made = await api.anonymous().gql(`{ serverInfo { version } }`, {}, { 'x-request-id': 'bad id with spaces' });
  expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
});

test('serverInfo offers to connect only the networks whose app credentials are set, and Telegram', async () => {
  const bare = await api
    .anonymous()
    .gql<{ serverInfo: { connectableNetworks: string[]; telegramServerBot: boolean } }>(
      `{ serverInfo { connectableNetworks telegramServerBot } }`,
    );
  expect(bare.body.data?.serverInfo).toEqual({ connectableNetworks: ['telegram'], telegramServerBot: false });
  const configured = await startTestApi({
    TIKTOK_CLIENT_KEY: 'key',
    TIKTOK_CLIENT_SECRET: 'secret',
    VK_CLIENT_ID: '51234567',
    TELEGRAM_BOT_TOKEN: '123456:server-bot',
  });
  try {
    const answer = await configured
      .anonymous()
      .gql<{ serverInfo: { connectableNetworks: string[]; telegramServerBot: boolean } }>(
        `{ serverInfo { connectableNetworks telegramServerBot } }`,
      );
    expect(answer.body.data?.serverInfo).toEqual({
      connectableNetworks: ['tiktok', 'vk', 'telegram'],
      telegramServerBot: true,
    });
  } finally {
    await configured.close();
  }
});

test('introspection follows configuration; /health and /ready still answer', async () => {
  const closed = await startTestApi({ GRAPHQL_INTROSPECTION: 'false' });
  try {
    const refused = await closed.anonymous().gql(`{ __schema { types { name } } }`);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.data).toBeUndefined();
    const health = await fetch(`${closed.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${closed.url}/ready`);
    expect(((await ready.json()) as { database: { ok: boolean } }).database.ok).toBe(true);
  } finally {
    await closed.close();
  }
  const open = await api.anonymous().gql<{ __schema: { types: unknown[] } }>(`{ __schema { types { name } } }`);
  expect(open.body.data?.__schema.types.length).toBeGreaterThan(10);
});

test('an unexpected failure is masked as INTERNAL_SERVER_ERROR without details', async () => {
  // A post whose brand row vanished underneath the foreign key is impossible; instead make
  // the database refuse: a closed pool is the simplest real fault.
  const broken = await startTestApi();
  const owner = (await seedOrganization(broken)).members.OWNER.client;
  await broken.db.$executeRawUnsafe(`ALTER TABLE "Brand" RENAME TO "BrandGone"`);
  const response = await owner.gql(`{ organizations { brands(first: 1) { edges { node { name } } } } }`);
  await broken.db.$executeRawUnsafe(`ALTER TABLE "BrandGone" RENAME TO "Brand"`);
  await broken.close();
  expect(response.body.errors?.[0]).toMatchObject({
    message: 'Unexpected error.',
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
  expect(JSON.stringify(response.body)).not.toMatch(/BrandGone|prisma|relation/i);
});

describe("CORS: only the api's own origin and CORS_ORIGINS may call with credentials", () => {
  const preflight = (origin: string) =>
    fetch(`${api.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
  const post = (origin: string) =>
    org.members.OWNER.client.request({
      body: JSON.stringify({ query: '{ viewer { id } }' }),
      headers: { 'content-type': 'application/json', origin },
    });

  test('another site gets no CORS headers, on the preflight or on the answer', async () => {
    for (const response of [await preflight('https://evil.example'), await post('https://evil.example')]) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  test("a configured origin and the api's own are allowed with credentials", async () => {
    for (const origin of ['https://studio.example', 'http://localhost:5173', api.url]) {
      for (const response of [await preflight(origin), await post(origin)]) {
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
        expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      }
    }
    const allowed = await preflight('https://studio.example');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-pressroom-csrf');
  });

  test('the WebSocket honours the cookie under the same rule', async () => {
    const attempt = async (origin: string) => {
      const client = createClient({
        url: `${api.url.replace('http', 'ws')}/graphql`,
        retryAttempts: 0,
        webSocketImpl: class extends WebSocket {
          constructor(address: string, protocols?: string | string[]) {
            super(address, protocols, { headers: { origin, cookie: org.members.OWNER.client.cookie! } });
          }
        },
      });
      try {
        return await new Promise<string>((resolve) => {
          client.subscribe(
            { query: `query { viewer { id } }` },
            {
              next: (result) => resolve(JSON.stringify(result.data)),
              error: () => resolve('error'),
              complete: () => undefined,
            },
          );
        });
      } finally {
        await client.dispose();
      }
    };
    const me = JSON.stringify({ viewer: { id: gid('User', org.members.OWNER.userId) } });
    expect(await attempt('https://studio.example')).toBe(me);
    expect(await attempt(api.url)).toBe(me);
    expect(await attempt('https://evil.example')).toBe(JSON.stringify({ viewer: null }));
  });

  test('CORS_ORIGINS takes origins only', () => {
    const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/x', TEMPORAL_ADDRESS: '127.0.0.1:7233' };
    expect(loadApiConfig({ ...base, CORS_ORIGINS: 'https://a.example/, http://b.example:8080' }).CORS_ORIGINS).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(loadApiConfig(base).CORS_ORIGINS).toEqual([]);
    for (const bad of ['*', 'https://a.example/app', 'a.example', 'ftp://a.example'])
      expect(() => loadApiConfig({ ...base, CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
  });
});
