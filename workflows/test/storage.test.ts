import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLocalStorage,
  createSignedObjectHandler,
  createUrlSigner,
  type ObjectStorage,
} from '../src/storage/index.js';
import { listen } from '../src/emulators/http.js';

describe('local storage with signed URLs', () => {
  let root: string;
  let server: Server;
  let storage: ObjectStorage;
  let now = Date.parse('2026-01-01T00:00:00Z');
  // What the handler asked of storage: a large object must come in ranges, never whole.
  const reads = { whole: 0, ranges: 0 };

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pressroom-storage-'));
    server = createServer();
    const baseUrl = await listen(server);
    const signer = createUrlSigner({ baseUrl: `${baseUrl}/media`, secret: 'x'.repeat(32), now: () => now });
    storage = createLocalStorage({ root, signer });
    const counted: ObjectStorage = {
      ...storage,
      get: (key) => (reads.whole++, storage.get(key)),
      getRange: (key, start, end) => (reads.ranges++, storage.getRange(key, start, end)),
    };
    const handler = createSignedObjectHandler(counted, signer);
    server.on('request', (req, res) => void handler(req, res));
  });
  afterAll(async () => {
    server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('streams a file in and out', async () => {
    await writeFile(join(root, 'source.bin'), Buffer.from('a large video'));
    await storage.putFile('org/a/library/v/rendition.mp4', join(root, 'source.bin'), { contentType: 'video/mp4' });
    expect(await storage.get('org/a/library/v/rendition.mp4')).toMatchObject({
      contentType: 'video/mp4',
      byteSize: 13,
    });
    expect(await storage.downloadTo('org/a/library/v/rendition.mp4', join(root, 'copy.bin'))).toBe(true);
    expect(await readFile(join(root, 'copy.bin'), 'utf8')).toBe('a large video');
    expect(await storage.downloadTo('org/a/library/v/none.mp4', join(root, 'none.bin'))).toBe(false);
  });

  it('puts, gets and deletes objects', async () => {
    await storage.put('org/a/slide-1.jpg', Buffer.from('hello'), { contentType: 'image/jpeg' });
    expect(await storage.get('org/a/slide-1.jpg')).toEqual({
      body: Buffer.from('hello'),
      contentType: 'image/jpeg',
      byteSize: 5,
    });
    await storage.delete('org/a/slide-1.jpg');
    expect(await storage.get('org/a/slide-1.jpg')).toBeNull();
    await storage.delete('org/a/slide-1.jpg');
  });

  it('refuses keys that escape the root', async () => {
    await expect(storage.put('../etc/passwd', Buffer.from(''), { contentType: 'text/plain' })).rejects.toThrow(
      /invalid storage key/,
    );
  });

  it('serves an object from a signed URL until it expires, and refuses a tampered one', async () => {
    await storage.put('org/b/slide.webp', Buffer.from('webp-bytes'), { contentType: 'image/webp' });
    const url = storage.signedUrl('org/b/slide.webp', { expiresInSeconds: 60 });
    const ok = await fetch(url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await ok.arrayBuffer()).toString()).toBe('webp-bytes');

    const tampered = url.replace('slide.webp', 'slide.jpg');
    expect((await fetch(tampered)).status).toBe(403);

    now += 61_000;
    expect((await fetch(url)).status).toBe(403);
  });

  it("signs an hour's URL the same within a 5-minute step, valid at least the hour and at most the step more", async () => {
    await storage.put('org/b/step.webp', Buffer.from('step'), { contentType: 'image/webp' });
    const signedAt = now;
    const first = storage.signedUrl('org/b/step.webp', { expiresInSeconds: 3_600 });
    const expires = Number(new URL(first).searchParams.get('expires')) * 1000;
    expect(expires - signedAt).toBeGreaterThanOrEqual(3_600_000);
    expect(expires - signedAt).toBeLessThanOrEqual(3_900_000);
    // Signed again a moment later, within the step: the same URL (a browser keeps its copy).
    now += 1_000;
    expect(storage.signedUrl('org/b/step.webp', { expiresInSeconds: 3_600 })).toBe(first);
    expect((await fetch(first)).status).toBe(200);
    // Past the step, a later expiry; past the expiry, refused.
    now = expires - 3_600_000 + 1_000;
    expect(storage.signedUrl('org/b/step.webp', { expiresInSeconds: 3_600 })).not.toBe(first);
    now = expires + 1_000;
    expect((await fetch(first)).status).toBe(403);
  });

  it('serves a large object a range at a time, and answers Range requests with 206', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 123);
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) % 251;
    await writeFile(join(root, 'big.bin'), body);
    await storage.putFile('org/c/library/v/original.mp4', join(root, 'big.bin'), { contentType: 'video/mp4' });
    const url = storage.signedUrl('org/c/library/v/original.mp4', { expiresInSeconds: 60 });
    reads.whole = reads.ranges = 0;

    const whole = await fetch(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-length')).toBe(String(body.length));
    expect(Buffer.from(await whole.arrayBuffer()).equals(body)).toBe(true);
    // Four reads of at most 1 MiB each, never the whole object in memory.
    expect(reads).toEqual({ whole: 0, ranges: 4 });

    const part = await fetch(url, { headers: { range: 'bytes=1048570-1048589' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1048570-1048589/${body.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(body.subarray(1048570, 1048590))).toBe(true);

    const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(body.subarray(body.length - 10))).toBe(true);
    const open = await fetch(url, { headers: { range: `bytes=${body.length - 3}-` } });
    expect(Buffer.from(await open.arrayBuffer()).equals(body.subarray(body.length - 3))).toBe(true);

    const beyond = await fetch(url, { headers: { range: `bytes=${body.length}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${body.length}`);

    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(body.length));
    expect(head.headers.get('content-type')).toBe('video/mp4');
    expect(await storage.head('org/c/library/v/none.mp4')).toBeNull();
  });
});
