import { PlatformError, categoryForStatus, type FailureCategory } from '../errors.js';
import { createHttpClient, jsonBody, retryAfterOf, type HttpClientOptions, type HttpResponse } from '../http.js';
import { withAccessToken, type AccessTokenSource } from '../tokens.js';

export interface YouTubeClientOptions {
  /** `https://www.googleapis.com` or an emulator. */
  baseUrl?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
  /** A chunk of several MB may take longer than an API call. */
  chunkTimeoutMs?: number;
  /** Google OAuth client, for refreshing access tokens. */
  clientId?: string;
  clientSecret?: string;
  /** `https://oauth2.googleapis.com` or an emulator. */
  oauthBaseUrl?: string;
  /**
   * Called before every Data API read (videos.list, channels.list, playlistItems.list: one
   * unit each, answered or not) so the project's daily quota counts them. It may throw to
   * hold the read back; the read is then not sent. Uploads are counted from their sessions.
   */
  meter?: YouTubeQuotaMeter;
}

/** Counts (or refuses) `units` of the project's quota for one read named by `operation`. */
export type YouTubeQuotaMeter = (units: number, operation: string) => Promise<void>;

/** Where a resumable upload stands: done with the video, or the next byte the session wants. */
export type UploadProgress = { done: true; video: YouTubeVideoResource } | { done: false; nextOffset: number };

export interface YouTubeVideoState {
  id: string;
  uploadStatus: string;
  processingStatus?: string;
  failureReason?: string;
  rejectionReason?: string;
}

export interface YouTubeVideoResource {
  id: string;
  snippet?: { title: string; description?: string; tags?: string[]; categoryId?: string };
  status?: {
    privacyStatus: 'public' | 'unlisted' | 'private';
    uploadStatus?: string;
    selfDeclaredMadeForKids?: boolean;
  };
}

export interface YouTubeStatistics {
  id: string;
  viewCount: number;
  likeCount: number;
  commentCount: number;
  favoriteCount: number;
}

export interface YouTubeChannelStatistics {
  id: string;
  subscriberCount: number;
  hiddenSubscriberCount: boolean;
  videoCount: number;
  viewCount: number;
}

const platform = 'youtube';
/** Non-final chunks must be multiples of 256 KiB. */
export const youtubeChunkUnit = 256 * 1024;

export function classifyYouTubeResponse(
  response: HttpResponse,
  request: { operation: string; idempotent: boolean },
): PlatformError | null {
  // 308 "Resume Incomplete" is progress in the resumable protocol, not a redirect.
  if (response.status < 300 || response.status === 308) return null;
  let reason: string | undefined;
  let message = `HTTP ${response.status}`;
  try {
    const body = response.json<{ error?: { message?: string; errors?: Array<{ reason?: string }> } }>();
    reason = body.error?.errors?.[0]?.reason;
    message = body.error?.message ?? message;
  } catch {
    // Not JSON: the status decides.
  }
  // Daily quota and upload limits free up after a wait (quota resets at midnight Pacific).
  const category: FailureCategory =
    reason === 'quotaExceeded' || reason === 'uploadLimitExceeded' || reason === 'rateLimitExceeded'
      ? 'RATE_LIMITED'
      : categoryForStatus(response.status, request.idempotent);
  return new PlatformError(message, {
    category,
    platform,
    operation: request.operation,
    status: response.status,
    code: reason,
    retryAfterMs: retryAfterOf(response),
  });
}

