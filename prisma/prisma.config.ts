import { defineConfig } from 'prisma/config';

// Used by `prisma generate`. Migrations are applied and authored by src/migrations.ts with
// Prisma's own schema engine (its WebAssembly build), so no native engine is downloaded.
export default defineConfig({
  schema: 'schema.prisma',
  migrations: { path: 'migrations' },
});
