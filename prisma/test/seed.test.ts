import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type Database } from '../src/client.js';
import { verifyPassword } from '../src/password.js';
import { demoLogins, demoPassword, demoTelegramReviewChatId, seedDemo } from '../src/seed.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

async function counts(db: Database) {
  return {
    organizations: await db.organization.count(),
    settings: await db.organizationSettings.count(),
    users: await db.user.count(),
    memberships: await db.membership.count(),
    brands: await db.brand.count(),
    documents: await db.brandKnowledgeDocument.count(),
    posts: await db.post.count(),
    slides: await db.slide.count(),
  };
}

describe('seedDemo', () => {
  let database: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await db.$disconnect();
    await database.drop();
  });

  it('creates the demo organization with one member per role', async () => {
    const result = await seedDemo(db);
    expect(result.usersCreated).toBe(demoLogins.length);
    const members = await db.membership.findMany({
      where: { organizationId: result.organizationId },
      include: { user: true },
    });
    expect(members.map((m) => m.role).sort()).toEqual(['ADMIN', 'ANALYST', 'EDITOR', 'OWNER', 'REVIEWER']);
    const owner = members.find((m) => m.role === 'OWNER')!;
    expect(await verifyPassword(demoPassword, owner.user.passwordHash)).toBe(true);
    expect(await verifyPassword('wrong', owner.user.passwordHash)).toBe(false);
    const settings = await db.organizationSettings.findUniqueOrThrow({
      where: { organizationId: result.organizationId },
    });
    expect(settings.telegramReviewChatId).toBe(demoTelegramReviewChatId);
  });

  it('changes and duplicates nothing when run again', async () => {
    const before = await counts(db);
    const hashes = await db.user.findMany({ select: { email: true, passwordHash: true }, orderBy: { email: 'asc' } });
    const result = await seedDemo(db);
    expect(result.usersCreated).toBe(0);
    expect(await counts(db)).toEqual(before);
    expect(await db.user.findMany({ select: { email: true, passwordHash: true }, orderBy: { email: 'asc' } })).toEqual(
      hashes,
    );
    expect(before).toMatchObject({ organizations: 1, users: 5, memberships: 5, brands: 1 });
  });

  it('keeps what people changed in the demo data', async () => {
    await db.brand.update({ where: { id: 'seed_brand_northwind' }, data: { voice: 'Edited by a person' } });
    await seedDemo(db);
    expect((await db.brand.findUniqueOrThrow({ where: { id: 'seed_brand_northwind' } })).voice).toBe(
      'Edited by a person',
    );
  });
});
