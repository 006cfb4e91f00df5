import { createHash } from 'node:crypto';
import { PlatformError, categoryForServerError, categoryForStatus, type FailureCategory } from '../errors.js';
import { createHttpClient, type HttpClientOptions, type HttpResponse } from '../http.js';
import type { IssuedTokens } from '../accounts.js';
import { withAccessToken, type AccessTokenSource } from '../tokens.js';

export interface VkClientOptions {
  /** `https://api.vk.com` or an emulator. */
  apiBaseUrl: string;
  /** `https://id.vk.com` (VK ID OAuth 2.1) or an emulator. */
  idBaseUrl?: string;
  clientId?: string;
  apiVersion?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
  now?: () => number;
}

export interface VkWallPost {
  id: number;
  owner_id: number;
  from_id?: number;
  date: number;
  text: string;
  attachments?: Array<{ type: string; photo?: { id: number; owner_id: number } }>;
  views?: { count: number };
  likes?: { count: number };
  reposts?: { count: number };
  comments?: { count: number };
}

export interface VkGroup {
  id: number;
  name: string;
  screen_name: string;
  photo_200?: string;
  members_count?: number;
}

export interface VkUploadedPhoto {
  server: number;
  photo: string;
  hash: string;
}

const platform = 'vk';
/** The wall post limit VK enforces per community per day (error 214 past it). */
export const vkDailyWallPostLimit = 50;

/**
 * VK answers API errors with HTTP 200 and `{"error":{"error_code","error_msg"}}`; the code
 * decides. VK ID's OAuth endpoints answer flat `{"error","error_description"}` with 4xx.
 */
export function classifyVkResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  let body: {
    error?: { error_code?: number; error_msg?: string } | string;
    error_description?: string;
  } = {};
  try {
    body = response.json();
  } catch {
    if (response.status < 300) return null;
  }
  if (response.status < 300 && body.error === undefined) return null;
  if (typeof body.error === 'string' || (response.status >= 300 && typeof body.error !== 'object')) {
    // VK ID OAuth: invalid_grant (a dead refresh token or code) and friends are refusals.
    const code = typeof body.error === 'string' ? body.error : undefined;
    return new PlatformError(body.error_description ?? code ?? `HTTP ${response.status}`, {
      category:
        response.status >= 300 ? categoryForStatus(response.status, request.idempotent) : 'REJECTED_BY_PLATFORM',
      platform,
      operation: request.operation,
      status: response.status,
      code,
    });
  }
  const error = body.error ?? {};
  const code = error.error_code;
  const category: FailureCategory =
    code === 5 || code === 28
      ? 'TOKEN_EXPIRED'
      : code === 6 || code === 9 || code === 29
        ? 'RATE_LIMITED'
        : code === 1 || code === 10
          ? categoryForServerError(response.status, request.idempotent)
          : response.status >= 300
            ? categoryForStatus(response.status, request.idempotent)
            : 'REJECTED_BY_PLATFORM';
  return new PlatformError(error.error_msg ?? `HTTP ${response.status}`, {
    category,
    platform,
    operation: request.operation,
    status: response.status,
    code: code !== undefined ? String(code) : undefined,
    // "Too many requests per second": a second is what VK means.
    retryAfterMs: code === 6 ? 1_000 : undefined,
  });
}

/** base64url(SHA-256(verifier)), as VK ID expects. */
export function vkCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * VK: the API (`/method/<name>`, form-encoded, token in the Authorization header) for
 * community wall posts with photos, the wall (to find a post whose answer was lost), post and
 * community counts; and VK ID OAuth 2.1 (PKCE, refresh, revoke).
 */
