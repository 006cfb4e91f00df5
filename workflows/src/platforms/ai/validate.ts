import { PlatformError } from '../errors.js';
import type { z } from 'zod';
import { generatedPostsSchema, type ContentRequest, type GeneratedPost } from './content.js';

/**
 * Validates what a model returned. A model that returns the wrong shape may do better on
 * the next try, so this is TRANSIENT (with its own code), not a refusal.
 */
export function parseGeneratedPosts(
  provider: string,
  value: unknown,
  request: Pick<ContentRequest, 'postCount'>,
): GeneratedPost[] {
  const parsed = generatedPostsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `the model returned posts that do not fit the schema (${issue?.path.join('.')}: ${issue?.message})`,
      {
        category: 'TRANSIENT',
        platform: provider,
        operation: 'generate posts',
        code: 'invalid_output',
      },
    );
  }
  return parsed.data.posts.slice(0, request.postCount);
}

/** The same check for an article or a script: the wrong shape is TRANSIENT, the model may do better. */
export function parseGenerated<Schema extends z.ZodType>(
  provider: string,
  schema: Schema,
  value: unknown,
  what: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlatformError(
      `the model returned ${what} that does not fit the schema (${issue?.path.join('.')}: ${issue?.message})`,
      { category: 'TRANSIENT', platform: provider, operation: `generate ${what}`, code: 'invalid_output' },
    );
  }
  return parsed.data;
}
