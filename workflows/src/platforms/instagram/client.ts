import { PlatformError, categoryForServerError, categoryForStatus, type FailureCategory } from '../errors.js';
import { createHttpClient, retryAfterOf, type HttpClientOptions, type HttpResponse } from '../http.js';
import { withAccessToken, type AccessTokenSource } from '../tokens.js';

export interface InstagramClientOptions {
  /** `https://graph.facebook.com` (or graph.instagram.com) or an emulator. */
  baseUrl: string;
  apiVersion?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
  now?: () => number;
}

export type ContainerStatus = 'IN_PROGRESS' | 'FINISHED' | 'PUBLISHED' | 'ERROR' | 'EXPIRED';

export interface PublishingLimit {
  quota_usage: number;
  config: { quota_total: number; quota_duration: number };
}

export interface InsightMetric {
  name: string;
  period: string;
  values: Array<{ value: number; end_time?: string }>;
  title?: string;
}

const platform = 'instagram';
// Graph API throttling codes (application, user, page, hourly, business use case).
const throttlingCodes = new Set([4, 17, 32, 613, 80002]);
const dailyPublishingCapSubcode = 2207042;

export function classifyInstagramResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  if (response.status < 300) return null;
  let error: { message?: string; type?: string; code?: number; error_subcode?: number; fbtrace_id?: string } = {};
  try {
    error = response.json<{ error?: typeof error }>().error ?? {};
  } catch {
    // Not JSON: the status decides.
  }
  const code = error.code;
  // The body decides: Graph reports throttling and expired tokens with HTTP 400 as well.
  const category: FailureCategory =
    code === 190
      ? 'TOKEN_EXPIRED'
      : (code !== undefined && throttlingCodes.has(code)) || error.error_subcode === dailyPublishingCapSubcode
        ? 'RATE_LIMITED'
        : code === 1 || code === 2
          ? categoryForServerError(response.status, request.idempotent)
          : categoryForStatus(response.status, request.idempotent);
  return new PlatformError(error.message ?? `HTTP ${response.status}`, {
    category,
    platform,
    operation: request.operation,
    status: response.status,
    code: code !== undefined ? String(error.error_subcode ? `${code}/${error.error_subcode}` : code) : undefined,
    retryAfterMs: retryAfterOf(response),
    requestId: error.fbtrace_id,
  });
}

/**
 * Instagram content publishing through the Graph API: containers, status, publish, quota,
 * insights, and long-lived token refresh. The token travels in the Authorization header, never
 * in a URL that could be logged.
 */
