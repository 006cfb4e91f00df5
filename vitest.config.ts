import { defineConfig } from 'vitest/config';

// One run covers every package. The global setup starts a throwaway PostgreSQL and Temporal
// dev server once; each test file then clones a migrated template database of its own.
export default defineConfig({
  test: {
    globalSetup: ['scripts/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'db', include: ['prisma/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'api', include: ['api/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'workflows', include: ['workflows/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'sdk', include: ['sdk/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'web', include: ['web/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'stack', include: ['scripts/test/**/*.test.ts'] } },
    ],
  },
});
