export type { ObjectStorage, StoredObject, PutOptions } from './storage.js';
export { mediaAssetObjectKeys } from './storage.js';
export { createLocalStorage, type LocalStorageOptions } from './local.js';
export { createS3Storage, type S3StorageOptions } from './s3.js';
export { createUrlSigner, type UrlSigner, type UrlSignerOptions } from './signing.js';
export { createSignedObjectHandler } from './serve.js';
