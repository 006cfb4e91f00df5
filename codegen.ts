import type { CodegenConfig } from '@graphql-codegen/cli';

// One target per consumer. The schema is the one the api prints (api/schema.graphql, kept
// current by a test); documents are the operations each consumer ships.
const config: CodegenConfig = {
  schema: 'api/schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'sdk/src/generated/': {
      preset: 'client',
      documents: ['sdk/src/operations/**/*.graphql'],
      presetConfig: { fragmentMasking: false },
      // Documents as strings: the sdk sends text and needs no graphql-js at run time.
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        documentMode: 'string',
        // `.js` on relative imports: the sdk is compiled as NodeNext ESM.
        emitLegacyCommonJSImports: false,
        scalars: { DateTime: 'string', ID: 'string', BigInt: 'string' },
      },
    },
    // The dashboard writes its operations inline with `graphql()` from `web/src/gql`.
    'web/src/gql/': {
      preset: 'client',
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', ID: 'string', BigInt: 'string', File: 'File' },
      },
    },
  },
};

export default config;
