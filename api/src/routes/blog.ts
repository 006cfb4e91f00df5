import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '@pressroom/db';
import type { ObjectStorage } from '@pressroom/workflows/storage';
import { slugPattern } from '@pressroom/db/articles';
import MarkdownIt from 'markdown-it';
import { apiBaseUrl, ownHostNames, type ApiConfig } from '../config.js';
import type { Logger } from '../logger.js';
import {
  blogArticle,
  blogArticles,
  blogBaseUrl,
  blogBrandByDomain,
  blogBrandBySlugs,
  blogPage,
  type BlogArticle,
  type BlogBrand,
} from '../services/blog.js';

// Articles are written by the AI provider or by editors: raw HTML in their Markdown is shown as
// text (html: false), and markdown-it's link check drops javascript:, vbscript: and data: links
// (except images), so nothing an article says runs in a reader's browser.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** Entries in the sitemap and the feed: the newest ones, which is what crawlers and readers ask for. */
const feedLimit = 50;
const sitemapLimit = 5_000;

// Characters XML 1.0 does not allow at all; a text that holds one would make the document invalid.
// eslint-disable-next-line no-control-regex
const xmlForbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeXml(value: string): string {
  return value
    .replace(xmlForbidden, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** HTML text and attribute values escape the same five characters. */
const escapeHtml = escapeXml;

/** JSON inside a <script> element: `<` escaped, so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

interface Page {
  status: number;
  contentType: string;
  body: string | Buffer;
}

const notFound: Page = { status: 404, contentType: 'text/html; charset=utf-8', body: '' };

/** Where one blog is being served from: its base URL and how its pages link to each other. */
interface BlogSite {
  brand: BlogBrand;
  /** Canonical base, no trailing slash: the custom domain when set, else /b/<org>/<brand>. */
  base: string;
}

const indexUrl = (site: BlogSite, page = 1) => `${site.base}/${page > 1 ? `?page=${page}` : ''}`;
const articleUrl = (site: BlogSite, slug: string) => `${site.base}/${slug}`;
/** The hero image lives under its article's URL: public exactly while the article is. */
const heroUrl = (site: BlogSite, slug: string) => `${site.base}/${slug}/hero`;

function layout(
  site: BlogSite,
  head: { title: string; description: string; canonical: string; extra?: string },
  main: string,
) {
  const { brand } = site;
  // Colours are validated hex values and the font list a safe character set (brand settings).
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(head.title)}</title>
<meta name="description" content="${escapeHtml(head.description)}">
<link rel="canonical" href="${escapeHtml(head.canonical)}">
<link rel="alternate" type="application/atom+xml" title="${escapeHtml(brand.name)}" href="${escapeHtml(`${site.base}/feed.xml`)}">
${head.extra ?? ''}<style>
:root{--ink:#1f2937;--muted:#6b7280;--brand:${brand.primaryColor};--accent:${brand.accentColor};--paper:#fff}
*{box-sizing:border-box}
body{margin:0;background:var(--paper);color:var(--ink);font:18px/1.7 ${escapeHtml(brand.fontFamily)},Georgia,serif}
header.site,footer.site{padding:1rem 1.25rem;border-bottom:1px solid #e5e7eb}
footer.site{border-top:1px solid #e5e7eb;border-bottom:0;color:var(--muted);font-size:.9rem}
header.site a{color:var(--brand);font-weight:700;text-decoration:none;font-size:1.1rem}
main{max-width:42rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}
h1,h2,h3{line-height:1.25;color:var(--brand)}
h1{font-size:2rem;margin:.5rem 0 1rem}
a{color:var(--accent)}
.meta{color:var(--muted);font-size:.9rem}
article.summary{margin:0 0 2rem}
article.summary h2{margin-bottom:.25rem}
article.summary h2 a{color:inherit;text-decoration:none}
nav.pages{display:flex;justify-content:space-between;margin-top:2rem}
pre{overflow-x:auto;background:#f3f4f6;padding:1rem;border-radius:.375rem}
img{max-width:100%;height:auto}
figure.hero{margin:0 0 1rem}
figure.hero img{display:block;width:100%;border-radius:.375rem}
blockquote{margin:1rem 0;padding-left:1rem;border-left:3px solid var(--accent);color:var(--muted)}
</style>
</head>
<body>
<header class="site"><a href="${escapeHtml(indexUrl(site))}">${escapeHtml(brand.name)}</a></header>
<main>
${main}
</main>
<footer class="site"><a href="${escapeHtml(`${site.base}/feed.xml`)}">Feed</a> · ${escapeHtml(brand.name)}</footer>
</body>
</html>
`;
}

const isoDate = (date: Date) => date.toISOString();
const readableDate = (date: Date) =>
  date.toLocaleDateString('en-GB', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

function indexPage(site: BlogSite, page: number, pageCount: number, articles: BlogArticle[]): string {
  const { brand } = site;
  const summaries = articles
    .map(
      (article) => `<article class="summary">
<h2><a href="${escapeHtml(articleUrl(site, article.slug))}">${escapeHtml(article.title)}</a></h2>
<p class="meta"><time datetime="${isoDate(article.publishedAt)}">${readableDate(article.publishedAt)}</time> · ${article.readingMinutes} min read</p>
<p>${escapeHtml(article.excerpt)}</p>
</article>`,
    )
    .join('\n');
  const newer = page > 1 ? `<a rel="prev" href="${escapeHtml(indexUrl(site, page - 1))}">Newer</a>` : '<span></span>';
  const older =
    page < pageCount ? `<a rel="next" href="${escapeHtml(indexUrl(site, page + 1))}">Older</a>` : '<span></span>';
  const description = `Articles from ${brand.name}.`;
  const canonical = indexUrl(site, page);
  return layout(
    site,
    {
      title: page > 1 ? `${brand.name} — page ${page}` : brand.name,
      description,
      canonical,
      extra: `<meta property="og:type" content="website">
<meta property="og:title" content="${escapeHtml(brand.name)}">
<meta property="og:description" content="${escapeHtml(description)}">
<meta property="og:url" content="${escapeHtml(canonical)}">
<meta property="og:site_name" content="${escapeHtml(brand.name)}">
`,
    },
    `<h1>${escapeHtml(brand.name)}</h1>
${summaries || '<p>No articles yet.</p>'}
${pageCount > 1 ? `<nav class="pages" aria-label="Pages">${newer}${older}</nav>` : ''}`,
  );
}

function articlePage(site: BlogSite, article: BlogArticle): string {
  const { brand } = site;
  const canonical = articleUrl(site, article.slug);
  const organization = { '@type': 'Organization', name: brand.name, url: indexUrl(site) };
  const jsonLd = {
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: article.metaTitle || article.title,
    description: article.metaDescription,
    datePublished: isoDate(article.publishedAt),
    dateModified: isoDate(article.updatedAt > article.publishedAt ? article.updatedAt : article.publishedAt),
    author: organization,
    publisher: organization,
    mainEntityOfPage: { '@type': 'WebPage', '@id': canonical },
    url: canonical,
    keywords: article.keywords.join(', '),
    ...(article.hero ? { image: [heroUrl(site, article.slug)] } : {}),
  };
  const title = article.metaTitle || article.title;
  const hero = article.hero;
  const size = (image: NonNullable<typeof hero>) =>
    image.width && image.height ? ` width="${image.width}" height="${image.height}"` : '';
  const heroMeta = hero
    ? `<meta property="og:image" content="${escapeHtml(heroUrl(site, article.slug))}">
<meta property="og:image:alt" content="${escapeHtml(article.title)}">
${hero.width && hero.height ? `<meta property="og:image:width" content="${hero.width}">\n<meta property="og:image:height" content="${hero.height}">\n` : ''}<meta name="twitter:card" content="summary_large_image">
`
    : '';
  // Shown above the text; the article's own H1 stays the page's one heading.
  const heroImage = hero
    ? `<figure class="hero"><img src="${escapeHtml(heroUrl(site, article.slug))}" alt="${escapeHtml(article.title)}"${size(hero)}></figure>\n`
    : '';
  return layout(
    site,
    {
      title,
      description: article.metaDescription,
      canonical,
      extra: `<meta name="keywords" content="${escapeHtml(article.keywords.join(', '))}">
<meta property="og:type" content="article">
<meta property="og:title" content="${escapeHtml(title)}">
<meta property="og:description" content="${escapeHtml(article.metaDescription)}">
<meta property="og:url" content="${escapeHtml(canonical)}">
<meta property="og:site_name" content="${escapeHtml(brand.name)}">
<meta property="article:published_time" content="${isoDate(article.publishedAt)}">
<meta property="article:modified_time" content="${jsonLd.dateModified}">
${heroMeta}<script type="application/ld+json">${scriptJson(jsonLd)}</script>
`,
    },
    `<article>
${heroImage}<p class="meta"><time datetime="${isoDate(article.publishedAt)}">${readableDate(article.publishedAt)}</time> · ${article.readingMinutes} min read</p>
${markdown.render(article.body)}
</article>
<p><a href="${escapeHtml(indexUrl(site))}">← All articles</a></p>`,
  );
}

function sitemap(site: BlogSite, articles: BlogArticle[]): string {
  const urls = [
    `<url><loc>${escapeXml(indexUrl(site))}</loc>${articles[0] ? `<lastmod>${isoDate(articles[0].publishedAt)}</lastmod>` : ''}</url>`,
    ...articles.map(
      (article) =>
        `<url><loc>${escapeXml(articleUrl(site, article.slug))}</loc><lastmod>${isoDate(article.updatedAt)}</lastmod></url>`,
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.join('\n')}
</urlset>
`;
}

function atomFeed(site: BlogSite, articles: BlogArticle[]): string {
  const { brand } = site;
  const updated = articles.reduce<Date>(
    (latest, article) => (article.updatedAt > latest ? article.updatedAt : latest),
    articles[0]?.publishedAt ?? new Date(0),
  );
  const entries = articles.map((article) => {
    const url = articleUrl(site, article.slug);
    return `<entry>
<id>${escapeXml(url)}</id>
<title>${escapeXml(article.title)}</title>
<link rel="alternate" type="text/html" href="${escapeXml(url)}"/>
<published>${isoDate(article.publishedAt)}</published>
<updated>${isoDate(article.updatedAt > article.publishedAt ? article.updatedAt : article.publishedAt)}</updated>
<summary>${escapeXml(article.excerpt)}</summary>
<content type="html">${escapeXml(markdown.render(article.body))}</content>
</entry>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${escapeXml(indexUrl(site))}</id>
<title>${escapeXml(brand.name)}</title>
<updated>${isoDate(updated)}</updated>
<author><name>${escapeXml(brand.name)}</name></author>
<link rel="self" type="application/atom+xml" href="${escapeXml(`${site.base}/feed.xml`)}"/>
<link rel="alternate" type="text/html" href="${escapeXml(indexUrl(site))}"/>
${entries.join('\n')}
</feed>
`;
}

/** A strong validator of exactly these bytes. */
function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** If-None-Match holds this tag (weak comparison, as RFC 9110 asks for it), or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const tag = part.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

/**
 * The brands' public blogs, server-rendered: `/b/<organization slug>/<brand slug>/` (index,
 * `?page=N`), `/<article slug>`, `/sitemap.xml` and `/feed.xml` (Atom); and the same at the
 * root of a brand's custom domain when the request's Host is that domain. Only articles live on
 * the blog (published, not taken down) are shown. Every answer carries an ETag; a matching
 * If-None-Match answers 304, and `Cache-Control: public, no-cache` lets caches keep a page but
 * ask again each time, so a taken-down article disappears at once.
 */
export function createBlogRoutes(deps: {
  db: Database;
  config: ApiConfig;
  logger: Logger;
  /** Where article hero images are read from (the media storage). */
  storage: ObjectStorage;
}) {
  const { db, config, storage } = deps;
  const apiBase = apiBaseUrl(config);
  // Requests to the api's own names never look for a custom domain.
  const ownHosts = ownHostNames(config);

  async function render(brand: BlogBrand, rest: string, query: URLSearchParams): Promise<Page> {
    const site: BlogSite = { brand, base: blogBaseUrl(brand, apiBase) };
    if (rest === '') {
      const pageParam = query.get('page') ?? '1';
      if (!/^[1-9]\d{0,5}$/.test(pageParam)) return notFound;
      const page = Number(pageParam);
      const { articles, pageCount } = await blogPage(db, brand.id, page);
      if (page > pageCount) return notFound;
      return { status: 200, contentType: 'text/html; charset=utf-8', body: indexPage(site, page, pageCount, articles) };
    }
    if (rest === 'sitemap.xml') {
      const articles = await blogArticles(db, brand.id, sitemapLimit);
      return { status: 200, contentType: 'application/xml; charset=utf-8', body: sitemap(site, articles) };
    }
    if (rest === 'feed.xml') {
      const articles = await blogArticles(db, brand.id, feedLimit);
      return { status: 200, contentType: 'application/atom+xml; charset=utf-8', body: atomFeed(site, articles) };
    }
    const hero = /^(.+)\/hero$/.exec(rest);
    if (hero) {
      if (!slugPattern.test(hero[1]!)) return notFound;
      const article = await blogArticle(db, brand.id, hero[1]!);
      if (!article?.hero) return notFound;
      const object = await storage.get(article.hero.storageKey);
      if (!object) return notFound;
      return { status: 200, contentType: article.hero.contentType, body: object.body };
    }
    if (!slugPattern.test(rest)) return notFound;
    const article = await blogArticle(db, brand.id, rest);
    if (!article) return notFound;
    return { status: 200, contentType: 'text/html; charset=utf-8', body: articlePage(site, article) };
  }

  function send(req: IncomingMessage, res: ServerResponse, page: Page) {
    if (page.status !== 200) {
      res.writeHead(page.status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : 'Not found');
      return;
    }
    const etag = etagOf(page.body);
    const headers = { etag, 'cache-control': 'public, no-cache', vary: 'Host' };
    if (matches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': page.contentType,
      'content-length': Buffer.byteLength(page.body),
      'x-content-type-options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : page.body);
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    try {
      return await route(req, res);
    } catch (error) {
      deps.logger.error({ err: error }, 'blog request failed');
      if (!res.headersSent) res.writeHead(503, { 'retry-after': '5', 'cache-control': 'no-store' }).end();
      return true;
    }
  };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://blog.invalid');
    const path = url.pathname;
    const onPath = /^\/b\/([a-z0-9-]{1,64})\/([a-z0-9-]{1,64})(?:(\/)(.*))?$/.exec(path);
    if (onPath) {
      const [, organizationSlug, brandSlug, slash, rest] = onPath;
      const brand = await blogBrandBySlugs(db, organizationSlug!, brandSlug!);
      if (!brand) send(req, res, notFound);
      else if (!slash) res.writeHead(301, { location: `${path}/${url.search}` }).end();
      else send(req, res, await render(brand, rest ?? '', url.searchParams));
      return true;
    }
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    if (!host || ownHosts.has(host) || !/^[a-z0-9.-]{1,253}$/.test(host)) return false;
    const brand = await blogBrandByDomain(db, host);
    if (!brand) return false;
    send(req, res, await render(brand, path.slice(1), url.searchParams));
    return true;
  }
}
