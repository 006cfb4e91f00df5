import { createHash, randomBytes } from 'node:crypto';
import { categoryForServerError, categoryForStatus, PlatformError, type FailureCategory } from '../errors.js';
import { createHttpClient, jsonBody, retryAfterOf, type HttpClientOptions, type HttpResponse } from '../http.js';
import { withAccessToken, type AccessTokenSource } from '../tokens.js';
import type {
  TikTokCreatorInfo,
  TikTokPhotoPostInfo,
  TikTokPublishStatusResult,
  TikTokTokens,
  TikTokUser,
  TikTokVideo,
  TikTokVideoPage,
  TikTokVideoPostInfo,
} from './types.js';
import { userFields, videoFields } from './types.js';

export interface TikTokClientOptions {
  clientKey: string;
  clientSecret: string;
  /** `https://www.tiktok.com` (the consent page) or an emulator. */
  authBaseUrl: string;
  /** `https://open.tiktokapis.com` or an emulator. */
  apiBaseUrl: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
  now?: () => number;
}

const platform = 'tiktok';

// Display / Content Posting error codes that are about the token rather than the request.
const tokenCodes = new Set(['access_token_invalid']);

/**
 * TikTok answers in two envelopes: OAuth endpoints are flat (`{error, error_description}`),
 * the rest wrap everything as `{data, error: {code, message, log_id}}` and use HTTP 200 for
 * some refusals, so the body decides, not the status.
 */
export function classifyTikTokResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  const base = { platform, operation: request.operation, status: response.status };
  let parsed: unknown;
  try {
    parsed = response.body.length ? response.json() : {};
  } catch {
    if (response.status < 400) return null;
    return new PlatformError(`HTTP ${response.status} with a body that is not JSON`, {
      ...base,
      category: categoryForStatus(response.status, request.idempotent),
    });
  }
  const body = parsed as {
    error?: string | { code?: string; message?: string; log_id?: string };
    error_description?: string;
    log_id?: string;
  };
  if (typeof body.error === 'string') {
    const code = body.error;
    // A dead refresh token or code cannot be fixed by refreshing: the person must reconnect.
    const category: FailureCategory =
      response.status === 429 || code === 'rate_limit_exceeded'
        ? 'RATE_LIMITED'
        : response.status >= 500
          ? categoryForStatus(response.status, request.idempotent)
          : 'REJECTED_BY_PLATFORM';
    return new PlatformError(body.error_description || code, {
      ...base,
      category,
      code,
      requestId: body.log_id,
      retryAfterMs: retryAfterOf(response),
    });
  }
  const error = body.error;
  if (error && typeof error === 'object' && error.code && error.code !== 'ok') {
    const code = error.code;
    const category: FailureCategory = tokenCodes.has(code)
      ? 'TOKEN_EXPIRED'
      : code === 'rate_limit_exceeded' || response.status === 429
        ? 'RATE_LIMITED'
        : code === 'internal_error' || response.status >= 500
          ? categoryForServerError(response.status, request.idempotent)
          : 'REJECTED_BY_PLATFORM';
    return new PlatformError(error.message || code, {
      ...base,
      category,
      code,
      requestId: error.log_id,
      retryAfterMs: retryAfterOf(response),
    });
  }
  if (response.status >= 300) {
    return new PlatformError(`HTTP ${response.status}`, {
      ...base,
      category: categoryForStatus(response.status, request.idempotent),
      retryAfterMs: retryAfterOf(response),
    });
  }
  return null;
}

/**
 * The integers of the array `field` in a JSON text, as written: TikTok's post ids (int64)
 * lose their last digits in JSON.parse. Undefined when the field is not there.
 */
export function exactIntegers(text: string, field: string): string[] | undefined {
  const match = new RegExp(`"${field}"\\s*:\\s*\\[([^\\]]*)\\]`).exec(text);
  if (!match) return undefined;
  return match[1]!
    .split(',')
    .map((value) => value.trim().replace(/^"|"$/g, ''))
    .filter((value) => value.length > 0);
}

