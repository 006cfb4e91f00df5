// The api's black-box test kit: a real server on a loopback port over a database of its own,
// seed helpers that write rows directly (fast), and clients that speak GraphQL over HTTP
// with a session cookie or an API token.
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient, hashPassword, type Database, type Role } from '@pressroom/db';
import { createTestDatabase, temporalAddress, type TestDatabase } from '@pressroom/db/testing';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import type {
  ActivityDependencies,
  PublishSettings,
  PublisherClients,
  WebhookSettings,
} from '@pressroom/workflows/activities';
import { connectTemporalClient } from '@pressroom/workflows/client';
import { AnthropicEmulator, TikTokAdsEmulator } from '@pressroom/workflows/emulators';
import { createAnthropicGenerator, tiktok, tiktokAds } from '@pressroom/workflows/platforms';
import { createLocalStorage, createUrlSigner } from '@pressroom/workflows/storage';
import { holdWorkerPresence, type WorkerPresence } from '@pressroom/workflows/presence';
import { createPressroomWorker } from '@pressroom/workflows/worker';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { apiTokenPrefix, sessionCookie, sessionCookieName } from '../src/auth/sessions.js';
import { loadApiConfig, type ApiConfig } from '../src/config.js';
import { createLogger, type Logger } from '../src/logger.js';
import { encodeGlobalId } from '../src/schema/ids.js';
import { createApiServer } from '../src/server.js';
import type { Mailer } from '../src/services/context.js';

export const testPassword = 'correct horse battery staple';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  };
}

export class TestClient {
  cookie: string | null = null;
  constructor(
    readonly url: string,
    readonly auth: { token?: string } = {},
  ) {}

  async request(init: { body: BodyInit; headers?: Record<string, string>; method?: string; path?: string }) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.auth.token) headers.authorization = `Bearer ${this.auth.token}`;
    const response = await fetch(`${this.url}${init.path ?? '/graphql'}`, {
      method: init.method ?? 'POST',
      headers,
      body: init.body,
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      const value = pair?.slice(pair.indexOf('=') + 1) ?? '';
      this.cookie = value ? pair! : null;
    }
    return response;
  }

  /** A GraphQL multipart request (one file, in variable `file`), with the CSRF header. */
  async upload<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    file: { name: string; type: string; bytes: Buffer },
    headers: Record<string, string> = { 'x-pressroom-csrf': '1' },
  ): Promise<GraphQLResponse<T>> {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query, variables: { ...variables, file: null } }));
    form.set('map', JSON.stringify({ 0: ['variables.file'] }));
    form.set('0', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    // Encoded up front so the request declares its length, as browsers do.
    const encoded = new Response(form);
    const body = Buffer.from(await encoded.arrayBuffer());
    const response = await this.request({
      body,
      headers: { 'content-type': encoded.headers.get('content-type')!, ...headers },
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text) as GraphQLResponse<T>['body'] };
  }

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<GraphQLResponse<T>> {
    const response = await this.request({
      body: JSON.stringify({ query, variables }),
      headers: { 'content-type': 'application/json', ...headers },
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as GraphQLResponse<T>['body'],
    };
  }
}

export interface SentMail {
  kind: 'password-reset' | 'invite';
  email: string;
  token: string;
}

export interface TestApi {
  url: string;
  /** The TikTok Marketing API the server talks to (unless the test set TIKTOK_ADS_APP_ID). */
  tiktokAds: TikTokAdsEmulator;
  /** The worker's AI provider unless a test hands in its own (seeded organizations have AI text on). */
  anthropic: AnthropicEmulator;
  db: Database;
  config: ApiConfig;
  /** Where uploaded objects land (a temporary folder). */
  mediaDir: string;
  mail: SentMail[];
  /** The in-process worker's presence connection (what /ready counts), when the api has a worker. */
  workerPresence?: WorkerPresence;
  /** Runs `work` and returns the SQL statements the server issued meanwhile. */
  countStatements(work: () => Promise<unknown>): Promise<string[]>;
  anonymous(): TestClient;
  /** A client with a session for `userId`, made directly in the database. */
  signedInAs(userId: string): Promise<TestClient>;
  withToken(token: string): TestClient;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /**
   * Runs a Temporal worker in the test process on the api's task queue, with the real
   * workflows and activities (the api's database, media folder and token keys), for
   * mutations that wait on a workflow's answer (approve, reject, cancel...).
   */
  worker?: {
    publishSettings?: Partial<PublishSettings>;
    webhookSettings?: Partial<WebhookSettings>;
    networks?: PublisherClients;
    /** More of the activities' dependencies (an AI generator for batches, content settings...). */
    activities?: Partial<Omit<ActivityDependencies, 'db' | 'taskQueue'>>;
  };
  /** The server's logger (silent when not given). */
  logger?: Logger;
}

