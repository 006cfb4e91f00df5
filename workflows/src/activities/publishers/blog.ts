import type { Database } from '@pressroom/db';
import { blogArticleUrl } from '@pressroom/db/articles';
import { PublishRefusal, type FoundPost, type MadePost, type NetworkPublisher, type PublishContext } from './types.js';

export interface BlogPublisherOptions {
  db: Database;
  /** The api's public address: the blog's URLs start from it unless the brand has a custom domain. */
  publicBaseUrl: string;
  now?: () => number;
}

/**
 * The brand's own public blog behind the same publisher interface as the networks, so that an
 * article is scheduled, published, retried and checked by the publish workflow like any post.
 * Its "network" is our database: `publish` makes the article live (`Article.publishedAt`), once —
 * a conditional update that only a not-yet-live article passes — and `find` can always say for
 * sure whether it is, so a lost answer never ends OUTCOME_UNKNOWN.
 */
export function createBlogPublisher(options: BlogPublisherOptions): NetworkPublisher {
  const { db } = options;
  const now = options.now ?? Date.now;

  async function articleOf(ctx: PublishContext) {
    const article = await db.article.findUnique({
      where: { postId: ctx.post.postId },
      select: {
        id: true,
        slug: true,
        publishedAt: true,
        brand: { select: { slug: true, customDomain: true, organization: { select: { slug: true } } } },
      },
    });
    if (!article)
      throw new PublishRefusal('only an ARTICLE post with its article goes to the blog', 'REJECTED_BY_PLATFORM');
    const url = blogArticleUrl(
      {
        slug: article.brand.slug,
        customDomain: article.brand.customDomain,
        organizationSlug: article.brand.organization.slug,
      },
      options.publicBaseUrl,
      article.slug,
    );
    return { ...article, url };
  }

  return {
    platform: 'BLOG',
    label: 'Blog',
    tokenless: true,
    async prepare(ctx) {
      if (ctx.post.format !== 'ARTICLE') {
        throw new PublishRefusal(`the blog publishes articles, not ${ctx.post.format} posts`, 'REJECTED_BY_PLATFORM');
      }
      await articleOf(ctx);
    },
    // Nothing to send ahead or upload: the article and its page are ours.
    init: () => Promise.resolve(),
    upload: () => Promise.resolve(),
    status: () => Promise.resolve({ kind: 'ready' }),
    async publish(ctx): Promise<MadePost> {
      const article = await articleOf(ctx);
      // Live once: a repeated call finds it live already and changes nothing. The publication's
      // own event (finishAttempt) tells the dashboards.
      await db.article.updateMany({
        where: { id: article.id, publishedAt: null },
        data: { publishedAt: new Date(now()), unpublishedAt: null },
      });
      return { postId: article.id, url: article.url };
    },
    async find(ctx): Promise<FoundPost> {
      const article = await articleOf(ctx);
      return article.publishedAt
        ? { kind: 'found', post: { postId: article.id, url: article.url } }
        : { kind: 'not-made' };
    },
    // The URL is recorded with the publish; it follows the brand's domain when read again.
    urlOf: () => undefined,
  };
}
