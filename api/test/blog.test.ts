import { request as httpRequest } from 'node:http';
import { createLocalStorage, createUrlSigner } from '@pressroom/workflows/storage';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gid, seedOrganization, startTestApi, unique, type SeededOrganization, type TestApi } from './kit.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

let api: TestApi;
let org: SeededOrganization;
let other: SeededOrganization;
let orgSlug: string;
let brandSlug: string;
let otherBase: string;
const publicBase = 'https://press.example.test';

beforeAll(async () => {
  api = await startTestApi({ PUBLIC_BASE_URL: publicBase });
  org = await seedOrganization(api);
  other = await seedOrganization(api);
  orgSlug = (await api.db.organization.findUniqueOrThrow({ where: { id: org.organization.id } })).slug;
  brandSlug = (await api.db.brand.findUniqueOrThrow({ where: { id: org.brand.id } })).slug;
  const otherOrg = await api.db.organization.findUniqueOrThrow({ where: { id: other.organization.id } });
  const otherBrand = await api.db.brand.findUniqueOrThrow({ where: { id: other.brand.id } });
  otherBase = `/b/${otherOrg.slug}/${otherBrand.slug}`;
});
afterAll(() => api?.close());

const base = () => `/b/${orgSlug}/${brandSlug}`;

/** An ARTICLE post of `brandId` with its article, live since `publishedAt` (null: not live). */
async function seedArticle(
  organizationId: string,
  brandId: string,
  options: { title: string; slug?: string; body?: string; publishedAt: Date | null; excerpt?: string },
) {
  const slug = options.slug ?? unique('article').toLowerCase();
  const post = await api.db.post.create({
    data: {
      organizationId,
      brandId,
      format: 'ARTICLE',
      status: options.publishedAt ? 'PUBLISHED' : 'APPROVED',
      title: options.title,
      caption: options.excerpt ?? 'An excerpt.',
      article: {
        create: {
          organizationId,
          brandId,
          slug,
          metaTitle: `${options.title} | Meta`,
          metaDescription: `All about ${options.title}.`,
          keywords: ['coffee', 'brewing'],
          outline: ['One'],
          body: options.body ?? `# ${options.title}\n\nCoffee brewing starts with water.\n\n## Beans\n\nFresh ones.`,
          excerpt: options.excerpt ?? 'An excerpt.',
          readingMinutes: 3,
          publishedAt: options.publishedAt,
        },
      },
    },
  });
  return { postId: post.id, slug };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  bytes: Buffer;
}

/** A GET over a plain socket, so that the Host header can be a custom domain's. */
function get(path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(api.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function walk(node: Node, visit: (element: Element) => void) {
  if ('tagName' in node) visit(node);
  const children = 'childNodes' in node ? node.childNodes : [];
  for (const child of children) walk(child, visit);
  if ('content' in node && node.nodeName === 'template') walk(node.content, visit);
}

/** Parses the page with a real HTML parser, failing on any parse error it reports. */
function parseHtml(html: string) {
  const errors: string[] = [];
  const document = parse(html, { onParseError: (error) => errors.push(`${error.code} at ${error.startLine}`) });
  expect(errors).toEqual([]);
  const elements: Element[] = [];
  walk(document, (element) => elements.push(element));
  const attr = (element: Element, name: string) => element.attrs.find((a) => a.name === name)?.value;
  const text = (element: Element): string =>
    element.childNodes
      .map((child) => ('value' in child ? child.value : 'tagName' in child ? text(child) : ''))
      .join('');
  const meta = (key: string) =>
    elements
      .filter((e) => e.tagName === 'meta' && (attr(e, 'name') === key || attr(e, 'property') === key))
      .map((e) => attr(e, 'content'))[0];
  return {
    document,
    elements,
    attr,
    text,
    meta,
    byTag: (tag: string) => elements.filter((e) => e.tagName === tag),
    canonical: () =>
      elements.filter((e) => e.tagName === 'link' && attr(e, 'rel') === 'canonical').map((e) => attr(e, 'href'))[0],
  };
}

const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['url', 'entry', 'link'].includes(name) });

