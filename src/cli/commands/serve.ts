import type { Command } from 'commander';
import { createApp, type AppOptions } from '../../server/app.js';
import { servingRuntime } from '../../server/runtime.js';
import { closeOnSignals, listen } from '../../server/serve.js';
import { serveWithWorkers } from '../../server/workers.js';
import type { FeatureStore } from '../../feature-store.js';
import { configFrom, openFor } from '../context.js';
import { readTrustedDocuments } from '../../server/trusted-documents.js';

interface ServeFlags {
  port?: number;
  workers: number;
  production?: boolean;
  graphiql?: boolean;
  trustedDocuments?: string;
  maxKeys?: number;
  host?: string;
}

/** The flags as app options (docs/production.md lists every default). */
const appOptionsFrom = (f: ServeFlags): AppOptions & { host?: string } => ({
  ...(f.production ? { production: true } : {}),
  ...(f.graphiql ? { graphiql: true } : {}),
  ...(f.trustedDocuments ? { trustedDocuments: { documents: readTrustedDocuments(f.trustedDocuments), only: true } } : {}),
  ...(f.maxKeys !== undefined ? { limits: { maxKeys: f.maxKeys } } : {}),
  ...(f.host ? { host: f.host } : {}),
});

/** Serve a feature store until SIGTERM; prints the URL. `host` undefined listens on all interfaces. */
export const serveStore = async (fs: FeatureStore, opts: AppOptions & { host?: string } = {}) => {
  const rt = await servingRuntime(fs);
  const { host, ...appOptions } = opts;
  const app = createApp(rt, appOptions);
  const running = await listen(app, fs.config.port, host);
  closeOnSignals(running, () => fs.close());
  const production = appOptions.production ?? process.env.NODE_ENV === 'production';
  const graphiql = appOptions.graphiql ?? !production;
  console.log(
    `featuregraph serving project "${fs.project}" at ${running.url}${graphiql ? ' (GraphiQL in a browser)' : ''}${host ? `, bound to ${host} only` : ''}${production ? ', production mode' : ''}`,
  );
  const trusted = appOptions.trustedDocuments;
  if (trusted) console.log(`  trusted documents: ${trusted.documents.texts.size} forms, ${trusted.documents.byId.size} ids${trusted.only === false ? ', other documents allowed' : ', nothing else runs'}`);
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
    .option('--production', 'production mode (also NODE_ENV=production): no introspection, no suggestions, no GraphiQL')
    .option('--graphiql', 'serve GraphiQL (compressed) in production mode too')
    .option('--trusted-documents <file>', 'persisted-documents manifest (codegen); only these documents run')
    .option('--max-keys <n>', 'entity keys one request may read (default 1000)', (v) => Number(v))
    .option('--host <host>', 'interface to bind (default: all)')
    .action(async (opts: ServeFlags, cmd: Command) => {
      const extra = opts.port !== undefined ? { port: opts.port } : {};
      // The embedded PGlite database belongs to one process: workers need Postgres.
      if (opts.workers > 1 && !configFrom(cmd, extra).databaseUrl)
        throw new Error('--workers above 1 needs DATABASE_URL: the embedded PGlite store can only be opened by one process');
      const served = await serveWithWorkers({ workers: opts.workers }, async () => {
        const fs = await openFor(cmd, extra);
        try {
          return await serveStore(fs, appOptionsFrom(opts));
        } catch (err) {
          await fs.close();
          throw err;
        }
      });
      if (served.primary) console.log(`featuregraph: ${opts.workers} workers serving on port ${served.port}`);
    });
