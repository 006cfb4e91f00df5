import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
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
    async delete(key) {
      // S3 answers 204 for a missing key too.
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
    },
    signedUrl(key, signOptions) {
      assertValidKey(key);
      return options.signer.sign(key, signOptions?.expiresInSeconds);
    },
  };
}
