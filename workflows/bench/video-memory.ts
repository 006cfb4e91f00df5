// Benchmark: memory of sending a large video through the real TikTok and YouTube publishers.
// The video is read from ObjectStorage one chunk at a time (byte ranges), so the process
// should grow by about a chunk, not by the video. Prints peak RSS and heap of this process
// while idle (the baseline), during each upload, and while reading the whole file once (what
// the publishers used to do), all in the same run.
//
//   node --import tsx workflows/bench/video-memory.ts [MB=300]
//
// The emulators run in a child process so the bytes they receive are not counted here.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '@pressroom/db';
import { createTikTokPublisher } from '../src/activities/publishers/tiktok.js';
import type { NetworkPost, NetworkState, PublishContext } from '../src/activities/publishers/types.js';
import { createYouTubePublisher } from '../src/activities/publishers/youtube.js';
import { TikTokEmulator } from '../src/emulators/tiktok.js';
import { YouTubeEmulator } from '../src/emulators/youtube.js';
import { createTikTokClient } from '../src/platforms/tiktok/index.js';
import { staticAccessToken } from '../src/platforms/tokens.js';
import { createYouTubeClient } from '../src/platforms/youtube/index.js';
import { createLocalStorage, createUrlSigner } from '../src/storage/index.js';

interface EmulatorsReady {
  tiktokUrl: string;
  tiktokClientKey: string;
  tiktokClientSecret: string;
  tiktokToken: string;
  youtubeUrl: string;
  youtubeToken: string;
}

if (process.argv[2] === 'emulators') {
  // The child: both emulators, answering until the parent disconnects.
  const tiktok = new TikTokEmulator({ processingMs: 0, moderationMs: 0, dailyPostCap: 1000 });
  const youtube = new YouTubeEmulator({ processingMs: 0, dailyQuotaUnits: 1_000_000 });
  const [tiktokUrl, youtubeUrl] = await Promise.all([tiktok.start(), youtube.start()]);
  const user = tiktok.createUser();
  const ready: EmulatorsReady = {
    tiktokUrl,
    tiktokClientKey: tiktok.clientKey,
    tiktokClientSecret: tiktok.clientSecret,
    tiktokToken: tiktok.issueTokens(user.openId).access_token,
    youtubeUrl,
    youtubeToken: youtube.issueToken().accessToken,
  };
  process.send!(ready);
  process.on('disconnect', () => void Promise.all([tiktok.stop(), youtube.stop()]).then(() => process.exit(0)));
} else {
  await main(Number(process.argv[2] ?? 300));
}

/** Peak RSS and heap seen while `work` runs, sampled every 20 ms (and once at the end). */
async function peakDuring<T>(
  work: () => Promise<T>,
): Promise<{ rss: number; heap: number; external: number; ms: number }> {
  const peak = { rss: 0, heap: 0, external: 0 };
  const sample = () => {
    const usage = process.memoryUsage();
    peak.rss = Math.max(peak.rss, usage.rss);
    peak.heap = Math.max(peak.heap, usage.heapUsed);
    peak.external = Math.max(peak.external, usage.external); // Buffers are counted in external.
  };
  const timer = setInterval(sample, 20);
  const started = performance.now();
  try {
    sample();
    await work();
    sample();
  } finally {
    clearInterval(timer);
  }
  return { ...peak, ms: performance.now() - started };
}

