import { createRequire } from 'node:module';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import type { Plugin, YogaServerInstance } from 'graphql-yoga';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { createLoaders } from '../graphql/loaders.js';
import { OnlineStoreEmptyError } from '../online/self-heal.js';
import type { FeatureGraphContext } from '../graphql/context.js';
import type { ServingRuntime } from '../graphql/runtime.js';
import { buildSchema } from '../graphql/schema.js';
import { byteLru } from './byte-lru.js';
import { requestIdOf } from '../monitoring/logger.js';
import { checkOrigins, corsOptions, useVaryOrigin } from './cors.js';
import { isPromise, jsonErrorLog, unexpectedErrorBody, yogaLogger, type ErrorLog } from './error-log.js';
import type { SampleKeys } from './example-query.js';
import { graphiqlOptions } from './graphiql.js';
import { connectionAuthenticatorOf, type ConnectionAuthenticator } from './plugins/use-api-keys.js';
import { useCatalog, type CatalogOptions } from './plugins/use-catalog.js';
import { useCompression } from './plugins/use-compression.js';
import { DEFAULT_MAX_BODY_BYTES, useBodyLimit } from './plugins/use-body-limit.js';
import { useCompiledExecutor } from './plugins/use-compiled-executor.js';
import { useConsistentStatus } from './plugins/use-consistent-status.js';
import { useCsrfPrevention } from './plugins/use-csrf-prevention.js';
import { DEFAULT_TIMEOUT_MS, useExecutionTimeout } from './plugins/use-execution-timeout.js';
import { useGraphiQLPage } from './plugins/use-graphiql-page.js';
import { useIntrospectionPolicy } from './plugins/use-introspection-policy.js';
import { useKeyLimits, type KeyLimitsOptions } from './plugins/use-key-limits.js';
import { useLimits, type LimitsOptions } from './plugins/use-limits.js';
import { usePushRoute } from './plugins/use-push-route.js';
import { useRateLimit, type RateLimitOptions } from './plugins/use-rate-limit.js';
import { useGetParams } from './plugins/use-get-params.js';
import { useJsonMediaType } from './plugins/use-json-media-type.js';
import { useOneEndpoint } from './plugins/use-one-endpoint.js';
import { useOperationName } from './plugins/use-operation-name.js';
import { useRequestId } from './plugins/use-request-id.js';
import { useRefusalBodies } from './plugins/use-refusal-bodies.js';
import { useTrustedDocuments, type TrustedDocumentsOptions } from './plugins/use-trusted-documents.js';
import { useValidationCache } from './plugins/use-validation-cache.js';
import type { ServerMonitoring } from '../monitoring/index.js';

export interface AppLimits extends LimitsOptions, KeyLimitsOptions {
  /** Largest GraphQL request body in bytes (413 above it). @default 1 MiB */
  readonly maxBodyBytes?: number;
  /** Milliseconds one operation may run (504 TIMEOUT after). @default 10000 */
  readonly timeoutMs?: number;
}

/** Every policy's settings; defaults are safe for production (docs/production.md lists them). */
export interface AppOptions {
  /** The query GraphiQL opens with. */
  readonly exampleQuery?: string;
  /** Join-key values GraphiQL's example tabs use, per entity name (e.g. `{ driver: '1001' }`). */
  readonly exampleKeys?: SampleKeys;
  /** The feature catalog at /catalog (docs/catalog.md). @default enabled unless production */
  readonly catalog?: CatalogOptions;
  /** A prebuilt schema (else built from the runtime's repository). */
  readonly schema?: GraphQLSchema;
  /** `false`: no error log; a function: where full errors go. @default one JSON line per error on stderr */
  readonly logging?: boolean | ErrorLog;
  /** Largest `POST /push/<view>` body in bytes (default 10 MiB). */
  readonly maxPushBytes?: number;
  /** Production mode: no introspection (see `allowIntrospection`), no suggestions, GraphiQL only if asked. @default NODE_ENV === 'production' */
  readonly production?: boolean;
  /** Serve GraphiQL (compressed) to browsers at /graphql. @default !production */
  readonly graphiql?: boolean;
  /** Production: which requests may introspect (the API-key plugin allows `admin` keys). @default none */
  readonly allowIntrospection?: (request: Request) => boolean;
  /** Document, key, body and time limits. */
  readonly limits?: AppLimits;
  /** Origins allowed to call from a browser. @default FEATUREGRAPH_CORS_ORIGINS (comma-separated), else none: CORS off */
  readonly corsOrigins?: readonly string[];
  /** Persisted / trusted documents (`serve --trusted-documents FILE`). @default none */
  readonly trustedDocuments?: TrustedDocumentsOptions;
  /** Per-caller token bucket (429 + Retry-After). @default off */
  readonly rateLimit?: RateLimitOptions;
  /**
   * Extra policies (authentication: the API-key plugin), placed after request id, CSRF and GraphiQL and
   * before rate limit, /push, trusted documents, limits and execution: they can end a request (401) or
   * set its principal (principal.ts) for the policies after them.
   */
  readonly plugins?: readonly Plugin[];
  /** Estimated bytes of parsed and compiled documents kept. @default 32 MiB each */
  readonly documentCacheBytes?: number;
  /** Run queries as graphql-jit compiled code (else graphql-js `execute`). @default true */
  readonly compiled?: boolean;
  /** Called on each operation the compiled executor runs (tests prove the executor with it). */
  readonly onCompiledExecution?: () => void;
  /** Metrics, served-feature log, request logs, freshness readiness (createServerMonitoring, docs/monitoring.md). */
  readonly monitoring?: ServerMonitoring;
}

