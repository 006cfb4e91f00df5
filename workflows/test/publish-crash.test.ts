import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, temporalAddress, type TestDatabase } from '@pressroom/db/testing';
import { createVault, parseKeyRing } from '@pressroom/db/vault';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicationWorkflowId, schedulePublication } from '../src/client.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { createLocalStorage, createUrlSigner, type ObjectStorage } from '../src/storage/index.js';
import { saveHistory } from './support/histories.js';
import { workerProcesses } from './support/worker-process.js';
import { connectTikTokAccount, createVideoPublication, waitFor, type SeededAccount } from './support/publishing.js';

// Acceptance: the worker PROCESS is killed (SIGKILL) after init, during the upload and during
// status polling; a new process finishes the publish and the emulator holds exactly one post.

const taskQueue = `publish-crash-${randomBytes(4).toString('hex')}`;
const videoBytes = 16 * 1024 * 1024; // three 5 MB chunks, the last one 6 MB
// A killed worker's activity is noticed after its heartbeat timeout and retried after the first
// retry interval: short ones here (production: 5 s, 30 s for the database, 1–2 s).
const activityTimeouts = { heartbeatMs: 2_000, storeMs: 5_000, retryInitialMs: 200 };
// Processing ends only when a test moves the emulator's clock past it, so a kill "during
// polling" always lands while TikTok is still processing.
const processingMs = 10 * 60_000;

describe('killing the worker process in the middle of a publish', () => {
  let database: TestDatabase;
  let db: Database;
  let emulator: TikTokEmulator;
  let client: Client;
  let storage: ObjectStorage;
  let mediaDir: string;
  const keys = `k1:${randomBytes(32).toString('base64')}`;
  const vault = createVault(parseKeyRing(keys));
  const workers = workerProcesses('publish-worker.ts', () => ({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporalAddress(),
    TASK_QUEUE: taskQueue,
    TIKTOK_BASE_URL: emulator.server.baseUrl,
    TIKTOK_CLIENT_KEY: emulator.clientKey,
    TIKTOK_CLIENT_SECRET: emulator.clientSecret,
    TOKEN_KEYS: keys,
    MEDIA_DIR: mediaDir,
  }));
  const startWorker = () => workers.start();
  const kill = (child: ChildProcess) => workers.kill(child);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url });
    mediaDir = await mkdtemp(join(tmpdir(), 'pressroom-crash-media-'));
    storage = createLocalStorage({
      root: mediaDir,
      signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
    });
    emulator = new TikTokEmulator({ processingMs, moderationMs: 0, dailyPostCap: 1000 });
    await emulator.start();
    client = new Client({ connection: await Connection.connect({ address: temporalAddress() }) });
    // Bundled once here rather than inside the first test's time.
    await workers.prepare();
  });

  afterAll(async () => {
    await workers.stopAll();
    await client?.connection.close();
    await emulator?.stop();
    await db?.$disconnect();
    await database?.drop();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  const postsOf = (account: SeededAccount) => emulator.listPosts().filter((post) => post.openId === account.openId);
  const putsSoFar = () => emulator.server.requests.filter((request) => request.path === '/upload/video/').length;
  const pollsSoFar = () =>
    emulator.server.requests.filter((request) => request.path === '/v2/post/publish/status/fetch/').length;

  async function expectPublishedOnce(account: SeededAccount, publicationId: string) {
    // Let TikTok finish processing whatever the new process finds.
    await waitFor(
      () => postsOf(account)[0]?.uploadedBytes,
      (bytes) => bytes === videoBytes,
      60_000,
      'the upload to finish',
    );
    emulator.clock.advance(processingMs);
    await expect(client.workflow.getHandle(publicationWorkflowId(publicationId)).result()).resolves.toMatchObject({
      state: 'PUBLISHED',
    });
    const posts = postsOf(account);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ uploadedBytes: videoBytes, videoId: expect.any(String) as unknown });
    const publication = await db.publication.findUniqueOrThrow({ where: { id: publicationId } });
    expect(publication).toMatchObject({ state: 'PUBLISHED', platformPublishId: posts[0]!.publishId });
  }

  it('after init: a new process resumes with the recorded publish_id', { timeout: 90_000 }, async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createVideoPublication(db, storage, account, { bytes: videoBytes });
    const first = await startWorker();
    await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
    await waitFor(
      () => db.publishAttempt.findFirst({ where: { publicationId: publication.id, platformPublishId: { not: null } } }),
      (attempt) => attempt !== null,
      30_000,
      'the init to be recorded',
    );
    await kill(first);
    expect(postsOf(account)).toHaveLength(1);

    await startWorker();
    await expectPublishedOnce(account, publication.id);
    await saveHistory(client, publicationWorkflowId(publication.id), 'publish-tiktok-crash-after-init');
  });

  it('during the upload: the new process finishes the chunks the old one did not', { timeout: 90_000 }, async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createVideoPublication(db, storage, account, { bytes: videoBytes });
    const before = putsSoFar();
    // The second chunk never gets an answer: the process dies while sending it.
    emulator.server.inject({ method: 'PUT', pathPrefix: '/upload/video/', skip: 1 }, { kind: 'timeout' });
    await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
    await waitFor(putsSoFar, (puts) => puts >= before + 2, 30_000, 'the second chunk');
    await kill(workers.current!);
    const post = postsOf(account)[0]!;
    expect(post.uploadedBytes).toBeGreaterThan(0);
    expect(post.uploadedBytes).toBeLessThan(videoBytes);

    await startWorker();
    await expectPublishedOnce(account, publication.id);
  });

  it('during status polling: the new process polls the same publish_id to the end', { timeout: 90_000 }, async () => {
    const account = await connectTikTokAccount(db, vault, emulator);
    const publication = await createVideoPublication(db, storage, account, { bytes: videoBytes });
    await schedulePublication(client, publication.id, { taskQueue, activityTimeouts });
    await waitFor(
      () => postsOf(account)[0]?.uploadedBytes,
      (bytes) => bytes === videoBytes,
      30_000,
      'the upload',
    );
    // The state meant: TikTok has every byte and has been asked for the status since.
    const polls = pollsSoFar();
    await waitFor(pollsSoFar, (count) => count > polls, 30_000, 'a status poll');
    await kill(workers.current!);
    // Processing cannot have ended (the emulator's clock has not moved past it).
    expect(postsOf(account)).toHaveLength(1);
    expect(postsOf(account)[0]!.videoId).toBeUndefined();

    await startWorker();
    await expectPublishedOnce(account, publication.id);
    // The new process polled the publish_id the first one recorded.
    expect(pollsSoFar()).toBeGreaterThan(polls + 1);
  });
});
