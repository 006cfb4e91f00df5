import { createHash } from 'node:crypto';
import sharp from 'sharp';

/** What the emulators "see" in a picture: its size, brightness and contrast, and its hash. */
interface Seen {
  width: number;
  height: number;
  /** Mean luminance 0-255. */
  brightness: number;
  /** Standard deviation of luminance: how much detail (or text) there is. */
  contrast: number;
  hash: Buffer;
}

async function look(bytes: Buffer): Promise<Seen> {
  const image = sharp(bytes);
  const { width = 0, height = 0 } = await image.metadata();
  const stats = await image.greyscale().stats();
  const channel = stats.channels[0]!;
  return {
    width,
    height,
    brightness: channel.mean,
    contrast: channel.stdev,
    hash: createHash('sha256').update(bytes).digest(),
  };
}

const subjects = ['morning light', 'studio table', 'street scene', 'close-up detail', 'team moment', 'product shot'];
const tagWords = ['behindthescenes', 'daily', 'craft', 'newdrop', 'howto', 'studio', 'community', 'tips'];

function shape(seen: Seen): string {
  if (seen.height > seen.width * 1.2) return 'vertical';
  if (seen.width > seen.height * 1.2) return 'wide';
  return 'square';
}

/**
 * Captions that depend only on the pictures and the networks asked for: the first picture's
 * hash picks the subject and hashtags, its size and brightness the wording.
 */
export async function suggestFromFrames(prompt: string, frames: Buffer[]) {
  const seen = await Promise.all(frames.map(look));
  const first = seen[0];
  const networks = (/<networks>([^<]*)<\/networks>/.exec(prompt)?.[1] ?? 'INSTAGRAM').split(',').filter(Boolean);
  const brand = /<brand>([^<]*)<\/brand>/.exec(prompt)?.[1] ?? 'us';
  const subject = first ? subjects[first.hash[0]! % subjects.length]! : 'our day';
  const mood = first && first.brightness < 80 ? 'moody' : 'bright';
  const what = first ? `a ${mood} ${shape(first)} ${subject} (${first.width}×${first.height})` : subject;
  const tags = first ? [0, 1, 2].map((i) => `#${tagWords[first.hash[1 + i]! % tagWords.length]!}`) : ['#daily'];
  return {
    suggestions: networks.map((network) => ({
      network,
      caption:
        network === 'TIKTOK'
          ? `Wait for it: ${what} from ${brand}.`
          : network === 'FACEBOOK'
            ? `Here is ${what}, shared by ${brand}. What do you think?`
            : `${what[0]!.toUpperCase()}${what.slice(1)} — ${frames.length} ${frames.length === 1 ? 'look' : 'looks'} from ${brand}.`,
      hashtags: [...new Set([...tags, `#${brand.replace(/[^\p{L}\p{N}_]+/gu, '').toLowerCase() || 'brand'}`])],
    })),
  };
}

/**
 * Findings that depend only on the frames: a dark or flat first frame is a weak hook, a
 * low-contrast frame makes text hard to read, and a frame whose hash starts low is flagged as
 * possibly risky (so some inputs always raise one).
 */
export async function reviewFrames(prompt: string, frames: Buffer[]) {
  const seen = await Promise.all(frames.map(look));
  const times = [...prompt.matchAll(/frame (\d+): at ([\d.]+) s/g)].map((match) => Number(match[2]));
  const findings: Array<{ frame: number; check: string; verdict: string; note: string }> = [];
  seen.forEach((frame, index) => {
    if (index === 0 || (times[index] ?? Infinity) < 3) {
      const weak = frame.brightness < 40 || frame.contrast < 12;
      findings.push({
        frame: index,
        check: 'HOOK',
        verdict: weak ? 'WARN' : 'PASS',
        note: weak
          ? `The opening frame is ${frame.brightness < 40 ? 'dark' : 'flat'}; open on something that moves or stands out.`
          : 'The opening frame is clear and bright enough to stop the scroll.',
      });
    }
    const legible = frame.contrast >= 20;
    findings.push({
      frame: index,
      check: 'TEXT_LEGIBILITY',
      verdict: legible ? 'PASS' : 'WARN',
      note: legible
        ? `Contrast is good (${Math.round(frame.contrast)}); on-screen text would read on a phone.`
        : `Low contrast (${Math.round(frame.contrast)}); on-screen text here would be hard to read.`,
    });
    if (frame.hash[0]! < 16) {
      findings.push({
        frame: index,
        check: 'RISKY_CONTENT',
        verdict: 'WARN',
        note: 'Something in this frame may need a second look before posting.',
      });
    }
  });
  if (!findings.some((finding) => finding.check === 'RISKY_CONTENT')) {
    findings.push({
      frame: 0,
      check: 'RISKY_CONTENT',
      verdict: 'PASS',
      note: 'Nothing a platform would restrict was seen.',
    });
  }
  return { findings };
}

/** Whether every picture is an image sharp can read (the real APIs refuse others with a 400). */
export async function allDecodable(frames: Buffer[]): Promise<boolean> {
  try {
    await Promise.all(frames.map((frame) => sharp(frame).stats()));
    return true;
  } catch {
    return false;
  }
}
