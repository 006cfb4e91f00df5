import { createHash } from 'node:crypto';

// The AI emulators' writer: deterministic posts built from the brief and the brand knowledge
// found in the prompt (the <brief>, <knowledge> and <post_count> tags Pressroom sends), so
// the demo generates believable, on-brand carousels with no API key. Same prompt, same posts.

export interface WrittenPost {
  title: string;
  caption: string;
  hashtags: string[];
  slides: Array<{ heading: string; body: string }>;
}

const stopwords = new Set(
  'about above after again against also among because been before being below between both but by can could did does doing down during each few from further have having here hers herself himself into itself just more most must myself only other ought ours ourselves over same shall should some such than that their theirs them themselves then there these they this those through under until very what when where which while whom why will with would your yours yourself yourselves make makes made every many much like need needs the and for are not you our out its was has had how who all any one two three four five'.split(
    ' ',
  ),
);

function tag(prompt: string, name: string): string | undefined {
  return new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(prompt)?.[1]?.trim();
}

function sentences(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length >= 12);
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2)).trimEnd()}…`;
}

function headingOf(sentence: string): string {
  const words = sentence.replace(/[.!?]+$/, '').split(' ');
  const heading = words
    .slice(0, Math.min(6, words.length))
    .join(' ')
    .replace(/[,;:–-]+$/, '');
  return heading.charAt(0).toUpperCase() + heading.slice(1);
}

function keywords(text: string, count: number): string[] {
  const frequency = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 4 || stopwords.has(word) || /^\d+$/.test(word)) continue;
    frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  return [...frequency.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, count)
    .map(([word]) => word);
}

const angles = ['What to know', 'Quick guide', 'Behind the scenes', 'Myths and facts', 'Tips'];

/**
 * Pressroom asks for a batch one post per request and numbers each in the brief
 * ("(Post 2 of 5.)"); the post's place in its batch picks its angle, so titles differ across a
 * batch as captions do, not only across the posts of one answer.
 */
const ordinalMarker = /\s*\(Post (\d+) of \d+\.\)\s*$/;

function angleOf(ordinal: number): string {
  const round = Math.floor(ordinal / angles.length);
  return `${angles[ordinal % angles.length]!}${round ? `, part ${round + 1}` : ''}`;
}

export function writePosts(prompt: string): WrittenPost[] {
  const taggedBrief = tag(prompt, 'brief') ?? prompt;
  const marker = ordinalMarker.exec(taggedBrief);
  const firstOrdinal = marker ? Math.max(Number(marker[1]) - 1, 0) : 0;
  const brief = marker ? taggedBrief.slice(0, marker.index) : taggedBrief;
  const brand = /<brand name="([^"]*)"/.exec(prompt)?.[1] ?? 'our brand';
  const knowledge = [...prompt.matchAll(/<knowledge(?:\s[^>]*)?>([\s\S]*?)<\/knowledge>/g)].map((match) => match[1]!);
  const postCount = Math.min(Math.max(Number(tag(prompt, 'post_count') ?? 3) || 3, 1), 20);
  const slidesPerPost = Math.min(Math.max(Number(tag(prompt, 'slides_per_post') ?? 5) || 5, 1), 10);

  const facts = sentences(knowledge.join(' '));
  const briefSentences = sentences(brief);
  const pool = facts.length ? facts : briefSentences.length ? briefSentences : [clip(brief, 200) || 'News from us.'];
  const topic = clip((briefSentences[0] ?? brief).replace(/[.!?]+$/, ''), 80) || `News from ${brand}`;
  const tags = keywords(`${brief} ${brief} ${knowledge.join(' ')}`, 8);
  // The whole prompt, marker included: each post of a batch picks its own facts.
  const seed = createHash('sha256').update(prompt).digest().readUInt32BE(0);

  return Array.from({ length: postCount }, (_, index) => {
    const offset = (seed + index * (slidesPerPost - 1)) % pool.length;
    const picked = Array.from({ length: Math.max(slidesPerPost - 1, 0) }, (_, i) => pool[(offset + i) % pool.length]!);
    const ordinal = firstOrdinal + index;
    const angle = angleOf(ordinal);
    const hook = {
      heading: clip(`${angle}: ${topic}`, 110),
      body: clip(`${brand} on ${topic.toLowerCase()}. Swipe →`, 200),
    };
    const slides = [hook, ...picked.map((fact) => ({ heading: clip(headingOf(fact), 110), body: clip(fact, 280) }))];
    const hashtags = [...new Set([...tags.slice(ordinal % 3, (ordinal % 3) + 4), tags[0]].filter(Boolean))].map(
      (word) => `#${word}`,
    );
    return {
      title: clip(`${angle}: ${topic}`, 90),
      caption: clip(`${topic}. ${picked[0] ?? ''} Save this for later and tell us what you think.`, 2200),
      hashtags,
      slides: slides.slice(0, slidesPerPost),
    };
  });
}

export interface WrittenArticle {
  title: string;
  metaTitle: string;
  metaDescription: string;
  keywords: string[];
  outline: string[];
  body: string;
  excerpt: string;
}

export interface WrittenScript {
  title: string;
  caption: string;
  hashtags: string[];
  scenes: Array<{ voiceOver: string; onScreenText: string; shot: string; durationSeconds: number }>;
}

