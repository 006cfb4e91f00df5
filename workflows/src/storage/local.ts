import { copyFile, mkdir, open, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { UrlSigner } from './signing.js';
import { assertValidKey, type ObjectStorage } from './storage.js';

export interface LocalStorageOptions {
  /** Folder that holds the objects (created when missing). */
  root: string;
  signer: UrlSigner;
}

/**
 * The embedded default: objects as files under `root`, the content type in a sidecar file.
 * Writes go to a temporary name first so a reader never sees half an object.
 */
export function createLocalStorage(options: LocalStorageOptions): ObjectStorage {
  const pathOf = (key: string) => {
    assertValidKey(key);
    return join(options.root, key);
  };
  return {
    async put(key, body, { contentType }) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.partial`;
      await writeFile(temporary, body);
      await writeFile(`${path}.meta`, JSON.stringify({ contentType }));
      await rename(temporary, path);
    },
    async putFile(key, file, { contentType }) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.partial`;
      await copyFile(file, temporary);
      await writeFile(`${path}.meta`, JSON.stringify({ contentType }));
      await rename(temporary, path);
    },
    async downloadTo(key, file) {
      try {
        await copyFile(pathOf(key), file);
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw error;
      }
    },
    async get(key) {
      const path = pathOf(key);
      try {
        const [body, meta] = await Promise.all([readFile(path), readFile(`${path}.meta`, 'utf8')]);
        const { contentType } = JSON.parse(meta) as { contentType: string };
        return { body, contentType, byteSize: body.length };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async head(key) {
      const path = pathOf(key);
      try {
        const [{ size }, meta] = await Promise.all([stat(path), readFile(`${path}.meta`, 'utf8')]);
        const { contentType } = JSON.parse(meta) as { contentType: string };
        return { contentType, byteSize: size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async getRange(key, start, end) {
      let file;
      try {
        file = await open(pathOf(key), 'r');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      try {
        const buffer = Buffer.allocUnsafe(Math.max(0, end - start));
        let filled = 0;
        while (filled < buffer.length) {
          const { bytesRead } = await file.read(buffer, filled, buffer.length - filled, start + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return buffer.subarray(0, filled);
      } finally {
        await file.close();
      }
    },
    async delete(key) {
      const path = pathOf(key);
      await Promise.all([rm(path, { force: true }), rm(`${path}.meta`, { force: true })]);
    },
    signedUrl(key, signOptions) {
      return options.signer.sign(key, signOptions?.expiresInSeconds);
    },
  };
}
