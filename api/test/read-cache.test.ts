// The read cache (api/src/read-cache.ts): a person's repeated post list is answered from memory,
// and every change to a row it was built from (made by anyone: the api, the worker, plain SQL)
// shows at the next read. The cache keeps answers for 60 s, so a change that did not reach it
// would show stale data for a minute: each "shows" below waits at most 5 s.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  seedApiToken,
  seedOrganization,
  startTestApi,
  type SeededOrganization,
  type TestApi,
  type TestClient,
} from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;

const postList = `query PostList($id: ID!) {
  organization(id: $id) {
    id
    posts(first: 50) {
      totalCount
      edges { node {
        id title caption status
        brand { id name primaryColor }
        slides { position heading body imageUrl }
        latestPublication { id state platform failureReason latestMetrics { viewCount likeCount } }
      } }
    }
  }
}`;

interface PostListData {
  organization: {
    posts: {
      totalCount: number;
      edges: Array<{
        node: {
          id: string;
          caption: string;
          brand: { name: string };
          slides: Array<{ heading: string; imageUrl: string | null }>;
          latestPublication: { state: string; latestMetrics: { viewCount: string } | null } | null;
        };
      }>;
    };
  } | null;
}

async function read(client: TestClient, organizationGid = org.organization.gid) {
  const response = await client.gql<PostListData>(postList, { id: organizationGid });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.organization!.posts;
}

/** The statements one read costs: the session alone when it is answered from the cache. */
async function statementsOfRead(client: TestClient) {
  return (await api.countStatements(() => read(client))).length;
}

/** Until the cache is listening (its channel connects after the server starts), reads are computed. */
async function cached(client: TestClient) {
  await expect.poll(() => statementsOfRead(client), { timeout: 10_000 }).toBe(1);
}

function nodeOf(posts: Awaited<ReturnType<typeof read>>, postId: string) {
  return posts.edges.find((edge) => edge.node.id === postId)?.node;
}

beforeAll(async () => {
  api = await startTestApi();
  org = await seedOrganization(api);
  other = await seedOrganization(api);
});
afterAll(() => api?.close());

describe('a repeated post list', () => {
  test('is answered from the cache with the same JSON, costing only the session lookup', async () => {
    const client = org.members.EDITOR.client;
    const computed = await read(client);
    await cached(client);
    expect(await read(client)).toEqual(computed);
    expect(computed.edges.length).toBeGreaterThan(0);
  });

  test('is not shared between people: each gets an answer computed for them first', async () => {
    await cached(org.members.EDITOR.client);
    // The owner's first read computes (2 statements and more), whatever the editor has cached.
    expect(await statementsOfRead(org.members.OWNER.client)).toBeGreaterThanOrEqual(2);
  });

  test('is never cached for an API token (each read pays its cost budget)', async () => {
    const { client } = await seedApiToken(api, org.organization.id, ['posts:read', 'brands:read', 'analytics:read']);
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await statementsOfRead(client));
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
  });

  test('is never cached when it asks for a field read from elsewhere (approvals)', async () => {
    const client = org.members.EDITOR.client;
    const withApprovals = `query($id: ID!) { organization(id: $id) { id posts(first: 5) { edges { node { id approvals } } } } }`;
    await client.gql(withApprovals, { id: org.organization.gid });
    const statements = await api.countStatements(() => client.gql(withApprovals, { id: org.organization.gid }));
    expect(statements.length).toBeGreaterThanOrEqual(2);
  });
});

