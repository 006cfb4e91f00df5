import { randomBytes } from 'node:crypto';
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
