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

/** The user message: the brief and the knowledge in tags, so the model can tell them apart. */
export function contentPrompt(request: ContentRequest): string {
  return [
    `<brand name="${escapeTag(request.brand.name)}">`,
    `<voice>${escapeTag(request.brand.voice)}</voice>`,
    ...request.knowledge.map(
      (doc) => `<knowledge title="${escapeTag(doc.title).replace(/"/g, "'")}">${escapeTag(doc.content)}</knowledge>`,
    ),
    '</brand>',
    `<brief>${escapeTag(request.brief)}</brief>`,
    `<post_count>${request.postCount}</post_count>`,
    `<slides_per_post>${request.slidesPerPost}</slides_per_post>`,
    ...(request.platform ? [`<platform>${request.platform}</platform>`] : []),
    `Write ${request.postCount} posts with ${request.slidesPerPost} slides each.`,
  ].join('\n');
}
