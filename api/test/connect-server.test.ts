import { randomBytes } from 'node:crypto';
import { connectTemporalClient, syncScheduleId } from '@pressroom/workflows/client';
import { TikTokEmulator } from '@pressroom/workflows/emulators';
import { createLocalStorage, createUrlSigner } from '@pressroom/workflows/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId } from '../src/schema/ids.js';
import { startTestApi, testPasswordHash, unique, type TestApi } from './kit.js';

// The connect and media routes as mounted in the api: real session auth decides who may
// connect (brands:manage in the brand's organization).
describe('connect and media routes in the api server', () => {
  let emulator: TikTokEmulator;
  let api: TestApi;
  const mediaSecret = randomBytes(32).toString('base64url');
  let owner: string;
  let editor: string;
  let brandId: string;

  beforeAll(async () => {
    emulator = new TikTokEmulator();
    const emulatorUrl = await emulator.start();
    api = await startTestApi({
      TIKTOK_CLIENT_KEY: emulator.clientKey,
      TIKTOK_CLIENT_SECRET: emulator.clientSecret,
      TIKTOK_AUTH_BASE_URL: emulatorUrl,
      TIKTOK_API_BASE_URL: emulatorUrl,
      PRESSROOM_TOKEN_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PRESSROOM_MEDIA_SECRET: mediaSecret,
    });
    const passwordHash = await testPasswordHash();
    const [ownerUser, editorUser] = await Promise.all(
      ['owner', 'editor'].map((name) =>
        api.db.user.create({ data: { email: `${unique(name)}@connect.test`, name, passwordHash } }),
      ),
    );
    owner = ownerUser!.id;
    editor = editorUser!.id;
    const organization = await api.db.organization.create({
      data: {
        name: 'Connect Org',
        slug: unique('connect'),
        memberships: {
          create: [
            { userId: owner, role: 'OWNER' },
            { userId: editor, role: 'EDITOR' },
          ],
        },
      },
    });
    brandId = (await api.db.brand.create({ data: { organizationId: organization.id, name: 'B', slug: 'b' } })).id;
  });
  afterAll(async () => {
    await api.close();
    await emulator.stop();
  });

  // The brand's id as GraphQL hands it out.
  const start = async (sessionCookie: string | null) =>
    fetch(`${api.url}/connect/tiktok?brandId=${encodeGlobalId('Brand', brandId)}`, {
      headers: sessionCookie ? { cookie: sessionCookie } : {},
      redirect: 'manual',
    });

  it('connects a TikTok account for a signed-in owner', async () => {
    const session = (await api.signedInAs(owner)).cookie!;
    const started = await start(session);
    expect(started.status).toBe(302);
    const stateCookie = started.headers.get('set-cookie')!.split(';')[0]!;
    const consent = await fetch(started.headers.get('location')!, { redirect: 'manual' });
    const callback = consent.headers.get('location')!;
    expect(callback.startsWith(`http://127.0.0.1:4000/connect/tiktok/callback?`)).toBe(true);
    // The test server listens elsewhere than the configured public origin: same path, its port.
    const local = new URL(callback);
    const done = await fetch(`${api.url}${local.pathname}${local.search}`, {
      headers: { cookie: `${session}; ${stateCookie}` },
      redirect: 'manual',
    });
    // The browser lands on the dashboard's accounts page, told which account it connected.
    expect(done.status).toBe(303);
    const landing = new URL(done.headers.get('location')!);
    expect(landing.pathname).toBe('/accounts');
    const accountId = decodeGlobalId(landing.searchParams.get('connected')!).id;
    const account = await api.db.socialAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(account).toMatchObject({ platform: 'TIKTOK', connectedById: owner, status: 'ACTIVE', tokenKeyId: 'k1' });
    // Its analytics sync runs on a Schedule from now on, every 6 hours, on the api's queue.
    const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
    try {
      const schedule = await temporal.schedule.getHandle(syncScheduleId(accountId)).describe();
      expect(schedule.spec.intervals).toMatchObject([{ every: 6 * 3_600_000 }]);
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', taskQueue: api.config.TEMPORAL_TASK_QUEUE });
    } finally {
      await temporal.connection.close();
    }
  });

  it('answers like a missing brand for an editor (no brands:manage), and 401 to nobody signed in', async () => {
    const editorSession = (await api.signedInAs(editor)).cookie!;
    expect((await start(editorSession)).status).toBe(404);
    expect((await start(null)).status).toBe(401);
  });

  it('serves stored media from a signed URL and refuses a forged one', async () => {
    const signer = createUrlSigner({ baseUrl: `${api.url}/media`, secret: mediaSecret });
    const storage = createLocalStorage({ root: api.mediaDir, signer });
    await storage.put('org/x/slide-01.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]), { contentType: 'image/jpeg' });
    const url = storage.signedUrl('org/x/slide-01.jpg');
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    const forged = new URL(url);
    forged.searchParams.set('expires', String(Number(forged.searchParams.get('expires')) + 3600));
    expect((await fetch(forged)).status).toBe(403);
  });
});
