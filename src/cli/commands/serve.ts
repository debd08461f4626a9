import cluster from 'node:cluster';
import { InvalidArgumentError, type Command } from 'commander';
import { corsOriginsOf, createApp, type AppOptions } from '../../server/app.js';
import { allowArbitraryOperations, allowIntrospection } from '../../auth/policies.js';
import { checkKeysBeforeForking, keysForServing } from '../../auth/serving-keys.js';
import { principalOf, useApiKeys } from '../../server/plugins/use-api-keys.js';
import { hasScope } from '../../auth/scopes.js';
import { createServerMonitoring, serveClusterMetrics } from '../../monitoring/index.js';
import { listenMetrics } from '../../monitoring/metrics-listener.js';
import { servingRuntime } from '../../server/runtime.js';
import { closeOnSignals, listen } from '../../server/serve.js';
import { isLoopbackAddress } from '../../server/hosts.js';
import { serveWithWorkers } from '../../server/workers.js';
import type { FeatureStore } from '../../feature-store.js';
import { configFrom, openFor } from '../context.js';
import { readTrustedDocuments } from '../../server/trusted-documents.js';
import { assertPortFree, wholeNumber } from '../port-check.js';
import { noteDataDirPort } from '../../sql/data-dir-lock.js';
import { createOnlineHealer } from '../../online/self-heal.js';

interface ServeFlags {
  port?: number;
  workers: number;
  production?: boolean;
  graphiql?: boolean;
  trustedDocuments?: string;
  maxKeys?: number;
  host?: string;
  allowAnonymous?: boolean;
  metricsPort?: number;
  metrics: boolean;
  readyRequiresFresh?: boolean;
  rateLimit?: { perSecond: number; burst?: number };
  maxConnections?: number;
}

/** `--rate-limit 50` or `50:200` (per second, then burst) → the rate limit's options. */
const rateLimitFlag = (value: string): { perSecond: number; burst?: number } => {
  const m = /^\s*(\d+)(?::(\d+))?\s*$/.exec(value);
  const perSecond = m ? Number(m[1]) : 0;
  const burst = m?.[2] !== undefined ? Number(m[2]) : undefined;
  if (!m || perSecond < 1 || (burst !== undefined && burst < 1))
    throw new InvalidArgumentError(
      `--rate-limit must be requests per second per API key, optionally :burst (e.g. 50 or 50:200), got ${JSON.stringify(value)}`,
    );
  return burst !== undefined ? { perSecond, burst } : { perSecond };
};

/** The flags as serving options (docs/production.md lists every default). */
const serveOptionsFrom = (f: ServeFlags): ServeStoreOptions => ({
  ...(f.production ? { production: true } : {}),
  ...(f.graphiql ? { graphiql: true } : {}),
  ...(f.trustedDocuments ? { trustedDocuments: { documents: readTrustedDocuments(f.trustedDocuments), only: true } } : {}),
  ...(f.maxKeys !== undefined ? { limits: { maxKeys: f.maxKeys } } : {}),
  ...(f.host ? { host: f.host } : {}),
  allowAnonymous: f.allowAnonymous === true,
  metrics: f.metrics,
  readyRequiresFresh: f.readyRequiresFresh === true,
  ...(f.metricsPort !== undefined ? { metricsPort: f.metricsPort } : {}),
  ...(f.rateLimit ? { rateLimit: f.rateLimit } : {}),
  ...(f.maxConnections !== undefined ? { maxConnections: f.maxConnections } : {}),
});

export interface ServeStoreOptions extends AppOptions {
  /** Serve without API keys even if the project has some (the demo). */
  readonly open?: boolean;
  /** Start without API keys when the project has none; otherwise that is refused (docs/auth.md). */
  readonly allowAnonymous?: boolean;
  /** Interface to bind. @default all */
  readonly host?: string;
  /** Open connections per process (ListenOptions.maxConnections). @default FEATUREGRAPH_MAX_CONNECTIONS, else 4096 */
  readonly maxConnections?: number;
  /** Prometheus metrics (docs/monitoring.md). @default true */
  readonly metrics?: boolean;
  /** Serve /metrics on its own loopback listener at this port instead of the main one. */
  readonly metricsPort?: number;
  /** /ready fails while a view breaches its freshness objective. */
  readonly readyRequiresFresh?: boolean;
}

