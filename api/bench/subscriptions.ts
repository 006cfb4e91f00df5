// Publish-to-receive latency of live updates: N WebSocket subscribers on one api process,
// events committed by another process (as the worker commits them), timed from the writer's
// commit to each subscriber's receipt of the re-read post.
//
//   pnpm --filter @pressroom/api bench:subscriptions [-- --subscribers 1000 --events 100 --interval 200]
//
// Starts a throwaway PostgreSQL (or uses BENCH_DATABASE_URL) and an api child process.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPrismaClient, ensureDatabase } from '@pressroom/db';
import { emitEvent } from '@pressroom/db/events';
import { applyMigrations } from '@pressroom/db/migrations';
import WebSocket from 'ws';
import { z } from 'zod';
import { repoRoot } from '../../scripts/stack/config.js';
import { freePort } from '../../scripts/stack/ports.js';
import { databaseUrlFor, startEmbeddedPostgres } from '../../scripts/stack/postgres.js';
import { randomSecret, sha256 } from '../src/auth/secrets.js';
import { sessionCookie } from '../src/auth/sessions.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    events: { type: 'string', default: '100' },
    // Time between two events; each event is a message to every subscriber.
    interval: { type: 'string', default: '200' },
  },
});
const subscriberCount = Number(values.subscribers);
const eventCount = Number(values.events);
const intervalMs = Number(values.interval);
const env = z.object({ BENCH_DATABASE_URL: z.string().url().optional() }).parse(process.env);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const cleanups: Array<() => Promise<void>> = [];
try {
  let databaseUrl = env.BENCH_DATABASE_URL;
  if (!databaseUrl) {
    const dir = await mkdtemp(join(tmpdir(), 'pressroom-bench-'));
    await chmod(dir, 0o755);
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort() });
    cleanups.push(postgres.stop);
    databaseUrl = databaseUrlFor(postgres.serverUrl, 'bench');
  }
  await ensureDatabase(databaseUrl);
  await applyMigrations(databaseUrl);
  const db = createPrismaClient({ databaseUrl });
  cleanups.push(() => db.$disconnect());

  const organization = await db.organization.create({ data: { name: 'Bench', slug: `bench-${Date.now()}` } });
  const brand = await db.brand.create({ data: { organizationId: organization.id, name: 'B', slug: 'b' } });
  const user = await db.user.create({
    data: { email: `bench-${Date.now()}@example.test`, name: 'B', passwordHash: 'x' },
  });
  await db.membership.create({ data: { organizationId: organization.id, userId: user.id, role: 'ANALYST' } });
  const post = await db.post.create({ data: { organizationId: organization.id, brandId: brand.id, caption: 'Bench' } });
  const sessionSecret = randomSecret();
  const secret = randomSecret();
  const expiresAt = new Date(Date.now() + 3_600_000);
  await db.session.create({ data: { userId: user.id, tokenHash: sha256(secret), expiresAt } });
  const cookie = sessionCookie(
    { SESSION_SECRET: sessionSecret, SESSION_TTL_HOURS: 1, COOKIE_SECURE: true },
    secret,
    expiresAt,
  ).split(';')[0]!;

  const port = await freePort();
  const api = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: '127.0.0.1:1', // lazy client: never used by subscriptions
      PORT: String(port),
      SESSION_SECRET: sessionSecret,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  cleanups.push(async () => {
    api.kill('SIGTERM');
    await new Promise((resolve) => api.once('exit', resolve));
  });
  for (let ready = false; !ready;) {
    ready = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const sent = new Map<string, number>(); // caption → commit time
  const latencies: number[] = [];
  const sockets: WebSocket[] = [];
  const query = 'subscription ($b: ID!) { postChanged(brandId: $b) { caption } }';
  const brandGid = Buffer.from(`Brand:${brand.id}`).toString('base64url');
  const connectStarted = performance.now();
  await Promise.all(
    Array.from(
      { length: subscriberCount },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws', {
            headers: { cookie },
          });
          sockets.push(socket);
          socket.once('error', reject);
          socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
          socket.on('message', (data: Buffer) => {
            const message = JSON.parse(data.toString()) as {
              type: string;
              payload?: { data?: { postChanged?: { caption: string } } };
            };
            if (message.type === 'connection_ack') {
              socket.send(
                JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: { b: brandGid } } }),
              );
              resolve();
            } else if (message.type === 'next') {
              const caption = message.payload?.data?.postChanged?.caption;
              const at = caption ? sent.get(caption) : undefined;
              if (at !== undefined) latencies.push(performance.now() - at);
            }
          });
        }),
    ),
  );
  const connectMs = performance.now() - connectStarted;
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // let every subscribe register

  for (let i = 0; i < eventCount; i += 1) {
    const caption = `event-${i}`;
    await db.$transaction(async (tx) => {
      await tx.post.update({ where: { id: post.id }, data: { caption } });
      await emitEvent(tx, {
        kind: 'post.changed',
        organizationId: organization.id,
        payload: { postId: post.id, brandId: brand.id },
      });
    });
    sent.set(caption, performance.now());
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  for (const socket of sockets) socket.close();

  const expected = subscriberCount * eventCount;
  latencies.sort((a, b) => a - b);
  console.log(
    [
      `subscribers ${subscriberCount}, events ${eventCount} every ${intervalMs} ms, connected in ${Math.round(connectMs)} ms`,
      `received ${latencies.length} of ${expected} (${((100 * latencies.length) / expected).toFixed(2)}%)`,
      `publish-to-receive latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)?.toFixed(1)} ms`,
    ].join('\n'),
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
}
