import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Emulator } from '../src/emulators/s3.js';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createS3Storage, createUrlSigner, type ObjectStorage } from '../src/storage/index.js';
import { presignGetUrl } from '../src/storage/s3.js';

describe('S3-compatible storage against the S3 emulator', () => {
  let s3: S3Emulator;
  let storage: ObjectStorage;

  beforeAll(async () => {
    s3 = new S3Emulator();
    const endpoint = await s3.start();
    storage = createS3Storage({
      bucket: 'pressroom',
      prefix: 'tenant-media',
      endpoint,
      accessKeyId: s3.credentials.accessKeyId,
      secretAccessKey: s3.credentials.secretAccessKey,
      signer: createUrlSigner({ baseUrl: 'https://pressroom.example/media', secret: randomBytes(32) }),
    });
  });
  afterAll(async () => {
    await s3.stop();
  });

  it('puts, gets and deletes objects under the prefix, path-style', async () => {
    const body = randomBytes(300_000);
    await storage.put('org/a/slide-01.webp', body, { contentType: 'image/webp' });
    expect([...s3.objects.keys()]).toEqual(['pressroom/tenant-media/org/a/slide-01.webp']);
    const got = await storage.get('org/a/slide-01.webp');
    expect(got?.contentType).toBe('image/webp');
    expect(got?.body.equals(body)).toBe(true);
    await storage.delete('org/a/slide-01.webp');
    expect(await storage.get('org/a/slide-01.webp')).toBeNull();
    await storage.delete('org/a/slide-01.webp');
  });

  it('streams a file in and out (large media never sits whole in memory)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pressroom-s3-files-'));
    try {
      const body = randomBytes(3_000_000);
      await writeFile(join(dir, 'in.mp4'), body);
      await storage.putFile('org/a/library/x/rendition.mp4', join(dir, 'in.mp4'), { contentType: 'video/mp4' });
      expect(s3.objects.get('pressroom/tenant-media/org/a/library/x/rendition.mp4')?.contentType).toBe('video/mp4');
      expect(await storage.downloadTo('org/a/library/x/rendition.mp4', join(dir, 'out.mp4'))).toBe(true);
      expect((await readFile(join(dir, 'out.mp4'))).equals(body)).toBe(true);
      expect(await storage.downloadTo('org/a/library/x/missing.mp4', join(dir, 'missing.mp4'))).toBe(false);
      // The /media route asks for the type and size first, then ranges.
      expect(await storage.head('org/a/library/x/rendition.mp4')).toEqual({
        contentType: 'video/mp4',
        byteSize: body.length,
      });
      expect(await storage.head('org/a/library/x/missing.mp4')).toBeNull();
      expect(
        (await storage.getRange('org/a/library/x/rendition.mp4', 1_000_000, 1_000_100))?.equals(
          body.subarray(1_000_000, 1_000_100),
        ),
      ).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('signs URLs for the api /media route (the bucket stays private)', () => {
    const url = new URL(storage.signedUrl('org/a/slide-01.webp', { expiresInSeconds: 60 }));
    expect(url.origin + url.pathname).toBe('https://pressroom.example/media/org/a/slide-01.webp');
    expect(url.searchParams.get('signature')).toBeTruthy();
  });

  it('surfaces a refused request', async () => {
    const wrong = createS3Storage({
      bucket: 'pressroom',
      endpoint: s3.server.baseUrl,
      accessKeyId: 'someone-else',
      secretAccessKey: 'x',
      signer: createUrlSigner({ baseUrl: 'https://pressroom.example/media', secret: randomBytes(32) }),
    });
    await expect(wrong.put('a.jpg', Buffer.from('x'), { contentType: 'image/jpeg' })).rejects.toThrow(/Access Denied/);
  });

  it("takes a multipart upload in S3's wire format: parts listed, completed in order, the object whole", async () => {
    const client = new S3Client({
      endpoint: s3.server.baseUrl,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.credentials.accessKeyId, secretAccessKey: s3.credentials.secretAccessKey },
    });
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: 'pressroom', Key: 'uploads/multi', ContentType: 'video/mp4' }),
    );
    const uploadId = created.UploadId!;
    // Parts may arrive in any order, and a part sent again replaces the first.
    const etags: string[] = [];
    for (const index of [2, 0, 1, 0]) {
      const answer = await client.send(
        new UploadPartCommand({
          Bucket: 'pressroom',
          Key: 'uploads/multi',
          UploadId: uploadId,
          PartNumber: index + 1,
          Body: parts[index],
        }),
      );
      etags[index] = answer.ETag!;
    }
    const listed = await client.send(
      new ListPartsCommand({ Bucket: 'pressroom', Key: 'uploads/multi', UploadId: uploadId }),
    );
    expect(listed.Parts?.map((part) => [part.PartNumber, part.Size])).toEqual([
      [1, 5 * 1024 * 1024],
      [2, 5 * 1024 * 1024],
      [3, 1234],
    ]);
    // Out of order is refused, as S3 refuses it.
    await expect(
      client.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'pressroom',
          Key: 'uploads/multi',
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 2, ETag: etags[1] },
              { PartNumber: 1, ETag: etags[0] },
            ],
          },
        }),
      ),
    ).rejects.toThrow(/ascending/);
    const completed = await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'pressroom',
        Key: 'uploads/multi',
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, index) => ({ PartNumber: index + 1, ETag })) },
      }),
    );
    expect(completed.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    const whole = Buffer.concat(parts);
    const got = await client.send(new GetObjectCommand({ Bucket: 'pressroom', Key: 'uploads/multi' }));
    const body = Buffer.from(await got.Body!.transformToByteArray());
    expect(createHash('sha256').update(body).digest('hex')).toBe(createHash('sha256').update(whole).digest('hex'));
    // A completed upload is gone; an aborted one too.
    await expect(
      client.send(new ListPartsCommand({ Bucket: 'pressroom', Key: 'uploads/multi', UploadId: uploadId })),
    ).rejects.toThrow(/does not exist/);
    const second = await client.send(new CreateMultipartUploadCommand({ Bucket: 'pressroom', Key: 'uploads/gone' }));
    await client.send(
      new AbortMultipartUploadCommand({ Bucket: 'pressroom', Key: 'uploads/gone', UploadId: second.UploadId! }),
    );
    expect(s3.uploads.size).toBe(0);
    expect(s3.object('pressroom', 'uploads/gone')).toBeUndefined();
    client.destroy();
  });

  it("presigns GET URLs with SigV4 (AWS's documented example) and the emulator serves, refuses and expires them", async () => {
    // Checked against the AWS SDK's own SigV4 signer (@smithy/signature-v4, as S3's request
    // presigner drives it: an unsigned payload, only the host header signed), with made-up
    // credentials.
    const credentials = { accessKeyId: 'pressroom-test-key', secretAccessKey: 'pressroom-test-secret-0123456789' };
    const signingDate = new Date(Date.UTC(2013, 4, 24));
    const example = new URL(
      presignGetUrl({
        endpoint: 'https://s3.amazonaws.com',
        region: 'us-east-1',
        bucket: 'examplebucket',
        key: 'photos/2013/test.txt',
        ...credentials,
        expiresInSeconds: 86_400,
        forcePathStyle: false,
        now: signingDate.getTime(),
      }),
    );
    expect(example.host).toBe('examplebucket.s3.amazonaws.com');
    const reference = await new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials,
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: false,
      applyChecksum: false,
    }).presign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: 'examplebucket.s3.amazonaws.com',
        path: '/photos/2013/test.txt',
        headers: { host: 'examplebucket.s3.amazonaws.com', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        query: {},
      },
      {
        expiresIn: 86_400,
        signingDate,
        unhoistableHeaders: new Set(['x-amz-content-sha256']),
        unsignableHeaders: new Set(['x-amz-content-sha256']),
      },
    );
    expect(example.searchParams.get('X-Amz-Signature')).toBe(reference.query?.['X-Amz-Signature']);
    expect(example.searchParams.get('X-Amz-Credential')).toBe(reference.query?.['X-Amz-Credential']);

    const presigning = createS3Storage({
      bucket: 'pressroom',
      prefix: 'tenant-media',
      endpoint: s3.server.baseUrl,
      accessKeyId: s3.credentials.accessKeyId,
      secretAccessKey: s3.credentials.secretAccessKey,
      signer: createUrlSigner({ baseUrl: 'https://pressroom.example/media', secret: randomBytes(32) }),
      presignedUrls: true,
    });
    const body = randomBytes(2048);
    await presigning.put('org/a/photo 1.jpg'.replace(' ', '_'), body, { contentType: 'image/jpeg' });
    const url = presigning.signedUrl('org/a/photo_1.jpg', { expiresInSeconds: 60 });
    expect(url.startsWith(`${s3.server.baseUrl}/pressroom/tenant-media/org/a/photo_1.jpg?`)).toBe(true);
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(body)).toBe(true);
    // Another key under the same signature, or a changed signature, is refused.
    expect((await fetch(url.replace('photo_1.jpg', 'other.jpg'))).status).toBe(403);
    expect((await fetch(url.replace(/X-Amz-Signature=[0-9a-f]/, 'X-Amz-Signature=z'))).status).toBe(403);
    s3.server.clock.advance(61_000);
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
  });
});
