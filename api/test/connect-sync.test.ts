import { TelegramEmulator, TikTokEmulator } from '@pressroom/workflows/emulators';
import { syncScheduleId } from '@pressroom/workflows/client';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApi, testPasswordHash, unique, type TestApi } from './kit.js';

// A newly connected account shows its numbers at once: the connect callback runs the first
// sync instead of leaving it to the 6-hour Schedule.
let emulator: TikTokEmulator;
let telegram: TelegramEmulator;
let api: TestApi;
let ownerId: string;
let brandId: string;

beforeAll(async () => {
  emulator = new TikTokEmulator();
  const emulatorUrl = await emulator.start();
  telegram = new TelegramEmulator();
  const telegramUrl = await telegram.start();
  api = await startTestApi(
    {
      TIKTOK_CLIENT_KEY: emulator.clientKey,
      TIKTOK_CLIENT_SECRET: emulator.clientSecret,
      TIKTOK_AUTH_BASE_URL: emulatorUrl,
      TIKTOK_API_BASE_URL: emulatorUrl,
      TELEGRAM_API_BASE_URL: telegramUrl,
    },
    { worker: { networks: { telegram: { baseUrl: telegramUrl } } } },
  );
  const owner = await api.db.user.create({
    data: { email: `${unique('owner')}@connect-sync.test`, name: 'Owner', passwordHash: await testPasswordHash() },
  });
  ownerId = owner.id;
  const organization = await api.db.organization.create({
    data: { name: 'Sync Org', slug: unique('sync'), memberships: { create: [{ userId: owner.id, role: 'OWNER' }] } },
  });
  brandId = (await api.db.brand.create({ data: { organizationId: organization.id, name: 'B', slug: 'b' } })).id;
});
afterAll(async () => {
  await api?.close();
  await emulator?.stop();
  await telegram?.stop();
});

test('connecting a TikTok account syncs it within seconds', async () => {
  const session = (await api.signedInAs(ownerId)).cookie!;
  const started = await fetch(`${api.url}/connect/tiktok?brandId=${brandId}`, {
    headers: { cookie: session },
    redirect: 'manual',
  });
  expect(started.status).toBe(302);
  const stateCookie = started.headers.get('set-cookie')!.split(';')[0]!;
  const consent = await fetch(started.headers.get('location')!, { redirect: 'manual' });
  // The callback names the configured public origin; the test server listens on its own port.
  const callback = new URL(consent.headers.get('location')!);
  const connected = Date.now();
  await fetch(`${api.url}${callback.pathname}${callback.search}`, {
    headers: { cookie: `${session}; ${stateCookie}` },
    redirect: 'manual',
  });
  const account = await api.db.socialAccount.findFirstOrThrow({ where: { brandId } });
  expect(account.status).toBe('ACTIVE');
  // Well under the Schedule's 6-hour interval: the sync ran because the account was connected.
  await expect
    .poll(async () => (await api.db.socialAccount.findUniqueOrThrow({ where: { id: account.id } })).lastSyncedAt, {
      timeout: 30_000,
      interval: 250,
    })
    .not.toBeNull();
  const after = await api.db.socialAccount.findUniqueOrThrow({ where: { id: account.id } });
  expect(after.lastSyncedAt!.getTime()).toBeGreaterThanOrEqual(connected - 1_000);
  // What the sync brings: the account's numbers as the platform reports them.
  const snapshots = await api.db.accountSnapshot.count({ where: { socialAccountId: account.id } });
  expect(snapshots).toBe(1);
});

test('connecting a network other than TikTok (a Telegram channel) makes its 6-hourly Schedule and syncs it', async () => {
  const session = (await api.signedInAs(ownerId)).cookie!;
  const bot = telegram.createBot();
  const channel = telegram.createChannel({ title: 'Sync News', adminBots: [{ id: bot.id }], members: 1234 });
  const connected = await fetch(`${api.url}/connect/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session },
    body: JSON.stringify({ brandId, chat: String(channel.id), botToken: bot.token }),
  });
  expect(connected.status).toBe(200);
  const account = await api.db.socialAccount.findFirstOrThrow({ where: { brandId, platform: 'TELEGRAM' } });
  const temporal = new Client({ connection: await Connection.connect({ address: api.config.TEMPORAL_ADDRESS }) });
  const schedule = await temporal.schedule
    .getHandle(syncScheduleId(account.id))
    .describe()
    .finally(() => temporal.connection.close());
  expect(schedule.spec.intervals?.[0]?.every).toBe(6 * 3600_000);
  expect(schedule.action).toMatchObject({
    workflowType: 'syncAccountWorkflow',
    args: [{ socialAccountId: account.id }],
  });
  // The first run, straight away: the channel's subscribers as Telegram counts them.
  await expect
    .poll(
      async () =>
        (await api.db.accountSnapshot.findFirst({ where: { socialAccountId: account.id } }))?.followerCount ?? null,
      { timeout: 30_000, interval: 250 },
    )
    .toBe(1234);
  await expect
    .poll(async () => (await api.db.socialAccount.findUniqueOrThrow({ where: { id: account.id } })).lastSyncedAt, {
      timeout: 30_000,
      interval: 250,
    })
    .not.toBeNull();
});
