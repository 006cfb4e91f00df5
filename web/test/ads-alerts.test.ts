// The ads report's saved views and CSV download, and the Alerts screen, in Chromium against the
// stack `npm start` runs with its TikTok Marketing API emulator: a report saved as a shared view,
// renamed and loaded again from another URL; the CSV downloaded through the signed link and
// parsed (its header, and its rows equal to the table's); an alert rule refused with the
// server's reason beside the field, then created; an ad rejected in the emulator and a sync,
// after which the event and its in-app delivery appear on the open Alerts screen without a
// reload, and its email, refused by Resend at first, turns from pending to SENT there by
// subscription alone (the list of events is never read again); an editor sees the rules but
// no way to change them. Photographed at 1440 and 390 px
// and checked with axe-core.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { capture, go, newPage, signIn, useDashboardStack } from './browser.js';

const dayMs = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** "$1,234.56" → 123456 */
const cents = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, '')) * 100);

describe('ads saved views, CSV and alerts in Chromium against npm start', () => {
  const run = useDashboardStack('ads-alerts');

  test(
    'save and load a view, download the report as CSV, create an alert rule and see it fire live',
    { timeout: 360_000 },
    async () => {
      const { url } = run.stack;
      const emulator = /TikTok Ads\s+(http:\/\/\S+)/.exec(run.stack.output())?.[1];
      expect(emulator, 'the banner names the TikTok Ads emulator').toBeTruthy();
      const resend = /Resend\s+(http:\/\/\S+)/.exec(run.stack.output())?.[1];
      expect(resend, 'the banner names the Resend emulator').toBeTruthy();

      const { page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Ads');
      await page.getByRole('button', { name: 'Connect TikTok for Business' }).first().click();
      await page.waitForURL((location) => location.pathname === '/ads', { timeout: 60_000 });
      await expect
        .poll(() => page.getByTestId('facts-progress').first().textContent(), { timeout: 240_000, interval: 1000 })
        .toContain('100%');

      // A campaign report over settled days, sorted by clicks.
      const from = utcDay(Date.now() - 33 * dayMs);
      const to = utcDay(Date.now() - 4 * dayMs);
      await page.goto(`${url}/ads/report?level=CAMPAIGN&range=custom&from=${from}&to=${to}&sort=CLICKS&dir=DESC`);
      const totals = page.getByTestId('totals');
      await totals.waitFor({ timeout: 30_000 });
      await page.getByText('Rows 1–6 of 6').waitFor();
      const spendTotal = await totals.locator('[data-metric="SPEND"]').getAttribute('data-value');
      const table = page.getByRole('region', { name: 'Report table' }).getByRole('table');
      const shownRows = async () =>
        table.locator('tbody tr').evaluateAll((rows) =>
          rows.map((row) => ({
            name: row.querySelector('td')?.textContent?.trim() ?? '',
            spend: row.querySelector('td[data-label="Spend"]')?.textContent ?? '',
            clicks: row.querySelector('td[data-label="Clicks"]')?.textContent ?? '',
          })),
        );
      const rows = await shownRows();
      expect(rows).toHaveLength(6);

      // Saved as a shared view, then renamed.
      const views = page.getByRole('combobox', { name: 'Saved view' });
      await page.getByRole('button', { name: 'Save view' }).click();
      const form = page.getByRole('form', { name: 'Save view' });
      await form.getByLabel('View name').fill('Campaigns by clicks');
      await form.getByLabel('Shared with the organization').check();
      await capture(page, 'ads-report-save-view');
      await form.getByRole('button', { name: 'Save as new view' }).click();
      await expect.poll(() => views.locator('option:checked').textContent()).toBe('Campaigns by clicks (shared)');
      await page.getByRole('button', { name: 'Save view' }).click();
      await form.getByLabel('View name').fill('Campaigns, most clicks first');
      await form.getByRole('button', { name: 'Update “Campaigns by clicks”' }).click();
      await expect
        .poll(() => views.locator('option:checked').textContent())
        .toBe('Campaigns, most clicks first (shared)');
      const saved = await run.db.adsReportView.findFirstOrThrow({ where: { name: 'Campaigns, most clicks first' } });
      expect(saved.shared).toBe(true);
      expect(saved.report).toMatchObject({ level: 'CAMPAIGN', from, to, sortBy: 'CLICKS', sortDirection: 'DESC' });

      // From the report's default, picking the view loads it: its range, sort and rows.
      await page.goto(`${url}/ads/report`);
      await totals.waitFor({ timeout: 30_000 });
      await views.selectOption({ label: 'Campaigns, most clicks first (shared)' });
      await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe(from);
      await expect.poll(() => totals.locator('[data-metric="SPEND"]').getAttribute('data-value')).toBe(spendTotal);
      await expect.poll(shownRows).toEqual(rows);
      expect(await table.getByRole('columnheader', { name: /Clicks/ }).getAttribute('aria-sort')).toBe('descending');

      // The CSV of the report as shown, through the browser's own download.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`ads-campaign-${from}-${to}.csv`);
      const csv: string[][] = parse(await readFile(await download.path(), 'utf8'), {});
      const [header, ...lines] = csv;
      expect(header).toEqual([
        'Campaign ID',
        'Campaign',
        'Spend (USD)',
        'Impressions',
        'Clicks',
        'CTR (%)',
        'CPC (USD)',
        'Conversions',
      ]);
      expect(lines).toHaveLength(6);
      // Same rows in the same order (clicks, most first) as the table.
      expect(
        lines.map((line) => ({ name: line[1], spend: Math.round(Number(line[2]) * 100), clicks: Number(line[4]) })),
      ).toEqual(
        rows.map((row) => ({ name: row.name, spend: cents(row.spend), clicks: Number(row.clicks.replace(/\D/g, '')) })),
      );
      await run.db.auditEvent.findFirstOrThrow({ where: { action: 'ads_report.export' } });

      // Alerts: none yet.
      await page.getByRole('navigation', { name: 'Ads' }).getByRole('link', { name: 'Alerts' }).click();
      await page.getByText('No alert rules yet.').waitFor();
      await page.getByText('No alerts so far.').waitFor();
      await capture(page, 'ads-alerts-empty');
      // From here on the screen is live: events and their deliveries come by subscription, and
      // the list of events is never read again (no polling).
      const eventReads: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith('/graphql') && request.postData()?.includes('query AdsAlertEvents')) {
          eventReads.push(request.postData() ?? '');
        }
      });

      // A spend rule without its amount is refused, the reason beside the field.
      await page.getByRole('button', { name: 'New rule' }).click();
      const dialog = page.getByRole('dialog', { name: 'New alert rule' });
      await dialog.getByLabel('Name').fill('Rejected ads');
      await dialog.getByLabel('When').selectOption({ label: 'Daily spend above' });
      await dialog.getByRole('button', { name: 'Create rule' }).click();
      const amount = dialog.getByLabel(/^Amount/);
      await expect.poll(() => amount.getAttribute('aria-invalid')).toBe('true');
      await dialog.getByText('This kind of rule needs an amount to compare with.').waitFor();
      await dialog.getByRole('alert').getByText('Not saved: correct the marked fields.').waitFor();
      await capture(page, 'ads-alert-rule-refused');
      // An ad rejected, told in the app and by email.
      await dialog.getByLabel('When').selectOption({ label: 'Ad rejected' });
      expect(await dialog.getByLabel(/^Amount/).count()).toBe(0);
      await dialog.getByRole('checkbox', { name: 'Email' }).check();
      await dialog.getByLabel('Email recipients').fill('ads-team@example.test');
      await dialog.getByRole('button', { name: 'Create rule' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const rulesTable = page.getByRole('table', { name: 'Alert rules' });
      const ruleRow = rulesTable.locator('tr[data-rule="Rejected ads"]');
      await ruleRow.waitFor();
      expect(await ruleRow.textContent()).toContain('Email (ads-team@example.test)');
      const rule = await run.db.adsAlertRule.findFirstOrThrow({ where: { name: 'Rejected ads' } });
      expect(rule).toMatchObject({ kind: 'AD_REJECTED', channels: ['IN_APP', 'EMAIL'], thresholdCents: null });

      // Review rejects an ad at TikTok; a sync started elsewhere finds it. The open screen
      // shows the event and its deliveries without a reload. Resend is down for now (503s), so
      // the email waits for a later sync.
      await page.evaluate(() => (window.pressroomLoadedOnce = true));
      const outage = await fetch(`${resend}/__admin/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          method: 'POST',
          pathPrefix: '/emails',
          fault: { kind: 'status', status: 503, message: 'Resend is down' },
          times: 1000,
        }),
      });
      expect(outage.status).toBe(201);
      const ad = await run.db.adsAd.findFirstOrThrow({ where: { name: 'Ad 2.1.1' }, orderBy: { createdAt: 'asc' } });
      const reviewed = await fetch(`${emulator}/__admin/ads/review`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ adId: ad.platformId, status: 'AD_STATUS_REJECT' }),
      });
      expect(reviewed.status).toBe(200);
      const other = await newPage(run.browser);
      await signIn(other.page, url, 'owner@demo.pressroom.test');
      await go(other.page, 'Ads');
      await other.page
        .getByRole('button', { name: /^Sync now/ })
        .first()
        .click();
      const events = page.getByRole('list', { name: 'Alert events' });
      const event = events.getByRole('listitem').filter({ hasText: 'Ad “Ad 2.1.1” rejected' });
      await event.first().waitFor({ timeout: 90_000 });
      const inApp = event.locator('li[data-channel="IN_APP"]');
      await expect.poll(() => inApp.getAttribute('data-status'), { timeout: 30_000 }).toBe('SENT');
      expect(await inApp.textContent()).toMatch(/ref \d+ members/);
      const mail = event.locator('li[data-channel="EMAIL"]');
      expect(await mail.textContent()).toContain('ads-team@example.test');
      // The refused attempt is told as it happens: still pending, with Resend's answer.
      await mail.locator('.row-note').waitFor({ timeout: 60_000 });
      expect(await mail.getAttribute('data-status')).toBe('PENDING');
      await capture(page, 'ads-alerts-pending');

      // Resend is back; a later sync sends the email. The open screen turns it SENT, with the
      // email's id, from the subscription alone.
      expect((await fetch(`${resend}/__admin/faults`, { method: 'DELETE' })).status).toBe(204);
      const delivery = () =>
        run.db.adsAlertDelivery.findFirstOrThrow({ where: { channel: 'EMAIL', event: { ruleId: rule.id } } });
      // A sync asked for while one runs is skipped (overlaps are), so ask until one sends it.
      for (let tries = 0; tries < 30 && (await delivery()).status !== 'SENT'; tries++) {
        await other.page
          .getByRole('button', { name: /^Sync now/ })
          .first()
          .click();
        for (let i = 0; i < 10 && (await delivery()).status !== 'SENT'; i++) await page.waitForTimeout(1000);
      }
      const sent = await delivery();
      expect(sent.status).toBe('SENT');
      await expect.poll(() => mail.getAttribute('data-status'), { timeout: 30_000 }).toBe('SENT');
      expect(await mail.textContent()).toContain(`ref ${sent.providerReference}`);
      expect(await mail.locator('.row-note').count()).toBe(0);
      expect(eventReads).toEqual([]);
      expect(await page.evaluate(() => window.pressroomLoadedOnce)).toBe(true);
      await expect.poll(() => ruleRow.locator('td[data-label="Last fired"]').textContent()).not.toBe('never');
      const stored = await run.db.adsAlertEvent.findMany({ where: { ruleId: rule.id } });
      expect(stored).toHaveLength(1);
      await other.context.close();
      await capture(page, 'ads-alerts');

      // Edit: the rule's own values are in the form, and a change is saved.
      await ruleRow.getByRole('button', { name: 'Edit rule Rejected ads' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit “Rejected ads”' });
      expect(await edit.getByLabel('Email recipients').inputValue()).toBe('ads-team@example.test');
      await edit.getByLabel('Enabled').uncheck();
      await edit.getByRole('button', { name: 'Save rule' }).click();
      await edit.waitFor({ state: 'hidden' });
      await expect.poll(() => ruleRow.locator('[data-state]').getAttribute('data-state')).toBe('DISABLED');

      // An editor reads rules and events but may not change them.
      const editor = await newPage(run.browser);
      await signIn(editor.page, url, 'editor@demo.pressroom.test');
      await editor.page.goto(`${url}/ads/alerts`);
      await editor.page.getByRole('table', { name: 'Alert rules' }).locator('tr[data-rule="Rejected ads"]').waitFor();
      await editor.page.getByRole('list', { name: 'Alert events' }).getByRole('listitem').first().waitFor();
      expect(await editor.page.getByRole('button', { name: 'New rule' }).count()).toBe(0);
      expect(await editor.page.getByRole('button', { name: /^Edit rule/ }).count()).toBe(0);
      expect(await editor.page.getByRole('button', { name: /^Delete rule/ }).count()).toBe(0);
      await editor.context.close();

      // Delete, after the dialog that names it.
      await ruleRow.getByRole('button', { name: 'Delete rule Rejected ads' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete rule' }).click();
      // By CSS, not by role: while the confirmation is open the table is hidden from the
      // accessibility tree, which a role locator would read as the row being gone already.
      await page.locator('tr[data-rule="Rejected ads"]').waitFor({ state: 'detached' });
      await expect.poll(() => run.db.adsAlertRule.count({ where: { id: rule.id } })).toBe(0);
      // Its event stays, now without a rule.
      await expect.poll(() => event.first().textContent()).toContain('Rule: deleted');
    },
  );
});
