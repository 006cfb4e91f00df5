import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';

export interface SlideshowOptions {
  /** How long each slide stays fully visible, in seconds. */
  secondsPerSlide?: number;
  /** Each slide's own time on screen, in seconds (a script's scene lengths); wins over secondsPerSlide. */
  durations?: number[];
  /** The crossfade between two slides, in seconds (0: hard cuts). */
  transitionSeconds?: number;
  fps?: number;
  /** Fills the frame around a slide that is not 9:16 (carousel slides are 4:5). */
  background?: string;
}

export interface RenderedSlideshow {
  data: Buffer;
  width: number;
  height: number;
  durationMs: number;
  contentType: 'video/mp4';
}

/** Reels, Shorts and TikTok video all want vertical 9:16. */
export const slideshowSize = { width: 1080, height: 1920 };

/**
 * The ffmpeg and ffprobe binaries shipped by their npm packages (a platform's own binary
 * package, so nothing is downloaded at run time); FFMPEG_PATH / FFPROBE_PATH, when given by
 * the caller, win.
 */
export function mediaTools(overrides: { ffmpeg?: string; ffprobe?: string } = {}) {
  const require = createRequire(import.meta.url);
  const binary = (pkg: string, name: string) => join(dirname(require.resolve(`${pkg}/package.json`)), name);
  return {
    ffmpeg: overrides.ffmpeg ?? binary('@ffmpeg-installer/linux-x64', 'ffmpeg'),
    ffprobe: overrides.ffprobe ?? binary('@ffprobe-installer/linux-x64', 'ffprobe'),
  };
}

function run(command: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // ffmpeg writes its progress to stderr: keep only the tail for an error message.
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`)),
    );
  });
}

/** The package's install script marks the binary executable; pnpm may not have run it. */
async function executable(path: string): Promise<string> {
  await chmod(path, 0o755).catch(() => undefined);
  return path;
}

/**
 * Renders slide images into a vertical MP4 slideshow: each slide fitted into 1080×1920 on the
 * background, held `secondsPerSlide`, crossfading into the next over `transitionSeconds`;
 * H.264 (yuv420p, +faststart) as every network accepts. Lasts n·secondsPerSlide (or the sum of
 * `durations`) + transitionSeconds.
 */
export async function renderSlideshow(
  images: Buffer[],
  options: SlideshowOptions = {},
  tools = mediaTools(),
): Promise<RenderedSlideshow> {
  if (images.length === 0) throw new Error('a slideshow needs at least one slide');
  const hold = options.secondsPerSlide ?? 3;
  const holds = images.map((_, index) => options.durations?.[index] ?? hold);
  if (holds.some((seconds) => !(seconds > 0))) throw new Error('every slide needs a positive duration');
  // Where each slide starts: the sum of the holds before it.
  const starts = holds.map((_, index) => holds.slice(0, index).reduce((sum, seconds) => sum + seconds, 0));
  const fade = images.length > 1 ? (options.transitionSeconds ?? 0.5) : 0;
  const fps = options.fps ?? 30;
  const { width, height } = slideshowSize;
  const dir = await mkdtemp(join(tmpdir(), 'pressroom-slideshow-'));
  try {
    const inputs: string[] = [];
    for (const [index, image] of images.entries()) {
      const frame = await sharp(image)
        .resize(width, height, { fit: 'contain', background: options.background ?? '#111111' })
        .flatten({ background: options.background ?? '#111111' })
        .jpeg({ quality: 92 })
        .toBuffer();
      const file = join(dir, `slide-${index}.jpg`);
      await writeFile(file, frame);
      // Each still lasts its hold plus the fade into the next (the fade overlaps two stills).
      inputs.push('-loop', '1', '-framerate', String(fps), '-t', String(holds[index]! + fade), '-i', file);
    }
    const total = holds.reduce((sum, seconds) => sum + seconds, 0) + fade;
    const filters: string[] = [];
    let last: string;
    if (fade === 0) {
      // Hard cuts (a script's scenes): the stills one after another, far cheaper than
      // compositing every frame over a base.
      const parts = images.map((_, k) => `[${k}:v]format=yuv420p,setsar=1,fps=${fps}[s${k}]`);
      filters.push(...parts, `${images.map((_, k) => `[s${k}]`).join('')}concat=n=${images.length}:v=1:a=0[cut]`);
      last = 'cut';
    } else {
      // Each slide is laid over the one before from its start time, fading in over `fade`
      // (overlay + alpha fade, which every ffmpeg build has; xfade needs 4.3+).
      filters.push(`color=c=black:s=${width}x${height}:r=${fps}:d=${total}[base]`);
      last = 'base';
      for (let k = 0; k < images.length; k++) {
        const fadeIn = k > 0 ? `,fade=t=in:st=0:d=${fade}:alpha=1` : '';
        filters.push(`[${k}:v]format=yuva420p${fadeIn},setpts=PTS-STARTPTS+${starts[k]!}/TB[s${k}]`);
        filters.push(`[${last}][s${k}]overlay=0:0:eof_action=pass[o${k}]`);
        last = `o${k}`;
      }
    }
    filters.push(`[${last}]format=yuv420p,setsar=1[video]`);
    const output = join(dir, 'slideshow.mp4');
    const ffmpeg = await executable(tools.ffmpeg);
    await run(ffmpeg, [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      ...inputs,
      '-filter_complex',
      filters.join(';'),
      '-map',
      '[video]',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'high',
      '-crf',
      '20',
      '-r',
      String(fps),
      '-t',
      String(total),
      '-movflags',
      '+faststart',
      output,
    ]);
    return {
      data: await readFile(output),
      width,
      height,
      durationMs: Math.round(total * 1000),
      contentType: 'video/mp4',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface ProbedVideo {
  codec: string;
  width: number;
  height: number;
  durationSec: number;
  pixelFormat: string;
}

/** What ffprobe reads from a video file's first video stream. */
export async function probeVideo(file: string, tools = mediaTools()): Promise<ProbedVideo> {
  const { stdout } = await run(await executable(tools.ffprobe), [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=codec_name,width,height,pix_fmt:format=duration',
    '-of',
    'json',
    file,
  ]);
  const probed = JSON.parse(stdout) as {
    streams: Array<{ codec_name: string; width: number; height: number; pix_fmt: string }>;
    format: { duration: string };
  };
  const stream = probed.streams[0]!;
  return {
    codec: stream.codec_name,
    width: stream.width,
    height: stream.height,
    pixelFormat: stream.pix_fmt,
    durationSec: Number(probed.format.duration),
  };
}

/** One frame of a video at `atSeconds`, as a JPEG (a poster, or a test's look at a moment). */
export async function extractFrame(video: Buffer, atSeconds: number, tools = mediaTools()): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'pressroom-frame-'));
  try {
    const input = join(dir, 'video.mp4');
    const output = join(dir, 'frame.jpg');
    await writeFile(input, video);
    await run(await executable(tools.ffmpeg), [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-ss',
      String(atSeconds),
      '-i',
      input,
      '-frames:v',
      '1',
      '-q:v',
      '3',
      output,
    ]);
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
