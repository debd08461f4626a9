/**
 * featuregraph serve, as the CLI runs it: the real createApp + listen over the Redis online store, in
 * FG_BENCH_WORKERS node:cluster workers (serveWithWorkers, as `serve --workers`). Run as a child of
 * bench/online.ts. The offline store is Postgres when DATABASE_URL is set (as with --workers), else an
 * in-memory PGlite; the benchmark reads only online values (the offline store answers /ready).
 */
import { openOfflineStore } from '../src/offline/index.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/serve.js';
import { serveWithWorkers } from '../src/server/workers.js';
import { createRedisOnlineStore } from '../src/online/redis.js';
import { unappliedRegistry } from '../src/graphql/registry-info.js';
import { createPgClient } from '../src/sql/pg.js';
import { createPgliteClient } from '../src/sql/index.js';
import { benchRepository, KEY_PREFIX } from './online-repo.js';
import { benchEnv } from './online-server-env.js';
import { ALLOWED_ORIGIN, benchManifest } from './online-cases.js';
import { trustedDocuments } from '../src/server/trusted-documents.js';
import { allowArbitraryOperations, createApiKey, hashSecret, openKeyLookup } from '../src/auth/index.js';
import { keysTable } from '../src/auth/key-store.js';
import { useApiKeys } from '../src/server/plugins/use-api-keys.js';
import { BENCH_ADHOC_KEY, BENCH_KEY } from './online-cases.js';
import type { SqlClient } from '../src/sql/client.js';

const { project, redisUrl } = benchEnv();

/** The project with an active key whose secret is BENCH_KEY (stored hashed, as `keys create` stores it). */
const withBenchKey = async (sql: SqlClient, p: string): Promise<string> => {
  // createApiKey makes the table; the bench's own fixed secret is then added beside that key.
  await createApiKey(sql, p, { name: `bench-${process.pid}`, scopes: ['read:*'], createdBy: 'bench' });
  await sql.query(
    `INSERT INTO ${keysTable(p)} (name, secret_hash, scopes, created_by) VALUES ('bench', $1, '["read:*"]'::jsonb, 'bench') ON CONFLICT DO NOTHING`,
    [hashSecret(BENCH_KEY)],
  );
  await sql.query(
    `INSERT INTO ${keysTable(p)} (name, secret_hash, scopes, created_by) VALUES ('bench-adhoc', $1, '["read:*","adhoc"]'::jsonb, 'bench') ON CONFLICT DO NOTHING`,
    [hashSecret(BENCH_ADHOC_KEY)],
  );
  return p;
};
const workers = Number(process.env.FG_BENCH_WORKERS ?? 1);

// The bench gives every server the same Node flags, so the workers get no extra ones.
const served = await serveWithWorkers({ workers, nodeFlags: [] }, async () => {
  const repo = benchRepository(project);
  const online = createRedisOnlineStore({ url: redisUrl, project, keyPrefix: KEY_PREFIX });
  const sql = process.env.DATABASE_URL ? createPgClient(process.env.DATABASE_URL, { max: 2 }) : await createPgliteClient();
  const offline = openOfflineStore(sql);
  // API keys on, as `serve` runs with them: the clients send BENCH_KEY, the floor checks the same key.
  const keys = await openKeyLookup({ sql, project: await withBenchKey(sql, project) });
  // Production policies on: production mode, limits and key cap (defaults), trusted documents only, CORS for
  // one origin. FG_BENCH_COMPILED=0 runs graphql-js execute instead (to measure what graphql-jit buys).
  const app = createApp(
    { repo, online, offline, registry: unappliedRegistry, now: Date.now },
    {
      logging: false,
      production: true,
      corsOrigins: [ALLOWED_ORIGIN],
      // As `serve --trusted-documents` runs: a key with the `adhoc` scope may still send any document.
      trustedDocuments: { documents: trustedDocuments(benchManifest()), only: true, allowArbitraryOperations },
      compiled: process.env.FG_BENCH_COMPILED !== '0',
      plugins: [useApiKeys({ keys, repo })],
    },
  );
  return listen(app, 0, '127.0.0.1');
});
if (served.primary) process.stdout.write(`${JSON.stringify({ port: served.port, pid: process.pid })}\n`);
else if (workers <= 1) {
  const addr = served.running.server.address();
  // Which front reads requests off the socket (docs/production.md, "One pipeline, two fronts").
  const front = served.running.front.off === null ? 'node front' : `Yoga only (${served.running.front.off})`;
  process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0, pid: process.pid, front })}\n`);
  process.on('SIGTERM', () => process.exit(0));
} else process.on('SIGTERM', () => process.exit(0));
