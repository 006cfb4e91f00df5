import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorResponse } from './core.js';
import type { YouTubeEmulator } from './youtube.js';

// Google OAuth 2.0 (consent with PKCE, code exchange, refresh, revoke) and channels.list
// (mine=true), served on the YouTube emulator's server so that one address is Google for the
// api and the worker. Access tokens are the YouTube emulator's own (they expire on its clock);
// refresh tokens do not rotate and die on revoke.

export interface EmulatedChannel {
  id: string;
  title: string;
  customUrl: string;
  subscribers: number;
}

export interface GoogleOAuthEmulatorState {
  clientId: string;
  clientSecret: string;
  channels: EmulatedChannel[];
  refreshTokens: Array<[string, { channelId: string; scopes: string[]; revoked: boolean }]>;
  accessTokens: Array<[string, { channelId: string; revoked: boolean }]>;
  consentingChannelId?: string;
}

function oauthError(status: number, error: string, description: string): EmulatorResponse {
  return { status, body: { error, error_description: description } };
}

export class GoogleOAuthEmulator {
  /** The OAuth client (kept across a restart by restore(), as the api and worker hold it). */
  clientId = `${randomBytes(6).toString('hex')}.apps.googleusercontent.com`;
  clientSecret = `GOCSPX-${randomBytes(12).toString('base64url')}`;
  readonly channels = new Map<string, EmulatedChannel>();
  readonly calls = { codeExchanges: 0, refreshes: 0, revocations: 0 };
  /** The channel whose owner approves the next consent (a new one when unset). */
  consentingChannelId?: string;
  private declineNext?: string;
  private readonly codes = new Map<
    string,
    { channelId: string; redirectUri: string; challenge: string; scopes: string[]; expiresAt: number; used: boolean }
  >();
  private readonly refreshTokens = new Map<string, { channelId: string; scopes: string[]; revoked: boolean }>();
  /** Which channel each issued access token belongs to, for channels.list. */
  private readonly accessTokens = new Map<string, { channelId: string; revoked: boolean }>();

  constructor(private readonly youtube: YouTubeEmulator) {
    this.routes();
  }

  /** What a restart must keep: the client, channels and grants (access tokens live in the YouTube emulator too). */
  snapshot(): GoogleOAuthEmulatorState {
    return structuredClone({
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      channels: [...this.channels.values()],
      refreshTokens: [...this.refreshTokens],
      accessTokens: [...this.accessTokens],
      ...(this.consentingChannelId ? { consentingChannelId: this.consentingChannelId } : {}),
    });
  }

  /** Takes back what snapshot() gave, replacing whatever the emulator held. */
  restore(state: GoogleOAuthEmulatorState): void {
    const copy = structuredClone(state);
    this.clientId = copy.clientId;
    this.clientSecret = copy.clientSecret;
    this.channels.clear();
    for (const channel of copy.channels) this.channels.set(channel.id, channel);
    this.refreshTokens.clear();
    for (const [token, record] of copy.refreshTokens) this.refreshTokens.set(token, record);
    this.accessTokens.clear();
    for (const [token, record] of copy.accessTokens) this.accessTokens.set(token, record);
    this.consentingChannelId = copy.consentingChannelId;
  }

