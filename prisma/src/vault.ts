import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Database } from './client.js';

const ivBytes = 12;
const tagBytes = 16;
const keyIdPattern = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Encrypts OAuth tokens and PKCE verifiers for storage: AES-256-GCM, stored as
 * `IV (12 bytes) ‖ tag (16 bytes) ‖ ciphertext` beside the id of the key that made it.
 *
 * Rotation without downtime: add the new key to every process's ring while the old one is
 * still current, then make the new key current (new writes use it, old rows still decrypt),
 * run `pnpm --filter @pressroom/db tokens:rotate` to re-encrypt every row, and only then
 * drop the old key.
 */
export interface TokenVault {
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  /** `context` is bound into the ciphertext (GCM additional data): a ciphertext copied to another row fails. */
  encrypt(plaintext: string, context: string): { keyId: string; ciphertext: Uint8Array<ArrayBuffer> };
  decrypt(keyId: string, ciphertext: Uint8Array, context: string): string;
}

export class VaultError extends Error {
  override readonly name = 'VaultError';
}

export interface KeyRing {
  keys: ReadonlyMap<string, Buffer>;
  currentKeyId: string;
}

/**
 * Parses `id:base64key,id2:base64key` (each key 32 bytes). The current key is `currentKeyId`
 * when given, otherwise the first listed.
 */
export function parseKeyRing(spec: string, currentKeyId?: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const entry of spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = entry.slice(0, separator);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (separator < 1 || !keyIdPattern.test(id)) throw new VaultError(`token key ids must match ${keyIdPattern}`);
    if (key.length !== 32) throw new VaultError(`token key "${id}" must be 32 bytes of base64 (got ${key.length})`);
    if (keys.has(id)) throw new VaultError(`token key "${id}" is listed twice`);
    keys.set(id, key);
  }
  const current = currentKeyId ?? keys.keys().next().value;
  if (!current) throw new VaultError('the token key ring is empty');
  if (!keys.has(current)) throw new VaultError(`the current token key "${current}" is not in the key ring`);
  return { keys, currentKeyId: current };
}

/** A fresh key-ring entry, `id:base64`, for configuration. */
export function generateKeyRingEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export function createVault(ring: KeyRing): TokenVault {
  const keyFor = (keyId: string) => {
    const key = ring.keys.get(keyId);
    if (!key) throw new VaultError(`token key "${keyId}" is not in the key ring`);
    return key;
  };
  return {
    currentKeyId: ring.currentKeyId,
    keyIds: [...ring.keys.keys()],
    encrypt(plaintext, context) {
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', keyFor(ring.currentKeyId), iv);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const out = new Uint8Array(ivBytes + tagBytes + body.length);
      out.set(iv, 0);
      out.set(cipher.getAuthTag(), ivBytes);
      out.set(body, ivBytes + tagBytes);
      return { keyId: ring.currentKeyId, ciphertext: out };
    },
    decrypt(keyId, ciphertext, context) {
      if (ciphertext.length < ivBytes + tagBytes) throw new VaultError('ciphertext is too short');
      const bytes = Buffer.from(ciphertext);
      const decipher = createDecipheriv('aes-256-gcm', keyFor(keyId), bytes.subarray(0, ivBytes));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(bytes.subarray(ivBytes, ivBytes + tagBytes));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
      } catch {
        // Never echo the ciphertext or the key: only which row/key failed.
        throw new VaultError(`cannot decrypt a secret under key "${keyId}" (wrong key or tampered data)`);
      }
    },
  };
}

/** The additional data a social account's token is bound to. */
export function socialAccountTokenContext(
  account: { organizationId: string; platform: string; platformAccountId: string },
  which: 'access' | 'refresh',
): string {
  return `social-account:${account.organizationId}:${account.platform}:${account.platformAccountId}:${which}`;
}

export function oauthStateContext(state: { organizationId: string; stateHash: string }): string {
  return `oauth-state:${state.organizationId}:${state.stateHash}`;
}

/** The candidates a consent reached (Meta pages, VK communities), bound to the pending state. */
export function oauthStateChoicesContext(state: { organizationId: string; stateHash: string }): string {
  return `${oauthStateContext(state)}:choices`;
}

/** The additional data an ads connection's long-term token is bound to. */
export function adsConnectionTokenContext(connection: { id: string; organizationId: string }): string {
  return `ads-connection:${connection.organizationId}:${connection.id}`;
}

export interface RotationResult {
  socialAccounts: number;
  oauthStates: number;
  webhookEndpoints: number;
  adsConnections: number;
}

/**
 * Re-encrypts every secret that is not under the vault's current key. Each row is updated
 * only if its key id is still the one read, so a concurrent token refresh (which writes
 * under the current key) is never overwritten with stale tokens. Safe to run again.
 */
