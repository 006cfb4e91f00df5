import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Database } from '@pressroom/db';
import { mediaUploadKey } from '@pressroom/workflows/client';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import { Server, type DataStore } from '@tus/server';
import type { Client } from '@temporalio/client';
import { fileTypeFromBuffer } from 'file-type';
import { identify } from '../auth/sessions.js';
import type { ApiConfig } from '../config.js';
import { DomainError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OriginPolicy } from '../origins.js';
import { decodeGlobalId } from '../schema/ids.js';
import type { ServiceContext } from '../services/context.js';
import {
  authorizeUploadRequest,
  beginMediaUpload,
  completeMediaUpload,
  discardRefusedUpload,
  MediaQuotaExceededError,
  recordDetectedType,
} from '../services/media.js';

/** Where the tus endpoint lives; an upload's URL is `/uploads/<MediaAsset id>`. */
export const uploadsPath = '/uploads';

/** file-type reads at most this much to decide (its own sample size). */
const sniffBytes = 4100;

interface HookRequest {
  headers: Headers;
}

/** A refusal the tus server answers with as is (its `status_code` and `body`). */
class TusRefusal extends Error {
  readonly body: string;
  constructor(
    readonly status_code: number,
    code: string,
    message: string,
  ) {
    super(message);
    this.body = JSON.stringify({ code, message });
  }
}

function tusRefusal(status: number, code: string, message: string): TusRefusal {
  return new TusRefusal(status, code, message);
}

function refusalFor(error: unknown): unknown {
  if (error instanceof TusRefusal) return error;
  if (error instanceof MediaQuotaExceededError) return tusRefusal(413, 'QUOTA_EXCEEDED', error.message);
  if (error instanceof DomainError) {
    const status =
      { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, CONFLICT: 409 }[
        error.code as string
      ] ?? 500;
    return tusRefusal(status, error.code, error.message);
  }
  return error;
}

