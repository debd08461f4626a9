/**
 * Served-feature logging benchmark: requests/s of a feature-service query (10 entities × 2 views) against the
 * same server with and without monitoring (served-feature log at sample rate 1 + Prometheus metrics + JSON
 * logs), in alternating runs, each server in its own process, over the same Redis data. A closed-loop load
 * generator (keep-alive HTTP, FG_BENCH_CONNECTIONS concurrent) runs in this process. Also checks that the
 * logging server logged a row per served entity. The last line printed is one JSON object with
 * `logging_ratio_vs_no_logging` (requests/s with logging ÷ without).
 * Usage: npm run bench:online-logging   (REDIS_URL, DATABASE_URL optional; FG_BENCH_SECONDS per run, default 5;
 * FG_BENCH_ROUNDS alternations, default 3)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { compiled } from './compiled.js';
import { DEFAULT_WORKER_FLAGS } from '../src/server/workers.js';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { createRedisOnlineStore } from '../src/online/redis.js';
import { treeCpuMs } from './online-cpu.js';
import { LOG_BENCH_ENTITIES, LOG_BENCH_PREFIX, loggingBenchRepository } from './online-logging-repo.js';
import { benchRows } from './online-repo.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.FG_BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.FG_BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.FG_BENCH_CONNECTIONS ?? 16);
const IDS_PER_REQUEST = 10;
const project = `logbench_${randomBytes(4).toString('hex')}`;
const log = (s: string) => process.stdout.write(`${s}\n`);

const QUERY = `query Dispatch($ids: [ID!]!) { dispatchV1s(driverIds: $ids) {
  driverStats { convRate accRate avgDailyTrips eventTimestamp } driverQuality { rating complaints30d } } }`;
let seed = 1;
const body = () => {
  const ids = Array.from({ length: IDS_PER_REQUEST }, () => String(1 + ((seed = (seed * 48271) % 2147483647) % LOG_BENCH_ENTITIES)));
  return JSON.stringify({ query: QUERY, variables: { ids }, operationName: 'Dispatch' });
};
const BODIES = Array.from({ length: 256 }, body);

const start = async (on: boolean): Promise<{ child: ChildProcess; port: number; lines: AsyncIterator<string> }> => {
  const child = spawn(
    process.execPath,
    [
      ...DEFAULT_WORKER_FLAGS,
      ...(process.env.FG_BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean),
      compiled('bench/online-logging-server.ts'),
    ],
    {
      env: { ...process.env, FG_BENCH_PROJECT: project, FG_LOG_BENCH: on ? 'on' : 'off' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('server exited before listening');
  const hello = JSON.parse(first.value) as { port: number; front?: string };
  log(`${on ? 'logging + metrics' : 'no logging'} server: ${hello.front ?? 'front not reported'}`);
  return { child, port: hello.port, lines };
};

const stop = async (s: { child: ChildProcess; lines: AsyncIterator<string> }) => {
  s.child.kill('SIGTERM');
  const last = await s.lines.next();
  await new Promise((r) => s.child.once('exit', r));
  return last.done ? null : (JSON.parse(last.value) as { logRows: number; dropped: number; requests: number });
};

/** Closed loop: CONNECTIONS requests in flight for `seconds`; completed requests per second and server CPU per request. */
const load = async (port: number, seconds: number, pid: number): Promise<{ rps: number; cpuUs: number }> => {
  const cpu0 = treeCpuMs(pid);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  const one = (b: string) =>
    new Promise<void>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(b) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) done++;
            else failed++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(b);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      for (let i = c; performance.now() < deadline; i += CONNECTIONS) await one(BODIES[i % BODIES.length]!);
    }),
  );
  agent.destroy();
  if (failed) throw new Error(`${failed} requests failed`);
  return { rps: done / ((performance.now() - t0) / 1000), cpuUs: ((treeCpuMs(pid) - cpu0) * 1000) / done };
};

const repo = loggingBenchRepository(project, 1);
const store = createRedisOnlineStore({ url: REDIS_URL, project, keyPrefix: LOG_BENCH_PREFIX });
try {
  const now = Date.now();
  for (const view of repo.views)
    for (let i = 1; i <= LOG_BENCH_ENTITIES; i += 5000)
      await store.write(view, benchRows(view, i, Math.min(LOG_BENCH_ENTITIES + 1, i + 5000), now));
  log(
    `loaded ${LOG_BENCH_ENTITIES} drivers × ${repo.views.length} views; ${ROUNDS} rounds of ${SECONDS} s per server, ${CONNECTIONS} connections`,
  );
  const rates = { off: [] as number[], on: [] as number[] };
  const cpu = { off: [] as number[], on: [] as number[] };
  let logged = { logRows: 0, dropped: 0, requests: 0 };
  for (let round = 0; round < ROUNDS; round++)
    for (const mode of round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
      const s = await start(mode === 'on');
      await load(s.port, 1, s.child.pid!); // warm-up
      const { rps, cpuUs } = await load(s.port, SECONDS, s.child.pid!);
      cpu[mode].push(cpuUs);
      const counts = await stop(s);
      if (mode === 'on' && counts)
        logged = {
          logRows: logged.logRows + counts.logRows,
          dropped: logged.dropped + counts.dropped,
          requests: logged.requests + counts.requests,
        };
      rates[mode].push(rps);
      log(
        `round ${round + 1} ${mode === 'on' ? 'logging + metrics' : 'no logging       '}: ${rps.toFixed(0)} requests/s, ${cpuUs.toFixed(0)} µs server CPU per request`,
      );
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const off = median(rates.off);
  const on = median(rates.on);
  // Every served entity of every request (warm-up included) must be a log row, written or counted as dropped.
  const accounted = logged.logRows + logged.dropped === logged.requests * IDS_PER_REQUEST;
  log(`logged ${logged.logRows} rows for ${logged.requests} requests, dropped ${logged.dropped}${accounted ? '' : ' (MISMATCH)'}`);
  log(
    JSON.stringify({
      bench: 'online-logging',
      requests_per_s_no_logging: Math.round(off),
      requests_per_s_logging: Math.round(on),
      logging_ratio_vs_no_logging: Number((on / off).toFixed(3)),
      cpu_us_per_request_no_logging: Math.round(median(cpu.off)),
      cpu_us_per_request_logging: Math.round(median(cpu.on)),
      // On a loaded machine requests/s is noise; server CPU per request is not (no_logging ÷ logging).
      cpu_ratio_vs_no_logging: Number((median(cpu.off) / median(cpu.on)).toFixed(3)),
      log_rows_written: logged.logRows,
      log_rows_dropped: logged.dropped,
      log_rows_accounted: accounted,
    }),
  );
} finally {
  await store.deleteProjectKeys();
  await store.close();
  if (process.env.DATABASE_URL) {
    const { createPgClient } = await import('../src/sql/pg.js');
    const sql = createPgClient(process.env.DATABASE_URL);
    await sql.query(`DROP SCHEMA IF EXISTS "fg_${project}" CASCADE`);
    await sql.close();
  }
}
