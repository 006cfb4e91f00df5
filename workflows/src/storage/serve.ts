import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UrlSigner } from './signing.js';
import type { ObjectStorage } from './storage.js';

/**
 * Serves objects behind signed URLs (GET and HEAD). Mount it where the signer's baseUrl
 * points; it answers 403 for a bad or expired signature and 404 for a missing object.
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
    const object = await storage.get(verified.key);
    if (!object) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': object.contentType,
      'content-length': object.byteSize,
      'cache-control': 'private, max-age=300',
    });
    res.end(req.method === 'HEAD' ? undefined : object.body);
  };
}
