import { createHash, randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { EmulatorClock, EmulatorServer, type EmulatorRequest, type EmulatorResponse } from './core.js';

// The TikTok emulator: Login Kit OAuth v2 (consent, token, refresh with rotation, revoke), the
// Display API and the Content Posting API, on one loopback port for both hosts
// (www.tiktok.com and open.tiktokapis.com). Wire format as in shared/PLATFORMS.md.

export interface TikTokEmulatorOptions {
  clock?: EmulatorClock;
  clientKey?: string;
  clientSecret?: string;
  /** Newer docs: 2 h / 180 days with rotation; older: 24 h / 365 days. */
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  rotateRefreshTokens?: boolean;
  /** Time from a finished upload / init until the platform has processed the post. */
  processingMs?: number;
  /** Time from processing until moderation makes a public post visible. */
  moderationMs?: number;
  /** Posts per user per 24 h before spam_risk_too_many_posts (unverified figure; 15–25 reported). */
  dailyPostCap?: number;
  /** Unaudited clients may only post SELF_ONLY. */
  audited?: boolean;
  /** Whether 429s carry Retry-After (TikTok documents none). */
  rateLimitRetryAfter?: boolean;
  /** URL prefixes the app has verified for PULL_FROM_URL; unset accepts any. */
  verifiedUrlPrefixes?: string[];
  /** Videos each new user starts with (for paging). */
  seededVideos?: number;
  /** Pages hold fewer than max_count even while has_more is true, as the real API may. */
  shortPages?: boolean;
  /** How the S256 challenge is encoded: TikTok uses hex (its docs and SDKs); RFC 7636 base64url. */
  pkceEncoding?: 'hex' | 'base64url';
}

export interface EmulatedTikTokUser {
  openId: string;
  unionId: string;
  displayName: string;
  username: string;
  avatarUrl: string;
  bio: string;
  isVerified: boolean;
  followerCount: number;
  followingCount: number;
  likesCount: number;
  videos: EmulatedTikTokVideo[];
}

export interface EmulatedTikTokVideo {
  id: string;
  createTimeMs: number;
  title: string;
  description: string;
  duration: number;
  likeCount: number;
  commentCount: number;
  shareCount: number;
  viewCount: number;
  publishId?: string;
}

/** One post as the platform holds it: what the init asked for, and where it got to. */
export interface EmulatedTikTokPost {
  publishId: string;
  openId: string;
  endpoint: 'video/init' | 'inbox/video/init' | 'content/init';
  request: Record<string, unknown>;
  createdAt: number;
  source: 'FILE_UPLOAD' | 'PULL_FROM_URL';
  privacyLevel?: string;
  directPost: boolean;
  videoSize?: number;
  chunkSize?: number;
  totalChunkCount?: number;
  uploadedBytes: number;
  uploadToken?: string;
  uploadExpiresAt?: number;
  readyAt?: number;
  failReason?: string;
  pull?: Promise<string | undefined>;
  videoId?: string;
}

interface TokenRecord {
  openId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

/**
 * What the platform holds, as plain JSON: the users with their videos, the posts made and
 * the tokens issued. A stack that keeps it across restarts keeps its connected accounts valid
 * and its published posts visible, as the real platform would.
 */
export interface TikTokEmulatorState {
  users: EmulatedTikTokUser[];
  posts: Array<Omit<EmulatedTikTokPost, 'pull'>>;
  accessTokens: Array<[string, TokenRecord]>;
  refreshTokens: Array<[string, TokenRecord]>;
  consentingOpenId?: string;
}

const allScopes = [
  'user.info.basic',
  'user.info.profile',
  'user.info.stats',
  'video.list',
  'video.publish',
  'video.upload',
];
const fieldScopes: Record<string, string> = {
  open_id: 'user.info.basic',
  union_id: 'user.info.basic',
  avatar_url: 'user.info.basic',
  avatar_url_100: 'user.info.basic',
  avatar_large_url: 'user.info.basic',
  display_name: 'user.info.basic',
  bio_description: 'user.info.profile',
  profile_deep_link: 'user.info.profile',
  is_verified: 'user.info.profile',
  username: 'user.info.profile',
  follower_count: 'user.info.stats',
  following_count: 'user.info.stats',
  likes_count: 'user.info.stats',
  video_count: 'user.info.stats',
};
const videoFieldNames = new Set([
  'id',
  'create_time',
  'cover_image_url',
  'share_url',
  'video_description',
  'duration',
  'height',
  'width',
  'title',
  'embed_html',
  'embed_link',
  'like_count',
  'comment_count',
  'share_count',
  'view_count',
]);

const minute = 60_000;
const day = 24 * 3600_000;

const logId = () => randomBytes(16).toString('hex').toUpperCase();

function apiError(status: number, code: string, message: string): EmulatorResponse {
  return { status, body: { data: {}, error: { code, message, log_id: logId() } } };
}

function ok(data: unknown): EmulatorResponse {
  return { status: 200, body: { data, error: { code: 'ok', message: '', log_id: logId() } } };
}

function oauthError(status: number, error: string, description: string): EmulatorResponse {
  return { status, body: { error, error_description: description, log_id: logId() } };
}

function isImage(bytes: Buffer): 'jpeg' | 'webp' | 'png' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'webp';
  if (bytes.subarray(1, 4).toString('latin1') === 'PNG') return 'png';
  return undefined;
}

export class TikTokEmulator {
  readonly server: EmulatorServer;
  readonly clientKey: string;
  readonly clientSecret: string;
  readonly users = new Map<string, EmulatedTikTokUser>();
  private readonly posts: EmulatedTikTokPost[] = [];
  private readonly codes = new Map<
    string,
    { openId: string; scopes: string[]; redirectUri: string; challenge: string; expiresAt: number; used: boolean }
  >();
  private readonly accessTokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, TokenRecord>();
  private readonly options: Required<Omit<TikTokEmulatorOptions, 'clock' | 'verifiedUrlPrefixes'>> & {
    verifiedUrlPrefixes?: string[];
  };
  private pendingFailReasons: string[] = [];
  private consentError?: string;
  /** Who approves the consent screen; the first user by default. */
  consentingOpenId?: string;
  /** How often each token was refreshed and revoked: for tests. */
  readonly calls = { tokenExchanges: 0, refreshes: 0, revocations: 0 };

  constructor(options: TikTokEmulatorOptions = {}) {
    this.server = new EmulatorServer({
      name: 'tiktok',
      clock: options.clock,
      state: () => ({ posts: this.posts.map(({ pull: _pull, uploadToken: _token, ...post }) => post) }),
      errorBody: (status, code, message) =>
        // The OAuth endpoints answer flat; everything else in the {data, error} envelope.
        ({
          data: {},
          error: {
            code: code ?? (status === 429 ? 'rate_limit_exceeded' : 'internal_error'),
            message,
            log_id: logId(),
          },
        }),
    });
    this.clientKey = options.clientKey ?? 'pressroom-emulated-client';
    this.clientSecret = options.clientSecret ?? 'pressroom-emulated-secret';
    this.options = {
      clientKey: this.clientKey,
      clientSecret: this.clientSecret,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 2 * 3600,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 180 * 24 * 3600,
      rotateRefreshTokens: options.rotateRefreshTokens ?? true,
      processingMs: options.processingMs ?? 3000,
      moderationMs: options.moderationMs ?? 10_000,
      dailyPostCap: options.dailyPostCap ?? 15,
      audited: options.audited ?? true,
      rateLimitRetryAfter: options.rateLimitRetryAfter ?? false,
      verifiedUrlPrefixes: options.verifiedUrlPrefixes,
      seededVideos: options.seededVideos ?? 3,
      shortPages: options.shortPages ?? false,
      pkceEncoding: options.pkceEncoding ?? 'hex',
    };
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

  // ── Admin (in-process) ──────────────────────────────────────────────────

  createUser(overrides: Partial<Omit<EmulatedTikTokUser, 'videos'>> = {}): EmulatedTikTokUser {
    const openId = overrides.openId ?? this.server.id('open_');
    const now = this.clock.now();
    const user: EmulatedTikTokUser = {
      openId,
      unionId: this.server.id('union_'),
      displayName: 'Emulated Creator',
      username: `creator_${openId.slice(-6)}`,
      avatarUrl: `https://p16.tiktokcdn.example/avatar/${openId}.jpeg`,
      bio: 'An account on the TikTok emulator',
      isVerified: false,
      followerCount: 1200,
      followingCount: 80,
      likesCount: 34_000,
      ...overrides,
      videos: Array.from({ length: this.options.seededVideos }, (_, i) => ({
        id: String(7_300_000_000_000_000_000n + BigInt(this.users.size * 1000 + i)),
        createTimeMs: now - (i + 1) * 3600_000,
        title: `Seeded video ${i + 1}`,
        description: `Seeded video ${i + 1} #emulator`,
        duration: 15 + i,
        likeCount: 100 * (i + 1),
        commentCount: 10 * (i + 1),
        shareCount: 5 * (i + 1),
        viewCount: 1000 * (i + 1),
      })),
    };
    this.users.set(openId, user);
    this.consentingOpenId ??= openId;
    return user;
  }

  /** Everything the platform holds (see TikTokEmulatorState); photo pulls still running are left out. */
  snapshot(): TikTokEmulatorState {
    return structuredClone({
      users: [...this.users.values()],
      posts: this.posts.map(({ pull: _pull, ...post }) => post),
      accessTokens: [...this.accessTokens],
      refreshTokens: [...this.refreshTokens],
      ...(this.consentingOpenId ? { consentingOpenId: this.consentingOpenId } : {}),
    });
  }

  /** Takes back what snapshot() gave, replacing whatever the emulator held. */
  restore(state: TikTokEmulatorState): void {
    const copy = structuredClone(state);
    this.users.clear();
    for (const user of copy.users) this.users.set(user.openId, user);
    this.posts.splice(0, this.posts.length, ...copy.posts);
    this.accessTokens.clear();
    for (const [token, record] of copy.accessTokens) this.accessTokens.set(token, record);
    this.refreshTokens.clear();
    for (const [token, record] of copy.refreshTokens) this.refreshTokens.set(token, record);
    this.consentingOpenId = copy.consentingOpenId;
  }

  /** Issues a token pair as a finished consent would, without the browser round trip. */
  issueTokens(openId: string, scopes: string[] = allScopes) {
    return this.mintTokens(openId, scopes);
  }

  /** Every post that was made, in order, including failed ones. */
  listPosts(): EmulatedTikTokPost[] {
    return [...this.posts];
  }

  /** The next post initialised ends FAILED with this fail_reason once processed. */
  failNextPublish(reason: string): void {
    this.pendingFailReasons.push(reason);
  }

  /** The next consent is declined with this OAuth error (e.g. access_denied). */
  denyNextConsent(error = 'access_denied'): void {
    this.consentError = error;
  }

  isAccessTokenValid(token: string): boolean {
    return this.checkToken(token) !== undefined;
  }

  isRefreshTokenValid(token: string): boolean {
    const record = this.refreshTokens.get(token);
    return !!record && !record.revoked && record.expiresAt > this.clock.now();
  }

  // ── Internals ───────────────────────────────────────────────────────────

  private mintTokens(openId: string, scopes: string[]) {
    const now = this.clock.now();
    const accessToken = `act.${randomBytes(24).toString('hex')}`;
    const refreshToken = `rft.${randomBytes(24).toString('hex')}`;
    this.accessTokens.set(accessToken, {
      openId,
      scopes,
      expiresAt: now + this.options.accessTokenTtlSeconds * 1000,
      revoked: false,
    });
    this.refreshTokens.set(refreshToken, {
      openId,
      scopes,
      expiresAt: now + this.options.refreshTokenTtlSeconds * 1000,
      revoked: false,
    });
    return {
      access_token: accessToken,
      expires_in: this.options.accessTokenTtlSeconds,
      open_id: openId,
      refresh_expires_in: this.options.refreshTokenTtlSeconds,
      refresh_token: refreshToken,
      scope: scopes.join(','),
      token_type: 'Bearer',
    };
  }

  private checkToken(token: string | undefined): TokenRecord | undefined {
    const record = token ? this.accessTokens.get(token) : undefined;
    if (!record || record.revoked || record.expiresAt <= this.clock.now()) return undefined;
    return record;
  }

  /** Token, scope and per-token rate limit checks shared by every API endpoint. */
  private guard(
    request: EmulatorRequest,
    endpoint: string,
    perMinute: number,
    scope?: string,
  ): { record: TokenRecord; user: EmulatedTikTokUser } | EmulatorResponse {
    const token = request.bearer();
    const record = this.checkToken(token);
    if (!record) {
      return apiError(401, 'access_token_invalid', 'The access token is invalid or not found in the request.');
    }
    if (scope && !record.scopes.includes(scope)) {
      return apiError(401, 'scope_not_authorized', `The user did not authorize the scope required: ${scope}`);
    }
    const wait = this.server.rateLimit(`${token}:${endpoint}`, perMinute, minute);
    if (wait > 0) {
      const response = apiError(429, 'rate_limit_exceeded', 'Rate limit exceeded for this endpoint');
      if (this.options.rateLimitRetryAfter) response.headers = { 'retry-after': String(wait) };
      return response;
    }
    const user = this.users.get(record.openId);
    if (!user) return apiError(401, 'access_token_invalid', 'The user behind this token no longer exists.');
    return { record, user };
  }

  /** Moves processed posts forward: a completed direct post appears in the video list. */
  private settle(post: EmulatedTikTokPost): void {
    if (post.failReason || post.videoId || post.readyAt === undefined || post.readyAt > this.clock.now()) return;
    const pending = this.pendingFor(post);
    if (pending) {
      post.failReason = pending;
      return;
    }
    if (!post.directPost) return;
    const user = this.users.get(post.openId);
    if (!user) return;
    const info = (post.request.post_info ?? {}) as { title?: string; description?: string };
    const video: EmulatedTikTokVideo = {
      id: String(7_400_000_000_000_000_000n + BigInt(this.posts.indexOf(post))),
      createTimeMs: post.readyAt,
      title: info.title ?? '',
      description: info.description ?? info.title ?? '',
      duration: post.endpoint === 'content/init' ? 0 : 15,
      likeCount: 0,
      commentCount: 0,
      shareCount: 0,
      viewCount: 0,
      publishId: post.publishId,
    };
    user.videos.push(video);
    post.videoId = video.id;
  }

  private failReasons = new WeakMap<EmulatedTikTokPost, string>();

  private pendingFor(post: EmulatedTikTokPost): string | undefined {
    return this.failReasons.get(post);
  }

  private async statusOf(post: EmulatedTikTokPost) {
    const pullFailure = post.pull ? await post.pull : undefined;
    if (pullFailure && !post.failReason) post.failReason = pullFailure;
    this.settle(post);
    const base = { uploaded_bytes: post.uploadedBytes, downloaded_bytes: post.uploadedBytes };
    if (post.failReason) return { ...base, status: 'FAILED', fail_reason: post.failReason };
    if (post.readyAt === undefined) return { ...base, status: 'PROCESSING_UPLOAD' };
    if (post.readyAt > this.clock.now()) {
      return { ...base, status: post.source === 'PULL_FROM_URL' ? 'PROCESSING_DOWNLOAD' : 'PROCESSING_UPLOAD' };
    }
    if (!post.directPost) return { ...base, status: 'SEND_TO_USER_INBOX' };
    const moderated = post.readyAt + this.options.moderationMs <= this.clock.now();
    const visible = moderated && post.privacyLevel !== 'SELF_ONLY' && post.videoId;
    return {
      ...base,
      status: 'PUBLISH_COMPLETE',
      // Kept as strings here; sent as bare integers (see the status route), as TikTok does.
      publicaly_available_post_id: visible ? [post.videoId!] : [],
    };
  }

  private postsToday(openId: string): number {
    const since = this.clock.now() - day;
    return this.posts.filter((post) => post.openId === openId && post.createdAt > since).length;
  }

  private async pullPhotos(urls: string[]): Promise<string | undefined> {
    for (const url of urls) {
      let bytes: Buffer;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        if (!response.ok) return 'photo_pull_failed';
        bytes = Buffer.from(await response.arrayBuffer());
      } catch {
        return 'photo_pull_failed';
      }
      const format = isImage(bytes);
      if (format !== 'jpeg' && format !== 'webp') return 'file_format_check_failed';
      if (bytes.length > 20 * 1024 * 1024) return 'picture_size_check_failed';
      const meta = await sharp(bytes)
        .metadata()
        .catch(() => undefined);
      if (!meta?.width || !meta.height) return 'file_format_check_failed';
      // "1080p": neither side over 1920 and the short side at most 1080.
      if (Math.max(meta.width, meta.height) > 1920 || Math.min(meta.width, meta.height) > 1080) {
        return 'picture_size_check_failed';
      }
    }
    return undefined;
  }

  private async pullVideo(url: string): Promise<string | undefined> {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      if (!response.ok) return 'video_pull_failed';
      const bytes = Buffer.from(await response.arrayBuffer());
      return bytes.length ? undefined : 'file_format_check_failed';
    } catch {
      return 'video_pull_failed';
    }
  }

  private unverifiedUrl(urls: string[]): boolean {
    const prefixes = this.options.verifiedUrlPrefixes;
    return !!prefixes && urls.some((url) => !prefixes.some((prefix) => url.startsWith(prefix)));
  }

  private privacyOptions(): string[] {
    return this.options.audited ? ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'] : ['SELF_ONLY'];
  }

  /** Checks shared by the three init endpoints; undefined when the post may be made. */
  private refuseInit(user: EmulatedTikTokUser, privacyLevel: string | undefined, needsPrivacy: boolean) {
    if (this.postsToday(user.openId) >= this.options.dailyPostCap) {
      return apiError(403, 'spam_risk_too_many_posts', 'The user has reached the daily post cap.');
    }
    if (!needsPrivacy) return undefined;
    if (!privacyLevel) return apiError(400, 'invalid_params', 'post_info.privacy_level is required');
    if (!this.options.audited && privacyLevel !== 'SELF_ONLY') {
      return apiError(
        403,
        'unaudited_client_can_only_post_to_private_accounts',
        'Unaudited clients can only post with SELF_ONLY visibility.',
      );
    }
    if (!this.privacyOptions().includes(privacyLevel)) {
      return apiError(400, 'privacy_level_option_mismatch', 'privacy_level is not one of the creator options');
    }
    return undefined;
  }

  private newPost(
    user: EmulatedTikTokUser,
    endpoint: EmulatedTikTokPost['endpoint'],
    request: Record<string, unknown>,
    fields: Partial<EmulatedTikTokPost>,
  ) {
    const post: EmulatedTikTokPost = {
      publishId: `v_pub_${endpoint === 'content/init' ? 'photo' : 'video'}~v2.${randomBytes(10).toString('hex')}`,
      openId: user.openId,
      endpoint,
      request,
      createdAt: this.clock.now(),
      source: 'PULL_FROM_URL',
      directPost: true,
      uploadedBytes: 0,
      ...fields,
    };
    const failReason = this.pendingFailReasons.shift();
    if (failReason) this.failReasons.set(post, failReason);
    this.posts.push(post);
    return post;
  }

  private routes(): void {
    const s = this.server;

    // ── OAuth ──
    s.route('GET', '/v2/auth/authorize/', (request) => {
      const q = request.query;
      const redirectUri = q.get('redirect_uri');
      if (q.get('client_key') !== this.clientKey || !redirectUri) {
        return { status: 400, body: 'client_key or redirect_uri is invalid' };
      }
      const back = new URL(redirectUri);
      back.searchParams.set('state', q.get('state') ?? '');
      const refuse = (error: string, description: string) => {
        back.searchParams.set('error', error);
        back.searchParams.set('error_description', description);
        return { status: 302, headers: { location: back.toString() } };
      };
      if (q.get('response_type') !== 'code') return refuse('invalid_request', 'response_type must be code');
      const challenge = q.get('code_challenge');
      if (!challenge || q.get('code_challenge_method') !== 'S256') {
        return refuse('invalid_request', 'code_challenge with code_challenge_method=S256 is required');
      }
      const scopes = (q.get('scope') ?? '').split(',').filter(Boolean);
      if (scopes.some((scope) => !allScopes.includes(scope))) return refuse('invalid_scope', 'unknown scope');
      if (this.consentError) {
        const error = this.consentError;
        this.consentError = undefined;
        return refuse(error, 'The user declined the authorization.');
      }
      const openId = this.consentingOpenId ?? this.createUser().openId;
      const code = randomBytes(24).toString('base64url');
      this.codes.set(code, {
        openId,
        scopes,
        redirectUri,
        challenge,
        expiresAt: this.clock.now() + 10 * minute,
        used: false,
      });
      back.searchParams.set('code', code);
      back.searchParams.set('scopes', scopes.join(','));
      return { status: 302, headers: { location: back.toString() } };
    });

    s.route('POST', '/v2/oauth/token/', (request) => {
      const form = request.form();
      if (form.get('client_key') !== this.clientKey || form.get('client_secret') !== this.clientSecret) {
        return oauthError(401, 'invalid_client', 'Client key or secret is incorrect.');
      }
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') {
        this.calls.tokenExchanges++;
        const code = this.codes.get(form.get('code') ?? '');
        if (!code || code.used || code.expiresAt <= this.clock.now()) {
          return oauthError(400, 'invalid_grant', 'Authorization code is expired or invalid.');
        }
        // Single use, even when the rest of the request is wrong.
        code.used = true;
        if (form.get('redirect_uri') !== code.redirectUri) {
          return oauthError(400, 'invalid_grant', 'redirect_uri does not match the authorization request.');
        }
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest(this.options.pkceEncoding) !== code.challenge) {
          return oauthError(400, 'invalid_grant', 'Code verifier or code challenge is invalid.');
        }
        return { status: 200, body: this.mintTokens(code.openId, code.scopes) };
      }
      if (grant === 'refresh_token') {
        this.calls.refreshes++;
        const token = form.get('refresh_token') ?? '';
        const record = this.refreshTokens.get(token);
        if (!record || record.revoked || record.expiresAt <= this.clock.now()) {
          return oauthError(400, 'invalid_grant', 'Refresh token is invalid or expired.');
        }
        if (this.options.rotateRefreshTokens) {
          record.revoked = true;
          return { status: 200, body: this.mintTokens(record.openId, record.scopes) };
        }
        const minted = this.mintTokens(record.openId, record.scopes);
        this.refreshTokens.delete(minted.refresh_token);
        return {
          status: 200,
          body: {
            ...minted,
            refresh_token: token,
            refresh_expires_in: Math.floor((record.expiresAt - this.clock.now()) / 1000),
          },
        };
      }
      return oauthError(400, 'unsupported_grant_type', 'grant_type is not supported.');
    });

    s.route('POST', '/v2/oauth/revoke/', (request) => {
      const form = request.form();
      if (form.get('client_key') !== this.clientKey || form.get('client_secret') !== this.clientSecret) {
        return oauthError(401, 'invalid_client', 'Client key or secret is incorrect.');
      }
      this.calls.revocations++;
      const token = form.get('token') ?? '';
      const record = this.accessTokens.get(token) ?? this.refreshTokens.get(token);
      if (record) {
        // Revoking takes the whole authorization away: every token of that user for this app.
        for (const map of [this.accessTokens, this.refreshTokens]) {
          for (const other of map.values()) if (other.openId === record.openId) other.revoked = true;
        }
      }
      return { status: 200, body: {} };
    });

    // ── Display API ──
    s.route('GET', '/v2/user/info/', (request) => {
      const guard = this.guard(request, 'user/info', 600);
      if ('status' in guard) return guard;
      const fields = (request.query.get('fields') ?? '').split(',').filter(Boolean);
      if (!fields.length || fields.some((field) => !fieldScopes[field])) {
        return apiError(400, 'invalid_params', 'fields is missing or holds an unknown field');
      }
      const missing = fields.map((field) => fieldScopes[field]!).find((scope) => !guard.record.scopes.includes(scope));
      if (missing)
        return apiError(401, 'scope_not_authorized', `The user did not authorize the scope required: ${missing}`);
      const user = guard.user;
      const values: Record<string, unknown> = {
        open_id: user.openId,
        union_id: user.unionId,
        avatar_url: user.avatarUrl,
        avatar_url_100: user.avatarUrl,
        avatar_large_url: user.avatarUrl,
        display_name: user.displayName,
        bio_description: user.bio,
        profile_deep_link: `https://vm.tiktok.example/${user.username}`,
        is_verified: user.isVerified,
        username: user.username,
        follower_count: user.followerCount,
        following_count: user.followingCount,
        likes_count: user.likesCount,
        video_count: user.videos.length,
      };
      return ok({ user: Object.fromEntries(fields.map((field) => [field, values[field]])) });
    });

    const videoFields = (request: EmulatorRequest) => {
      const fields = (request.query.get('fields') ?? '').split(',').filter(Boolean);
      return fields.length && fields.every((field) => videoFieldNames.has(field)) ? fields : undefined;
    };
    const renderVideo = (user: EmulatedTikTokUser, video: EmulatedTikTokVideo, fields: string[]) => {
      const values: Record<string, unknown> = {
        id: video.id,
        create_time: Math.floor(video.createTimeMs / 1000),
        // Signed CDN URLs expire within hours on the real platform.
        cover_image_url: `https://p16.tiktokcdn.example/cover/${video.id}.jpeg?x-expires=${Math.floor(this.clock.now() / 1000) + 6 * 3600}`,
        share_url: `https://www.tiktok.example/@${user.username}/video/${video.id}`,
        video_description: video.description,
        duration: video.duration,
        height: 1920,
        width: 1080,
        title: video.title,
        embed_html: '',
        embed_link: `https://www.tiktok.example/embed/${video.id}`,
        like_count: video.likeCount,
        comment_count: video.commentCount,
        share_count: video.shareCount,
        view_count: video.viewCount,
      };
      return Object.fromEntries(fields.map((field) => [field, values[field]]));
    };
    const settleUser = (openId: string) => {
      for (const post of this.posts) if (post.openId === openId) this.settle(post);
    };

    s.route('POST', '/v2/video/list/', (request) => {
      const guard = this.guard(request, 'video/list', 600, 'video.list');
      if ('status' in guard) return guard;
      const fields = videoFields(request);
      const body = request.json<{ cursor?: number; max_count?: number }>();
      const maxCount = body.max_count ?? 10;
      if (!fields || !Number.isInteger(maxCount) || maxCount < 1 || maxCount > 20) {
        return apiError(400, 'invalid_params', 'fields or max_count (1–20) is invalid');
      }
      settleUser(guard.user.openId);
      const newestFirst = [...guard.user.videos].sort((a, b) => b.createTimeMs - a.createTimeMs);
      const after = body.cursor ? newestFirst.filter((video) => video.createTimeMs < body.cursor!) : newestFirst;
      const size = this.options.shortPages ? Math.max(1, maxCount - 2) : maxCount;
      const page = after.slice(0, size);
      const last = page[page.length - 1];
      return ok({
        videos: page.map((video) => renderVideo(guard.user, video, fields)),
        cursor: last ? last.createTimeMs : (body.cursor ?? 0),
        has_more: after.length > page.length,
      });
    });

    s.route('POST', '/v2/video/query/', (request) => {
      const guard = this.guard(request, 'video/query', 600, 'video.list');
      if ('status' in guard) return guard;
      const fields = videoFields(request);
      const ids = request.json<{ filters?: { video_ids?: string[] } }>().filters?.video_ids;
      if (!fields || !Array.isArray(ids) || ids.length === 0 || ids.length > 20) {
        return apiError(400, 'invalid_params', 'fields or filters.video_ids (1–20) is invalid');
      }
      settleUser(guard.user.openId);
      const videos = guard.user.videos.filter((video) => ids.includes(video.id));
      return ok({ videos: videos.map((video) => renderVideo(guard.user, video, fields)), cursor: 0, has_more: false });
    });

    // ── Content Posting API ──
    s.route('POST', '/v2/post/publish/creator_info/query/', (request) => {
      const guard = this.guard(request, 'creator_info', 20, 'video.publish');
      if ('status' in guard) return guard;
      if (this.postsToday(guard.user.openId) >= this.options.dailyPostCap) {
        // Reported with HTTP 200 here, unlike the init endpoints.
        return {
          status: 200,
          body: {
            data: {},
            error: {
              code: 'spam_risk_too_many_posts',
              message: 'The user has reached the daily post cap.',
              log_id: logId(),
            },
          },
        };
      }
      return ok({
        creator_avatar_url: guard.user.avatarUrl,
        creator_username: guard.user.username,
        creator_nickname: guard.user.displayName,
        privacy_level_options: this.privacyOptions(),
        comment_disabled: false,
        duet_disabled: false,
        stitch_disabled: true,
        max_video_post_duration_sec: 600,
      });
    });

    const videoInit = (endpoint: 'video/init' | 'inbox/video/init') => (request: EmulatorRequest) => {
      const inbox = endpoint === 'inbox/video/init';
      const guard = this.guard(request, endpoint, 6, inbox ? 'video.upload' : 'video.publish');
      if ('status' in guard) return guard;
      const body = request.json<{
        post_info?: { privacy_level?: string; title?: string };
        source_info?: {
          source?: string;
          video_size?: number;
          chunk_size?: number;
          total_chunk_count?: number;
          video_url?: string;
        };
      }>();
      const source = body.source_info;
      if (!source) return apiError(400, 'invalid_params', 'source_info is required');
      if (!inbox && (body.post_info?.title?.length ?? 0) > 2200) {
        return apiError(400, 'invalid_params', 'post_info.title is longer than 2200 characters');
      }
      const refused = this.refuseInit(guard.user, body.post_info?.privacy_level, !inbox);
      if (refused) return refused;
      const common = { privacyLevel: body.post_info?.privacy_level, directPost: !inbox };
      if (source.source === 'FILE_UPLOAD') {
        const { video_size: size, chunk_size: chunk, total_chunk_count: total } = source;
        if (!size || !chunk || !total || !this.validChunking(size, chunk, total)) {
          return apiError(400, 'invalid_params', 'video_size, chunk_size and total_chunk_count do not agree');
        }
        const uploadToken = randomBytes(16).toString('hex');
        const post = this.newPost(guard.user, endpoint, body, {
          ...common,
          source: 'FILE_UPLOAD',
          videoSize: size,
          chunkSize: chunk,
          totalChunkCount: total,
          uploadToken,
          uploadExpiresAt: this.clock.now() + 3600_000,
        });
        const uploadUrl = `${this.server.baseUrl}/upload/video/?upload_id=${encodeURIComponent(post.publishId)}&upload_token=${uploadToken}`;
        return ok({ publish_id: post.publishId, upload_url: uploadUrl });
      }
      if (source.source === 'PULL_FROM_URL') {
        if (!source.video_url) return apiError(400, 'invalid_params', 'source_info.video_url is required');
        if (this.unverifiedUrl([source.video_url])) {
          return apiError(403, 'url_ownership_unverified', 'The video_url domain or prefix is not verified.');
        }
        const post = this.newPost(guard.user, endpoint, body, {
          ...common,
          readyAt: this.clock.now() + this.options.processingMs,
          pull: this.pullVideo(source.video_url),
        });
        return ok({ publish_id: post.publishId });
      }
      return apiError(400, 'invalid_params', 'source_info.source must be FILE_UPLOAD or PULL_FROM_URL');
    };
    s.route('POST', '/v2/post/publish/video/init/', videoInit('video/init'));
    s.route('POST', '/v2/post/publish/inbox/video/init/', videoInit('inbox/video/init'));

    s.route('POST', '/v2/post/publish/content/init/', (request) => {
      const guard = this.guard(request, 'content/init', 6, 'video.publish');
      if ('status' in guard) return guard;
      const body = request.json<{
        post_info?: { title?: string; description?: string; privacy_level?: string };
        source_info?: { source?: string; photo_images?: string[]; photo_cover_index?: number };
        post_mode?: string;
        media_type?: string;
      }>();
      const images = body.source_info?.photo_images;
      if (body.media_type !== 'PHOTO') return apiError(400, 'invalid_params', 'media_type must be PHOTO');
      if (body.post_mode !== 'DIRECT_POST' && body.post_mode !== 'MEDIA_UPLOAD') {
        return apiError(400, 'invalid_params', 'post_mode must be DIRECT_POST or MEDIA_UPLOAD');
      }
      if (
        body.source_info?.source !== 'PULL_FROM_URL' ||
        !Array.isArray(images) ||
        !images.length ||
        images.length > 35
      ) {
        return apiError(400, 'invalid_params', 'source_info needs PULL_FROM_URL and 1–35 photo_images');
      }
      const cover = body.source_info.photo_cover_index ?? 0;
      if (!Number.isInteger(cover) || cover < 0 || cover >= images.length) {
        return apiError(400, 'invalid_params', 'photo_cover_index is out of range');
      }
      if ((body.post_info?.title?.length ?? 0) > 90 || (body.post_info?.description?.length ?? 0) > 4000) {
        return apiError(400, 'invalid_params', 'title (<= 90) or description (<= 4000) is too long');
      }
      const direct = body.post_mode === 'DIRECT_POST';
      const refused = this.refuseInit(guard.user, body.post_info?.privacy_level, direct);
      if (refused) return refused;
      if (this.unverifiedUrl(images)) {
        return apiError(403, 'url_ownership_unverified', 'A photo URL domain or prefix is not verified.');
      }
      const post = this.newPost(guard.user, 'content/init', body, {
        privacyLevel: body.post_info?.privacy_level,
        directPost: direct,
        readyAt: this.clock.now() + this.options.processingMs,
        pull: this.pullPhotos(images),
      });
      return ok({ publish_id: post.publishId });
    });

    s.route('PUT', '/upload/video/', (request) => {
      const post = this.posts.find((candidate) => candidate.publishId === request.query.get('upload_id'));
      if (!post || post.uploadToken !== request.query.get('upload_token')) {
        return { status: 404, body: 'unknown upload' };
      }
      if ((post.uploadExpiresAt ?? 0) <= this.clock.now()) {
        return { status: 403, body: 'the upload URL has expired' };
      }
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(request.headers['content-range'] ?? ''));
      const size = post.videoSize!;
      const chunk = post.chunkSize!;
      const index = Math.floor(post.uploadedBytes / chunk);
      const last = index === post.totalChunkCount! - 1;
      const expectedEnd = last ? size - 1 : post.uploadedBytes + chunk - 1;
      if (
        !range ||
        Number(range[1]) !== post.uploadedBytes ||
        Number(range[2]) !== expectedEnd ||
        Number(range[3]) !== size ||
        request.body.length !== expectedEnd - post.uploadedBytes + 1
      ) {
        return { status: 416, headers: { 'content-range': `bytes */${size}` }, body: '' };
      }
      post.uploadedBytes = expectedEnd + 1;
      if (post.uploadedBytes < size) return { status: 206, body: '' };
      post.readyAt = this.clock.now() + this.options.processingMs;
      return { status: 201, body: '' };
    });

    s.route('POST', '/v2/post/publish/status/fetch/', async (request) => {
      const guard = this.guard(request, 'status/fetch', 30);
      if ('status' in guard) return guard;
      const publishId = request.json<{ publish_id?: string }>().publish_id;
      const post = this.posts.find((candidate) => candidate.publishId === publishId);
      if (!post || post.openId !== guard.user.openId) {
        return apiError(400, 'invalid_params', 'publish_id does not exist');
      }
      // TikTok sends the post ids as JSON integers wider than a double holds; JSON.stringify
      // cannot write them, so they are written into the text as bare digits.
      const text = JSON.stringify(ok(await this.statusOf(post)).body).replace(
        /"publicaly_available_post_id":\[([^\]]*)\]/,
        (_match, ids: string) => `"publicaly_available_post_id":[${ids.replace(/"/g, '')}]`,
      );
      return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: text };
    });
  }

  private validChunking(size: number, chunk: number, total: number): boolean {
    const mb = 1024 * 1024;
    if (size < 5 * mb) return chunk === size && total === 1;
    if (chunk < 5 * mb || chunk > 64 * mb || chunk > size) return false;
    if (total !== Math.floor(size / chunk)) return false;
    return size - (total - 1) * chunk <= 128 * mb;
  }
}