test('an article page: sanitized Markdown, meta and Open Graph tags, canonical URL and JSON-LD Article', async () => {
  const publishedAt = new Date(Date.now() - 3_600_000);
  const { slug } = await seedArticle(org.organization.id, org.brand.id, {
    title: 'Brewing <better> coffee',
    publishedAt,
    body: [
      '# Brewing better coffee',
      '',
      'Coffee brewing starts <script>alert("x")</script> with <img src=x onerror="alert(1)"> water.',
      '',
      '## Links',
      '',
      '[bad](javascript:alert(1)) and [good](https://example.test/beans).',
    ].join('\n'),
  });
  const answer = await get(`${base()}/${slug}`);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
  const page = parseHtml(answer.body);
  // Raw HTML from the article is text; only the JSON-LD script exists, no event handlers.
  const scripts = page.byTag('script');
  expect(scripts.map((s) => page.attr(s, 'type'))).toEqual(['application/ld+json']);
  expect(page.byTag('img')).toEqual([]);
  expect(page.elements.some((e) => e.attrs.some((a) => a.name.startsWith('on')))).toBe(false);
  const hrefs = page.byTag('a').map((a) => page.attr(a, 'href'));
  expect(hrefs).toContain('https://example.test/beans');
  expect(hrefs.some((href) => href?.toLowerCase().startsWith('javascript:'))).toBe(false);
  expect(answer.body).toContain('&lt;script&gt;');
  // One H1, the article's own.
  expect(page.byTag('h1').map(page.text)).toEqual(['Brewing better coffee']);
  expect(page.byTag('title').map(page.text)).toEqual(['Brewing <better> coffee | Meta']);

  const canonical = `${publicBase}${base()}/${slug}`;
  expect(page.canonical()).toBe(canonical);
  expect(page.meta('description')).toBe('All about Brewing <better> coffee.');
  expect(page.meta('og:type')).toBe('article');
  expect(page.meta('og:title')).toBe('Brewing <better> coffee | Meta');
  expect(page.meta('og:url')).toBe(canonical);
  expect(page.meta('og:site_name')).toBe('Brand');
  expect(page.byTag('meta').some((m) => page.attr(m, 'name') === 'viewport')).toBe(true);
  expect(page.byTag('html').map((h) => page.attr(h, 'lang'))).toEqual(['en']);

  const jsonLd = JSON.parse(page.text(scripts[0]!)) as Record<string, unknown>;
  const article = await api.db.article.findFirstOrThrow({ where: { slug } });
  expect(jsonLd).toMatchObject({
    '@context': 'https://schema.org',
    '@type': 'Article',
    headline: 'Brewing <better> coffee | Meta',
    datePublished: publishedAt.toISOString(),
    dateModified: (article.updatedAt > publishedAt ? article.updatedAt : publishedAt).toISOString(),
    author: { '@type': 'Organization', name: 'Brand' },
    publisher: { '@type': 'Organization', name: 'Brand' },
    mainEntityOfPage: { '@id': canonical },
  });
});

