// The media library screen in Chromium against the stack `npm start` runs: empty state, two
// images uploaded through the file picker (Uppy over tus) with their byte progress, processing
// shown live until each card is ready with its thumbnail, a file whose bytes are not an image
// refused with the server's reason, filters, the detail drawer (tags and folder saved), delete
// through the confirmation; a reviewer browses but is not offered Upload. Photographed at
// 1440 and 390 px and checked with axe-core.
import { deflateSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { capture, go, newPage, signIn, useDashboardStack } from './browser.js';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real PNG (truecolour, a diagonal gradient) of the given size, made here so nothing is checked in. */
function png(width: number, height: number, tint: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y += 1) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x += 1) {
      const shade = (x + y) / (width + height);
      rows[row + 1 + x * 3] = Math.round(tint[0] * shade);
      rows[row + 2 + x * 3] = Math.round(tint[1] * shade);
      rows[row + 3 + x * 3] = Math.round(tint[2] * shade);
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('media library and messages screens in Chromium against npm start', () => {
  const run = useDashboardStack('library');

  test(
    'upload with progress, processing live to ready, a refused file with its reason, filters, tags and folder, delete; a reviewer cannot upload',
    { timeout: 240_000 },
    async () => {
      const { url } = run.stack;
      const { page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Library');
      await page.getByText('Nothing uploaded yet.').waitFor();
      await capture(page, 'library-empty');

      // Two images and a "photo" that is really text: the browser calls it image/png by its
      // name, the server reads its bytes.
      await page.locator('input[type=file]').setInputFiles([
        { name: 'harbour.png', mimeType: 'image/png', buffer: png(1200, 900, [40, 120, 220]) },
        { name: 'roastery.png', mimeType: 'image/png', buffer: png(800, 1000, [220, 120, 40]) },
        {
          name: 'not-a-photo.png',
          mimeType: 'image/png',
          buffer: Buffer.from('just some text, no pixels\n'.repeat(20)),
        },
      ]);
      const uploads = page.getByRole('region', { name: 'Uploads' });
      await uploads.waitFor();
      const refused = uploads.locator('[data-upload="not-a-photo.png"]');
      await expect
        .poll(() => refused.getByRole('alert').textContent(), { timeout: 30_000 })
        .toMatch(/of no recognised type; images .* are accepted/);

      const grid = page.getByRole('list', { name: 'Media' });
      for (const name of ['harbour.png', 'roastery.png']) {
        const card = grid.locator(`[data-asset="${name}"]`);
        await expect
          .poll(() => card.locator('[data-state]').getAttribute('data-state'), { timeout: 60_000 })
          .toBe('READY');
        // The thumbnail processing made, served by a signed URL.
        await expect
          .poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
          .toBe(true);
      }
      const stored = await run.db.mediaAsset.findMany({ orderBy: { filename: 'asc' } });
      expect(stored.map((asset) => [asset.filename, asset.status, asset.width, asset.height])).toEqual([
        ['harbour.png', 'READY', 1200, 900],
        ['roastery.png', 'READY', 800, 1000],
      ]);
      await refused.getByRole('button', { name: 'Dismiss not-a-photo.png' }).click();
      // Finished rows leave the list a few seconds after their last byte.
      await expect.poll(() => uploads.count(), { timeout: 15_000 }).toBe(0);
      await expect.poll(() => page.locator('#library-quota').getAttribute('value')).not.toBe('0');
      await capture(page, 'library');

      // A carousel composed from the two uploads, in the order picked, sent to review.
      await grid.getByRole('checkbox', { name: /roastery\.png for a post/ }).check();
      await grid.getByRole('checkbox', { name: /harbour\.png for a post/ }).check();
      await page.getByRole('button', { name: 'Compose post' }).click();
      const composer = page.getByRole('dialog', { name: 'Compose a post' });
      await composer.getByText('a carousel of 2').waitFor();
      // The demo brand has no connected account: no network to write for, and the owner is
      // pointed to Accounts.
      const noAccounts = composer.getByTestId('compose-no-accounts');
      await noAccounts.waitFor();
      expect(await noAccounts.getByRole('link', { name: 'Connect an account in Accounts' }).getAttribute('href')).toBe(
        '/accounts',
      );
      expect(await composer.locator('details.compose-network').count()).toBe(0);
      expect(await composer.getByRole('button', { name: 'Suggest with AI' }).count()).toBe(0);
      await composer.getByLabel('Title', { exact: true }).fill('From the roastery');
      await composer.getByLabel('Caption', { exact: true }).fill('Two pictures from this morning.');
      await composer.getByLabel('Hashtags', { exact: true }).fill('#coffee, roasting');
      await capture(page, 'library-compose');
      await composer.getByRole('button', { name: 'Send to review' }).click();
      await page.waitForURL((location) => location.pathname === '/review');
      const composed = await run.db.post.findFirstOrThrow({
        where: { title: 'From the roastery' },
        include: { slides: { orderBy: { position: 'asc' } } },
      });
      expect([composed.format, composed.status, composed.caption, composed.hashtags]).toEqual([
        'CAROUSEL',
        'IN_REVIEW',
        'Two pictures from this morning.',
        ['#coffee', '#roasting'],
      ]);
      expect(composed.slides.length).toBe(2);
      await go(page, 'Library');
      await grid.locator('[data-asset="harbour.png"]').waitFor();

      // Details, then tags and a folder saved from the drawer.
      await grid.getByRole('button', { name: /^harbour\.png/ }).click();
      const drawer = page.getByRole('dialog', { name: 'harbour.png' });
      await drawer.getByText('1200 × 900').waitFor();
      expect(await drawer.getByText('image/png').count()).toBe(1);
      await drawer.getByLabel('Tags').fill('launch, Spring ');
      await drawer.getByLabel('Folder').fill('campaigns/spring');
      await drawer.getByRole('button', { name: 'Save' }).click();
      await page.getByText('harbour.png saved').waitFor();
      await capture(page, 'library-detail');
      await drawer.getByRole('button', { name: 'Close' }).click();
      await expect
        .poll(async () => (await run.db.mediaAsset.findFirst({ where: { filename: 'harbour.png' } }))?.tags)
        .toEqual(['launch', 'spring']);

      // Filters: by tag, by folder; a filter nothing matches offers to clear.
      await page.getByLabel('Tag').fill('launch');
      await page.getByLabel('Tag').press('Enter');
      await expect.poll(() => grid.locator('[data-asset]').count()).toBe(1);
      expect(await grid.locator('[data-asset="harbour.png"]').count()).toBe(1);
      await page.getByLabel('Kind').selectOption('VIDEO');
      await page.getByText('Nothing matches these filters.').waitFor();
      await page.getByRole('button', { name: 'Clear filters' }).click();
      await expect.poll(() => grid.locator('[data-asset]').count()).toBe(2);

      // Delete through the confirmation: gone from the grid, the database and the quota.
      await grid.getByRole('button', { name: /^roastery\.png/ }).click();
      await page
        .getByRole('dialog', { name: 'roastery.png' })
        .getByRole('button', { name: 'Delete roastery.png' })
        .click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete file' }).click();
      await page.getByText('roastery.png deleted').waitFor();
      await expect.poll(() => grid.locator('[data-asset]').count()).toBe(1);
      expect(await run.db.mediaAsset.count({ where: { filename: 'roastery.png' } })).toBe(0);

      // A reviewer sees the library but has no Upload (media:write).
      const reviewer = await newPage(run.browser);
      await signIn(reviewer.page, url, 'reviewer@demo.pressroom.test');
      await go(reviewer.page, 'Library');
      await reviewer.page.getByRole('list', { name: 'Media' }).locator('[data-asset="harbour.png"]').waitFor();
      expect(await reviewer.page.getByRole('button', { name: 'Upload' }).count()).toBe(0);
      await reviewer.context.close();
    },
  );

  test(
    "messages: the contact form's submissions arrive live, are marked answered and spam, and honeypot ones wait under Spam; the inbox links to them",
    { timeout: 120_000 },
    async () => {
      const { url } = run.stack;
      const { page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Messages');
      await page.getByText('No new messages.').waitFor();
      const formUrl = await page.getByRole('link', { name: /\/contact\// }).getAttribute('href');
      expect(formUrl).toMatch(/\/contact\/[a-z0-9-]+$/);
      const formPath = new URL(formUrl!).pathname;
      await capture(page, 'messages-empty');

      // Two people write through the public form while the screen is open; a bot fills the
      // hidden field.
      const send = (body: Record<string, string | undefined>) =>
        fetch(`${url}${formPath}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'library-e2e' },
          body: JSON.stringify(body),
        });
      for (const body of [
        {
          name: 'Ana Lima',
          contact: 'ana@example.com',
          category: 'Wholesale',
          message: 'Do you ship beans to cafés?\nWe need 20 kg a month.',
        },
        { name: 'Boris', contact: '@boris_roasts', category: 'Press', message: 'Interview request.' },
        {
          name: 'Spam Bot',
          contact: 'bot@example.com',
          category: 'Sales',
          message: 'Cheap followers',
          website: 'http://spam.example',
        },
      ]) {
        expect((await send(body)).status).toBe(201);
      }
      const list = page.getByRole('list', { name: 'Messages' });
      await expect.poll(() => list.locator('[data-message]').count(), { timeout: 30_000 }).toBe(2);
      const ana = list.locator('[data-message="Ana Lima"]');
      await ana.getByText('We need 20 kg a month.', { exact: false }).waitFor();
      expect(await ana.getByRole('link', { name: 'ana@example.com' }).getAttribute('href')).toBe(
        'mailto:ana@example.com',
      );
      expect(await list.getByRole('link', { name: '@boris_roasts' }).getAttribute('href')).toBe(
        'https://t.me/boris_roasts',
      );
      await capture(page, 'messages');

      await ana.getByRole('button', { name: 'Mark answered: the message from Ana Lima' }).click();
      await page.getByText("Ana Lima's message marked answered").waitFor();
      await expect.poll(() => list.locator('[data-message]').count()).toBe(1);
      await page.getByRole('group', { name: 'Show messages' }).getByRole('button', { name: 'Answered' }).click();
      await list.locator('[data-message="Ana Lima"]').waitFor();
      await page.getByRole('group', { name: 'Show messages' }).getByRole('button', { name: 'Spam' }).click();
      await list.locator('[data-message="Spam Bot"]').waitFor();
      expect(await list.locator('[data-message]').count()).toBe(1);
      const stored = await run.db.contactSubmissionState.findMany({ include: { submission: true } });
      expect(Object.fromEntries(stored.map((state) => [state.submission.name, state.status]))).toEqual({
        'Ana Lima': 'ANSWERED',
        Boris: 'NEW',
        'Spam Bot': 'SPAM',
      });

      // The in-app notification of a new message leads here; the bot's made none.
      await go(page, 'Inbox');
      const notices = page.getByRole('list', { name: 'Notifications' }).locator('[data-kind="contact.received"]');
      await expect.poll(() => notices.count()).toBe(2);
      await notices.first().getByRole('link', { name: 'Open messages' }).click();
      await page.getByRole('heading', { name: 'Messages' }).waitFor();

      // Editors neither see the section nor read the list.
      const editor = await newPage(run.browser);
      await signIn(editor.page, url, 'editor@demo.pressroom.test');
      expect(
        await editor.page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: /^Messages/ })
          .count(),
      ).toBe(0);
      await editor.context.close();
    },
  );
});
