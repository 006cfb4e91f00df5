import { createHash, randomBytes } from 'node:crypto';
import { EmulatorClock, EmulatorServer, type EmulatorRequest, type EmulatorResponse } from './core.js';

// The Facebook Pages emulator (Graph API): Facebook Login with PKCE (short-lived user tokens,
// the long-lived exchange, revocation), page tokens derived from the user token through
// /me/accounts, text/link feed posts, photos (published, or unpublished and then attached to a
// feed post as attached_media), videos that process on the emulator clock, the page's posts,
// post counts and insights, page followers. No deduplication: every POST makes a new object.

export interface FacebookEmulatorOptions {
  clock?: EmulatorClock;
  apiVersion?: string;
  /** Calls per token per hour before the throttling code (17 for users, 32 for pages). */
  callsPerHour?: number;
  shortLivedTokenTtlSeconds?: number;
  longLivedTokenTtlSeconds?: number;
  videoProcessingMs?: number;
  /** Told about every page token it mints, so the Instagram emulator can accept it for the linked account. */
  onPageToken?: (token: string, page: { pageId: string; igUserId?: string; expiresAt: number }) => void;
}

export interface EmulatedFacebookPage {
  id: string;
  name: string;
  followers: number;
  igUserId?: string;
  igUsername?: string;
}

export interface EmulatedFacebookPost {
  id: string;
  pageId: string;
  kind: 'feed' | 'photo' | 'video';
  message: string;
  link?: string;
  photoIds: string[];
  videoId?: string;
  createdAt: number;
  /** Counts a test set; any left out grows with the time since posting. */
  stats?: Partial<FacebookPostCounts>;
}

export interface FacebookPostCounts {
  impressions: number;
  reactions: number;
  comments: number;
  shares: number;
}

export interface PhotoRecord {
  id: string;
  pageId: string;
  url: string;
  published: boolean;
  attachedTo?: string;
}

export interface VideoRecord {
  id: string;
  pageId: string;
  description: string;
  readyAt: number;
  error?: string;
  /** A download that failed shows at once; a processing failure only when processing ends. */
  failsAtOnce?: boolean;
  postId: string;
  createdAt: number;
}

export interface TokenRecord {
  kind: 'user' | 'page';
  userId: string;
  pageId?: string;
  /** Infinity: a page token derived from a long-lived user token does not expire. */
  expiresAt: number;
  longLived: boolean;
  /** The user token a page token came from: revoking the user kills it too. */
  parent?: string;
  revoked: boolean;
}

export interface FacebookEmulatorState {
  appId: string;
  appSecret: string;
  pages: EmulatedFacebookPage[];
  posts: EmulatedFacebookPost[];
  users: Array<{ id: string; name: string; pageIds: string[]; granted: boolean }>;
  photos: PhotoRecord[];
  videos: VideoRecord[];
  tokens: Array<[string, Omit<TokenRecord, 'expiresAt'> & { expiresAt: number | null }]>;
  nextId: number;
  consentingUserId?: string;
}

const hour = 3600_000;