export async function reencryptSecrets(db: Database, vault: TokenVault, batchSize = 100): Promise<RotationResult> {
  const result: RotationResult = { socialAccounts: 0, oauthStates: 0, webhookEndpoints: 0, adsConnections: 0 };
  for (;;) {
    const accounts = await db.socialAccount.findMany({
      where: { tokenKeyId: { not: null }, NOT: { tokenKeyId: vault.currentKeyId } },
      take: batchSize,
      orderBy: { id: 'asc' },
    });
    if (accounts.length === 0) break;
    for (const account of accounts) {
      const oldKeyId = account.tokenKeyId!;
      const reencrypt = (ciphertext: Uint8Array | null, which: 'access' | 'refresh') => {
        if (!ciphertext) return null;
        const context = socialAccountTokenContext(account, which);
        return vault.encrypt(vault.decrypt(oldKeyId, ciphertext, context), context).ciphertext;
      };
      const updated = await db.socialAccount.updateMany({
        where: { id: account.id, tokenKeyId: oldKeyId },
        data: {
          accessTokenCiphertext: reencrypt(account.accessTokenCiphertext, 'access'),
          refreshTokenCiphertext: reencrypt(account.refreshTokenCiphertext, 'refresh'),
          tokenKeyId: vault.currentKeyId,
        },
      });
      result.socialAccounts += updated.count;
    }
  }
  for (;;) {
    const states = await db.oAuthState.findMany({
      where: { NOT: { tokenKeyId: vault.currentKeyId } },
      take: batchSize,
      orderBy: { id: 'asc' },
    });
    if (states.length === 0) break;
    for (const state of states) {
      const context = oauthStateContext(state);
      const verifier = vault.decrypt(state.tokenKeyId, state.codeVerifierCiphertext, context);
      const choicesContext = oauthStateChoicesContext(state);
      const updated = await db.oAuthState.updateMany({
        where: { id: state.id, tokenKeyId: state.tokenKeyId },
        data: {
          codeVerifierCiphertext: vault.encrypt(verifier, context).ciphertext,
          // Choices waiting for the person move to the new key with the verifier (one key id per row).
          ...(state.choicesCiphertext
            ? {
                choicesCiphertext: vault.encrypt(
                  vault.decrypt(state.tokenKeyId, state.choicesCiphertext, choicesContext),
                  choicesContext,
                ).ciphertext,
              }
            : {}),
          tokenKeyId: vault.currentKeyId,
        },
      });
      result.oauthStates += updated.count;
    }
  }
  for (;;) {
    // Webhook signing secrets (the same context as workflows/src/webhooks webhookSecretContext).
    const endpoints = await db.webhookEndpoint.findMany({
      where: { NOT: { secretKeyId: vault.currentKeyId } },
      take: batchSize,
      orderBy: { id: 'asc' },
    });
    if (endpoints.length === 0) break;
    for (const endpoint of endpoints) {
      const context = `webhook-endpoint:${endpoint.organizationId}:${endpoint.id}`;
      const secret = vault.decrypt(endpoint.secretKeyId, endpoint.secretCiphertext, context);
      const previous =
        endpoint.previousSecretCiphertext && endpoint.previousSecretKeyId
          ? vault.encrypt(
              vault.decrypt(endpoint.previousSecretKeyId, endpoint.previousSecretCiphertext, context),
              context,
            )
          : null;
      const updated = await db.webhookEndpoint.updateMany({
        where: { id: endpoint.id, secretKeyId: endpoint.secretKeyId },
        data: {
          secretCiphertext: vault.encrypt(secret, context).ciphertext,
          secretKeyId: vault.currentKeyId,
          ...(previous ? { previousSecretCiphertext: previous.ciphertext, previousSecretKeyId: previous.keyId } : {}),
        },
      });
      result.webhookEndpoints += updated.count;
    }
  }
  for (;;) {
    const connections = await db.adsConnection.findMany({
      where: { tokenKeyId: { not: null }, NOT: { tokenKeyId: vault.currentKeyId } },
      take: batchSize,
      orderBy: { id: 'asc' },
    });
    if (connections.length === 0) break;
    for (const connection of connections) {
      const context = adsConnectionTokenContext(connection);
      const token = connection.accessTokenCiphertext
        ? vault.encrypt(vault.decrypt(connection.tokenKeyId!, connection.accessTokenCiphertext, context), context)
            .ciphertext
        : null;
      const updated = await db.adsConnection.updateMany({
        where: { id: connection.id, tokenKeyId: connection.tokenKeyId },
        data: { accessTokenCiphertext: token, tokenKeyId: vault.currentKeyId },
      });
      result.adsConnections += updated.count;
    }
  }
  return result;
}
