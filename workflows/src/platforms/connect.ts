import type { Platform } from '@pressroom/db';
import type { IssuedTokens } from './accounts.js';

/**
 * What the api's connect routes need from a platform: its consent URL, the code exchange
 * (with PKCE), the connected account's profile, and revocation for disconnect.
 */
export interface OAuthConnector {
  platform: Platform;
  scopes: string[];
  /** The S256 challenge for a PKCE verifier, encoded as this platform expects it. */
  codeChallenge(verifier: string): string;
  authorizeUrl(params: { redirectUri: string; state: string; codeChallenge: string; scopes: string[] }): string;
  exchangeCode(params: {
    code: string;
    redirectUri: string;
    codeVerifier: string;
  }): Promise<IssuedTokens & { platformAccountId: string }>;
  profile(accessToken: string): Promise<{ displayName: string; username?: string; avatarUrl?: string }>;
  revoke(token: string): Promise<void>;
}