/** What every long-form piece starts from: the brief, the brand, the facts and this piece's angle. */
function longFormContext(prompt: string) {
  const taggedBrief = tag(prompt, 'brief') ?? prompt;
  const marker = ordinalMarker.exec(taggedBrief);
  const ordinal = marker ? Math.max(Number(marker[1]) - 1, 0) : 0;
  const brief = marker ? taggedBrief.slice(0, marker.index) : taggedBrief;
  const brand = /<brand name="([^"]*)"/.exec(prompt)?.[1] ?? 'our brand';
  const knowledge = [...prompt.matchAll(/<knowledge(?:\s[^>]*)?>([\s\S]*?)<\/knowledge>/g)].map((match) => match[1]!);
  const facts = sentences(knowledge.join(' '));
  const briefSentences = sentences(brief);
  const pool = facts.length ? facts : briefSentences.length ? briefSentences : [clip(brief, 200) || 'News from us.'];
  const topic = clip((briefSentences[0] ?? brief).replace(/[.!?]+$/, ''), 80) || `News from ${brand}`;
  const seed = createHash('sha256').update(prompt).digest().readUInt32BE(0);
  const tags = keywords(`${brief} ${brief} ${knowledge.join(' ')}`, 8);
  // The main keyword is the brief's most frequent word that the topic names, so it is in the
  // headline as a real writer would put it.
  const inTopic = new Set(keywords(topic, 20));
  const keyword = tags.find((word) => inTopic.has(word)) ?? [...inTopic][0] ?? brand.toLowerCase();
  const pick = (count: number, from = 0) =>
    Array.from({ length: count }, (_, i) => pool[(seed + from + i) % pool.length]!);
  return { ordinal, brand, topic, tags, keyword, pick, angle: angleOf(ordinal) };
}

/** Cuts at a word boundary without an ellipsis (for fields with a hard limit). */
function clipWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max + 1);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), 1)).replace(/[\s,;:–-]+$/, '');
}

const sectionLeads = ['Why it matters', 'How it works', 'What to look for', 'Common mistakes', 'Getting started'];

export function writeArticle(prompt: string): WrittenArticle {
  const { brand, topic, tags, keyword, pick, angle } = longFormContext(prompt);
  const title = clip(`${angle}: ${topic}`, 100);
  const facts = pick(6);
  const sections = sectionLeads.slice(0, 4).map((lead, index) => {
    const own: [string, string] = [facts[index % facts.length]!, facts[(index + 2) % facts.length]!];
    return {
      heading: `${lead}: ${headingOf(own[0]).toLowerCase()}`,
      paragraphs: [
        `${own[0]} That is the short version; here is what it means for you.`,
        `${own[1]} ${brand} keeps this simple. Ask us when something is not clear.`,
      ],
    };
  });
  const intro = `This guide covers ${keyword}: ${topic.charAt(0).toLowerCase()}${topic.slice(1)}. ${facts[0]} Read on for the details.`;
  const body = [
    `# ${title}`,
    '',
    intro,
    '',
    ...sections.flatMap((section) => [`## ${section.heading}`, '', ...section.paragraphs.flatMap((p) => [p, ''])]),
    '## Key takeaways',
    '',
    ...facts.slice(0, 3).map((fact) => `- ${fact}`),
    '',
    `Questions about ${keyword}? Write to ${brand}; we answer every message.`,
  ].join('\n');
  return {
    title,
    metaTitle: clipWords(title, 60),
    metaDescription: clipWords(`${topic}. ${facts[0]}`, 160),
    keywords: [...new Set([keyword, ...tags])].slice(0, 5),
    outline: [...sections.map((section) => section.heading), 'Key takeaways'],
    body,
    excerpt: clipWords(`${topic}. ${facts[0]}`, 280),
  };
}

const shots = [
  'Close-up of the product on a plain table, slow push in',
  'Hands at work, top-down',
  'Presenter to camera, medium shot',
  'Detail shot, shallow depth of field',
  'Wide shot of the space, handheld',
];

export function writeScript(prompt: string): WrittenScript {
  const { brand, topic, tags, pick, angle, ordinal } = longFormContext(prompt);
  const facts = pick(3, ordinal);
  const seconds = (text: string) => Math.min(Math.max(Math.round(text.split(' ').length / 2.5), 2), 6);
  const hook = `${angle}: ${topic}.`;
  const outro = `Follow ${brand} for more.`;
  const scenes = [
    { voiceOver: hook, onScreenText: clip(topic, 60), shot: shots[0]!, durationSeconds: 3 },
    ...facts.map((fact, index) => ({
      voiceOver: fact,
      onScreenText: clip(fact.replace(/[.!?]+$/, ''), 60),
      shot: shots[(index + 1) % shots.length]!,
      durationSeconds: seconds(fact),
    })),
    { voiceOver: outro, onScreenText: clip(`Follow ${brand}`, 60), shot: shots[4]!, durationSeconds: 2 },
  ];
  return {
    title: clip(hook.replace(/\.$/, ''), 90),
    caption: clip(`${topic}. ${facts[0] ?? ''}`, 2200),
    hashtags: tags.slice(0, 4).map((word) => `#${word}`),
    scenes,
  };
}
