import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '@pressroom/db';
import { createVault, parseKeyRing, type TokenVault } from '@pressroom/db/vault';
import sharp from 'sharp';
import { listen } from '../src/emulators/http.js';
import type { EmailMessage, EmailSender } from '../src/platforms/email/index.js';
import { PlatformError } from '../src/platforms/errors.js';
import {
  createLocalStorage,
  createSignedObjectHandler,
  createUrlSigner,
  type ObjectStorage,
} from '../src/storage/index.js';

/** The PlatformError a call failed with; any other outcome fails the test. */
export async function caught(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  if (!(error instanceof PlatformError)) throw new Error(`expected a PlatformError, got ${String(error)}`);
  return error;
}

/** An email sender that keeps what it was given, for tests that check who was told what. */
export function recordingEmail(options: { delayMs?: number } = {}): { sender: EmailSender; sent: EmailMessage[] } {
  const sent: EmailMessage[] = [];
  return {
    sent,
    sender: {
      provider: 'test',
      send: async (message) => {
        // A slow provider keeps the sending activity running for a while.
        if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        sent.push(message);
        return { id: `email-${sent.length}` };
      },
    },
  };
}

export function testVault(keys: Array<[string, Buffer]> = [['k1', randomBytes(32)]], current?: string): TokenVault {
  return createVault(parseKeyRing(keys.map(([id, key]) => `${id}:${key.toString('base64')}`).join(','), current));
}

/** An organization with one brand and one member, for rows that need a tenant. */
export async function seedTenant(db: Database) {
  const suffix = randomBytes(4).toString('hex');
  const user = await db.user.create({
    data: { email: `owner-${suffix}@example.test`, name: 'Owner', passwordHash: 'scrypt$unused' },
  });
  const organization = await db.organization.create({
    data: { name: `Org ${suffix}`, slug: `org-${suffix}`, memberships: { create: { userId: user.id, role: 'OWNER' } } },
  });
  const brand = await db.brand.create({
    data: { organizationId: organization.id, name: 'Acme Coffee', slug: `acme-${suffix}` },
  });
  return { userId: user.id, organizationId: organization.id, brandId: brand.id };
}

/** Local storage served over loopback with signed URLs, as the api serves /media. */
export async function servedStorage(): Promise<{ storage: ObjectStorage; close: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'pressroom-media-'));
  const server: Server = createServer();
  const baseUrl = await listen(server);
  const signer = createUrlSigner({ baseUrl: `${baseUrl}/media`, secret: randomBytes(32) });
  const storage = createLocalStorage({ root, signer });
  const handler = createSignedObjectHandler(storage, signer);
  server.on('request', (req, res) => void handler(req, res));
  return {
    storage,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

export function solidImage(width: number, height: number, format: 'jpeg' | 'webp' | 'png'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#6366f1' } })
    .toFormat(format)
    .toBuffer();
}
