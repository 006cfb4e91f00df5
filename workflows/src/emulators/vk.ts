import { createHash, randomBytes } from 'node:crypto';
import { EmulatorClock, EmulatorServer, type EmulatorRequest, type EmulatorResponse } from './core.js';

// The VK emulator: VK ID OAuth 2.1 (PKCE, device_id, access tokens that expire, refresh tokens
// that rotate, revoke) and the API's community wall with photos: photos.getWallUploadServer →
// multipart upload → photos.saveWallPhoto → wall.post, the 50-posts-a-day limit (error 214),
// 3 requests a second per user token (error 6), wall.get / wall.getById with counts. Every API
// error is HTTP 200 with {"error":{"error_code","error_msg","request_params"}}. No deduplication.

export interface VkEmulatorOptions {
  clock?: EmulatorClock;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Wall posts per community per 24 h (50). */
  dailyPostLimit?: number;
  /** Requests per second per token (3 for user tokens). */
  requestsPerSecond?: number;
}

export interface EmulatedVkGroup {
  id: number;
  name: string;
  screenName: string;
  members: number;
  adminIds: number[];
}

export interface EmulatedVkPost {
  id: number;
  groupId: number;
  fromUserId: number;
  text: string;
  attachments: string[];
  date: number;
  /** Counts a test set; any left out grows with the time since posting. */
  counts?: Partial<VkPostCounts>;
}

export interface VkPostCounts {
  views: number;
  likes: number;
  reposts: number;
  comments: number;
}

export interface VkToken {
  userId: number;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
}

export interface VkEmulatorState {
  clientId: string;
  groups: EmulatedVkGroup[];
  posts: EmulatedVkPost[];
  users: Array<{ id: number; firstName: string; lastName: string }>;
  accessTokens: Array<[string, VkToken]>;
  refreshTokens: Array<[string, VkToken & { deviceId: string }]>;
  photos: Array<[string, { ownerId: number; id: number }]>;
  next: { user: number; group: number; photo: number; post: Array<[number, number]> };
  consentingUserId?: number;
}

function vkError(code: number, message: string, params: Record<string, string> = {}): EmulatorResponse {
  return {
    status: 200,
    body: {
      error: {
        error_code: code,
        error_msg: message,
        request_params: Object.entries(params).map(([key, value]) => ({ key, value })),
      },
    },
  };
}

function idError(status: number, error: string, description: string): EmulatorResponse {
  return { status, body: { error, error_description: description } };
}

export class VkEmulator {
  readonly server: EmulatorServer;
  /** The app id (kept across a restart by restore(), as the api and worker hold it). */
  clientId = String(50_000_000 + Math.floor(Math.random() * 9_000_000));
  readonly groups = new Map<number, EmulatedVkGroup>();
  readonly posts: EmulatedVkPost[] = [];
  readonly users = new Map<number, { id: number; firstName: string; lastName: string }>();
  readonly calls = { codeExchanges: 0, refreshes: 0, revocations: 0 };
  consentingUserId?: number;
  private declineNext?: string;
  private readonly accessTokens = new Map<string, VkToken>();
  private readonly refreshTokens = new Map<string, VkToken & { deviceId: string }>();
  private readonly codes = new Map<
    string,
    {
      userId: number;
      redirectUri: string;
      challenge: string;
      deviceId: string;
      scopes: string[];
      expiresAt: number;
      used: boolean;
    }
  >();
  private readonly uploads = new Map<string, { groupId: number; saved: boolean; bytes: number }>();
  private readonly photos = new Map<string, { ownerId: number; id: number }>();
  private readonly options: Required<Omit<VkEmulatorOptions, 'clock'>>;
  private nextUserId = 700_000;
  private nextGroupId = 220_000_000;
  private nextPhotoId = 457_239_000;
  private readonly nextPostId = new Map<number, number>();

