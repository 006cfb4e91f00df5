import type { Platform } from '@pressroom/db';
import type { IssuedTokens } from './accounts.js';

/** One account a consent made reachable, with the token to use for it. */
export interface ConnectableAccount {
  platform: Platform;
  platformAccountId: string;
  displayName: string;
  username?: string;
  avatarUrl?: string;
  tokens: IssuedTokens;
}

/**
 * What the api's connect routes need from a platform: its consent URL, the code exchange
 * (with PKCE), the connected account's profile (or, for a grant that reaches several
 * accounts, the accounts to choose from), and revocation for disconnect.
 */
export interface OAuthConnector {
  platform: Platform;
  /** Platforms of the accounts this login connects (and may disconnect); `[platform]` when absent. */
  accountPlatforms?: Platform[];
  scopes: string[];
  /** The S256 challenge for a PKCE verifier, encoded as this platform expects it. */
  codeChallenge(verifier: string): string;
  authorizeUrl(params: { redirectUri: string; state: string; codeChallenge: string; scopes: string[] }): string;
  exchangeCode(params: {
    code: string;
    redirectUri: string;
    codeVerifier: string;
    /** The state this callback carried (VK ID wants it back) and every other callback parameter (VK's device_id). */
    state: string;
    callback: URLSearchParams;
  }): Promise<IssuedTokens & { platformAccountId?: string }>;
  /** For a login that is one account: who it is. */
  profile?(accessToken: string): Promise<{ displayName: string; username?: string; avatarUrl?: string }>;
  /**
   * For a login that reaches several accounts (Meta: pages and their Instagram accounts; VK:
   * the communities the person administers): the person chooses after consent.
   */
  accounts?(tokens: IssuedTokens): Promise<ConnectableAccount[]>;
  /** How many accounts one consent may connect (VK's rotating refresh token cannot be shared: 1). */
  maxChoices?: number;
  /**
   * The grant is shared by every account of one person (Meta: revoking removes the app for all
   * their pages): disconnecting one revokes it only when no other connected account still has
   * a token of the same `owner` (undefined when the token no longer works).
   */
  sharedGrant?: { owner(token: string): Promise<string | undefined> };
  revoke(token: string): Promise<void>;
}
