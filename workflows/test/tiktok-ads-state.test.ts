import { afterEach, expect, it } from 'vitest';
import { TikTokAdsEmulator, type TikTokAdsEmulatorState } from '../src/emulators/tiktok-ads.js';
import { createTikTokAdsClient } from '../src/platforms/tiktok-ads/index.js';

// `npm start` keeps what the Marketing API emulator holds across restarts (as JSON in its data
// folder, like the other emulators): a new emulator given the old one's state has the same app
// credentials, business and ids, honours the token the old one issued, and keeps what bulk
// changes did, so a connected organization keeps working after a restart.
const running: TikTokAdsEmulator[] = [];
afterEach(async () => {
  for (const emulator of running.splice(0)) await emulator.stop();
});

async function started(emulator = new TikTokAdsEmulator()) {
  running.push(emulator);
  const url = await emulator.start();
  const client = () =>
    createTikTokAdsClient({
      apiBaseUrl: url,
      appId: emulator.appId,
      secret: emulator.secret,
      http: { maxRetries: 0 },
    });
  return { emulator, client };
}

it('a restarted emulator given the saved state has the same app, business, token and changes', async () => {
  const before = await started();
  const owner = before.emulator.createAdvertiserOwner({ advertisers: 1, campaigns: 1, adGroups: 1, ads: 3 });
  before.emulator.consentingUserId = owner.userId;
  const { accessToken } = before.emulator.issueToken(owner.userId);
  const advertiserId = owner.advertiserIds[0]!;
  const adIds = [...before.emulator.ads.keys()];
  await before.client().updateStatus(accessToken, { advertiserId, level: 'AD', ids: [adIds[0]!], status: 'DISABLE' });
  const adsBefore = (await before.client().ads(accessToken, advertiserId)).list;
  const unusedCode = before.emulator.grantAuthCode(owner.userId);
  // Written to a file and read back, as the launcher does.
  const saved = JSON.parse(JSON.stringify(before.emulator.snapshot())) as TikTokAdsEmulatorState;
  await before.emulator.stop();

  const fresh = await started();
  // Without the state the old token is unknown: the connection would need reconnecting.
  await expect(fresh.client().ads(accessToken, advertiserId)).rejects.toMatchObject({ category: 'TOKEN_EXPIRED' });
  await fresh.emulator.stop();
  running.splice(0);

  const restored = new TikTokAdsEmulator();
  restored.restore(saved);
  const after = await started(restored);
  expect(after.emulator.appId).toBe(saved.appId);
  expect(after.emulator.secret).toBe(saved.secret);
  expect(after.emulator.consentingUserId).toBe(owner.userId);
  const adsAfter = (await after.client().ads(accessToken, advertiserId)).list;
  expect(adsAfter).toEqual(adsBefore);
  expect(adsAfter.find((ad) => ad.ad_id === adIds[0])?.operation_status).toBe('DISABLE');
  // A consent's code handed out before the restart is still exchanged once.
  await expect(after.client().exchangeAuthCode(unusedCode)).resolves.toMatchObject({ advertiserIds: [advertiserId] });
  // New objects get new ids, never one the old emulator handed out.
  const next = after.emulator.createAdvertiserOwner({ advertisers: 1, campaigns: 1, adGroups: 1, ads: 1 });
  expect(owner.advertiserIds).not.toContain(next.advertiserIds[0]);
  expect(BigInt(next.advertiserIds[0]!)).toBeGreaterThan(BigInt(adIds.at(-1)!));
});
