import type { Database } from './client.js';
import type { Role } from '../generated/client/enums.js';
import { hashPassword } from './password.js';

export const demoPassword = 'pressroom-demo';
export const demoOrganizationSlug = 'demo';

export const demoLogins: ReadonlyArray<{ email: string; name: string; role: Role }> = [
  { email: 'owner@demo.pressroom.test', name: 'Olivia Owner', role: 'OWNER' },
  { email: 'admin@demo.pressroom.test', name: 'Adam Admin', role: 'ADMIN' },
  { email: 'editor@demo.pressroom.test', name: 'Edith Editor', role: 'EDITOR' },
  { email: 'reviewer@demo.pressroom.test', name: 'Ravi Reviewer', role: 'REVIEWER' },
  { email: 'analyst@demo.pressroom.test', name: 'Ana Analyst', role: 'ANALYST' },
];

const brand = {
  id: 'seed_brand_northwind',
  slug: 'northwind-coffee',
  name: 'Northwind Coffee',
  voice:
    'Warm, curious and plain-spoken. Short sentences. We talk about origin, roast and ritual; never hype, never discounts.',
  primaryColor: '#3B2A20',
  secondaryColor: '#F5EFE6',
  accentColor: '#C8793A',
  fontFamily: 'Inter',
};

const knowledge = [
  {
    id: 'seed_doc_origins',
    title: 'Origins',
    content:
      'We buy green coffee directly from three cooperatives: Huila (Colombia), Yirgacheffe (Ethiopia) and Cerrado Mineiro (Brazil). Every bag names its farm and harvest month.',
  },
  {
    id: 'seed_doc_roasting',
    title: 'Roasting',
    content:
      'Small batches of 12 kg, roasted on Tuesdays and Fridays in Portland. Light roasts for filter, medium for espresso. We publish roast dates on every bag.',
  },
];

const posts = [
  {
    id: 'seed_post_roast_day',
    status: 'IN_REVIEW' as const,
    title: 'Roast day, explained',
    caption: 'Tuesday means roast day. Here is what happens to a 12 kg batch, minute by minute.',
    hashtags: ['coffee', 'roasting', 'specialtycoffee'],
    slides: [
      { heading: 'Roast day', body: 'Every Tuesday and Friday, 12 kg at a time.' },
      { heading: 'Minute 0–4', body: 'Drying: the beans turn from green to yellow.' },
      { heading: 'Minute 8', body: 'First crack. Filter roasts stop soon after.' },
    ],
  },
  {
    id: 'seed_post_origins',
    status: 'DRAFT' as const,
    title: 'Three farms, three cups',
    caption: 'Huila, Yirgacheffe, Cerrado Mineiro: meet the people behind your morning cup.',
    hashtags: ['coffee', 'directtrade'],
    slides: [
      { heading: 'Huila', body: 'Bright, red-fruit acidity from 1,700 m.' },
      { heading: 'Yirgacheffe', body: 'Floral and tea-like, washed process.' },
    ],
  },
];

/** The demo posts (their slides are rendered by whoever has the rendering code: `npm start`). */
export const demoPostIds: readonly string[] = posts.map((post) => post.id);

/** The demo organization's Telegram review chat (a supergroup id: negative, `-100` first). */
export const demoTelegramReviewChatId = '-1001000000001';

export interface SeedResult {
  organizationId: string;
  usersCreated: number;
}

/**
 * Seeds the demo organization. Every row is keyed by a natural or fixed id, so seeding again
 * changes nothing and duplicates nothing.
 */
export async function seedDemo(db: Database): Promise<SeedResult> {
  const existing = await db.user.findMany({
    where: { email: { in: demoLogins.map((login) => login.email) } },
    select: { email: true },
  });
  const known = new Set(existing.map((user) => user.email));
  const hashes = new Map<string, string>();
  for (const login of demoLogins) {
    if (!known.has(login.email)) hashes.set(login.email, await hashPassword(demoPassword));
  }

  return db.$transaction(async (tx) => {
    const organization = await tx.organization.upsert({
      where: { slug: demoOrganizationSlug },
      update: {},
      create: { slug: demoOrganizationSlug, name: 'Demo Studio' },
    });
    await tx.organizationSettings.upsert({
      where: { organizationId: organization.id },
      update: {},
      create: {
        organizationId: organization.id,
        // A group chat the Telegram emulator of `npm start` accepts: reviewers are told there too.
        telegramReviewChatId: demoTelegramReviewChatId,
        // The demo shows generation from its first minute (against the emulated providers unless
        // real keys are set), so it has opted in; every other organization starts with AI off.
        aiTextEnabled: true,
        aiImagesEnabled: true,
      },
    });

    const userIds = new Map<string, string>();
    for (const login of demoLogins) {
      const hash = hashes.get(login.email);
      const user = await tx.user.upsert({
        where: { email: login.email },
        update: {},
        create: { email: login.email, name: login.name, passwordHash: hash ?? '', emailVerifiedAt: new Date() },
      });
      userIds.set(login.email, user.id);
      await tx.membership.upsert({
        where: { organizationId_userId: { organizationId: organization.id, userId: user.id } },
        update: {},
        create: { organizationId: organization.id, userId: user.id, role: login.role },
      });
    }

    await tx.brand.upsert({
      where: { id: brand.id },
      update: {},
      create: { ...brand, organizationId: organization.id },
    });
    for (const doc of knowledge) {
      await tx.brandKnowledgeDocument.upsert({
        where: { id: doc.id },
        update: {},
        create: { ...doc, brandId: brand.id, organizationId: organization.id },
      });
    }

    const editorId = userIds.get('editor@demo.pressroom.test');
    for (const post of posts) {
      await tx.post.upsert({
        where: { id: post.id },
        update: {},
        create: {
          id: post.id,
          organizationId: organization.id,
          brandId: brand.id,
          createdById: editorId ?? null,
          status: post.status,
          title: post.title,
          caption: post.caption,
          hashtags: post.hashtags,
          slides: { create: post.slides.map((slide, position) => ({ ...slide, position })) },
        },
      });
    }

    return { organizationId: organization.id, usersCreated: hashes.size };
  });
}
