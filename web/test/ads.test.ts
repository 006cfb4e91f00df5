// The ads screens in Chromium against the stack `npm start` runs, with its TikTok Marketing API
// emulator: connect through the consent page, the backfill's progress reaching 100% on the open
// screen by subscription (no reload, no read of the list again), the inventory opened level by level, a campaign report whose totals are the emulator's
// own numbers (computed here from its pure fact function), a bulk pause of three ads of which
// TikTok refuses one (its message shown, the others done, all without a reload), the refused
// one retried once its cause is gone; an editor (ads:read without ads:bulk) is offered no bulk
// action and no connect. Photographed at 1440 and 390 px and checked with axe-core.
import { describe, expect, test } from 'vitest';
import { settledCounts, tiktokAdsCountMetrics, type DailyCounts } from '../../workflows/src/emulators/tiktok-ads.js';
import { capture, go, newPage, signIn, useDashboardStack } from './browser.js';

const dayMs = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('ads screens in Chromium against npm start', () => {
  const run = useDashboardStack('ads');

  test(
    'connect, backfill progress live, inventory tree, a report matching the emulator, a bulk pause with a refusal and its retry; an editor gets no bulk actions',
    { timeout: 300_000 },
    async () => {
      const { url } = run.stack;
      const emulator = /TikTok Ads\s+(http:\/\/\S+)/.exec(run.stack.output())?.[1];
      expect(emulator, 'the banner names the TikTok Ads emulator').toBeTruthy();

      const { page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Ads');
      await page.getByText('No TikTok for Business connection yet.').waitFor();
      await capture(page, 'ads-empty');

      // The consent page (the emulator approves at once) sends the browser back to
      // /ads/connected, which completes the connect and opens the ads home.
      await page.getByRole('button', { name: 'Connect TikTok for Business' }).first().click();
      await page.waitForURL((location) => location.pathname === '/ads', { timeout: 60_000 });
      const card = page.getByRole('list', { name: 'Connections' }).getByRole('listitem');
      await card.first().waitFor();
      await expect.poll(() => card.first().locator('[data-state]').first().getAttribute('data-state')).toBe('ACTIVE');
      // The backfill runs while the screen is open: its progress arrives without a reload, and
      // by subscription (adsConnectionChanged): the list of connections is never read again.
      const connectionReads: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/graphql') && request.postData()?.includes('query AdsConnections')) {
          connectionReads.push(request.postData() ?? '');
        }
      });
      await page.evaluate(() => (window.pressroomLoadedOnce = true));
      const progressShown = new Set<string>();
      await expect
        .poll(
          async () => {
            const shown = (await page.getByTestId('facts-progress').first().textContent()) ?? '';
            progressShown.add(shown);
            return shown;
          },
          { timeout: 180_000, interval: 500 },
        )
        .toContain('100%');
      expect(await page.evaluate(() => window.pressroomLoadedOnce)).toBe(true);
      // It moved on the open screen (a value short of 100% was shown first) with no read of the list.
      expect([...progressShown].some((shown) => /\d+%/.test(shown) && !shown.includes('100%'))).toBe(true);
      expect(connectionReads, 'reads of the connections list while the backfill ran').toHaveLength(0);
      expect(await card.first().locator('.ads-health dd').nth(1).textContent()).not.toContain('not yet');
      await expect.poll(() => page.getByTestId('last-error').first().textContent()).toBe('none');
      await capture(page, 'ads-connections');

      // Inventory: advertiser → campaign → ad group → ads, each level read when opened.
      await page.getByRole('navigation', { name: 'Ads' }).getByRole('link', { name: 'Inventory' }).click();
      const inventory = page.getByRole('table', { name: 'Inventory' });
      await inventory.getByRole('button', { name: 'Campaigns of Emulated Advertiser 1' }).click();
      await inventory.getByRole('button', { name: 'Ad groups of Campaign 1' }).click();
      await inventory.getByRole('button', { name: 'Ads of Ad group 1.1' }).click();
      await inventory.locator('tr[data-object="Ad 1.1.3"]').waitFor();
      expect(await inventory.getByRole('button', { name: 'Ads of Ad group 1.1' }).getAttribute('aria-expanded')).toBe(
        'true',
      );
      expect(await inventory.locator('tr[data-level="CAMPAIGN"]').count()).toBe(3);
      expect(await inventory.locator('tr[data-level="AD"]').count()).toBe(3);
      await expect
        .poll(() => inventory.locator('tr[data-object="Campaign 1"] td[data-label="Budget"]').textContent())
        .toMatch(/\$100\.00/);

      // TikTok will refuse changes of one of them, as it does for an ad under review.
      const advertiser = await run.db.advertiser.findFirstOrThrow({ where: { name: 'Emulated Advertiser 1' } });
      const refused = await run.db.adsAd.findFirstOrThrow({ where: { advertiserId: advertiser.id, name: 'Ad 1.1.2' } });
      const refusal = 'The ad is under review and cannot be modified now.';
      const armed = await fetch(`${emulator}/__admin/refusals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [refused.platformId], message: refusal }),
      });
      expect(armed.status).toBe(201);

      for (const name of ['Ad 1.1.1', 'Ad 1.1.2', 'Ad 1.1.3']) {
        await inventory.getByRole('checkbox', { name: `Select ad ${name}` }).check();
      }
      const bar = page.getByRole('form', { name: 'Bulk change' });
      await bar.getByText('3 ads selected').waitFor();
      await capture(page, 'ads-inventory');
      await bar.getByRole('combobox', { name: /^Change/ }).selectOption('PAUSE');
      await bar.getByRole('button', { name: 'Preview' }).click();
      await page.waitForURL((location) => location.pathname.startsWith('/ads/jobs/'));
      const status = page.getByTestId('job-status').locator('[data-state]');
      await expect.poll(() => status.getAttribute('data-state')).toBe('PREVIEW');
      const items = page.getByRole('table', { name: 'Items' });
      await expect.poll(() => items.locator('tr[data-item]').count()).toBe(3);
      await capture(page, 'ads-job-preview');

      // Run: the items settle on the open screen (adsBulkJobChanged), no reload.
      await page.evaluate(() => (window.pressroomLoadedOnce = true));
      await page.getByRole('button', { name: 'Run 3 changes' }).click();
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('PARTIALLY_FAILED');
      expect(await page.evaluate(() => window.pressroomLoadedOnce)).toBe(true);
      const itemState = (name: string) => items.locator(`tr[data-item="${name}"]`).getAttribute('data-status');
      await expect.poll(() => itemState('Ad 1.1.1')).toBe('DONE');
      await expect.poll(() => itemState('Ad 1.1.3')).toBe('DONE');
      await expect.poll(() => itemState('Ad 1.1.2')).toBe('FAILED');
      expect(await items.locator('tr[data-item="Ad 1.1.2"]').textContent()).toContain(refusal);
      await expect.poll(() => page.getByTestId('job-counts').textContent()).toMatch(/2 done\s*1 failed/);
      await capture(page, 'ads-job-result');

      // The cause is removed; "Retry 1 failed" sends only that one again.
      const cleared = await fetch(`${emulator}/__admin/refusals`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ids: [refused.platformId] }),
      });
      expect(cleared.status).toBe(200);
      await page.getByRole('button', { name: 'Retry 1 failed' }).click();
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('SUCCEEDED');
      await expect.poll(() => itemState('Ad 1.1.2')).toBe('DONE');
      expect(await page.evaluate(() => window.pressroomLoadedOnce)).toBe(true);
      const paused = await run.db.adsAd.findMany({
        where: { advertiserId: advertiser.id, name: { in: ['Ad 1.1.1', 'Ad 1.1.2', 'Ad 1.1.3'] } },
      });
      expect(paused.map((ad) => ad.operationStatus)).toEqual(['DISABLE', 'DISABLE', 'DISABLE']);
      // Each ad was sent once successfully: the emulator's log has the refused one twice
      // (refused, then retried) and the others once.
      const state = (await (await fetch(`${emulator}/__admin/state`)).json()) as {
        log: Array<{ path: string; body?: { ad_ids?: string[] } }>;
      };
      const sent = state.log
        .filter((entry) => /\/ad\/status\/update/.test(entry.path))
        .flatMap((entry) => entry.body?.ad_ids ?? []);
      expect(sent.filter((id) => id === refused.platformId)).toHaveLength(2);
      expect(sent).toHaveLength(4);

      await page.getByRole('navigation', { name: 'Ads' }).getByRole('link', { name: 'Bulk jobs' }).click();
      const jobs = page.getByRole('table', { name: 'Bulk jobs' });
      await expect
        .poll(() => jobs.locator('tr[data-job] [data-state]').first().getAttribute('data-state'))
        .toBe('SUCCEEDED');
      await capture(page, 'ads-jobs');

      // A campaign report over settled days (TikTok revises the last three): its totals are
      // the sums of the emulator's facts of every ad.
      const from = utcDay(Date.now() - 33 * dayMs);
      const to = utcDay(Date.now() - 4 * dayMs);
      await page.goto(`${url}/ads/report?level=CAMPAIGN&range=custom&from=${from}&to=${to}`);
      const totals = page.getByTestId('totals');
      await totals.waitFor({ timeout: 30_000 });
      const expected = Object.fromEntries(tiktokAdsCountMetrics.map((m) => [m, 0])) as DailyCounts;
      const ads = await run.db.adsAd.findMany({ select: { platformId: true } });
      expect(ads).toHaveLength(36);
      for (const ad of ads) {
        for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`); day += dayMs) {
          const counts = settledCounts(ad.platformId, utcDay(day));
          for (const metric of tiktokAdsCountMetrics) expected[metric] += counts[metric];
        }
      }
      const total = async (metric: string) =>
        (await totals.locator(`[data-metric="${metric}"]`).getAttribute('data-value')) ?? '';
      expect(Math.round(Number(await total('SPEND')) * 100)).toBe(expected.spend);
      expect(await total('IMPRESSIONS')).toBe(String(expected.impressions));
      expect(await total('CLICKS')).toBe(String(expected.clicks));
      expect(await total('CONVERSIONS')).toBe(String(expected.conversion));
      // Shown in the advertisers' currency.
      expect(await totals.locator('[data-metric="SPEND"]').textContent()).toMatch(/^\$[\d,]+\.\d\d$/);
      await page.getByText('Rows 1–6 of 6').waitFor();

      // Each row names its advertiser (name, TikTok id, currency): the two ad accounts both have a
      // "Campaign 1", told apart only by it. Amounts are in that advertiser's currency.
      const table = page.getByRole('region', { name: 'Report table' }).getByRole('table');
      expect(await table.getByRole('columnheader', { name: 'Advertiser' }).count()).toBe(1);
      const shown = await table.locator('tbody tr').evaluateAll((rows) =>
        rows.map((row) => ({
          campaign: row.querySelector('td')?.textContent?.trim() ?? '',
          advertiser: row.querySelector('td[data-label="Advertiser"]')?.textContent?.trim() ?? '',
          spend: row.querySelector('td[data-label="Spend"]')?.textContent ?? '',
        })),
      );
      const campaigns = await run.db.adsCampaign.findMany({ include: { advertiser: true } });
      expect(new Set(campaigns.map((c) => c.advertiserId)).size).toBe(2);
      expect(shown.map(({ campaign, advertiser }) => `${campaign} | ${advertiser}`).sort()).toEqual(
        campaigns
          .map(
            (c) => `${c.name} | ${c.advertiser.name} ${c.advertiser.platformAdvertiserId} · ${c.advertiser.currency}`,
          )
          .sort(),
      );
      for (const row of shown) expect(row.spend).toMatch(/^\$[\d,]+\.\d\d$/);

      // Sorting by a column header: clicks, most first.
      await table.getByRole('button', { name: 'Clicks' }).click();
      await expect
        .poll(() => table.getByRole('columnheader', { name: /Clicks/ }).getAttribute('aria-sort'))
        .toBe('descending');
      const clicksColumn = async () =>
        (await table.locator('tbody td[data-label="Clicks"]').allTextContents()).map((text) =>
          Number(text.replace(/\D/g, '')),
        );
      await expect
        .poll(async () => {
          const clicks = await clicksColumn();
          return clicks.length === 6 && clicks.every((value, i) => i === 0 || clicks[i - 1]! >= value);
        })
        .toBe(true);
      await capture(page, 'ads-report');

      // Columns: a metric added appears as a column and in the totals.
      await page.getByText(/^Columns/).click();
      await page.getByRole('checkbox', { name: 'Likes' }).check();
      await expect.poll(() => total('LIKES')).toBe(String(expected.likes));
      // Drilling into a campaign: its ad groups, filtered by it.
      await page.getByText(/^Columns/).click();
      await table.locator('tbody tr').first().getByRole('button').click();
      await page
        .getByRole('group', { name: 'Filters' })
        .getByText(/^Campaign: Campaign \d$/)
        .waitFor();
      await page.getByText('Rows 1–2 of 2').waitFor();
      await page.getByRole('combobox', { name: /^Rows/ }).selectOption('DAY');
      await page.getByText(/Rows 1–50 of 60/).waitFor();
      await capture(page, 'ads-report-daily');

      // An editor reads ads but may not connect or change them in bulk.
      const editor = await newPage(run.browser);
      await signIn(editor.page, url, 'editor@demo.pressroom.test');
      await go(editor.page, 'Ads');
      await editor.page.getByRole('list', { name: 'Connections' }).getByRole('listitem').first().waitFor();
      expect(await editor.page.getByRole('button', { name: 'Connect TikTok for Business' }).count()).toBe(0);
      expect(await editor.page.getByRole('button', { name: /^Disconnect/ }).count()).toBe(0);
      const editorNav = editor.page.getByRole('navigation', { name: 'Ads' });
      expect(await editorNav.getByRole('link', { name: 'Bulk jobs' }).count()).toBe(0);
      await editorNav.getByRole('link', { name: 'Inventory' }).click();
      const editorInventory = editor.page.getByRole('table', { name: 'Inventory' });
      await editorInventory.getByRole('button', { name: 'Campaigns of Emulated Advertiser 1' }).click();
      await editorInventory.getByRole('button', { name: 'Ad groups of Campaign 1' }).click();
      await editorInventory.locator('tr[data-level="ADGROUP"]').first().waitFor();
      expect(await editorInventory.getByRole('checkbox').count()).toBe(0);
      await editor.page.goto(`${url}/ads/jobs`);
      await editor.page.getByText('Your role does not include bulk changes of ads.').waitFor();
      await editor.context.close();
    },
  );
});
