import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS and ESM builds and Node loads the CJS one for Yoga; our code must get the same copy, or
    // `instanceof GraphQLError` fails and Yoga masks featuregraph's own errors.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ for the CLI tests when stale; prints which suites were skipped for want of a service.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
