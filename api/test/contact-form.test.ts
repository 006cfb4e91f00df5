import { request as httpRequest } from 'node:http';
import { TelegramEmulator } from '@pressroom/workflows/emulators';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';

let api: TestApi;
let org: SeededOrganization;
let slug: string;
let telegram: TelegramEmulator;
const chatId = '-1009876543210';

beforeAll(async () => {
  // No flood limit here: this file counts messages, not Telegram's pacing.
  telegram = new TelegramEmulator({ perGroupPerMinute: 100_000 });
  const telegramUrl = await telegram.start();
  const { createTelegramClient } = await import('@pressroom/workflows/platforms').then((m) => m.telegram);
  api = await startTestApi(
    {
      // Windows so long that nothing refills while the test runs (a slow machine takes minutes):
      // the counts below are exact.
      CONTACT_FORM_ADDRESS_LIMIT: '5',
      CONTACT_FORM_ADDRESS_WINDOW_SECONDS: '100000000',
      CONTACT_FORM_GLOBAL_LIMIT: '300',
      CONTACT_FORM_GLOBAL_WINDOW_SECONDS: '100000000',
    },
    {
      worker: { activities: { telegram: createTelegramClient({ botToken: telegram.botToken, baseUrl: telegramUrl }) } },
    },
  );
  org = await seedOrganization(api);
  await api.db.organizationSettings.update({
    where: { organizationId: org.organization.id },
    data: { telegramReviewChatId: chatId },
  });
  slug = (await api.db.organization.findUniqueOrThrow({ where: { id: org.organization.id } })).slug;
});
afterAll(async () => {
  await api?.close();
  await telegram?.stop();
});

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/**
 * A POST sent from `from`, a loopback address of its own: Linux routes all of 127.0.0.0/8 to
 * the loopback interface, so the api sees each sender's real socket address, with no
 * forwarded-for header to trust.
 */
function send(
  from: string,
  body: string,
  contentType = 'application/json',
  path = `/contact/${slug}`,
): Promise<Answer> {
  const url = new URL(api.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        localAddress: from,
        method: 'POST',
        path,
        agent: false,
        headers: {
          'content-type': contentType,
          'user-agent': `burst-test ${from}`,
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work` over `items` with at most `limit` running at once, answers in order. */
async function inFlight<T, R>(limit: number, items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

const submission = (n: number, honeypot: boolean) =>
  JSON.stringify({
    name: `Sender ${n}`,
    contact: n % 3 === 0 ? `sender${n}@example.test` : n % 3 === 1 ? '+49 30 1234567' : `@sender_${n}`,
    category: 'Sales',
    message: `Message number ${n}`,
    ...(honeypot ? { website: 'http://spam.example' } : {}),
  });

/** Requests above that passed their address's limit, and so took one from the global bucket. */
const globalSpentBeforeBurst = 3;

test('the form page, field checks, size limit and unknown organizations', async () => {
  const page = await fetch(`${api.url}/contact/${slug}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain('<form method="post"');
  expect(html).toContain('name="website"');

  const bad = await send(
    '127.0.2.1',
    JSON.stringify({ name: 'A', contact: 'not a contact!', category: 'x', message: 'hi' }),
  );
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.body)).toMatchObject({ error: 'BAD_USER_INPUT', issues: [{ path: 'contact' }] });

  const tooLong = await send(
    '127.0.2.2',
    JSON.stringify({ name: 'A', contact: '@someone', category: 'x', message: 'y'.repeat(5_001) }),
  );
  expect(tooLong.status).toBe(400);
  const huge = await send('127.0.2.3', JSON.stringify({ message: 'y'.repeat(20_000) }));
  expect(huge.status).toBe(413);

  const form = await send(
    '127.0.2.4',
    new URLSearchParams({
      name: 'Form user',
      contact: '@form_user',
      category: 'Support',
      message: 'From the page',
      website: '',
    }).toString(),
    'application/x-www-form-urlencoded',
  );
  expect(form.status).toBe(201);
  expect(form.body).toContain('Thank you, your message was sent.');

  const unknown = await send('127.0.2.5', submission(1, false), 'application/json', '/contact/no-such-org');
  expect(unknown.status).toBe(404);
});

