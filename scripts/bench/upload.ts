// Media upload benchmark: a large video (300 MB unless given) uploaded over tus to an api
// running in a process of its own, interrupted twice and resumed; prints the time, the
// throughput and the api's resident memory (RSS, from /proc) before and during the upload,
// and checks the stored object's SHA-256 against the source.
//
//   node --import tsx scripts/bench/upload.ts [megabytes]
//
// It starts its own embedded PostgreSQL and Temporal dev server (throwaway, in a temporary
// folder); no worker runs, so the upload is measured without processing.
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createPrismaClient, ensureDatabase } from '@pressroom/db';
import { applyMigrations } from '@pressroom/db/migrations';
import { mediaTools } from '../../workflows/src/rendering/slideshow.js';
import { createUpload, patchFrom, settledOffset } from '../../api/test/tus-client.js';
import { apiTokenPrefix } from '../../api/src/auth/sessions.js';
import { encodeGlobalId } from '../../api/src/schema/ids.js';
import { freePort, waitFor } from '../stack/ports.js';
import { databaseUrlFor, startEmbeddedPostgres } from '../stack/postgres.js';
import { startTemporalDevServer } from '../stack/temporal.js';

const megabytes = Number(process.argv[2] ?? 300);
const root = new URL('../../', import.meta.url).pathname;

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main() {
  const work = await mkdtemp(join(tmpdir(), 'pressroom-bench-upload-'));
  // As root, PostgreSQL runs as `postgres`, which must be able to enter this folder.
  await chmod(work, 0o755);
  const cleanups: Array<() => Promise<unknown>> = [() => rm(work, { recursive: true, force: true })];
  try {
    const postgres = await startEmbeddedPostgres({ dataDir: join(work, 'postgres'), port: await freePort() });
    cleanups.push(postgres.stop);
    const temporal = await startTemporalDevServer({ port: await freePort(), toolsDir: join(root, '.tools') });
    cleanups.push(temporal.stop);
    const databaseUrl = databaseUrlFor(postgres.serverUrl, 'pressroom_bench');
    await ensureDatabase(databaseUrl);
    await applyMigrations(databaseUrl);

    const db = createPrismaClient({ databaseUrl });
    cleanups.push(() => db.$disconnect());
    const organization = await db.organization.create({
      data: { name: 'Bench', slug: `bench-${randomBytes(4).toString('hex')}`, settings: { create: {} } },
    });
    const brand = await db.brand.create({ data: { organizationId: organization.id, name: 'Bench', slug: 'bench' } });
    const token = `${apiTokenPrefix}${randomBytes(24).toString('base64url')}`;
    await db.apiToken.create({
      data: {
        organizationId: organization.id,
        name: 'bench',
        prefix: token.slice(0, 10),
        tokenHash: createHash('sha256').update(token).digest('hex'),
        scopes: ['media:write', 'media:read'],
      },
    });

    // The file: a real 2 s MP4 (so the type check passes) followed by a `free` box of random bytes.
    const file = join(work, 'video.mp4');
    await promisify(execFile)(mediaTools().ffmpeg, [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25',
      '-t',
      '2',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-movflags',
      '+faststart',
      file,
    ]);
    const padding = megabytes * 1024 * 1024 - (await stat(file)).size - 8;
    const box = Buffer.alloc(8);
    box.writeUInt32BE(padding + 8, 0);
    box.write('free', 4, 'latin1');
    await appendFile(file, box);
    for (let left = padding; left > 0; left -= 16 * 1024 * 1024) {
      await appendFile(file, randomBytes(Math.min(left, 16 * 1024 * 1024)));
    }
    const { size } = await stat(file);
    const source = await sha256File(file);

    const port = await freePort();
    const mediaDir = join(work, 'media');
    const api = spawn(process.execPath, ['--import', 'tsx', join(root, 'api/src/main.ts')], {
      cwd: join(root, 'api'),
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: temporal.address,
        PORT: String(port),
        HOST: '127.0.0.1',
        PRESSROOM_MEDIA_DIR: mediaDir,
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        MEDIA_QUOTA_BYTES: String(10 * 1024 ** 3),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    cleanups.push(async () => {
      api.kill('SIGTERM');
      await new Promise((resolve) => api.once('exit', resolve));
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor('the api', 60_000, async () => {
      const response = await fetch(`${url}/health`).catch(() => null);
      return response?.ok ? true : undefined;
    });
    // Warm: the first GraphQL request and a first small upload load what the api loads lazily.
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const auth = { token };
    const brandGid = encodeGlobalId('Brand', brand.id);
    const warm = await createUpload(url, auth, 1000, { brandId: brandGid, filename: 'warm.mp4' });
    if (warm.status !== 201) throw new Error(`the warm-up creation answered ${warm.status}: ${warm.body}`);

    const samples: number[] = [];
    const sample = async () => samples.push(await rssOf(api.pid!));
    for (let index = 0; index < 10; index++) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const baseline = samples.slice().sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
    samples.length = 0;
    const sampler = setInterval(() => void sample(), 100);

    const started = performance.now();
    const created = await createUpload(url, auth, size, { brandId: brandGid, filename: 'video.mp4' });
    if (created.status !== 201) throw new Error(`creation answered ${created.status}: ${created.body}`);
    const location = created.location!;
    await patchFrom(location, auth, file, 0, { stopAfter: Math.floor(size / 3) });
    const first = await settledOffset(location, auth);
    await patchFrom(location, auth, file, first, { stopAfter: Math.floor(size / 3) });
    const second = await settledOffset(location, auth);
    const last = await patchFrom(location, auth, file, second);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    if (last.status !== 204 || last.offset !== size)
      throw new Error(`the last PATCH answered ${last.status}: ${last.body}`);

    const assetId = location.split('/').pop()!;
    const stored = await sha256File(join(mediaDir, 'uploads', assetId));
    const peak = Math.max(...samples);
    console.log(
      JSON.stringify(
        {
          file: mib(size),
          interruptionsAt: [mib(first), mib(second)],
          seconds: Number(seconds.toFixed(1)),
          throughput: `${mib(size / seconds)}/s`,
          apiRss: { baseline: mib(baseline), peakDuringUpload: mib(peak), growth: mib(peak - baseline) },
          rssSamples: samples.length,
          sha256Matches: stored === source,
        },
        null,
        2,
      ),
    );
    if (stored !== source) process.exitCode = 1;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

await main();
