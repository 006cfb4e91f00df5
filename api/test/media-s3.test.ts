// S3 conformance suite: the media library's S3 paths, through the app's own code (tus's S3
// store behind /uploads, the worker's and api's S3 storage adapter, the /media route, presigned
// GET URLs), against the S3-compatible server `s3-server.ts` picks: SeaweedFS when
// PRESSROOM_TEST_WEED names a weed binary, else the in-repo emulator. Nothing here looks inside
// the server: every check is an S3 request, so a lenient emulator cannot hide what a real
// server refuses.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { mediaTools } from '@pressroom/workflows/rendering';
import { createS3Storage, createUrlSigner, type ObjectStorage } from '@pressroom/workflows/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';
import { s3ServerKind, startS3TestServer, type S3TestServer } from './s3-server.js';
import { createUpload, patchFrom, settledOffset } from './tus-client.js';

const run = promisify(execFile);
let server: S3TestServer;
let api: TestApi;
let org: SeededOrganization;
let storage: ObjectStorage;
let work: string;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** The multipart uploads open under a key, as the server lists them. */
async function openUploads(key: string): Promise<string[]> {
  const listed = await server.client.send(new ListMultipartUploadsCommand({ Bucket: server.bucket, Prefix: key }));
  return (listed.Uploads ?? []).filter((upload) => upload.Key === key).map((upload) => upload.UploadId!);
}

