import { TikTokEmulator } from '@pressroom/workflows/emulators';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApi, testPasswordHash, unique, type TestApi } from './kit.js';

// A newly connected account shows its numbers at once: the connect callback runs the first
// sync instead of leaving it to the 6-hour Schedule.
let emulator: TikTokEmulator;
let api: TestApi;
let ownerId: string;
let brandId: string;

beforeAll(async () => {
  emulator = new TikTokEmulator();
  const emulatorUrl = await emulator.start();
  api = await startTestApi(
    {
      TIKTOK_CLIENT_KEY: emulator.clientKey,
      TIKTOK_CLIENT_SECRET: emulator.clientSecret,
      TIKTOK_AUTH_BASE_URL: emulatorUrl,
      TIKTOK_API_BASE_URL: emulatorUrl,
    },
    { worker: {} },
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
