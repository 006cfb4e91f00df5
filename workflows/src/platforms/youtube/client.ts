import { PlatformError, categoryForStatus, type FailureCategory } from '../errors.js';
import { createHttpClient, jsonBody, retryAfterOf, type HttpClientOptions, type HttpResponse } from '../http.js';
import { withAccessToken, type AccessTokenSource } from '../tokens.js';

export interface YouTubeClientOptions {
  /** `https://www.googleapis.com` or an emulator. */
  baseUrl?: string;
  http?: Omit<HttpClientOptions, 'platform' | 'classify'>;
  /** A chunk of several MB may take longer than an API call. */
  chunkTimeoutMs?: number;
}

export interface YouTubeVideoResource {
  id: string;
  snippet?: { title: string; description?: string; tags?: string[]; categoryId?: string };
  status?: { privacyStatus: 'public' | 'unlisted' | 'private'; uploadStatus?: string };
}

export interface YouTubeStatistics {
  id: string;
  viewCount: number;
  likeCount: number;
  commentCount: number;
  favoriteCount: number;
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

export function createYouTubeClient(options: YouTubeClientOptions = {}) {
  const http = createHttpClient({ ...options.http, platform, classify: classifyYouTubeResponse });
  const base = options.baseUrl ?? 'https://www.googleapis.com';
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  /** Where the server says it has bytes up to (from `Range: bytes=0-N`), i.e. the next offset. */
  const nextOffset = (response: HttpResponse) => {
    const range = /bytes=0-(\d+)/.exec(response.headers.get('range') ?? '');
    return range ? Number(range[1]) + 1 : 0;
  };

  return {
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

    async statistics(tokens: AccessTokenSource, videoIds: string[]): Promise<YouTubeStatistics[]> {
      if (videoIds.length > 50) throw new Error('videos.list takes at most 50 ids');
      const url = new URL('/youtube/v3/videos', base);
      url.searchParams.set('part', 'statistics');
      url.searchParams.set('id', videoIds.join(','));
      const response = await withAccessToken(tokens, (token) =>
        http.send({
          operation: 'videos.list',
          method: 'GET',
          url: url.toString(),
          headers: auth(token),
          idempotent: true,
        }),
      );
      // Counts come as strings (they may exceed 2^53 in theory; not for our accounts).
      const body = response.json<{ items: Array<{ id: string; statistics: Record<string, string | undefined> }> }>();
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

export type YouTubeClient = ReturnType<typeof createYouTubeClient>;
