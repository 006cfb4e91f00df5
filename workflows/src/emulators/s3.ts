import { createHash } from 'node:crypto';
import { EmulatorClock, EmulatorServer, type EmulatorResponse } from './core.js';

// An S3-compatible object store (path-style PutObject, GetObject, DeleteObject), enough for
// the storage adapter's tests and a demo without MinIO. SigV4 signatures are not verified,
// only that the request is signed with the expected access key.

function s3Error(status: number, code: string, message: string): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  };
}

export class S3Emulator {
  readonly server: EmulatorServer;
  readonly objects = new Map<string, { body: Buffer; contentType: string; etag: string }>();

  constructor(
    readonly credentials = { accessKeyId: 'pressroom-emulated', secretAccessKey: 'pressroom-emulated-secret' },
    readonly buckets = ['pressroom'],
    clock?: EmulatorClock,
  ) {
    this.server = new EmulatorServer({
      name: 's3',
      state: () => ({ objects: [...this.objects.keys()] }),
      clock,
      errorBody: (status, code, message) => s3Error(status, code ?? 'InternalError', message).body,
    });
    const check = (authorization: string | undefined, bucket: string) => {
      if (!authorization?.startsWith(`AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/`)) {
        return s3Error(403, 'AccessDenied', 'Access Denied');
      }
      return this.buckets.includes(bucket) ? undefined : s3Error(404, 'NoSuchBucket', 'The bucket does not exist');
    };
    this.server.route('PUT', '/:bucket/*key', (request) => {
      const refused = check(request.headers.authorization, request.params.bucket!);
      if (refused) return refused;
      const etag = `"${createHash('md5').update(request.body).digest('hex')}"`;
      this.objects.set(`${request.params.bucket}/${request.params.key}`, {
        body: request.body,
        contentType: String(request.headers['content-type'] ?? 'application/octet-stream'),
        etag,
      });
      return { status: 200, headers: { etag }, body: '' };
    });
    this.server.route('GET', '/:bucket/*key', (request) => {
      const refused = check(request.headers.authorization, request.params.bucket!);
      if (refused) return refused;
      const object = this.objects.get(`${request.params.bucket}/${request.params.key}`);
      if (!object) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      return {
        status: 200,
        headers: {
          'content-type': object.contentType,
          etag: object.etag,
          'content-length': String(object.body.length),
        },
        body: object.body,
      };
    });
    this.server.route('DELETE', '/:bucket/*key', (request) => {
      const refused = check(request.headers.authorization, request.params.bucket!);
      if (refused) return refused;
      this.objects.delete(`${request.params.bucket}/${request.params.key}`);
      return { status: 204 };
    });
  }

  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
