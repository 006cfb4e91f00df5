// `pnpm db:generate`: runs `prisma generate`. Kept apart from cli.ts, whose other commands
// import the generated client that this one creates.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
// `prisma generate` works offline but insists that a schema engine binary exists; it never
// runs it for generate, so point it at a file that is there.
const anyFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? anyFile,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
process.exitCode = result.status ?? 1;