export function createVkClient(options: VkClientOptions) {
  const http = createHttpClient({ ...options.http, platform, classify: classifyVkResponse });
  const now = options.now ?? Date.now;
  const version = options.apiVersion ?? '5.199';
  const idBase = options.idBaseUrl ?? 'https://id.vk.com';
  const clientId = () => {
    if (!options.clientId) throw new Error('the VK app id is not configured');
    return options.clientId;
  };

  async function call<T>(
    tokens: AccessTokenSource,
    method: string,
    params: Record<string, string | number>,
    idempotent: boolean,
  ): Promise<T> {
    return withAccessToken(tokens, async (token) => {
      const body = new URLSearchParams({ v: version });
      for (const [key, value] of Object.entries(params)) body.set(key, String(value));
      const response = await http.send({
        operation: method,
        method: 'POST',
        url: new URL(`/method/${method}`, options.apiBaseUrl).toString(),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
        idempotent,
      });
      return response.json<{ response: T }>().response;
    });
  }

  async function idCall(operation: string, params: Record<string, string>, idempotent: boolean) {
    const response = await http.send({
      operation,
      method: 'POST',
      url: new URL(`/oauth2/${operation}`, idBase).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      idempotent,
    });
    return response.json<{
      access_token: string;
      refresh_token?: string;
      expires_in?: number;
      user_id?: number;
      scope?: string;
    }>();
  }

  const issued = (answer: Awaited<ReturnType<typeof idCall>>): IssuedTokens & { userId: string } => ({
    accessToken: answer.access_token,
    ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
    ...(answer.expires_in ? { accessTokenExpiresAt: new Date(now() + answer.expires_in * 1000) } : {}),
    ...(answer.scope ? { scopes: answer.scope.split(' ').filter(Boolean) } : {}),
    userId: String(answer.user_id ?? ''),
  });

  /** The community wall, newest first (`count` ≤ 100). */
  function wall(tokens: AccessTokenSource, groupId: string, params: { count?: number; offset?: number } = {}) {
    return call<{ count: number; items: VkWallPost[] }>(
      tokens,
      'wall.get',
      { owner_id: `-${groupId}`, count: params.count ?? 100, offset: params.offset ?? 0, filter: 'owner' },
      true,
    );
  }

  return {
    authorizeUrl(params: { redirectUri: string; state: string; codeChallenge: string; scopes: string[] }): string {
      const target = new URL('/authorize', idBase);
      target.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId(),
        redirect_uri: params.redirectUri,
        state: params.state,
        scope: params.scopes.join(' '),
        code_challenge: params.codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return target.toString();
    },

    /** VK ID hands a `device_id` back with the code; the exchange and every refresh need it. */
    async exchangeCode(params: {
      code: string;
      redirectUri: string;
      codeVerifier: string;
      deviceId: string;
      state: string;
    }) {
      return issued(
        await idCall(
          'auth',
          {
            grant_type: 'authorization_code',
            code: params.code,
            code_verifier: params.codeVerifier,
            client_id: clientId(),
            device_id: params.deviceId,
            redirect_uri: params.redirectUri,
            state: params.state,
          },
          false,
        ),
      );
    },

    /** VK ID rotates refresh tokens: store the new one before using the new access token. */
    async refresh(refreshToken: string, deviceId: string) {
      return issued(
        await idCall(
          'auth',
          {
            grant_type: 'refresh_token',
            refresh_token: refreshToken,
            client_id: clientId(),
            device_id: deviceId,
            state: Math.random().toString(36).slice(2),
          },
          false,
        ),
      );
    },

    async revoke(accessToken: string): Promise<void> {
      await idCall('revoke', { client_id: clientId(), access_token: accessToken }, true);
    },

    async currentUser(tokens: AccessTokenSource): Promise<{ id: number; first_name: string; last_name: string }> {
      const users = await call<Array<{ id: number; first_name: string; last_name: string }>>(
        tokens,
        'users.get',
        {},
        true,
      );
      return users[0]!;
    },

    /** Communities the person administers (where Pressroom may post). */
    async adminGroups(tokens: AccessTokenSource): Promise<VkGroup[]> {
      const answer = await call<{ count: number; items: VkGroup[] }>(
        tokens,
        'groups.get',
        { filter: 'admin', extended: 1, fields: 'members_count,photo_200', count: 1000 },
        true,
      );
      return answer.items;
    },

    async group(tokens: AccessTokenSource, groupId: string): Promise<VkGroup> {
      const answer = await call<{ groups: VkGroup[] } | VkGroup[]>(
        tokens,
        'groups.getById',
        { group_id: groupId, fields: 'members_count,photo_200' },
        true,
      );
      return (Array.isArray(answer) ? answer : answer.groups)[0]!;
    },

    async wallUploadServer(tokens: AccessTokenSource, groupId: string): Promise<string> {
      const answer = await call<{ upload_url: string }>(
        tokens,
        'photos.getWallUploadServer',
        { group_id: groupId },
        true,
      );
      return answer.upload_url;
    },

    /** Uploads one photo to the address wallUploadServer gave (multipart, field `photo`). */
    async uploadWallPhoto(uploadUrl: string, photo: { data: Buffer; filename: string; contentType: string }) {
      const form = new FormData();
      form.set('photo', new Blob([new Uint8Array(photo.data)], { type: photo.contentType }), photo.filename);
      const request = new Request(uploadUrl, { method: 'POST', body: form });
      const response = await http.send({
        operation: 'upload (wall photo)',
        method: 'POST',
        url: uploadUrl,
        headers: Object.fromEntries(request.headers),
        body: Buffer.from(await request.arrayBuffer()),
        // An upload only stores a file until it is saved: repeating it makes nothing visible.
        idempotent: true,
      });
      const answer = response.json<VkUploadedPhoto & { photo: string }>();
      if (!answer.photo || answer.photo === '[]') {
        throw new PlatformError('the upload server kept no photo', {
          category: 'REJECTED_BY_PLATFORM',
          platform,
          operation: 'upload (wall photo)',
          status: response.status,
        });
      }
      return { server: answer.server, photo: answer.photo, hash: answer.hash };
    },

    /** Saves an uploaded photo to the community's wall album; returns `photo<owner>_<id>`. */
    async saveWallPhoto(tokens: AccessTokenSource, groupId: string, uploaded: VkUploadedPhoto): Promise<string> {
      const saved = await call<Array<{ id: number; owner_id: number }>>(
        tokens,
        'photos.saveWallPhoto',
        { group_id: groupId, server: uploaded.server, photo: uploaded.photo, hash: uploaded.hash },
        false,
      );
      return `photo${saved[0]!.owner_id}_${saved[0]!.id}`;
    },

    /** Posts on the community wall as the community. NOT idempotent: look at the wall before repeating. */
    async wallPost(
      tokens: AccessTokenSource,
      groupId: string,
      params: { message: string; attachments?: string[] },
    ): Promise<number> {
      const answer = await call<{ post_id: number }>(
        tokens,
        'wall.post',
        {
          owner_id: `-${groupId}`,
          from_group: 1,
          message: params.message,
          ...(params.attachments?.length ? { attachments: params.attachments.join(',') } : {}),
        },
        false,
      );
      return answer.post_id;
    },

    wall,

    /** Posts the community made in the last 24 hours, to keep under VK's 50-a-day limit before posting. */
    async postsInLastDay(tokens: AccessTokenSource, groupId: string): Promise<number> {
      const since = Math.floor(now() / 1000) - 86_400;
      const answer = await wall(tokens, groupId, { count: 100 });
      return answer.items.filter((post) => post.date > since).length;
    },

    async postsById(tokens: AccessTokenSource, groupId: string, postIds: number[]): Promise<VkWallPost[]> {
      if (!postIds.length) return [];
      const answer = await call<VkWallPost[] | { items: VkWallPost[] }>(
        tokens,
        'wall.getById',
        { posts: postIds.map((id) => `-${groupId}_${id}`).join(',') },
        true,
      );
      return Array.isArray(answer) ? answer : answer.items;
    },

    postUrl(groupId: string, postId: number): string {
      return `https://vk.com/wall-${groupId}_${postId}`;
    },
  };
}

export type VkClient = ReturnType<typeof createVkClient>;