  constructor(options: VkEmulatorOptions = {}) {
    this.options = {
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
      refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 180 * 24 * 3600,
      dailyPostLimit: options.dailyPostLimit ?? 50,
      requestsPerSecond: options.requestsPerSecond ?? 3,
    };
    this.server = new EmulatorServer({
      name: 'vk',
      clock: options.clock,
      state: () => ({ groups: [...this.groups.values()], posts: this.posts }),
      errorBody: (status, code, message) => ({
        error: {
          error_code: Number(code) || (status === 429 ? 6 : status >= 500 ? 10 : 100),
          error_msg: message,
          request_params: [],
        },
      }),
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

  /** A person who administers `groups` communities. */
  createUser(options: { groups?: number } = {}) {
    const user = { id: this.nextUserId++, firstName: 'Emulated', lastName: 'Person' };
    this.users.set(user.id, user);
    const groupIds: number[] = [];
    for (let index = 0; index < (options.groups ?? 1); index++) {
      const group: EmulatedVkGroup = {
        id: this.nextGroupId++,
        name: `Emulated Community ${index + 1}`,
        screenName: `club_emulated_${index + 1}`,
        members: 250 * (index + 1),
        adminIds: [user.id],
      };
      this.groups.set(group.id, group);
      groupIds.push(group.id);
    }
    this.consentingUserId ??= user.id;
    return { ...user, groupIds };
  }

  /** What a restart must keep: communities, people, tokens, photos and posts. */
  snapshot(): VkEmulatorState {
    return structuredClone({
      clientId: this.clientId,
      groups: [...this.groups.values()],
      posts: this.posts,
      users: [...this.users.values()],
      accessTokens: [...this.accessTokens],
      refreshTokens: [...this.refreshTokens],
      photos: [...this.photos],
      next: { user: this.nextUserId, group: this.nextGroupId, photo: this.nextPhotoId, post: [...this.nextPostId] },
      ...(this.consentingUserId !== undefined ? { consentingUserId: this.consentingUserId } : {}),
    });
  }

  /** Takes back what snapshot() gave, replacing whatever the emulator held. */
  restore(state: VkEmulatorState): void {
    const copy = structuredClone(state);
    this.clientId = copy.clientId;
    this.groups.clear();
    for (const group of copy.groups) this.groups.set(group.id, group);
    this.posts.splice(0, this.posts.length, ...copy.posts);
    this.users.clear();
    for (const user of copy.users) this.users.set(user.id, user);
    this.accessTokens.clear();
    for (const [token, record] of copy.accessTokens) this.accessTokens.set(token, record);
    this.refreshTokens.clear();
    for (const [token, record] of copy.refreshTokens) this.refreshTokens.set(token, record);
    this.photos.clear();
    for (const [key, photo] of copy.photos) this.photos.set(key, photo);
    this.nextUserId = copy.next.user;
    this.nextGroupId = copy.next.group;
    this.nextPhotoId = copy.next.photo;
    this.nextPostId.clear();
    for (const [group, id] of copy.next.post) this.nextPostId.set(group, id);
    this.consentingUserId = copy.consentingUserId;
  }

  declineNextConsent(error = 'access_denied'): void {
    this.declineNext = error;
  }

  /** Tokens as a finished VK ID login would give them. */
  issueTokens(userId: number, deviceId = randomBytes(8).toString('hex'), scopes = ['wall', 'photos', 'groups']) {
    const now = this.clock.now();
    const accessToken = `vk1.a.${randomBytes(24).toString('base64url')}`;
    const refreshToken = `vk1.r.${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(accessToken, {
      userId,
      scopes,
      expiresAt: now + this.options.accessTokenTtlSeconds * 1000,
      revoked: false,
    });
    this.refreshTokens.set(refreshToken, {
      userId,
      scopes,
      expiresAt: now + this.options.refreshTokenTtlSeconds * 1000,
      revoked: false,
      deviceId,
    });
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: randomBytes(16).toString('base64url'),
      token_type: 'Bearer',
      expires_in: this.options.accessTokenTtlSeconds,
      user_id: userId,
      scope: scopes.join(' '),
      deviceId,
    };
  }

  /** Ends an access token now (as VK does on a password change or a session logged out). */
  expireAccessToken(token: string): void {
    const record = this.accessTokens.get(token);
    if (record) record.expiresAt = this.clock.now();
  }

  private postsToday(groupId: number): number {
    const since = this.clock.now() - 24 * 3600_000;
    return this.posts.filter((post) => post.groupId === groupId && post.date > since).length;
  }

  private view(post: EmulatedVkPost) {
    const hours = Math.floor((this.clock.now() - post.date) / 3600_000);
    return {
      id: post.id,
      owner_id: -post.groupId,
      from_id: -post.groupId,
      created_by: post.fromUserId,
      date: Math.floor(post.date / 1000),
      text: post.text,
      attachments: post.attachments.map((ref) => {
        const [owner, id] = ref.replace(/^photo/, '').split('_');
        return { type: 'photo', photo: { id: Number(id), owner_id: Number(owner) } };
      }),
      views: { count: post.counts?.views ?? 25 * hours },
      likes: { count: post.counts?.likes ?? 2 * hours },
      reposts: { count: post.counts?.reposts ?? Math.floor(hours / 4) },
      comments: { count: post.counts?.comments ?? Math.floor(hours / 3) },
    };
  }

  /** Fixes a wall post's counts to these numbers. */
  setPostCounts(groupId: number, postId: number, counts: Partial<VkPostCounts>): void {
    const post = this.posts.find((candidate) => candidate.groupId === groupId && candidate.id === postId);
    if (!post) throw new Error(`no post ${postId} on community ${groupId}`);
    post.counts = { ...post.counts, ...counts };
  }

  /** The community deletes a wall post: wall.getById leaves it out from now on. */
  deletePost(groupId: number, postId: number): void {
    const at = this.posts.findIndex((candidate) => candidate.groupId === groupId && candidate.id === postId);
    if (at >= 0) this.posts.splice(at, 1);
  }

  private routes(): void {
    const s = this.server;

    // ── VK ID ──
    s.route('GET', '/authorize', (request) => {
      const q = request.query;
      const redirectUri = q.get('redirect_uri');
      if (q.get('client_id') !== this.clientId || !redirectUri)
        return { status: 400, body: 'invalid client_id or redirect_uri' };
      const back = new URL(redirectUri);
      back.searchParams.set('state', q.get('state') ?? '');
      const refuse = (error: string, description: string) => {
        back.searchParams.set('error', error);
        back.searchParams.set('error_description', description);
        return { status: 302, headers: { location: back.toString() } };
      };
      const challenge = q.get('code_challenge');
      if (!challenge || q.get('code_challenge_method') !== 'S256')
        return refuse('invalid_request', 'code_challenge S256 is required');
      if (!q.get('state') || (q.get('state') ?? '').length < 32)
        return refuse('invalid_request', 'state of 32+ characters is required');
      if (this.declineNext) {
        const error = this.declineNext;
        this.declineNext = undefined;
        return refuse(error, 'The user declined.');
      }
      const userId = this.consentingUserId ?? this.createUser().id;
      const code = randomBytes(24).toString('base64url');
      const deviceId = randomBytes(12).toString('base64url');
      this.codes.set(code, {
        userId,
        redirectUri,
        challenge,
        deviceId,
        scopes: (q.get('scope') ?? '').split(' ').filter(Boolean),
        expiresAt: this.clock.now() + 10 * 60_000,
        used: false,
      });
      back.searchParams.set('code', code);
      back.searchParams.set('device_id', deviceId);
      back.searchParams.set('type', 'code_v2');
      return { status: 302, headers: { location: back.toString() } };
    });

    s.route('POST', '/oauth2/auth', (request) => {
      const form = request.form();
      if (form.get('client_id') !== this.clientId) return idError(401, 'invalid_client', 'client_id is invalid');
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') {
        this.calls.codeExchanges++;
        const code = this.codes.get(form.get('code') ?? '');
        if (!code || code.used || code.expiresAt <= this.clock.now())
          return idError(400, 'invalid_grant', 'code is expired or invalid');
        code.used = true;
        if (form.get('redirect_uri') !== code.redirectUri)
          return idError(400, 'invalid_grant', 'redirect_uri mismatch');
        if (form.get('device_id') !== code.deviceId) return idError(400, 'invalid_grant', 'device_id mismatch');
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
          return idError(400, 'invalid_grant', 'code_verifier is invalid');
        }
        const { deviceId: _device, ...tokens } = this.issueTokens(code.userId, code.deviceId, code.scopes);
        return { status: 200, body: { ...tokens, state: form.get('state') ?? '' } };
      }
      if (grant === 'refresh_token') {
        this.calls.refreshes++;
        const record = this.refreshTokens.get(form.get('refresh_token') ?? '');
        if (!record || record.revoked || record.expiresAt <= this.clock.now()) {
          return idError(400, 'invalid_grant', 'refresh token is invalid or expired');
        }
        if (form.get('device_id') !== record.deviceId) return idError(400, 'invalid_grant', 'device_id mismatch');
        // Rotation: the old refresh token dies with this answer.
        record.revoked = true;
        const { deviceId: _device, ...tokens } = this.issueTokens(record.userId, record.deviceId, record.scopes);
        return { status: 200, body: { ...tokens, state: form.get('state') ?? '' } };
      }
      return idError(400, 'unsupported_grant_type', 'grant_type is not supported');
    });

    s.route('POST', '/oauth2/revoke', (request) => {
      const form = request.form();
      if (form.get('client_id') !== this.clientId) return idError(401, 'invalid_client', 'client_id is invalid');
      this.calls.revocations++;
      const token = form.get('access_token') ?? '';
      const record = this.accessTokens.get(token) ?? this.refreshTokens.get(token);
      if (!record) return idError(400, 'invalid_token', 'token is invalid');
      for (const map of [this.accessTokens, this.refreshTokens] as Array<Map<string, VkToken>>) {
        for (const other of map.values()) if (other.userId === record.userId) other.revoked = true;
      }
      return { status: 200, body: { response: 1 } };
    });

    // ── Photo upload server ──
    s.route('POST', '/upload/wall', async (request) => {
      const groupId = Number(request.query.get('gid'));
      const form = await new Request('http://emulator/', {
        method: 'POST',
        headers: { 'content-type': String(request.headers['content-type'] ?? '') },
        body: new Uint8Array(request.body),
      })
        .formData()
        .catch(() => undefined);
      const file = form?.get('photo');
      if (!(file instanceof Blob) || file.size === 0)
        return { status: 200, body: { server: 0, photo: '[]', hash: '' } };
      const key = randomBytes(12).toString('hex');
      this.uploads.set(key, { groupId, saved: false, bytes: file.size });
      const photo = JSON.stringify([{ photo: key, sizes: [] }]);
      return {
        status: 200,
        body: { server: 840_000 + (groupId % 1000), photo, hash: createHash('md5').update(key).digest('hex') },
      };
    });

    // ── API ──
    s.route('POST', '/method/:name', (request) => this.method(request));
    s.route('GET', '/method/:name', (request) => this.method(request));
  }

  private method(request: EmulatorRequest): EmulatorResponse {
    const params = new URLSearchParams(request.query);
    if (request.method === 'POST') for (const [key, value] of request.form()) params.set(key, value);
    const name = request.params.name!;
    const echo = { method: name, v: params.get('v') ?? '' };
    const token = request.bearer() ?? params.get('access_token') ?? '';
    const record = this.accessTokens.get(token);
    if (!record || record.revoked) return vkError(5, 'User authorization failed: invalid access_token (4).', echo);
    if (record.expiresAt <= this.clock.now())
      return vkError(5, 'User authorization failed: access_token has expired.', echo);
    if (!params.get('v')) return vkError(8, 'Invalid request: v (version) is required', echo);
    if (this.server.rateLimit(token, this.options.requestsPerSecond, 1000) > 0) {
      return vkError(6, 'Too many requests per second', echo);
    }
    const ok = (response: unknown): EmulatorResponse => ({ status: 200, body: { response } });
    const adminGroup = (raw: string | null): EmulatedVkGroup | EmulatorResponse => {
      const group = this.groups.get(Math.abs(Number(raw)));
      if (!group)
        return vkError(100, 'One of the parameters specified was missing or invalid: group_id is undefined', echo);
      if (!group.adminIds.includes(record.userId)) return vkError(15, 'Access denied: no access to this group', echo);
      return group;
    };
    const needs = (scope: string) =>
      record.scopes.includes(scope)
        ? undefined
        : vkError(15, `Access denied: no access to call this method (${scope})`, echo);

    switch (name) {
      case 'users.get': {
        const user = this.users.get(record.userId);
        return ok([
          { id: record.userId, first_name: user?.firstName ?? 'Emulated', last_name: user?.lastName ?? 'Person' },
        ]);
      }
      case 'groups.get': {
        const items = [...this.groups.values()]
          .filter((group) => params.get('filter') !== 'admin' || group.adminIds.includes(record.userId))
          .map((group) => ({
            id: group.id,
            name: group.name,
            screen_name: group.screenName,
            members_count: group.members,
            is_admin: 1,
          }));
        return ok(
          params.get('extended') === '1'
            ? { count: items.length, items }
            : { count: items.length, items: items.map((g) => g.id) },
        );
      }
      case 'groups.getById': {
        const group = this.groups.get(Math.abs(Number(params.get('group_id'))));
        if (!group)
          return vkError(100, 'One of the parameters specified was missing or invalid: group_id is undefined', echo);
        return ok({
          groups: [{ id: group.id, name: group.name, screen_name: group.screenName, members_count: group.members }],
        });
      }
      case 'photos.getWallUploadServer': {
        const denied = needs('photos');
        if (denied) return denied;
        const group = adminGroup(params.get('group_id'));
        if ('status' in group) return group;
        return ok({
          upload_url: `${this.server.baseUrl}/upload/wall?gid=${group.id}&srv=${randomBytes(6).toString('hex')}`,
          album_id: -14,
          user_id: record.userId,
        });
      }
      case 'photos.saveWallPhoto': {
        const denied = needs('photos');
        if (denied) return denied;
        const group = adminGroup(params.get('group_id'));
        if ('status' in group) return group;
        let key: string | undefined;
        try {
          key = (JSON.parse(params.get('photo') ?? '[]') as Array<{ photo?: string }>)[0]?.photo;
        } catch {
          key = undefined;
        }
        const upload = key ? this.uploads.get(key) : undefined;
        if (
          !upload ||
          upload.groupId !== group.id ||
          createHash('md5').update(key!).digest('hex') !== params.get('hash')
        ) {
          return vkError(121, 'Invalid hash', echo);
        }
        if (upload.saved)
          return vkError(100, 'One of the parameters specified was missing or invalid: photo is already saved', echo);
        upload.saved = true;
        const photo = { ownerId: -group.id, id: this.nextPhotoId++ };
        this.photos.set(`photo${photo.ownerId}_${photo.id}`, photo);
        return ok([
          { id: photo.id, owner_id: photo.ownerId, album_id: -14, date: Math.floor(this.clock.now() / 1000) },
        ]);
      }
      case 'wall.post': {
        const denied = needs('wall');
        if (denied) return denied;
        const ownerId = Number(params.get('owner_id'));
        if (!(ownerId < 0))
          return vkError(
            100,
            'One of the parameters specified was missing or invalid: owner_id must be a community',
            echo,
          );
        const group = adminGroup(String(ownerId));
        if ('status' in group) return group;
        if (params.get('from_group') !== '1')
          return vkError(214, 'Access to adding post denied: only as the community', echo);
        const attachments = (params.get('attachments') ?? '').split(',').filter(Boolean);
        const unknown = attachments.find((ref) => !this.photos.has(ref) || this.photos.get(ref)!.ownerId !== -group.id);
        if (unknown)
          return vkError(100, `One of the parameters specified was missing or invalid: attachments ${unknown}`, echo);
        const message = params.get('message') ?? '';
        if (!message && !attachments.length)
          return vkError(100, 'One of the parameters specified was missing or invalid: message is empty', echo);
        if (attachments.length > 10)
          return vkError(100, 'One of the parameters specified was missing or invalid: too many attachments', echo);
        if (this.postsToday(group.id) >= this.options.dailyPostLimit) {
          return vkError(214, 'Access to adding post denied: a post limit is reached', echo);
        }
        const id = (this.nextPostId.get(group.id) ?? 0) + 1;
        this.nextPostId.set(group.id, id);
        this.posts.push({
          id,
          groupId: group.id,
          fromUserId: record.userId,
          text: message,
          attachments,
          date: this.clock.now(),
        });
        return ok({ post_id: id });
      }
      case 'wall.get': {
        const groupId = -Number(params.get('owner_id'));
        const count = Math.min(100, Number(params.get('count') ?? 20));
        const offset = Number(params.get('offset') ?? 0);
        const all = this.posts
          .filter((post) => post.groupId === groupId)
          .sort((a, b) => b.date - a.date || b.id - a.id);
        return ok({ count: all.length, items: all.slice(offset, offset + count).map((post) => this.view(post)) });
      }
      case 'wall.getById': {
        const refs = (params.get('posts') ?? '').split(',').filter(Boolean);
        const items = refs
          .map((ref) => {
            const [owner, id] = ref.split('_').map(Number);
            return this.posts.find((post) => post.groupId === -owner! && post.id === id);
          })
          .filter((post): post is EmulatedVkPost => post !== undefined)
          .map((post) => this.view(post));
        return ok({ items });
      }
      default:
        return vkError(3, 'Unknown method passed', echo);
    }
  }
}
