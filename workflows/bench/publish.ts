// Benchmark: publish workflow latency (p50, p99) and sync throughput (videos per second) on a
// local Temporal dev server, PostgreSQL and the TikTok emulator.
//
//   node --import tsx workflows/bench/publish.ts [publications=200] [concurrency=20] [videos=5000]
//
// Starts its own embedded PostgreSQL and Temporal dev server, or uses BENCH_DATABASE_URL (a
// server URL; a database is created on it) and BENCH_TEMPORAL_ADDRESS.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient } from '@pressroom/db';
import { applyMigrations } from '@pressroom/db/migrations';
import { createVault, generateKeyRingEntry, parseKeyRing } from '@pressroom/db/vault';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import sharp from 'sharp';
import { databaseUrlFor, startEmbeddedPostgres } from '../../scripts/stack/postgres.js';
import { freePort } from '../../scripts/stack/ports.js';
import { startTemporalDevServer } from '../../scripts/stack/temporal.js';
import { repoRoot } from '../../scripts/stack/config.js';
import { schedulePublication, startAccountSync } from '../src/client.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { listen } from '../src/emulators/http.js';
import { saveConnectedAccount } from '../src/platforms/accounts.js';
import { createTikTokClient } from '../src/platforms/tiktok/index.js';
import { createLocalStorage, createSignedObjectHandler, createUrlSigner } from '../src/storage/index.js';
import { createPressroomWorker } from '../src/worker.js';

