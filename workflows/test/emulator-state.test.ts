import { afterEach, expect, it } from 'vitest';
import { TikTokEmulator, type TikTokEmulatorState } from '../src/emulators/tiktok.js';
import { staticAccessToken } from '../src/platforms/tokens.js';
import { createTikTokClient, type TikTokVideo } from '../src/platforms/tiktok/index.js';

// `npm start` keeps what the TikTok emulator holds across restarts (as JSON in its data
// folder): a new emulator given the old one's state honours the tokens the old one issued and
// shows the posts and videos it had, so connected accounts stay ACTIVE.
const running: TikTokEmulator[] = [];
afterEach(async () => {
  for (const emulator of running.splice(0)) await emulator.stop();
});

async function started(): Promise<{ emulator: TikTokEmulator; client: ReturnType<typeof createTikTokClient> }> {
  const emulator = new TikTokEmulator();
  running.push(emulator);
  const url = await emulator.start();
  const client = createTikTokClient({
    clientKey: emulator.clientKey,
    clientSecret: emulator.clientSecret,
    authBaseUrl: url,
    apiBaseUrl: url,
    http: { maxRetries: 0 },
  });
  return { emulator, client };
}

it('a restarted emulator given the saved state honours the old tokens and shows the old posts', async () => {
  const before = await started();
  const user = before.emulator.createUser({ displayName: 'Kept Creator' });
  const tokens = before.emulator.issueTokens(user.openId);
  const { publish_id } = await before.client.initVideo(staticAccessToken(tokens.access_token), {
    postInfo: { title: 'Made before the restart', privacy_level: 'SELF_ONLY' },
    source: { source: 'FILE_UPLOAD', videoSize: 1000 },
  });
  const videosBefore: TikTokVideo[] = [];
  for await (const video of before.client.allVideos(staticAccessToken(tokens.access_token))) videosBefore.push(video);
  // Written to a file and read back, as the launcher does.
  const saved = JSON.parse(JSON.stringify(before.emulator.snapshot())) as TikTokEmulatorState;
  await before.emulator.stop();

  const after = await started();
  // Without the state, the old token is unknown: the account would be REVOKED at its next sync.
  await expect(after.client.userInfo(staticAccessToken(tokens.access_token))).rejects.toMatchObject({
    category: 'TOKEN_EXPIRED',
  });
  after.emulator.restore(saved);
  const profile = await after.client.userInfo(staticAccessToken(tokens.access_token));
  expect(profile).toMatchObject({ open_id: user.openId, display_name: 'Kept Creator' });
  const videosAfter: TikTokVideo[] = [];
  for await (const video of after.client.allVideos(staticAccessToken(tokens.access_token))) videosAfter.push(video);
  // Cover URLs are signed for six hours from the moment they are listed (as TikTok's CDN links
  // are), so the expiry differs by the seconds between the two listings; the rest must not.
  const unsigned = (videos: Array<{ cover_image_url?: string }>) =>
    videos.map((video) => ({ ...video, cover_image_url: String(video.cover_image_url).split('?')[0] }));
  expect(unsigned(videosAfter)).toEqual(unsigned(videosBefore));
  expect(after.emulator.listPosts().map((post) => post.publishId)).toEqual([publish_id]);
  // The refresh token still refreshes (and rotates), as it would have before the restart.
  const refreshed = await after.client.refresh(tokens.refresh_token);
  expect(refreshed.accessToken).not.toBe(tokens.access_token);
  // The consent screen still signs in the same creator: connecting again finds the same account.
  expect(after.emulator.consentingOpenId).toBe(user.openId);
});
