import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { staticAccessToken, tiktok } from '../src/platforms/index.js';
import { renderAndStoreCarousel, renderSlide, slidePalette, type CarouselBrand } from '../src/rendering/index.js';
import { servedStorage } from './helpers.js';

const brand: CarouselBrand = {
  name: 'Acme Coffee',
  primaryColor: '#1F2937',
  secondaryColor: '#FDF6EC',
  accentColor: '#F59E0B',
  fontFamily: 'Playfair Display',
};

const slides = [
  { heading: 'Three ways to brew better coffee', body: 'Small changes in grind, water and time matter most.' },
  { heading: 'Grind fresh', body: 'Ground coffee loses most of its aroma within an hour — café crème, Zürich.' },
  { heading: 'Mind the water', body: 'Filtered water at 92–96 °C extracts evenly.' },
];

describe('carousel rendering', () => {
  let media: Awaited<ReturnType<typeof servedStorage>>;
  beforeAll(async () => {
    media = await servedStorage();
  });
  afterAll(async () => {
    await media.close();
  });

  it('renders JPEG slides of the expected size, stores them and serves them from signed URLs', async () => {
    const stored = await renderAndStoreCarousel({
      storage: media.storage,
      keyPrefix: 'org/o1/posts/p1',
      brand,
      slides,
    });
    expect(stored.map((slide) => slide.key)).toEqual([
      'org/o1/posts/p1/slide-01.jpg',
      'org/o1/posts/p1/slide-02.jpg',
      'org/o1/posts/p1/slide-03.jpg',
    ]);
    for (const slide of stored) {
      const response = await fetch(slide.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.length).toBe(slide.byteSize);
      expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      const meta = await sharp(bytes).metadata();
      expect(meta).toMatchObject({ format: 'jpeg', width: 1080, height: 1350 });
      // A decoded slide is mostly the brand's background colour.
      const { dominant } = await sharp(bytes).stats();
      expect(Math.abs(dominant.r - 0x1f)).toBeLessThan(24);
      expect(Math.abs(dominant.b - 0x37)).toBeLessThan(24);
    }
    // Slides differ from each other (text was drawn).
    expect(new Set(stored.map((slide) => slide.sha256)).size).toBe(3);
  });

  it('renders WebP at 1080×1920 and refuses sizes over 1080p', async () => {
    const slide = await renderSlide(brand, slides[0]!, { index: 0, total: 1 }, { format: 'webp', height: 1920 });
    expect(slide.bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(await sharp(slide.bytes).metadata()).toMatchObject({ format: 'webp', width: 1080, height: 1920 });
    await expect(renderSlide(brand, slides[0]!, { index: 0, total: 1 }, { width: 1440, height: 1800 })).rejects.toThrow(
      /1080p/,
    );
  });

  it('keeps text legible when the brand colours clash, and falls back to Inter for an unknown font', async () => {
    expect(slidePalette({ ...brand, primaryColor: '#FFFFFF', secondaryColor: '#FAFAFA' }).text).toBe('rgb(17,17,17)');
    expect(slidePalette({ ...brand, primaryColor: '#000000', secondaryColor: '#111111' }).text).toBe(
      'rgb(255,255,255)',
    );
    const slide = await renderSlide({ ...brand, fontFamily: 'Comic Sans' }, slides[1]!, { index: 1, total: 3 });
    expect((await sharp(slide.bytes).metadata()).format).toBe('jpeg');
  });

  it('publishes rendered slides to TikTok through PULL_FROM_URL (the emulator pulls and checks them)', async () => {
    const emulator = new TikTokEmulator();
    const baseUrl = await emulator.start();
    try {
      const client = tiktok.createTikTokClient({
        clientKey: emulator.clientKey,
        clientSecret: emulator.clientSecret,
        authBaseUrl: baseUrl,
        apiBaseUrl: baseUrl,
      });
      const user = emulator.createUser();
      const source = staticAccessToken(emulator.issueTokens(user.openId).access_token);
      const stored = await renderAndStoreCarousel({
        storage: media.storage,
        keyPrefix: 'org/o1/posts/p2',
        brand,
        slides,
        options: { format: 'webp' },
      });
      const { publish_id } = await client.initPhotoPost(source, {
        postInfo: { title: 'Brew better', description: 'Three tips #coffee', privacy_level: 'SELF_ONLY' },
        photoUrls: stored.map((slide) => slide.url),
      });
      emulator.clock.advance(5_000);
      expect((await client.fetchPublishStatus(source, publish_id)).status).toBe('PUBLISH_COMPLETE');
    } finally {
      await emulator.stop();
    }
  });
});