export type FeatureGraphApp = YogaServerInstance<Record<string, unknown>, FeatureGraphContext>;

/** The GraphQL body limit of each app, for the node front that `listen` puts before it (node-front.ts). */
/** What `listen` and the WebSocket endpoint need of an app beyond Yoga's instance. */
interface AppState {
  readonly bodyLimit: number;
  /** The origins allowed for CORS (AppOptions.corsOrigins or FEATUREGRAPH_CORS_ORIGINS); WebSockets use them too. */
  readonly origins: readonly string[];
  /** Shutting down (`listen`'s close): `/ready` answers 503. */
  draining: boolean;
  /** The API-key plugin's lookup, for WebSocket connections (graphql-ws.ts); absent: the app is anonymous. */
  readonly authenticateConnection?: ConnectionAuthenticator;
}
const appStates = new WeakMap<FeatureGraphApp, AppState>();

export const bodyLimitOf = (app: FeatureGraphApp): number => appStates.get(app)?.bodyLimit ?? DEFAULT_MAX_BODY_BYTES;
export const corsOriginsOf = (app: FeatureGraphApp): readonly string[] => appStates.get(app)?.origins ?? [];
/** How a WebSocket connection of this app is authenticated when it opens; undefined when the app needs no key. */
export const connectionAuthenticatorOfApp = (app: FeatureGraphApp): ConnectionAuthenticator | undefined =>
  appStates.get(app)?.authenticateConnection;
/** The app is shutting down (`listen`'s close): `/ready` answers 503 from now on, so load balancers move away. */
export const markDraining = (app: FeatureGraphApp): void => {
  const s = appStates.get(app);
  if (s) s.draining = true;
};

/**
 * The one request pipeline: every request, whatever its shape (GET/POST, JSON or not, persisted id or
 * document, with or without Origin), goes through this Yoga instance's plugins in the order listed below,
 * and every query through graphql-jit compiled code (useCompiledExecutor). GraphQL and GraphiQL at
 * /graphql, /push/<view>, /health, /ready. See docs/production.md.
 */
/**
 * Yoga and its defer/stream plugin, required when an app is created rather than when this module loads:
 * the package's main entry exports `createApp`, and every CLI command (`historical` too) imports the package
 * through the user's definitions module, so loading Yoga eagerly would add to each command's start-up
 * (docs/architecture.md, "The package"). Both as CommonJS, so the plugin gets the same Yoga; graphql is one
 * CommonJS copy either way.
 */
const yoga = () => {
  const require = createRequire(import.meta.url);
  return {
    ...(require('graphql-yoga') as typeof import('graphql-yoga')),
    useDeferStream: (require('@graphql-yoga/plugin-defer-stream') as typeof import('@graphql-yoga/plugin-defer-stream')).useDeferStream,
  };
};

