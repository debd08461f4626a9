import type { Command } from 'commander';
import { createApp } from '../../server/app.js';
import { servingRuntime } from '../../server/runtime.js';
import { closeOnSignals, listen } from '../../server/serve.js';
import { serveWithWorkers } from '../../server/workers.js';
import type { FeatureStore } from '../../feature-store.js';
import { configFrom, openFor } from '../context.js';
import { noteDataDirPort } from '../../sql/data-dir-lock.js';
import { createOnlineHealer } from '../../online/self-heal.js';

/** Serve a feature store until SIGTERM; prints the URL. */
export const serveStore = async (store: FeatureStore, opts: { exampleQuery?: string } = {}) => {
  // A Redis that comes back empty is noticed and re-materialized by the server itself (docs/writes.md).
  const healer = store.online.marker ? createOnlineHealer({ sql: store.sql, online: store.online, repo: store.repo }) : null;
  void healer?.check();
  const fs: FeatureStore = healer ? { ...store, online: healer.store, close: () => (healer.stop(), store.close()) } : store;
  const rt = await servingRuntime(fs);
  const app = createApp(rt, opts.exampleQuery ? { exampleQuery: opts.exampleQuery } : {});
  const running = await listen(app, fs.config.port);
  closeOnSignals(running, () => fs.close());
  // A second process on the same embedded data dir is told where this server is (data-dir-lock.ts).
  if (!fs.config.databaseUrl) noteDataDirPort(fs.config.dataDir, Number(new URL(running.url).port));
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
    .action(async (opts: { port?: number; workers: number }, cmd: Command) => {
      const extra = opts.port !== undefined ? { port: opts.port } : {};
      // The embedded PGlite database belongs to one process: workers need Postgres.
      if (opts.workers > 1 && !configFrom(cmd, extra).databaseUrl)
        throw new Error('--workers above 1 needs DATABASE_URL: the embedded PGlite store can only be opened by one process');
      const served = await serveWithWorkers({ workers: opts.workers }, async () => {
        const fs = await openFor(cmd, extra);
        try {
          return await serveStore(fs);
        } catch (err) {
          await fs.close();
          throw err;
        }
      });
      if (served.primary) console.log(`featuregraph: ${opts.workers} workers serving on port ${served.port}`);
    });