export async function startTestApi(env: Record<string, string> = {}, options: TestApiOptions = {}): Promise<TestApi> {
  const database: TestDatabase = await createTestDatabase();
  const tiktokAds = new TikTokAdsEmulator();
  const tiktokAdsUrl = await tiktokAds.start();
  const anthropic = new AnthropicEmulator({ requestsPerMinute: 10_000 });
  const anthropicUrl = await anthropic.start();
  const mediaDir = await mkdtemp(join(tmpdir(), 'pressroom-api-media-'));
  let recording: string[] | null = null;
  const db = createPrismaClient({
    databaseUrl: database.url,
    maxConnections: 4,
    onQuery: (sql) => recording?.push(sql),
  });
  const config = loadApiConfig({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporalAddress(),
    SESSION_SECRET: randomSecret(),
    LOG_LEVEL: 'silent',
    PRESSROOM_MEDIA_DIR: mediaDir,
    // Each file's own queue: no worker polls it unless the file asks for one.
    TEMPORAL_TASK_QUEUE: `api-test-${randomSecret().slice(0, 8)}`,
    // Shared with the in-process worker, as `npm start` shares them between api and worker.
    PRESSROOM_TOKEN_KEYS: `test:${randomBytes(32).toString('base64')}`,
    PRESSROOM_MEDIA_SECRET: randomSecret(),
    TIKTOK_ADS_APP_ID: tiktokAds.appId,
    TIKTOK_ADS_SECRET: tiktokAds.secret,
    TIKTOK_ADS_API_BASE_URL: tiktokAdsUrl,
    TIKTOK_ADS_PORTAL_BASE_URL: tiktokAdsUrl,
    ...env,
  });
  const mail: SentMail[] = [];
  const mailer: Mailer = {
    sendPasswordReset: (email, token) => {
      mail.push({ kind: 'password-reset', email, token });
      return Promise.resolve();
    },
    sendInvite: (email, _organization, token) => {
      mail.push({ kind: 'invite', email, token });
      return Promise.resolve();
    },
  };
  const temporal = connectTemporalClient({ address: config.TEMPORAL_ADDRESS, namespace: 'default' });
  const logger = options.logger ?? createLogger('silent', 'api-test');
  const server = createApiServer({ db, temporal, logger, config, mailer });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const worker = options.worker
    ? await startWorker(config, db, url, {
        ...options.worker,
        activities: {
          ai: createAnthropicGenerator({ apiKey: 'api-test', baseUrl: anthropicUrl }),
          ...options.worker.activities,
        },
      })
    : undefined;

  return {
    url,
    tiktokAds,
    anthropic,
    db,
    config,
    mediaDir,
    mail,
    workerPresence: worker?.presence,
    async countStatements(work) {
      const statements: string[] = [];
      recording = statements;
      try {
        await work();
      } finally {
        recording = null;
      }
      return statements;
    },
    anonymous: () => new TestClient(url),
    async signedInAs(userId) {
      const secret = randomSecret();
      const expiresAt = new Date(Date.now() + 3_600_000);
      await db.session.create({ data: { userId, tokenHash: sha256(secret), expiresAt } });
      const client = new TestClient(url);
      const [pair] = sessionCookie(config, secret, expiresAt).split(';');
      client.cookie = pair!;
      return client;
    },
    withToken: (token) => new TestClient(url, { token }),
    async close() {
      await worker?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([db.$disconnect(), temporal.connection.close()]);
      await database.drop();
      await tiktokAds.stop();
      await anthropic.stop();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

let runtimeInstalled = false;
/** The worker's own log lines (task failures the tests cause on purpose) stay out of test output. */
function quietWorkerLogs() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

async function startWorker(
  config: ApiConfig,
  db: Database,
  apiUrl: string,
  options: NonNullable<TestApiOptions['worker']>,
) {
  quietWorkerLogs();
  const { worker, connection } = await createPressroomWorker({
    address: config.TEMPORAL_ADDRESS,
    namespace: 'default',
    activities: {
      db,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      vault: createVault(parseKeyRing(config.PRESSROOM_TOKEN_KEYS!, config.PRESSROOM_TOKEN_KEY_CURRENT)),
      storage: createLocalStorage({
        root: config.PRESSROOM_MEDIA_DIR,
        signer: createUrlSigner({ baseUrl: `${apiUrl}/media`, secret: config.PRESSROOM_MEDIA_SECRET! }),
      }),
      tiktok: tiktok.createTikTokClient({
        clientKey: config.TIKTOK_CLIENT_KEY ?? 'unused',
        clientSecret: config.TIKTOK_CLIENT_SECRET ?? 'unused',
        authBaseUrl: config.TIKTOK_AUTH_BASE_URL,
        apiBaseUrl: config.TIKTOK_API_BASE_URL,
      }),
      tiktokAds: tiktokAds.createTikTokAdsClient({
        apiBaseUrl: config.TIKTOK_ADS_API_BASE_URL,
        appId: config.TIKTOK_ADS_APP_ID,
        secret: config.TIKTOK_ADS_SECRET,
      }),
      ...(options.publishSettings ? { settings: options.publishSettings } : {}),
      ...(options.webhookSettings ? { webhookSettings: options.webhookSettings } : {}),
      // The brands' blogs are always a target: they need nothing but the api's address.
      networks: { blog: { publicBaseUrl: config.PUBLIC_BASE_URL ?? apiUrl }, ...options.networks },
      ...options.activities,
    },
  });
  // As a worker process does (workflows/src/main.ts): /ready counts this connection.
  const presence = holdWorkerPresence({ databaseUrl: config.DATABASE_URL, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const running = worker.run();
  return {
    presence,
    close: async () => {
      worker.shutdown();
      await running;
      await presence.stop();
      await connection.close();
    },
  };
}

export const gid = encodeGlobalId;

let passwordHash: Promise<string> | undefined;
/** One scrypt hash per test file: every seeded person has `testPassword`. */
export function testPasswordHash(): Promise<string> {
  passwordHash ??= hashPassword(testPassword);
  return passwordHash;
}

let sequence = 0;
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${sequence}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function seedUser(db: Database, name = 'Person') {
  return db.user.create({
    data: { email: `${unique('user')}@example.test`, name, passwordHash: await testPasswordHash() },
  });
}

export const roles: Role[] = ['OWNER', 'ADMIN', 'EDITOR', 'REVIEWER', 'ANALYST'];

export interface SeededOrganization {
  organization: { id: string; gid: string };
  brand: { id: string; gid: string };
  members: Record<Role, { userId: string; membershipId: string; client: TestClient }>;
  /** A post in each interesting state, with slides, a publication and metrics. */
  posts: Record<'draft' | 'inReview' | 'approved' | 'scheduled' | 'published', { id: string; gid: string }>;
  document: { id: string; gid: string };
  batch: { id: string; gid: string };
  invite: { id: string; gid: string };
  apiToken: { id: string; gid: string };
}

/** An organization with one member of every role, a brand, posts in every state people drive, and the rest. */
export async function seedOrganization(api: TestApi): Promise<SeededOrganization> {
  const { db } = api;
  const organization = await db.organization.create({
    // Opted into AI text, as the batch tests need; ai-opt-in.test.ts covers organizations that are not.
    data: { name: 'Org', slug: unique('org'), settings: { create: { aiTextEnabled: true } } },
  });
  const orgId = organization.id;
  const members = {} as SeededOrganization['members'];
  for (const role of roles) {
    const user = await seedUser(db, role);
    const membership = await db.membership.create({ data: { organizationId: orgId, userId: user.id, role } });
    members[role] = { userId: user.id, membershipId: membership.id, client: await api.signedInAs(user.id) };
  }
  const brand = await db.brand.create({ data: { organizationId: orgId, name: 'Brand', slug: unique('brand') } });
  const account = await db.socialAccount.create({
    data: { organizationId: orgId, brandId: brand.id, platform: 'TIKTOK', platformAccountId: unique('acct') },
  });
  const makePost = async (status: 'DRAFT' | 'IN_REVIEW' | 'APPROVED' | 'SCHEDULED' | 'PUBLISHED') => {
    const post = await db.post.create({
      data: {
        organizationId: orgId,
        brandId: brand.id,
        status,
        caption: `${status} caption`,
        hashtags: ['#one'],
        scheduledAt: status === 'SCHEDULED' ? new Date(Date.now() + 86_400_000) : null,
        slides: { create: [{ position: 0, heading: 'H', body: 'B' }] },
      },
    });
    if (status === 'PUBLISHED') {
      const publication = await db.publication.create({
        data: {
          organizationId: orgId,
          postId: post.id,
          socialAccountId: account.id,
          platform: 'TIKTOK',
          state: 'PUBLISHED',
          scheduledAt: new Date(),
        },
      });
      await db.platformVideo.create({
        data: {
          organizationId: orgId,
          socialAccountId: account.id,
          platform: 'TIKTOK',
          platformVideoId: unique('video'),
          publicationId: publication.id,
          postedAt: new Date(),
          viewCount: 1234n,
          metricsCapturedAt: new Date(),
        },
      });
    }
    return { id: post.id, gid: gid('Post', post.id) };
  };
  const posts = {
    draft: await makePost('DRAFT'),
    inReview: await makePost('IN_REVIEW'),
    approved: await makePost('APPROVED'),
    scheduled: await makePost('SCHEDULED'),
    published: await makePost('PUBLISHED'),
  };
  const document = await db.brandKnowledgeDocument.create({
    data: { organizationId: orgId, brandId: brand.id, title: 'Doc', content: 'Knowledge' },
  });
  const batch = await db.batch.create({
    data: { organizationId: orgId, brandId: brand.id, brief: 'Brief', count: 3, platforms: ['TIKTOK'] },
  });
  const invite = await db.invite.create({
    data: {
      organizationId: orgId,
      email: `${unique('invitee')}@example.test`,
      role: 'EDITOR',
      tokenHash: sha256(randomSecret()),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const apiToken = await db.apiToken.create({
    data: {
      organizationId: orgId,
      name: 'Seeded',
      prefix: 'prt_seeded',
      tokenHash: sha256(randomSecret()),
      scopes: ['posts:read'],
    },
  });
  return {
    organization: { id: orgId, gid: gid('Organization', orgId) },
    brand: { id: brand.id, gid: gid('Brand', brand.id) },
    members,
    posts,
    document: { id: document.id, gid: gid('BrandKnowledgeDocument', document.id) },
    batch: { id: batch.id, gid: gid('Batch', batch.id) },
    invite: { id: invite.id, gid: gid('Invite', invite.id) },
    apiToken: { id: apiToken.id, gid: gid('ApiToken', apiToken.id) },
  };
}

/** A token with `scopes` for the organization, made directly in the database. */
export async function seedApiToken(api: TestApi, organizationId: string, scopes: string[]) {
  const token = `${apiTokenPrefix}${randomSecret()}`;
  const row = await api.db.apiToken.create({
    data: { organizationId, name: unique('token'), prefix: token.slice(0, 10), tokenHash: sha256(token), scopes },
  });
  return { token, id: row.id, client: api.withToken(token) };
}

export { sessionCookieName };
