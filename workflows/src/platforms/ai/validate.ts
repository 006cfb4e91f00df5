import { PlatformError } from '../errors.js';
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