/** Serve a feature store until SIGTERM; prints the URL. */
export const serveStore = async (store: FeatureStore, opts: ServeStoreOptions = {}) => {
  const { host, open, allowAnonymous, metrics, metricsPort, readyRequiresFresh, maxConnections, ...appOptions } = opts;
  // Before anything touches the stores: a server that may not start (no keys) writes nothing.
  const keys = open ? null : await keysForServing(store.sql, store.project, { allowAnonymous: allowAnonymous === true });
  // A Redis that comes back empty is noticed and re-materialized by the server itself (docs/writes.md).
  const healer = store.online.marker ? createOnlineHealer({ sql: store.sql, online: store.online, repo: store.repo }) : null;
  void healer?.check();
  const fs: FeatureStore = healer ? { ...store, online: healer.store, close: () => (healer.stop(), store.close()) } : store;
  const rt = await servingRuntime(fs);
  // Metrics, served-feature log and JSON request logs (docs/monitoring.md); /metrics moves to --metrics-port
  // when given. With API keys, /metrics on the main port needs an admin key.
  const monitoring = createServerMonitoring(rt, {
    metrics: metrics !== false,
    ...(metricsPort !== undefined ? { metricsEndpoint: false as const } : {}),
    readyRequiresFresh: readyRequiresFresh === true,
    // The metrics plugin answers /metrics before the API-key plugin runs: it looks the key up itself.
    ...(keys
      ? {
          authorizeMetrics: async (request: Request) => {
            const principal = await principalOf(keys, request);
            return principal === undefined ? ('unauthenticated' as const) : hasScope(principal, 'admin') || ('forbidden' as const);
          },
        }
      : {}),
  });
  // With keys: admin keys may introspect in production, adhoc keys may send documents outside the trusted set.
  const trusted = appOptions.trustedDocuments;
  const app = createApp(rt, {
    ...appOptions,
    monitoring,
    ...(keys
      ? {
          plugins: [useApiKeys({ keys, repo: rt.repo }), ...(appOptions.plugins ?? [])],
          allowIntrospection,
          ...(trusted ? { trustedDocuments: { allowArbitraryOperations, ...trusted } } : {}),
        }
      : {}),
  });
  // Subscriptions over SSE end before the server waits for in-flight requests (docs/subscriptions.md).
  const running = await listen(app, fs.config.port, host, {
    beforeClose: async () => fs.online.changes?.close(),
    // Anonymous on loopback (the demo): only requests addressed to this machine, against DNS rebinding.
    loopbackHostsOnly: keys === null && isLoopbackAddress(host),
    ...(maxConnections !== undefined ? { maxConnections } : {}),
  });
  if (metricsPort !== undefined && monitoring.metrics && !cluster.isWorker) await listenMetrics(monitoring.metrics, metricsPort);
  closeOnSignals(running, async () => {
    await monitoring.close();
    await keys?.close();
    await fs.close();
  });
  // A second process on the same embedded data dir is told where this server is (data-dir-lock.ts).
  if (!fs.config.databaseUrl) noteDataDirPort(fs.config.dataDir, Number(new URL(running.url).port));
  const url = host ? running.url.replace('//localhost:', `//${host}:`) : running.url;
  const production = appOptions.production ?? process.env.NODE_ENV === 'production';
  const graphiql = appOptions.graphiql ?? !production;
  // With --workers the banner is the first worker's only: every worker serves the same thing.
  const say = cluster.isWorker && cluster.worker?.id !== 1 ? () => {} : (line: string) => console.log(line);
  say(
    `featuregraph serving project "${fs.project}" at ${url}${graphiql ? ' (GraphiQL in a browser)' : ''}${host ? `, bound to ${host} only` : ''}${production ? ', production mode' : ''}`,
  );
  if (trusted)
    say(
      `  trusted documents: ${trusted.documents.texts.size} forms, ${trusted.documents.byId.size} ids${trusted.only === false ? ', other documents allowed' : ', nothing else runs'}`,
    );
  const origins = corsOriginsOf(app);
  say(
    `  CORS: ${origins.length === 0 ? 'off (FEATUREGRAPH_CORS_ORIGINS lists the origins browsers may call from)' : origins.includes('*') ? 'any origin, without credentials' : `${origins.join(', ')}, with credentials`}`,
  );
  say(`  online store: ${fs.online.description}`);
  say(`  offline store and registry: ${fs.sql.description}`);
  // Said only when off: a plugin of yours with a hook the front does not drive turns it off (docs/production.md).
  if (running.front.off) say(`  node front: off (${running.front.off}); every request goes through Yoga's own transport`);
  if (keys) say(`  API keys: ${keys.size} active; requests need one (Authorization: Bearer <key>)`);
  else say(`  anonymous: no API key needed, every feature readable and pushable${opts.host ? `; bound to ${opts.host} only` : ''}`);
  return { ...running, url };
};

