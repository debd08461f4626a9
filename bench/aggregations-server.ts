/**
 * featuregraph serving the aggregation benchmark's repository over the Redis online store (a child of
 * bench/aggregations.ts): createApp + listen in production mode, offline store on Postgres when DATABASE_URL
 * is set (push appends there), else an in-memory PGlite.
 */
import { openOfflineStore } from '../src/offline/index.js';
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/serve.js';
import { createRedisOnlineStore } from '../src/online/redis.js';
import { unappliedRegistry } from '../src/graphql/registry-info.js';
import { createPgClient } from '../src/sql/pg.js';
import { createPgliteClient } from '../src/sql/pglite.js';
import { applyRepository } from '../src/registry/index.js';
import { benchDefinitions, benchRepository, KEY_PREFIX } from './aggregations-repo.js';
import { announce, benchEnv } from './online-server-env.js';

const { project, redisUrl } = benchEnv();
const repo = benchRepository(project);
const online = createRedisOnlineStore({ url: redisUrl, project, keyPrefix: KEY_PREFIX });
const sql = process.env.DATABASE_URL ? createPgClient(process.env.DATABASE_URL, { max: 4 }) : await createPgliteClient();
await applyRepository(sql, benchDefinitions(project), { project });
const app = createApp(
  { repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now },
  { logging: false, production: true },
);
const running = await listen(app, 0, '127.0.0.1');
announce(running.server);
process.on('SIGTERM', () => process.exit(0));
