import { randomBytes } from 'node:crypto';
import { EmulatorClock, EmulatorServer, type EmulatorRequest, type EmulatorResponse } from './core.js';

// The Instagram Graph API emulator: media containers (image, carousel, reel) that move
// IN_PROGRESS → FINISHED on the emulator clock, publish, the 24 h publishing quota, insights
// and long-lived token refresh. Errors in Graph's envelope with its codes.

export interface InstagramEmulatorOptions {
  clock?: EmulatorClock;
  apiVersion?: string;
  /** Posts per 24 h (25, 50 or 100 depending on the doc version). */
  publishingQuota?: number;
  /** Calls per token per hour before code 17. */
  callsPerHour?: number;
  /** Time an image container needs; a reel takes videoProcessingMs. */
  imageProcessingMs?: number;
  videoProcessingMs?: number;
  longLivedTokenTtlSeconds?: number;
}

export interface EmulatedContainer {
  id: string;
  igUserId: string;
  kind: 'IMAGE' | 'REELS' | 'CAROUSEL';
  isCarouselItem: boolean;
  params: Record<string, string>;
  createdAt: number;
  readyAt: number;
  error?: string;
  publishedMediaId?: string;
}

export interface EmulatedMedia {
  id: string;
  igUserId: string;
  containerId: string;
  caption: string;
  publishedAt: number;
  permalink: string;
  /** Insights a test set (any metric left out grows with the time since publishing). */
  metrics?: Partial<Record<InstagramMetric, number>>;
}

export type InstagramMetric = 'reach' | 'views' | 'likes' | 'comments' | 'saved' | 'shares';

/** An account's profile numbers (`GET /{ig-user-id}?fields=followers_count,...`). */
export interface EmulatedInstagramAccount {
  username: string;
  followers: number;
  follows: number;
}

export interface InstagramEmulatorState {
  containers: EmulatedContainer[];
  media: EmulatedMedia[];
  accounts: Array<[string, EmulatedInstagramAccount]>;
  tokens: Array<[string, { igUserId: string; issuedAt: number; expiresAt: number | null }]>;
  nextId: string;
}

const day = 24 * 3600_000;

function graphError(
  status: number,
  code: number,
  message: string,
  subcode?: number,
  type = 'OAuthException',
): EmulatorResponse {
  return {
    status,
    body: {
      error: {
        message,
        type,
        code,
        ...(subcode ? { error_subcode: subcode } : {}),
        fbtrace_id: randomBytes(8).toString('base64url'),
      },
    },
  };
}

export class InstagramEmulator {
  readonly server: EmulatorServer;
  readonly containers: EmulatedContainer[] = [];
  readonly media: EmulatedMedia[] = [];
  /** Profile numbers by ig user id; an account first seen gets 1 000 followers. */
  readonly accounts = new Map<string, EmulatedInstagramAccount>();
  private readonly tokens = new Map<string, { igUserId: string; issuedAt: number; expiresAt: number }>();
  private readonly options: Required<Omit<InstagramEmulatorOptions, 'clock'>>;
  private nextId = 17_900_000_000_000_000n;

  constructor(options: InstagramEmulatorOptions = {}) {
    this.options = {
      apiVersion: options.apiVersion ?? 'v21.0',
      publishingQuota: options.publishingQuota ?? 50,
      callsPerHour: options.callsPerHour ?? 200,
      imageProcessingMs: options.imageProcessingMs ?? 1000,
      videoProcessingMs: options.videoProcessingMs ?? 20_000,
      longLivedTokenTtlSeconds: options.longLivedTokenTtlSeconds ?? 60 * 24 * 3600,
    };
    this.server = new EmulatorServer({
      name: 'instagram',
      state: () => ({ containers: this.containers, media: this.media }),
      clock: options.clock,
      errorBody: (status, code, message) =>
        graphError(status, code ? Number(code) : status === 429 ? 4 : status >= 500 ? 2 : 100, message).body,
    });
    this.routes();
  }

  get clock(): EmulatorClock {
    return this.server.clock;
  }

