import { createHash, randomBytes } from 'node:crypto';
import { presignGetUrl } from '../storage/s3.js';
import { EmulatorClock, EmulatorServer, type EmulatorRequest, type EmulatorResponse } from './core.js';

// An S3-compatible object store, path-style: PutObject, GetObject, HeadObject, DeleteObject,
// DeleteObjects, and multipart uploads (CreateMultipartUpload, UploadPart, ListParts,
// CompleteMultipartUpload, AbortMultipartUpload, ListMultipartUploads) in S3's XML wire format — what the storage
// adapter and tus's S3 store use. SigV4 signatures are not verified, only that a request is
// signed in its Authorization header with the expected access key. A presigned GET URL's
// signature is checked in full (SigV4 over the host, path and query), and one past its
// X-Amz-Expires is refused as S3 refuses it.

function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

function s3Error(status: number, code: string, message: string): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`,
  };
}

function xml(body: string): EmulatorResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>${body}`,
  };
}

/**
 * The body as sent: a streaming SigV4 upload (`aws-chunked`) arrives as
 * `<hex size>;chunk-signature=...\r\n<bytes>\r\n ... 0;...\r\n<trailers>\r\n\r\n`.
 */
function payloadOf(request: EmulatorRequest): Buffer {
  const encoding = String(request.headers['content-encoding'] ?? '');
  const sha = String(request.headers['x-amz-content-sha256'] ?? '');
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return request.body;
  const parts: Buffer[] = [];
  let at = 0;
  const body = request.body;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  metadata: Record<string, string>;
}

interface MultipartUpload {
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiatedAt: number;
  parts: Map<number, { body: Buffer; etag: string; at: number }>;
}

/** S3 refuses parts below 5 MiB except the last. */
const minimumPartBytes = 5 * 1024 * 1024;

export class S3Emulator {
  readonly server: EmulatorServer;
  readonly objects = new Map<string, StoredObject>();
  readonly uploads = new Map<string, MultipartUpload>();
  private readonly clock: EmulatorClock;

