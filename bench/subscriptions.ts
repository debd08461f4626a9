/**
 * Subscription delivery latency (docs/subscriptions.md): a `serve --workers 2 --production` server with API
 * keys (Redis online store, Postgres), one subscriber over SSE (graphql-sse) and one over WebSocket (graphql-ws),
 * and FG_BENCH_PUSHES pushes (default 1000), one at a time, each a `pushDriverStats` mutation on a new
 * connection, so the primary hands them to both workers in turn. Latency is from sending the push to the
 * change arriving at the subscriber (the push's own write included). Baseline: a bare Redis PUBLISH →
 * SUBSCRIBE round trip with ioredis, in this process. Target: p99 under 50 ms.
 * The last line printed is one JSON object with p50/p99 per transport and the ratio to the baseline.
 * Usage: npm run bench:subscriptions   (DATABASE_URL and REDIS_URL, defaults postgres://postgres@127.0.0.1:5432/test
 * and redis://127.0.0.1:6379)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { createPgClient } from '../src/sql/pg.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PUSHES = Number(process.env.FG_BENCH_PUSHES ?? 1000);
const project = `subbench_${randomBytes(4).toString('hex')}`;
const DEFS = join(import.meta.dirname, 'subscriptions-repo.ts');
const MAIN = join(import.meta.dirname, '../src/cli/main.ts');
const log = (s: string) => process.stdout.write(`${s}\n`);
const children: ChildProcess[] = [];

const cli = (args: string[], env: Record<string, string> = {}) => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--definitions', DEFS, '--project', project, ...args], {
    env: { ...process.env, DATABASE_URL, REDIS_URL, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise<number | null>((r) => child.on('exit', (c) => r(c))) };
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const round = (x: number) => Math.round(x * 100) / 100;

/** The floor: PUBLISH on one connection, SUBSCRIBE on another, one message at a time. */
const redisBaseline = async (n: number): Promise<number[]> => {
  const pub = new Redis(REDIS_URL);
  const sub = new Redis(REDIS_URL);
  const channel = `${project}:baseline`;
  await sub.subscribe(channel);
  const times: number[] = [];
  let waiting: ((t: number) => void) | null = null;
  sub.on('message', () => waiting?.(performance.now()));
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const got = new Promise<number>((r) => (waiting = r));
    await pub.publish(channel, JSON.stringify({ i, conv_rate: 0.5 }));
    times.push((await got) - t0);
  }
  pub.disconnect();
  sub.disconnect();
  return times;
};

