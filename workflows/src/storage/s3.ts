import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createHash, createHmac } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UrlSigner } from './signing.js';
import { assertValidKey, type ObjectStorage } from './storage.js';

export interface S3StorageOptions {
  bucket: string;
  /** Optional prefix inside the bucket (no trailing slash). */
  prefix?: string;
  /** S3-compatible endpoint (MinIO, R2...); unset for AWS. */
  endpoint?: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** MinIO and most self-hosted servers want path-style URLs. */
  forcePathStyle?: boolean;
  /**
   * Signed URLs point at Pressroom's own /media route, which streams from the bucket, so
   * the bucket stays private and one URL format works for every backend.
   */
  signer: UrlSigner;
  /**
   * Hand out the bucket's own presigned GET URLs (SigV4, query-signed) instead of /media
   * URLs: platforms then pull large video straight from the bucket, and the api never streams it.
   */
  presignedUrls?: boolean;
  now?: () => number;
}

/** RFC 3986 encoding, as SigV4's canonical request wants it. */
function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * A presigned GET URL (AWS Signature Version 4, query parameters, UNSIGNED-PAYLOAD), computed
 * here because the interface's signedUrl is synchronous and the SDK's presigner is not.
 */
export function presignGetUrl(input: {
  endpoint?: string;
  region: string;
  bucket: string;
  key: string;
  accessKeyId: string;
  secretAccessKey: string;
  expiresInSeconds: number;
  forcePathStyle: boolean;
  now: number;
}): string {
  const base = input.endpoint ? new URL(input.endpoint) : new URL(`https://s3.${input.region}.amazonaws.com`);
  const encodedKey = input.key.split('/').map(uriEncode).join('/');
  let host = base.host;
  let path: string;
  if (input.forcePathStyle) {
    path = `${base.pathname.replace(/\/$/, '')}/${uriEncode(input.bucket)}/${encodedKey}`;
  } else {
    host = `${input.bucket}.${base.host}`;
    path = `/${encodedKey}`;
  }
  const amzDate = new Date(input.now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${input.region}/s3/aws4_request`;
  const query: Array<[string, string]> = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${input.accessKeyId}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(input.expiresInSeconds)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  const canonicalQuery = query
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(value)}`)
    .sort()
    .join('&');
  const canonicalRequest = ['GET', path, canonicalQuery, `host:${host}`, '', 'host', 'UNSIGNED-PAYLOAD'].join('\n');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, day), input.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `${base.protocol}//${host}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

export function createS3Storage(options: S3StorageOptions): ObjectStorage {
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Checksums only where S3 requires them: several S3-compatible servers reject the
    // newer default (CRC32 trailers on every upload).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const objectKey = (key: string) => {
    assertValidKey(key);
    return options.prefix ? `${options.prefix}/${key}` : key;
  };
  return {
    async put(key, body, { contentType }) {
      await client.send(
        new PutObjectCommand({ Bucket: options.bucket, Key: objectKey(key), Body: body, ContentType: contentType }),
      );
    },
    async putFile(key, file, { contentType }) {
      // One PUT streams the file (S3 takes up to 5 GB so); the length must be known up front.
      const { size } = await stat(file);
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: objectKey(key),
          Body: createReadStream(file),
          ContentLength: size,
          ContentType: contentType,
        }),
      );
    },
    async downloadTo(key, file) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
        await pipeline(result.Body as Readable, createWriteStream(file));
        return true;
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return false;
        throw error;
      }
    },
    async get(key) {
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
        const body = Buffer.from((await result.Body?.transformToByteArray()) ?? new Uint8Array());
        return { body, contentType: result.ContentType ?? 'application/octet-stream', byteSize: body.length };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async head(key) {
      try {
        const result = await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
        return { contentType: result.ContentType ?? 'application/octet-stream', byteSize: result.ContentLength ?? 0 };
      } catch (error) {
        // A HEAD has no body, so a missing key comes back as a bare 404 (NotFound), not NoSuchKey.
        const name = (error as { name?: string }).name;
        if (name === 'NotFound' || name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async getRange(key, start, end) {
      if (end <= start) return Buffer.alloc(0);
      try {
        const result = await client.send(
          new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key), Range: `bytes=${start}-${end - 1}` }),
        );
        return Buffer.from((await result.Body?.transformToByteArray()) ?? new Uint8Array());
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async delete(key) {
      // S3 answers 204 for a missing key too.
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
    },
    signedUrl(key, signOptions) {
      assertValidKey(key);
      if (!options.presignedUrls) return options.signer.sign(key, signOptions?.expiresInSeconds);
      return presignGetUrl({
        endpoint: options.endpoint,
        region: options.region ?? 'us-east-1',
        bucket: options.bucket,
        key: objectKey(key),
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
        // S3 takes at most 7 days; the signer's default (3 h) otherwise.
        expiresInSeconds: Math.min(signOptions?.expiresInSeconds ?? 3 * 3600, 7 * 86_400),
        forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
        now: (options.now ?? Date.now)(),
      });
    },
  };
}