/** The Data API calls, with reads metered by `options.meter` when given. */
function createYouTubeApi(options: YouTubeClientOptions) {
  const http = createHttpClient({ ...options.http, platform, classify: classifyYouTubeResponse });
  const base = options.baseUrl ?? 'https://www.googleapis.com';
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** Where the server says it has bytes up to (from `Range: bytes=0-N`), i.e. the next offset. */
  const nextOffset = (response: HttpResponse) => {
    const range = /bytes=0-(\d+)/.exec(response.headers.get('range') ?? '');
    return range ? Number(range[1]) + 1 : 0;
  };

  /** Every Data API read goes through here, so every read is metered once. */
  async function get<T>(tokens: AccessTokenSource, operation: string, path: string, params: Record<string, string>) {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const response = await withAccessToken(tokens, async (token) => {
      // Metered per send (a refused token's retry is a second read), before it goes out.
      await options.meter?.(1, operation);
      return http.send({ operation, method: 'GET', url: url.toString(), headers: auth(token), idempotent: true });
    });
    return response.json<T>();
  }

  const progressOf = (response: HttpResponse): UploadProgress =>
    response.status === 200 || response.status === 201
      ? { done: true, video: response.json<YouTubeVideoResource>() }
      : { done: false, nextOffset: nextOffset(response) };

  return {
    /** Opens a resumable upload session (makes no video; costs the upload's quota). */
    async startUpload(tokens: AccessTokenSource, metadata: Omit<YouTubeVideoResource, 'id'>, size: number) {
      return withAccessToken(tokens, async (token) => {
        const payload = jsonBody(metadata);
        const response = await http.send({
          operation: 'videos.insert (start session)',
          method: 'POST',
          url: new URL('/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status', base).toString(),
          headers: {
            ...payload.headers,
            ...auth(token),
            'x-upload-content-length': String(size),
            'x-upload-content-type': 'video/*',
          },
          body: payload.body,
          idempotent: true,
        });
        const location = response.headers.get('location');
        if (!location) {
          throw new PlatformError('no upload session in the answer', {
            category: 'TRANSIENT',
            platform,
            operation: 'videos.insert',
          });
        }
        return location;
      });
    },

    /** Asks the session how far it got (`bytes *\/total`): the video when complete. */
    async uploadStatus(tokens: AccessTokenSource, session: string, size: number): Promise<UploadProgress> {
      const response = await withAccessToken(tokens, (token) =>
        http.send({
          operation: 'videos.insert (upload status)',
          method: 'PUT',
          url: session,
          headers: { ...auth(token), 'content-range': `bytes */${size}` },
          idempotent: true,
        }),
      );
      return progressOf(response);
    },

    /** Sends one chunk; a repeat of the same range is harmless (the session says where it is). */
    async uploadChunk(
      tokens: AccessTokenSource,
      session: string,
      chunk: Buffer,
      offset: number,
      size: number,
    ): Promise<UploadProgress> {
      const response = await withAccessToken(tokens, (token) =>
        http.send({
          operation: 'videos.insert (chunk)',
          method: 'PUT',
          url: session,
          headers: { ...auth(token), 'content-range': `bytes ${offset}-${offset + chunk.length - 1}/${size}` },
          body: chunk,
          idempotent: true,
          timeoutMs: options.chunkTimeoutMs ?? 120_000,
        }),
      );
      return progressOf(response);
    },

    /** Upload and processing state of one video (videos.list part=status,processingDetails). */
    async videoState(tokens: AccessTokenSource, videoId: string): Promise<YouTubeVideoState | undefined> {
      const body = await get<{
        items: Array<{
          id: string;
          status?: { uploadStatus?: string; failureReason?: string; rejectionReason?: string };
          processingDetails?: { processingStatus?: string };
        }>;
      }>(tokens, 'videos.list (status)', '/youtube/v3/videos', { part: 'status,processingDetails', id: videoId });
      const item = body.items[0];
      if (!item) return undefined;
      return {
        id: item.id,
        uploadStatus: item.status?.uploadStatus ?? 'uploaded',
        processingStatus: item.processingDetails?.processingStatus,
        failureReason: item.status?.failureReason,
        rejectionReason: item.status?.rejectionReason,
      };
    },

    /** The channel's recent uploads, newest first (channels.list → its uploads playlist). */
    async recentUploads(
      tokens: AccessTokenSource,
      maxResults = 25,
    ): Promise<Array<{ videoId: string; title: string; publishedAt: string }>> {
      const channels = await get<{ items: Array<{ contentDetails: { relatedPlaylists: { uploads: string } } }> }>(
        tokens,
        'channels.list',
        '/youtube/v3/channels',
        { part: 'contentDetails', mine: 'true' },
      );
      const playlistId = channels.items[0]?.contentDetails.relatedPlaylists.uploads;
      if (!playlistId) return [];
      const items = await get<{
        items: Array<{ snippet: { title: string; publishedAt: string; resourceId: { videoId: string } } }>;
      }>(tokens, 'playlistItems.list', '/youtube/v3/playlistItems', {
        part: 'snippet',
        playlistId,
        maxResults: String(maxResults),
      });
      return items.items.map((item) => ({
        videoId: item.snippet.resourceId.videoId,
        title: item.snippet.title,
        publishedAt: item.snippet.publishedAt,
      }));
    },

    /** A fresh access token from the refresh token (Google keeps the refresh token). */
    async refresh(refreshToken: string): Promise<{ accessToken: string; accessTokenExpiresAt: Date }> {
      const response = await http.send({
        operation: 'oauth token (refresh)',
        method: 'POST',
        url: new URL('/token', options.oauthBaseUrl ?? 'https://oauth2.googleapis.com').toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: options.clientId ?? '',
          client_secret: options.clientSecret ?? '',
        }).toString(),
        idempotent: false,
      });
      const body = response.json<{ access_token: string; expires_in: number }>();
      return { accessToken: body.access_token, accessTokenExpiresAt: new Date(Date.now() + body.expires_in * 1000) };
    },

    /**
     * Uploads through a resumable session. The session itself makes no video (an abandoned one
     * expires), and after a chunk fails the session is asked how far it got and the upload
     * resumes from there, so a lost answer never uploads twice.
     */
    async uploadVideo(
      tokens: AccessTokenSource,
      metadata: Omit<YouTubeVideoResource, 'id'>,
      video: Buffer,
      chunkSize = 32 * youtubeChunkUnit,
    ): Promise<YouTubeVideoResource> {
      if (chunkSize % youtubeChunkUnit !== 0) throw new Error('chunkSize must be a multiple of 256 KiB');
      const session = await withAccessToken(tokens, async (token) => {
        const payload = jsonBody(metadata);
        const response = await http.send({
          operation: 'videos.insert (start session)',
          method: 'POST',
          url: new URL('/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status', base).toString(),
          headers: {
            ...payload.headers,
            ...auth(token),
            'x-upload-content-length': String(video.length),
            'x-upload-content-type': 'video/*',
          },
          body: payload.body,
          idempotent: true,
        });
        const location = response.headers.get('location');
        if (!location) {
          throw new PlatformError('no upload session in the answer', {
            category: 'TRANSIENT',
            platform,
            operation: 'videos.insert',
          });
        }
        return location;
      });

      let offset = 0;
      let resumes = 0;
      for (;;) {
        const end = Math.min(offset + chunkSize, video.length);
        try {
          const response = await withAccessToken(tokens, (token) =>
            http.send({
              operation: 'videos.insert (chunk)',
              method: 'PUT',
              url: session,
              headers: { ...auth(token), 'content-range': `bytes ${offset}-${end - 1}/${video.length}` },
              body: video.subarray(offset, end),
              idempotent: true,
              timeoutMs: options.chunkTimeoutMs ?? 120_000,
            }),
          );
          if (response.status === 200 || response.status === 201) return response.json<YouTubeVideoResource>();
          offset = nextOffset(response);
        } catch (error) {
          if (!(error instanceof PlatformError) || error.category === 'REJECTED_BY_PLATFORM' || resumes >= 5)
            throw error;
          resumes++;
          // Ask the session where it stands, then carry on from there.
          const status = await withAccessToken(tokens, (token) =>
            http.send({
              operation: 'videos.insert (upload status)',
              method: 'PUT',
              url: session,
              headers: { ...auth(token), 'content-range': `bytes */${video.length}` },
              idempotent: true,
            }),
          );
          if (status.status === 200 || status.status === 201) return status.json<YouTubeVideoResource>();
          offset = nextOffset(status);
        }
      }
    },

    /** The authorized channel's counts (`channels?part=statistics&mine=true`; 1 quota unit). */
    async channelStatistics(tokens: AccessTokenSource): Promise<YouTubeChannelStatistics> {
      const body = await get<{
        items?: Array<{ id: string; statistics?: Record<string, string | boolean | undefined> }>;
      }>(tokens, 'channels.list', '/youtube/v3/channels', { part: 'statistics', mine: 'true' });
      const channel = body.items?.[0];
      if (!channel) {
        throw new PlatformError('the token has no YouTube channel', {
          category: 'REJECTED_BY_PLATFORM',
          platform,
          operation: 'channels.list',
        });
      }
      const stats = channel.statistics ?? {};
      return {
        id: channel.id,
        // A channel that hides its count reports none: keep it at 0 rather than guess.
        subscriberCount: stats.hiddenSubscriberCount === true ? 0 : Number(stats.subscriberCount ?? 0),
        hiddenSubscriberCount: stats.hiddenSubscriberCount === true,
        videoCount: Number(stats.videoCount ?? 0),
        viewCount: Number(stats.viewCount ?? 0),
      };
    },

    async statistics(tokens: AccessTokenSource, videoIds: string[]): Promise<YouTubeStatistics[]> {
      if (videoIds.length > 50) throw new Error('videos.list takes at most 50 ids');
      // Counts come as strings (they may exceed 2^53 in theory; not for our accounts).
      const body = await get<{ items: Array<{ id: string; statistics: Record<string, string | undefined> }> }>(
        tokens,
        'videos.list',
        '/youtube/v3/videos',
        { part: 'statistics', id: videoIds.join(',') },
      );
      return body.items.map((item) => ({
        id: item.id,
        viewCount: Number(item.statistics.viewCount ?? 0),
        likeCount: Number(item.statistics.likeCount ?? 0),
        commentCount: Number(item.statistics.commentCount ?? 0),
        favoriteCount: Number(item.statistics.favoriteCount ?? 0),
      }));
    },
  };
}

export type YouTubeApi = ReturnType<typeof createYouTubeApi>;

export function createYouTubeClient(options: YouTubeClientOptions = {}) {
  return {
    ...createYouTubeApi(options),
    /**
     * The same calls with every read counted (or held back) by `meter`: publishing and the
     * analytics sync each meter the shared client their own way.
     */
    metered(meter: YouTubeQuotaMeter): YouTubeApi {
      return createYouTubeApi({ ...options, meter });
    },
  };
}

export type YouTubeClient = ReturnType<typeof createYouTubeClient>;
