import { defineConfig } from 'tsup';

// ESM and CJS with declarations for each entry; the CLI only as ESM (it is run, not imported).
export default defineConfig([
  {
    entry: { index: 'src/index.ts', 'mcp/index': 'src/mcp/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'neutral',
    external: ['@modelcontextprotocol/sdk', 'graphql-ws', 'zod', /^node:/],
  },
  {
    entry: { 'mcp/cli': 'src/mcp/cli.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    external: ['@modelcontextprotocol/sdk', 'graphql-ws', 'zod'],
  },
]);
