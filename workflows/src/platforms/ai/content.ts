import type { CaptionRequest, CaptionSuggestion, VideoReviewRequest, VisionFinding } from './vision.js';
import { z } from 'zod';

/** One generated post, as the AI provider must return it. */
export const generatedPostSchema = z.object({
  title: z.string().min(1).max(90),
  caption: z.string().min(1).max(2200),
  hashtags: z.array(z.string().regex(/^#[\p{L}\p{N}_]+$/u, 'a hashtag is # followed by letters, digits or _')).max(30),
  slides: z
    .array(z.object({ heading: z.string().min(1).max(120), body: z.string().max(600) }))
    .min(1)
    .max(35),
});

export const generatedPostsSchema = z.object({ posts: z.array(generatedPostSchema).min(1) });

export type GeneratedPost = z.infer<typeof generatedPostSchema>;

/**
 * The same shape as JSON Schema, written out for the providers' strict modes (OpenAI's
 * strict json_schema needs every property required and no additional properties).
 */
export const generatedPostsJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['posts'],
  properties: {
    posts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'caption', 'hashtags', 'slides'],
        properties: {
          title: { type: 'string', description: 'Short title, at most 90 characters' },
          caption: { type: 'string', description: 'The post caption, at most 2200 characters, no hashtags' },
          hashtags: { type: 'array', items: { type: 'string', description: 'A hashtag starting with #' } },
          slides: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['heading', 'body'],
              properties: {
                heading: { type: 'string', description: 'Slide heading, a few words' },
                body: { type: 'string', description: 'One or two short sentences' },
              },
            },
          },
        },
      },
    },
  },
} as const;

export interface ContentRequest {
  brand: { name: string; voice: string };
  knowledge: Array<{ title: string; content: string }>;
  brief: string;
  postCount: number;
  slidesPerPost: number;
  platform?: string;
  /** The organization's model (OrganizationSettings.aiTextModel); unset, the generator's own. */
  model?: string;
}

/** What the generate workflow calls; one implementation per provider. */
export interface ContentGenerator {
  readonly provider: string;
  generatePosts(request: ContentRequest): Promise<GeneratedPost[]>;
  generateArticle(request: LongFormRequest): Promise<GeneratedArticle>;
  generateScript(request: LongFormRequest): Promise<GeneratedScript>;
  /** Captions and hashtags per network from an image's or a video's frames (vision input). */
  suggestCaptions(request: CaptionRequest): Promise<CaptionSuggestion[]>;
  /** The model's findings on a video's sampled frames: hook, legibility, risky content. */
  reviewVideo(request: VideoReviewRequest): Promise<VisionFinding[]>;
}

/** An article or a video script: one piece per request. */
export type LongFormRequest = Omit<ContentRequest, 'postCount' | 'slidesPerPost'>;

/**
 * One SEO article. The lengths a search engine shows (meta title 60, description 160) are
 * enforced by clipping rather than refusal: a model that overshoots by a word still wrote a
 * usable article, and the SEO checklist reports what is left short.
 */
export const generatedArticleSchema = z.object({
  title: z.string().min(1).max(200),
  metaTitle: z
    .string()
    .min(1)
    .transform((text) => clipWords(text, 60)),
  metaDescription: z
    .string()
    .min(1)
    .transform((text) => clipWords(text, 160)),
  keywords: z.array(z.string().min(1).max(80)).min(1).max(10),
  outline: z.array(z.string().min(1).max(200)).min(1).max(30),
  body: z.string().min(1).max(60_000),
  excerpt: z
    .string()
    .min(1)
    .transform((text) => clipWords(text, 300)),
});

export type GeneratedArticle = z.infer<typeof generatedArticleSchema>;

export const generatedArticleJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'metaTitle', 'metaDescription', 'keywords', 'outline', 'body', 'excerpt'],
  properties: {
    title: { type: 'string', description: 'The headline, containing the main keyword' },
    metaTitle: { type: 'string', description: 'The title for search results, at most 60 characters' },
    metaDescription: { type: 'string', description: 'The description for search results, at most 160 characters' },
    keywords: {
      type: 'array',
      items: { type: 'string' },
      description: 'Target search keywords, the main one first',
    },
    outline: { type: 'array', items: { type: 'string' }, description: 'The section headings, in order' },
    body: {
      type: 'string',
      description:
        'The article in Markdown: one "# " heading (the headline), then "## " sections; the main keyword in the first paragraph',
    },
    excerpt: { type: 'string', description: 'One or two sentences for listings, at most 300 characters' },
  },
} as const;

