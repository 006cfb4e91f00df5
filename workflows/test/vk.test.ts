import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VkEmulator } from '../src/emulators/vk.js';
import { createVkClient, vkCodeChallenge, type VkClient } from '../src/platforms/vk/index.js';
import { staticAccessToken, type AccessTokenSource } from '../src/platforms/tokens.js';
import { caught, solidImage } from './helpers.js';

describe('VK client against the VK emulator', () => {
  let emulator: VkEmulator;
  let client: VkClient;
  let jpeg: Buffer;
  const waits: number[] = [];

  beforeAll(async () => {
    emulator = new VkEmulator({ dailyPostLimit: 3 });
    const baseUrl = await emulator.start();
    client = createVkClient({
      apiBaseUrl: baseUrl,
      idBaseUrl: baseUrl,
      clientId: emulator.clientId,
      now: () => emulator.clock.now(),
      http: {
        sleep: (ms) => {
          waits.push(ms);
          emulator.clock.advance(ms);
          return Promise.resolve();
        },
      },
    });
    jpeg = await solidImage(1080, 1350, 'jpeg');
  });
  afterAll(() => emulator.stop());
  beforeEach(() => {
    waits.length = 0;
    emulator.server.resetRateLimits();
    emulator.server.clearFaults();
  });

  function community() {
    const user = emulator.createUser();
    const issued = emulator.issueTokens(user.id);
    return { user, groupId: String(user.groupIds[0]), tokens: staticAccessToken(issued.access_token), issued };
  }

  async function photo(tokens: AccessTokenSource, groupId: string) {
    const uploadUrl = await client.wallUploadServer(tokens, groupId);
    const uploaded = await client.uploadWallPhoto(uploadUrl, {
      data: jpeg,
      filename: 'slide.jpg',
      contentType: 'image/jpeg',
    });
    return client.saveWallPhoto(tokens, groupId, uploaded);
  }

  it('posts on a community wall with photos: upload server, upload, save, wall.post', async () => {
    const { groupId, tokens } = community();
    const attachments = [await photo(tokens, groupId), await photo(tokens, groupId)];
    expect(attachments[0]).toMatch(new RegExp(`^photo-${groupId}_\\d+$`));
    const postId = await client.wallPost(tokens, groupId, { message: 'Brew better #coffee', attachments });
    const [post] = await client.postsById(tokens, groupId, [postId]);
    expect(post).toMatchObject({ id: postId, owner_id: -Number(groupId), text: 'Brew better #coffee' });
    expect(post!.attachments!.map((a) => `photo${a.photo!.owner_id}_${a.photo!.id}`)).toEqual(attachments);
    expect(client.postUrl(groupId, postId)).toBe(`https://vk.com/wall-${groupId}_${postId}`);
    // An uploaded photo is saved once.
    const uploadUrl = await client.wallUploadServer(tokens, groupId);
    const uploaded = await client.uploadWallPhoto(uploadUrl, {
      data: jpeg,
      filename: 'a.jpg',
      contentType: 'image/jpeg',
    });
    await client.saveWallPhoto(tokens, groupId, uploaded);
    expect(await caught(client.saveWallPhoto(tokens, groupId, uploaded))).toMatchObject({
      category: 'REJECTED_BY_PLATFORM',
      code: '100',
    });
  });

  it('answers errors with HTTP 200 and error_code: the code decides, and the daily post limit is 214', async () => {
    const { groupId, tokens, user } = community();
    for (const n of [1, 2, 3]) await client.wallPost(tokens, groupId, { message: `post ${n}` });
    expect(await client.postsInLastDay(tokens, groupId)).toBe(3);
    const limit = await caught(client.wallPost(tokens, groupId, { message: 'post 4' }));
    expect(limit).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: '214', status: 200 });
    emulator.clock.advance(24 * 3600_000);
    // The access token lives an hour: a day later it is expired.
    expect(await caught(client.postsInLastDay(tokens, groupId))).toMatchObject({
      category: 'TOKEN_EXPIRED',
      code: '5',
    });
    const fresh = staticAccessToken(emulator.issueTokens(user.id).access_token);
    expect(await client.postsInLastDay(fresh, groupId)).toBe(0);
    await client.wallPost(fresh, groupId, { message: 'post 4' });

    const stranger = community();
    const denied = await caught(client.wallPost(stranger.tokens, groupId, { message: 'not mine' }));
    expect(denied).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: '15' });
    expect(await caught(client.wallPost(staticAccessToken('nope'), groupId, { message: 'x' }))).toMatchObject({
      category: 'TOKEN_EXPIRED',
      code: '5',
    });
  });

  it('waits out "too many requests per second" (error 6)', async () => {
    const { groupId, tokens } = community();
    for (let i = 0; i < 3; i++) await client.group(tokens, groupId);
    const group = await client.group(tokens, groupId);
    expect(group).toMatchObject({ id: Number(groupId), members_count: 250 });
    expect(waits).toEqual([1_000]);
  });

  it('does not deduplicate; a lost wall.post is OUTCOME_UNKNOWN and the wall shows the one post', async () => {
    const { groupId, tokens } = community();
    await client.wallPost(tokens, groupId, { message: 'twice' });
    emulator.clock.advance(1_000);
    await client.wallPost(tokens, groupId, { message: 'twice' });
    expect(emulator.posts.filter((post) => String(post.groupId) === groupId)).toHaveLength(2);

    emulator.server.inject({ pathPrefix: '/method/wall.post' }, { kind: 'lost-response' });
    const lost = await caught(client.wallPost(tokens, groupId, { message: 'lost' }));
    expect(lost.category).toBe('OUTCOME_UNKNOWN');
    const wall = await client.wall(tokens, groupId);
    expect(wall.items.filter((post) => post.text === 'lost')).toHaveLength(1);
    expect(wall.items[0]!.text).toBe('lost');

    emulator.server.inject({ pathPrefix: '/method/wall.post' }, { kind: 'status', status: 500 });
    expect((await caught(client.wallPost(tokens, groupId, { message: 'x' }))).category).toBe('OUTCOME_UNKNOWN');
    emulator.server.inject({ pathPrefix: '/method/wall.post' }, { kind: 'status', status: 400 });
    expect((await caught(client.wallPost(tokens, groupId, { message: 'x' }))).category).toBe('REJECTED_BY_PLATFORM');
    // VK's internal error (code 10) on a read is retried.
    emulator.server.inject({ pathPrefix: '/method/wall.get' }, { kind: 'status', status: 500, code: '10' });
    await expect(client.wall(tokens, groupId)).resolves.toMatchObject({ count: 2 + 1 });
  });

  it('connects through VK ID with PKCE and device_id; expired tokens refresh with rotation; revoke ends the grant', async () => {
    const user = emulator.createUser({ groups: 2 });
    emulator.consentingUserId = user.id;
    const verifier = 'v'.repeat(64);
    const state = 's'.repeat(40);
    const redirectUri = 'http://127.0.0.1:9/connect/vk/callback';
    const consent = await fetch(
      client.authorizeUrl({
        redirectUri,
        state,
        codeChallenge: vkCodeChallenge(verifier),
        scopes: ['wall', 'photos', 'groups'],
      }),
      { redirect: 'manual' },
    );
    const back = new URL(consent.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe(state);
    const deviceId = back.searchParams.get('device_id')!;
    const issued = await client.exchangeCode({
      code: back.searchParams.get('code')!,
      redirectUri,
      codeVerifier: verifier,
      deviceId,
      state,
    });
    expect(issued).toMatchObject({ userId: String(user.id), scopes: ['wall', 'photos', 'groups'] });
    expect(issued.refreshToken).toBeDefined();

    let current = issued.accessToken;
    let refreshToken = issued.refreshToken!;
    let refreshes = 0;
    const tokens: AccessTokenSource = {
      accessToken: () => Promise.resolve(current),
      refresh: async () => {
        refreshes++;
        const next = await client.refresh(refreshToken, deviceId);
        current = next.accessToken;
        refreshToken = next.refreshToken!;
        return current;
      },
    };
    expect((await client.adminGroups(tokens)).map((group) => group.id)).toEqual(user.groupIds);
    const old = refreshToken;
    emulator.clock.advance(3600_000);
    await client.wallPost(tokens, String(user.groupIds[0]), { message: 'after refresh' });
    expect(refreshes).toBe(1);
    // Rotation: the old refresh token is dead.
    expect(await caught(client.refresh(old, deviceId))).toMatchObject({
      category: 'REJECTED_BY_PLATFORM',
      code: 'invalid_grant',
    });
    // Stats grow with time.
    emulator.clock.advance(4 * 3600_000);
    const [post] = (await client.wall(tokens, String(user.groupIds[0]))).items;
    expect(post).toMatchObject({
      views: { count: 100 },
      likes: { count: 8 },
      reposts: { count: 1 },
      comments: { count: 1 },
    });

    await client.revoke(current);
    expect((await caught(client.currentUser(staticAccessToken(current)))).category).toBe('TOKEN_EXPIRED');
    expect(await caught(client.refresh(refreshToken, deviceId))).toMatchObject({ code: 'invalid_grant' });
  });
});