const [publications = 200, concurrency = 20, videoCount = 5_000] = process.argv.slice(2).map(Number);
const cleanups: Array<() => Promise<unknown>> = [];
const log = (line: string) => console.log(`bench: ${line}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

try {
  const dataDir = await mkdtemp(join(tmpdir(), 'pressroom-bench-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this folder.
  await chmod(dataDir, 0o755);
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const serverUrl =
    process.env.BENCH_DATABASE_URL ??
    (await (async () => {
      const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), port: await freePort() });
      cleanups.push(postgres.stop);
      return postgres.serverUrl;
    })());
  const temporalAddress =
    process.env.BENCH_TEMPORAL_ADDRESS ??
    (await (async () => {
      const temporal = await startTemporalDevServer({ port: await freePort(), toolsDir: join(repoRoot, '.tools') });
      cleanups.push(temporal.stop);
      return temporal.address;
    })());
  const database = `pressroom_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  cleanups.push(async () => {
    const drop = new pg.Client({ connectionString: serverUrl });
    await drop.connect();
    await drop.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await drop.end();
  });
  const databaseUrl = databaseUrlFor(serverUrl, database);
  await applyMigrations(databaseUrl);
  const db = createPrismaClient({ databaseUrl });
  cleanups.push(() => db.$disconnect());

  // Platform: the emulator with no processing delay, so the numbers are Pressroom's own.
  const emulator = new TikTokEmulator({ processingMs: 0, moderationMs: 0, seededVideos: 0, dailyPostCap: 1_000 });
  const baseUrl = await emulator.start();
  cleanups.push(() => emulator.stop());
  const mediaServer = createServer();
  const mediaBase = await listen(mediaServer);
  cleanups.push(() => new Promise((resolve) => mediaServer.close(resolve)));
  const signer = createUrlSigner({ baseUrl: `${mediaBase}/media`, secret: randomBytes(32) });
  const storage = createLocalStorage({ root: join(dataDir, 'media'), signer });
  const serve = createSignedObjectHandler(storage, signer);
  mediaServer.on('request', (req, res) => void serve(req, res));

  const vault = createVault(parseKeyRing(generateKeyRingEntry('bench')));
  const tiktok = createTikTokClient({
    clientKey: emulator.clientKey,
    clientSecret: emulator.clientSecret,
    authBaseUrl: baseUrl,
    apiBaseUrl: baseUrl,
  });
  const taskQueue = `bench-${randomBytes(4).toString('hex')}`;
  const { worker, connection } = await createPressroomWorker({
    address: temporalAddress,
    namespace: 'default',
    activities: { db, vault, storage, tiktok, taskQueue },
  });
  const running = worker.run();
  cleanups.push(async () => {
    worker.shutdown();
    await running;
    await connection.close();
  });
  const client = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
  cleanups.push(() => client.connection.close());

  const organization = await db.organization.create({ data: { name: 'Bench', slug: `bench-${database}` } });
  const brand = await db.brand.create({ data: { organizationId: organization.id, name: 'Bench', slug: 'bench' } });
  const connect = async () => {
    const user = emulator.createUser();
    const issued = emulator.issueTokens(user.openId);
    return saveConnectedAccount(db, vault, {
      organizationId: organization.id,
      brandId: brand.id,
      platform: 'TIKTOK',
      platformAccountId: user.openId,
      displayName: user.displayName,
      tokens: {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        accessTokenExpiresAt: new Date(Date.now() + issued.expires_in * 1000),
      },
    });
  };
  const image = await sharp({ create: { width: 1080, height: 1350, channels: 3, background: '#6366f1' } })
    .jpeg()
    .toBuffer();

  // ── Publish latency: each publication on its own account, so the per-account limits do
  // not queue them; scheduled for now; measured from start to the workflow's result.
  log(`preparing ${publications} publications`);
  const ids: string[] = [];
  for (let i = 0; i < publications; i++) {
    const account = await connect();
    const post = await db.post.create({
      data: { organizationId: organization.id, brandId: brand.id, title: `Bench ${i}`, caption: `Bench post ${i}` },
    });
    const storageKey = `bench/${post.id}.jpg`;
    await storage.put(storageKey, image, { contentType: 'image/jpeg' });
    const media = await db.media.create({
      data: {
        organizationId: organization.id,
        postId: post.id,
        kind: 'IMAGE',
        status: 'READY',
        contentType: 'image/jpeg',
        storageKey,
      },
    });
    await db.slide.create({ data: { postId: post.id, position: 0, mediaId: media.id } });
    const publication = await db.publication.create({
      data: {
        organizationId: organization.id,
        postId: post.id,
        socialAccountId: account.id,
        platform: 'TIKTOK',
        scheduledAt: new Date(),
      },
    });
    ids.push(publication.id);
  }
  // Warm up the worker (bundle loaded, connections open) with one publish not measured.
  await (await schedulePublication(client, ids.shift()!, { taskQueue })).result();
  const latencies: number[] = [];
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const begin = performance.now();
        const handle = await schedulePublication(client, id, { taskQueue });
        const result = await handle.result();
        if (result.state !== 'PUBLISHED') throw new Error(`publication ${id} ended ${result.state}`);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const wallMs = Date.now() - started;
  latencies.sort((a, b) => a - b);
  log(
    `publish: ${latencies.length} publications, concurrency ${concurrency}: ` +
      `p50 ${Math.round(percentile(latencies, 50))} ms, p99 ${Math.round(percentile(latencies, 99))} ms, ` +
      `${((latencies.length / wallMs) * 1000).toFixed(1)} publishes/s`,
  );

  // ── Sync throughput: one account with `videoCount` videos.
  const account = await connect();
  const user = emulator.users.get(account.platformAccountId)!;
  const now = Date.now();
  for (let i = 0; i < videoCount; i++) {
    user.videos.push({
      id: String(7_600_000_000_000_000_000n + BigInt(i)),
      createTimeMs: now - (i + 1) * 60_000,
      title: `Video ${i}`,
      description: `Video ${i}`,
      duration: 15,
      likeCount: i,
      commentCount: i % 50,
      shareCount: i % 20,
      viewCount: i * 10,
    });
  }
  const syncStarted = performance.now();
  const sync = await (await startAccountSync(client, account.id, { taskQueue })).result();
  const syncMs = performance.now() - syncStarted;
  log(
    `sync: ${sync.videos} videos in ${Math.round(syncMs)} ms = ${Math.round((sync.videos / syncMs) * 1000)} videos/s ` +
      `(${sync.writeStatements} write statements)`,
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
