import type { Command } from 'commander';
import { createApp } from '../../server/app.js';
import { servingRuntime } from '../../server/runtime.js';
import { closeOnSignals, listen } from '../../server/serve.js';
import type { FeatureStore } from '../../feature-store.js';
import { openFor } from '../context.js';

/** Serve a feature store until SIGTERM; prints the URL. */
export const serveStore = async (fs: FeatureStore, opts: { exampleQuery?: string } = {}) => {
  const rt = await servingRuntime(fs);
  const app = createApp(rt, opts.exampleQuery ? { exampleQuery: opts.exampleQuery } : {});
  const running = await listen(app, fs.config.port);
  closeOnSignals(running, () => fs.close());
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
    .action(async (opts: { port?: number }, cmd: Command) => {
      const fs = await openFor(cmd, opts.port !== undefined ? { port: opts.port } : {});
      try {
        await serveStore(fs);
      } catch (err) {
        await fs.close();
        throw err;
      }
    });
