import { randomBytes } from 'node:crypto';
import { EmulatorClock, EmulatorServer, type EmulatorRequest, type EmulatorResponse } from './core.js';

// The YouTube Data API v3 emulator: resumable uploads (308 with Range until the last chunk,
// chunks in multiples of 256 KiB, status queries with `bytes */total`), videos.list
// statistics as strings, the daily quota in units, and expiring OAuth access tokens.

export interface YouTubeEmulatorOptions {
  clock?: EmulatorClock;
  dailyQuotaUnits?: number;
  accessTokenTtlSeconds?: number;
  /** Time an uploaded video spends processing before it is `succeeded`. */
  processingMs?: number;
}

export interface UploadSession {
  id: string;
  channelId: string;
  metadata: Record<string, unknown>;
  total: number;
  received: number;
  videoId?: string;
}

export interface EmulatedYouTubeVideo {
  id: string;
  channelId: string;
  snippet: { title: string; description?: string; tags?: string[] };
  status: { privacyStatus: string };
  bytes: number;
  uploadedAt: number;
  viewCount: number;
  /** Counts a test set; unset, likes and comments follow the views (1 in 20, 1 in 200). */
  likeCount?: number;
  commentCount?: number;
}

export interface YouTubeEmulatorState {
  videos: EmulatedYouTubeVideo[];
  subscribers: Array<[string, number]>;
  sessions: Array<[string, UploadSession]>;
  tokens: Array<[string, { channelId: string; expiresAt: number }]>;
  refreshTokens: Array<[string, string]>;
  quota: { used: number; day: string };
}

const unit = 256 * 1024;
const costs = { upload: 1600, list: 1 };

function googleError(status: number, reason: string, message: string, domain = 'youtube.api'): EmulatorResponse {
  return { status, body: { error: { code: status, message, errors: [{ message, domain, reason }] } } };
}