test('1,000 submissions from 50 addresses in a burst: the limit answers 429 with Retry-After, nothing under it is lost', async () => {
  const addresses = Array.from({ length: 50 }, (_, i) => `127.0.0.${10 + i}`);
  const sent = addresses.flatMap((address, a) =>
    Array.from({ length: 20 }, (_, i) => ({ address, n: a * 20 + i, honeypot: i % 4 === 3 })),
  );
  const started = performance.now();
  // 100 connections in flight at a time: the server still gets the 1,000 within seconds.
  const answers = await inFlight(100, sent, (item) => send(item.address, submission(item.n, item.honeypot)));
  const elapsedMs = performance.now() - started;
  console.log(`contact burst: 1000 requests in ${Math.round(elapsedMs)} ms`);

  const accepted = sent.map((item, i) => ({ ...item, answer: answers[i]! })).filter((x) => x.answer.status === 201);
  const refused = answers.filter((answer) => answer.status === 429);
  expect(accepted.length + refused.length).toBe(1_000);
  // Five per address, from every address.
  for (const address of addresses) {
    expect(accepted.filter((item) => item.address === address)).toHaveLength(5);
  }
  for (const answer of refused) {
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'RATE_LIMITED' });
  }

  // Every accepted one is stored, with its sender's address and user agent.
  const ids = accepted.map((item) => (JSON.parse(item.answer.body) as { id: string }).id);
  const stored = await api.db.contactSubmission.findMany({
    where: { organizationId: org.organization.id, ip: { startsWith: '127.0.0.' } },
    include: { state: true },
  });
  expect(stored.map((row) => row.id).sort()).toEqual([...ids].sort());
  for (const row of stored) {
    expect(row.ip).toMatch(/^127\.0\.0\.\d+$/);
    expect(row.userAgent).toBe(`burst-test ${row.ip}`);
  }
  const honeypotIds = new Set(
    accepted.filter((item) => item.honeypot).map((item) => (JSON.parse(item.answer.body) as { id: string }).id),
  );
  expect(honeypotIds.size).toBeGreaterThan(0);
  for (const row of stored) expect(row.state?.status).toBe(honeypotIds.has(row.id) ? 'SPAM' : 'NEW');

  // Each real one tells the owner and the admin in the app, and the Telegram chat once.
  const real = ids.filter((id) => !honeypotIds.has(id));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const told = await api.db.notification.count({
      where: { organizationId: org.organization.id, kind: 'contact.received', channel: 'IN_APP' },
    });
    const messages = telegram.messages.filter((message) => message.chatId === Number(chatId)).length;
    // The page's one from the test above is told too.
    if ((told >= (real.length + 1) * 2 && messages >= real.length + 1) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const idSet = new Set(ids);
  const notifications = (
    await api.db.notification.findMany({ where: { organizationId: org.organization.id, kind: 'contact.received' } })
  ).filter((row) => idSet.has((row.payload as { contactSubmissionId: string }).contactSubmissionId));
  const inApp = notifications.filter((row) => row.channel === 'IN_APP');
  expect(inApp).toHaveLength(real.length * 2);
  expect(new Set(inApp.map((row) => row.userId))).toEqual(
    new Set([org.members.OWNER.userId, org.members.ADMIN.userId]),
  );
  const about = new Set(
    notifications.map((row) => (row.payload as { contactSubmissionId: string }).contactSubmissionId),
  );
  for (const id of honeypotIds) expect(about.has(id)).toBe(false);
  // One message per real submission (the page's one from the test above included).
  expect(telegram.messages.filter((message) => message.chatId === Number(chatId))).toHaveLength(real.length + 1);

  // The inbox lists them, SPAM apart, for owners and admins.
  const inbox = await org.members.OWNER.client.gql<{
    organization: { contactSubmissions: { edges: Array<{ node: { status: string } }> } };
  }>(
    `query($id: ID!) { organization(id: $id) { contactSubmissions(first: 100, status: SPAM) { edges { node { status } } } } }`,
    {
      id: org.organization.gid,
    },
  );
  expect(inbox.body.data!.organization.contactSubmissions.edges).toHaveLength(honeypotIds.size);

  // The global limit: 300 in all, so of 60 fresh addresses only what is left gets through.
  const left = 300 - globalSpentBeforeBurst - 250;
  const fresh = Array.from({ length: 60 }, (_, i) => `127.0.1.${10 + i}`);
  const more = await Promise.all(fresh.map((address, i) => send(address, submission(2_000 + i, false))));
  expect(more.filter((answer) => answer.status === 201)).toHaveLength(left);
  const overGlobal = more.filter((answer) => answer.status === 429);
  expect(overGlobal).toHaveLength(60 - left);
  for (const answer of overGlobal) expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);

  // The table refuses changes from anyone who is not an erasure.
  await expect(api.db.$executeRaw`UPDATE "ContactSubmission" SET "message" = 'edited'`).rejects.toThrow(/append-only/);
  await expect(api.db.$executeRaw`DELETE FROM "ContactSubmission"`).rejects.toThrow(/append-only/);
  // The burst's 250, what fitted after it, and the page's one.
  expect(await api.db.contactSubmission.count({ where: { organizationId: org.organization.id } })).toBe(250 + left + 1);
}, 300_000);