/** The tus Upload-Metadata values arrive as strings or null. */
function metadataString(metadata: Record<string, string | null> | undefined, key: string): string | undefined {
  const value = metadata?.[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads up to `bytes` from the front of a stream and gives back those bytes and a stream of
 * the whole (the head put back in front), so the store still receives every byte.
 */
async function peek(stream: Readable, bytes: number): Promise<{ head: Buffer; whole: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    yield head;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, whole: Readable.from(rest(), { objectMode: false }) };
}

/**
 * The type check by content: the first bytes of an upload (offset 0) are read before any is
 * written, and a file that is not an allowed image or video is refused with 415 and forgotten
 * (its reservation freed). A first request that ends before `sniffBytes` arrived (an
 * interruption) writes nothing, so the check always sees the same head on the next try.
 */
function checkContentOnFirstWrite(store: DataStore, db: Database, logger: Logger): void {
  const write = store.write.bind(store);
  store.write = async (stream, id, offset) => {
    if (offset !== 0) return write(stream, id, offset);
    const { head, whole } = await peek(stream, sniffBytes);
    const upload = await store.getUpload(id);
    if (head.length < Math.min(sniffBytes, upload.size ?? sniffBytes)) return 0;
    const detected = await fileTypeFromBuffer(head);
    const assetId = id.slice(id.indexOf('/') + 1);
    const outcome = await recordDetectedType(db, assetId, detected?.mime ?? null);
    if (!outcome.allowed) {
      whole.destroy();
      await store
        .remove(id)
        .catch((error: Error) => logger.warn({ err: error, id }, 'removing a refused upload failed'));
      await discardRefusedUpload(db, assetId);
      throw tusRefusal(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `The file is ${detected ? detected.mime : 'of no recognised type'}; images (JPEG, PNG, WebP, GIF) and videos (MP4, MOV, WebM, MKV, 3GP) are accepted.`,
      );
    }
    return write(whole, id, offset);
  };
}

/**
 * An upload its client ends (tus termination, DELETE) is forgotten whole: the store's objects,
 * and the asset row with its quota reservation, which would otherwise stay UPLOADING for ever.
 */
function forgetTerminatedUploads(store: DataStore, db: Database): void {
  const remove = store.remove.bind(store);
  store.remove = async (id) => {
    await remove(id);
    await discardRefusedUpload(db, id.slice(id.indexOf('/') + 1));
  };
}

/**
 * tus's S3 store aborts the multipart upload and deletes the object and its `.info` when an
 * upload is removed, but not the incomplete tail part (`<id>.part`, under one part size), which
 * would stay in the bucket for ever.
 */
class MediaS3Store extends S3Store {
  override async remove(id: string): Promise<void> {
    await super.remove(id);
    await this.deleteIncompletePart(id);
  }
}

function createDataStore(config: ApiConfig): DataStore {
  if (config.MEDIA_S3_BUCKET) {
    return new MediaS3Store({
      // Parts are buffered on disk, one at a time, before they go to S3 (not in memory).
      partSize: 8 * 1024 * 1024,
      s3ClientConfig: {
        bucket: config.MEDIA_S3_BUCKET,
        region: config.MEDIA_S3_REGION,
        ...(config.MEDIA_S3_ENDPOINT ? { endpoint: config.MEDIA_S3_ENDPOINT, forcePathStyle: true } : {}),
        credentials: {
          accessKeyId: config.MEDIA_S3_ACCESS_KEY_ID!,
          secretAccessKey: config.MEDIA_S3_SECRET_ACCESS_KEY!,
        },
      },
    });
  }
  // Ids are `uploads/<asset id>`, so originals land in PRESSROOM_MEDIA_DIR/uploads/, the same
  // key the worker's storage reads them under.
  return new FileStore({ directory: config.PRESSROOM_MEDIA_DIR });
}

export interface UploadRouteDependencies {
  db: Database;
  config: ApiConfig;
  logger: Logger;
  temporal: Client;
  origins: OriginPolicy;
}

/**
 * Resumable uploads into the media library over tus 1.0 (creation, creation-with-upload,
 * termination): authenticated like /graphql (session cookie or API token), media:write in the
 * brand's organization, the quota checked from Upload-Length before anything is stored.
 */
export function createUploadRoutes(deps: UploadRouteDependencies) {
  const { db, config, logger } = deps;
  const datastore = createDataStore(config);
  checkContentOnFirstWrite(datastore, db, logger);
  forgetTerminatedUploads(datastore, db);

  async function serviceContext(req: HookRequest): Promise<ServiceContext> {
    const { viewer, lapsedCredential } = await identify(db, config, {
      authorization: req.headers.get('authorization'),
      cookie: req.headers.get('cookie'),
    });
    return {
      db,
      config,
      // Nothing here mails anyone.
      mailer: { sendPasswordReset: () => Promise.resolve(), sendInvite: () => Promise.resolve() },
      meta: {
        viewer,
        lapsedCredential,
        ip: req.headers.get('x-pressroom-client-ip'),
        userAgent: req.headers.get('user-agent'),
        requestId: req.headers.get('x-request-id') ?? randomUUID(),
      },
    };
  }

  const tus = new Server({
    path: uploadsPath,
    datastore,
    maxSize: config.MEDIA_UPLOAD_MAX_BYTES,
    allowedCredentials: true,
    allowedOrigins: (origin) => deps.origins.allows(origin, null),
    allowedHeaders: ['authorization', 'x-request-id'],
    exposedHeaders: ['x-request-id'],
    disableTerminationForFinishedUploads: true,
    namingFunction: () => mediaUploadKey(randomUUID().replaceAll('-', '')),
    getFileIdFromRequest: (_req, lastPath) => (lastPath ? mediaUploadKey(lastPath) : undefined),
    generateUrl: (_req, { proto, host, path, id }) =>
      `${config.PUBLIC_BASE_URL ?? `${proto}://${host}`}${path}/${id.slice(id.indexOf('/') + 1)}`,
    onUploadCreate: async (req, upload) => {
      try {
        const ctx = await serviceContext(req);
        if (upload.size === undefined) {
          throw tusRefusal(
            400,
            'BAD_USER_INPUT',
            'Send Upload-Length: the quota is checked before anything is stored.',
          );
        }
        const brand = metadataString(upload.metadata, 'brandId');
        const decoded = brand ? safeDecode(brand) : null;
        const asset = await beginMediaUpload(ctx, {
          brandId: decoded?.typename === 'Brand' ? decoded.id : '',
          filename: metadataString(upload.metadata, 'filename') ?? 'upload',
          folder: metadataString(upload.metadata, 'folder'),
          tags: (metadataString(upload.metadata, 'tags') ?? '')
            .split(',')
            .map((tag) => tag.trim())
            .filter(Boolean),
          byteSize: upload.size,
          // The tus id names the asset: `uploads/<asset id>`.
          id: upload.id.slice(upload.id.indexOf('/') + 1),
        });
        return { metadata: { ...upload.metadata, mediaAssetId: asset.id } };
      } catch (error) {
        throw refusalFor(error);
      }
    },
    onIncomingRequest: async (req, id) => {
      if (req.method === 'POST' || req.method === 'OPTIONS') return;
      try {
        const ctx = await serviceContext(req);
        const asset = await authorizeUploadRequest(ctx, id.slice(id.indexOf('/') + 1));
        if (req.method === 'PATCH' && asset.status !== 'UPLOADING') {
          throw tusRefusal(409, 'CONFLICT', `This upload is complete (${asset.status}).`);
        }
      } catch (error) {
        throw refusalFor(error);
      }
    },
    // tus's own refusals (wrong offset, too large...) carry a status; anything else is a bug
    // or an outage: logged, and answered without its message.
    onResponseError: (_req, error) => {
      if (error instanceof TusRefusal || !(error instanceof Error) || 'status_code' in error) return undefined;
      logger.error({ err: error }, 'upload request failed');
      return {
        status_code: 500,
        body: JSON.stringify({ code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.' }),
      };
    },
    onUploadFinish: async (_req, upload) => {
      try {
        await completeMediaUpload(
          db,
          deps.temporal,
          config.TEMPORAL_TASK_QUEUE,
          upload.id.slice(upload.id.indexOf('/') + 1),
        );
      } catch (error) {
        logger.error({ err: error, id: upload.id }, 'starting media processing failed');
        throw tusRefusal(
          503,
          'UNAVAILABLE',
          'The upload is stored but its processing could not be started; try again.',
        );
      }
      return {};
    },
  });

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== uploadsPath && !path.startsWith(`${uploadsPath}/`)) return false;
    // tus's GET would serve the bytes of any upload to whoever names it: originals are read
    // through signed /media URLs instead.
    if (req.method === 'GET') {
      res.writeHead(405, { allow: 'POST, HEAD, PATCH, DELETE, OPTIONS' }).end();
      return true;
    }
    req.headers['x-pressroom-client-ip'] = req.socket.remoteAddress ?? '';
    await tus.handle(req, res);
    return true;
  };
}

function safeDecode(globalId: string): { typename: string; id: string } | null {
  try {
    return decodeGlobalId(globalId);
  } catch {
    return null;
  }
}