export const createApp = (rt: ServingRuntime, opts: AppOptions = {}): FeatureGraphApp => {
  const { createYoga, maskError, useDeferStream, useReadinessCheck } = yoga();
  const schema = opts.schema ?? buildSchema(rt.repo);
  const production = opts.production ?? process.env.NODE_ENV === 'production';
  // With monitoring's JSON logger, unexpected errors are lines of that one log (pino, stdout), not of a second
  // format on stderr.
  const pinoLog: ErrorLog | undefined = opts.monitoring?.logger
    ? (requestId, err, what) => opts.monitoring!.logger!.error({ requestId, err }, what ?? 'unexpected error')
    : undefined;
  const log: ErrorLog | false =
    opts.logging === false ? false : typeof opts.logging === 'function' ? opts.logging : (pinoLog ?? jsonErrorLog);
  const limits = opts.limits ?? {};
  // With the API-key plugin among the plugins, a WebSocket presents its key when it opens (graphql-ws.ts).
  const authenticateConnection = (opts.plugins ?? []).map(connectionAuthenticatorOf).find((a) => a !== undefined);
  const state: AppState = {
    bodyLimit: limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    origins: opts.corsOrigins ? checkOrigins(opts.corsOrigins, 'corsOrigins') : checkOrigins(originsFromEnv(), 'FEATUREGRAPH_CORS_ORIGINS'),
    draining: false,
    ...(authenticateConnection ? { authenticateConnection } : {}),
  };
  const cacheBytes = opts.documentCacheBytes ?? 32 * 1024 * 1024;
  const monitoring = opts.monitoring;
  // One time limit: useExecutionTimeout answers 504 at it, and offline reads are stopped at it.
  const timeLimitMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const context = (): FeatureGraphContext => ({ rt, loaders: createLoaders(rt, monitoring?.observer(), timeLimitMs) });
  const plugins: (Plugin | false | undefined)[] = [
    useRequestId({ log: log || (() => undefined) }),
    // Before every policy that looks at the path: GraphQL only at /graphql itself.
    useOneEndpoint(),
    // Yoga's 415 and 406 come with an empty body: they get an error body like every other refusal.
    useRefusalBodies(),
    // Metrics and request logs see every request, served-feature logging every executed one (docs/monitoring.md).
    ...(monitoring?.plugins ?? []),
    useConsistentStatus(),
    useCsrfPrevention(),
    useVaryOrigin(state.origins),
    (opts.graphiql ?? !production) &&
      useGraphiQLPage({
        graphiql: graphiqlOptions(rt.repo, {
          ...(opts.exampleQuery ? { query: opts.exampleQuery } : {}),
          ...(opts.exampleKeys ? { sampleKeys: opts.exampleKeys } : {}),
        }),
      }),
    useCompression(),
    useCatalog({ ...opts.catalog, enabled: opts.catalog?.enabled ?? !production }),
    ...(opts.plugins ?? []),
    opts.rateLimit && useRateLimit(opts.rateLimit),
    usePushRoute({ rt, ...(log ? { log } : {}), ...(opts.maxPushBytes ? { maxBodyBytes: opts.maxPushBytes } : {}) }),
    onlyAt(
      '/ready',
      useReadinessCheck({
        endpoint: '/ready',
        check: async ({ fetchAPI, request }) => {
          const failures: string[] = state.draining ? ['shutting down: finishing in-flight requests'] : [];
          // Which store failed is public; why (host:port, driver text) goes to the log only. A Redis that came
          // back empty is our own, safe message: it says re-materialization is under way (docs/writes.md).
          const fail = (what: string) => (e: unknown) => {
            if (e instanceof OnlineStoreEmptyError) failures.push(`${what}: ${e.message}`);
            else {
              failures.push(`${what} unavailable`);
              // With the id the /ready response carries (x-request-id), as every other logged failure.
              if (log) log(requestIdOf(request), e, `readiness check: the ${what} is unavailable`);
            }
          };
          await Promise.all([
            answersWithin(READY_PING_MS, rt.online.ping()).catch(fail('online store')),
            answersWithin(READY_PING_MS, rt.offline.ping()).catch(fail('offline store')),
            // Freshness objectives breached, with --ready-requires-fresh (our own messages).
            monitoring?.readinessFailures().then((f) => failures.push(...f)),
          ]);
          if (failures.length === 0) return true;
          return new fetchAPI.Response(JSON.stringify({ ready: false, failures }), {
            status: 503,
            headers: { 'content-type': 'application/json' },
          });
        },
      }),
    ),
    // Before the body limit, which wraps the parser it picks for a body without a length.
    useJsonMediaType(),
    useBodyLimit({ maxBytes: state.bodyLimit }),
    useGetParams(),
    // An operationName the document does not define: named, with the document's operations listed.
    useOperationName(),
    opts.trustedDocuments && useTrustedDocuments(opts.trustedDocuments),
    useLimits(limits),
    production && (blockFieldSuggestionsPlugin() as Plugin),
    production && useIntrospectionPolicy(opts.allowIntrospection ? { allowIntrospection: opts.allowIntrospection } : {}),
    useKeyLimits(limits),
    opts.compiled !== false &&
      useCompiledExecutor({ maxBytes: cacheBytes, ...(opts.onCompiledExecution ? { onCompiledExecution: opts.onCompiledExecution } : {}) }),
    // @defer/@stream (docs/graphql.md): online values first, slow parts (asOf reads, on-demand) after.
    useDeferStream() as Plugin,
    useExecutionTimeout({ ms: timeLimitMs }),
    // Last: it caches validation under the final rule set (Yoga's own validation cache is off, below).
    useValidationCache(),
  ];
  const app = createYoga<Record<string, unknown>, FeatureGraphContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    graphiql: false,
    logging: yogaLogger(log),
    cors: corsOptions(state.origins),
    // useBodyLimit enforces it without wrapping every body in a stream.
    maxRequestBodySize: false,
    // Bounded by bytes: distinct huge documents (or parse errors of them) cannot fill memory.
    parserAndValidationCache: {
      documentCache: byteLru<DocumentNode>({ maxBytes: cacheBytes }),
      errorCache: byteLru<Error>({ maxBytes: 4 * 1024 * 1024 }),
      // useValidationCache keeps validation results instead (cheaper per request).
      validationCache: false,
    },
    // Never the original error, stack or driver text, in any mode; the log has them (use-request-id.ts).
    maskedErrors: { maskError: (error, message) => maskError(error, message, false) },
    context,
    plugins: plugins.filter((p): p is Plugin => !!p).map((p) => guardHttpHooks(p, log)),
  });
  appStates.set(app, state);
  return app;
};

