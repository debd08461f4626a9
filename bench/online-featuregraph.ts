/**
 * featuregraph serve, as the CLI runs it: the real createApp + listen over the Redis online store.
 * Run as a child of bench/online.ts. The offline store is an in-memory PGlite (the benchmark reads only
 * online values; it answers /ready).
 */
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/serve.js';
import { createRedisOnlineStore } from '../src/online/redis.js';
import { unappliedRegistry } from '../src/graphql/registry-info.js';
import { createPgliteClient } from '../src/sql/pglite.js';
import { benchRepository, KEY_PREFIX } from './online-repo.js';
import { announce, benchEnv } from './online-server-env.js';

const { project, redisUrl } = benchEnv();
const repo = benchRepository(project);
const online = createRedisOnlineStore({ url: redisUrl, project, keyPrefix: KEY_PREFIX });
const offline = await createPgliteClient();
const app = createApp({ repo, online, offline, registry: unappliedRegistry, now: Date.now }, { logging: false });
const running = await listen(app, 0, '127.0.0.1');
announce(running.server);
process.on('SIGTERM', () => process.exit(0));