  start(port?: number): Promise<string> {
    return this.server.start(port);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A long-lived user token for a (new) Instagram professional account. */
  issueToken(igUserId = String(this.nextId++)): { igUserId: string; accessToken: string; expiresIn: number } {
    const accessToken = `IGQV${randomBytes(24).toString('hex')}`;
    const now = this.clock.now();
    this.tokens.set(accessToken, {
      igUserId,
      issuedAt: now,
      expiresAt: now + this.options.longLivedTokenTtlSeconds * 1000,
    });
    return { igUserId, accessToken, expiresIn: this.options.longLivedTokenTtlSeconds };
  }

  /** Accepts a token another emulator issued for `igUserId` (a page token from the emulated Facebook Login). */
  adoptToken(accessToken: string, igUserId: string, expiresAt: number): void {
    this.tokens.set(accessToken, { igUserId, issuedAt: this.clock.now(), expiresAt });
  }

  /** The profile of `igUserId` (made on first use), whose numbers a test may change. */
  account(igUserId: string): EmulatedInstagramAccount {
    let account = this.accounts.get(igUserId);
    if (!account) {
      account = { username: `emulated_${igUserId.slice(-6)}`, followers: 1000, follows: 50 };
      this.accounts.set(igUserId, account);
    }
    return account;
  }

  /** What a restart must keep (JSON-safe): accounts, tokens, containers and media. */
  snapshot(): InstagramEmulatorState {
    return structuredClone({
      containers: this.containers,
      media: this.media,
      accounts: [...this.accounts],
      // A page token adopted from a Meta login never expires: written as null (JSON has no Infinity).
      tokens: [...this.tokens].map(([token, record]): InstagramEmulatorState['tokens'][number] => [
        token,
        { ...record, expiresAt: Number.isFinite(record.expiresAt) ? record.expiresAt : null },
      ]),
      nextId: String(this.nextId),
    });
  }

  /** Takes back what snapshot() gave, replacing whatever the emulator held. */
  restore(state: InstagramEmulatorState): void {
    const copy = structuredClone(state);
    this.containers.splice(0, this.containers.length, ...copy.containers);
    this.media.splice(0, this.media.length, ...copy.media);
    this.accounts.clear();
    for (const [id, account] of copy.accounts) this.accounts.set(id, account);
    this.tokens.clear();
    for (const [token, record] of copy.tokens) {
      this.tokens.set(token, { ...record, expiresAt: record.expiresAt ?? Infinity });
    }
    this.nextId = BigInt(copy.nextId);
  }

  /** The person removes the app (or changes their password): the token is refused from now on. */
  revokeToken(accessToken: string): void {
    this.tokens.delete(accessToken);
  }

  /** Fixes a published media's insights to these numbers. */
  setMediaMetrics(mediaId: string, metrics: Partial<Record<InstagramMetric, number>>): void {
    const media = this.media.find((candidate) => candidate.id === mediaId);
    if (!media) throw new Error(`no media ${mediaId}`);
    media.metrics = { ...media.metrics, ...metrics };
  }

  /** The account deletes a media on Instagram: reads of it answer code 100 from now on. */
  deleteMedia(mediaId: string): void {
    const at = this.media.findIndex((candidate) => candidate.id === mediaId);
    if (at >= 0) this.media.splice(at, 1);
  }

  private token(request: EmulatorRequest): string | undefined {
    return request.bearer() ?? request.query.get('access_token') ?? request.form().get('access_token') ?? undefined;
  }

  private guard(request: EmulatorRequest): { igUserId: string; token: string } | EmulatorResponse {
    const token = this.token(request);
    const record = token ? this.tokens.get(token) : undefined;
    if (!token || !record) return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (record.expiresAt <= this.clock.now()) {
      return graphError(400, 190, 'Error validating access token: Session has expired.', 463);
    }
    if (this.server.rateLimit(token, this.options.callsPerHour, 3600_000) > 0) {
      return graphError(400, 17, 'User request limit reached', undefined, 'OAuthException');
    }
    return { igUserId: record.igUserId, token };
  }

  private statusOf(container: EmulatedContainer): string {
    if (container.publishedMediaId) return 'PUBLISHED';
    if (container.error) return 'ERROR';
    const now = this.clock.now();
    if (container.createdAt + day <= now) return 'EXPIRED';
    if (container.kind === 'CAROUSEL') {
      const children = container.params.children!.split(',').map((id) => this.containers.find((c) => c.id === id));
      if (children.some((child) => child && this.statusOf(child) === 'ERROR')) return 'ERROR';
      if (children.some((child) => !child || this.statusOf(child) !== 'FINISHED')) return 'IN_PROGRESS';
    }
    return container.readyAt <= now ? 'FINISHED' : 'IN_PROGRESS';
  }

  private publishedToday(igUserId: string): number {
    const since = this.clock.now() - day;
    return this.media.filter((media) => media.igUserId === igUserId && media.publishedAt > since).length;
  }

  private async checkUrl(url: string): Promise<string | undefined> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      return response.ok ? undefined : `Media download has failed (HTTP ${response.status})`;
    } catch {
      return 'Media download has failed.';
    }
  }

  private routes(): void {
    const s = this.server;
    const v = this.options.apiVersion;
    const params = (request: EmulatorRequest) => {
      const merged = new URLSearchParams(request.query);
      if (request.body.length) for (const [key, value] of request.form()) merged.set(key, value);
      merged.delete('access_token');
      return Object.fromEntries(merged);
    };

    s.route('POST', `/${v}/:igUserId/media`, async (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      if (request.params.igUserId !== guard.igUserId) {
        return graphError(400, 100, 'Unsupported post request: object does not exist or lacks permission', 33);
      }
      const p = params(request);
      const kind = p.media_type === 'REELS' ? 'REELS' : p.media_type === 'CAROUSEL' ? 'CAROUSEL' : 'IMAGE';
      if (kind === 'IMAGE' && !p.image_url) return graphError(400, 100, 'The parameter image_url is required');
      if (kind === 'REELS' && !p.video_url) return graphError(400, 100, 'The parameter video_url is required');
      if (kind === 'CAROUSEL') {
        const children = (p.children ?? '').split(',').filter(Boolean);
        if (children.length < 2 || children.length > 10) {
          return graphError(400, 100, 'The carousel must have between 2 and 10 children', 2207013);
        }
        if (!children.every((id) => this.containers.some((c) => c.id === id && c.isCarouselItem))) {
          return graphError(400, 100, 'A child is not a carousel item container of this user', 2207001);
        }
      }
      if ((p.caption ?? '').length > 2200) return graphError(400, 100, 'The caption is too long', 2207003);
      const container: EmulatedContainer = {
        id: String(this.nextId++),
        igUserId: guard.igUserId,
        kind,
        isCarouselItem: p.is_carousel_item === 'true',
        params: p,
        createdAt: this.clock.now(),
        readyAt:
          this.clock.now() + (kind === 'REELS' ? this.options.videoProcessingMs : this.options.imageProcessingMs),
      };
      const source = p.image_url ?? p.video_url;
      if (source) container.error = await this.checkUrl(source);
      this.containers.push(container);
      return { status: 200, body: { id: container.id } };
    });

    s.route('POST', `/${v}/:igUserId/media_publish`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      const container = this.containers.find((c) => c.id === params(request).creation_id);
      if (!container || container.igUserId !== guard.igUserId || container.isCarouselItem) {
        return graphError(400, 100, 'The media container does not exist', 2207006);
      }
      if (this.publishedToday(guard.igUserId) >= this.options.publishingQuota) {
        return graphError(400, 9, 'Application request limit reached: content publishing quota', 2207042);
      }
      const status = this.statusOf(container);
      if (status === 'PUBLISHED') return graphError(400, 9007, 'The media has already been published', 2207027);
      if (status !== 'FINISHED') return graphError(400, 9007, 'Media ID is not available', 2207027);
      // No deduplication: only the container's own state stops a second publish.
      const media: EmulatedMedia = {
        id: String(this.nextId++),
        igUserId: guard.igUserId,
        containerId: container.id,
        caption: container.params.caption ?? '',
        publishedAt: this.clock.now(),
        permalink: `https://www.instagram.com/p/${randomBytes(8).toString('base64url')}/`,
      };
      container.publishedMediaId = media.id;
      this.media.push(media);
      return { status: 200, body: { id: media.id } };
    });

    s.route('GET', `/${v}/:igUserId/media`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      if (request.params.igUserId !== guard.igUserId) return graphError(400, 100, 'Unsupported get request', 33);
      const limit = Math.min(Number(request.query.get('limit') ?? 25) || 25, 100);
      const data = this.media
        .filter((media) => media.igUserId === guard.igUserId)
        .sort((a, b) => b.publishedAt - a.publishedAt)
        .slice(0, limit)
        .map((media) => ({
          id: media.id,
          caption: media.caption,
          timestamp: new Date(media.publishedAt).toISOString().replace(/\.\d{3}Z$/, '+0000'),
          permalink: media.permalink,
        }));
      return { status: 200, body: { data } };
    });

    s.route('GET', `/${v}/:igUserId/content_publishing_limit`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      return {
        status: 200,
        body: {
          data: [
            {
              quota_usage: this.publishedToday(guard.igUserId),
              config: { quota_total: this.options.publishingQuota, quota_duration: 86400 },
            },
          ],
        },
      };
    });

    s.route('GET', `/${v}/:id/insights`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      const media = this.media.find((m) => m.id === request.params.id && m.igUserId === guard.igUserId);
      if (!media) return graphError(400, 100, 'Unsupported get request', 33);
      const metrics = (request.query.get('metric') ?? '').split(',').filter(Boolean);
      const known = ['reach', 'likes', 'comments', 'saved', 'shares', 'views', 'total_interactions'];
      const unknown = metrics.find((metric) => !known.includes(metric));
      if (!metrics.length || unknown)
        return graphError(400, 100, `metric[${unknown ?? ''}] must be one of ${known.join(', ')}`);
      // Grows with the time since publishing, deterministically.
      const hours = Math.floor((this.clock.now() - media.publishedAt) / 3600_000);
      const base: Record<string, number> = {
        reach: 40 * hours,
        views: 55 * hours,
        likes: 4 * hours,
        comments: Math.floor(hours / 2),
        saved: Math.floor(hours / 3),
        shares: Math.floor(hours / 4),
      };
      Object.assign(base, media.metrics);
      base.total_interactions = base.likes! + base.comments! + base.saved! + base.shares!;
      return {
        status: 200,
        body: {
          data: metrics.map((name) => ({
            name,
            period: 'lifetime',
            values: [{ value: base[name] ?? 0 }],
            title: name,
          })),
        },
      };
    });

    s.route('GET', `/${v}/:id`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      if (request.params.id === guard.igUserId) {
        const account = this.account(guard.igUserId);
        return {
          status: 200,
          body: {
            id: guard.igUserId,
            username: account.username,
            followers_count: account.followers,
            follows_count: account.follows,
            media_count: this.media.filter((m) => m.igUserId === guard.igUserId).length,
          },
        };
      }
      const media = this.media.find((m) => m.id === request.params.id && m.igUserId === guard.igUserId);
      if (media) {
        return {
          status: 200,
          body: {
            id: media.id,
            caption: media.caption,
            permalink: media.permalink,
            timestamp: new Date(media.publishedAt).toISOString(),
          },
        };
      }
      const container = this.containers.find((c) => c.id === request.params.id && c.igUserId === guard.igUserId);
      if (!container) return graphError(400, 100, 'Unsupported get request', 33);
      const status = this.statusOf(container);
      return {
        status: 200,
        body: { id: container.id, status_code: status, ...(status === 'ERROR' ? { status: container.error } : {}) },
      };
    });

    s.route('GET', '/refresh_access_token', (request) => {
      const token = this.token(request);
      const record = token ? this.tokens.get(token) : undefined;
      if (request.query.get('grant_type') !== 'ig_refresh_token') {
        return graphError(400, 100, 'grant_type must be ig_refresh_token');
      }
      if (!token || !record || record.expiresAt <= this.clock.now()) {
        return graphError(400, 190, 'Error validating access token: Session has expired.', 463);
      }
      if (record.issuedAt + day > this.clock.now()) {
        return graphError(400, 100, 'The access token must be at least 24 hours old to be refreshed');
      }
      this.tokens.delete(token);
      const fresh = this.issueToken(record.igUserId);
      return {
        status: 200,
        body: { access_token: fresh.accessToken, token_type: 'bearer', expires_in: fresh.expiresIn },
      };
    });
  }
}