/**
 * A plugin's `onRequest` / `onResponse` that throws gets the masked 500 every other unexpected error gets, the
 * full error going to the log with the request id (docs/production.md, "Errors"). Left to the HTTP adapter,
 * the response would carry the error's message and stack.
 */
const guardHttpHooks = (plugin: Plugin, log: ErrorLog | false): Plugin => {
  const { onRequest, onResponse } = plugin;
  if (!onRequest && !onResponse) return plugin;
  const masked = (request: Request, error: unknown, ResponseCtor: typeof Response): Response => {
    const requestId = requestIdOf(request);
    if (log) log(requestId, error);
    return new ResponseCtor(unexpectedErrorBody(requestId), {
      status: 500,
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    });
  };
  type Payload = { request: Request; fetchAPI: { Response: typeof Response } };
  // Run `hook`; if it throws or rejects, `answer` puts the masked 500 in place of the response.
  const guard =
    <P extends Payload>(hook: (p: P) => unknown, answer: (p: P, r: Response) => void) =>
    (payload: P) => {
      const fail = (e: unknown) => answer(payload, masked(payload.request, e, payload.fetchAPI.Response));
      try {
        const r = hook(payload);
        return isPromise(r) ? (r.catch(fail) as Promise<void>) : undefined;
      } catch (e) {
        fail(e);
      }
    };
  const guarded: Plugin = { ...plugin };
  if (onRequest) guarded.onRequest = guard(onRequest, (p, r) => p.endResponse(r));
  if (onResponse) guarded.onResponse = guard(onResponse, (p, r) => p.setResponse(r));
  return guarded;
};

/**
 * A plugin whose `onRequest` only concerns one path, run only for that path. Yoga's readiness check matches
 * every request's URL against a URLPattern (and also answers any URL that merely ends in its path, such as
 * `/graphql?x=/ready`); this keeps it to `GET /ready` exactly, off the hot path.
 */
const onlyAt = (path: string, plugin: Plugin): Plugin => {
  const onRequest = plugin.onRequest;
  if (!onRequest) return plugin;
  return { ...plugin, onRequest: (payload) => (payload.url.pathname === path ? onRequest(payload) : undefined) };
};

/** How long `/ready` waits for each store's ping: a hung store is unavailable, and a probe must get an answer. */
const READY_PING_MS = 2000;

/** `p`, or a rejection when it has not settled within `ms` (it is left to settle on its own). */
const answersWithin = <T>(ms: number, p: Promise<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    p.then(resolve, reject).finally(() => clearTimeout(timer));
  });

const originsFromEnv = (): string[] =>
  (process.env.FEATUREGRAPH_CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
