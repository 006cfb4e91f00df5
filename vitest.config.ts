import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql-js ships a CommonJS and an ESM build; Node loads the CommonJS one for the libraries
// (Pothos, yoga, graphql-ws) while Vite would hand test-transformed code the ESM one, and
// objects from one are rejected by the other. Point everything at the build Node uses.
const graphqlEntry = createRequire(import.meta.url).resolve('graphql');

// One run covers every package. The global setup starts a throwaway PostgreSQL and Temporal
// dev server once; each test file then clones a migrated template database of its own.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    globalSetup: ['scripts/test/global-setup.ts'],
    pool: 'forks',
    // Most files spend their time waiting on Postgres, Temporal, ffmpeg or a browser, not on a
    // CPU: two files at a time halves the run on a 2-core machine, where vitest's default
    // (cores - 1) would run them one by one.
    maxWorkers: 2,
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