describe('a change shows at the next read', () => {
  const post = () => org.posts.published;

  test('a caption changed in the database (as the worker writes)', async () => {
    const client = org.members.EDITOR.client;
    await cached(client);
    await api.db.post.update({ where: { id: post().id }, data: { caption: 'Changed behind the api' } });
    await expect
      .poll(async () => nodeOf(await read(client), post().gid)?.caption, { timeout: 5_000 })
      .toBe('Changed behind the api');
  });

  test('a slide heading', async () => {
    const client = org.members.EDITOR.client;
    await cached(client);
    const slide = await api.db.slide.findFirstOrThrow({ where: { postId: post().id }, orderBy: { position: 'asc' } });
    await api.db.slide.update({ where: { id: slide.id }, data: { heading: 'New heading' } });
    await expect
      .poll(async () => nodeOf(await read(client), post().gid)?.slides.map((s) => s.heading), { timeout: 5_000 })
      .toContain('New heading');
  });

  test('a brand renamed', async () => {
    const client = org.members.EDITOR.client;
    await cached(client);
    await api.db.brand.update({ where: { id: org.brand.id }, data: { name: 'Renamed brand' } });
    await expect
      .poll(async () => nodeOf(await read(client), post().gid)?.brand.name, { timeout: 5_000 })
      .toBe('Renamed brand');
  });

  test("a publication's state and its video's metrics", async () => {
    const client = org.members.EDITOR.client;
    const before = nodeOf(await read(client), post().gid)!;
    expect(before.latestPublication).not.toBeNull();
    await cached(client);
    const publication = await api.db.publication.findFirstOrThrow({
      where: { postId: post().id },
      orderBy: { createdAt: 'desc' },
    });
    await api.db.platformVideo.updateMany({ where: { publicationId: publication.id }, data: { viewCount: 987_654n } });
    await expect
      .poll(async () => nodeOf(await read(client), post().gid)?.latestPublication?.latestMetrics?.viewCount, {
        timeout: 5_000,
      })
      .toBe('987654');
    await cached(client);
    await api.db.publication.update({ where: { id: publication.id }, data: { state: 'FAILED', failureReason: 'x' } });
    await expect
      .poll(async () => nodeOf(await read(client), post().gid)?.latestPublication?.state, { timeout: 5_000 })
      .toBe('FAILED');
  });

  test('a post added and a post deleted (the count and the page)', async () => {
    const client = org.members.EDITOR.client;
    const before = await read(client);
    await cached(client);
    const added = await api.db.post.create({
      data: { organizationId: org.organization.id, brandId: org.brand.id, caption: 'Brand new' },
    });
    await expect.poll(async () => (await read(client)).totalCount, { timeout: 5_000 }).toBe(before.totalCount + 1);
    await cached(client);
    await api.db.post.delete({ where: { id: added.id } });
    await expect.poll(async () => (await read(client)).totalCount, { timeout: 5_000 }).toBe(before.totalCount);
  });

  test("a person's own edit shows in their very next read, without waiting for the announcement", async () => {
    const client = org.members.EDITOR.client;
    const draft = org.posts.draft;
    await cached(client);
    const { version } = await api.db.post.findUniqueOrThrow({ where: { id: draft.id } });
    const edited = await client.gql(
      `mutation($id: ID!, $v: Int!) { updatePost(id: $id, expectedVersion: $v, caption: "Edited just now") { __typename } }`,
      { id: draft.gid, v: version },
    );
    expect(edited.body.data).toEqual({ updatePost: { __typename: 'MutationUpdatePostSuccess' } });
    expect(nodeOf(await read(client), draft.gid)?.caption).toBe('Edited just now');
  });

  test("another organization's change leaves this one's answer cached", async () => {
    const client = org.members.EDITOR.client;
    await cached(client);
    await api.db.post.update({ where: { id: other.posts.published.id }, data: { caption: 'Elsewhere' } });
    // The other organization's reader sees it...
    await expect
      .poll(
        async () =>
          nodeOf(await read(other.members.EDITOR.client, other.organization.gid), other.posts.published.gid)?.caption,
        { timeout: 5_000 },
      )
      .toBe('Elsewhere');
    // ...and this one's answer was never dropped.
    expect(await statementsOfRead(client)).toBe(1);
  });
});

test('readers racing a writer: once a change is announced, no answer computed before it is served', async () => {
  // Eight readers share one cache key (one person), so answers are always being computed, kept
  // and dropped while the caption changes underneath. An answer computed from the rows before a
  // change and kept after the change's announcement would be served for the cache's whole minute.
  const client = org.members.EDITOR.client;
  const target = org.posts.approved;
  let writing = true;
  let reads = 0;
  const readers = Array.from({ length: 8 }, async () => {
    while (writing) {
      await read(client);
      reads += 1;
    }
  });
  const stale: string[] = [];
  try {
    for (let version = 1; version <= 60; version++) {
      // The first change sends the readers computing; the second lands while they are.
      await api.db.post.update({ where: { id: target.id }, data: { caption: `race ${version} (first)` } });
      await new Promise((resolve) => setTimeout(resolve, 4));
      await api.db.post.update({ where: { id: target.id }, data: { caption: `race ${version}` } });
      // Long enough for the announcement to arrive, not for the readers to stop.
      await new Promise((resolve) => setTimeout(resolve, 40));
      const caption = nodeOf(await read(client), target.gid)?.caption;
      if (caption !== `race ${version}`) stale.push(`after race ${version}: ${caption}`);
    }
  } finally {
    writing = false;
    await Promise.all(readers);
  }
  expect(stale).toEqual([]);
  expect(reads).toBeGreaterThan(30);
  expect(await statementsOfRead(client)).toBe(1);
});

test('a member who loses access is not answered from what was cached for them', async () => {
  const client = org.members.ANALYST.client;
  await read(client);
  await cached(client);
  await api.db.membership.delete({ where: { id: org.members.ANALYST.membershipId } });
  const response = await client.gql<PostListData>(postList, { id: org.organization.gid });
  expect(response.body.data?.organization ?? null).toBeNull();
});

test('what changed while the announcement channel was down shows once it is back', async () => {
  const client = org.members.OWNER.client;
  await cached(client);
  const url = api.config.DATABASE_URL;
  // Opened before the database refuses new connections: it writes while the listener cannot listen.
  const writer = new pg.Client({ connectionString: url });
  await writer.connect();
  const name = (await writer.query<{ name: string }>('SELECT current_database() AS name')).rows[0]!.name;
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  const listening = async () =>
    (
      await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pressroom-events' AND datname = $1`,
        [name],
      )
    ).rows[0]!.n;
  try {
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pressroom-events' AND datname = $1`,
      [name],
    );
    await expect.poll(listening, { timeout: 5_000 }).toBe(0);
    // Announced to no one: the listener is gone and cannot come back yet.
    await writer.query(`UPDATE "Post" SET "caption" = 'While nobody listened' WHERE "id" = $1`, [
      org.posts.scheduled.id,
    ]);
  } finally {
    await admin.query(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
  }
  await expect.poll(listening, { timeout: 15_000 }).toBe(1);
  await admin.end();
  await writer.end();
  // Everything cached before the gap was forgotten when the listener came back.
  await expect
    .poll(async () => nodeOf(await read(client), org.posts.scheduled.gid)?.caption, { timeout: 5_000 })
    .toBe('While nobody listened');
});