async function main(megabytes: number) {
  const size = megabytes * 1024 * 1024 + 12_345;
  const root = await mkdtemp(join(tmpdir(), 'pressroom-video-memory-'));
  let child: ChildProcess | undefined;
  try {
    // The video, written in 8 MB pieces so this process never holds it.
    const key = 'bench/video.mp4';
    const file = join(root, 'source.mp4');
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(file);
      out.on('error', reject);
      let left = size;
      const piece = randomBytes(8 * 1024 * 1024);
      const more = () => {
        while (left > 0) {
          const part = piece.subarray(0, Math.min(piece.length, left));
          left -= part.length;
          if (!out.write(part)) return void out.once('drain', more);
        }
        out.end(resolve);
      };
      more();
    });
    const storage = createLocalStorage({
      root: join(root, 'storage'),
      signer: createUrlSigner({ baseUrl: 'http://127.0.0.1:9/media', secret: 'x'.repeat(32) }),
    });
    await storage.putFile(key, file, { contentType: 'video/mp4' });
    await rm(file);

    child = fork(fileURLToPath(import.meta.url), ['emulators'], { execArgv: ['--import', 'tsx'] });
    const emulators = await new Promise<EmulatorsReady>((resolve, reject) => {
      child!.once('message', (message) => resolve(message as EmulatorsReady));
      child!.once('exit', (code) => reject(new Error(`the emulators exited (${code})`)));
    });

    const post: NetworkPost = {
      postId: 'bench',
      format: 'VIDEO',
      title: 'Memory benchmark',
      caption: 'Memory benchmark',
      hashtags: [],
      text: 'Memory benchmark',
      images: [],
      video: {
        kind: 'VIDEO',
        storageKey: key,
        contentType: 'video/mp4',
        byteSize: size,
        width: 1920,
        height: 1080,
        durationMs: 60_000,
        url: 'http://127.0.0.1:9/media/bench/video.mp4',
      },
    };
    const contextFor = (token: string): PublishContext => {
      const state: NetworkState = {};
      return {
        platformAccountId: 'bench',
        tokens: staticAccessToken(token),
        post,
        state,
        save: (patch) => Promise.resolve(void Object.assign(state, patch)),
        paced: (call) => call(),
        heartbeat: () => {},
        takenPostIds: new Set(),
        resumeDetails: undefined,
        now: Date.now,
      };
    };

    const tiktokChunk = 10 * 1024 * 1024;
    const tiktok = createTikTokPublisher({
      tiktok: createTikTokClient({
        clientKey: emulators.tiktokClientKey,
        clientSecret: emulators.tiktokClientSecret,
        authBaseUrl: emulators.tiktokUrl,
        apiBaseUrl: emulators.tiktokUrl,
      }),
      storage,
      settings: { preferredPrivacy: 'SELF_ONLY', videoChunkBytes: tiktokChunk },
    });
    const youtubeChunk = 8 * 1024 * 1024;
    const youtube = createYouTubePublisher({
      youtube: createYouTubeClient({ baseUrl: emulators.youtubeUrl }),
      storage,
      // The upload itself reads no quota from the database (prepare, which does, is not run).
      db: {} as Database,
      dailyQuotaUnits: 1_000_000,
      chunkBytes: youtubeChunk,
      privacy: 'private',
    });

    global.gc?.();
    const idle = await peakDuring(() => new Promise((resolve) => setTimeout(resolve, 1_000)));
    const tiktokRun = await peakDuring(async () => {
      const ctx = contextFor(emulators.tiktokToken);
      await tiktok.prepare(ctx);
      await tiktok.publish(ctx);
      await tiktok.upload(ctx);
      if (!ctx.state.uploadComplete) throw new Error('TikTok: the upload did not finish');
    });
    global.gc?.();
    const youtubeRun = await peakDuring(async () => {
      const ctx = contextFor(emulators.youtubeToken);
      await youtube.init(ctx);
      await youtube.upload(ctx);
      if (!ctx.state.videoId) throw new Error('YouTube: the upload made no video');
    });
    global.gc?.();
    // For comparison: the whole file read once, as a publisher holding the video would.
    const whole = await peakDuring(async () => {
      const bytes = await storage.get(key);
      if (bytes?.body.length !== size) throw new Error('the whole read came back short');
    });

    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1).padStart(7);
    console.log(
      `video: ${(size / 1024 / 1024).toFixed(1)} MB; chunks: TikTok ${tiktokChunk / 1048576} MB, YouTube ${youtubeChunk / 1048576} MB`,
    );
    console.log('run                      peak RSS MB  (+idle)  peak heap MB  peak external MB (Buffers)  time s');
    for (const [name, run] of [
      ['idle (baseline)', idle],
      ['TikTok upload', tiktokRun],
      ['YouTube upload', youtubeRun],
      ['whole file read once', whole],
    ] as const) {
      console.log(
        `${name.padEnd(24)} ${mb(run.rss)}  ${mb(run.rss - idle.rss)}  ${mb(run.heap)}       ${mb(run.external)}              ${(run.ms / 1000).toFixed(1)}`,
      );
    }
    console.log(`process maxRSS over the run: ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
  } finally {
    child?.disconnect();
    await rm(root, { recursive: true, force: true });
  }
}