test('not live, scheduled, taken down and other brands’ articles answer 404; the sitemap and feed leave them out', async () => {
  const live = await seedArticle(org.organization.id, org.brand.id, {
    title: 'Live',
    publishedAt: new Date(Date.now() - 60_000),
  });
  const draft = await seedArticle(org.organization.id, org.brand.id, { title: 'Draft', publishedAt: null });
  const scheduled = await seedArticle(org.organization.id, org.brand.id, {
    title: 'Scheduled',
    publishedAt: new Date(Date.now() + 86_400_000),
  });
  const takenDown = await seedArticle(org.organization.id, org.brand.id, {
    title: 'Taken down',
    publishedAt: new Date(Date.now() - 60_000),
  });
  expect((await get(`${base()}/${takenDown.slug}`)).status).toBe(200);
  await api.db.article.update({ where: { postId: takenDown.postId }, data: { publishedAt: null } });
  const foreign = await seedArticle(other.organization.id, other.brand.id, {
    title: 'Foreign',
    publishedAt: new Date(Date.now() - 60_000),
  });

  expect((await get(`${base()}/${live.slug}`)).status).toBe(200);
  for (const slug of [draft.slug, scheduled.slug, takenDown.slug, foreign.slug, 'no-such-article']) {
    expect((await get(`${base()}/${slug}`)).status, slug).toBe(404);
  }
  // This brand's live article under the other brand's path is not found there either.
  expect((await get(`${otherBase}/${live.slug}`)).status).toBe(404);
  expect((await get(`${otherBase}/${foreign.slug}`)).status).toBe(200);
  expect((await get(`/b/${orgSlug}/no-such-brand/`)).status).toBe(404);

  const index = await get(`${base()}/`);
  expect(index.status).toBe(200);
  const page = parseHtml(index.body);
  const listed = page.byTag('h2').map(page.text);
  expect(listed).toContain('Live');
  for (const title of ['Draft', 'Scheduled', 'Taken down', 'Foreign']) expect(listed).not.toContain(title);

  const sitemap = await get(`${base()}/sitemap.xml`);
  expect(sitemap.status).toBe(200);
  expect(XMLValidator.validate(sitemap.body)).toBe(true);
  const locs = (xml.parse(sitemap.body) as { urlset: { url: { loc: string }[] } }).urlset.url.map((u) => u.loc);
  expect(locs).toContain(`${publicBase}${base()}/${live.slug}`);
  expect(locs).toContain(`${publicBase}${base()}/`);
  for (const slug of [draft.slug, scheduled.slug, takenDown.slug, foreign.slug]) {
    expect(locs).not.toContain(`${publicBase}${base()}/${slug}`);
  }

  const feed = await get(`${base()}/feed.xml`);
  expect(feed.status).toBe(200);
  expect(feed.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
  expect(XMLValidator.validate(feed.body)).toBe(true);
  const parsed = xml.parse(feed.body) as {
    feed: { '@_xmlns': string; title: string; entry: { title: string; id: string; content: string }[] };
  };
  expect(parsed.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  const entries = parsed.feed.entry.map((e) => e.title);
  expect(entries).toContain('Live');
  for (const title of ['Draft', 'Scheduled', 'Taken down', 'Foreign']) expect(entries).not.toContain(title);
});

test('the index pages by ten, newest first, with rel links; past the last page is 404', async () => {
  const brand = await api.db.brand.create({
    data: { organizationId: org.organization.id, name: 'Paged & Co', slug: unique('paged') },
  });
  const start = Date.now() - 86_400_000;
  for (let i = 0; i < 12; i++) {
    await seedArticle(org.organization.id, brand.id, {
      title: `Article ${String(i).padStart(2, '0')}`,
      publishedAt: new Date(start + i * 60_000),
    });
  }
  const path = `/b/${orgSlug}/${brand.slug}/`;
  const first = parseHtml((await get(path)).body);
  expect(first.byTag('h1').map(first.text)).toEqual(['Paged & Co']);
  expect(first.byTag('h2').map(first.text)).toEqual(
    Array.from({ length: 10 }, (_, i) => `Article ${String(11 - i).padStart(2, '0')}`),
  );
  const next = first.byTag('a').filter((a) => first.attr(a, 'rel') === 'next');
  expect(next.map((a) => first.attr(a, 'href'))).toEqual([`${publicBase}${path}?page=2`]);
  const second = parseHtml((await get(`${path}?page=2`)).body);
  expect(second.byTag('h2').map(second.text)).toEqual(['Article 01', 'Article 00']);
  expect(second.canonical()).toBe(`${publicBase}${path}?page=2`);
  expect(second.byTag('a').some((a) => second.attr(a, 'rel') === 'prev')).toBe(true);
  expect((await get(`${path}?page=3`)).status).toBe(404);
  expect((await get(`${path}?page=0`)).status).toBe(404);
  expect((await get(`${path}?page=abc`)).status).toBe(404);
  // Without the trailing slash: sent to the index.
  const bare = await get(path.slice(0, -1));
  expect(bare.status).toBe(301);
  expect(bare.headers.location).toBe(path);
});

test('index, article, sitemap and feed answer 304 to their ETag, and a new article changes the index’s', async () => {
  const { slug } = await seedArticle(org.organization.id, org.brand.id, {
    title: 'Cached',
    publishedAt: new Date(Date.now() - 60_000),
  });
  for (const path of [`${base()}/`, `${base()}/${slug}`, `${base()}/sitemap.xml`, `${base()}/feed.xml`]) {
    const first = await get(path);
    expect(first.status, path).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag, path).toMatch(/^"[\w-]+"$/);
    expect(first.headers['cache-control']).toBe('public, no-cache');
    const repeat = await get(path, { 'if-none-match': etag });
    expect(repeat.status, path).toBe(304);
    expect(repeat.body).toBe('');
    expect(repeat.headers.etag).toBe(etag);
    expect((await get(path, { 'if-none-match': '"something-else"' })).status).toBe(200);
  }
  const before = (await get(`${base()}/`)).headers.etag as string;
  await seedArticle(org.organization.id, org.brand.id, { title: 'Newer', publishedAt: new Date() });
  const after = await get(`${base()}/`, { 'if-none-match': before });
  expect(after.status).toBe(200);
  expect(after.headers.etag).not.toBe(before);
});

test('a custom domain serves the brand’s blog at its root, with canonical URLs on that domain', async () => {
  const domain = `${unique('blog').toLowerCase()}.example.test`;
  const set = await org.members.ADMIN.client.gql<{
    updateBrand: { __typename: string; data?: { customDomain: string; blogUrl: string } };
  }>(
    `mutation($id: ID!, $domain: String) { updateBrand(id: $id, customDomain: $domain) {
      __typename ... on MutationUpdateBrandSuccess { data { customDomain blogUrl } } } }`,
    { id: org.brand.gid, domain: `  ${domain.toUpperCase()} ` },
  );
  expect(set.body.data?.updateBrand).toEqual({
    __typename: 'MutationUpdateBrandSuccess',
    data: { customDomain: domain, blogUrl: `https://${domain}/` },
  });
  const audit = await api.db.auditEvent.findFirst({
    where: { organizationId: org.organization.id, action: 'brand.update', targetId: org.brand.id },
    orderBy: { createdAt: 'desc' },
  });
  expect(audit?.metadata).toMatchObject({ customDomain: domain });

  const { slug } = await seedArticle(org.organization.id, org.brand.id, {
    title: 'On the domain',
    publishedAt: new Date(Date.now() - 60_000),
  });
  const foreign = await seedArticle(other.organization.id, other.brand.id, {
    title: 'Not on the domain',
    publishedAt: new Date(Date.now() - 60_000),
  });
  const index = await get('/', { host: `${domain}:8080` });
  expect(index.status).toBe(200);
  const page = parseHtml(index.body);
  expect(page.canonical()).toBe(`https://${domain}/`);
  expect(page.byTag('h2').map(page.text)).toContain('On the domain');
  const article = await get(`/${slug}`, { host: domain });
  expect(article.status).toBe(200);
  expect(parseHtml(article.body).canonical()).toBe(`https://${domain}/${slug}`);
  expect((await get(`/${foreign.slug}`, { host: domain })).status).toBe(404);
  const feed = xml.parse((await get('/feed.xml', { host: domain })).body) as { feed: { entry: { id: string }[] } };
  expect(feed.feed.entry.map((e) => e.id)).toContain(`https://${domain}/${slug}`);
  // The path form still answers, canonical on the domain; an unknown host is the api as before.
  expect(parseHtml((await get(`${base()}/${slug}`)).body).canonical()).toBe(`https://${domain}/${slug}`);
  expect((await get('/health', { host: 'unknown.example.test' })).status).toBe(200);

  // Another brand cannot take the same domain; malformed ones and the api's own name are refused.
  const taken = await other.members.ADMIN.client.gql<{ updateBrand: { __typename: string } }>(
    `mutation($id: ID!, $domain: String) { updateBrand(id: $id, customDomain: $domain) { __typename } }`,
    { id: other.brand.gid, domain },
  );
  expect(taken.body.data?.updateBrand.__typename).toBe('ConflictError');
  for (const bad of [
    'https://blog.example.test',
    'blog.example.test:8080',
    'blog',
    '127.0.0.1',
    'a..b.test',
    'press.example.test',
  ]) {
    const refused = await org.members.ADMIN.client.gql<{ updateBrand: { __typename: string } }>(
      `mutation($id: ID!, $domain: String) { updateBrand(id: $id, customDomain: $domain) { __typename } }`,
      { id: org.brand.gid, domain: bad },
    );
    expect(refused.body.data?.updateBrand.__typename, bad).toBe('ValidationError');
  }
  // Removing it: the domain no longer answers with the blog.
  await org.members.ADMIN.client.gql(`mutation($id: ID!) { updateBrand(id: $id, customDomain: null) { __typename } }`, {
    id: org.brand.gid,
  });
  expect((await get(`/${slug}`, { host: domain })).body).not.toContain('On the domain');
});

test('an article’s hero image is shown above it, as og:image and in JSON-LD, at an absolute URL that answers while the article is live', async () => {
  const { postId, slug } = await seedArticle(org.organization.id, org.brand.id, {
    title: 'With a hero',
    publishedAt: new Date(Date.now() - 60_000),
  });
  const png = await sharp({ create: { width: 1536, height: 1024, channels: 3, background: '#c0392b' } })
    .png()
    .toBuffer();
  const storageKey = `posts/${postId}/hero-${unique('img')}.png`;
  const storage = createLocalStorage({
    root: api.config.PRESSROOM_MEDIA_DIR,
    signer: createUrlSigner({ baseUrl: `${api.url}/media`, secret: api.config.PRESSROOM_MEDIA_SECRET! }),
  });
  await storage.put(storageKey, png, { contentType: 'image/png' });
  const media = await api.db.media.create({
    data: {
      organizationId: org.organization.id,
      postId,
      kind: 'IMAGE',
      status: 'READY',
      contentType: 'image/png',
      byteSize: png.length,
      width: 1536,
      height: 1024,
      storageKey,
      aiPrompt: 'A hero image',
    },
  });
  await api.db.article.update({ where: { postId }, data: { heroMediaId: media.id } });

  const canonical = `${publicBase}${base()}/${slug}`;
  const heroUrl = `${canonical}/hero`;
  const page = parseHtml((await get(`${base()}/${slug}`)).body);
  expect(page.meta('og:image')).toBe(heroUrl);
  expect(page.meta('og:image:width')).toBe('1536');
  expect(page.meta('og:image:height')).toBe('1024');
  expect(page.meta('twitter:card')).toBe('summary_large_image');
  const images = page.byTag('img');
  expect(images.map((img) => [page.attr(img, 'src'), page.attr(img, 'alt'), page.attr(img, 'width')])).toEqual([
    [heroUrl, 'With a hero', '1536'],
  ]);
  expect(page.byTag('h1').map(page.text)).toEqual(['With a hero']);
  const jsonLd = JSON.parse(page.text(page.byTag('script')[0]!)) as { image?: string[] };
  expect(jsonLd.image).toEqual([heroUrl]);

  // The URL serves the stored bytes, cacheable by ETag like the pages.
  const image = await get(`${base()}/${slug}/hero`);
  expect(image.status).toBe(200);
  expect(image.headers['content-type']).toBe('image/png');
  expect(image.bytes.equals(png)).toBe(true);
  expect((await get(`${base()}/${slug}/hero`, { 'if-none-match': image.headers.etag as string })).status).toBe(304);
  // Another brand's path does not serve it; an article without a hero has none.
  expect((await get(`${otherBase}/${slug}/hero`)).status).toBe(404);
  const plain = await seedArticle(org.organization.id, org.brand.id, {
    title: 'No hero',
    publishedAt: new Date(Date.now() - 60_000),
  });
  expect((await get(`${base()}/${plain.slug}/hero`)).status).toBe(404);
  const plainPage = parseHtml((await get(`${base()}/${plain.slug}`)).body);
  expect(plainPage.meta('og:image')).toBeUndefined();
  expect(plainPage.byTag('img')).toEqual([]);

  // Taken down: the image goes with the page.
  await api.db.article.update({ where: { postId }, data: { publishedAt: null } });
  expect((await get(`${base()}/${slug}/hero`)).status).toBe(404);
});

test('an uploaded library image becomes an article’s hero (setArticleHeroImage): copied, shown on the blog, audited, removable', async () => {
  const storage = createLocalStorage({
    root: api.config.PRESSROOM_MEDIA_DIR,
    signer: createUrlSigner({ baseUrl: `${api.url}/media`, secret: api.config.PRESSROOM_MEDIA_SECRET! }),
  });
  const { postId, slug } = await seedArticle(org.organization.id, org.brand.id, {
    title: 'Uploaded hero',
    publishedAt: new Date(Date.now() - 60_000),
  });
  const library = async (organizationId: string, brandId: string, kind: 'IMAGE' | 'VIDEO' = 'IMAGE') => {
    const asset = await api.db.mediaAsset.create({
      data: {
        organizationId,
        brandId,
        filename: 'photo.jpg',
        kind,
        contentType: 'image/jpeg',
        byteSize: 10n,
        storageKey: `uploads/${unique('upload')}`,
        status: 'READY',
      },
    });
    const jpeg = await sharp({ create: { width: 1080, height: 720, channels: 3, background: '#2e86de' } })
      .jpeg()
      .toBuffer();
    const variant = `org/${organizationId}/library/${asset.id}/w1080.jpg`;
    await storage.put(variant, jpeg, { contentType: 'image/jpeg' });
    await api.db.mediaAsset.update({ where: { id: asset.id }, data: { variantKeys: { '1080': variant } } });
    return { id: asset.id, jpeg, variant };
  };
  const upload = await library(org.organization.id, org.brand.id);
  const setHero = (client: typeof org.members.EDITOR.client, assetId: string | null, id = gid('Post', postId)) =>
    client.gql<{ setArticleHeroImage: { __typename: string; code?: string } }>(
      `mutation($id: ID!, $assetId: ID) { setArticleHeroImage(id: $id, mediaAssetId: $assetId) {
        __typename ... on Error { code } } }`,
      { id, assetId: assetId ? gid('MediaAsset', assetId) : null },
    );

  // Another organization's upload is not found; a post that is no article has no hero.
  const foreign = await library(other.organization.id, other.brand.id);
  expect((await setHero(org.members.EDITOR.client, foreign.id)).body.data?.setArticleHeroImage.__typename).toBe(
    'NotFoundError',
  );
  expect(
    (await setHero(org.members.EDITOR.client, upload.id, org.posts.draft.gid)).body.data?.setArticleHeroImage,
  ).toEqual({ __typename: 'ConflictError', code: 'CONFLICT' });

  const set = await setHero(org.members.EDITOR.client, upload.id);
  expect(set.body.data?.setArticleHeroImage.__typename).toBe('MutationSetArticleHeroImageSuccess');
  const article = await api.db.article.findUniqueOrThrow({ where: { postId }, include: { hero: true } });
  expect(article.hero).toMatchObject({ kind: 'IMAGE', status: 'READY', postId, mediaAssetId: upload.id });
  expect(article.hero!.storageKey).not.toContain('/library/');
  const heroUrl = `${publicBase}${base()}/${slug}/hero`;
  const page = parseHtml((await get(`${base()}/${slug}`)).body);
  expect(page.meta('og:image')).toBe(heroUrl);
  expect(page.byTag('img').map((img) => page.attr(img, 'src'))).toEqual([heroUrl]);
  expect((JSON.parse(page.text(page.byTag('script')[0]!)) as { image: string[] }).image).toEqual([heroUrl]);
  const image = await get(`${base()}/${slug}/hero`);
  expect(image.headers['content-type']).toBe('image/jpeg');
  expect(image.bytes.equals(upload.jpeg)).toBe(true);
  const audit = await api.db.auditEvent.findFirstOrThrow({
    where: { organizationId: org.organization.id, action: 'article.set_hero', targetId: postId },
  });
  expect(audit.metadata).toMatchObject({ mediaAssetId: upload.id, previousMediaId: null });

  // The copy outlives the upload; removing the hero takes it off the page.
  await storage.delete(upload.variant);
  await api.db.mediaAsset.delete({ where: { id: upload.id } });
  expect((await get(`${base()}/${slug}/hero`)).status).toBe(200);
  expect((await setHero(org.members.EDITOR.client, null)).body.data?.setArticleHeroImage.__typename).toBe(
    'MutationSetArticleHeroImageSuccess',
  );
  expect((await get(`${base()}/${slug}/hero`)).status).toBe(404);
  const plain = parseHtml((await get(`${base()}/${slug}`)).body);
  expect(plain.meta('og:image')).toBeUndefined();
});
