import { openOfflineStore } from '../src/offline/index.js';
/**
 * A featuregraph server for bench/online-logging.ts: the real createApp + listen over Redis, with
 * FG_LOG_BENCH=on the served-feature log at sample rate 1, Prometheus metrics and JSON request logs
 * (production's `serve`), or with them off. Both run the compiled executor, as `serve` does: the two differ only by
 * monitoring.
 */
import { createApp } from '../src/server/app.js';
import { listen } from '../src/server/serve.js';
import { createRedisOnlineStore } from '../src/online/redis.js';
import { unappliedRegistry } from '../src/graphql/registry-info.js';
import { createPgClient } from '../src/sql/pg.js';
import { createPgliteClient } from '../src/sql/index.js';
import { createLogger, createServerMonitoring } from '../src/monitoring/index.js';
import { LOG_BENCH_PREFIX, loggingBenchRepository } from './online-logging-repo.js';

const project = process.env.FG_BENCH_PROJECT!;
const on = process.env.FG_LOG_BENCH === 'on';
const repo = loggingBenchRepository(project, on ? 1 : 0);
const online = createRedisOnlineStore({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', project, keyPrefix: LOG_BENCH_PREFIX });
const offline = process.env.DATABASE_URL ? createPgClient(process.env.DATABASE_URL, { max: 2 }) : await createPgliteClient();
const rt = { repo, online, offline: openOfflineStore(offline), registry: unappliedRegistry, now: Date.now };
// Logs go to stderr: stdout carries the port line and the final counts.
const monitoring = on ? createServerMonitoring(rt, { logger: createLogger({ destination: process.stderr, level: 'warn' }) }) : undefined;
const app = createApp(rt, { logging: false, ...(monitoring ? { monitoring } : {}) });
const running = await listen(app, 0, '127.0.0.1');
const addr = running.server.address();
// Which front reads requests off the socket: both servers must run the same one (docs/production.md).
const front = running.front.off === null ? 'node front' : `Yoga only (${running.front.off})`;
process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0, front })}\n`);
process.on('SIGTERM', async () => {
  await running.close();
  await monitoring?.servedLog?.flush();
  const text = monitoring?.metrics ? await monitoring.metrics.registry.metrics() : '';
  const pick = (name: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((s, l) => s + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  process.stdout.write(
    `${JSON.stringify({ logRows: pick('featuregraph_served_log_rows_total'), dropped: pick('featuregraph_served_log_dropped_total'), requests: pick('featuregraph_requests_total') })}\n`,
  );
  await monitoring?.close();
  await online.close();
  await offline.close();
  process.exit(0);
});
