// AI on uploads in Chromium against the stack `npm start` runs (its AI providers emulated): a
// video uploaded through the library, captions per network suggested by AI in the composer and
// sent as the post's versions, the AI video review's findings shown to a reviewer on the Review
// screen and replaced live when the owner asks for another review; with the organization's AI
// text off the composer offers no suggestions and says why; the composer offers only the brand's
// connected networks, and the reviewer plays the video from the Review screen. Photographed at
// 1440 and 390 px and checked with axe-core.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../../scripts/stack/config.js';
import { capture, go, newPage, signIn, useDashboardStack } from './browser.js';

// The ffmpeg the worker uses (its npm package's binary), found from the workflows package.
const ffmpeg = join(
  dirname(
    createRequire(join(repoRoot, 'workflows', 'package.json')).resolve('@ffmpeg-installer/linux-x64/package.json'),
  ),
  'ffmpeg',
);

/** A real 4 s portrait H.264/AAC MP4 (a test pattern and a tone), made here so nothing is checked in. */
async function testVideo(): Promise<Buffer> {
  const work = await mkdtemp(join(tmpdir(), 'pressroom-ai-review-'));
  try {
    const file = join(work, 'clip.mp4');
    await promisify(execFile)(ffmpeg, [
      '-hide_banner',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=360x640:rate=25',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440',
      '-t',
      '4',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-movflags',
      '+faststart',
      file,
    ]);
    return await readFile(file);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// The networks the brand has an ACTIVE account on (its Facebook page's grant is revoked).
const networks = ['TikTok', 'Instagram', 'YouTube'] as const;

describe('AI captions and video review screens in Chromium against npm start', () => {
  const run = useDashboardStack('ai-review');

  test(
    'suggested captions fill the per-network fields and are sent as versions; a reviewer sees the video review, live; with AI off there is no suggest button',
    { timeout: 300_000 },
    async () => {
      const { url } = run.stack;
      const { page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Library');
      await page
        .locator('input[type=file]')
        .setInputFiles([{ name: 'clip.mp4', mimeType: 'video/mp4', buffer: await testVideo() }]);
      const grid = page.getByRole('list', { name: 'Media' });
      const card = grid.locator('[data-asset="clip.mp4"]');
      await expect
        .poll(() => card.locator('[data-state]').getAttribute('data-state'), { timeout: 90_000 })
        .toBe('READY');

      // The brand's accounts: three connected, Facebook's grant revoked.
      const brand = await run.db.brand.findFirstOrThrow({ where: { organization: { memberships: { some: {} } } } });
      for (const [platform, status] of [
        ['TIKTOK', 'ACTIVE'],
        ['INSTAGRAM', 'ACTIVE'],
        ['YOUTUBE', 'ACTIVE'],
        ['FACEBOOK', 'REVOKED'],
      ] as const) {
        await run.db.socialAccount.create({
          data: {
            organizationId: brand.organizationId,
            brandId: brand.id,
            platform,
            platformAccountId: `ai-review-${platform.toLowerCase()}`,
            displayName: `Demo ${platform.toLowerCase()}`,
            status,
          },
        });
      }

      // The composer offers the connected networks only; suggestions fill each one's caption and hashtags.
      await grid.getByRole('checkbox', { name: /clip\.mp4 for a post/ }).check();
      await page.getByRole('button', { name: 'Compose post' }).click();
      const composer = page.getByRole('dialog', { name: 'Compose a post' });
      await composer.getByText('a video post').waitFor();
      await expect
        .poll(() =>
          composer
            .locator('details.compose-network')
            .evaluateAll((all) => all.map((d) => d.getAttribute('data-network'))),
        )
        .toEqual(['TIKTOK', 'INSTAGRAM', 'YOUTUBE']);
      expect(await composer.getByTestId('compose-no-accounts').count()).toBe(0);
      await composer.getByLabel('Title', { exact: true }).fill('Behind the counter');
      await composer.getByLabel('Caption', { exact: true }).fill('A minute at the bar.');
      await composer.getByRole('button', { name: 'Suggest with AI' }).click();
      const captionOf = (network: string) => composer.getByLabel(`${network} caption`);
      const hashtagsOf = (network: string) => composer.getByLabel(`${network} hashtags`);
      for (const network of networks) {
        await expect.poll(() => captionOf(network).inputValue(), { timeout: 60_000 }).not.toBe('');
        expect(await hashtagsOf(network).inputValue()).toMatch(/^#\S+( #\S+)*$/);
      }
      // What the emulated provider wrote for each network, as the fields show it.
      const suggested = Object.fromEntries(
        await Promise.all(networks.map(async (network) => [network, await captionOf(network).inputValue()] as const)),
      );
      const suggestions = await run.db.auditEvent.count({ where: { action: 'media.ai_suggest' } });
      expect(suggestions).toBe(1);
      // The owner rewrites TikTok's and gives YouTube a title of its own.
      await captionOf('TikTok').fill('Our bar, up close.');
      await composer.getByLabel('YouTube title').fill('A minute at the espresso bar');
      await capture(page, 'library-compose-ai');
      await composer.getByRole('button', { name: 'Send to review' }).click();
      await page.getByText('Post created and sent to review').waitFor();

      const composed = await run.db.post.findFirstOrThrow({
        where: { title: 'Behind the counter' },
        include: { versions: true },
      });
      expect([composed.format, composed.status, composed.caption]).toEqual([
        'VIDEO',
        'IN_REVIEW',
        'A minute at the bar.',
      ]);
      const versions = Object.fromEntries(
        composed.versions.map((version) => [version.platform, [version.caption, version.title]]),
      );
      expect(versions).toEqual({
        TIKTOK: ['Our bar, up close.', null],
        INSTAGRAM: [suggested.Instagram, null],
        YOUTUBE: [suggested.YouTube, 'A minute at the espresso bar'],
      });
      for (const version of composed.versions) expect(version.hashtags.length).toBeGreaterThan(0);

      // The review the composing started, as a reviewer sees it beside the post.
      await expect
        .poll(async () => (await run.db.videoReview.findFirst({ where: { postId: composed.id } }))?.status, {
          timeout: 90_000,
        })
        .toBe('DONE');
      const stored = await run.db.videoReview.findFirstOrThrow({ where: { postId: composed.id } });
      const findings = stored.findings as Array<{ timestampMs: number; check: string; verdict: string }>;
      expect(findings.length).toBeGreaterThan(0);
      const reviewer = await newPage(run.browser);
      await signIn(reviewer.page, url, 'reviewer@demo.pressroom.test');
      await go(reviewer.page, 'Review');
      await reviewer.page.getByRole('button', { name: /Behind the counter/ }).click();
      const panel = reviewer.page.getByRole('region', { name: 'AI video review' });
      await expect.poll(() => panel.getAttribute('data-review-status'), { timeout: 30_000 }).toBe('DONE');
      const rows = panel.getByRole('list', { name: 'Findings' }).getByRole('listitem');
      expect(await rows.count()).toBe(findings.length);
      for (const [index, finding] of findings.entries()) {
        const row = rows.nth(index);
        expect(await row.getAttribute('data-check')).toBe(finding.check);
        const seconds = Math.floor(finding.timestampMs / 1000);
        const time = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
        expect(await row.locator('.finding-time').innerText()).toContain(time);
        // The verdict as a word, not colour alone.
        expect(await row.locator('[data-state]').textContent()).toBe(finding.verdict.toLowerCase());
      }
      // Reviewers do not use AI (no ai:use): nothing to ask again.
      expect(await panel.getByRole('button', { name: 'Review again' }).count()).toBe(0);

      // The reviewer plays the video itself: a player with controls and the poster frame, its
      // source the platform-ready file through /media, which answers a Range as players ask.
      const player = reviewer.page.getByRole('region', { name: /Preview as it will look/ }).locator('video');
      expect(await player.getAttribute('aria-label')).toBe('Video: Behind the counter');
      expect(await player.evaluate((video: HTMLVideoElement) => video.controls)).toBe(true);
      const source = (await player.locator('source').getAttribute('src'))!;
      const poster = (await player.getAttribute('poster'))!;
      expect(new URL(source).pathname).toMatch(/^\/media\/.+\.mp4$/);
      const fetched = await reviewer.page.evaluate(
        async ({ source, poster }) => {
          const ranged = await fetch(source, { headers: { range: 'bytes=0-1023' } });
          const image = await fetch(poster);
          return {
            status: ranged.status,
            contentRange: ranged.headers.get('content-range'),
            length: (await ranged.arrayBuffer()).byteLength,
            poster: [image.status, image.headers.get('content-type')],
          };
        },
        { source, poster },
      );
      expect(fetched).toMatchObject({ status: 206, length: 1024, poster: [200, 'image/jpeg'] });
      expect(fetched.contentRange).toMatch(/^bytes 0-1023\/\d+$/);
      // The browser itself read the video's metadata through those ranges (4 s, portrait).
      await expect
        .poll(() => player.evaluate((video: HTMLVideoElement) => video.readyState), { timeout: 30_000 })
        .toBeGreaterThanOrEqual(1);
      expect(
        await player.evaluate((video: HTMLVideoElement) => [
          Math.round(video.duration),
          video.videoWidth < video.videoHeight,
        ]),
      ).toEqual([4, true]);
      await capture(reviewer.page, 'review-video');

      // The owner asks for another review; the reviewer's open screen shows it without a reload.
      const firstId = await panel.getAttribute('data-review-id');
      await reviewer.page.evaluate(() => (window.pressroomLoadedOnce = true));
      await go(page, 'Review');
      await page.getByRole('button', { name: /Behind the counter/ }).click();
      await page.getByRole('region', { name: 'AI video review' }).getByRole('button', { name: 'Review again' }).click();
      await page.getByText('Review requested').waitFor();
      await expect.poll(() => panel.getAttribute('data-review-id'), { timeout: 30_000 }).not.toBe(firstId);
      await expect.poll(() => panel.getAttribute('data-review-status'), { timeout: 90_000 }).toBe('DONE');
      expect(await reviewer.page.evaluate(() => window.pressroomLoadedOnce)).toBe(true);
      expect(await run.db.videoReview.count({ where: { postId: composed.id } })).toBe(2);
      await reviewer.context.close();

      // With the organization's AI text off the composer offers no suggestions and says so.
      await run.db.organizationSettings.updateMany({ data: { aiTextEnabled: false } });
      await go(page, 'Library');
      await grid.getByRole('checkbox', { name: /clip\.mp4 for a post/ }).check();
      await page.getByRole('button', { name: 'Compose post' }).click();
      await composer.getByText('AI is off for this organization, so captions are written by hand.').waitFor();
      expect(await composer.getByRole('button', { name: 'Suggest with AI' }).count()).toBe(0);
      // The owner may turn it on, and is told where.
      expect(await composer.getByRole('link', { name: 'Turn AI on in Settings' }).getAttribute('href')).toBe(
        '/settings',
      );
      await capture(page, 'library-compose-ai-off');
      expect(await run.db.auditEvent.count({ where: { action: 'media.ai_suggest' } })).toBe(suggestions);
    },
  );
});
