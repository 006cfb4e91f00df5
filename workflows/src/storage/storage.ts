export interface PutOptions {
  contentType: string;
}

export interface StoredObject {
  body: Buffer;
  contentType: string;
  byteSize: number;
}

/**
 * Where rendered slides, brand assets and exports live. Keys are relative paths made of
 * `[A-Za-z0-9._-]` segments separated by `/` (e.g. `org/<id>/media/<id>.jpg`).
 */
export interface ObjectStorage {
  put(key: string, body: Buffer | Uint8Array, options: PutOptions): Promise<void>;
  /** null when there is no such object. */
  get(key: string): Promise<StoredObject | null>;
  /** An object's type and size without its bytes; null when there is no such object. */
  head(key: string): Promise<Omit<StoredObject, 'body'> | null>;
  /**
   * Large objects (uploaded video) go through files, never whole in memory: `putFile` streams
   * a local file in, `downloadTo` streams an object out to a local file (false when missing).
   */
  putFile(key: string, file: string, options: PutOptions): Promise<void>;
  /**
   * Bytes `start` to `end` (exclusive) of an object, null when there is no such object: how
   * a video goes to a network chunk by chunk without the whole file in memory.
   */
  getRange(key: string, start: number, end: number): Promise<Buffer | null>;
  downloadTo(key: string, file: string): Promise<boolean>;
  /** Deleting a missing object is not an error (retention runs may repeat). */
  delete(key: string): Promise<void>;
  /** A URL anyone can GET until it expires: how platforms pull images (PULL_FROM_URL). */
  signedUrl(key: string, options?: { expiresInSeconds?: number }): string;
}

const keyPattern = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Refuses keys that could escape the storage root or need escaping in a URL. */
export function assertValidKey(key: string): void {
  if (!keyPattern.test(key) || key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  }
}

/**
 * Every object a media library upload owns: the original (and the tus stores' sidecars: the
 * file store's `.json`, the S3 store's `.info` and `.part`), previews, rendition and variants.
 * Deleting an upload, and deleting its organization, remove exactly these.
 */
export function mediaAssetObjectKeys(asset: {
  storageKey: string;
  posterKey: string | null;
  thumbnailKey: string | null;
  renditionKey: string | null;
  variantKeys: unknown;
}): string[] {
  const variants = Object.values((asset.variantKeys ?? {}) as Record<string, string>);
  return [
    asset.storageKey,
    `${asset.storageKey}.json`,
    `${asset.storageKey}.info`,
    `${asset.storageKey}.part`,
    ...[asset.posterKey, asset.thumbnailKey, asset.renditionKey].filter((key): key is string => Boolean(key)),
    ...variants,
  ];
}
