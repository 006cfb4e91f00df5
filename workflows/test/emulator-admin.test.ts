import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { staticAccessToken } from '../src/platforms/tokens.js';
import { createTikTokClient, type TikTokClient } from '../src/platforms/tiktok/index.js';

// The HTTP admin interface every emulator has (core.ts), used here on the TikTok one.
describe('emulator HTTP admin interface', () => {
  let emulator: TikTokEmulator;
  let baseUrl: string;
  let client: TikTokClient;

  beforeAll(async () => {
    emulator = new TikTokEmulator();
    baseUrl = await emulator.start();
    client = createTikTokClient({
      clientKey: emulator.clientKey,
      clientSecret: emulator.clientSecret,
      authBaseUrl: baseUrl,
      apiBaseUrl: baseUrl,
      http: { maxRetries: 0 },
    });
  });
  afterAll(async () => {
    await emulator.stop();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${baseUrl}/__admin/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('arms faults, moves the clock and shows what was posted', async () => {
    const user = emulator.createUser();
    const source = staticAccessToken(emulator.issueTokens(user.openId).access_token);
    const armed = await admin('POST', 'faults', {
      pathPrefix: '/v2/post/publish/creator_info/',
      fault: { kind: 'status', status: 503 },
    });
    expect(armed.status).toBe(201);
    await expect(client.creatorInfo(source)).rejects.toMatchObject({ category: 'TRANSIENT', status: 503 });
    expect((await client.creatorInfo(source)).creator_username).toBe(user.username);

    const { publish_id } = await client.initVideo(source, {
      postInfo: { title: 'From the admin test', privacy_level: 'SELF_ONLY' },
      source: { source: 'FILE_UPLOAD', videoSize: 1000 },
    });
    const state = (await (await admin('GET', 'state')).json()) as { posts: Array<{ publishId: string }> };
    expect(state.posts.map((post) => post.publishId)).toContain(publish_id);

    const before = emulator.clock.now();
    const moved = await admin('POST', 'clock', { advanceMs: 3_600_000 });
    expect(moved.status).toBe(200);
    expect(emulator.clock.now() - before).toBeGreaterThanOrEqual(3_600_000);

    const log = (await (await admin('GET', 'requests')).json()) as Array<{ path: string }>;
    expect(log.some((entry) => entry.path === '/v2/post/publish/video/init/')).toBe(true);
    expect((await admin('POST', 'faults', { fault: { kind: 'nonsense' } })).status).toBe(400);
  });

  it('stalls the platform: requests wait unanswered until resumed, then are handled; one whose client gave up never runs', async () => {
    const user = emulator.createUser();
    const source = staticAccessToken(emulator.issueTokens(user.openId).access_token);
    expect((await admin('POST', 'stall')).status).toBe(200);
    const before = emulator.server.requests.length;
    // A client that gives up while the platform is stalled: its request never reaches the platform.
    const abandoned = new AbortController();
    const given = fetch(`${baseUrl}/v2/post/publish/creator_info/query/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.openId}` },
      signal: abandoned.signal,
    }).catch((error: Error) => error.name);
    let answered = false;
    const waiting = client.creatorInfo(source).then((info) => {
      answered = true;
      return info;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    abandoned.abort();
    expect(await given).toBe('AbortError');
    expect(answered).toBe(false);
    expect(emulator.server.requests.length).toBe(before);
    // The admin routes still answer while stalled.
    expect((await admin('GET', 'state')).status).toBe(200);
    const resumed = (await (await admin('DELETE', 'stall')).json()) as { released: number };
    expect(resumed.released).toBe(2);
    expect((await waiting).creator_username).toBe(user.username);
    expect(emulator.server.requests.length).toBe(before + 1);
  });
});
