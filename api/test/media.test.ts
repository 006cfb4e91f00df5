import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { connectTemporalClient, mediaProcessingWorkflowId } from '@pressroom/workflows/client';
import { mediaTools } from '@pressroom/workflows/rendering';
import { createClient } from 'graphql-ws';
import sharp from 'sharp';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gid, seedApiToken, seedOrganization, startTestApi, type SeededOrganization, type TestApi } from './kit.js';
import { createUpload, patchFrom, settledOffset, uploadOffset, type TusAuth } from './tus-client.js';

const run = promisify(execFile);
const tools = mediaTools();

// A small quota for this file's organizations, so refusing past it needs no big file.
const quotaBytes = 96 * 1024 * 1024;

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;
let work: string;

beforeAll(async () => {
  api = await startTestApi({ MEDIA_QUOTA_BYTES: String(quotaBytes) }, { worker: {} });
  org = await seedOrganization(api);
  other = await seedOrganization(api);
  work = await mkdtemp(join(tmpdir(), 'pressroom-media-test-'));
}, 60_000);
afterAll(async () => {
  await api?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

function editor(of: SeededOrganization = org): TusAuth {
  return { cookie: of.members.EDITOR.client.cookie };
}

async function ffmpeg(args: string[]) {
  await run(tools.ffmpeg, ['-hide_banner', '-v', 'error', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 });
}

async function ffprobe(file: string) {
  const { stdout } = await run(tools.ffprobe, ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file]);
  return JSON.parse(stdout) as {
    streams: Array<{
      codec_type: string;
      codec_name: string;
      width?: number;
      height?: number;
      pix_fmt?: string;
      side_data_list?: Array<{ rotation?: number }>;
      tags?: Record<string, string>;
    }>;
    format: { format_name: string; duration: string };
  };
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function waitForStatus(assetId: string, statuses: string[], timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const asset = await api.db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } });
    if (statuses.includes(asset.status)) return asset;
    if (Date.now() > until) throw new Error(`asset ${assetId} stayed ${asset.status} (${asset.processingStep})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const assetIdOf = (location: string) => location.split('/').pop()!;

async function uploadWhole(file: string, metadata: Record<string, string>, auth = editor()) {
  const { size } = await stat(file);
  const created = await createUpload(api.url, auth, size, { brandId: org.brand.gid, ...metadata });
  expect(created.status, created.body).toBe(201);
  const patched = await patchFrom(created.location!, auth, file, 0);
  expect(patched.status, patched.body).toBe(204);
  return assetIdOf(created.location!);
}

describe('resumable upload', () => {
  test('an upload interrupted twice resumes from the stored offset and the stored object is the source, byte for byte', async () => {
    // A real 2 s H.264/AAC MP4 with a large `free` box after it: a valid file of ~24 MB that
    // costs nothing to encode (ffprobe skips the box).
    const file = join(work, 'long.mp4');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440',
      '-t',
      '2',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-movflags',
      '+faststart',
      file,
    ]);
    const padding = 24 * 1024 * 1024;
    const box = Buffer.alloc(8);
    box.writeUInt32BE(padding + 8, 0);
    box.write('free', 4, 'latin1');
    await appendFile(file, Buffer.concat([box, randomBytes(padding)]));
    const { size } = await stat(file);
    const source = await sha256File(file);

    const auth = editor();
    const created = await createUpload(api.url, auth, size, {
      brandId: org.brand.gid,
      filename: 'long.mp4',
      folder: 'campaigns/spring',
      tags: 'Launch, reel',
    });
    expect(created.status, created.body).toBe(201);
    const location = created.location!;
    expect(location).toMatch(/\/uploads\/[a-f0-9]{32}$/);
    const assetId = assetIdOf(location);
    const reserved = await api.db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } });
    expect(reserved).toMatchObject({ status: 'UPLOADING', folder: 'campaigns/spring', tags: ['launch', 'reel'] });
    expect(reserved.byteSize).toBe(BigInt(size));

    // First interruption after ~6 MB, second after ~8 MB more.
    await patchFrom(location, auth, file, 0, { stopAfter: 6 * 1024 * 1024 });
    const first = await settledOffset(location, auth);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(size);
    await patchFrom(location, auth, file, first, { stopAfter: 8 * 1024 * 1024 });
    const second = await settledOffset(location, auth);
    expect(second).toBeGreaterThan(first);
    expect(second).toBeLessThan(size);
    // A PATCH at a wrong offset changes nothing (409), as tus says.
    expect((await patchFrom(location, auth, file, 0, { end: 1023 })).status).toBe(409);

    const last = await patchFrom(location, auth, file, second);
    expect(last).toMatchObject({ status: 204, offset: size });

    const ready = await waitForStatus(assetId, ['READY', 'FAILED']);
    expect(ready.failureReason).toBeNull();
    expect(ready).toMatchObject({ status: 'READY', kind: 'VIDEO', contentType: 'video/mp4', videoCodec: 'h264' });
    // The stored object, read back, is the source; processing computed the same digest.
    expect(await sha256File(join(api.mediaDir, 'uploads', assetId))).toBe(source);
    expect(ready.sha256).toBe(source);
    // Already H.264/AAC in MP4 and small: no rendition is made, a poster is.
    expect(ready.renditionKey).toBeNull();
    expect(ready.posterKey).not.toBeNull();

    const audit = await api.db.auditEvent.findFirst({ where: { action: 'media_asset.upload', targetId: assetId } });
    expect(audit?.actorUserId).toBe(org.members.EDITOR.userId);
  }, 240_000);

  test('an upload past the quota is refused before any byte is stored', async () => {
    const before = await api.db.mediaAsset.count({ where: { organizationId: org.organization.id } });
    const refused = await createUpload(api.url, editor(), quotaBytes + 1, {
      brandId: org.brand.gid,
      filename: 'huge.mov',
    });
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(refused.location).toBeNull();
    expect(await api.db.mediaAsset.count({ where: { organizationId: org.organization.id } })).toBe(before);

    // What is used (the declared lengths) counts: two that fit alone do not fit together.
    const usage = await org.members.ANALYST.client.gql<{
      organization: { mediaUsage: { usedBytes: string; quotaBytes: string } };
    }>(`query($id: ID!) { organization(id: $id) { ... on Organization { mediaUsage { usedBytes quotaBytes } } } }`, {
      id: org.organization.gid,
    });
    const used = BigInt(usage.body.data!.organization.mediaUsage.usedBytes);
    expect(usage.body.data!.organization.mediaUsage.quotaBytes).toBe(String(quotaBytes));
    const room = quotaBytes - Number(used);
    const fits = await createUpload(api.url, editor(), room, { brandId: org.brand.gid, filename: 'fits.mp4' });
    expect(fits.status).toBe(201);
    const next = await createUpload(api.url, editor(), 1, { brandId: org.brand.gid, filename: 'one-more.jpg' });
    expect(next.status).toBe(413);
    // Deleting the reservation frees it.
    const deleted = await org.members.EDITOR.client.gql(
      `mutation($id: ID!) { deleteMediaAsset(id: $id) { __typename } }`,
      { id: gid('MediaAsset', assetIdOf(fits.location!)) },
    );
    expect(deleted.body.data).toEqual({ deleteMediaAsset: { __typename: 'MutationDeleteMediaAssetSuccess' } });
  });

  test("each organization has its own quota: an upload past it is refused before any byte is stored, while another organization's default still takes it", async () => {
    const small = await seedOrganization(api);
    const setQuota = (quota: string | null, as = small.members.OWNER.client) =>
      as.gql<{ updateOrganization: { __typename: string; data?: { settings: { mediaQuotaBytes: string | null } } } }>(
        `mutation($id: ID!, $quota: BigInt) { updateOrganization(id: $id, mediaQuotaBytes: $quota) {
          __typename ... on MutationUpdateOrganizationSuccess { data { settings { mediaQuotaBytes } } } } }`,
        { id: small.organization.gid, quota },
      );
    const usageOf = async (of: SeededOrganization) => {
      const response = await of.members.EDITOR.client.gql<{
        organization: { mediaUsage: { usedBytes: string; quotaBytes: string; assetCount: number } };
      }>(
        `query($id: ID!) { organization(id: $id) { ... on Organization { mediaUsage { usedBytes quotaBytes assetCount } } } }`,
        {
          id: of.organization.gid,
        },
      );
      return response.body.data!.organization.mediaUsage;
    };
    // Owners may lower it, never past the server's ceiling (here the default, 96 MiB).
    expect((await setQuota(String(quotaBytes + 1))).body.data?.updateOrganization.__typename).toBe('ValidationError');
    const editorTry = await setQuota('1000', small.members.EDITOR.client);
    expect(editorTry.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const set = await setQuota(String(4 * 1024 * 1024));
    expect(set.body.data?.updateOrganization.data?.settings.mediaQuotaBytes).toBe(String(4 * 1024 * 1024));
    expect(await usageOf(small)).toEqual({ usedBytes: '0', quotaBytes: String(4 * 1024 * 1024), assetCount: 0 });

    const image = join(work, 'quota.png');
    await writeFile(
      image,
      await sharp({ create: { width: 32, height: 32, channels: 3, background: '#123' } })
        .png()
        .toBuffer(),
    );
    const { size } = await stat(image);
    // 3 MiB reserved: what is stored counts, so the next 2 MiB do not fit under 4 MiB.
    const first = await createUpload(api.url, editor(small), 3 * 1024 * 1024, {
      brandId: small.brand.gid,
      filename: 'big.mov',
    });
    expect(first.status, first.body).toBe(201);
    const refused = await createUpload(api.url, editor(small), 2 * 1024 * 1024, {
      brandId: small.brand.gid,
      filename: 'next.mov',
    });
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body)).toMatchObject({ code: 'QUOTA_EXCEEDED' });
    expect(refused.location).toBeNull();
    expect(await api.db.mediaAsset.count({ where: { organizationId: small.organization.id } })).toBe(1);
    expect(await usageOf(small)).toMatchObject({ usedBytes: String(3 * 1024 * 1024), assetCount: 1 });
    // The same upload in an organization on the server's default quota is taken.
    const elsewhere = await createUpload(api.url, editor(other), 2 * 1024 * 1024, {
      brandId: other.brand.gid,
      filename: 'next.mov',
    });
    expect(elsewhere.status).toBe(201);
    // A small file still fits in what is left, and is stored whole.
    const fits = await createUpload(api.url, editor(small), size, { brandId: small.brand.gid, filename: 'q.png' });
    expect(fits.status).toBe(201);
    expect((await patchFrom(fits.location!, editor(small), image, 0)).status).toBe(204);
    // Back to the server's default: the refused upload now fits.
    expect((await setQuota(null)).body.data?.updateOrganization.data?.settings.mediaQuotaBytes).toBeNull();
    expect((await usageOf(small)).quotaBytes).toBe(String(quotaBytes));
    const again = await createUpload(api.url, editor(small), 2 * 1024 * 1024, {
      brandId: small.brand.gid,
      filename: 'next.mov',
    });
    expect(again.status).toBe(201);
  });

  test('the type is decided by content: a text file named .jpg is refused and nothing of it is kept', async () => {
    const file = join(work, 'not-a-photo.jpg');
    await writeFile(file, 'just some words, not a picture\n'.repeat(300));
    const { size } = await stat(file);
    const created = await createUpload(api.url, editor(), size, { brandId: org.brand.gid, filename: 'photo.jpg' });
    expect(created.status).toBe(201);
    const patched = await patchFrom(created.location!, editor(), file, 0);
    expect(patched.status).toBe(415);
    expect(JSON.parse(patched.body)).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const assetId = assetIdOf(created.location!);
    expect(await api.db.mediaAsset.findUnique({ where: { id: assetId } })).toBeNull();
    await expect(stat(join(api.mediaDir, 'uploads', assetId))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await uploadOffset(created.location!, editor())).status).toBe(404);
  });

  test('uploading needs media:write in the brand’s organization; another tenant’s upload is not found', async () => {
    const analyst = await createUpload(api.url, { cookie: org.members.ANALYST.client.cookie }, 1000, {
      brandId: org.brand.gid,
      filename: 'a.jpg',
    });
    expect(analyst.status).toBe(403);
    const anonymous = await createUpload(api.url, {}, 1000, { brandId: org.brand.gid, filename: 'a.jpg' });
    expect(anonymous.status).toBe(401);
    // Someone else's brand looks like no brand at all.
    const foreignBrand = await createUpload(api.url, editor(other), 1000, {
      brandId: org.brand.gid,
      filename: 'a.jpg',
    });
    expect(foreignBrand.status).toBe(404);

    const mine = await createUpload(api.url, editor(), 5000, { brandId: org.brand.gid, filename: 'mine.jpg' });
    expect(mine.status).toBe(201);
    expect((await uploadOffset(mine.location!, editor(other))).status).toBe(404);
    const image = join(work, 'tiny.jpg');
    await writeFile(
      image,
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f00' } })
        .jpeg()
        .toBuffer(),
    );
    expect((await patchFrom(mine.location!, editor(other), image, 0)).status).toBe(404);
    // A token with the media:write scope may upload.
    const { token } = await seedApiTokenFor(['media:write']);
    const byToken = await createUpload(api.url, { token }, 1000, { brandId: org.brand.gid, filename: 't.jpg' });
    expect(byToken.status).toBe(201);
    const { token: readOnly } = await seedApiTokenFor(['media:read']);
    expect(
      (await createUpload(api.url, { token: readOnly }, 1000, { brandId: org.brand.gid, filename: 't.jpg' })).status,
    ).toBe(403);
  });
});

function seedApiTokenFor(scopes: string[]) {
  return seedApiToken(api, org.organization.id, scopes);
}

describe('processing', () => {
  // What iPhones (HEVC) and many Android phones (VP9) record.
  test.each([
    { label: 'HEVC', codec: 'hevc', encode: ['-c:v', 'libx265', '-x265-params', 'log-level=error', '-tag:v', 'hvc1'] },
    { label: 'VP9', codec: 'vp9', encode: ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8'] },
  ])(
    'a rotated $label phone video becomes an upright H.264/AAC rendition with a poster',
    async ({ codec, encode }) => {
      // Landscape frames (640×360) with a red band on their right edge, stored with a display
      // matrix that turns them a quarter: shown portrait, as a phone held upright records.
      const encoded = join(work, `${codec}-landscape.mp4`);
      await ffmpeg([
        '-f',
        'lavfi',
        '-i',
        'color=c=blue:size=640x360:rate=30,drawbox=x=560:y=0:w=80:h=360:color=red:t=fill',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=660',
        '-t',
        '2',
        ...encode,
        '-pix_fmt',
        'yuv420p',
        '-c:a',
        'aac',
        encoded,
      ]);
      const phone = join(work, `${codec}-phone.mp4`);
      await ffmpeg(['-i', encoded, '-c', 'copy', '-metadata:s:v:0', 'rotate=90', phone]);
      const probedSource = await ffprobe(phone);
      const sourceVideo = probedSource.streams.find((stream) => stream.codec_type === 'video')!;
      expect(sourceVideo.codec_name).toBe(codec);
      const sourceRotation = sourceVideo.side_data_list?.find((data) => data.rotation !== undefined)?.rotation;
      expect(Math.abs(sourceRotation ?? 0)).toBe(90);

      const assetId = await uploadWhole(phone, { filename: 'IMG_0001.MOV', folder: 'phone' });
      const asset = await waitForStatus(assetId, ['READY', 'FAILED']);
      expect(asset.failureReason).toBeNull();
      expect(asset).toMatchObject({ status: 'READY', videoCodec: codec, audioCodec: 'aac', width: 360, height: 640 });
      expect([90, 270]).toContain(asset.rotation);
      expect(asset.renditionKey).not.toBeNull();

      const rendition = join(work, `${codec}-rendition.mp4`);
      await writeFile(rendition, await readFile(join(api.mediaDir, asset.renditionKey!)));
      const probed = await ffprobe(rendition);
      const video = probed.streams.find((stream) => stream.codec_type === 'video')!;
      const audio = probed.streams.find((stream) => stream.codec_type === 'audio');
      expect(probed.format.format_name).toContain('mp4');
      expect(video).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 360, height: 640 });
      expect(audio?.codec_name).toBe('aac');
      // Upright frames, so nothing is left for a player to turn.
      expect(video.side_data_list?.find((data) => data.rotation)?.rotation ?? 0).toBe(0);
      expect(Number(video.tags?.rotate ?? 0)).toBe(0);
      // faststart: the index (moov) comes before the media data (mdat).
      const head = (await readFile(rendition)).subarray(0, 64 * 1024).toString('latin1');
      expect(head.indexOf('moov')).toBeGreaterThan(-1);
      expect(head.indexOf('moov')).toBeLessThan(head.indexOf('mdat') === -1 ? Infinity : head.indexOf('mdat'));
      // The rendition plays: every frame decodes.
      await ffmpeg(['-xerror', '-i', rendition, '-f', 'null', '-']);

      // The right edge of the stored frames is the top of the picture as shown: the poster is
      // portrait and red at the top, blue at the bottom, in the rendition as in the poster.
      const poster = await readFile(join(api.mediaDir, asset.posterKey!));
      // Kept beside the test's files for a look (it is removed with them).
      await writeFile(join(work, `${codec}-poster.jpg`), poster);
      const { data, info } = await sharp(poster).raw().toBuffer({ resolveWithObject: true });
      expect(info.width).toBeLessThan(info.height);
      const pixel = (x: number, y: number) => {
        const offset = (y * info.width + x) * info.channels;
        return { r: data[offset]!, g: data[offset + 1]!, b: data[offset + 2]! };
      };
      const top = pixel(Math.floor(info.width / 2), 10);
      const bottom = pixel(Math.floor(info.width / 2), info.height - 10);
      expect(top.r).toBeGreaterThan(150);
      expect(top.b).toBeLessThan(100);
      expect(bottom.b).toBeGreaterThan(150);
      expect(bottom.r).toBeLessThan(100);
    },
    240_000,
  );

  test('a truncated video ends FAILED with the reason, once, without retries', async () => {
    // moov after mdat (no faststart), cut short: the index never arrived, as when a phone's
    // recording or a copy is interrupted.
    const whole = join(work, 'whole.mp4');
    await ffmpeg([
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x240:rate=25',
      '-t',
      '3',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      whole,
    ]);
    const { size } = await stat(whole);
    await truncate(whole, Math.floor(size * 0.6));
    const assetId = await uploadWhole(whole, { filename: 'cut.mp4' });
    const failed = await waitForStatus(assetId, ['READY', 'FAILED']);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toMatch(/ffprobe could not read the video: .*moov atom not found/);
    // The workflow completed (no crash loop), and the activity ran once: the failure was not retried.
    const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
    try {
      const handle = temporal.workflow.getHandle(mediaProcessingWorkflowId(assetId));
      expect(await handle.result()).toMatchObject({ status: 'FAILED' });
      const history = await handle.fetchHistory();
      const attempts = (history.events ?? [])
        .map((event) => event.activityTaskStartedEventAttributes?.attempt)
        .filter((attempt) => attempt !== undefined && attempt !== null);
      // processMediaAsset once, failMediaAsset once, both on their first attempt.
      expect(attempts).toEqual([1, 1]);
    } finally {
      await temporal.connection.close();
    }
  }, 120_000);

  test('an image gets variants and a thumbnail, oriented by its EXIF', async () => {
    const image = join(work, 'photo.jpg');
    // Stored 1600×1200 with EXIF orientation 6 (turn 90° clockwise): shown 1200×1600.
    await writeFile(
      image,
      await sharp({ create: { width: 1600, height: 1200, channels: 3, background: '#3366cc' } })
        .jpeg()
        .withMetadata({ orientation: 6 })
        .toBuffer(),
    );
    const assetId = await uploadWhole(image, { filename: 'photo.jpg', tags: 'still' });
    const asset = await waitForStatus(assetId, ['READY', 'FAILED']);
    expect(asset).toMatchObject({
      status: 'READY',
      kind: 'IMAGE',
      contentType: 'image/jpeg',
      width: 1200,
      height: 1600,
    });
    const variants = asset.variantKeys as Record<string, string>;
    const large = await sharp(await readFile(join(api.mediaDir, variants['1080']!))).metadata();
    expect([large.width, large.height]).toEqual([810, 1080]);
    const thumb = await sharp(await readFile(join(api.mediaDir, asset.thumbnailKey!))).metadata();
    expect(Math.max(thumb.width, thumb.height)).toBe(320);
  }, 120_000);
});

describe('live progress', () => {
  test('mediaAssetChanged follows an upload from UPLOADING through PROCESSING to READY, with its signed thumbnail', async () => {
    const cookie = org.members.REVIEWER.client.cookie!;
    class CookieSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers: { cookie } });
      }
    }
    const client = createClient({
      url: `${api.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: CookieSocket,
      retryAttempts: 0,
    });
    const seen: Array<{ filename: string; status: string; progress: number; thumbnailUrl: string | null } | null> = [];
    const errors: unknown[] = [];
    const stop = client.subscribe(
      {
        query: `subscription($brandId: ID!) { mediaAssetChanged(brandId: $brandId) { filename status progress thumbnailUrl } }`,
        variables: { brandId: org.brand.gid },
      },
      {
        next: (result) => {
          const data = result.data as { mediaAssetChanged: (typeof seen)[number] } | undefined;
          if (data) seen.push(data.mediaAssetChanged);
          if (result.errors) errors.push(...result.errors);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const image = join(work, 'live.png');
      await writeFile(
        image,
        await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c0c' } })
          .png()
          .toBuffer(),
      );
      await uploadWhole(image, { filename: 'live.png' });
      await expect
        .poll(() => seen.filter((asset) => asset?.filename === 'live.png').map((asset) => asset!.status), {
          timeout: 60_000,
        })
        .toContain('READY');
      const statuses = seen.filter((asset) => asset?.filename === 'live.png').map((asset) => asset!.status);
      expect(statuses[0]).toBe('UPLOADING');
      expect(statuses).toContain('PROCESSING');
      expect(statuses.at(-1)).toBe('READY');
      // Live events sign media URLs as queries do (the socket's context once had no storage,
      // and every READY event lost its thumbnail to an error).
      expect(errors).toEqual([]);
      const ready = seen.findLast((asset) => asset?.filename === 'live.png')!;
      // Signed for the configured public address; this api listens on a port of its own.
      const signed = new URL(ready.thumbnailUrl!);
      const thumbnail = await fetch(new URL(signed.pathname + signed.search, api.url));
      expect(thumbnail.status).toBe(200);
      expect(thumbnail.headers.get('content-type')).toBe('image/jpeg');
    } finally {
      stop();
      await client.dispose();
    }
  }, 120_000);
});

