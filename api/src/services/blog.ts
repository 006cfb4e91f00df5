import type { Database } from '@pressroom/db';

/** What a brand's public blog shows of the brand. */
export interface BlogBrand {
  id: string;
  name: string;
  slug: string;
  organizationSlug: string;
  customDomain: string | null;
  primaryColor: string;
  secondaryColor: string;
  accentColor: string;
  fontFamily: string;
}

/** A live article as the blog shows it. */
export interface BlogArticle {
  slug: string;
  title: string;
  metaTitle: string;
  metaDescription: string;
  keywords: string[];
  body: string;
  excerpt: string;
  readingMinutes: number;
  publishedAt: Date;
  updatedAt: Date;
  /** Its hero image (an AI image, or one set on the article) once it is stored and ready. */
  hero: BlogImage | null;
}

/** An image the blog serves from media storage under the article's own URL. */
export interface BlogImage {
  storageKey: string;
  contentType: string;
  width: number | null;
  height: number | null;
}

/** Articles on one page of a blog's index. */
export const blogPageSize = 10;

const brandSelect = {
  id: true,
  name: true,
  slug: true,
  customDomain: true,
  primaryColor: true,
  secondaryColor: true,
  accentColor: true,
  fontFamily: true,
  organization: { select: { slug: true } },
} as const;

function toBlogBrand(brand: {
  id: string;
  name: string;
  slug: string;
  customDomain: string | null;
  primaryColor: string;
  secondaryColor: string;
  accentColor: string;
  fontFamily: string;
  organization: { slug: string };
}): BlogBrand {
  const { organization, ...rest } = brand;
  return { ...rest, organizationSlug: organization.slug };
}

/**
 * The brand behind `/b/<organization slug>/<brand slug>/`: brand slugs are unique within their
 * organization only, so the organization's slug (unique everywhere) comes first in the path.
 */
export async function blogBrandBySlugs(
  db: Database,
  organizationSlug: string,
  brandSlug: string,
): Promise<BlogBrand | null> {
  const brand = await db.brand.findFirst({
    where: { slug: brandSlug, organization: { slug: organizationSlug } },
    select: brandSelect,
  });
  return brand ? toBlogBrand(brand) : null;
}

/** The brand whose custom domain is `host` (already lower case, without a port). */
export async function blogBrandByDomain(db: Database, host: string): Promise<BlogBrand | null> {
  const brand = await db.brand.findUnique({ where: { customDomain: host }, select: brandSelect });
  return brand ? toBlogBrand(brand) : null;
}

/**
 * Live means published (by the article's BLOG publication) at or before `now`: an article
 * not published yet, scheduled, or taken down again has no `publishedAt` in the past.
 */
const live = (brandId: string, now: Date) => ({ brandId, publishedAt: { not: null, lte: now } });

const articleSelect = {
  slug: true,
  metaTitle: true,
  metaDescription: true,
  keywords: true,
  body: true,
  excerpt: true,
  readingMinutes: true,
  publishedAt: true,
  updatedAt: true,
  post: { select: { title: true } },
  hero: { select: { storageKey: true, contentType: true, width: true, height: true, status: true, deletedAt: true } },
} as const;

type ArticleRow = {
  slug: string;
  metaTitle: string;
  metaDescription: string;
  keywords: string[];
  body: string;
  excerpt: string;
  readingMinutes: number;
  publishedAt: Date | null;
  updatedAt: Date;
  post: { title: string };
  hero: {
    storageKey: string;
    contentType: string;
    width: number | null;
    height: number | null;
    status: string;
    deletedAt: Date | null;
  } | null;
};

function toBlogArticle(row: ArticleRow): BlogArticle {
  const { post, publishedAt, hero, ...rest } = row;
  // An image not rendered yet, or deleted since, is left out rather than linked broken.
  const image =
    hero && hero.status === 'READY' && !hero.deletedAt
      ? { storageKey: hero.storageKey, contentType: hero.contentType, width: hero.width, height: hero.height }
      : null;
  return { ...rest, title: post.title, publishedAt: publishedAt!, hero: image };
}

/** One page (1-based) of the brand's live articles, newest first, and how many pages there are. */
export async function blogPage(
  db: Database,
  brandId: string,
  page: number,
  now = new Date(),
): Promise<{ articles: BlogArticle[]; pageCount: number }> {
  const [total, rows] = await Promise.all([
    db.article.count({ where: live(brandId, now) }),
    db.article.findMany({
      where: live(brandId, now),
      orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * blogPageSize,
      take: blogPageSize,
      select: articleSelect,
    }),
  ]);
  return { articles: rows.map(toBlogArticle), pageCount: Math.max(1, Math.ceil(total / blogPageSize)) };
}

/** Every live article of the brand, newest first (the sitemap and the feed), at most `limit`. */
export async function blogArticles(db: Database, brandId: string, limit: number, now = new Date()) {
  const rows = await db.article.findMany({
    where: live(brandId, now),
    orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: articleSelect,
  });
  return rows.map(toBlogArticle);
}

/** The brand's live article with this slug, or null (also for another brand's slug). */
export async function blogArticle(
  db: Database,
  brandId: string,
  slug: string,
  now = new Date(),
): Promise<BlogArticle | null> {
  const row = await db.article.findFirst({ where: { ...live(brandId, now), slug }, select: articleSelect });
  return row ? toBlogArticle(row) : null;
}

export { blogBaseUrl } from '@pressroom/db/articles';