/**
 * TikTok's S256 code challenge: SHA-256 of the verifier, HEX-encoded (TikTok's Login Kit docs
 * and its own SDKs), not base64url as RFC 7636 has it. A base64url challenge is refused at
 * the token exchange with "Code verifier or code challenge is invalid".
 */
export function tiktokCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('hex');
}

/** A PKCE pair as TikTok wants it: an RFC 7636 verifier and its hex S256 challenge. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: tiktokCodeChallenge(verifier) };
}

interface TokenResponse {
  access_token: string;
  expires_in: number;
  open_id: string;
  refresh_expires_in: number;
  refresh_token: string;
  scope: string;
  token_type: string;
}

export const videoChunkLimits = {
  minChunkBytes: 5 * 1024 * 1024,
  maxChunkBytes: 64 * 1024 * 1024,
  maxFinalChunkBytes: 128 * 1024 * 1024,
};

/**
 * Splits a video for FILE_UPLOAD as TikTok counts chunks: under 5 MB one whole chunk;
 * otherwise chunks of `chunkSize`, `floor(size / chunkSize)` of them, the last one taking
 * the remainder.
 */
export function planVideoChunks(videoSize: number, preferredChunkSize = 10 * 1024 * 1024) {
  if (videoSize < videoChunkLimits.minChunkBytes) return { chunkSize: videoSize, totalChunkCount: 1 };
  const chunkSize = Math.min(
    Math.max(preferredChunkSize, videoChunkLimits.minChunkBytes),
    videoChunkLimits.maxChunkBytes,
    videoSize,
  );
  return { chunkSize, totalChunkCount: Math.floor(videoSize / chunkSize) };
}

export type VideoSource =
  { source: 'FILE_UPLOAD'; videoSize: number; chunkSize?: number } | { source: 'PULL_FROM_URL'; videoUrl: string };