  constructor(
    readonly credentials = { accessKeyId: 'pressroom-emulated', secretAccessKey: 'pressroom-emulated-secret' },
    readonly buckets = ['pressroom'],
    clock?: EmulatorClock,
  ) {
    this.clock = clock ?? new EmulatorClock();
    this.server = new EmulatorServer({
      name: 's3',
      state: () => ({ objects: [...this.objects.keys()], multipartUploads: this.uploads.size }),
      clock: this.clock,
      errorBody: (status, code, message) => s3Error(status, code ?? 'InternalError', message).body,
    });
    const check = (request: EmulatorRequest, bucket: string) => {
      const header = request.headers.authorization;
      const presigned = request.query.get('X-Amz-Credential');
      if (header?.startsWith(`AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/`)) {
        // Signed in the header.
      } else if (presigned?.startsWith(`${this.credentials.accessKeyId}/`)) {
        const signedAt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(request.query.get('X-Amz-Date') ?? '');
        const expires = Number(request.query.get('X-Amz-Expires'));
        if (!signedAt || !Number.isInteger(expires) || !request.query.get('X-Amz-Signature')) {
          return s3Error(403, 'AccessDenied', 'Query-string authentication requires the X-Amz parameters');
        }
        const [y, mo, d, h, mi, s] = signedAt.slice(1).map(Number);
        const signedMs = Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
        const expected = new URL(
          presignGetUrl({
            endpoint: `http://${request.headers.host}`,
            region: presigned.split('/')[2] ?? 'us-east-1',
            bucket,
            key: request.params.key ?? '',
            accessKeyId: this.credentials.accessKeyId,
            secretAccessKey: this.credentials.secretAccessKey,
            expiresInSeconds: expires,
            forcePathStyle: true,
            now: signedMs,
          }),
        ).searchParams.get('X-Amz-Signature');
        if (request.method !== 'GET' || expected !== request.query.get('X-Amz-Signature')) {
          return s3Error(
            403,
            'SignatureDoesNotMatch',
            'The request signature we calculated does not match the signature you provided.',
          );
        }
        if (this.clock.now() > signedMs + expires * 1000) return s3Error(403, 'AccessDenied', 'Request has expired');
      } else {
        return s3Error(403, 'AccessDenied', 'Access Denied');
      }
      return this.buckets.includes(bucket) ? undefined : s3Error(404, 'NoSuchBucket', 'The bucket does not exist');
    };
    const metadataOf = (request: EmulatorRequest) =>
      Object.fromEntries(
        Object.entries(request.headers)
          .filter(([name]) => name.startsWith('x-amz-meta-'))
          .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]),
      );
    const objectHeaders = (object: StoredObject) => ({
      'content-type': object.contentType,
      etag: object.etag,
      'content-length': String(object.body.length),
      ...Object.fromEntries(Object.entries(object.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value])),
    });
    const uploadOf = (request: EmulatorRequest) => {
      const upload = this.uploads.get(request.query.get('uploadId') ?? '');
      return upload && upload.bucket === request.params.bucket && upload.key === request.params.key
        ? upload
        : undefined;
    };
    const noSuchUpload = () =>
      s3Error(
        404,
        'NoSuchUpload',
        'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      );

    this.server.route('PUT', '/:bucket/*key', (request) => {
      const refused = check(request, request.params.bucket!);
      if (refused) return refused;
      const body = payloadOf(request);
      const etag = `"${md5(body)}"`;
      if (request.query.has('uploadId')) {
        // UploadPart
        const upload = uploadOf(request);
        if (!upload) return noSuchUpload();
        const partNumber = Number(request.query.get('partNumber'));
        if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000) {
          return s3Error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
        }
        upload.parts.set(partNumber, { body, etag, at: this.clock.now() });
        return { status: 200, headers: { etag }, body: '' };
      }
      this.objects.set(`${request.params.bucket}/${request.params.key}`, {
        body,
        contentType: String(request.headers['content-type'] ?? 'application/octet-stream'),
        etag,
        metadata: metadataOf(request),
      });
      return { status: 200, headers: { etag }, body: '' };
    });

    this.server.route('POST', '/:bucket/*key', (request) => {
      const refused = check(request, request.params.bucket!);
      if (refused) return refused;
      const key = request.params.key!;
      if (request.query.has('uploads')) {
        // CreateMultipartUpload
        const uploadId = randomBytes(24).toString('base64url');
        this.uploads.set(uploadId, {
          bucket: request.params.bucket!,
          key,
          contentType: String(request.headers['content-type'] ?? 'application/octet-stream'),
          metadata: metadataOf(request),
          initiatedAt: this.clock.now(),
          parts: new Map(),
        });
        return xml(
          `<InitiateMultipartUploadResult><Bucket>${xmlEscape(request.params.bucket!)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>`,
        );
      }
      if (request.query.has('uploadId')) {
        // CompleteMultipartUpload: the parts named, in ascending order, each with its ETag.
        const upload = uploadOf(request);
        if (!upload) return noSuchUpload();
        const named = [
          ...payloadOf(request)
            .toString('utf8')
            .matchAll(/<Part>([\s\S]*?)<\/Part>/g),
        ].map((match) => ({
          number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(match[1]!)?.[1]),
          etag: (/<ETag>([^<]*)<\/ETag>/.exec(match[1]!)?.[1] ?? '').replaceAll('&quot;', '"').replaceAll('&#34;', '"'),
        }));
        if (named.length === 0) {
          return s3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate');
        }
        for (const [index, part] of named.entries()) {
          if (index > 0 && part.number <= named[index - 1]!.number) {
            return s3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order.');
          }
          const stored = upload.parts.get(part.number);
          if (!stored || stored.etag.replaceAll('"', '') !== part.etag.replaceAll('"', '')) {
            return s3Error(400, 'InvalidPart', `Part ${part.number} was not uploaded or its ETag does not match.`);
          }
          if (index < named.length - 1 && stored.body.length < minimumPartBytes) {
            return s3Error(
              400,
              'EntityTooSmall',
              'Your proposed upload is smaller than the minimum allowed object size.',
            );
          }
        }
        const parts = named.map((part) => upload.parts.get(part.number)!);
        const body = Buffer.concat(parts.map((part) => part.body));
        // S3's multipart ETag: the MD5 of the parts' MD5s, then "-" and the part count.
        const digest = createHash('md5')
          .update(Buffer.concat(parts.map((part) => Buffer.from(part.etag.replaceAll('"', ''), 'hex'))))
          .digest('hex');
        const etag = `"${digest}-${parts.length}"`;
        this.objects.set(`${upload.bucket}/${upload.key}`, {
          body,
          contentType: upload.contentType,
          etag,
          metadata: upload.metadata,
        });
        this.uploads.delete(request.query.get('uploadId')!);
        return xml(
          `<CompleteMultipartUploadResult><Location>${xmlEscape(`${this.server.baseUrl}/${upload.bucket}/${upload.key}`)}</Location><Bucket>${xmlEscape(upload.bucket)}</Bucket><Key>${xmlEscape(upload.key)}</Key><ETag>${xmlEscape(etag)}</ETag></CompleteMultipartUploadResult>`,
        );
      }
      return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    });

    // DeleteObjects (the SDK posts to `/<bucket>/?delete`, others to `/<bucket>?delete`).
    const deleteObjects = (request: EmulatorRequest) => {
      const refused = check(request, request.params.bucket!);
      if (refused) return refused;
      if (!request.query.has('delete')) {
        return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
      const keys = [
        ...payloadOf(request)
          .toString('utf8')
          .matchAll(/<Key>([^<]*)<\/Key>/g),
      ].map((match) => match[1]!.replaceAll('&amp;', '&'));
      for (const key of keys) this.objects.delete(`${request.params.bucket}/${key}`);
      return xml(
        `<DeleteResult>${keys.map((key) => `<Deleted><Key>${xmlEscape(key)}</Key></Deleted>`).join('')}</DeleteResult>`,
      );
    };
    this.server.route('POST', '/:bucket', deleteObjects);
    this.server.route('POST', '/:bucket/', deleteObjects);

    // ListMultipartUploads: the uploads begun and neither completed nor aborted (the SDK asks
    // for `/<bucket>/?uploads`, others for `/<bucket>?uploads`).
    const listMultipartUploads = (request: EmulatorRequest) => {
      const refused = check(request, request.params.bucket!);
      if (refused) return refused;
      if (!request.query.has('uploads')) {
        return s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
      const prefix = request.query.get('prefix') ?? '';
      const open = [...this.uploads.entries()].filter(
        ([, upload]) => upload.bucket === request.params.bucket && upload.key.startsWith(prefix),
      );
      return xml(
        `<ListMultipartUploadsResult><Bucket>${xmlEscape(request.params.bucket!)}</Bucket><Prefix>${xmlEscape(prefix)}</Prefix><IsTruncated>false</IsTruncated>` +
          open
            .map(
              ([uploadId, upload]) =>
                `<Upload><Key>${xmlEscape(upload.key)}</Key><UploadId>${xmlEscape(uploadId)}</UploadId><Initiated>${new Date(upload.initiatedAt).toISOString()}</Initiated></Upload>`,
            )
            .join('') +
          `</ListMultipartUploadsResult>`,
      );
    };
    this.server.route('GET', '/:bucket', listMultipartUploads);
    this.server.route('GET', '/:bucket/', listMultipartUploads);

    this.server.route('GET', '/:bucket/*key', (request) => {
      const refused = check(request, request.params.bucket!);
      if (refused) return refused;
      if (request.query.has('uploadId')) {
        // ListParts
        const upload = uploadOf(request);
        if (!upload) return noSuchUpload();
        const marker = Number(request.query.get('part-number-marker') ?? 0);
        const max = Math.min(1000, Number(request.query.get('max-parts') ?? 1000));
        const numbers = [...upload.parts.keys()].sort((a, b) => a - b).filter((number) => number > marker);
        const page = numbers.slice(0, max);
        const truncated = numbers.length > page.length;
        return xml(
          `<ListPartsResult><Bucket>${xmlEscape(upload.bucket)}</Bucket><Key>${xmlEscape(upload.key)}</Key><UploadId>${xmlEscape(request.query.get('uploadId')!)}</UploadId>` +
            `<PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${page.at(-1) ?? 0}</NextPartNumberMarker><MaxParts>${max}</MaxParts><IsTruncated>${truncated}</IsTruncated>` +
            page
              .map((number) => {
                const part = upload.parts.get(number)!;
                return `<Part><PartNumber>${number}</PartNumber><LastModified>${new Date(part.at).toISOString()}</LastModified><ETag>${xmlEscape(part.etag)}</ETag><Size>${part.body.length}</Size></Part>`;
              })
              .join('') +
            `</ListPartsResult>`,
        );
      }
      const object = this.objects.get(`${request.params.bucket}/${request.params.key}`);
      if (!object) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
      // A single byte range (bytes=a-b): how large objects are read a chunk at a time.
      const range = /^bytes=(\d+)-(\d*)$/.exec(String(request.headers.range ?? ''));
      if (range) {
        const size = object.body.length;
        const start = Number(range[1]);
        const last = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
        if (start >= size || last < start)
          return s3Error(416, 'InvalidRange', 'The requested range is not satisfiable');
        const body = object.body.subarray(start, last + 1);
        return {
          status: 206,
          headers: {
            ...objectHeaders(object),
            'content-length': String(body.length),
            'content-range': `bytes ${start}-${last}/${size}`,
          },
          body,
        };
      }
      return { status: 200, headers: objectHeaders(object), body: object.body };
    });

    this.server.route('HEAD', '/:bucket/*key', (request) => {
      const refused = check(request, request.params.bucket!);
      // HEAD answers carry no body: the status alone says it.
      if (refused) return { status: refused.status };
      const object = this.objects.get(`${request.params.bucket}/${request.params.key}`);
      if (!object) return { status: 404 };
      return { status: 200, headers: objectHeaders(object) };
    });

    this.server.route('DELETE', '/:bucket/*key', (request) => {
      const refused = check(request, request.params.bucket!);
      if (refused) return refused;
      if (request.query.has('uploadId')) {
        // AbortMultipartUpload: its parts are gone.
        if (!uploadOf(request)) return noSuchUpload();
        this.uploads.delete(request.query.get('uploadId')!);
        return { status: 204 };
      }
      this.objects.delete(`${request.params.bucket}/${request.params.key}`);
      return { status: 204 };
    });
  }

  /** The stored bytes of an object, for tests. */
  object(bucket: string, key: string): Buffer | undefined {
    return this.objects.get(`${bucket}/${key}`)?.body;
  }

  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
