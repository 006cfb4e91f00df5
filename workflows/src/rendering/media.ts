import { spawn } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { mediaTools } from './slideshow.js';

/** What ffprobe says about an uploaded video, as the library keeps it. */
export interface ProbedMedia {
  formatName: string;
  durationMs: number | null;
  videoCodec: string;
  audioCodec: string | null;
  pixelFormat: string | null;
  /** The stored frame size. */
  codedWidth: number;
  codedHeight: number;
  /** Clockwise degrees a player turns the frames (0, 90, 180, 270). */
  rotation: number;
  /** The size as shown, after the rotation. */
  width: number;
  height: number;
  raw: unknown;
}

/** The file cannot be read as media; retrying will not change that. */
export class UnreadableMediaError extends Error {}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

function run(
  command: string,
  args: string[],
  onStdout?: (chunk: string) => void,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (onStdout) onStdout(text);
      else stdout += text;
    });
    // Only the tail of stderr is kept: it is where the reason for a failure is.
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve({ stdout, stderr }) : reject(new UnreadableMediaError(lastLines(stderr) || `exit ${code}`)),
    );
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' ').slice(0, 500);
}

async function executable(path: string): Promise<string> {
  await chmod(path, 0o755).catch(() => undefined);
  return path;
}

/**
 * Clockwise rotation: older muxers write a `rotate` tag (clockwise), newer ffprobe reports
 * the display matrix's counter-clockwise angle.
 */
function rotationOf(stream: FfprobeStream): number {
  const tag = stream.tags?.rotate;
  const matrix = stream.side_data_list?.find((data) => typeof data.rotation === 'number')?.rotation;
  const clockwise = tag !== undefined ? Number(tag) : matrix !== undefined ? -matrix : 0;
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

export async function probeMedia(file: string, tools = mediaTools()): Promise<ProbedMedia> {
  const { stdout } = await run(await executable(tools.ffprobe), [
    '-v',
    'error',
    '-show_streams',
    '-show_format',
    '-of',
    'json',
    file,
  ]);
  const probed = JSON.parse(stdout) as {
    streams?: FfprobeStream[];
    format?: { format_name?: string; duration?: string };
  };
  const video = probed.streams?.find((stream) => stream.codec_type === 'video');
  if (!video?.codec_name || !video.width || !video.height) throw new UnreadableMediaError('no video stream');
  const audio = probed.streams?.find((stream) => stream.codec_type === 'audio');
  const rotation = rotationOf(video);
  const turned = rotation === 90 || rotation === 270;
  const duration = Number(probed.format?.duration);
  return {
    formatName: probed.format?.format_name ?? '',
    durationMs: Number.isFinite(duration) ? Math.round(duration * 1000) : null,
    videoCodec: video.codec_name,
    audioCodec: audio?.codec_name ?? null,
    pixelFormat: video.pix_fmt ?? null,
    codedWidth: video.width,
    codedHeight: video.height,
    rotation,
    width: turned ? video.height : video.width,
    height: turned ? video.width : video.height,
    raw: { format: probed.format, streams: probed.streams?.map(({ tags: _tags, ...stream }) => stream) },
  };
}

/**
 * Whether every network takes the file as it is: H.264 (yuv420p) with AAC or no audio in an
 * MP4, no rotation left to a player, and no side above 1080p.
 */
export function isPlatformReady(probed: ProbedMedia, contentType: string): boolean {
  return (
    contentType === 'video/mp4' &&
    probed.formatName.includes('mp4') &&
    probed.videoCodec === 'h264' &&
    probed.pixelFormat === 'yuv420p' &&
    (probed.audioCodec === null || probed.audioCodec === 'aac') &&
    probed.rotation === 0 &&
    Math.min(probed.width, probed.height) <= 1080 &&
    Math.max(probed.width, probed.height) <= 1920
  );
}

/**
 * One frame at `atSeconds`, upright (ffmpeg turns rotated video by its display matrix) and
 * no larger than `maxSide` on its long side, as JPEG.
 */
export async function extractFrame(
  input: string,
  output: string,
  options: { atSeconds: number; maxSide: number },
  tools = mediaTools(),
): Promise<void> {
  const side = options.maxSide;
  await run(await executable(tools.ffmpeg), [
    '-hide_banner',
    '-v',
    'error',
    '-y',
    '-ss',
    options.atSeconds.toFixed(3),
    '-i',
    input,
    '-frames:v',
    '1',
    '-vf',
    `scale=w='min(${side},iw)':h='min(${side},ih)':force_original_aspect_ratio=decrease`,
    '-q:v',
    '3',
    output,
  ]);
}

/**
 * The platform-ready rendition: H.264 High (yuv420p) + AAC in an MP4 with the index first
 * (faststart), upright, its short side at most 1080 (even sizes, as H.264 wants).
 * `onProgress` gets 0..1 as ffmpeg reports its position.
 */
export async function renderRendition(
  input: string,
  output: string,
  durationMs: number | null,
  onProgress: (fraction: number) => void,
  tools = mediaTools(),
): Promise<void> {
  const shortSide = 'trunc(min(1080,min(iw,ih))/2)*2';
  const scale = `scale=w='if(lte(iw,ih),${shortSide},-2)':h='if(lte(iw,ih),-2,${shortSide})'`;
  let buffered = '';
  await run(
    await executable(tools.ffmpeg),
    [
      '-hide_banner',
      '-v',
      'error',
      '-nostats',
      '-y',
      '-i',
      input,
      '-map',
      '0:v:0',
      '-map',
      '0:a:0?',
      '-vf',
      `${scale},format=yuv420p`,
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-profile:v',
      'high',
      '-crf',
      '21',
      '-c:a',
      'aac',
      '-b:a',
      '128k',
      '-ac',
      '2',
      // The frames are turned already; no rotation is left for a player to apply twice.
      '-metadata:s:v:0',
      'rotate=0',
      '-movflags',
      '+faststart',
      '-progress',
      'pipe:1',
      output,
    ],
    (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        // out_time_ms is in microseconds, despite its name.
        const match = /^out_time_ms=(\d+)/.exec(line);
        if (match && durationMs) onProgress(Math.min(1, Number(match[1]) / 1000 / durationMs));
      }
    },
  );
}