beforeAll(async () => {
  server = await startS3TestServer();
  const env = {
    MEDIA_S3_BUCKET: server.bucket,
    MEDIA_S3_ENDPOINT: server.endpoint,
    MEDIA_S3_ACCESS_KEY_ID: server.credentials.accessKeyId,
    MEDIA_S3_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    MEDIA_S3_PRESIGNED_URLS: 'true',
  };
  storage = createS3Storage({
    bucket: server.bucket,
    endpoint: server.endpoint,
    ...server.credentials,
    signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:1/media', secret: randomBytes(32) }),
    presignedUrls: true,
  });
  // The worker reads and writes the same bucket, as `npm start` configures it.
  api = await startTestApi(env, { worker: { activities: { storage } } });
  org = await seedOrganization(api);
  work = await mkdtemp(join(tmpdir(), 'pressroom-media-s3-'));
}, 180_000);
afterAll(async () => {
  await api?.close();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe(`S3 conformance (${s3ServerKind}): media library uploads, reads and presigned URLs`, () => {
  test('a tus upload interrupted twice resumes through a multipart upload; the object is the source; the worker processes it from the bucket; reads by range, /media and presigned URLs; deleting removes every object', async () => {
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
    const source = await fileSha256(file);
    const bytes = await readFile(file);

    const auth = { cookie: org.members.EDITOR.client.cookie };
    const created = await createUpload(api.url, auth, size, { brandId: org.brand.gid, filename: 'clip.mp4' });
    expect(created.status, created.body).toBe(201);
    const location = created.location!;
    const assetId = location.split('/').pop()!;
    const key = `uploads/${assetId}`;
    // Cut after 5 MiB (less than a part: kept as the store's incomplete part), then after 9 MiB more.
    await patchFrom(location, auth, file, 0, { stopAfter: 5 * 1024 * 1024 });
    const first = await settledOffset(location, auth);
    expect(first).toBeGreaterThan(0);
    await patchFrom(location, auth, file, first, { stopAfter: 9 * 1024 * 1024 });
    const second = await settledOffset(location, auth);
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThan(size);
    // Meanwhile the bytes sit in one open multipart upload on the server, not in an object.
    expect(await openUploads(key)).toHaveLength(1);
    expect(await storage.head(key)).toBeNull();
    expect(await patchFrom(location, auth, file, second)).toMatchObject({ status: 204, offset: size });

    // Completed: no upload left open, and the object read back is the source byte for byte.
    expect(await openUploads(key)).toEqual([]);
    expect(await storage.head(key)).toMatchObject({ byteSize: size });
    const copy = join(work, 'copy.mp4');
    expect(await storage.downloadTo(key, copy)).toBe(true);
    expect(await fileSha256(copy)).toBe(source);

    // The worker reads the original from the bucket and writes its previews there.
    const deadline = Date.now() + 120_000;
    let asset = await api.db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } });
    while (asset.status !== 'READY' && asset.status !== 'FAILED' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      asset = await api.db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } });
    }
    expect(asset.failureReason).toBeNull();
    expect(asset).toMatchObject({ status: 'READY', sha256: source });
    expect(await storage.head(asset.posterKey!)).toMatchObject({ contentType: 'image/jpeg' });

    // Ranges through the adapter (how a video goes to a network chunk by chunk).
    const range = await storage.getRange(key, 9 * 1024 * 1024 - 10, 9 * 1024 * 1024 + 10);
    expect(range?.equals(bytes.subarray(9 * 1024 * 1024 - 10, 9 * 1024 * 1024 + 10))).toBe(true);

    // The api's /media route streams from the bucket and answers a Range with 206.
    const mediaUrl = createUrlSigner({ baseUrl: `${api.url}/media`, secret: api.config.PRESSROOM_MEDIA_SECRET! }).sign(
      key,
    );
    const viaApi = await fetch(mediaUrl, { headers: { range: 'bytes=1000-1999' } });
    expect(viaApi.status).toBe(206);
    expect(viaApi.headers.get('content-range')).toBe(`bytes 1000-1999/${size}`);
    expect(Buffer.from(await viaApi.arrayBuffer()).equals(bytes.subarray(1000, 2000))).toBe(true);
    const whole = await fetch(mediaUrl);
    expect(whole.status).toBe(200);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(source);

    // Previews are the bucket's own presigned GET URLs, fetched by plain HTTP as platforms do.
    const read = await org.members.REVIEWER.client.gql<{ node: { posterUrl: string } }>(
      `query($id: ID!) { node(id: $id) { ... on MediaAsset { posterUrl } } }`,
      { id: gid('MediaAsset', assetId) },
    );
    const posterUrl = read.body.data!.node.posterUrl;
    expect(posterUrl.startsWith(`${server.endpoint}/${server.bucket}/${asset.posterKey}?`)).toBe(true);
    expect(new URL(posterUrl).searchParams.get('X-Amz-Expires')).toBe(String(6 * 3600));
    const poster = await fetch(posterUrl);
    expect(poster.status).toBe(200);
    expect(Buffer.from(await poster.arrayBuffer()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect((await fetch(posterUrl.replace(/X-Amz-Signature=./, 'X-Amz-Signature=z'))).status).toBe(403);
    // A platform pulling the video asks for ranges of the presigned URL.
    const videoUrl = storage.signedUrl(key);
    const pulled = await fetch(videoUrl, { headers: { range: `bytes=${size - 100}-` } });
    expect(pulled.status).toBe(206);
    expect(pulled.headers.get('content-range')).toBe(`bytes ${size - 100}-${size - 1}/${size}`);
    expect(Buffer.from(await pulled.arrayBuffer()).equals(bytes.subarray(size - 100))).toBe(true);

    // Deleting the upload removes every object it owned from the bucket.
    const deleted = await org.members.EDITOR.client.gql(
      `mutation($id: ID!) { deleteMediaAsset(id: $id) { __typename } }`,
      { id: gid('MediaAsset', assetId) },
    );
    expect(deleted.body.data).toEqual({ deleteMediaAsset: { __typename: 'MutationDeleteMediaAssetSuccess' } });
    for (const owned of [key, `${key}.info`, `${key}.part`, asset.posterKey!, asset.thumbnailKey!]) {
      expect(await storage.head(owned), owned).toBeNull();
    }
    expect((await fetch(videoUrl)).status).toBe(404);
  }, 300_000);

  test('a tus upload ended by its client (termination) aborts its multipart upload and leaves nothing', async () => {
    const file = join(work, 'abandoned.mp4');
    // A real MP4's first bytes (the type check reads them), then 12 MiB: one part sent and more.
    const head = await readFile(join(work, 'clip.mp4')).catch(() => null);
    expect(head).not.toBeNull();
    await writeFile(file, Buffer.concat([head!.subarray(0, 64 * 1024), randomBytes(12 * 1024 * 1024)]));
    const { size } = await stat(file);
    const auth = { cookie: org.members.EDITOR.client.cookie };
    const created = await createUpload(api.url, auth, size + 1024, { brandId: org.brand.gid, filename: 'gone.mp4' });
    expect(created.status, created.body).toBe(201);
    const key = `uploads/${created.location!.split('/').pop()!}`;
    expect(await patchFrom(created.location!, auth, file, 0)).toMatchObject({ status: 204, offset: size });
    expect(await openUploads(key)).toHaveLength(1);
    const ended = await fetch(created.location!, {
      method: 'DELETE',
      headers: { 'tus-resumable': '1.0.0', cookie: auth.cookie! },
    });
    expect(ended.status).toBe(204);
    expect(await openUploads(key)).toEqual([]);
    for (const owned of [key, `${key}.info`, `${key}.part`]) expect(await storage.head(owned), owned).toBeNull();
    // The row and its quota reservation go with it.
    expect(await api.db.mediaAsset.findUnique({ where: { id: key.slice('uploads/'.length) } })).toBeNull();
  }, 120_000);

  test('the storage adapter: put, putFile, get, head, getRange, downloadTo, delete, under a prefix; missing keys answer null', async () => {
    const prefix = `conformance-${randomBytes(4).toString('hex')}`;
    const prefixed = createS3Storage({
      bucket: server.bucket,
      prefix,
      endpoint: server.endpoint,
      ...server.credentials,
      signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:1/media', secret: randomBytes(32) }),
      presignedUrls: true,
    });
    const small = randomBytes(300_000);
    await prefixed.put('org/a/slide-01.webp', small, { contentType: 'image/webp' });
    const got = await prefixed.get('org/a/slide-01.webp');
    expect(got).toMatchObject({ contentType: 'image/webp', byteSize: small.length });
    expect(got!.body.equals(small)).toBe(true);
    expect(await prefixed.head('org/a/slide-01.webp')).toEqual({ contentType: 'image/webp', byteSize: small.length });

    const large = randomBytes(12 * 1024 * 1024 + 17);
    await writeFile(join(work, 'large.bin'), large);
    await prefixed.putFile('org/a/rendition.mp4', join(work, 'large.bin'), { contentType: 'video/mp4' });
    expect(await prefixed.head('org/a/rendition.mp4')).toEqual({ contentType: 'video/mp4', byteSize: large.length });
    expect(await prefixed.downloadTo('org/a/rendition.mp4', join(work, 'large-copy.bin'))).toBe(true);
    expect(sha256(await readFile(join(work, 'large-copy.bin')))).toBe(sha256(large));
    for (const [start, end] of [
      [0, 1],
      [5 * 1024 * 1024 - 3, 5 * 1024 * 1024 + 3],
      [large.length - 17, large.length],
    ] as const) {
      expect((await prefixed.getRange('org/a/rendition.mp4', start, end))?.equals(large.subarray(start, end))).toBe(
        true,
      );
    }
    expect(await prefixed.getRange('org/a/rendition.mp4', 10, 10)).toEqual(Buffer.alloc(0));

    // Presigned: the whole object, a range, and nothing once expired or for another key.
    const url = prefixed.signedUrl('org/a/rendition.mp4', { expiresInSeconds: 60 });
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('video/mp4');
    expect(sha256(Buffer.from(await fetched.arrayBuffer()))).toBe(sha256(large));
    const ranged = await fetch(url, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(large.subarray(100, 200))).toBe(true);
    expect((await fetch(url.replace('rendition.mp4', 'slide-01.webp'))).status).toBe(403);
    const stale = createS3Storage({
      bucket: server.bucket,
      prefix,
      endpoint: server.endpoint,
      ...server.credentials,
      signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:1/media', secret: randomBytes(32) }),
      presignedUrls: true,
      now: () => Date.now() - 3600_000,
    });
    expect((await fetch(stale.signedUrl('org/a/rendition.mp4', { expiresInSeconds: 60 }))).status).toBe(403);

    await prefixed.delete('org/a/slide-01.webp');
    await prefixed.delete('org/a/rendition.mp4');
    // Deleting again is not an error (retention runs may repeat).
    await prefixed.delete('org/a/rendition.mp4');
    expect(await prefixed.get('org/a/slide-01.webp')).toBeNull();
    expect(await prefixed.head('org/a/rendition.mp4')).toBeNull();
    expect(await prefixed.getRange('org/a/rendition.mp4', 0, 10)).toBeNull();
    expect(await prefixed.downloadTo('org/a/rendition.mp4', join(work, 'missing.bin'))).toBe(false);
    expect((await fetch(url)).status).toBe(404);
  }, 120_000);
});
