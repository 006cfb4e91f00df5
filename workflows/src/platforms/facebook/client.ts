import { createHash } from 'node:crypto';
import { PlatformError, categoryForServerError, categoryForStatus, type FailureCategory } from '../errors.js';
import { createHttpClient, retryAfterOf, type HttpClientOptions, type HttpResponse } from '../http.js';
import type { IssuedTokens } from '../accounts.js';
import { withAccessToken, type AccessTokenSource } from '../tokens.js';

export interface FacebookClientOptions {
  /** `https://graph.facebook.com` or an emulator. */
  graphBaseUrl: string;
  /** `https://www.facebook.com` (the login dialog) or an emulator. */
  dialogBaseUrl?: string;
  appId?: string;
  appSecret?: string;
  apiVersion?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
  now?: () => number;
}

/** A Page the person manages, with the page token derived from their user token. */
export interface FacebookPage {
  id: string;
  name: string;
  access_token: string;
  tasks?: string[];
  picture?: { data?: { url?: string } };
  /** The Instagram professional account linked to the page, when there is one. */
  instagram_business_account?: { id: string; username?: string; name?: string; profile_picture_url?: string };
}

export interface FacebookPost {
  id: string;
  message?: string;
  created_time: string;
  permalink_url?: string;
}

export interface FacebookVideo {
  id: string;
  description?: string;
  created_time: string;
  permalink_url?: string;
}

export interface FacebookPostStats {
  likes: number;
  comments: number;
  shares: number;
  views: number;
}

const platform = 'facebook';
// Graph API throttling codes (application, user, page, custom, business use case).
const throttlingCodes = new Set([4, 17, 32, 613, 80001, 80002]);

/** Graph's envelope: `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`. */
export function classifyFacebookResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  if (response.status < 300) return null;
  let error: { message?: string; code?: number; error_subcode?: number; fbtrace_id?: string } = {};
  try {
    error = response.json<{ error?: typeof error }>().error ?? {};
  } catch {
    // Not JSON: the status decides.
  }
  const code = error.code;
  // Graph reports expired tokens and throttling with HTTP 400 too: the code decides.
  const category: FailureCategory =
    code === 190 || code === 102
      ? 'TOKEN_EXPIRED'
      : code !== undefined && throttlingCodes.has(code)
        ? 'RATE_LIMITED'
        : code === 1 || code === 2
          ? categoryForServerError(response.status, request.idempotent)
          : categoryForStatus(response.status, request.idempotent);
  return new PlatformError(error.message ?? `HTTP ${response.status}`, {
    category,
    platform,
    operation: request.operation,
    status: response.status,
    code: code !== undefined ? (error.error_subcode ? `${code}/${error.error_subcode}` : String(code)) : undefined,
    retryAfterMs: retryAfterOf(response),
    requestId: error.fbtrace_id,
  });
}

/** base64url(SHA-256(verifier)), as Facebook Login's PKCE expects. */
export function facebookCodeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * Facebook Login and the Pages part of the Graph API: the user token (short-lived from the
 * code, exchanged for a long-lived one), page tokens derived from it, feed/photo/video posts,
 * the page's recent posts (to find one whose answer was lost), and post and page statistics.
 * Tokens travel in the Authorization header; errors never quote a URL.
 */
