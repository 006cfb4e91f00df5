import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { UrlSigner } from './signing.js';
import type { ObjectStorage } from './storage.js';

/** Bytes read from storage per write: a 2 GB video is served without holding it in memory. */
const chunkBytes = 1024 * 1024;

/**
 * The byte range a `Range: bytes=...` header asks for, within an object of `size` bytes:
 * `[start, end)`, 'unsatisfiable', or null to send the whole object (no header, or a form
 * this server does not split, such as several ranges).
 */
export function requestedRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (!match[1] && !match[2])) return null;
  if (!match[1]) {
    // A suffix: the last N bytes.
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size];
  }
  const start = Number(match[1]);
  const last = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  if (start >= size || last < start) return 'unsatisfiable';
  return [start, last + 1];
}

/**
 * Serves objects behind signed URLs (GET and HEAD). Mount it where the signer's baseUrl
 * points; it answers 403 for a bad or expired signature and 404 for a missing object. Bodies
 * are read from storage a chunk at a time as the client takes them, and a `Range` request
 * (how players and the platforms pulling a video fetch it) gets 206 with those bytes.
 */
export function createSignedObjectHandler(storage: ObjectStorage, signer: UrlSigner) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const verified = signer.verify(req.url ?? '/');
    if ('error' in verified) {
      res.writeHead(verified.error === 'malformed' ? 400 : 403, { 'content-type': 'text/plain' }).end(verified.error);
      return;
    }
    const object = await storage.head(verified.key);
    if (!object) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const range = requestedRange(req.headers.range, object.byteSize);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'content-range': `bytes */${object.byteSize}`, 'content-type': 'text/plain' }).end();
      return;
    }
    const [start, end] = range ?? [0, object.byteSize];
    res.writeHead(range ? 206 : 200, {
      'content-type': object.contentType,
      'content-length': end - start,
      'accept-ranges': 'bytes',
      'cache-control': 'private, max-age=300',
      ...(range ? { 'content-range': `bytes ${start}-${end - 1}/${object.byteSize}` } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    let closed = false;
    res.once('close', () => (closed = true));
    for (let at = start; at < end && !closed; at += chunkBytes) {
      const chunk = await storage.getRange(verified.key, at, Math.min(end, at + chunkBytes));
      if (!chunk || chunk.length === 0) {
        // Deleted or shortened while being sent: the length promised cannot be kept.
        res.destroy();
        return;
      }
      if (!res.write(chunk) && !closed) {
        // The waits' listeners go once either fires: a 2 GB video waits thousands of times.
        const settled = new AbortController();
        await Promise.race([
          once(res, 'drain', { signal: settled.signal }),
          once(res, 'close', { signal: settled.signal }),
        ]).finally(() => settled.abort());
      }
    }
    res.end();
  };
}