const main = async () => {
  const apply = cli(['apply']);
  if ((await apply.exited) !== 0) throw new Error(apply.output());
  const keys = cli(['keys', 'create', '--name', 'bench', '--scopes', 'read:*,push:*']);
  if ((await keys.exited) !== 0) throw new Error(keys.output());
  const key = keys.output().trim().split('\n').at(-1)!.trim();
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = cli(['serve', '--workers', '2', '--production'], { PORT: String(port) });
  const until = Date.now() + 90_000;
  while (!/2 workers serving/.test(server.output())) {
    if (Date.now() > until || server.child.exitCode !== null) throw new Error(`server did not start:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const url = `http://127.0.0.1:${port}/graphql`;
  const auth = `Bearer ${key}`;
  const query =
    'subscription { driverStatsChanged(driverIds: ["1001"]) { driverId convRate avgDailyTrips eventTimestamp createdTimestamp } }';

  // Each arrival resolves the waiter of its trip count (avgDailyTrips carries the push's sequence number).
  const arrivals = { sse: new Map<number, number>(), ws: new Map<number, number>() };
  const waiters = new Map<string, () => void>();
  const arrived = (transport: 'sse' | 'ws') => (r: { data?: { driverStatsChanged?: { avgDailyTrips: number } } | null }) => {
    const n = r.data?.driverStatsChanged?.avgDailyTrips;
    if (n === undefined) return;
    arrivals[transport].set(n, performance.now());
    waiters.get(`${transport}:${n}`)?.();
  };
  const fail = (e: unknown) => {
    throw new Error(`subscription failed: ${JSON.stringify(e)}`);
  };
  const sse = createSseClient({ url, headers: { authorization: auth }, retryAttempts: 0 });
  const stopSse = sse.subscribe({ query }, { next: arrived('sse'), error: fail, complete: () => undefined });
  const ws = createWsClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: auth },
    retryAttempts: 0,
  });
  const stopWs = ws.subscribe({ query }, { next: arrived('ws'), error: fail, complete: () => undefined });

  let event = Date.now() - 86_400_000;
  const push = (n: number) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth, connection: 'close' },
      body: JSON.stringify({
        query: 'mutation P($rows: [DriverStatsRowInput!]!) { pushDriverStats(rows: $rows, to: ONLINE) { onlineWritten } }',
        variables: {
          rows: [{ driverId: '1001', eventTimestamp: new Date((event += 1000)).toISOString(), convRate: 0.5, avgDailyTrips: n }],
        },
      }),
    }).then(async (r) => {
      if (r.status !== 200) throw new Error(`push answered ${r.status}: ${await r.text()}`);
    });
  const both = (n: number, timeoutMs: number) =>
    Promise.race([
      Promise.all((['sse', 'ws'] as const).map((t) => new Promise<void>((r) => (arrivals[t].has(n) ? r() : waiters.set(`${t}:${n}`, r))))),
      new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs)),
    ]);

  // Warm up until both subscriptions are live (they deliver changes written after they start).
  let warm = -1;
  for (;;) {
    await push(warm);
    if ((await both(warm, 300)) !== 'timeout') break;
    if (--warm < -100) throw new Error('subscriptions did not go live');
  }
  // Warm the workers' code paths (JIT, connection pools) as a running deployment has them, then measure.
  const WARMUP = 200;
  const lat = { sse: [] as number[], ws: [] as number[] };
  const acked: number[] = [];
  let lost = 0;
  for (let n = -WARMUP - 200; n < PUSHES; n++) {
    if (n < 0 && n >= -200) continue; // numbers the live-check above may have used
    const t0 = performance.now();
    await push(n);
    const t1 = performance.now();
    const timedOut = (await both(n, 2000)) === 'timeout';
    if (n < 0) continue;
    if (timedOut) lost++;
    acked.push(t1 - t0);
    for (const t of ['sse', 'ws'] as const) {
      const at = arrivals[t].get(n);
      if (at !== undefined) lat[t].push(at - t0);
    }
  }
  stopSse();
  stopWs();
  sse.dispose();
  await ws.dispose();
  server.child.kill('SIGTERM');
  await server.exited;

  const base = await redisBaseline(PUSHES);
  const sql = createPgClient(DATABASE_URL);
  await sql.query(`DROP SCHEMA IF EXISTS "fg_${project}" CASCADE`);
  await sql.close();
  const redis = new Redis(REDIS_URL);
  const stale = await redis.keys(`fg:{${project}:*`);
  if (stale.length) await redis.del(...stale);
  redis.disconnect();

  const fig = {
    pushes: PUSHES,
    lost,
    sse_p50_ms: round(pct(lat.sse, 50)),
    sse_p99_ms: round(pct(lat.sse, 99)),
    ws_p50_ms: round(pct(lat.ws, 50)),
    ws_p99_ms: round(pct(lat.ws, 99)),
    p50_ms: round(pct([...lat.sse, ...lat.ws], 50)),
    p99_ms: round(pct([...lat.sse, ...lat.ws], 99)),
    push_ack_p50_ms: round(pct(acked, 50)),
    push_ack_p99_ms: round(pct(acked, 99)),
    redis_pubsub_p50_ms: round(pct(base, 50)),
    redis_pubsub_p99_ms: round(pct(base, 99)),
  };
  log(`delivery latency from sending a push to the subscriber, ${PUSHES} pushes through 2 workers (production mode, API keys):`);
  log(`  SSE        p50 ${fig.sse_p50_ms} ms  p99 ${fig.sse_p99_ms} ms`);
  log(`  WebSocket  p50 ${fig.ws_p50_ms} ms  p99 ${fig.ws_p99_ms} ms`);
  log(`  the push's own HTTP answer (new connection, mutation, Redis write)  p50 ${fig.push_ack_p50_ms} ms  p99 ${fig.push_ack_p99_ms} ms`);
  log(`  baseline (bare Redis PUBLISH → SUBSCRIBE)  p50 ${fig.redis_pubsub_p50_ms} ms  p99 ${fig.redis_pubsub_p99_ms} ms`);
  log(`  target p99 < 50 ms: ${fig.p99_ms < 50 && lost === 0 ? 'met' : 'MISSED'}`);
  log(JSON.stringify({ ...fig, p99_target_ms: 50, p99_ratio_vs_redis_pubsub: round(fig.p99_ms / fig.redis_pubsub_p99_ms) }));
};

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  });