describe('GraphQL', () => {
  test('the library lists with filters, updates tags and folders, and deletes with its objects', async () => {
    const image = join(work, 'listed.png');
    await writeFile(
      image,
      await sharp({ create: { width: 40, height: 30, channels: 3, background: '#0a0' } })
        .png()
        .toBuffer(),
    );
    const assetId = await uploadWhole(image, { filename: 'listed.png', folder: 'logos', tags: 'green' });
    await waitForStatus(assetId, ['READY']);
    const list = `query($id: ID!, $brandId: ID, $folder: String, $tag: String, $kind: MediaAssetKind, $status: [MediaAssetStatus!]) {
      organization(id: $id) { ... on Organization { mediaAssets(brandId: $brandId, folder: $folder, tag: $tag, kind: $kind, status: $status) {
        totalCount edges { node { id filename folder tags kind status thumbnailUrl width height } } } } } }`;
    const listed = async (variables: Record<string, unknown>) => {
      const response = await org.members.REVIEWER.client.gql<{
        organization: { mediaAssets: { totalCount: number; edges: Array<{ node: { id: string; filename: string } }> } };
      }>(list, { id: org.organization.gid, ...variables });
      expect(response.body.errors).toBeUndefined();
      return response.body.data!.organization.mediaAssets.edges.map((edge) => edge.node.filename);
    };
    expect(await listed({ folder: 'logos', tag: 'green', kind: 'IMAGE', status: ['READY'] })).toEqual(['listed.png']);
    expect(await listed({ folder: 'logos', kind: 'VIDEO' })).toEqual([]);
    expect(await listed({ brandId: other.brand.gid })).toEqual([]);
    // Another organization sees none of it.
    const foreign = await other.members.OWNER.client.gql(`query($id: ID!) { node(id: $id) { id } }`, {
      id: gid('MediaAsset', assetId),
    });
    expect(foreign.body.data).toEqual({ node: null });

    const updated = await org.members.EDITOR.client.gql<{
      updateMediaAsset: { data: { folder: string; tags: string[] } };
    }>(
      `mutation($id: ID!) { updateMediaAsset(id: $id, folder: "/brand/logos/", tags: ["Green", "logo", "green"]) {
        ... on MutationUpdateMediaAssetSuccess { data { folder tags } } } }`,
      { id: gid('MediaAsset', assetId) },
    );
    expect(updated.body.data?.updateMediaAsset.data).toEqual({ folder: 'brand/logos', tags: ['green', 'logo'] });
    const badFolder = await org.members.EDITOR.client.gql(
      `mutation($id: ID!) { updateMediaAsset(id: $id, folder: "a/../b") { __typename } }`,
      { id: gid('MediaAsset', assetId) },
    );
    expect(badFolder.body.data).toEqual({ updateMediaAsset: { __typename: 'ValidationError' } });

    const asset = await api.db.mediaAsset.findUniqueOrThrow({ where: { id: assetId } });
    const deleted = await org.members.EDITOR.client.gql(
      `mutation($id: ID!) { deleteMediaAsset(id: $id) { __typename } }`,
      {
        id: gid('MediaAsset', assetId),
      },
    );
    expect(deleted.body.data).toEqual({ deleteMediaAsset: { __typename: 'MutationDeleteMediaAssetSuccess' } });
    expect(await api.db.mediaAsset.findUnique({ where: { id: assetId } })).toBeNull();
    for (const key of [asset.storageKey, asset.thumbnailKey!]) {
      await expect(stat(join(api.mediaDir, key))).rejects.toMatchObject({ code: 'ENOENT' });
    }
  }, 120_000);
});