export class YouTubeEmulator {
  readonly server: EmulatorServer;
  readonly videos: EmulatedYouTubeVideo[] = [];
  /** Subscribers by channel id (a channel not listed has 100). */
  readonly subscribers = new Map<string, number>();
  private readonly sessions = new Map<string, UploadSession>();
  private readonly tokens = new Map<string, { channelId: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, string>();
  /** The OAuth client the emulated Google token endpoint accepts. */
  readonly clientId = 'pressroom-emulated-google-client';
  readonly clientSecret = 'pressroom-emulated-google-secret';
  private quotaUsed = 0;
  private quotaDay = '';

  constructor(private readonly options: YouTubeEmulatorOptions = {}) {
    this.server = new EmulatorServer({
      name: 'youtube',
      state: () => ({ videos: this.videos }),
      clock: options.clock,
      errorBody: (status, code, message) =>
        googleError(status, code ?? (status >= 500 ? 'backendError' : 'badRequest'), message).body,
    });
    this.routes();
  }

  get clock(): EmulatorClock {
    return this.server.clock;
  }

  issueToken(channelId = `UC${randomBytes(11).toString('base64url')}`): {
    channelId: string;
    accessToken: string;
    refreshToken: string;
    expiresIn: number;
  } {
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    const expiresIn = this.options.accessTokenTtlSeconds ?? 3600;
    this.tokens.set(accessToken, { channelId, expiresAt: this.clock.now() + expiresIn * 1000 });
    const refreshToken = `1//${randomBytes(24).toString('base64url')}`;
    this.refreshTokens.set(refreshToken, channelId);
    return { channelId, accessToken, refreshToken, expiresIn };
  }

  /** What a restart must keep: videos, subscribers, tokens, upload sessions and today's quota. */
  snapshot(): YouTubeEmulatorState {
    return structuredClone({
      videos: this.videos,
      subscribers: [...this.subscribers],
      sessions: [...this.sessions],
      tokens: [...this.tokens],
      refreshTokens: [...this.refreshTokens],
      quota: { used: this.quotaUsed, day: this.quotaDay },
    });
  }

  /** Takes back what snapshot() gave, replacing whatever the emulator held. */
  restore(state: YouTubeEmulatorState): void {
    const copy = structuredClone(state);
    this.videos.splice(0, this.videos.length, ...copy.videos);
    this.subscribers.clear();
    for (const [channel, count] of copy.subscribers) this.subscribers.set(channel, count);
    this.sessions.clear();
    for (const [id, session] of copy.sessions) this.sessions.set(id, session);
    this.tokens.clear();
    for (const [token, record] of copy.tokens) this.tokens.set(token, record);
    this.refreshTokens.clear();
    for (const [token, channel] of copy.refreshTokens) this.refreshTokens.set(token, channel);
    this.quotaUsed = copy.quota.used;
    this.quotaDay = copy.quota.day;
  }

  /** The person removes the app's access: the refresh token and the channel's access tokens die. */
  revokeGrant(refreshToken: string): void {
    const channelId = this.refreshTokens.get(refreshToken);
    this.refreshTokens.delete(refreshToken);
    for (const record of this.tokens.values()) if (record.channelId === channelId) record.expiresAt = 0;
  }

  /** Ends an access token early (as a revoked or timed-out grant does). */
  expireToken(accessToken: string): void {
    const record = this.tokens.get(accessToken);
    if (record) record.expiresAt = this.clock.now() - 1;
  }

  /** Videos of one channel, oldest first. */
  videosOf(channelId: string): EmulatedYouTubeVideo[] {
    return this.videos.filter((video) => video.channelId === channelId);
  }

  setViews(videoId: string, views: number): void {
    const video = this.videos.find((candidate) => candidate.id === videoId);
    if (video) video.viewCount = views;
  }

  /** Fixes a video's statistics to these numbers. */
  setStatistics(videoId: string, stats: { viewCount?: number; likeCount?: number; commentCount?: number }): void {
    const video = this.videos.find((candidate) => candidate.id === videoId);
    if (!video) throw new Error(`no video ${videoId}`);
    Object.assign(video, stats);
  }

  /** The channel deletes a video: videos.list leaves it out from now on. */
  deleteVideo(videoId: string): void {
    const at = this.videos.findIndex((candidate) => candidate.id === videoId);
    if (at >= 0) this.videos.splice(at, 1);
  }

  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private auth(request: EmulatorRequest): { channelId: string } | EmulatorResponse {
    const record = this.tokens.get(request.bearer() ?? '');
    if (!record || record.expiresAt <= this.clock.now()) {
      return googleError(401, 'authError', 'Request had invalid authentication credentials.', 'global');
    }
    return record;
  }

  /** Spends quota units of the project; the day turns at midnight Pacific time. */
  private spend(units: number): EmulatorResponse | undefined {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Los_Angeles' }).format(this.clock.now());
    if (today !== this.quotaDay) {
      this.quotaDay = today;
      this.quotaUsed = 0;
    }
    if (this.quotaUsed + units > (this.options.dailyQuotaUnits ?? 10_000)) {
      return googleError(
        403,
        'quotaExceeded',
        'The request cannot be completed because you have exceeded your quota.',
        'youtube.quota',
      );
    }
    this.quotaUsed += units;
    return undefined;
  }

  private routes(): void {
    const s = this.server;
    s.route('POST', '/token', (request) => {
      const form = request.form();
      if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
        return { status: 401, body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' } };
      }
      const channelId = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (form.get('grant_type') !== 'refresh_token' || !channelId) {
        return {
          status: 400,
          body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
        };
      }
      const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
      const expiresIn = this.options.accessTokenTtlSeconds ?? 3600;
      this.tokens.set(accessToken, { channelId, expiresAt: this.clock.now() + expiresIn * 1000 });
      return {
        status: 200,
        body: {
          access_token: accessToken,
          expires_in: expiresIn,
          token_type: 'Bearer',
          scope: 'https://www.googleapis.com/auth/youtube.upload',
        },
      };
    });

    s.route('GET', '/youtube/v3/channels', (request) => {
      const auth = this.auth(request);
      if ('status' in auth) return auth;
      if (request.query.get('mine') !== 'true') return googleError(400, 'badRequest', 'only mine=true is emulated');
      const refused = this.spend(costs.list);
      if (refused) return refused;
      return {
        status: 200,
        body: {
          kind: 'youtube#channelListResponse',
          items: [
            {
              id: auth.channelId,
              contentDetails: { relatedPlaylists: { uploads: `UU${auth.channelId.slice(2)}` } },
              // Counts come as strings, as Google sends them.
              statistics: {
                viewCount: String(this.videosOf(auth.channelId).reduce((sum, video) => sum + video.viewCount, 0)),
                subscriberCount: String(this.subscribers.get(auth.channelId) ?? 100),
                hiddenSubscriberCount: false,
                videoCount: String(this.videosOf(auth.channelId).length),
              },
            },
          ],
        },
      };
    });

    s.route('GET', '/youtube/v3/playlistItems', (request) => {
      const auth = this.auth(request);
      if ('status' in auth) return auth;
      if (request.query.get('playlistId') !== `UU${auth.channelId.slice(2)}`) {
        return googleError(404, 'playlistNotFound', 'The playlist cannot be found.');
      }
      const refused = this.spend(costs.list);
      if (refused) return refused;
      const max = Math.min(Number(request.query.get('maxResults') ?? 5) || 5, 50);
      const items = this.videosOf(auth.channelId)
        .slice()
        .reverse()
        .slice(0, max)
        .map((video) => ({
          kind: 'youtube#playlistItem',
          snippet: {
            title: video.snippet.title,
            description: video.snippet.description ?? '',
            publishedAt: new Date(video.uploadedAt).toISOString(),
            resourceId: { kind: 'youtube#video', videoId: video.id },
          },
        }));
      return { status: 200, body: { kind: 'youtube#playlistItemListResponse', items } };
    });

    s.route('POST', '/upload/youtube/v3/videos', (request) => {
      const auth = this.auth(request);
      if ('status' in auth) return auth;
      if (request.query.get('uploadType') !== 'resumable')
        return googleError(400, 'badRequest', 'uploadType must be resumable');
      const total = Number(request.headers['x-upload-content-length']);
      if (!Number.isInteger(total) || total <= 0) {
        return googleError(400, 'badRequest', 'X-Upload-Content-Length is required');
      }
      const metadata = request.json<{ snippet?: { title?: string } }>();
      if (!metadata.snippet?.title) return googleError(400, 'invalidTitle', 'The video title is required');
      const refused = this.spend(costs.upload);
      if (refused) return refused;
      const session: UploadSession = {
        id: randomBytes(16).toString('hex'),
        channelId: auth.channelId,
        metadata,
        total,
        received: 0,
      };
      this.sessions.set(session.id, session);
      const location = `${this.server.baseUrl}/upload/youtube/v3/videos?uploadType=resumable&upload_id=${session.id}`;
      return { status: 200, headers: { location }, body: '' };
    });

    s.route('PUT', '/upload/youtube/v3/videos', (request) => {
      const auth = this.auth(request);
      if ('status' in auth) return auth;
      const session = this.sessions.get(request.query.get('upload_id') ?? '');
      if (!session || session.channelId !== auth.channelId)
        return googleError(404, 'notFound', 'Upload session not found');
      const done = () => ({
        status: 200,
        body: this.render(this.videos.find((video) => video.id === session.videoId)!),
      });
      const progress = (): EmulatorResponse =>
        session.received > 0
          ? { status: 308, headers: { range: `bytes=0-${session.received - 1}` }, body: '' }
          : { status: 308, body: '' };
      // A finished session answers every PUT with its video: it never makes a second one.
      if (session.videoId) return done();
      const header = String(request.headers['content-range'] ?? '');
      if (/^bytes \*\/\d+$/.test(header)) return progress();
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(header);
      if (!range || Number(range[3]) !== session.total)
        return googleError(400, 'badContent', 'Content-Range is invalid');
      const start = Number(range[1]);
      const end = Number(range[2]);
      const last = end + 1 === session.total;
      if (start !== session.received || request.body.length !== end - start + 1) {
        // Out of order or a repeat: say where we are, take nothing.
        return progress();
      }
      if (!last && request.body.length % unit !== 0) {
        return googleError(400, 'badContent', 'Chunks must be a multiple of 256 KiB except the last');
      }
      session.received = end + 1;
      if (!last) return progress();
      const meta = session.metadata as {
        snippet: { title: string; description?: string; tags?: string[] };
        status?: { privacyStatus?: string };
      };
      const video: EmulatedYouTubeVideo = {
        id: randomBytes(8).toString('base64url').slice(0, 11),
        channelId: session.channelId,
        snippet: meta.snippet,
        status: { privacyStatus: meta.status?.privacyStatus ?? 'private' },
        bytes: session.total,
        uploadedAt: this.clock.now(),
        viewCount: 0,
      };
      this.videos.push(video);
      session.videoId = video.id;
      return { status: 201, body: this.render(video) };
    });

    s.route('GET', '/youtube/v3/videos', (request) => {
      const auth = this.auth(request);
      if ('status' in auth) return auth;
      const parts = (request.query.get('part') ?? '').split(',');
      if (!parts.every((part) => ['statistics', 'status', 'processingDetails'].includes(part))) {
        return googleError(400, 'invalidPart', 'part must be statistics, status or processingDetails');
      }
      const refused = this.spend(costs.list);
      if (refused) return refused;
      const ids = (request.query.get('id') ?? '').split(',').filter(Boolean);
      if (ids.length > 50) return googleError(400, 'badRequest', 'id takes at most 50 video ids');
      if (!parts.includes('statistics')) {
        const processed = (video: EmulatedYouTubeVideo) =>
          video.uploadedAt + (this.options.processingMs ?? 2_000) <= this.clock.now();
        const items = this.videos
          .filter((video) => ids.includes(video.id) && video.channelId === auth.channelId)
          .map((video) => ({
            kind: 'youtube#video',
            id: video.id,
            ...(parts.includes('status')
              ? { status: { ...video.status, uploadStatus: processed(video) ? 'processed' : 'uploaded' } }
              : {}),
            ...(parts.includes('processingDetails')
              ? { processingDetails: { processingStatus: processed(video) ? 'succeeded' : 'processing' } }
              : {}),
          }));
        return { status: 200, body: { kind: 'youtube#videoListResponse', items } };
      }
      const items = this.videos
        .filter((video) => ids.includes(video.id))
        .map((video) => ({
          kind: 'youtube#video',
          id: video.id,
          statistics: {
            viewCount: String(video.viewCount),
            likeCount: String(video.likeCount ?? Math.floor(video.viewCount / 20)),
            favoriteCount: '0',
            commentCount: String(video.commentCount ?? Math.floor(video.viewCount / 200)),
          },
        }));
      return {
        status: 200,
        body: { kind: 'youtube#videoListResponse', items, pageInfo: { totalResults: items.length } },
      };
    });
  }

  private render(video: EmulatedYouTubeVideo) {
    return {
      kind: 'youtube#video',
      id: video.id,
      snippet: { ...video.snippet, channelId: video.channelId, publishedAt: new Date(video.uploadedAt).toISOString() },
      status: { ...video.status, uploadStatus: 'uploaded' },
    };
  }
}