export function createFacebookClient(options: FacebookClientOptions) {
  const http = createHttpClient({ ...options.http, platform, classify: classifyFacebookResponse });
  const now = options.now ?? Date.now;
  const version = options.apiVersion ?? 'v21.0';
  const url = (path: string, params: Record<string, string> = {}) => {
    const target = new URL(`/${version}/${path}`, options.graphBaseUrl);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    return target.toString();
  };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const app = () => {
    if (!options.appId || !options.appSecret) throw new Error('the Facebook app id and secret are not configured');
    return { client_id: options.appId, client_secret: options.appSecret };
  };

  async function get<T>(token: string, operation: string, path: string, params: Record<string, string> = {}) {
    const response = await http.send({
      operation,
      method: 'GET',
      url: url(path, params),
      headers: auth(token),
      idempotent: true,
    });
    return response.json<T>();
  }

  async function post<T>(token: string, operation: string, path: string, params: Record<string, string>) {
    // Every POST here makes something (a post, a photo, a video) and Graph does not deduplicate.
    const response = await http.send({
      operation,
      method: 'POST',
      url: url(path),
      headers: { ...auth(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      idempotent: false,
    });
    return response.json<T>();
  }

  const tokenOf = (answer: { access_token: string; expires_in?: number }): IssuedTokens => ({
    accessToken: answer.access_token,
    ...(answer.expires_in ? { accessTokenExpiresAt: new Date(now() + answer.expires_in * 1000) } : {}),
  });

  return {
    authorizeUrl(params: { redirectUri: string; state: string; codeChallenge: string; scopes: string[] }): string {
      const target = new URL(`/${version}/dialog/oauth`, options.dialogBaseUrl ?? 'https://www.facebook.com');
      target.search = new URLSearchParams({
        client_id: app().client_id,
        redirect_uri: params.redirectUri,
        state: params.state,
        response_type: 'code',
        scope: params.scopes.join(','),
        code_challenge: params.codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return target.toString();
    },

    /** The code for a short-lived user token (about 2 hours). */
    async exchangeCode(params: { code: string; redirectUri: string; codeVerifier: string }): Promise<IssuedTokens> {
      const response = await http.send({
        operation: 'oauth/access_token',
        method: 'GET',
        url: url('oauth/access_token', {
          ...app(),
          redirect_uri: params.redirectUri,
          code: params.code,
          code_verifier: params.codeVerifier,
        }),
        // A code is single use: a repeat after a lost answer fails anyway.
        idempotent: false,
      });
      return tokenOf(response.json());
    },

    /**
     * A long-lived user token (~60 days) for a short-lived one; page tokens derived from a
     * long-lived user token do not expire. Meta has no refresh token: this exchange is its refresh.
     */
    async exchangeLongLived(userToken: string): Promise<IssuedTokens> {
      const response = await http.send({
        operation: 'oauth/access_token (fb_exchange_token)',
        method: 'GET',
        url: url('oauth/access_token', { ...app(), grant_type: 'fb_exchange_token', fb_exchange_token: userToken }),
        idempotent: true,
      });
      return tokenOf(response.json());
    },

    me(userToken: string): Promise<{ id: string; name: string }> {
      return get(userToken, 'me', 'me', { fields: 'id,name' });
    },

    /** The Pages the person granted, each with its page token and linked Instagram account. */
    async pages(userToken: string): Promise<FacebookPage[]> {
      const pages: FacebookPage[] = [];
      let after: string | undefined;
      for (let page = 0; page < 20; page++) {
        const answer = await get<{ data: FacebookPage[]; paging?: { cursors?: { after?: string }; next?: string } }>(
          userToken,
          'me/accounts',
          'me/accounts',
          {
            fields:
              'id,name,access_token,tasks,picture{url},instagram_business_account{id,username,name,profile_picture_url}',
            limit: '100',
            ...(after ? { after } : {}),
          },
        );
        pages.push(...answer.data);
        after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
        if (!after) break;
      }
      return pages;
    },

    /** Revokes every permission the person gave the app (disconnect). */
    async revoke(userToken: string): Promise<void> {
      await http.send({
        operation: 'me/permissions (delete)',
        method: 'DELETE',
        url: url('me/permissions'),
        headers: auth(userToken),
        idempotent: true,
      });
    },

    /** A text or link post; `attachedMedia` are unpublished photo ids (a multi-photo post). Returns `<page>_<post>`. */
    async createFeedPost(
      tokens: AccessTokenSource,
      pageId: string,
      params: { message?: string; link?: string; attachedMediaIds?: string[] },
    ): Promise<string> {
      const body: Record<string, string> = {};
      if (params.message) body.message = params.message;
      if (params.link) body.link = params.link;
      params.attachedMediaIds?.forEach((id, index) => {
        body[`attached_media[${index}]`] = JSON.stringify({ media_fbid: id });
      });
      const answer = await withAccessToken(tokens, (token) =>
        post<{ id: string }>(token, 'feed', `${pageId}/feed`, body),
      );
      return answer.id;
    },

    /**
     * A photo from a URL Facebook downloads. Published, it is a post of its own (`post_id`);
     * unpublished (`published: false`), it waits to be attached to a feed post.
     */
    async createPhoto(
      tokens: AccessTokenSource,
      pageId: string,
      params: { url: string; caption?: string; published: boolean },
    ): Promise<{ id: string; postId?: string }> {
      const answer = await withAccessToken(tokens, (token) =>
        post<{ id: string; post_id?: string }>(token, 'photos', `${pageId}/photos`, {
          url: params.url,
          published: String(params.published),
          ...(params.caption ? (params.published ? { caption: params.caption } : {}) : {}),
        }),
      );
      return { id: answer.id, ...(answer.post_id ? { postId: answer.post_id } : {}) };
    },

    /** A video from a URL Facebook downloads (processed asynchronously). Returns the video id. */
    async createVideo(
      tokens: AccessTokenSource,
      pageId: string,
      params: { fileUrl: string; description?: string; title?: string },
    ): Promise<string> {
      const answer = await withAccessToken(tokens, (token) =>
        post<{ id: string }>(token, 'videos', `${pageId}/videos`, {
          file_url: params.fileUrl,
          ...(params.description ? { description: params.description } : {}),
          ...(params.title ? { title: params.title } : {}),
        }),
      );
      return answer.id;
    },

    /**
     * A video's processing state: `processing`, `ready` or `error` (with the failing phase's
     * first error message as `error`).
     */
    async videoStatus(
      tokens: AccessTokenSource,
      videoId: string,
    ): Promise<{ videoStatus: string; permalinkUrl?: string; error?: string }> {
      type Phase = { status?: string; errors?: Array<{ code?: number; message?: string }> };
      const answer = await withAccessToken(tokens, (token) =>
        get<{
          status?: {
            video_status?: string;
            uploading_phase?: Phase;
            processing_phase?: Phase;
            publishing_phase?: Phase;
          };
          permalink_url?: string;
        }>(token, 'video status', videoId, { fields: 'status,permalink_url' }),
      );
      const status = answer.status;
      const failedPhase = [status?.uploading_phase, status?.processing_phase, status?.publishing_phase].find(
        (phase) => phase?.status === 'error' || (phase?.errors?.length ?? 0) > 0,
      );
      const error = failedPhase?.errors?.[0]?.message;
      return {
        videoStatus: status?.video_status ?? 'processing',
        ...(answer.permalink_url ? { permalinkUrl: answer.permalink_url } : {}),
        ...(error ? { error } : {}),
      };
    },

    /** The page's newest posts (to find one whose answer was lost before making another). */
    async recentPosts(tokens: AccessTokenSource, pageId: string, limit = 25): Promise<FacebookPost[]> {
      const answer = await withAccessToken(tokens, (token) =>
        get<{ data: FacebookPost[] }>(token, 'published_posts', `${pageId}/published_posts`, {
          fields: 'id,message,created_time,permalink_url',
          limit: String(limit),
        }),
      );
      return answer.data;
    },

    /** The page's newest videos, likewise. */
    async recentVideos(tokens: AccessTokenSource, pageId: string, limit = 25): Promise<FacebookVideo[]> {
      const answer = await withAccessToken(tokens, (token) =>
        get<{ data: FacebookVideo[] }>(token, 'videos (list)', `${pageId}/videos`, {
          fields: 'id,description,created_time,permalink_url',
          limit: String(limit),
        }),
      );
      return answer.data;
    },

    /** The public link of a post or video. */
    async permalink(tokens: AccessTokenSource, objectId: string): Promise<string | undefined> {
      const answer = await withAccessToken(tokens, (token) =>
        get<{ permalink_url?: string }>(token, 'permalink', objectId, { fields: 'permalink_url' }),
      );
      return answer.permalink_url;
    },

    async pageStats(
      tokens: AccessTokenSource,
      pageId: string,
    ): Promise<{ followers: number; fans: number; name?: string }> {
      const answer = await withAccessToken(tokens, (token) =>
        get<{ followers_count?: number; fan_count?: number; name?: string }>(token, 'page', pageId, {
          fields: 'name,followers_count,fan_count',
        }),
      );
      return { followers: answer.followers_count ?? 0, fans: answer.fan_count ?? 0, name: answer.name };
    },

    /** Reactions, comments and shares from the post, impressions from its insights. */
    async postStats(tokens: AccessTokenSource, postId: string): Promise<FacebookPostStats> {
      return withAccessToken(tokens, async (token) => {
        const counts = await get<{
          shares?: { count?: number };
          reactions?: { summary?: { total_count?: number } };
          comments?: { summary?: { total_count?: number } };
        }>(token, 'post', postId, {
          fields: 'shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)',
        });
        const insights = await get<{ data: Array<{ name: string; values: Array<{ value: number }> }> }>(
          token,
          'post insights',
          `${postId}/insights`,
          { metric: 'post_impressions' },
        );
        return {
          likes: counts.reactions?.summary?.total_count ?? 0,
          comments: counts.comments?.summary?.total_count ?? 0,
          shares: counts.shares?.count ?? 0,
          views: insights.data.find((metric) => metric.name === 'post_impressions')?.values.at(-1)?.value ?? 0,
        };
      });
    },
  };
}

export type FacebookClient = ReturnType<typeof createFacebookClient>;
