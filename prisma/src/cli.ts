import { z } from 'zod';
import { createPrismaClient } from './client.js';
import { ensureDatabase } from './database.js';
import { applyMigrations, createMigration, diffMigrationsAgainstSchema } from './migrations.js';
import { demoLogins, seedDemo } from './seed.js';
import { createVault, parseKeyRing, reencryptSecrets } from './vault.js';

const env = z
  .object({
    DATABASE_URL: z.string().url().optional(),
    PRESSROOM_TOKEN_KEYS: z.string().optional(),
    PRESSROOM_TOKEN_KEY_CURRENT: z.string().optional(),
  })
  .parse(process.env);

function databaseUrl(): string {
  if (!env.DATABASE_URL) {
    console.error('DATABASE_URL is not set. Run this through `npm start` (which sets it) or export it first.');
    process.exit(1);
  }
  return env.DATABASE_URL;
}

async function main(command: string | undefined, args: string[]): Promise<number> {
  switch (command) {
    case 'migrate': {
      const url = databaseUrl();
      await ensureDatabase(url);
      const applied = await applyMigrations(url);
      console.log(applied.length ? `Applied ${applied.join(', ')}` : 'Database is up to date; nothing applied.');
      return 0;
    }
    case 'migration:new': {
      const name = args[0];
      if (!name) {
        console.error('Usage: pnpm db:migration:new <name>   (lower-case letters, digits, underscores)');
        return 1;
      }
      const created = await createMigration(databaseUrl(), name);
      if (!created.name) {
        console.log('schema.prisma and the migrations agree; no migration written.');
        return 0;
      }
      console.log(`Wrote prisma/migrations/${created.name}/migration.sql:\n\n${created.script}`);
      return 0;
    }
    case 'check': {
      const diff = await diffMigrationsAgainstSchema(databaseUrl());
      if (diff.inSync) {
        console.log('schema.prisma and the migrations agree.');
        return 0;
      }
      console.error(`schema.prisma and the migrations disagree. A new migration would run:\n\n${diff.script}`);
      return 2;
    }
    case 'seed': {
      const db = createPrismaClient({ databaseUrl: databaseUrl() });
      try {
        const result = await seedDemo(db);
        console.log(
          `Seeded the demo organization (${result.usersCreated} new users): ${demoLogins.map((l) => l.email).join(', ')}`,
        );
      } finally {
        await db.$disconnect();
      }
      return 0;
    }
    case 'tokens:rotate': {
      // Re-encrypts every stored token under PRESSROOM_TOKEN_KEY_CURRENT; the ring must still hold
      // the old keys. See TokenVault in vault.ts for the whole rotation procedure.
      if (!env.PRESSROOM_TOKEN_KEYS) {
        console.error('PRESSROOM_TOKEN_KEYS is not set: give the key ring (id:base64,...) with the old and new keys.');
        return 1;
      }
      const vault = createVault(parseKeyRing(env.PRESSROOM_TOKEN_KEYS, env.PRESSROOM_TOKEN_KEY_CURRENT));
      const db = createPrismaClient({ databaseUrl: databaseUrl() });
      try {
        const result = await reencryptSecrets(db, vault);
        console.log(
          `Re-encrypted ${result.socialAccounts} social accounts, ${result.oauthStates} pending connects, ${result.webhookEndpoints} webhook secrets and ${result.adsConnections} ads connections under key "${vault.currentKeyId}".`,
        );
      } finally {
        await db.$disconnect();
      }
      return 0;
    }
    default:
      console.error('Usage: cli.ts migrate | migration:new <name> | check | seed | tokens:rotate');
      return 1;
  }
}

process.exitCode = await main(process.argv[2], process.argv.slice(3));
