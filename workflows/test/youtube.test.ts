import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { YouTubeEmulator } from '../src/emulators/youtube.js';
import { staticAccessToken, type AccessTokenSource } from '../src/platforms/tokens.js';
import { createYouTubeClient, youtubeChunkUnit, type YouTubeClient } from '../src/platforms/youtube/index.js';
import { caught } from './helpers.js';

describe('YouTube client against the YouTube emulator', () => {
  let emulator: YouTubeEmulator;
  let client: YouTubeClient;
  const waits: number[] = [];
  const video = randomBytes(5 * youtubeChunkUnit + 1234);
  const metadata = { snippet: { title: 'Latte art in 15 s' }, status: { privacyStatus: 'unlisted' as const } };

  beforeAll(async () => {
    emulator = new YouTubeEmulator();
    const baseUrl = await emulator.start();
    client = createYouTubeClient({
      baseUrl,
      chunkTimeoutMs: 500,
      http: {
        timeoutMs: 500,
        sleep: (ms) => {
          waits.push(ms);
          emulator.clock.advance(ms);
          return Promise.resolve();
        },
      },
    });
  });
  afterAll(async () => {
    await emulator.stop();
  });
  beforeEach(() => {
    waits.length = 0;
  });

  it('uploads through a resumable session in 256 KiB multiples and reads statistics as numbers', async () => {
    const { accessToken } = emulator.issueToken();
    const source = staticAccessToken(accessToken);
    const uploaded = await client.uploadVideo(source, metadata, video, 2 * youtubeChunkUnit);
    expect(uploaded.snippet?.title).toBe('Latte art in 15 s');
    expect(uploaded.status?.privacyStatus).toBe('unlisted');
    expect(emulator.videos.find((v) => v.id === uploaded.id)?.bytes).toBe(video.length);
    emulator.setViews(uploaded.id, 4321);
    expect(await client.statistics(source, [uploaded.id])).toEqual([
      { id: uploaded.id, viewCount: 4321, likeCount: 216, commentCount: 21, favoriteCount: 0 },
    ]);
  });

  it('resumes from where the session stands after a chunk answer is lost, uploading one video', async () => {
    const { accessToken, channelId } = emulator.issueToken();
    emulator.server.inject(
      { method: 'PUT', pathPrefix: '/upload/youtube/v3/videos', skip: 1 },
      { kind: 'lost-response' },
    );
    emulator.server.inject({ method: 'PUT', pathPrefix: '/upload/youtube/v3/videos', skip: 1 }, { kind: 'timeout' });
    const uploaded = await client.uploadVideo(staticAccessToken(accessToken), metadata, video, youtubeChunkUnit);
    expect(emulator.videos.filter((v) => v.channelId === channelId)).toEqual([
      expect.objectContaining({ id: uploaded.id, bytes: video.length }),
    ]);
  });

  it('refreshes an expired access token and carries on', async () => {
    const first = emulator.issueToken();
    let current = first.accessToken;
    let refreshes = 0;
    const source: AccessTokenSource = {
      accessToken: () => Promise.resolve(current),
      refresh: () => {
        refreshes++;
        current = emulator.issueToken(first.channelId).accessToken;
        return Promise.resolve(current);
      },
    };
    emulator.clock.advance(3600_001);
    const uploaded = await client.uploadVideo(source, metadata, video);
    expect(uploaded.id).toBeTruthy();
    expect(refreshes).toBe(1);
  });

  it('reports the daily quota as RATE_LIMITED (quotaExceeded)', async () => {
    const limited = new YouTubeEmulator({ dailyQuotaUnits: 1600 + 10 });
    const baseUrl = await limited.start();
    try {
      const limitedClient = createYouTubeClient({ baseUrl, http: { sleep: () => Promise.resolve() } });
      const source = staticAccessToken(limited.issueToken().accessToken);
      await limitedClient.uploadVideo(source, metadata, Buffer.alloc(10));
      const error = await caught(limitedClient.uploadVideo(source, metadata, Buffer.alloc(10)));
      expect(error).toMatchObject({ category: 'RATE_LIMITED', status: 403, code: 'quotaExceeded' });
    } finally {
      await limited.stop();
    }
  });
});