export function createTikTokClient(options: TikTokClientOptions) {
  const http = createHttpClient({ ...options.http, platform, classify: classifyTikTokResponse });
  const now = options.now ?? Date.now;
  const api = (path: string) => new URL(path, options.apiBaseUrl).toString();
  const credentials = { client_key: options.clientKey, client_secret: options.clientSecret };

  const form = (values: Record<string, string>) => ({
    body: new URLSearchParams(values).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'cache-control': 'no-cache' },
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  const toTokens = (response: TokenResponse): TikTokTokens => ({
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    openId: response.open_id,
    scopes: response.scope
      .split(',')
      .map((scope) => scope.trim())
      .filter(Boolean),
    accessTokenExpiresAt: new Date(now() + response.expires_in * 1000),
    refreshTokenExpiresAt: new Date(now() + response.refresh_expires_in * 1000),
  });

  async function callJson<T>(
    operation: string,
    path: string,
    token: string,
    body: unknown,
    idempotent: boolean,
    method: 'GET' | 'POST' = 'POST',
  ): Promise<T> {
    const payload = method === 'POST' ? jsonBody(body) : { body: undefined, headers: {} };
    const response = await http.send({
      operation,
      method,
      url: api(path),
      headers: { ...payload.headers, ...bearer(token) },
      body: payload.body,
      idempotent,
    });
    return response.json<{ data: T }>().data;
  }

  return {
    // ── Login Kit (OAuth v2) ────────────────────────────────────────────────
    authorizeUrl(params: { redirectUri: string; state: string; scopes: string[]; codeChallenge: string }): string {
      const url = new URL('/v2/auth/authorize/', options.authBaseUrl);
      url.search = new URLSearchParams({
        client_key: options.clientKey,
        scope: params.scopes.join(','),
        response_type: 'code',
        redirect_uri: params.redirectUri,
        state: params.state,
        code_challenge: params.codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },

    async exchangeCode(params: { code: string; redirectUri: string; codeVerifier: string }): Promise<TikTokTokens> {
      const response = await http.send({
        operation: 'oauth/token (authorization_code)',
        method: 'POST',
        url: api('/v2/oauth/token/'),
        // A code is single use: a retried exchange after a lost answer fails anyway.
        idempotent: false,
        ...form({
          ...credentials,
          code: params.code,
          grant_type: 'authorization_code',
          redirect_uri: params.redirectUri,
          code_verifier: params.codeVerifier,
        }),
      });
      return toTokens(response.json<TokenResponse>());
    },

    /** With rotation the old refresh token dies: persist what comes back before using it. */
    async refresh(refreshToken: string): Promise<TikTokTokens> {
      const response = await http.send({
        operation: 'oauth/token (refresh_token)',
        method: 'POST',
        url: api('/v2/oauth/token/'),
        idempotent: false,
        ...form({ ...credentials, grant_type: 'refresh_token', refresh_token: refreshToken }),
      });
      return toTokens(response.json<TokenResponse>());
    },

    async revoke(token: string): Promise<void> {
      await http.send({
        operation: 'oauth/revoke',
        method: 'POST',
        url: api('/v2/oauth/revoke/'),
        idempotent: true,
        ...form({ ...credentials, token }),
      });
    },

    // ── Display API ─────────────────────────────────────────────────────────
    userInfo(
      tokens: AccessTokenSource,
      fields: readonly string[] = [...userFields.basic, ...userFields.profile, ...userFields.stats],
    ): Promise<TikTokUser> {
      const path = `/v2/user/info/?fields=${fields.join(',')}`;
      return withAccessToken(tokens, async (token) => {
        const data = await callJson<{ user: TikTokUser }>('user/info', path, token, undefined, true, 'GET');
        return data.user;
      });
    },

    listVideos(
      tokens: AccessTokenSource,
      page: { cursor?: number; maxCount?: number } = {},
      fields: readonly string[] = videoFields,
    ): Promise<TikTokVideoPage> {
      const body = { max_count: page.maxCount ?? 20, ...(page.cursor !== undefined ? { cursor: page.cursor } : {}) };
      return withAccessToken(tokens, (token) =>
        callJson<TikTokVideoPage>('video/list', `/v2/video/list/?fields=${fields.join(',')}`, token, body, true),
      );
    },

    /** Every video of the account, newest first, following cursors until has_more is false. */
    async *allVideos(tokens: AccessTokenSource, fields: readonly string[] = videoFields): AsyncGenerator<TikTokVideo> {
      let cursor: number | undefined;
      for (;;) {
        const page = await this.listVideos(tokens, { cursor, maxCount: 20 }, fields);
        yield* page.videos;
        if (!page.has_more) return;
        cursor = page.cursor;
      }
    },

    queryVideos(
      tokens: AccessTokenSource,
      videoIds: string[],
      fields: readonly string[] = videoFields,
    ): Promise<TikTokVideo[]> {
      if (videoIds.length > 20) throw new Error('video/query takes at most 20 ids');
      return withAccessToken(tokens, async (token) => {
        const data = await callJson<{ videos: TikTokVideo[] }>(
          'video/query',
          `/v2/video/query/?fields=${fields.join(',')}`,
          token,
          { filters: { video_ids: videoIds } },
          true,
        );
        return data.videos;
      });
    },

    // ── Content Posting API ─────────────────────────────────────────────────
    creatorInfo(tokens: AccessTokenSource): Promise<TikTokCreatorInfo> {
      return withAccessToken(tokens, (token) =>
        callJson<TikTokCreatorInfo>('creator_info/query', '/v2/post/publish/creator_info/query/', token, {}, true),
      );
    },

    /**
     * Starts a video post. NOT idempotent: every call makes a new post, so an OUTCOME_UNKNOWN
     * here must be reconciled (status of a known publish_id, or the video list) before
     * calling again.
     */
    initVideo(
      tokens: AccessTokenSource,
      params: { postInfo: TikTokVideoPostInfo; source: VideoSource; mode?: 'DIRECT_POST' | 'INBOX' },
    ): Promise<{ publish_id: string; upload_url?: string }> {
      const source_info =
        params.source.source === 'FILE_UPLOAD'
          ? (() => {
              const plan = planVideoChunks(params.source.videoSize, params.source.chunkSize);
              return {
                source: 'FILE_UPLOAD',
                video_size: params.source.videoSize,
                chunk_size: plan.chunkSize,
                total_chunk_count: plan.totalChunkCount,
              };
            })()
          : { source: 'PULL_FROM_URL', video_url: params.source.videoUrl };
      const inbox = params.mode === 'INBOX';
      const path = inbox ? '/v2/post/publish/inbox/video/init/' : '/v2/post/publish/video/init/';
      const body = inbox ? { source_info } : { post_info: params.postInfo, source_info };
      return withAccessToken(tokens, (token) =>
        callJson<{ publish_id: string; upload_url?: string }>(
          inbox ? 'inbox/video/init' : 'video/init',
          path,
          token,
          body,
          false,
        ),
      );
    },

    /**
     * PUTs the video to the upload_url from initVideo in the chunks initVideo announced.
     * A chunk PUT is safe to repeat (same bytes, same range), so chunks are retried.
     */
    async uploadVideo(uploadUrl: string, video: Buffer, chunkSize?: number): Promise<void> {
      const plan = planVideoChunks(video.length, chunkSize);
      for (let index = 0; index < plan.totalChunkCount; index++) {
        const start = index * plan.chunkSize;
        const end = index === plan.totalChunkCount - 1 ? video.length : start + plan.chunkSize;
        const response = await http.send({
          operation: `upload chunk ${index + 1}/${plan.totalChunkCount}`,
          method: 'PUT',
          url: uploadUrl,
          idempotent: true,
          headers: {
            'content-type': 'video/mp4',
            'content-length': String(end - start),
            'content-range': `bytes ${start}-${end - 1}/${video.length}`,
          },
          body: video.subarray(start, end),
          timeoutMs: 120_000,
        });
        const last = index === plan.totalChunkCount - 1;
        if (response.status !== (last ? 201 : 206)) {
          throw new PlatformError(`unexpected HTTP ${response.status} for a chunk`, {
            category: 'TRANSIENT',
            platform,
            operation: 'upload',
            status: response.status,
          });
        }
      }
    },

    /** A photo carousel (1–35 JPEG/WebP images the platform pulls). NOT idempotent, as initVideo. */
    initPhotoPost(
      tokens: AccessTokenSource,
      params: {
        postInfo: TikTokPhotoPostInfo;
        photoUrls: string[];
        coverIndex?: number;
        mode?: 'DIRECT_POST' | 'MEDIA_UPLOAD';
      },
    ): Promise<{ publish_id: string }> {
      return withAccessToken(tokens, (token) =>
        callJson<{ publish_id: string }>(
          'content/init',
          '/v2/post/publish/content/init/',
          token,
          {
            post_info: params.postInfo,
            source_info: {
              source: 'PULL_FROM_URL',
              photo_cover_index: params.coverIndex ?? 0,
              photo_images: params.photoUrls,
            },
            post_mode: params.mode ?? 'DIRECT_POST',
            media_type: 'PHOTO',
          },
          false,
        ),
      );
    },

    /** `publicaly_available_post_id` comes back as strings: the ids are wider than a JS number. */
    fetchPublishStatus(tokens: AccessTokenSource, publishId: string): Promise<TikTokPublishStatusResult> {
      return withAccessToken(tokens, async (token) => {
        const payload = jsonBody({ publish_id: publishId });
        const response = await http.send({
          operation: 'status/fetch',
          method: 'POST',
          url: api('/v2/post/publish/status/fetch/'),
          headers: { ...payload.headers, ...bearer(token) },
          body: payload.body,
          idempotent: true,
        });
        const data = response.json<{ data: TikTokPublishStatusResult }>().data;
        const ids = exactIntegers(response.text(), 'publicaly_available_post_id');
        return ids ? { ...data, publicaly_available_post_id: ids } : data;
      });
    },
  };
}

export type TikTokClient = ReturnType<typeof createTikTokClient>;

/** Throws the platform's fail_reason as a REJECTED_BY_PLATFORM error for a FAILED status. */
export function assertPublishNotFailed(status: TikTokPublishStatusResult): void {
  if (status.status === 'FAILED') {
    throw new PlatformError(status.fail_reason ?? 'failed without a reason', {
      category: status.fail_reason === 'internal' ? 'TRANSIENT' : 'REJECTED_BY_PLATFORM',
      platform,
      operation: 'status/fetch',
      code: status.fail_reason,
    });
  }
}