describe('staff records', () => {
  const removeMember = `mutation($id: ID!) { removeMember(membershipId: $id) { __typename ... on Error { message } } }`;

  async function uploadAs(of: SeededOrganization, role: 'EDITOR' | 'ADMIN', name: string) {
    const image = join(work, name);
    await writeFile(
      image,
      await sharp({ create: { width: 24, height: 24, channels: 3, background: '#036' } })
        .png()
        .toBuffer(),
    );
    const auth = { cookie: of.members[role].client.cookie };
    const created = await createUpload(api.url, auth, (await stat(image)).size, {
      brandId: of.brand.gid,
      filename: name,
    });
    expect(created.status, created.body).toBe(201);
    expect((await patchFrom(created.location!, auth, image, 0)).status).toBe(204);
    return waitForStatus(assetIdOf(created.location!), ['READY']);
  }

  test('members keep a first and last name; they edit their own, members:manage edits anyone’s', async () => {
    const team = await seedOrganization(api);
    const update = `mutation($id: ID!, $first: String, $last: String) {
      updateMemberProfile(membershipId: $id, firstName: $first, lastName: $last) {
        __typename ... on MutationUpdateMemberProfileSuccess { data { firstName lastName } } ... on Error { message } } }`;
    const own = await team.members.EDITOR.client.gql(update, {
      id: gid('Membership', team.members.EDITOR.membershipId),
      first: ' Ada ',
      last: 'Lovelace',
    });
    expect(own.body.data).toEqual({
      updateMemberProfile: {
        __typename: 'MutationUpdateMemberProfileSuccess',
        data: { firstName: 'Ada', lastName: 'Lovelace' },
      },
    });
    // Someone else's record needs members:manage.
    const refused = await team.members.EDITOR.client.gql(update, {
      id: gid('Membership', team.members.REVIEWER.membershipId),
      first: 'Mallory',
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byAdmin = await team.members.ADMIN.client.gql(update, {
      id: gid('Membership', team.members.REVIEWER.membershipId),
      first: 'Grace',
      last: '',
    });
    expect(byAdmin.body.data?.updateMemberProfile).toMatchObject({ data: { firstName: 'Grace', lastName: null } });
    const tooLong = await team.members.ADMIN.client.gql(update, {
      id: gid('Membership', team.members.REVIEWER.membershipId),
      first: 'x'.repeat(101),
    });
    expect(tooLong.body.data?.updateMemberProfile).toMatchObject({ __typename: 'ValidationError' });
    const stored = await api.db.membership.findUniqueOrThrow({ where: { id: team.members.REVIEWER.membershipId } });
    expect([stored.firstName, stored.lastName]).toEqual(['Grace', null]);
  }, 60_000);

  test("a removed member's uploads are deleted by retention after the grace period; one who rejoins in time keeps them", async () => {
    const team = await seedOrganization(api);
    const leaving = await uploadAs(team, 'EDITOR', 'leaving.png');
    const staying = await uploadAs(team, 'ADMIN', 'staying.png');
    const owner = team.members.OWNER.client;

    // The default grace period is 30 days: removal only marks the uploads.
    expect(
      (await owner.gql(removeMember, { id: gid('Membership', team.members.EDITOR.membershipId) })).body.data,
    ).toEqual({
      removeMember: { __typename: 'MutationRemoveMemberSuccess' },
    });
    const marked = await api.db.mediaAsset.findUniqueOrThrow({ where: { id: leaving.id } });
    expect(marked.deleteAfter!.getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await api.db.mediaAsset.findUniqueOrThrow({ where: { id: staying.id } })).deleteAfter).toBeNull();

    // Back before the deadline: the uploads are theirs again.
    const email = (await api.db.user.findUniqueOrThrow({ where: { id: team.members.EDITOR.userId } })).email;
    const invited = await owner.gql<{ inviteMember: { data: { token: string } } }>(
      `mutation($org: ID!, $email: String!) { inviteMember(organizationId: $org, email: $email, role: EDITOR) {
        ... on MutationInviteMemberSuccess { data { token } } } }`,
      { org: team.organization.gid, email },
    );
    const accepted = await team.members.EDITOR.client.gql(
      `mutation($token: String!) { acceptInvite(token: $token) { __typename ... on MutationAcceptInviteSuccess { data { id } } } }`,
      { token: invited.body.data!.inviteMember.data.token },
    );
    expect(accepted.body.data).toMatchObject({ acceptInvite: { __typename: 'MutationAcceptInviteSuccess' } });
    expect((await api.db.mediaAsset.findUniqueOrThrow({ where: { id: leaving.id } })).deleteAfter).toBeNull();
    const rejoined = await api.db.membership.findFirstOrThrow({
      where: { organizationId: team.organization.id, userId: team.members.EDITOR.userId },
    });

    // With no grace period, the next retention run takes the uploads and all their files.
    const settings = await owner.gql(
      `mutation($id: ID!) { updateOrganization(id: $id, departedMemberMediaRetentionDays: 0) {
        __typename ... on MutationUpdateOrganizationSuccess { data { settings { departedMemberMediaRetentionDays } } } } }`,
      { id: team.organization.gid },
    );
    expect(settings.body.data).toMatchObject({
      updateOrganization: { data: { settings: { departedMemberMediaRetentionDays: 0 } } },
    });
    await owner.gql(removeMember, { id: gid('Membership', rejoined.id) });
    const audit = await api.db.auditEvent.findFirstOrThrow({
      where: { organizationId: team.organization.id, action: 'member.remove', targetId: rejoined.id },
    });
    expect(audit.metadata).toMatchObject({ uploadsScheduledForDeletion: 1 });
    const temporal = connectTemporalClient({ address: api.config.TEMPORAL_ADDRESS, namespace: 'default' });
    try {
      const result: unknown = await temporal.workflow.execute('retentionWorkflow', {
        workflowId: `retention-${randomBytes(4).toString('hex')}`,
        taskQueue: api.config.TEMPORAL_TASK_QUEUE,
      });
      expect(
        (result as { totals: { departedMemberUploads: number } }).totals.departedMemberUploads,
      ).toBeGreaterThanOrEqual(1);
    } finally {
      await temporal.connection.close();
    }
    expect(await api.db.mediaAsset.findUnique({ where: { id: leaving.id } })).toBeNull();
    for (const key of [leaving.storageKey, leaving.thumbnailKey!]) {
      await expect(stat(join(api.mediaDir, key))).rejects.toMatchObject({ code: 'ENOENT' });
    }
    // The member who stayed keeps theirs.
    expect(await api.db.mediaAsset.findUnique({ where: { id: staying.id } })).not.toBeNull();
    await expect(stat(join(api.mediaDir, staying.storageKey))).resolves.toBeTruthy();
  }, 120_000);
});
