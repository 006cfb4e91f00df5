import { z } from 'zod';

/** One picture sent to the model: an image upload, or a frame sampled from a video. */
export interface VisionFrame {
  contentType: 'image/jpeg' | 'image/png';
  bytes: Buffer;
  /** Where in the video the frame was taken; absent for an image. */
  timestampMs?: number;
}

export interface CaptionRequest {
  model?: string;
  brand: { name: string; voice: string };
  kind: 'IMAGE' | 'VIDEO';
  frames: VisionFrame[];
  /** Networks to write for (TIKTOK, INSTAGRAM ...), one suggestion each. */
  networks: string[];
}

const hashtag = z.string().regex(/^#[\p{L}\p{N}_]+$/u, 'a hashtag is # followed by letters, digits or _');

export const captionSuggestionsSchema = z.object({
  suggestions: z
    .array(
      z.object({
        network: z.string().min(1),
        caption: z.string().min(1).max(2200),
        hashtags: z.array(hashtag).max(30),
      }),
    )
    .min(1),
});
export type CaptionSuggestion = z.infer<typeof captionSuggestionsSchema>['suggestions'][number];

export const captionSuggestionsJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['suggestions'],
  properties: {
    suggestions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['network', 'caption', 'hashtags'],
        properties: {
          network: { type: 'string', description: 'The network this caption is for, as given' },
          caption: { type: 'string', description: "The caption in the network's style, no hashtags" },
          hashtags: { type: 'array', items: { type: 'string', description: 'A hashtag starting with #' } },
        },
      },
    },
  },
} as const;

/** What the model judges from the frames; the rest of the checklist Pressroom computes. */
export const visionChecks = ['HOOK', 'TEXT_LEGIBILITY', 'RISKY_CONTENT'] as const;
export const verdicts = ['PASS', 'WARN', 'FAIL'] as const;

export const videoReviewSchema = z.object({
  findings: z.array(
    z.object({
      /** The frame's index in the request; Pressroom turns it into a timestamp. */
      frame: z.number().int().min(0),
      check: z.enum(visionChecks),
      verdict: z.enum(verdicts),
      note: z.string().max(500),
    }),
  ),
});
export type VisionFinding = z.infer<typeof videoReviewSchema>['findings'][number];

export const videoReviewJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['findings'],
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['frame', 'check', 'verdict', 'note'],
        properties: {
          frame: { type: 'integer', description: 'Index of the frame the finding is about (0 is the first)' },
          check: { type: 'string', enum: [...visionChecks] },
          verdict: { type: 'string', enum: [...verdicts] },
          note: { type: 'string', description: 'One sentence a reviewer can act on' },
        },
      },
    },
  },
} as const;

export interface VideoReviewRequest {
  model?: string;
  /** Frames in time order, each with its timestamp. */
  frames: VisionFrame[];
  durationMs: number | null;
}

export const captionSystemPrompt =
  'You write social media captions for a brand from the pictures of a post. Describe what is shown ' +
  "accurately, in the brand's voice, one caption per network in that network's style, with relevant hashtags.";

export function captionPrompt(request: CaptionRequest): string {
  return [
    `<brand>${request.brand.name}</brand>`,
    `<voice>${request.brand.voice}</voice>`,
    `<kind>${request.kind}</kind>`,
    `<networks>${request.networks.join(',')}</networks>`,
    request.kind === 'VIDEO'
      ? `The ${request.frames.length} images are frames sampled from the video, in order.`
      : `The ${request.frames.length} images are the post's pictures, in order.`,
  ].join('\n');
}

export const videoReviewSystemPrompt =
  'You review short social videos before they are posted, from frames sampled in order. For each frame ' +
  'judge: HOOK (only frames in the first 3 seconds: does it grab attention), TEXT_LEGIBILITY (is any ' +
  'on-screen text large and contrasted enough to read on a phone), RISKY_CONTENT (anything a platform ' +
  'could restrict: weapons, nudity, minors at risk, dangerous acts, logos or music rights). Verdicts: ' +
  'PASS, WARN or FAIL, with a short note.';

export function videoReviewPrompt(request: VideoReviewRequest): string {
  const frames = request.frames.map(
    (frame, index) => `frame ${index}: at ${((frame.timestampMs ?? 0) / 1000).toFixed(1)} s`,
  );
  return [
    `<duration>${request.durationMs === null ? 'unknown' : (request.durationMs / 1000).toFixed(1)} s</duration>`,
    ...frames,
  ].join('\n');
}
