import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient, type Database } from '@pressroom/db';
import { createTestDatabase, type TestDatabase } from '@pressroom/db/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideoActivities } from '../src/activities/video.js';
import { mediaTools, probeVideo, renderAndStoreCarousel, renderSlideshow } from '../src/rendering/index.js';
import { createLocalStorage, createUrlSigner } from '../src/storage/index.js';
import { seedTenant } from './helpers.js';

/** A 4:5 slide of one colour (what the carousel renderer makes, simplified). */
const slide = (color: string) =>
  sharp({ create: { width: 1080, height: 1350, channels: 3, background: color } })
    .jpeg()
    .toBuffer();

/** The mean colour at the middle of the frame at `seconds` (ffmpeg extracts it as PNG). */
async function frameAt(file: string, seconds: number, keepAs?: string) {
  const png = join(tmpdir(), `frame-${process.pid}-${seconds}.png`);
  const run = spawnSync(mediaTools().ffmpeg, [
    '-v',
    'error',
    '-y',
    '-ss',
    String(seconds),
    '-i',
    file,
    '-frames:v',
    '1',
    png,
  ]);
  expect(run.status).toBe(0);
  if (keepAs) await writeFile(keepAs, await readFile(png));
  // stats() reads the input, not the pipeline: cut the region out first.
  const region = async (left: number, top: number, width: number, height: number) =>
    sharp(await sharp(png).extract({ left, top, width, height }).png().toBuffer()).stats();
  const stats = await region(440, 860, 200, 200);
  const meta = await sharp(png).metadata();
  const top = await region(440, 20, 200, 100);
  await rm(png, { force: true });
  const mean = (s: { channels: Array<{ mean: number }> }) => s.channels.slice(0, 3).map((c) => Math.round(c.mean));
  return { center: mean(stats), top: mean(top), width: meta.width, height: meta.height };
}

describe('carousel slideshow video (ffmpeg)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pressroom-slideshow-test-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('renders H.264 1080x1920 lasting n·hold + fade, each slide in turn with a crossfade between', async () => {
    const video = await renderSlideshow([await slide('#dc2626'), await slide('#16a34a'), await slide('#2563eb')], {
      secondsPerSlide: 2,
      transitionSeconds: 0.5,
      background: '#000000',
    });
    const file = join(dir, 'three.mp4');
    await writeFile(file, video.data);
    const probed = await probeVideo(file);
    expect(probed).toMatchObject({ codec: 'h264', width: 1080, height: 1920, pixelFormat: 'yuv420p' });
    expect(probed.durationSec).toBeCloseTo(6.5, 1);
    expect(video.durationMs).toBe(6500);

    // Red, then green, then blue, on a black band above and below the 4:5 slide.
    const red = await frameAt(file, 1, join(dir, 'frame-red.png'));
    expect(red.width).toBe(1080);
    expect(red.height).toBe(1920);
    expect(red.center[0]).toBeGreaterThan(180);
    expect(red.center[1]).toBeLessThan(80);
    expect(Math.max(...red.top)).toBeLessThan(30);
    const green = await frameAt(file, 3.5, join(dir, 'frame-green.png'));
    expect(green.center[1]).toBeGreaterThan(130);
    expect(green.center[0]).toBeLessThan(60);
    const blue = await frameAt(file, 6, join(dir, 'frame-blue.png'));
    expect(blue.center[2]).toBeGreaterThan(180);
    // Halfway through the first crossfade both colours show.
    const mid = await frameAt(file, 2.25, join(dir, 'frame-fade.png'));
    expect(mid.center[0]).toBeGreaterThan(60);
    expect(mid.center[1]).toBeGreaterThan(40);
    expect(mid.center[0]).toBeLessThan(200);
    if (process.env.PRESSROOM_KEEP_FRAMES) {
      for (const name of ['frame-red', 'frame-fade', 'frame-green', 'frame-blue']) {
        await writeFile(
          join(process.env.PRESSROOM_KEEP_FRAMES, `${name}.png`),
          await readFile(join(dir, `${name}.png`)),
        );
      }
    }
  });

  describe('as an activity over a stored post', () => {
    let database: TestDatabase;
    let db: Database;

    beforeAll(async () => {
      database = await createTestDatabase();
      db = createPrismaClient({ databaseUrl: database.url });
    });
    afterAll(async () => {
      await db.$disconnect();
      await database.drop();
    });

    it('stores the slideshow beside the slides with a VIDEO media row, once however often it runs', async () => {
      const tenant = await seedTenant(db);
      const storage = createLocalStorage({
        root: join(dir, 'media'),
        signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: Buffer.alloc(32, 7) }),
      });
      const brand = await db.brand.findUniqueOrThrow({ where: { id: tenant.brandId } });
      const post = await db.post.create({
        data: {
          organizationId: tenant.organizationId,
          brandId: brand.id,
          caption: 'Three ways to brew',
          slides: {
            create: [
              { position: 0, heading: 'Pour over', body: 'Slow and clean' },
              { position: 1, heading: 'French press', body: 'Full body' },
            ],
          },
        },
        include: { slides: { orderBy: { position: 'asc' } } },
      });
      const stored = await renderAndStoreCarousel({
        storage,
        keyPrefix: `org/${post.organizationId}/posts/${post.id}`,
        brand,
        slides: post.slides.map((s) => ({ heading: s.heading, body: s.body })),
      });
      for (const [index, s] of post.slides.entries()) {
        const media = await db.media.create({
          data: {
            organizationId: post.organizationId,
            postId: post.id,
            kind: 'IMAGE',
            status: 'READY',
            contentType: stored[index]!.contentType,
            storageKey: stored[index]!.key,
          },
        });
        await db.slide.update({ where: { id: s.id }, data: { mediaId: media.id } });
      }

      const activities = createVideoActivities({ db, storage });
      const first = await activities.renderCarouselVideo({ postId: post.id, options: { secondsPerSlide: 2 } });
      const again = await activities.renderCarouselVideo({ postId: post.id, options: { secondsPerSlide: 2 } });
      expect(again.mediaId).toBe(first.mediaId);
      expect(first.storageKey).toBe(`org/${post.organizationId}/posts/${post.id}/slideshow.mp4`);
      expect(await db.media.findUniqueOrThrow({ where: { id: first.mediaId } })).toMatchObject({
        kind: 'VIDEO',
        status: 'READY',
        contentType: 'video/mp4',
        width: 1080,
        height: 1920,
        durationMs: 4500,
      });
      const object = await storage.get(first.storageKey);
      const file = join(dir, 'post.mp4');
      await writeFile(file, object!.body);
      expect(await probeVideo(file)).toMatchObject({ codec: 'h264', width: 1080, height: 1920 });
      await frameAt(file, 1, join(dir, 'post-frame.png'));
      if (process.env.PRESSROOM_KEEP_FRAMES) {
        await writeFile(
          join(process.env.PRESSROOM_KEEP_FRAMES, 'post-frame.png'),
          await readFile(join(dir, 'post-frame.png')),
        );
      }
    });
  });
});