export function graphErrorResponse(
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

export class FacebookEmulator {
  readonly server: EmulatorServer;
  /** The app's credentials (kept across a restart by restore(), as the api and worker hold them). */
  appId = `${1_000_000_000_000 + Math.floor(Math.random() * 8_999_999_999_999)}`;
  appSecret = randomBytes(16).toString('hex');
  readonly pages = new Map<string, EmulatedFacebookPage>();
  readonly posts: EmulatedFacebookPost[] = [];
  readonly users = new Map<string, { id: string; name: string; pageIds: string[]; granted: boolean }>();
  readonly calls = { codeExchanges: 0, longLivedExchanges: 0, revocations: 0 };
  /** Who approves the next consent (the first user by default); `declineNext` refuses it instead. */
  consentingUserId?: string;
  private declineNext?: string;
  private readonly photos = new Map<string, PhotoRecord>();
  private readonly videos = new Map<string, VideoRecord>();
  /** Reasons the next videos' processing fails with (failNextVideo). */
  private readonly failingVideos: string[] = [];
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly codes = new Map<
    string,
    { userId: string; redirectUri: string; challenge: string; scopes: string[]; expiresAt: number; used: boolean }
  >();
  private readonly options: Required<Omit<FacebookEmulatorOptions, 'clock' | 'onPageToken'>>;
  private nextId = 100_000_000_000_000;

  constructor(private readonly config: FacebookEmulatorOptions = {}) {
    this.options = {
      apiVersion: config.apiVersion ?? 'v21.0',
      callsPerHour: config.callsPerHour ?? 200,
      shortLivedTokenTtlSeconds: config.shortLivedTokenTtlSeconds ?? 2 * 3600,
      longLivedTokenTtlSeconds: config.longLivedTokenTtlSeconds ?? 60 * 24 * 3600,
      videoProcessingMs: config.videoProcessingMs ?? 15_000,
    };
    this.server = new EmulatorServer({
      name: 'facebook',
      clock: config.clock,
      state: () => ({ pages: [...this.pages.values()], posts: this.posts }),
      errorBody: (status, code, message) =>
        graphErrorResponse(status, Number(code) || (status === 429 ? 4 : status >= 500 ? 2 : 100), message).body,
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

  private id(): string {
    return String(this.nextId++);
  }

  /** A person managing `pages` Pages (the first one with a linked Instagram professional account). */
  createUser(options: { name?: string; pages?: number; instagram?: boolean } = {}) {
    const user = { id: this.id(), name: options.name ?? 'Emulated Person', pageIds: [] as string[], granted: false };
    for (let index = 0; index < (options.pages ?? 2); index++) {
      const page: EmulatedFacebookPage = {
        id: this.id(),
        name: `Emulated Page ${index + 1}`,
        followers: 100 * (index + 1),
      };
      if (index === 0 && options.instagram !== false) {
        page.igUserId = `1784${this.id()}`;
        page.igUsername = `emulated_ig_${page.id.slice(-4)}`;
      }
      this.pages.set(page.id, page);
      user.pageIds.push(page.id);
    }
    this.users.set(user.id, user);
    this.consentingUserId ??= user.id;
    return user;
  }

  /** What a restart must keep (JSON-safe: a token that never expires is written as null). */
  snapshot(): FacebookEmulatorState {
    return structuredClone({
      appId: this.appId,
      appSecret: this.appSecret,
      pages: [...this.pages.values()],
      posts: this.posts,
      users: [...this.users.values()],
      photos: [...this.photos.values()],
      videos: [...this.videos.values()],
      tokens: [...this.tokens].map(([token, record]): FacebookEmulatorState['tokens'][number] => [
        token,
        { ...record, expiresAt: Number.isFinite(record.expiresAt) ? record.expiresAt : null },
      ]),
      nextId: this.nextId,
      ...(this.consentingUserId ? { consentingUserId: this.consentingUserId } : {}),
    });
  }

  /** Takes back what snapshot() gave, replacing whatever the emulator held. */
  restore(state: FacebookEmulatorState): void {
    const copy = structuredClone(state);
    this.appId = copy.appId;
    this.appSecret = copy.appSecret;
    this.pages.clear();
    for (const page of copy.pages) this.pages.set(page.id, page);
    this.posts.splice(0, this.posts.length, ...copy.posts);
    this.users.clear();
    for (const user of copy.users) this.users.set(user.id, user);
    this.photos.clear();
    for (const photo of copy.photos) this.photos.set(photo.id, photo);
    this.videos.clear();
    for (const video of copy.videos) this.videos.set(video.id, video);
    this.tokens.clear();
    for (const [token, record] of copy.tokens) {
      this.tokens.set(token, { ...record, expiresAt: record.expiresAt ?? Infinity });
    }
    this.nextId = copy.nextId;
    this.consentingUserId = copy.consentingUserId;
  }

  /** The next consent is declined with this error (e.g. access_denied). */
  declineNextConsent(error = 'access_denied'): void {
    this.declineNext = error;
  }

  private mint(record: Omit<TokenRecord, 'revoked'>): string {
    const token = `EAA${randomBytes(24).toString('hex')}`;
    this.tokens.set(token, { ...record, revoked: false });
    return token;
  }

  /** A user token as a finished login would give, without the browser round trip. */
  issueUserToken(userId: string, longLived = true): string {
    const ttl = longLived ? this.options.longLivedTokenTtlSeconds : this.options.shortLivedTokenTtlSeconds;
    return this.mint({ kind: 'user', userId, expiresAt: this.clock.now() + ttl * 1000, longLived });
  }

  /** A page token as /me/accounts would give it. */
  issuePageToken(userToken: string, pageId: string): string {
    const parent = this.tokens.get(userToken)!;
    const expiresAt = parent.longLived ? Infinity : parent.expiresAt;
    const token = this.mint({
      kind: 'page',
      userId: parent.userId,
      pageId,
      expiresAt,
      longLived: parent.longLived,
      parent: userToken,
    });
    const page = this.pages.get(pageId)!;
    this.config.onPageToken?.(token, { pageId, igUserId: page.igUserId, expiresAt });
    return token;
  }

  /** The next video posted is taken, processes for a while, then fails with this reason. */
  failNextVideo(reason: string): void {
    this.failingVideos.push(reason);
  }

  /** Expires a token now (as Facebook does when a password changes or a session is logged out). */
  expireToken(token: string): void {
    const record = this.tokens.get(token);
    if (record) record.expiresAt = this.clock.now();
  }

  private alive(record: TokenRecord | undefined): boolean {
    if (!record || record.revoked || record.expiresAt <= this.clock.now()) return false;
    return !record.parent || this.alive(this.tokens.get(record.parent)) || record.longLived;
  }

  private guard(request: EmulatorRequest): ({ token: string } & TokenRecord) | EmulatorResponse {
    const token =
      request.bearer() ?? request.query.get('access_token') ?? request.form().get('access_token') ?? undefined;
    const record = token ? this.tokens.get(token) : undefined;
    if (!token || !record)
      return graphErrorResponse(400, 190, 'Invalid OAuth access token - Cannot parse access token');
    if (record.revoked || (record.parent && this.tokens.get(record.parent)?.revoked)) {
      return graphErrorResponse(
        400,
        190,
        'Error validating access token: The user has not authorized application.',
        458,
      );
    }
    if (!this.alive(record))
      return graphErrorResponse(400, 190, 'Error validating access token: Session has expired.', 463);
    if (this.server.rateLimit(token, this.options.callsPerHour, hour) > 0) {
      return record.kind === 'page'
        ? graphErrorResponse(400, 32, 'Page request limit reached')
        : graphErrorResponse(400, 17, 'User request limit reached');
    }
    return { token, ...record };
  }

  private pageGuard(request: EmulatorRequest, pageId: string) {
    const guard = this.guard(request);
    if ('status' in guard) return guard;
    if (guard.kind !== 'page' || guard.pageId !== pageId) {
      return graphErrorResponse(
        403,
        200,
        '(#200) The permission(s) pages_manage_posts are not available; a page access token is required',
      );
    }
    return guard;
  }

  private usage(token: string): Record<string, string> {
    const used = this.server.requests.filter((r) => r.at > this.clock.now() - hour).length;
    void token;
    const percent = Math.min(100, Math.round((used / this.options.callsPerHour) * 100));
    return { 'x-app-usage': JSON.stringify({ call_count: percent, total_cputime: 1, total_time: 1 }) };
  }

  private async download(url: string): Promise<string | undefined> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch {
      return 'unreachable';
    }
  }

  private permalink(post: EmulatedFacebookPost): string {
    const [, postPart] = post.id.split('_');
    return post.kind === 'video'
      ? `https://www.facebook.com/${post.pageId}/videos/${post.videoId}`
      : `https://www.facebook.com/${post.pageId}/posts/${postPart}`;
  }

  private stats(post: EmulatedFacebookPost): FacebookPostCounts {
    // Grows with the time since posting, deterministically.
    const hours = Math.floor((this.clock.now() - post.createdAt) / hour);
    return {
      impressions: 30 * hours,
      reactions: 3 * hours,
      comments: Math.floor(hours / 2),
      shares: Math.floor(hours / 4),
      ...post.stats,
    };
  }

  /** Fixes a post's counts to these numbers. */
  setPostStats(postId: string, stats: Partial<FacebookPostCounts>): void {
    const post = this.posts.find((candidate) => candidate.id === postId);
    if (!post) throw new Error(`no post ${postId}`);
    post.stats = { ...post.stats, ...stats };
  }

  /** The page deletes a post: reads of it answer code 100 from now on. */
  deletePost(postId: string): void {
    const at = this.posts.findIndex((candidate) => candidate.id === postId);
    if (at >= 0) this.posts.splice(at, 1);
  }

  private createPost(
    pageId: string,
    fields: Omit<EmulatedFacebookPost, 'id' | 'pageId' | 'createdAt'>,
  ): EmulatedFacebookPost {
    const post: EmulatedFacebookPost = { id: `${pageId}_${this.id()}`, pageId, createdAt: this.clock.now(), ...fields };
    this.posts.push(post);
    return post;
  }

  private routes(): void {
    const s = this.server;
    const v = this.options.apiVersion;
    const params = (request: EmulatorRequest) => {
      const merged = new URLSearchParams(request.query);
      if (request.body.length) for (const [key, value] of request.form()) merged.set(key, value);
      merged.delete('access_token');
      return merged;
    };

    // ── Facebook Login ──
    s.route('GET', `/${v}/dialog/oauth`, (request) => {
      const q = request.query;
      const redirectUri = q.get('redirect_uri');
      if (q.get('client_id') !== this.appId || !redirectUri) {
        return { status: 400, body: 'Invalid App ID or redirect_uri' };
      }
      const back = new URL(redirectUri);
      back.searchParams.set('state', q.get('state') ?? '');
      const refuse = (error: string, reason: string) => {
        back.searchParams.set('error', error);
        back.searchParams.set('error_reason', reason);
        return { status: 302, headers: { location: back.toString() } };
      };
      const challenge = q.get('code_challenge');
      if (!challenge || q.get('code_challenge_method') !== 'S256') return refuse('invalid_request', 'pkce_required');
      if (this.declineNext) {
        const error = this.declineNext;
        this.declineNext = undefined;
        return refuse(error, 'user_denied');
      }
      const userId = this.consentingUserId ?? this.createUser().id;
      this.users.get(userId)!.granted = true;
      const code = randomBytes(24).toString('base64url');
      this.codes.set(code, {
        userId,
        redirectUri,
        challenge,
        scopes: (q.get('scope') ?? '').split(',').filter(Boolean),
        expiresAt: this.clock.now() + 10 * 60_000,
        used: false,
      });
      back.searchParams.set('code', code);
      return { status: 302, headers: { location: back.toString() } };
    });

    s.route('GET', `/${v}/oauth/access_token`, (request) => {
      const q = request.query;
      if (q.get('client_id') !== this.appId || q.get('client_secret') !== this.appSecret) {
        return graphErrorResponse(400, 101, 'Error validating client secret.');
      }
      if (q.get('grant_type') === 'fb_exchange_token') {
        this.calls.longLivedExchanges++;
        const short = this.tokens.get(q.get('fb_exchange_token') ?? '');
        if (short?.revoked) {
          return graphErrorResponse(
            400,
            190,
            'Error validating access token: The user has not authorized application.',
            458,
          );
        }
        if (!short || short.kind !== 'user' || !this.alive(short)) {
          return graphErrorResponse(400, 190, 'Error validating access token: Session has expired.', 463);
        }
        const token = this.issueUserToken(short.userId, true);
        return {
          status: 200,
          body: { access_token: token, token_type: 'bearer', expires_in: this.options.longLivedTokenTtlSeconds },
        };
      }
      this.calls.codeExchanges++;
      const code = this.codes.get(q.get('code') ?? '');
      if (!code || code.used || code.expiresAt <= this.clock.now()) {
        return graphErrorResponse(400, 100, 'This authorization code has expired or been used.', 36007);
      }
      code.used = true;
      if (q.get('redirect_uri') !== code.redirectUri) {
        return graphErrorResponse(400, 100, 'redirect_uri is not identical to the one used in the OAuth dialog', 36008);
      }
      const verifier = q.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
        return graphErrorResponse(400, 100, 'The code_verifier does not match the code_challenge', 36009);
      }
      return {
        status: 200,
        body: {
          access_token: this.issueUserToken(code.userId, false),
          token_type: 'bearer',
          expires_in: this.options.shortLivedTokenTtlSeconds,
        },
      };
    });

    s.route('DELETE', `/${v}/me/permissions`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      this.calls.revocations++;
      for (const record of this.tokens.values()) if (record.userId === guard.userId) record.revoked = true;
      this.users.get(guard.userId)!.granted = false;
      return { status: 200, body: { success: true } };
    });

    s.route('GET', `/${v}/me`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      if (guard.kind === 'page') {
        const page = this.pages.get(guard.pageId!)!;
        return { status: 200, body: { id: page.id, name: page.name } };
      }
      const user = this.users.get(guard.userId)!;
      return { status: 200, body: { id: user.id, name: user.name } };
    });

    s.route('GET', `/${v}/me/accounts`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      if (guard.kind !== 'user') return graphErrorResponse(400, 100, 'Tried accessing nonexisting field (accounts)');
      const user = this.users.get(guard.userId)!;
      const data = user.pageIds.map((pageId) => {
        const page = this.pages.get(pageId)!;
        return {
          id: page.id,
          name: page.name,
          access_token: this.issuePageToken(guard.token, page.id),
          tasks: ['ANALYZE', 'ADVERTISE', 'MODERATE', 'CREATE_CONTENT', 'MANAGE'],
          picture: { data: { url: `https://scontent.example/${page.id}.jpg` } },
          ...(page.igUserId
            ? { instagram_business_account: { id: page.igUserId, username: page.igUsername, name: page.name } }
            : {}),
        };
      });
      return { status: 200, headers: this.usage(guard.token), body: { data, paging: { cursors: {} } } };
    });

    // ── Publishing ──
    s.route('POST', `/${v}/:pageId/feed`, (request) => {
      const guard = this.pageGuard(request, request.params.pageId!);
      if ('status' in guard) return guard;
      const p = params(request);
      const attached: string[] = [];
      for (const [key, value] of p) {
        if (!key.startsWith('attached_media')) continue;
        let id: string | undefined;
        try {
          id = (JSON.parse(value) as { media_fbid?: string }).media_fbid;
        } catch {
          return graphErrorResponse(400, 100, 'attached_media must be JSON objects with media_fbid');
        }
        const photo = id ? this.photos.get(id) : undefined;
        if (!photo || photo.pageId !== guard.pageId || photo.published || photo.attachedTo) {
          return graphErrorResponse(
            400,
            100,
            `(#100) attached_media ${id ?? ''} is not an unpublished photo of this page`,
          );
        }
        attached.push(photo.id);
      }
      const message = p.get('message') ?? '';
      const link = p.get('link') ?? undefined;
      if (!message && !link && !attached.length) return graphErrorResponse(400, 100, '(#100) The post is empty');
      if (message.length > 63_206) return graphErrorResponse(400, 100, '(#100) The message is too long');
      const post = this.createPost(guard.pageId!, {
        kind: 'feed',
        message,
        ...(link ? { link } : {}),
        photoIds: attached,
      });
      for (const id of attached) this.photos.get(id)!.attachedTo = post.id;
      return { status: 200, headers: this.usage(guard.token), body: { id: post.id } };
    });

    s.route('POST', `/${v}/:pageId/photos`, async (request) => {
      const guard = this.pageGuard(request, request.params.pageId!);
      if ('status' in guard) return guard;
      const p = params(request);
      const url = p.get('url');
      if (!url) return graphErrorResponse(400, 324, '(#324) Requires upload file');
      const failed = await this.download(url);
      if (failed) return graphErrorResponse(400, 324, `(#324) Missing or invalid image file (${failed})`);
      const published = p.get('published') !== 'false';
      const photo: PhotoRecord = { id: this.id(), pageId: guard.pageId!, url, published };
      this.photos.set(photo.id, photo);
      if (!published) return { status: 200, body: { id: photo.id } };
      const post = this.createPost(guard.pageId!, {
        kind: 'photo',
        message: p.get('caption') ?? '',
        photoIds: [photo.id],
      });
      photo.attachedTo = post.id;
      return { status: 200, headers: this.usage(guard.token), body: { id: photo.id, post_id: post.id } };
    });

    s.route('POST', `/${v}/:pageId/videos`, async (request) => {
      const guard = this.pageGuard(request, request.params.pageId!);
      if ('status' in guard) return guard;
      const p = params(request);
      const fileUrl = p.get('file_url');
      if (!fileUrl) return graphErrorResponse(400, 100, '(#100) file_url or an upload session is required');
      const failed = await this.download(fileUrl);
      const videoId = this.id();
      const post = this.createPost(guard.pageId!, {
        kind: 'video',
        message: p.get('description') ?? '',
        photoIds: [],
        videoId,
      });
      this.videos.set(videoId, {
        id: videoId,
        pageId: guard.pageId!,
        description: p.get('description') ?? '',
        readyAt: this.clock.now() + this.options.videoProcessingMs,
        ...(failed
          ? { error: `The video could not be downloaded (${failed})`, failsAtOnce: true }
          : this.failingVideos.length
            ? { error: this.failingVideos.shift()! }
            : {}),
        postId: post.id,
        createdAt: post.createdAt,
      });
      return { status: 200, headers: this.usage(guard.token), body: { id: videoId } };
    });

    // ── Reading ──
    s.route('GET', `/${v}/:pageId/published_posts`, (request) => {
      const guard = this.pageGuard(request, request.params.pageId!);
      if ('status' in guard) return guard;
      const limit = Math.min(100, Number(request.query.get('limit') ?? 25));
      const data = this.posts
        .filter((post) => post.pageId === guard.pageId)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit)
        .map((post) => ({
          id: post.id,
          message: post.message,
          created_time: new Date(post.createdAt).toISOString().replace(/\.\d+Z$/, '+0000'),
          permalink_url: this.permalink(post),
        }));
      return { status: 200, headers: this.usage(guard.token), body: { data } };
    });

    s.route('GET', `/${v}/:pageId/videos`, (request) => {
      const guard = this.pageGuard(request, request.params.pageId!);
      if ('status' in guard) return guard;
      const limit = Math.min(100, Number(request.query.get('limit') ?? 25));
      const data = [...this.videos.values()]
        .filter((video) => video.pageId === guard.pageId)
        .sort((a, b) => b.createdAt - a.createdAt)
        .slice(0, limit)
        .map((video) => ({
          id: video.id,
          description: video.description,
          created_time: new Date(video.createdAt).toISOString().replace(/\.\d+Z$/, '+0000'),
          permalink_url: `https://www.facebook.com/${video.pageId}/videos/${video.id}`,
        }));
      return { status: 200, body: { data } };
    });

    s.route('GET', `/${v}/:id/insights`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      const post = this.posts.find((candidate) => candidate.id === request.params.id);
      if (!post || post.pageId !== guard.pageId) return graphErrorResponse(400, 100, 'Unsupported get request', 33);
      const metrics = (request.query.get('metric') ?? '').split(',').filter(Boolean);
      const known: Record<string, number> = {
        post_impressions: this.stats(post).impressions,
        post_impressions_unique: Math.floor(this.stats(post).impressions * 0.8),
        post_clicks: this.stats(post).reactions * 2,
      };
      const unknown = metrics.find((metric) => !(metric in known));
      if (!metrics.length || unknown)
        return graphErrorResponse(400, 100, `(#100) The value must be a valid insights metric (${unknown ?? ''})`);
      return {
        status: 200,
        body: { data: metrics.map((name) => ({ name, period: 'lifetime', values: [{ value: known[name] }] })) },
      };
    });

    s.route('GET', `/${v}/:id`, (request) => {
      const guard = this.guard(request);
      if ('status' in guard) return guard;
      const id = request.params.id!;
      const page = this.pages.get(id);
      if (page) {
        if (guard.kind === 'page' ? guard.pageId !== id : !this.users.get(guard.userId)?.pageIds.includes(id)) {
          return graphErrorResponse(400, 100, 'Unsupported get request', 33);
        }
        return {
          status: 200,
          body: { id, name: page.name, followers_count: page.followers, fan_count: Math.floor(page.followers * 0.9) },
        };
      }
      const video = this.videos.get(id);
      if (video && video.pageId === guard.pageId) {
        // Graph's phases: the upload is taken, processing runs for a while and then completes or
        // fails (video_status error with the phase's errors), and only then is the video published.
        const done = video.readyAt <= this.clock.now();
        const failed = video.error !== undefined && (done || video.failsAtOnce === true);
        const status = failed ? 'error' : done ? 'ready' : 'processing';
        return {
          status: 200,
          body: {
            id,
            description: video.description,
            status: {
              video_status: status,
              uploading_phase: { status: 'complete' },
              processing_phase: {
                status: failed ? 'error' : done ? 'complete' : 'in_progress',
                ...(failed ? { errors: [{ code: 1363030, message: video.error }] } : {}),
              },
              publishing_phase: { status: status === 'ready' ? 'complete' : 'not_started' },
            },
            permalink_url: `https://www.facebook.com/${video.pageId}/videos/${video.id}`,
          },
        };
      }
      const post = this.posts.find((candidate) => candidate.id === id);
      if (post && post.pageId === guard.pageId) {
        const stats = this.stats(post);
        return {
          status: 200,
          body: {
            id,
            message: post.message,
            created_time: new Date(post.createdAt).toISOString().replace(/\.\d+Z$/, '+0000'),
            permalink_url: this.permalink(post),
            shares: { count: stats.shares },
            reactions: { data: [], summary: { total_count: stats.reactions } },
            comments: { data: [], summary: { total_count: stats.comments } },
          },
        };
      }
      return graphErrorResponse(400, 100, `Unsupported get request. Object with ID '${id}' does not exist`, 33);
    });
  }
}