export function createInstagramClient(options: InstagramClientOptions) {
  const http = createHttpClient({ ...options.http, platform, classify: classifyInstagramResponse });
  const now = options.now ?? Date.now;
  const version = options.apiVersion ?? 'v21.0';
  const url = (path: string, params: Record<string, string> = {}) => {
    const target = new URL(`/${version}/${path}`, options.baseUrl);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    return target.toString();
  };
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  async function call<T>(
    tokens: AccessTokenSource,
    operation: string,
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string>,
    idempotent: boolean,
  ): Promise<T> {
    return withAccessToken(tokens, async (token) => {
      const response =
        method === 'GET'
          ? await http.send({ operation, method, url: url(path, params), headers: auth(token), idempotent })
          : await http.send({
              operation,
              method,
              url: url(path),
              headers: { ...auth(token), 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams(params).toString(),
              idempotent,
            });
      return response.json<T>();
    });
  }

  const createContainer = (tokens: AccessTokenSource, igUserId: string, params: Record<string, string>) =>
    // Not idempotent: each call makes a container (harmless if unused, it expires in 24 h).
    call<{ id: string }>(tokens, 'media (container)', 'POST', `${igUserId}/media`, params, false).then((r) => r.id);

  return {
    createImageContainer(
      tokens: AccessTokenSource,
      igUserId: string,
      params: { imageUrl: string; caption?: string; isCarouselItem?: boolean },
    ): Promise<string> {
      return createContainer(tokens, igUserId, {
        image_url: params.imageUrl,
        ...(params.isCarouselItem ? { is_carousel_item: 'true' } : { caption: params.caption ?? '' }),
      });
    },

    createReelContainer(
      tokens: AccessTokenSource,
      igUserId: string,
      params: { videoUrl: string; caption?: string; shareToFeed?: boolean },
    ): Promise<string> {
      return createContainer(tokens, igUserId, {
        media_type: 'REELS',
        video_url: params.videoUrl,
        caption: params.caption ?? '',
        share_to_feed: String(params.shareToFeed ?? true),
      });
    },

    createCarouselContainer(
      tokens: AccessTokenSource,
      igUserId: string,
      params: { children: string[]; caption?: string },
    ): Promise<string> {
      if (params.children.length < 2 || params.children.length > 10) {
        throw new Error('an Instagram carousel holds 2 to 10 items');
      }
      return createContainer(tokens, igUserId, {
        media_type: 'CAROUSEL',
        children: params.children.join(','),
        caption: params.caption ?? '',
      });
    },

    async containerStatus(
      tokens: AccessTokenSource,
      containerId: string,
    ): Promise<{ status_code: ContainerStatus; status?: string }> {
      return call(tokens, 'container status', 'GET', containerId, { fields: 'status_code,status' }, true);
    },

    /** Publishes a FINISHED container. NOT idempotent: check the media list before retrying an unknown outcome. */
    async publish(tokens: AccessTokenSource, igUserId: string, creationId: string): Promise<string> {
      const result = await call<{ id: string }>(
        tokens,
        'media_publish',
        'POST',
        `${igUserId}/media_publish`,
        { creation_id: creationId },
        false,
      );
      return result.id;
    },

    /** The account's recent media, newest first: where a publish whose answer was lost is found. */
    async recentMedia(
      tokens: AccessTokenSource,
      igUserId: string,
      limit = 25,
    ): Promise<Array<{ id: string; caption?: string; timestamp: string; permalink?: string }>> {
      const result = await call<{
        data: Array<{ id: string; caption?: string; timestamp: string; permalink?: string }>;
      }>(
        tokens,
        'media (list)',
        'GET',
        `${igUserId}/media`,
        { fields: 'id,caption,timestamp,permalink', limit: String(limit) },
        true,
      );
      return result.data;
    },

    /** A published media's public link. */
    async permalink(tokens: AccessTokenSource, mediaId: string): Promise<string | undefined> {
      const result = await call<{ permalink?: string }>(
        tokens,
        'media (read)',
        'GET',
        mediaId,
        { fields: 'permalink' },
        true,
      );
      return result.permalink;
    },

    async publishingLimit(tokens: AccessTokenSource, igUserId: string): Promise<PublishingLimit> {
      const result = await call<{ data: PublishingLimit[] }>(
        tokens,
        'content_publishing_limit',
        'GET',
        `${igUserId}/content_publishing_limit`,
        { fields: 'quota_usage,config' },
        true,
      );
      return result.data[0] ?? { quota_usage: 0, config: { quota_total: 0, quota_duration: 86400 } };
    },

    /** The professional account's profile numbers. */
    async account(
      tokens: AccessTokenSource,
      igUserId: string,
    ): Promise<{
      id: string;
      username?: string;
      followers_count?: number;
      follows_count?: number;
      media_count?: number;
    }> {
      return call(
        tokens,
        'user (read)',
        'GET',
        igUserId,
        { fields: 'id,username,followers_count,follows_count,media_count' },
        true,
      );
    },

    async insights(tokens: AccessTokenSource, mediaId: string, metrics: string[]): Promise<Record<string, number>> {
      const result = await call<{ data: InsightMetric[] }>(
        tokens,
        'insights',
        'GET',
        `${mediaId}/insights`,
        { metric: metrics.join(',') },
        true,
      );
      return Object.fromEntries(result.data.map((metric) => [metric.name, metric.values.at(-1)?.value ?? 0]));
    },

    /** A long-lived token (~60 days) can be refreshed once it is 24 h old; the new one replaces it. */
    async refreshLongLivedToken(token: string): Promise<{ accessToken: string; accessTokenExpiresAt: Date }> {
      const response = await http.send({
        operation: 'refresh_access_token',
        method: 'GET',
        url: new URL('/refresh_access_token?grant_type=ig_refresh_token', options.baseUrl).toString(),
        headers: auth(token),
        idempotent: true,
      });
      const body = response.json<{ access_token: string; expires_in: number }>();
      return { accessToken: body.access_token, accessTokenExpiresAt: new Date(now() + body.expires_in * 1000) };
    },
  };
}

export type InstagramClient = ReturnType<typeof createInstagramClient>;
