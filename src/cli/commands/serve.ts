import cluster from 'node:cluster';
import type { Command } from 'commander';
import { createServerMonitoring, serveClusterMetrics } from '../../monitoring/index.js';
import { listenMetrics } from '../../monitoring/metrics-listener.js';
import { createApp } from '../../server/app.js';
import { servingRuntime } from '../../server/runtime.js';
import { closeOnSignals, listen } from '../../server/serve.js';
import { serveWithWorkers } from '../../server/workers.js';
import type { FeatureStore } from '../../feature-store.js';
import { configFrom, openFor } from '../context.js';

/** Serve a feature store until SIGTERM; prints the URL. */
export const serveStore = async (
  fs: FeatureStore,
  opts: { exampleQuery?: string; metrics?: boolean; metricsPort?: number; readyRequiresFresh?: boolean } = {},
) => {
  const rt = await servingRuntime(fs);
  // Metrics, served-feature log and JSON request logs (docs/monitoring.md); /metrics moves to --metrics-port when given.
  const monitoring = createServerMonitoring(rt, {
    metrics: opts.metrics !== false,
    ...(opts.metricsPort !== undefined ? { metricsEndpoint: false as const } : {}),
    readyRequiresFresh: opts.readyRequiresFresh === true,
  });
  const app = createApp(rt, { ...(opts.exampleQuery ? { exampleQuery: opts.exampleQuery } : {}), monitoring });
  const running = await listen(app, fs.config.port);
  if (opts.metricsPort !== undefined && monitoring.metrics && !cluster.isWorker) await listenMetrics(monitoring.metrics, opts.metricsPort);
  closeOnSignals(running, async () => {
    await monitoring.close();
    await fs.close();
  });
  console.log(`featuregraph serving project "${fs.project}" at ${running.url} (GraphiQL in a browser)`);
  console.log(`  online store: ${fs.online.description}`);
  console.log(`  offline store and registry: ${fs.sql.description}`);
  return running;
};

export const registerServe = (program: Command) =>
  program
    .command('serve')
    .description('Serve the GraphQL API (GraphiQL at /graphql, /health, /ready)')
    .option('-p, --port <port>', 'port (default: PORT or 4000)', (v) => Number(v))
    .option('-w, --workers <n>', 'processes sharing the port (node:cluster); more than 1 needs DATABASE_URL', (v) => Number(v), 1)
    .option('--metrics-port <port>', 'serve Prometheus /metrics on its own loopback listener instead of the main port', (v) => Number(v))
    .option('--no-metrics', 'no Prometheus metrics')
    .option('--ready-requires-fresh', '/ready fails while a view breaches its freshness objective')
    .action(async (opts: { port?: number; workers: number; metricsPort?: number; metrics: boolean; readyRequiresFresh?: boolean }, cmd: Command) => {
      const extra = opts.port !== undefined ? { port: opts.port } : {};
      // The embedded PGlite database belongs to one process: workers need Postgres.
      if (opts.workers > 1 && !configFrom(cmd, extra).databaseUrl)
        throw new Error('--workers above 1 needs DATABASE_URL: the embedded PGlite store can only be opened by one process');
      // With workers, the primary aggregates every worker's metrics (for /metrics and --metrics-port).
      const aggregated = opts.workers > 1 && cluster.isPrimary && opts.metrics ? serveClusterMetrics() : null;
      if (aggregated && opts.metricsPort !== undefined) await listenMetrics(aggregated, opts.metricsPort);
      const serveOpts = { metrics: opts.metrics, readyRequiresFresh: opts.readyRequiresFresh === true, ...(opts.metricsPort !== undefined ? { metricsPort: opts.metricsPort } : {}) };
      const served = await serveWithWorkers({ workers: opts.workers }, async () => {
        const fs = await openFor(cmd, extra);
        try {
          return await serveStore(fs, serveOpts);
        } catch (err) {
          await fs.close();
          throw err;
        }
      });
      if (served.primary) console.log(`featuregraph: ${opts.workers} workers serving on port ${served.port}`);
    });
