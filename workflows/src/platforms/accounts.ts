import type { Database, Platform } from '@pressroom/db';
import { socialAccountTokenContext, type TokenVault } from '@pressroom/db/vault';
import { isPlatformError, PlatformError } from './errors.js';
import type { AccessTokenSource } from './tokens.js';

/** What a platform's token endpoint gave back, in the platform-neutral shape we store. */
export interface IssuedTokens {
  accessToken: string;
  /** Absent when the platform keeps the old refresh token (or has none). */
  refreshToken?: string;
  accessTokenExpiresAt?: Date;
  refreshTokenExpiresAt?: Date;
  scopes?: string[];
}

type AccountKey = { organizationId: string; platform: string; platformAccountId: string };

function encryptTokens(vault: TokenVault, account: AccountKey, tokens: IssuedTokens) {
  const access = vault.encrypt(tokens.accessToken, socialAccountTokenContext(account, 'access'));
  return {
    tokenKeyId: access.keyId,
    accessTokenCiphertext: access.ciphertext,
    ...(tokens.refreshToken !== undefined
      ? {
          refreshTokenCiphertext: vault.encrypt(tokens.refreshToken, socialAccountTokenContext(account, 'refresh'))
            .ciphertext,
        }
      : {}),
    ...(tokens.accessTokenExpiresAt ? { accessTokenExpiresAt: tokens.accessTokenExpiresAt } : {}),
    ...(tokens.refreshTokenExpiresAt ? { refreshTokenExpiresAt: tokens.refreshTokenExpiresAt } : {}),
    ...(tokens.scopes ? { scopes: tokens.scopes } : {}),
  };
}

export interface ConnectedAccount {
  organizationId: string;
  brandId: string;
  platform: Platform;
  platformAccountId: string;
  displayName: string;
  username?: string | null;
  avatarUrl?: string | null;
  connectedById?: string | null;
  tokens: IssuedTokens;
}

/**
 * Stores (or reconnects) a social account with its tokens encrypted. Reconnecting the same
 * platform account in the same organization replaces its tokens and makes it ACTIVE again.
 */
export async function saveConnectedAccount(db: Database, vault: TokenVault, account: ConnectedAccount) {
  const secrets = encryptTokens(vault, account, account.tokens);
  const profile = {
    brandId: account.brandId,
    displayName: account.displayName,
    username: account.username ?? null,
    avatarUrl: account.avatarUrl ?? null,
    connectedById: account.connectedById ?? null,
    status: 'ACTIVE' as const,
    lastError: null,
    lastErrorAt: null,
  };
  return db.socialAccount.upsert({
    where: {
      organizationId_platform_platformAccountId: {
        organizationId: account.organizationId,
        platform: account.platform,
        platformAccountId: account.platformAccountId,
      },
    },
    create: {
      organizationId: account.organizationId,
      platform: account.platform,
      platformAccountId: account.platformAccountId,
      ...profile,
      ...secrets,
    },
    update: { ...profile, ...secrets },
    select: { id: true, platformAccountId: true, displayName: true, status: true },
  });
}

export interface AccountTokenSourceOptions {
  db: Database;
  vault: TokenVault;
  accountId: string;
  /** The platform's refresh call (e.g. TikTok's oauth/token with grant_type=refresh_token). */
  refresh: (refreshToken: string) => Promise<IssuedTokens>;
  /** Refresh ahead of expiry by this much, so a long upload never starts on a dying token. */
  refreshMarginMs?: number;
  now?: () => number;
}

/**
 * Access tokens of one stored account, refreshed when they expire. A refresh holds the
 * account's row lock, so concurrent workers refresh once; with refresh-token rotation a
 * second refresh with the old refresh token would fail and disconnect the account. The
 * rotated refresh token is committed before the new access token is used.
 */
