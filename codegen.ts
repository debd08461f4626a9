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
    // No resolver types: the schema is built code-first from the definitions (src/graphql/build/), each field
    // with its resolver, so its types come from there; resolver types generated from the demo's SDL fit only the demo.
    // Typed documents for clients, with persisted-document hashes.
    'schema/client/': {
      preset: 'client',
      presetConfig: { persistedDocuments: true, fragmentMasking: false },
      config: { useTypeImports: true, scalars: clientScalars, enumsAsTypes: true },
    },
  },
};

export default config;