/** One short vertical video script: scenes in order, with what is said and what is shown. */
export const generatedScriptSchema = z.object({
  title: z.string().min(1).max(90),
  caption: z.string().min(1).max(2200),
  hashtags: z.array(z.string().regex(/^#[\p{L}\p{N}_]+$/u, 'a hashtag is # followed by letters, digits or _')).max(30),
  scenes: z
    .array(
      z.object({
        voiceOver: z.string().max(1000),
        onScreenText: z.string().max(120),
        shot: z.string().max(500),
        durationSeconds: z.number().min(0.5).max(60),
      }),
    )
    .min(1)
    .max(30),
});

export type GeneratedScript = z.infer<typeof generatedScriptSchema>;

export const generatedScriptJsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'caption', 'hashtags', 'scenes'],
  properties: {
    title: { type: 'string', description: 'Short title, at most 90 characters' },
    caption: { type: 'string', description: 'The caption to post with the video, no hashtags' },
    hashtags: { type: 'array', items: { type: 'string', description: 'A hashtag starting with #' } },
    scenes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['voiceOver', 'onScreenText', 'shot', 'durationSeconds'],
        properties: {
          voiceOver: { type: 'string', description: 'What the narrator says in this scene' },
          onScreenText: { type: 'string', description: 'A few words shown on screen, at most 120 characters' },
          shot: { type: 'string', description: 'What the camera shows' },
          durationSeconds: { type: 'number', description: 'How long the scene lasts, 0.5 to 60 seconds' },
        },
      },
    },
  },
} as const;

/** Cuts text to at most `max` characters at a word boundary (no ellipsis: these are fields, not teasers). */
export function clipWords(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : clean.slice(0, max)).replace(/[\s,;:–-]+$/, '');
}

export const systemPrompt = [
  'You write social media posts for a brand: photo carousels with a caption and hashtags.',
  "Write in the brand's voice. Use only facts from the brand knowledge; never invent prices, dates or claims.",
  'Each carousel opens with a hook slide; the following slides deliver one idea each.',
].join('\n');

/** A batch is written one post per request; each request's brief says which post it is. */
export function batchPostBrief(brief: string, index: number, count: number): string {
  return count > 1 ? `${brief}\n\n(Post ${index + 1} of ${count}.)` : brief;
}

const escapeTag = (text: string) => text.replace(/</g, '‹');

/** The brand, its knowledge and the brief in tags, so the model can tell them apart. */
function briefContext(request: LongFormRequest): string[] {
  return [
    `<brand name="${escapeTag(request.brand.name)}">`,
    `<voice>${escapeTag(request.brand.voice)}</voice>`,
    ...request.knowledge.map(
      (doc) => `<knowledge title="${escapeTag(doc.title).replace(/"/g, "'")}">${escapeTag(doc.content)}</knowledge>`,
    ),
    '</brand>',
    `<brief>${escapeTag(request.brief)}</brief>`,
  ];
}

/** The user message for posts. */
export function contentPrompt(request: ContentRequest): string {
  return [
    ...briefContext(request),
    `<post_count>${request.postCount}</post_count>`,
    `<slides_per_post>${request.slidesPerPost}</slides_per_post>`,
    ...(request.platform ? [`<platform>${request.platform}</platform>`] : []),
    `Write ${request.postCount} posts with ${request.slidesPerPost} slides each.`,
  ].join('\n');
}

export const articleSystemPrompt = [
  "You write search-optimised blog articles for a brand's own blog.",
  "Write in the brand's voice. Use only facts from the brand knowledge; never invent prices, dates or claims.",
  'Put the main keyword in the headline, the single H1 and the first paragraph; use short sentences and "## " sections.',
].join('\n');

export const scriptSystemPrompt = [
  'You write scripts for short vertical videos (TikTok, Reels, Shorts) for a brand.',
  "Write in the brand's voice. Use only facts from the brand knowledge; never invent prices, dates or claims.",
  'Open with a hook scene; each scene has narration, a few words of on-screen text, the shot and its length.',
].join('\n');

/** The user message for an article or a script. */
export function longFormPrompt(request: LongFormRequest, format: 'article' | 'script'): string {
  return [
    ...briefContext(request),
    ...(request.platform ? [`<platform>${request.platform}</platform>`] : []),
    `<format>${format}</format>`,
    format === 'article'
      ? 'Write one blog article of 500 to 1200 words.'
      : 'Write one video script of 15 to 60 seconds in 4 to 8 scenes.',
  ].join('\n');
}
