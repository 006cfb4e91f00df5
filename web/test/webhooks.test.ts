// The Webhooks screen in Chromium against the stack `npm start` runs, with private URLs allowed
// (WEBHOOKS_ALLOW_PRIVATE_URLS=true for its api and worker) so an endpoint can point at a
// receiver this test serves on loopback: registration with the server's typed refusal, the
// secret shown once, a delivery and its attempt appearing on the open list, redelivery,
// disable, rotation and delete; photographed at 1440 and 390 px and checked with axe-core.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emitEvent } from '@pressroom/db/events';
import { afterAll, describe, expect, test } from 'vitest';
import { capture, newPage, signIn, useDashboardStack } from './browser.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('webhooks screen in Chromium against npm start', () => {
  const run = useDashboardStack('webhooks', { WEBHOOKS_ALLOW_PRIVATE_URLS: 'true' });
  const received: Received[] = [];
  const receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  test(
    'an owner registers an endpoint (a non-http URL refused with the typed error), sees the secret once, and sees a delivery with status 200; redeliver, disable, rotate and delete; a reviewer is not offered the screen',
    { timeout: 240_000 },
    async () => {
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/pressroom`;
      const { url } = run.stack;
      const owner = await newPage(run.browser);
      const page = owner.page;
      await signIn(page, url, 'owner@demo.pressroom.test');
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: /^Webhooks/ })
        .click();
      await page.getByText('No webhook endpoints yet.').waitFor();
      await capture(page, 'webhooks-empty');

      // The event a demo post's change produces, by its status now.
      const post = await run.db.post.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
      const eventType = `post.${post.status.toLowerCase()}`;

      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a webhook endpoint' });
      await dialog.getByLabel('URL').fill('ftp://127.0.0.1/hooks');
      await dialog.getByLabel('Description').fill('Our CMS');
      await dialog.getByRole('checkbox', { name: eventType, exact: true }).check();
      await dialog.getByRole('button', { name: 'Add endpoint' }).click();
      await expect
        .poll(() => dialog.getByRole('alert').textContent())
        .toContain('This URL cannot receive webhooks: only http(s) URLs.');
      await capture(page, 'webhooks-add-refused');
      expect(await run.db.webhookEndpoint.count()).toBe(0);

      await dialog.getByLabel('URL').fill(receiverUrl);
      await dialog.getByRole('button', { name: 'Add endpoint' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
      expect(secret).toMatch(/^whsec_/);
      const card = page.locator(`[data-endpoint="${receiverUrl}"]`);
      await expect.poll(() => card.getByText('enabled', { exact: true }).count()).toBe(1);
      await expect.poll(() => card.innerText()).toContain('Our CMS');
      await capture(page, 'webhooks-secret');
      await page.getByRole('button', { name: 'Done' }).click();
      // Shown once: not after a reload either.
      await page.reload();
      await card.waitFor();
      expect(await page.getByTestId('webhook-secret').count()).toBe(0);
      expect(await page.content()).not.toContain(secret);

      // The deliveries list is open when the event happens; the attempt appears on it.
      await card.getByRole('button', { name: 'Deliveries' }).click();
      await card.getByText('No deliveries yet.').waitFor();
      await run.db.$transaction(async (tx) => {
        await emitEvent(tx, {
          kind: 'post.changed',
          organizationId: post.organizationId,
          payload: { postId: post.id, brandId: post.brandId },
        });
      });
      const delivery = card.locator(`[data-delivery="${eventType}"]`);
      await expect
        .poll(() => delivery.getByTestId('attempt-status').first().textContent(), { timeout: 30_000 })
        .toBe('200');
      await expect.poll(() => delivery.locator('[data-state="SUCCEEDED"]').count()).toBe(1);
      expect(received).toHaveLength(1);
      expect(received[0]!.headers['pressroom-event']).toBe(eventType);
      expect(received[0]!.headers['pressroom-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      await capture(page, 'webhooks-deliveries');

      await delivery
        .getByRole('button', { name: /^Redeliver/ })
        .first()
        .click();
      await expect.poll(() => received.length, { timeout: 30_000 }).toBe(2);
      expect(received[1]!.headers['pressroom-event']).toBe(eventType);

      await card.getByRole('button', { name: 'Disable' }).click();
      await expect.poll(() => card.getByText('disabled', { exact: true }).count()).toBe(1);
      expect((await run.db.webhookEndpoint.findFirstOrThrow()).enabled).toBe(false);
      await card.getByRole('button', { name: 'Enable' }).click();
      await expect.poll(() => card.getByText('enabled', { exact: true }).count()).toBe(1);

      await card.getByRole('button', { name: `Rotate secret of ${receiverUrl}` }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate' }).click();
      await expect.poll(() => page.getByTestId('webhook-secret').count()).toBe(1);
      const rotated = (await page.getByTestId('webhook-secret').textContent()) ?? '';
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);

      await card.getByRole('button', { name: `Delete ${receiverUrl}` }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete endpoint' }).click();
      await page.getByText('No webhook endpoints yet.').waitFor();
      expect(await run.db.webhookEndpoint.count()).toBe(0);
      await owner.context.close();

      const reviewer = await newPage(run.browser);
      await signIn(reviewer.page, url, 'reviewer@demo.pressroom.test');
      expect(
        await reviewer.page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: /^Webhooks/ })
          .count(),
      ).toBe(0);
      await reviewer.page.goto(`${url}/webhooks`);
      await reviewer.page.getByText('Only owners and admins manage webhooks.').waitFor();
      await reviewer.context.close();
    },
  );
});