  createChannel(title = 'Emulated Channel'): EmulatedChannel {
    const channel: EmulatedChannel = {
      id: `UC${randomBytes(11).toString('base64url')}`,
      title,
      customUrl: `@${title.toLowerCase().replace(/[^a-z0-9]+/g, '')}${randomBytes(2).toString('hex')}`,
      subscribers: 1200,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** Tokens as a finished consent would give them (with a refresh token), without the browser round trip. */
  issueTokens(channelId: string, scopes = ['https://www.googleapis.com/auth/youtube.upload']) {
    return this.mint(channelId, scopes, true);
  }

  declineNextConsent(error = 'access_denied'): void {
    this.declineNext = error;
  }

  private mint(channelId: string, scopes: string[], withRefresh: boolean) {
    const { accessToken } = this.youtube.issueToken(channelId);
    this.accessTokens.set(accessToken, { channelId, revoked: false });
    const refreshToken = withRefresh ? `1//${randomBytes(24).toString('base64url')}` : undefined;
    if (refreshToken) this.refreshTokens.set(refreshToken, { channelId, scopes, revoked: false });
    return {
      access_token: accessToken,
      expires_in: 3599,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope: scopes.join(' '),
      token_type: 'Bearer',
    };
  }

  private routes(): void {
    const s = this.youtube.server;
    s.route('GET', '/o/oauth2/v2/auth', (request) => {
      const q = request.query;
      const redirectUri = q.get('redirect_uri');
      if (q.get('client_id') !== this.clientId || !redirectUri) {
        return { status: 400, body: 'Error 401: invalid_client' };
      }
      const back = new URL(redirectUri);
      back.searchParams.set('state', q.get('state') ?? '');
      const refuse = (error: string) => {
        back.searchParams.set('error', error);
        return { status: 302, headers: { location: back.toString() } };
      };
      const challenge = q.get('code_challenge');
      if (!challenge || q.get('code_challenge_method') !== 'S256') return refuse('invalid_request');
      if (this.declineNext) {
        const error = this.declineNext;
        this.declineNext = undefined;
        return refuse(error);
      }
      const channelId = this.consentingChannelId ?? this.createChannel().id;
      const code = `4/${randomBytes(24).toString('base64url')}`;
      this.codes.set(code, {
        channelId,
        redirectUri,
        challenge,
        scopes: (q.get('scope') ?? '').split(' ').filter(Boolean),
        expiresAt: this.youtube.clock.now() + 10 * 60_000,
        used: false,
      });
      back.searchParams.set('code', code);
      back.searchParams.set('scope', q.get('scope') ?? '');
      return { status: 302, headers: { location: back.toString() } };
    });

    s.route('POST', '/token', (request) => {
      const form = request.form();
      if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
        return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
      }
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') {
        this.calls.codeExchanges++;
        const code = this.codes.get(form.get('code') ?? '');
        if (!code || code.used || code.expiresAt <= this.youtube.clock.now()) {
          return oauthError(400, 'invalid_grant', 'Malformed auth code.');
        }
        code.used = true;
        if (form.get('redirect_uri') !== code.redirectUri)
          return oauthError(400, 'redirect_uri_mismatch', 'Bad Request');
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
          return oauthError(400, 'invalid_grant', 'Invalid code verifier.');
        }
        return { status: 200, body: this.mint(code.channelId, code.scopes, true) };
      }
      if (grant === 'refresh_token') {
        this.calls.refreshes++;
        const record = this.refreshTokens.get(form.get('refresh_token') ?? '');
        if (!record || record.revoked) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
        return { status: 200, body: this.mint(record.channelId, record.scopes, false) };
      }
      return oauthError(400, 'unsupported_grant_type', 'Invalid grant_type.');
    });

    s.route('POST', '/revoke', (request) => {
      this.calls.revocations++;
      const token = request.form().get('token') ?? request.query.get('token') ?? '';
      const record = this.refreshTokens.get(token) ?? this.accessTokens.get(token);
      if (!record || record.revoked) return oauthError(400, 'invalid_token', 'Token expired or revoked');
      // Revoking either token ends the whole grant.
      for (const map of [this.refreshTokens, this.accessTokens] as Array<
        Map<string, { channelId: string; revoked: boolean }>
      >) {
        for (const other of map.values()) if (other.channelId === record.channelId) other.revoked = true;
      }
      return { status: 200, body: {} };
    });

    s.route('GET', '/youtube/v3/channels', (request) => {
      const record = this.accessTokens.get(request.bearer() ?? '');
      if (!record || record.revoked) {
        return {
          status: 401,
          body: {
            error: {
              code: 401,
              message: 'Request had invalid authentication credentials.',
              errors: [{ reason: 'authError' }],
            },
          },
        };
      }
      if (request.query.get('mine') !== 'true')
        return { status: 400, body: { error: { code: 400, message: 'mine=true expected' } } };
      const channel = this.channels.get(record.channelId);
      const items = channel
        ? [
            {
              id: channel.id,
              snippet: {
                title: channel.title,
                customUrl: channel.customUrl,
                thumbnails: { default: { url: `https://yt3.example/${channel.id}.jpg` } },
              },
              statistics: {
                subscriberCount: String(channel.subscribers),
                videoCount: String(this.youtube.videosOf(channel.id).length),
                viewCount: String(this.youtube.videosOf(channel.id).reduce((sum, video) => sum + video.viewCount, 0)),
              },
            },
          ]
        : [];
      return { status: 200, body: { kind: 'youtube#channelListResponse', items } };
    });
  }
}
