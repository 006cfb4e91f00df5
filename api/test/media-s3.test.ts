// The media library on S3-compatible storage: tus's S3 store writes the upload as a multipart
// upload into the S3 emulator, an interrupted upload resumes, the stored object is the source
// byte for byte, the worker processes it from the bucket, and previews are handed out as the
// bucket's own presigned GET URLs.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { S3Emulator } from '@pressroom/workflows/emulators';
import { mediaTools } from '@pressroom/workflows/rendering';
import { createS3Storage, createUrlSigner } from '@pressroom/workflows/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';
import { createUpload, patchFrom, settledOffset } from './tus-client.js';

const run = promisify(execFile);
const s3 = new S3Emulator();
let api: TestApi;
let org: SeededOrganization;
let work: string;

beforeAll(async () => {
  const endpoint = await s3.start();
  const env = {
    MEDIA_S3_BUCKET: 'pressroom',
    MEDIA_S3_ENDPOINT: endpoint,
    MEDIA_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    MEDIA_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    MEDIA_S3_PRESIGNED_URLS: 'true',
  };
  api = await startTestApi(env, {
    worker: {
      activities: {
        // The worker reads and writes the same bucket, as `npm start` configures it.
        storage: createS3Storage({
          bucket: 'pressroom',
          endpoint,
          accessKeyId: s3.credentials.accessKeyId,
          secretAccessKey: s3.credentials.secretAccessKey,
          signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:1/media', secret: randomBytes(32) }),
          presignedUrls: true,
        }),
      },
    },
  });
  org = await seedOrganization(api);
  work = await mkdtemp(join(tmpdir(), 'pressroom-media-s3-'));
}, 120_000);
afterAll(async () => {
  await api?.close();
  await s3.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('media library on S3-compatible storage', () => {
  test('an upload interrupted twice resumes through multipart parts; the object is the source; previews come as presigned GET URLs', async () => {
    // A 2 s H.264/AAC MP4 followed by a 20 MiB `free` box: over two 8 MiB parts and a tail.
    const file = join(work, 'clip.mp4');
    await run(
      mediaTools().ffmpeg,
      [
        ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25'],
        ...['-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p'],
        ...['-c:a', 'aac', '-movflags', '+faststart', file],
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const padding = 20 * 1024 * 1024;
    const box = Buffer.alloc(8);
    box.writeUInt32BE(padding + 8, 0);
    box.write('free', 4, 'latin1');
    await appendFile(file, Buffer.concat([box, randomBytes(padding)]));
    const { size } = await stat(file);
    const hash = createHash('sha256');
    await pipeline(createReadStream(file), hash);
    const source = hash.digest('hex');

    const auth = { cookie: org.members.EDITOR.client.cookie };
    const created = await createUpload(api.url, auth, size, { brandId: org.brand.gid, filename: 'clip.mp4' });
    expect(created.status, created.body).toBe(201);
    const location = created.location!;
    const assetId = location.split('/').pop()!;
    // Cut after 5 MiB (less than a part: kept as the store's incomplete part), then after 9 MiB more.
    await patchFrom(location, auth, file, 0, { stopAfter: 5 * 1024 * 1024 });
    const first = await settledOffset(location, auth);
    expect(first).toBeGreaterThan(0);
    await patchFrom(location, auth, file, first, { stopAfter: 9 * 1024 * 1024 });
    const second = await settledOffset(location, auth);
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThan(size);
    // Meanwhile the bytes sit in an open multipart upload, not in a finished object.
    expect(s3.uploads.size).toBe(1);
    expect(s3.object('pressroom', `uploads/${assetId}`)).toBeUndefined();
    expect(await patchFrom(location, auth, file, second)).toMatchObject({ status: 204, offset: size });

    const stored = s3.object('pressroom', `uploads/${assetId}`)!;
    expect(stored.length).toBe(size);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(source);
    expect(s3.uploads.size).toBe(0);
    const methods = s3.server.requests.map((request) => request.method);
    expect(methods).toContain('POST');

    // The worker reads the original from the bucket and writes its previews there.
    const deadline = Date.now() + 120_000;
    let asset = await api.db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } });
    while (asset.status !== 'READY' && asset.status !== 'FAILED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      asset = await api.db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } });
    }
    expect(asset.failureReason).toBeNull();
    expect(asset).toMatchObject({ status: 'READY', sha256: source });
    expect(s3.object('pressroom', asset.posterKey!)).toBeDefined();

    const read = await org.members.REVIEWER.client.gql<{ node: { posterUrl: string } }>(
      `query($id: ID!) { node(id: $id) { ... on MediaAsset { posterUrl } } }`,
      { id: gid('MediaAsset', assetId) },
    );
    const posterUrl = read.body.data!.node.posterUrl;
    expect(posterUrl.startsWith(`${s3.server.baseUrl}/pressroom/${asset.posterKey}?`)).toBe(true);
    expect(new URL(posterUrl).searchParams.get('X-Amz-Expires')).toBe(String(6 * 3600));
    const poster = await fetch(posterUrl);
    expect(poster.status).toBe(200);
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await fetch(posterUrl.replace(/X-Amz-Signature=./, 'X-Amz-Signature=z'))).status).toBe(403);
  }, 240_000);
});
