// The whole live path across processes: the real worker process publishes a post to the
// TikTok emulator through the publish workflow, writing each publication change with its
// event; two separate api processes each hear it on their own LISTEN connection and push it to
// their WebSocket subscribers. Another organization hears nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, temporalAddress, type TestDatabase } from '@pressroom/db/testing';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { schedulePublication } from '@pressroom/workflows/client';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TikTokEmulator } from '../../workflows/src/emulators/tiktok.js';
import { createLocalStorage, createUrlSigner } from '../../workflows/src/storage/index.js';
import { seedTenant } from '../../workflows/test/helpers.js';
import { connectTikTokAccount, createVideoPublication } from '../../workflows/test/support/publishing.js';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { sessionCookie } from '../src/auth/sessions.js';
import { freePort } from '../../scripts/stack/ports.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const workerEntry = fileURLToPath(new URL('../../workflows/test/support/publish-worker.ts', import.meta.url));
const taskQueue = `live-${randomBytes(4).toString('hex')}`;
const sessionSecret = randomSecret();
const tokenKeys = `k1:${randomBytes(32).toString('base64')}`;

let database: TestDatabase;
let db: Database;
let emulator: TikTokEmulator;
let temporal: TemporalClient;
let mediaDir: string;
const processes: ChildProcess[] = [];
const sockets: Client[] = [];

function startProcess(entry: string, env: Record<string, string>, readyWhen: (output: string) => boolean) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  processes.push(child);
  let output = '';
  return new Promise<ChildProcess>((resolve, reject) => {
    const check = (chunk: Buffer) => {
      output += chunk.toString();
      if (readyWhen(output)) resolve(child);
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}):\n${output}`)));
  });
}

async function startApi(): Promise<string> {
  const port = await freePort();
  await startProcess(
    'api/src/main.ts',
    {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress(),
      PORT: String(port),
      SESSION_SECRET: sessionSecret,
      LOG_LEVEL: 'info',
    },
    (output) => output.includes('api listening'),
  );
  return `ws://127.0.0.1:${port}/graphql`;
}

async function cookieFor(userId: string): Promise<string> {
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + 3_600_000);
  await db.session.create({ data: { userId, tokenHash: sha256(secret), expiresAt } });
  return sessionCookie(
    { SESSION_SECRET: sessionSecret, SESSION_TTL_HOURS: 1, COOKIE_SECURE: true },
    secret,
    expiresAt,
  ).split(';')[0]!;
}

function subscribeToPublications(url: string, cookie: string, organizationId: string) {
  class WithCookie extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie } });
    }
  }
  const client = createClient({ url, webSocketImpl: WithCookie, retryAttempts: 0 });
  sockets.push(client);
  const states: string[] = [];
  const errors: string[] = [];
  client.subscribe<{ publicationChanged: { state: string } | null }>(
    {
      query: 'subscription ($org: ID!) { publicationChanged(organizationId: $org) { state } }',
      variables: { org: Buffer.from(`Organization:${organizationId}`).toString('base64url') },
    },
    {
      next: (result) => {
        const state = result.data?.publicationChanged?.state;
        if (state) states.push(state);
        if (result.errors) errors.push(JSON.stringify(result.errors));
      },
      error: (error) => errors.push(JSON.stringify(error)),
      complete: () => {},
    },
  );
  return { states, errors };
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrismaClient({ databaseUrl: database.url });
  mediaDir = await mkdtemp(join(tmpdir(), 'pressroom-live-media-'));
  emulator = new TikTokEmulator({ processingMs: 300, moderationMs: 0, dailyPostCap: 1000 });
  await emulator.start();
  temporal = new TemporalClient({ connection: await Connection.connect({ address: temporalAddress() }) });
  await startProcess(
    workerEntry,
    {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: temporalAddress(),
      TASK_QUEUE: taskQueue,
      TIKTOK_BASE_URL: emulator.server.baseUrl,
      TIKTOK_CLIENT_KEY: emulator.clientKey,
      TIKTOK_CLIENT_SECRET: emulator.clientSecret,
      TOKEN_KEYS: tokenKeys,
      MEDIA_DIR: mediaDir,
    },
    (output) => output.includes('worker ready'),
  );
});

afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  for (const child of processes) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await temporal?.connection.close();
  await emulator?.stop();
  await db?.$disconnect();
  await database?.drop();
  if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
});

describe('live updates across processes', () => {
  it(
    'a publish by the worker reaches subscribers on both api processes, and no one else',
    { timeout: 90_000 },
    async () => {
      const [firstApi, secondApi] = await Promise.all([startApi(), startApi()]);
      const vault = createVault(parseKeyRing(tokenKeys));
      const account = await connectTikTokAccount(db, vault, emulator);
      const outsider = await seedTenant(db);

      const onFirst = subscribeToPublications(firstApi, await cookieFor(account.userId), account.organizationId);
      const onSecond = subscribeToPublications(secondApi, await cookieFor(account.userId), account.organizationId);
      const otherOrg = subscribeToPublications(firstApi, await cookieFor(outsider.userId), outsider.organizationId);
      const prying = subscribeToPublications(secondApi, await cookieFor(outsider.userId), account.organizationId);
      await new Promise((resolve) => setTimeout(resolve, 500));

      const storage = createLocalStorage({
        root: mediaDir,
        signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
      });
      const publication = await createVideoPublication(db, storage, account, { bytes: 1024 * 1024 });
      const handle = await schedulePublication(temporal, publication.id, { taskQueue });
      await expect(handle.result()).resolves.toMatchObject({ state: 'PUBLISHED' });

      await expect.poll(() => onFirst.states.at(-1), { timeout: 10_000 }).toBe('PUBLISHED');
      await expect.poll(() => onSecond.states.at(-1), { timeout: 10_000 }).toBe('PUBLISHED');
      expect(onFirst.states).toContain('PUBLISHING');
      expect(onSecond.states).toContain('PUBLISHING');
      expect(otherOrg.states).toEqual([]);
      expect(prying.states).toEqual([]);
      expect(prying.errors.join()).toContain('NOT_FOUND');
    },
  );
});