export function createAccountTokenSource(options: AccountTokenSourceOptions): AccessTokenSource {
  const { db, vault, accountId } = options;
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 5 * 60_000;

  const notConnected = (reason: string) =>
    new PlatformError(reason, { category: 'REJECTED_BY_PLATFORM', platform: 'pressroom', operation: 'token' });

  async function readAccount(tx: Pick<Database, 'socialAccount'> = db) {
    const account = await tx.socialAccount.findUnique({ where: { id: accountId } });
    if (!account) throw notConnected('the social account does not exist');
    if (account.status !== 'ACTIVE' || !account.accessTokenCiphertext || !account.tokenKeyId) {
      throw notConnected(`the social account is ${account.status.toLowerCase()}; reconnect it`);
    }
    const access = vault.decrypt(
      account.tokenKeyId,
      account.accessTokenCiphertext,
      socialAccountTokenContext(account, 'access'),
    );
    return { account, access };
  }

  async function refresh(rejectedAccessToken: string | undefined): Promise<string> {
    let failure: PlatformError | undefined;
    const token = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1 FROM "SocialAccount" WHERE id = ${accountId} FOR UPDATE`;
        const { account, access } = await readAccount(tx);
        // Someone refreshed while we waited for the lock: use theirs.
        if (rejectedAccessToken !== undefined && access !== rejectedAccessToken) return access;
        if (
          rejectedAccessToken === undefined &&
          (account.accessTokenExpiresAt?.getTime() ?? Infinity) > now() + margin
        ) {
          return access;
        }
        if (!account.refreshTokenCiphertext)
          throw notConnected('the access token expired and there is no refresh token');
        const refreshToken = vault.decrypt(
          account.tokenKeyId!,
          account.refreshTokenCiphertext,
          socialAccountTokenContext(account, 'refresh'),
        );
        let issued: IssuedTokens;
        try {
          issued = await options.refresh(refreshToken);
        } catch (error) {
          if (isPlatformError(error, 'REJECTED_BY_PLATFORM')) {
            failure = error;
            return undefined;
          }
          throw error;
        }
        await tx.socialAccount.update({
          where: { id: accountId },
          // A refresh that gives no expiry gave a token without one (a page token from a
          // long-lived Meta login): the old expiry must go, or every use would refresh again.
          data: { ...encryptTokens(vault, account, issued), accessTokenExpiresAt: issued.accessTokenExpiresAt ?? null },
        });
        return issued.accessToken;
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    if (token !== undefined) return token;
    // The platform refused the refresh token itself: the person has to connect again.
    await db.socialAccount.update({
      where: { id: accountId },
      data: { status: 'TOKEN_EXPIRED', lastError: failure!.reason, lastErrorAt: new Date(now()) },
    });
    throw failure!;
  }

  return {
    async accessToken() {
      const { account, access } = await readAccount();
      const expiresAt = account.accessTokenExpiresAt?.getTime();
      if (expiresAt !== undefined && expiresAt <= now() + margin && account.refreshTokenCiphertext) {
        return refresh(undefined);
      }
      return access;
    },
    refresh: (rejected) => refresh(rejected),
  };
}

/**
 * Disconnects an account: revokes the grant at the platform, then erases the stored secrets.
 * A platform that says the token is already invalid counts as revoked; any other failure is
 * thrown before anything is erased, so the disconnect can be retried.
 */
export async function disconnectAccount(
  deps: { db: Database; vault: TokenVault; revoke: (token: string) => Promise<void> },
  accountId: string,
): Promise<void> {
  const account = await deps.db.socialAccount.findUnique({ where: { id: accountId } });
  if (!account) return;
  if (account.tokenKeyId && (account.refreshTokenCiphertext || account.accessTokenCiphertext)) {
    const token = account.refreshTokenCiphertext
      ? deps.vault.decrypt(
          account.tokenKeyId,
          account.refreshTokenCiphertext,
          socialAccountTokenContext(account, 'refresh'),
        )
      : deps.vault.decrypt(
          account.tokenKeyId,
          account.accessTokenCiphertext!,
          socialAccountTokenContext(account, 'access'),
        );
    try {
      await deps.revoke(token);
    } catch (error) {
      if (!isPlatformError(error, 'REJECTED_BY_PLATFORM') && !isPlatformError(error, 'TOKEN_EXPIRED')) throw error;
    }
  }
  await deps.db.socialAccount.update({
    where: { id: accountId },
    data: {
      accessTokenCiphertext: null,
      refreshTokenCiphertext: null,
      tokenKeyId: null,
      accessTokenExpiresAt: null,
      refreshTokenExpiresAt: null,
      status: 'DISCONNECTED',
    },
  });
}
