import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InstagramEmulator } from '../src/emulators/instagram.js';
import { createInstagramClient, type InstagramClient } from '../src/platforms/instagram/index.js';
import { staticAccessToken, type AccessTokenSource } from '../src/platforms/tokens.js';
import { caught, servedStorage, solidImage } from './helpers.js';

describe('Instagram client against the Instagram emulator', () => {
  let emulator: InstagramEmulator;
  let client: InstagramClient;
  let media: Awaited<ReturnType<typeof servedStorage>>;
  let imageUrl: string;
  const waits: number[] = [];

  beforeAll(async () => {
    emulator = new InstagramEmulator({ publishingQuota: 3 });
    const baseUrl = await emulator.start();
    client = createInstagramClient({
      baseUrl,
      http: {
        sleep: (ms) => {
          waits.push(ms);
          emulator.clock.advance(ms);
          return Promise.resolve();
        },
      },
    });
    media = await servedStorage();
    await media.storage.put('ig/slide.jpg', await solidImage(1080, 1350, 'jpeg'), { contentType: 'image/jpeg' });
    imageUrl = media.storage.signedUrl('ig/slide.jpg');
  });
  afterAll(async () => {
    await emulator.stop();
    await media.close();
  });
  beforeEach(() => {
    waits.length = 0;
  });

  const account = () => {
    const issued = emulator.issueToken();
    return { igUserId: issued.igUserId, source: staticAccessToken(issued.accessToken), token: issued.accessToken };
  };

  async function finished(source: AccessTokenSource, id: string) {
    return (await client.containerStatus(source, id)).status_code;
  }

  it('publishes a carousel: item containers, carousel container, status polling, publish', async () => {
    const { igUserId, source } = account();
    const children = [
      await client.createImageContainer(source, igUserId, { imageUrl, isCarouselItem: true }),
      await client.createImageContainer(source, igUserId, { imageUrl, isCarouselItem: true }),
    ];
    const carousel = await client.createCarouselContainer(source, igUserId, {
      children,
      caption: 'Brew better #coffee',
    });
    expect(await finished(source, carousel)).toBe('IN_PROGRESS');
    const early = await caught(client.publish(source, igUserId, carousel));
    expect(early).toMatchObject({ category: 'REJECTED_BY_PLATFORM', code: '9007/2207027' });
    emulator.clock.advance(1_000);
    expect(await finished(source, carousel)).toBe('FINISHED');
    const mediaId = await client.publish(source, igUserId, carousel);
    expect(await finished(source, carousel)).toBe('PUBLISHED');
    expect(emulator.media.find((m) => m.id === mediaId)?.caption).toBe('Brew better #coffee');
  });

  it('processes a reel, reads the publishing quota and insights', async () => {
    const { igUserId, source } = account();
    await media.storage.put('ig/reel.mp4', Buffer.alloc(2048, 1), { contentType: 'video/mp4' });
    const reel = await client.createReelContainer(source, igUserId, {
      videoUrl: media.storage.signedUrl('ig/reel.mp4'),
      caption: 'Latte art',
    });
    emulator.clock.advance(10_000);
    expect(await finished(source, reel)).toBe('IN_PROGRESS');
    emulator.clock.advance(10_000);
    expect(await finished(source, reel)).toBe('FINISHED');
    const mediaId = await client.publish(source, igUserId, reel);
    expect(await client.publishingLimit(source, igUserId)).toEqual({
      quota_usage: 1,
      config: { quota_total: 3, quota_duration: 86400 },
    });
    emulator.clock.advance(10 * 3600_000);
    const insights = await client.insights(source, mediaId, ['reach', 'likes', 'views']);
    expect(insights).toEqual({ reach: 400, likes: 40, views: 550 });
  });

  it('reports a container whose media cannot be downloaded as ERROR', async () => {
    const { igUserId, source } = account();
    const id = await client.createImageContainer(source, igUserId, {
      imageUrl: media.storage.signedUrl('ig/missing.jpg'),
      caption: 'x',
    });
    expect(await client.containerStatus(source, id)).toMatchObject({ status_code: 'ERROR' });
  });

  it('makes two posts from two identical containers, and stops at the daily publishing cap', async () => {
    const { igUserId, source } = account();
    const publishOne = async () => {
      const id = await client.createImageContainer(source, igUserId, { imageUrl, caption: 'Same caption' });
      emulator.clock.advance(1_000);
      return client.publish(source, igUserId, id);
    };
    const first = await publishOne();
    const second = await publishOne();
    expect(first).not.toBe(second);
    expect(emulator.media.filter((m) => m.igUserId === igUserId)).toHaveLength(2);
    await publishOne();
    const capped = await caught(publishOne());
    expect(capped).toMatchObject({ category: 'RATE_LIMITED', code: '9/2207042' });
  });

  it('classifies an expired token (190) and user throttling (17) from the body of an HTTP 400', async () => {
    const { igUserId, source } = account();
    emulator.server.inject(
      { pathPrefix: `/v21.0/${igUserId}/content_publishing_limit` },
      { kind: 'status', status: 400, code: '17', message: 'User request limit reached' },
      4,
    );
    const throttled = await caught(client.publishingLimit(source, igUserId));
    expect(throttled).toMatchObject({ category: 'RATE_LIMITED', code: '17' });
    expect(waits).toEqual([500, 1000, 2000]);

    emulator.clock.advance(61 * 24 * 3600_000);
    const expired = await caught(client.publishingLimit(source, igUserId));
    expect(expired).toMatchObject({ category: 'TOKEN_EXPIRED', code: '190/463' });
  });

  it('refreshes a long-lived token once it is 24 h old', async () => {
    const { igUserId, token } = account();
    const tooEarly = await caught(client.refreshLongLivedToken(token));
    expect(tooEarly.category).toBe('REJECTED_BY_PLATFORM');
    emulator.clock.advance(25 * 3600_000);
    const refreshed = await client.refreshLongLivedToken(token);
    expect(refreshed.accessToken).not.toBe(token);
    expect(refreshed.accessTokenExpiresAt.getTime()).toBeGreaterThan(Date.now() + 59 * 24 * 3600_000);
    expect(await client.publishingLimit(staticAccessToken(refreshed.accessToken), igUserId)).toMatchObject({
      quota_usage: 0,
    });
  });
});
