import cluster from 'node:cluster';
import type { Command } from 'commander';
import { checkKeysBeforeForking, keysForServing } from '../../auth/serving-keys.js';
import { createApp } from '../../server/app.js';
import { useApiKeys } from '../../server/plugins/use-api-keys.js';
import { servingRuntime } from '../../server/runtime.js';
import { closeOnSignals, listen } from '../../server/serve.js';
import { serveWithWorkers } from '../../server/workers.js';
import type { FeatureStore } from '../../feature-store.js';
import { configFrom, openFor } from '../context.js';

export interface ServeStoreOptions {
  readonly exampleQuery?: string;
  /** Serve without API keys even if the project has some (the demo). */
  readonly open?: boolean;
  /** Start without API keys when the project has none; otherwise that is refused (docs/auth.md). */
  readonly allowAnonymous?: boolean;
  /** Interface to bind; default all. */
  readonly host?: string;
}

/** Serve a feature store until SIGTERM; prints the URL. */
export const serveStore = async (fs: FeatureStore, opts: ServeStoreOptions = {}) => {
  const rt = await servingRuntime(fs);
  const keys = opts.open ? null : await keysForServing(fs.sql, fs.project, { allowAnonymous: opts.allowAnonymous === true });
  const app = createApp(rt, {
    ...(opts.exampleQuery ? { exampleQuery: opts.exampleQuery } : {}),
    ...(keys ? { plugins: [useApiKeys({ keys, repo: rt.repo })] } : {}),
  });
  const running = await listen(app, fs.config.port, opts.host);
  closeOnSignals(running, async () => {
    await keys?.close();
    await fs.close();
  });
  const url = opts.host ? running.url.replace('//localhost:', `//${opts.host}:`) : running.url;
  console.log(`featuregraph serving project "${fs.project}" at ${url} (GraphiQL in a browser)`);
  console.log(`  online store: ${fs.online.description}`);
  console.log(`  offline store and registry: ${fs.sql.description}`);
  if (keys) console.log(`  API keys: ${keys.size} active; requests need one (Authorization: Bearer <key>)`);
  else console.log(`  anonymous: no API key needed, every feature readable and pushable${opts.host ? `; bound to ${opts.host} only` : ''}`);
  return { ...running, url };
};

export const registerServe = (program: Command) =>
  program
    .command('serve')
    .description('Serve the GraphQL API (GraphiQL at /graphql, /health, /ready)')
    .option('-p, --port <port>', 'port (default: PORT or 4000)', (v) => Number(v))
    .option('-w, --workers <n>', 'processes sharing the port (node:cluster); more than 1 needs DATABASE_URL', (v) => Number(v), 1)
    .option('--allow-anonymous', 'serve without authentication when the project has no API keys (otherwise refused)')
    .action(async (opts: { port?: number; workers: number; allowAnonymous?: boolean }, cmd: Command) => {
      const extra = opts.port !== undefined ? { port: opts.port } : {};
      const config = configFrom(cmd, extra);
      // The embedded PGlite database belongs to one process: workers need Postgres.
      if (opts.workers > 1 && !config.databaseUrl)
        throw new Error('--workers above 1 needs DATABASE_URL: the embedded PGlite store can only be opened by one process');
      // Refuse in the primary, once, rather than in every worker.
      if (opts.workers > 1 && cluster.isPrimary) await checkKeysBeforeForking(config, opts.allowAnonymous === true);
      const served = await serveWithWorkers({ workers: opts.workers }, async () => {
        const fs = await openFor(cmd, extra);
        try {
          return await serveStore(fs, { allowAnonymous: opts.allowAnonymous === true });
        } catch (err) {
          await fs.close();
          throw err;
        }
      });
      if (served.primary) console.log(`featuregraph: ${opts.workers} workers serving on port ${served.port}`);
    });