export const registerServe = (program: Command) =>
  program
    .command('serve')
    .description('Serve the GraphQL API (GraphiQL at /graphql, /health, /ready)')
    .option('-p, --port <port>', 'port (default: PORT or 4000)', wholeNumber('--port', 0, 65535))
    .option(
      '-w, --workers <n>',
      'processes sharing the port (node:cluster); more than 1 needs DATABASE_URL',
      wholeNumber('--workers', 1, 256),
      1,
    )
    .option('--production', 'production mode (also NODE_ENV=production): no introspection, no suggestions, no GraphiQL')
    .option('--graphiql', 'serve GraphiQL (compressed) in production mode too')
    .option('--trusted-documents <file>', 'persisted-documents manifest (codegen); only these documents run')
    .option('--max-keys <n>', 'entity keys one request may read (default 1000)', wholeNumber('--max-keys', 1, 1_000_000))
    .option('--host <host>', 'interface to bind (default: all)')
    .option('--allow-anonymous', 'serve without authentication when the project has no API keys (otherwise refused)')
    .option(
      '--metrics-port <port>',
      'serve Prometheus /metrics on its own loopback listener instead of the main port',
      wholeNumber('--metrics-port', 0, 65535),
    )
    .option('--no-metrics', 'no Prometheus metrics')
    .option('--ready-requires-fresh', '/ready fails while a view breaches its freshness objective')
    .option(
      '--max-connections <n>',
      'open connections per process, WebSockets included (default FEATUREGRAPH_MAX_CONNECTIONS or 4096)',
      wholeNumber('--max-connections', 1, 1_000_000),
    )
    .option('--rate-limit <perSecond[:burst]>', 'token bucket per API key: 429 + Retry-After above it (per worker)', rateLimitFlag)
    .action(async (opts: ServeFlags, cmd: Command) => {
      const extra = opts.port !== undefined ? { port: opts.port } : {};
      const config = configFrom(cmd, extra);
      // The embedded PGlite database belongs to one process: workers need Postgres.
      if (opts.workers > 1 && !config.databaseUrl)
        throw new Error('--workers above 1 needs DATABASE_URL: the embedded PGlite store can only be opened by one process');
      // Refuse in the primary, once, rather than in every worker: a port in use, then no keys.
      if (cluster.isPrimary) await assertPortFree(config.port);
      if (opts.workers > 1 && cluster.isPrimary) await checkKeysBeforeForking(config, opts.allowAnonymous === true);
      // With workers, the primary aggregates every worker's metrics (for /metrics and --metrics-port).
      const aggregated = opts.workers > 1 && cluster.isPrimary && opts.metrics ? serveClusterMetrics() : null;
      if (aggregated && opts.metricsPort !== undefined) await listenMetrics(aggregated, opts.metricsPort);
      const served = await serveWithWorkers({ workers: opts.workers }, async () => {
        const fs = await openFor(cmd, extra);
        try {
          return await serveStore(fs, serveOptionsFrom(opts));
        } catch (err) {
          await fs.close();
          throw err;
        }
      });
      if (served.primary) console.log(`featuregraph: ${opts.workers} workers serving on port ${served.port}`);
    });
