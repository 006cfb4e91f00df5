// Article rules shared by the api (manual authoring, the SEO checklist it shows) and the worker
// (generated articles): one slug rule, one reading time, one checklist.

/** A URL path segment: lower-case ASCII letters, digits and single hyphens, at most 80 characters. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return slug || 'article';
}

export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Words of the text with Markdown punctuation taken out. */
function words(markdown: string): string[] {
  return plainText(markdown).match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

function plainText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[#>*_`~|-]+/g, ' ');
}

/** Minutes at 220 words a minute, at least one. */
export function readingMinutes(markdown: string): number {
  return Math.max(1, Math.round(words(markdown).length / 220));
}

/** Vowel groups, with a silent final e dropped: the usual estimate for English text. */
function syllables(word: string): number {
  const lower = word.toLowerCase().replace(/[^a-z]/g, '');
  if (!lower) return 1;
  if (lower.length <= 3) return 1;
  const groups = lower.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, '').match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

/** Flesch reading ease (0–100, higher is easier; 60–70 is plain English). */
export function fleschReadingEase(markdown: string): number {
  const text = plainText(markdown);
  const sentenceCount = Math.max(1, text.split(/[.!?]+(?:\s|$)|\n{2,}/).filter((part) => /\p{L}/u.test(part)).length);
  const list = words(markdown);
  if (!list.length) return 0;
  const syllableCount = list.reduce((sum, word) => sum + syllables(word), 0);
  const score = 206.835 - 1.015 * (list.length / sentenceCount) - 84.6 * (syllableCount / list.length);
  return Math.round(Math.min(100, Math.max(0, score)) * 10) / 10;
}

export interface SeoCheck {
  id:
    | 'KEYWORD_IN_TITLE'
    | 'KEYWORD_IN_H1'
    | 'KEYWORD_IN_FIRST_PARAGRAPH'
    | 'META_TITLE_LENGTH'
    | 'META_DESCRIPTION_LENGTH'
    | 'SINGLE_H1'
    | 'HEADING_ORDER'
    | 'SECTIONS'
    | 'LENGTH'
    | 'READABILITY';
  passed: boolean;
  message: string;
}

export interface SeoChecklist {
  keyword: string | null;
  readabilityScore: number;
  wordCount: number;
  /** Passed checks out of all, 0–100. */
  score: number;
  checks: SeoCheck[];
}

export interface ArticleForSeo {
  title: string;
  metaTitle: string;
  metaDescription: string;
  keywords: string[];
  body: string;
}

/** The checks an editor sees beside an article; computed from the text, never stored. */
export function seoChecklist(article: ArticleForSeo): SeoChecklist {
  const keyword = article.keywords[0]?.trim() || null;
  const has = (text: string) => (keyword ? text.toLowerCase().includes(keyword.toLowerCase()) : false);
  const lines = article.body.split('\n');
  const headings = lines
    .map((line) => /^(#{1,6})\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ level: match[1]!.length, text: match[2]!.trim() }));
  const h1s = headings.filter((heading) => heading.level === 1);
  const firstParagraph =
    article.body
      .split(/\n\s*\n/)
      .map((block) => block.trim())
      .find((block) => block && !block.startsWith('#')) ?? '';
  let orderedHeadings = true;
  for (let i = 1; i < headings.length; i++) {
    if (headings[i]!.level > headings[i - 1]!.level + 1) orderedHeadings = false;
  }
  const sections = headings.filter((heading) => heading.level === 2).length;
  const wordCount = words(article.body).length;
  const readabilityScore = fleschReadingEase(article.body);
  const metaTitle = article.metaTitle.length;
  const metaDescription = article.metaDescription.length;
  const noKeyword = 'no target keyword set';
  const checks: SeoCheck[] = [
    {
      id: 'KEYWORD_IN_TITLE',
      passed: has(article.title),
      message: keyword ? `the title ${has(article.title) ? 'contains' : 'lacks'} "${keyword}"` : noKeyword,
    },
    {
      id: 'KEYWORD_IN_H1',
      passed: h1s.some((heading) => has(heading.text)),
      message: keyword
        ? `the H1 ${h1s.some((heading) => has(heading.text)) ? 'contains' : 'lacks'} "${keyword}"`
        : noKeyword,
    },
    {
      id: 'KEYWORD_IN_FIRST_PARAGRAPH',
      passed: has(firstParagraph),
      message: keyword ? `the first paragraph ${has(firstParagraph) ? 'contains' : 'lacks'} "${keyword}"` : noKeyword,
    },
    {
      id: 'META_TITLE_LENGTH',
      passed: metaTitle >= 30 && metaTitle <= 60,
      message: `meta title ${metaTitle} characters (30–60)`,
    },
    {
      id: 'META_DESCRIPTION_LENGTH',
      passed: metaDescription >= 70 && metaDescription <= 160,
      message: `meta description ${metaDescription} characters (70–160)`,
    },
    { id: 'SINGLE_H1', passed: h1s.length === 1, message: `${h1s.length} H1 heading(s) (exactly 1)` },
    {
      id: 'HEADING_ORDER',
      passed: orderedHeadings,
      message: orderedHeadings ? 'no heading level is skipped' : 'a heading level is skipped (e.g. H2 → H4)',
    },
    { id: 'SECTIONS', passed: sections >= 2, message: `${sections} H2 section(s) (at least 2)` },
    { id: 'LENGTH', passed: wordCount >= 300, message: `${wordCount} words (at least 300)` },
    {
      id: 'READABILITY',
      passed: readabilityScore >= 50,
      message: `Flesch reading ease ${readabilityScore} (50 or more)`,
    },
  ];
  return {
    keyword,
    readabilityScore,
    wordCount,
    score: Math.round((checks.filter((check) => check.passed).length / checks.length) * 100),
    checks,
  };
}

/** What decides where a brand's blog lives. */
export interface BlogAddress {
  slug: string;
  customDomain: string | null;
  organizationSlug: string;
}

/**
 * Where a brand's blog lives, no trailing slash: its custom domain (https) when it has one,
 * else `/b/<organization slug>/<brand slug>` under the api's public address (brand slugs are
 * unique only within an organization). Shared by the api's pages and the worker's blog
 * publisher, so the URL a publication records is the canonical one.
 */
export function blogBaseUrl(brand: BlogAddress, apiBaseUrl: string): string {
  if (brand.customDomain) return `https://${brand.customDomain}`;
  const base = apiBaseUrl.replace(/\/$/, '');
  return `${base}/b/${encodeURIComponent(brand.organizationSlug)}/${encodeURIComponent(brand.slug)}`;
}

/** An article's canonical address on its brand's blog. */
export function blogArticleUrl(brand: BlogAddress, apiBaseUrl: string, articleSlug: string): string {
  return `${blogBaseUrl(brand, apiBaseUrl)}/${articleSlug}`;
}
