import type { CodegenConfig } from '@graphql-codegen/cli';

/** Scalars as the generated TypeScript sees them on the wire (JSON) and in resolvers. */
const clientScalars = {
  DateTime: { input: 'string', output: 'string' },
  Int64: { input: 'string | number', output: 'string' },
  Bytes: { input: 'string', output: 'string' },
  JSON: { input: 'unknown', output: 'unknown' },
};

const config: CodegenConfig = {
  schema: 'schema/featuregraph.graphql',
  documents: 'schema/operations/**/*.graphql',
  ignoreNoDocuments: false,
  // ESM: relative imports with .js extensions.
  emitLegacyCommonJSImports: false,
  generates: {
    // Resolver signatures of the generated schema, for code that extends the server.
    'src/graphql/generated/resolvers-types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        contextType: '../context.js#FeatureGraphContext',
        scalars: {
          DateTime: { input: 'Date', output: 'Date | string' },
          Int64: { input: 'bigint', output: 'bigint | string' },
          Bytes: { input: 'Uint8Array', output: 'Uint8Array' },
          JSON: { input: 'unknown', output: 'unknown' },
        },
      },
    },
    // Typed documents for clients, with persisted-document hashes.
    'schema/client/': {
      preset: 'client',
      presetConfig: { persistedDocuments: true, fragmentMasking: false },
      config: { useTypeImports: true, scalars: clientScalars, enumsAsTypes: true },
    },
  },
};

export default config;
