import { createHash } from 'node:crypto';
import type { IssuedTokens } from '../accounts.js';
import type { OAuthConnector } from '../connect.js';
import { PlatformError, categoryForStatus } from '../errors.js';
import { createHttpClient, type HttpClientOptions, type HttpResponse } from '../http.js';
import { classifyYouTubeResponse } from './client.js';

export interface GoogleOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** `https://accounts.google.com` (the consent page) or an emulator. */
  authBaseUrl?: string;
  /** `https://oauth2.googleapis.com` (token, revoke) or an emulator. */
  tokenBaseUrl?: string;
  /** `https://www.googleapis.com` (the channel lookup) or an emulator. */
  apiBaseUrl?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
  now?: () => number;
}

/** Uploading, and reading the channel and its videos' statistics. */
export const youtubeScopes = [
  'https://www.googleapis.com/auth/youtube.upload',
  'https://www.googleapis.com/auth/youtube.readonly',
];

/** Google's OAuth errors are flat: `{"error":"invalid_grant","error_description"}`. */
function classifyGoogleOAuth(response: HttpResponse, request: { operation: string; idempotent: boolean }) {
  if (response.status < 300) return null;
  let body: { error?: string; error_description?: string } = {};
  try {
    body = response.json();
  } catch {
    // The status decides.
  }
  // invalid_grant (a revoked or expired refresh token) is a refusal, never a token to refresh.
  const category =
    response.status === 401 ? 'REJECTED_BY_PLATFORM' : categoryForStatus(response.status, request.idempotent);
  return new PlatformError(body.error_description ?? body.error ?? `HTTP ${response.status}`, {
    category,
    platform: 'youtube',
    operation: request.operation,
    status: response.status,
    code: body.error,
  });
}

/** Google OAuth 2.0 for installed/web apps with PKCE, and the YouTube channel of the grant. */
export function createGoogleOAuthClient(options: GoogleOAuthOptions) {
  const oauth = createHttpClient({ ...options.http, platform: 'youtube', classify: classifyGoogleOAuth });
  const api = createHttpClient({ ...options.http, platform: 'youtube', classify: classifyYouTubeResponse });
  const now = options.now ?? Date.now;
  const tokenBase = options.tokenBaseUrl ?? 'https://oauth2.googleapis.com';

  async function token(operation: string, params: Record<string, string>): Promise<IssuedTokens> {
    const response = await oauth.send({
      operation,
      method: 'POST',
      url: new URL('/token', tokenBase).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: options.clientId,
        client_secret: options.clientSecret,
        ...params,
      }).toString(),
      idempotent: false,
    });
    const body = response.json<{ access_token: string; refresh_token?: string; expires_in?: number; scope?: string }>();
    return {
      accessToken: body.access_token,
      // Google keeps the refresh token on refresh (absent from the answer): the stored one stays.
      ...(body.refresh_token ? { refreshToken: body.refresh_token } : {}),
      ...(body.expires_in ? { accessTokenExpiresAt: new Date(now() + body.expires_in * 1000) } : {}),
      ...(body.scope ? { scopes: body.scope.split(' ') } : {}),
    };
  }

  return {
    authorizeUrl(params: { redirectUri: string; state: string; codeChallenge: string; scopes: string[] }): string {
      const target = new URL('/o/oauth2/v2/auth', options.authBaseUrl ?? 'https://accounts.google.com');
      target.search = new URLSearchParams({
        client_id: options.clientId,
        redirect_uri: params.redirectUri,
        response_type: 'code',
        scope: params.scopes.join(' '),
        state: params.state,
        code_challenge: params.codeChallenge,
        code_challenge_method: 'S256',
        // A refresh token is only given with offline access, and again only with prompt=consent.
        access_type: 'offline',
        prompt: 'consent',
        include_granted_scopes: 'true',
      }).toString();
      return target.toString();
    },
    exchangeCode: (params: { code: string; redirectUri: string; codeVerifier: string }) =>
      token('token (authorization_code)', {
        grant_type: 'authorization_code',
        code: params.code,
        redirect_uri: params.redirectUri,
        code_verifier: params.codeVerifier,
      }),
    refresh: (refreshToken: string) =>
      token('token (refresh_token)', { grant_type: 'refresh_token', refresh_token: refreshToken }),
    async revoke(tokenToRevoke: string): Promise<void> {
      await oauth.send({
        operation: 'revoke',
        method: 'POST',
        url: new URL('/revoke', tokenBase).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokenToRevoke }).toString(),
        idempotent: true,
      });
    },
    /** The channel of the signed-in grant (`channels?mine=true`). */
    async myChannel(accessToken: string) {
      const url = new URL('/youtube/v3/channels', options.apiBaseUrl ?? 'https://www.googleapis.com');
      url.search = new URLSearchParams({ part: 'snippet,statistics', mine: 'true' }).toString();
      const response = await api.send({
        operation: 'channels.list',
        method: 'GET',
        url: url.toString(),
        headers: { authorization: `Bearer ${accessToken}` },
        idempotent: true,
      });
      const channel = response.json<{
        items?: Array<{
          id: string;
          snippet?: { title?: string; customUrl?: string; thumbnails?: { default?: { url?: string } } };
          statistics?: { subscriberCount?: string; videoCount?: string; viewCount?: string };
        }>;
      }>().items?.[0];
      if (!channel) {
        throw new PlatformError('this Google account has no YouTube channel', {
          category: 'REJECTED_BY_PLATFORM',
          platform: 'youtube',
          operation: 'channels.list',
          code: 'no_channel',
        });
      }
      return channel;
    },
  };
}

export type GoogleOAuthClient = ReturnType<typeof createGoogleOAuthClient>;

/** base64url(SHA-256(verifier)), RFC 7636. */
export function googleCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function youtubeConnector(client: GoogleOAuthClient, scopes: string[] = youtubeScopes): OAuthConnector {
  return {
    platform: 'YOUTUBE',
    scopes,
    codeChallenge: googleCodeChallenge,
    authorizeUrl: (params) => client.authorizeUrl(params),
    async exchangeCode(params) {
      const tokens = await client.exchangeCode(params);
      const channel = await client.myChannel(tokens.accessToken);
      return { ...tokens, platformAccountId: channel.id };
    },
    async profile(accessToken) {
      const channel = await client.myChannel(accessToken);
      return {
        displayName: channel.snippet?.title ?? channel.id,
        username: channel.snippet?.customUrl,
        avatarUrl: channel.snippet?.thumbnails?.default?.url,
      };
    },
    revoke: (token) => client.revoke(token),
  };
}
