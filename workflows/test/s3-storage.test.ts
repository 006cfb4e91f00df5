import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Emulator } from '../src/emulators/s3.js';
import { createS3Storage, createUrlSigner, type ObjectStorage } from '../src/storage/index.js';

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
});
