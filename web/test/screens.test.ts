// The analytics (and later) screens in Chromium against the stack `npm start` runs, with the
// demo organization plus rows written straight into its database (an account that has synced,
// a published post with metrics), photographed at 1440 and 390 px and checked with axe-core.
import { emitEvent } from '@pressroom/db/events';
import { describe, expect, test } from 'vitest';
import { capture, go, newPage, signIn, useDashboardStack } from './browser.js';

const day = 86_400_000;

describe('analytics and planning screens in Chromium against npm start', () => {
  const run = useDashboardStack('screens');

  test(
    'analytics: empty state, then followers and per-post charts with totals and top posts, updated live by a sync; not offered to a reviewer',
    { timeout: 240_000 },
    async () => {
      const { url } = run.stack;
      const owner = await newPage(run.browser);
      const page = owner.page;
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Analytics');
      await page
        .getByText('No accounts connected to this brand yet.')
        .waitFor()
        .catch(async (error: unknown) => {
          console.error(`analytics page said: ${await page.locator('main').innerText()}`);
          throw error;
        });
      await capture(page, 'analytics-empty');

      // An account that synced daily for 40 days, and a post it published 5 days ago.
      const brand = await run.db.brand.findFirstOrThrow({ where: { organization: { memberships: { some: {} } } } });
      const account = await run.db.socialAccount.create({
        data: {
          organizationId: brand.organizationId,
          brandId: brand.id,
          platform: 'TIKTOK',
          platformAccountId: 'analytics-e2e',
          displayName: 'Demo Roasters',
          username: 'demoroasters',
        },
      });
      const now = Date.now();
      for (let daysAgo = 40; daysAgo >= 1; daysAgo -= 1) {
        await run.db.accountSnapshot.create({
          data: {
            organizationId: brand.organizationId,
            socialAccountId: account.id,
            // Half a day off the range's edges, so which points a range holds does not depend on timing.
            capturedAt: new Date(now - (daysAgo - 0.5) * day),
            followerCount: 2000 + (40 - daysAgo) * 25,
            followingCount: 10,
            likesCount: 500n,
            videoCount: 4,
          },
        });
      }
      const post = await run.db.post.findFirstOrThrow({ where: { brandId: brand.id } });
      const publication = await run.db.publication.create({
        data: {
          organizationId: brand.organizationId,
          postId: post.id,
          socialAccountId: account.id,
          platform: 'TIKTOK',
          state: 'PUBLISHED',
          scheduledAt: new Date(now - 5 * day),
          publishedAt: new Date(now - 5 * day),
        },
      });
      const video = await run.db.platformVideo.create({
        data: {
          organizationId: brand.organizationId,
          socialAccountId: account.id,
          platform: 'TIKTOK',
          platformVideoId: 'analytics-e2e-video',
          publicationId: publication.id,
          postedAt: new Date(now - 5 * day),
          viewCount: 5000n,
          likeCount: 400n,
          commentCount: 30n,
          shareCount: 12n,
          metricsCapturedAt: new Date(now - day),
        },
      });
      for (let daysAgo = 5; daysAgo >= 1; daysAgo -= 1) {
        await run.db.videoMetricSnapshot.create({
          data: {
            organizationId: brand.organizationId,
            platformVideoId: video.id,
            capturedAt: new Date(now - daysAgo * day),
            viewCount: BigInt((6 - daysAgo) * 1000),
            likeCount: BigInt((6 - daysAgo) * 80),
            commentCount: BigInt((6 - daysAgo) * 6),
            shareCount: BigInt(6 - daysAgo),
          },
        });
      }

      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('figure').filter({ hasText: 'Followers' }).waitFor();
      // 30 days: the latest count and the growth within the range (29 daily steps of 25).
      await expect.poll(() => page.getByTestId('total-followers').textContent()).toBe('2,975');
      expect(await page.getByText('+725').count()).toBe(1);
      // Views come from the top-posts query, which Refresh sends beside the followers' one
      // and which may answer after it.
      await expect.poll(() => page.getByTestId('total-views').textContent()).toBe('5,000');
      // Hovering the chart shows the exact values (uPlot draws its axes and their unit labels on the canvas).
      const followers = page.getByRole('figure').filter({ hasText: 'Followers' });
      const canvas = followers.locator('.u-over');
      const box = (await canvas.boundingBox())!;
      await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
      await expect.poll(() => followers.locator('.u-legend').textContent()).toContain('2,975');
      // The post's own series: views, likes, comments and shares, with the numbers beside the chart.
      const postChart = page.getByRole('figure').filter({ hasText: 'over time' });
      await postChart.waitFor();
      expect(await postChart.locator('.u-legend').textContent()).toMatch(/Views.*Likes.*Comments.*Shares/);
      await postChart.getByText('Show the numbers').click();
      await postChart.getByRole('cell', { name: '5,000' }).waitFor();
      await capture(page, 'analytics');

      // 7 days: growth over the last week only (6 steps of 25 within the range).
      await page.getByRole('button', { name: '7 days' }).click();
      await expect.poll(() => page.getByText('+150').count()).toBe(1);

      // A sync lands: the screen refreshes in place, without a reload.
      await page.evaluate(() => (window.pressroomLoadedOnce = true));
      await run.db.$transaction(async (tx) => {
        await tx.accountSnapshot.create({
          data: {
            organizationId: brand.organizationId,
            socialAccountId: account.id,
            capturedAt: new Date(),
            followerCount: 3100,
            followingCount: 10,
            likesCount: 600n,
            videoCount: 5,
          },
        });
        await emitEvent(tx, {
          kind: 'metrics.updated',
          organizationId: brand.organizationId,
          payload: { socialAccountId: account.id },
        });
      });
      await expect.poll(() => page.getByTestId('total-followers').textContent(), { timeout: 10_000 }).toBe('3,100');
      expect(await page.evaluate(() => window.pressroomLoadedOnce)).toBe(true);

      // A custom range that ends before it starts says so instead of asking the server.
      await page.getByRole('button', { name: 'Custom' }).click();
      await page.getByLabel('From', { exact: true }).fill('2026-03-10');
      await page.getByLabel('To', { exact: true }).fill('2026-03-01');
      await page.getByText('The start of the range is after its end.').waitFor();
      await owner.context.close();

      // A reviewer has no analytics: no section in the navigation.
      const reviewer = await newPage(run.browser);
      await signIn(reviewer.page, url, 'reviewer@demo.pressroom.test');
      const nav = reviewer.page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: /^Analytics/ }).count()).toBe(0);
      await reviewer.context.close();
    },
  );
  test(
    'calendar: scheduled posts on the week in the chosen time zone; drag to reschedule, the keyboard dialog, unschedule; month and list views',
    { timeout: 240_000 },
    async () => {
      const { url } = run.stack;
      const { context, page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Calendar');
      await page.getByText('Nothing scheduled.').waitFor();
      await capture(page, 'calendar-empty');

      // An approved post, scheduled through the api for two days from now at 10:00 UTC.
      const brand = await run.db.brand.findFirstOrThrow({ where: { organization: { memberships: { some: {} } } } });
      // A demo post whose slides `npm start` rendered, not yet published anywhere, approved.
      const rendered = await run.db.post.findFirstOrThrow({
        where: {
          brandId: brand.id,
          publications: { none: {} },
          slides: { some: { media: { status: 'READY', kind: 'IMAGE' } } },
        },
      });
      const post = await run.db.post.update({
        where: { id: rendered.id },
        data: { status: 'APPROVED', title: 'Harvest notes' },
      });
      // An account of its own to schedule to: the analytics test's account has no token, so
      // its sync may have marked it REVOKED by now.
      await run.db.socialAccount.create({
        data: {
          organizationId: brand.organizationId,
          brandId: brand.id,
          platform: 'TIKTOK',
          platformAccountId: 'calendar-e2e',
          displayName: 'Calendar account',
          status: 'ACTIVE',
        },
      });
      const start = new Date(Date.now() + 2 * day);
      start.setUTCHours(10, 0, 0, 0);
      const scheduled = await page.evaluate(
        async ({ id, at }) => {
          const response = await fetch('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              query: `mutation($id: ID!, $at: DateTime!) { schedulePost(id: $id, scheduledAt: $at) { __typename ... on Error { message } } }`,
              variables: { id, at },
            }),
          });
          return response.json() as Promise<{ data?: { schedulePost: { __typename: string; message?: string } } }>;
        },
        { id: Buffer.from(`Post:${post.id}`).toString('base64url'), at: start.toISOString() },
      );
      expect(scheduled.data?.schedulePost).toEqual({ __typename: 'MutationSchedulePostSuccess' });

      // It appears live (postChanged), on its day, at its time in the zone chosen.
      await page.getByLabel('Time zone').selectOption('UTC');
      const chip = page.locator(`[data-post-id]`).filter({ hasText: 'Harvest notes' });
      // The week may end before the post's day (the server sends only the shown week): move on.
      const startDay = start.toISOString().slice(0, 10);
      await page.locator('[data-day]').first().waitFor();
      if ((await page.locator(`[data-day="${startDay}"]`).count()) === 0) {
        await page.getByRole('button', { name: 'Next week' }).click();
      }
      await page.locator(`[data-day="${startDay}"]`).getByText('Harvest notes').waitFor();
      expect(await chip.textContent()).toMatch(/10:00/);
      // On the hour grid: at 10 hours from the top of its day, with the zone in the grid's corner.
      const slot = page.locator(`[data-day="${startDay}"] .hour-slot`);
      expect(await slot.evaluate((element) => getComputedStyle(element).getPropertyValue('--at').trim())).toBe('10');
      const hours = (await page.locator(`[data-day="${startDay}"] .day-hours`).boundingBox())!;
      const placed = (await slot.boundingBox())!;
      expect(Math.round(((placed.y - hours.y) / hours.height) * 24)).toBe(10);
      expect(await page.locator('.hour-zone').textContent()).toBe('UTC');
      await capture(page, 'calendar-week');

      // Drag it to the next day: same time of day, one day later.
      const nextDay = new Date(start.getTime() + day).toISOString().slice(0, 10);
      let target = page.locator(`[data-day="${nextDay}"]`);
      if ((await target.count()) === 0) {
        // Sunday's post: the next day is in the next week; use the day before instead.
        target = page.locator(`[data-day="${new Date(start.getTime() - day).toISOString().slice(0, 10)}"]`);
      }
      const targetDay = (await target.getAttribute('data-day'))!;
      // Dropped on the top of the day (its date), which is in view whatever the grid's height.
      await page
        .locator(`[data-day="${startDay}"] [data-post-id]`)
        .dragTo(target, { targetPosition: { x: 24, y: 12 } });
      await expect
        .poll(async () => (await run.db.post.findUniqueOrThrow({ where: { id: post.id } })).scheduledAt?.toISOString())
        .toBe(`${targetDay}T10:00:00.000Z`);
      await target.getByText('Harvest notes').waitFor();

      // Without a mouse: focus it, open it, type a new time, submit.
      await target.locator('[data-post-id]').focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('New time (UTC)').fill(`${targetDay}T16:30`);
      await capture(page, 'calendar-reschedule');
      await dialog.getByRole('button', { name: 'Reschedule' }).click();
      await expect
        .poll(async () => (await run.db.post.findUniqueOrThrow({ where: { id: post.id } })).scheduledAt?.toISOString())
        .toBe(`${targetDay}T16:30:00.000Z`);
      await expect.poll(() => target.locator('[data-post-id]').textContent()).toMatch(/16:30|0?4:30\sPM/);

      // Month and list views show it too.
      await page.getByRole('button', { name: 'Month' }).click();
      await page.locator(`[data-day="${targetDay}"]`).getByText('Harvest notes').waitFor();
      await capture(page, 'calendar-month');
      await page.getByRole('button', { name: 'List' }).click();
      await page.getByRole('table', { name: 'Scheduled posts' }).getByText('Harvest notes').waitFor();
      await capture(page, 'calendar-list');

      // Unschedule (confirmed): the post is approved again and leaves the calendar.
      await page.getByRole('button', { name: 'Reschedule' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Unschedule' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Unschedule' }).click();
      await expect
        .poll(async () => (await run.db.post.findUniqueOrThrow({ where: { id: post.id } })).status)
        .toBe('APPROVED');
      await page.getByText('Nothing scheduled.').waitFor();
      await context.close();
    },
  );
  test(
    'audit log: events with who and request id, filtered by action and person, new ones live, CSV of the filter; not offered to an editor',
    { timeout: 180_000 },
    async () => {
      const { url } = run.stack;
      const { context, page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Audit');
      const table = page.getByRole('table', { name: 'Audit events' });
      await table.waitFor();
      // The calendar test's schedule, reschedules and unschedule are there, by the owner.
      await page.getByLabel('Actions').fill('post.reschedule, post.unschedule');
      await page.getByLabel('Actions').press('Enter');
      await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
      expect(await table.locator('tbody tr').first().getAttribute('data-action')).toBe('post.unschedule');
      expect(await table.locator('tbody tr').first().textContent()).toContain('Olivia Owner');
      await capture(page, 'audit');

      // A person who did none of them: nothing matches, and the empty state says so.
      await page.getByLabel('Person').selectOption({ label: 'Ravi Reviewer' });
      await page.getByText('No events match these filters.').waitFor();
      await capture(page, 'audit-empty');
      await page.getByLabel('Person').selectOption({ label: 'Olivia Owner' });
      await expect.poll(() => table.locator('tbody tr').count()).toBe(3);

      // The CSV is the filtered log.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const csv = await new Promise<string>((resolve, reject) => {
        void download.createReadStream().then((stream) => {
          let text = '';
          stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
          stream.on('end', () => resolve(text));
          stream.on('error', reject);
        }, reject);
      });
      // Rows of the three events, and none of any other action (a quoted field may span lines).
      expect(csv.match(/post\.(reschedule|unschedule)/g)).toHaveLength(3);
      expect(csv).not.toMatch(/post\.schedule\b/);

      // A new event arrives live while the filter is cleared.
      await page.getByRole('button', { name: 'Clear filters' }).first().click();
      // Unfiltered again once the schedule itself (not one of the filtered actions) is back.
      await table.locator('tr[data-action="post.schedule"]').waitFor();
      const before = await table.locator('tbody tr').count();
      const brand = await run.db.brand.findFirstOrThrow({ where: { organization: { memberships: { some: {} } } } });
      await run.db.$transaction(async (tx) => {
        const event = await tx.auditEvent.create({
          data: { organizationId: brand.organizationId, action: 'brand.live_check', requestId: 'req-live-check' },
        });
        await emitEvent(tx, {
          kind: 'audit.recorded',
          organizationId: brand.organizationId,
          payload: { auditEventId: event.id.toString() },
        });
      });
      await table.locator('tr[data-action="brand.live_check"]').waitFor({ timeout: 10_000 });
      expect(await table.locator('tbody tr').count()).toBe(Math.min(before + 1, 50));
      await context.close();

      // An editor may not read the audit log: no section for it.
      const editor = await newPage(run.browser);
      await signIn(editor.page, url, 'editor@demo.pressroom.test');
      expect(
        await editor.page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: /^Audit/ })
          .count(),
      ).toBe(0);
      await editor.context.close();
    },
  );
  test(
    'team: members and roles, an invitation, an API token shown once then revoked; an analyst is offered none of it',
    { timeout: 180_000 },
    async () => {
      const { url } = run.stack;
      const { context, page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Team');
      const members = page.getByRole('table', { name: 'Members' });
      await expect.poll(() => members.locator('tbody tr').count(), { timeout: 15_000 }).toBe(5);

      // A staff record's names: set on the editor's row, shown instead of the account name.
      const editorRow = members.locator('[data-member="editor@demo.pressroom.test"]');
      await editorRow.getByRole('button', { name: /^Edit names of/ }).click();
      const names = page.getByRole('dialog');
      await names.getByLabel('First name').fill('Ada');
      await names.getByLabel('Last name').fill('Lovelace');
      await names.getByRole('button', { name: 'Save' }).click();
      await editorRow.getByText('Ada Lovelace').waitFor();
      const editorMembership = await run.db.membership.findFirstOrThrow({
        where: { user: { email: 'editor@demo.pressroom.test' } },
      });
      expect([editorMembership.firstName, editorMembership.lastName]).toEqual(['Ada', 'Lovelace']);

      await page.getByLabel('Email').fill('newcomer@example.test');
      await page.getByLabel('Role', { exact: true }).selectOption('ANALYST');
      await page.getByRole('button', { name: 'Invite' }).click();
      await page.locator('[data-invite="newcomer@example.test"]').waitFor();
      expect(await run.db.invite.count({ where: { email: 'newcomer@example.test', role: 'ANALYST' } })).toBe(1);

      await page.getByLabel('Token name').fill('CI exporter');
      await page.getByRole('checkbox', { name: 'analytics:read' }).check();
      await page.getByRole('button', { name: 'Create token' }).click();
      const secret = (await page.getByTestId('token-secret').textContent())!;
      const stored = await run.db.apiToken.findFirstOrThrow({ where: { name: 'CI exporter' } });
      expect(secret.startsWith(stored.prefix)).toBe(true);
      expect(stored.scopes.sort()).toEqual(['analytics:read', 'posts:read']);
      await page.locator('[data-token="CI exporter"]').waitFor();
      await capture(page, 'team');
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await page.getByTestId('token-secret').count()).toBe(0);

      await page.locator('[data-token="CI exporter"]').getByRole('button', { name: 'Revoke' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke token' }).click();
      await page.locator('[data-token="CI exporter"]').waitFor({ state: 'detached' });
      expect((await run.db.apiToken.findUniqueOrThrow({ where: { id: stored.id } })).revokedAt).not.toBeNull();
      await context.close();

      const analyst = await newPage(run.browser);
      await signIn(analyst.page, url, 'analyst@demo.pressroom.test');
      await go(analyst.page, 'Team');
      await analyst.page.getByRole('table', { name: 'Members' }).locator('tbody tr').first().waitFor();
      expect(await analyst.page.getByRole('heading', { name: 'Invitations' }).count()).toBe(0);
      expect(await analyst.page.getByRole('heading', { name: 'API tokens' }).count()).toBe(0);
      expect(await analyst.page.getByRole('combobox', { name: /^Role of/ }).count()).toBe(0);
      expect(await analyst.page.getByRole('button', { name: 'Remove' }).count()).toBe(0);
      // Only their own names are theirs to edit.
      expect(await analyst.page.getByRole('button', { name: /^Edit names of/ }).count()).toBe(1);
      await analyst.page
        .locator('[data-member="analyst@demo.pressroom.test"]')
        .getByRole('button', { name: /^Edit names of/ })
        .waitFor();
      await capture(analyst.page, 'team-analyst');
      await analyst.context.close();
    },
  );
  test(
    'settings: an owner changes approvals, time zone and the Telegram review chat; an analyst is not offered settings',
    { timeout: 120_000 },
    async () => {
      const { url } = run.stack;
      const { context, page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Settings');
      await page.getByLabel('Approvals a post needs').fill('2');
      await page.getByLabel('Time zone').selectOption('Europe/Berlin');
      await page.getByLabel('Telegram review chat').fill('-1009876543210');
      await capture(page, 'settings');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Settings saved').waitFor();
      const brand = await run.db.brand.findFirstOrThrow({ where: { organization: { memberships: { some: {} } } } });
      const settings = await run.db.organizationSettings.findUniqueOrThrow({
        where: { organizationId: brand.organizationId },
      });
      expect(settings).toMatchObject({
        requiredApprovals: 2,
        timezone: 'Europe/Berlin',
        telegramReviewChatId: '-1009876543210',
      });
      // A refused value comes back with the server's words.
      await page.getByLabel('Telegram review chat').fill('not a chat');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('.toast-error').waitFor();
      await context.close();

      const analyst = await newPage(run.browser);
      await signIn(analyst.page, url, 'analyst@demo.pressroom.test');
      const nav = analyst.page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: /^Settings/ }).count()).toBe(0);
      await analyst.context.close();
    },
  );
  test(
    'review: a reviewer approves, an editor edits the caption in review and the approvals count again from zero, live on both screens; a stale save shows the newer text and "keep mine" overwrites it',
    { timeout: 240_000 },
    async () => {
      const { url } = run.stack;
      const brand = await run.db.brand.findFirstOrThrow({ where: { organization: { memberships: { some: {} } } } });
      await run.db.brand.update({ where: { id: brand.id }, data: { requiredApprovals: 2 } });
      // A post of its own, in review with a typo.
      const post = await run.db.post.create({
        data: {
          organizationId: brand.organizationId,
          brandId: brand.id,
          status: 'IN_REVIEW',
          title: 'Edit in review',
          caption: 'Fresh beens every Tuesday',
          hashtags: ['#coffee'],
          slides: { create: [{ position: 0, heading: 'Roast day', body: 'Every Tuesday.' }] },
        },
      });

      const reviewer = await newPage(run.browser);
      await signIn(reviewer.page, url, 'reviewer@demo.pressroom.test');
      await go(reviewer.page, 'Review');
      await reviewer.page.locator('.queue-item', { hasText: 'Edit in review' }).click();
      await reviewer.page.locator(`.phone[data-post]`).filter({ hasText: 'Fresh beens' }).waitFor();

      const editor = await newPage(run.browser);
      await signIn(editor.page, url, 'editor@demo.pressroom.test');
      await editor.page.goto(`${url}/review`);
      await editor.page.locator('.queue-item', { hasText: 'Edit in review' }).click();
      const remaining = editor.page.getByTestId('approvals-remaining');
      await expect.poll(() => remaining.textContent()).toBe('2 of 2 approvals remaining');
      await editor.page.evaluate(() => (window.pressroomLoadedOnce = true));

      // The reviewer approves; the editor's screen counts it without a reload.
      await reviewer.page.getByRole('button', { name: 'Approve' }).click();
      await reviewer.page.locator('.toast').filter({ hasText: 'still needs another approval' }).waitFor();
      // The queue moves on after a decision; the reviewer goes back to the post.
      await reviewer.page.locator('.queue-item', { hasText: 'Edit in review' }).click();
      await expect.poll(() => remaining.textContent(), { timeout: 10_000 }).toBe('1 of 2 approvals remaining');

      // The editor starts editing (e) from the version on screen...
      await editor.page.locator('body').press('e');
      const caption = editor.page.getByLabel('Caption', { exact: true });
      await caption.fill('Fresh beans every Tuesday and Friday');
      await capture(editor.page, 'review-edit');
      // ...while someone else saves first (the reviewer fixes the typo through the api).
      const theirs = await reviewer.page.evaluate(
        async ({ id, version }) => {
          const response = await fetch('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              query: `mutation($id: ID!, $v: Int!) { updatePost(id: $id, expectedVersion: $v, caption: "Fresh beans every Tuesday", hashtags: ["coffee"]) { __typename } }`,
              variables: { id, v: version },
            }),
          });
          return ((await response.json()) as { data: { updatePost: { __typename: string } } }).data.updatePost;
        },
        { id: Buffer.from(`Post:${post.id}`).toString('base64url'), version: post.version },
      );
      expect(theirs.__typename).toBe('MutationUpdatePostSuccess');
      // Their edit discarded the approval: both screens count from zero again.
      await expect.poll(() => remaining.textContent(), { timeout: 10_000 }).toBe('2 of 2 approvals remaining');
      await expect
        .poll(() => reviewer.page.getByTestId('approvals-remaining').textContent(), { timeout: 10_000 })
        .toBe('2 of 2 approvals remaining');

      // The editor saves: a conflict showing the newer text, with the choice.
      await editor.page.getByRole('button', { name: 'Save' }).click();
      const conflict = editor.page.getByTestId('edit-conflict');
      await conflict.waitFor();
      expect(await conflict.textContent()).toContain('Fresh beans every Tuesday');
      expect(await conflict.textContent()).toContain('#coffee');
      await capture(editor.page, 'review-conflict');
      await conflict.getByRole('button', { name: 'Keep mine (overwrite)' }).click();
      await expect
        .poll(async () => (await run.db.post.findUniqueOrThrow({ where: { id: post.id } })).caption)
        .toBe('Fresh beans every Tuesday and Friday');
      await editor.page.getByTestId('review-caption').filter({ hasText: 'and Friday' }).waitFor();
      await reviewer.page.getByTestId('review-caption').filter({ hasText: 'and Friday' }).waitFor({ timeout: 10_000 });
      const saved = await run.db.post.findUniqueOrThrow({ where: { id: post.id } });
      expect(saved).toMatchObject({ status: 'IN_REVIEW', version: post.version + 2 });
      expect(await run.db.auditEvent.count({ where: { targetId: post.id, action: 'post.approvals_reset' } })).toBe(2);
      expect(await editor.page.evaluate(() => window.pressroomLoadedOnce)).toBe(true);
      await Promise.all([editor.context.close(), reviewer.context.close()]);
      await run.db.brand.update({ where: { id: brand.id }, data: { requiredApprovals: null } });
    },
  );
  test(
    'brand: voice, colours and font saved; knowledge documents added, edited, deleted; an asset uploaded and deleted; a reviewer sees it all without controls',
    { timeout: 180_000 },
    async () => {
      const { url } = run.stack;
      const brand = await run.db.brand.findFirstOrThrow({ where: { organization: { memberships: { some: {} } } } });
      const { context, page } = await newPage(run.browser);
      await signIn(page, url, 'owner@demo.pressroom.test');
      await go(page, 'Brand');
      await page.getByLabel('Voice', { exact: true }).waitFor();
      await page.getByText('No assets yet').waitFor();
      await capture(page, 'brand-empty-assets');

      await page.getByLabel('Voice', { exact: true }).fill('Warm, plain-spoken, a little nerdy about roasting.');
      await page.getByLabel('Primary colour (hex)').fill('#123456');
      await page.getByLabel('Primary colour (hex)').press('Tab');
      await page.getByLabel('Font', { exact: true }).fill('Georgia');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.locator('.toast').filter({ hasText: 'Brand saved' }).waitFor();
      expect(await run.db.brand.findUniqueOrThrow({ where: { id: brand.id } })).toMatchObject({
        voice: 'Warm, plain-spoken, a little nerdy about roasting.',
        primaryColor: '#123456',
        fontFamily: 'Georgia',
      });

      // A knowledge document: added, edited, then deleted (confirmed).
      await page.getByLabel('Title', { exact: true }).fill('Price list');
      await page.getByLabel('Content', { exact: true }).fill('Espresso 2.50, filter 3.00');
      await page.getByRole('button', { name: 'Add document' }).click();
      const doc = page.locator('[data-document="Price list"]');
      await doc.waitFor();
      await doc.getByRole('button', { name: 'Edit Price list' }).click();
      await page.getByLabel('Content', { exact: true }).fill('Espresso 2.80, filter 3.20');
      await page.getByRole('button', { name: 'Save document' }).click();
      await expect
        .poll(async () => (await run.db.brandKnowledgeDocument.findFirst({ where: { title: 'Price list' } }))?.content)
        .toBe('Espresso 2.80, filter 3.20');

      // An asset, sent as a multipart upload; the toast is still on screen when axe runs.
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      );
      await page.getByLabel('Kind', { exact: true }).selectOption('LOGO');
      await page
        .getByLabel('File', { exact: true })
        .setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.locator('tr[data-asset="logo.png"]').waitFor();
      expect(await run.db.brandAsset.count({ where: { brandId: brand.id, filename: 'logo.png' } })).toBe(1);
      await page.locator('.toast').filter({ hasText: 'logo.png uploaded' }).waitFor();
      await capture(page, 'brand');
      // Taken with a toast on screen: the toast region passes axe (it used to fail `list`).
      expect(await page.locator('.toast').count()).toBeGreaterThan(0);

      await page.getByRole('button', { name: 'Delete logo.png' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete asset' }).click();
      await page.locator('tr[data-asset="logo.png"]').waitFor({ state: 'detached' });
      expect(await run.db.brandAsset.count({ where: { brandId: brand.id } })).toBe(0);
      await page.getByRole('button', { name: 'Delete Price list' }).click();
      await page.getByRole('alertdialog').getByRole('button', { name: 'Delete document' }).click();
      await doc.waitFor({ state: 'detached' });
      expect(await run.db.brandKnowledgeDocument.count({ where: { title: 'Price list' } })).toBe(0);
      await context.close();

      // A reviewer reads the brand but is offered none of the controls.
      const reviewer = await newPage(run.browser);
      await signIn(reviewer.page, url, 'reviewer@demo.pressroom.test');
      await go(reviewer.page, 'Brand');
      await reviewer.page.getByText('Warm, plain-spoken').waitFor();
      expect(await reviewer.page.getByRole('button', { name: /^(Save|Add document|Upload|Edit|Delete)/ }).count()).toBe(
        0,
      );
      expect(await reviewer.page.getByLabel('Voice', { exact: true }).count()).toBe(0);
      await capture(reviewer.page, 'brand-reviewer');
      await reviewer.context.close();
    },
  );
});
