import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLSchema } from 'graphql';
import { createLoaders } from '../graphql/loaders.js';
import type { FeatureGraphContext } from '../graphql/context.js';
import type { ServingRuntime } from '../graphql/runtime.js';
import { buildSchema } from '../graphql/schema.js';
import { exampleQuery } from './example-query.js';
import { renderOfflineGraphiQL } from './graphiql.js';
import { usePushRoute } from './plugins/use-push-route.js';
import { compiledPath, type NodeHandler } from './fast-path/node-handler.js';
import type { ServerMonitoring } from '../monitoring/index.js';

export interface AppOptions {
  /** The query GraphiQL opens with. */
  readonly exampleQuery?: string;
  /** A prebuilt schema (else built from the runtime's repository). */
  readonly schema?: GraphQLSchema;
  /** Log through this (default: Yoga's console logger, errors only). */
  readonly logging?: boolean;
  /** Largest `POST /push/<view>` body in bytes (default 10 MiB). */
  readonly maxPushBytes?: number;
  /**
   * Serve valid JSON queries over node:http through graphql-jit compiled functions, bypassing the Fetch
   * adapter (see fast-path/node-handler.ts); `listen` uses it. Default true. `app.fetch` always goes through Yoga.
   */
  readonly compiled?: boolean;
  /**
   * Metrics, served-feature log, request logs, freshness readiness (createServerMonitoring, docs/monitoring.md).
   * Its plugins see only requests that go through Yoga, so with it the compiled path is off.
   */
  readonly monitoring?: ServerMonitoring;
}

export type FeatureGraphApp = YogaServerInstance<Record<string, unknown>, FeatureGraphContext>;

/**
 * The Yoga app: GraphQL (and GraphiQL) at /graphql, /health (Yoga's liveness endpoint), /ready (the stores
 * answer). Each request gets its own DataLoaders.
 */
export const createApp = (rt: ServingRuntime, opts: AppOptions = {}): FeatureGraphApp => {
  const schema = opts.schema ?? buildSchema(rt.repo);
  const monitoring = opts.monitoring;
  const context = (): FeatureGraphContext => ({ rt, loaders: createLoaders(rt, monitoring?.observer()) });
  const app = createYoga<Record<string, unknown>, FeatureGraphContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    logging: opts.logging === false ? false : 'error',
    graphiql: { title: 'featuregraph', defaultQuery: opts.exampleQuery ?? exampleQuery(rt.repo) },
    renderGraphiQL: renderOfflineGraphiQL,
    context,
    plugins: [
      ...(monitoring?.plugins ?? []),
      usePushRoute({ rt, ...(opts.maxPushBytes ? { maxBodyBytes: opts.maxPushBytes } : {}) }),
      useReadinessCheck({
        endpoint: '/ready',
        check: async ({ fetchAPI }) => {
          const failures: string[] = [];
          await Promise.all([
            rt.online.ping().catch((e: Error) => failures.push(`online store: ${e.message}`)),
            rt.offline.query('SELECT 1').catch((e: Error) => failures.push(`offline store: ${e.message}`)),
            monitoring?.readinessFailures().then((f) => failures.push(...f)),
          ]);
          if (failures.length === 0) return true;
          return new fetchAPI.Response(JSON.stringify({ ready: false, failures }), {
            status: 503,
            headers: { 'content-type': 'application/json' },
          });
        },
      }),
    ],
  });
  if (opts.compiled !== false && !monitoring) nodeHandlers.set(app, compiledPath({ schema, endpoint: '/graphql', context, fallback: app }));
  return app;
};

const nodeHandlers = new WeakMap<FeatureGraphApp, NodeHandler>();

/** The node:http request handler of an app: its compiled path in front of Yoga, or Yoga itself. */
export const nodeHandlerOf = (app: FeatureGraphApp): NodeHandler => nodeHandlers.get(app) ?? app;
