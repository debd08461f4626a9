/**
 * Aggregation benchmark (issue 12): featuregraph against a hand-written floor, same Redis, same load
 * generator, each server in its own process.
 *
 * - Ingestion: raw events for 10,000 customers pushed in batches of 2,000 over HTTP (4 in flight):
 *   featuregraph's `POST /push/quote_stats` (validated, appended offline with event-id dedupe when the target
 *   includes OFFLINE, then into the Redis tiles) against the floor's `POST /events` (one pipelined ZADD NX per
 *   event, nothing else). events/s per target.
 * - Reads: a 3-window query (counts over 5 minutes, 1 hour, 1 day of one customer) at a fixed 1,000
 *   requests/s (open loop): p50/p99, and Redis round trips per request (socket writes to Redis, counted in
 *   each server process by bench/online-redis-counter.ts). The floor answers the same counts exactly with
 *   three ZCOUNTs in one EVAL.
 * - GC during featuregraph's read pass (bench/gc-stats.ts): scavenges, their pauses and how much the old
 *   generation grew per scavenge, the cause of the p99 tail that is featuregraph's own.
 * The last line printed is one JSON object. Usage: npm run bench:aggregations (REDIS_URL, default
 * redis://127.0.0.1:6379; DATABASE_URL for a Postgres offline store, else in-memory PGlite in the server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { compiled } from './compiled.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { benchEvent, ENTITIES, KEY_PREFIX, QUERY, VIEW } from './aggregations-repo.js';
import { createPgClient } from '../src/sql/pg.js';
import { DEFAULT_WORKER_FLAGS } from '../src/server/workers.js';
import type { GcStats } from './gc-stats.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVENTS = Number(process.env.FG_BENCH_EVENTS ?? 100_000);
const BATCH = 2000;
const IN_FLIGHT = 4;
const RATE = 1000;
const SECONDS = Number(process.env.FG_BENCH_OPEN_SECONDS ?? 8);
const project = `aggbench_${randomBytes(4).toString('hex')}`;
const log = (s: string) => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Servers run with the Node flags `serve` gives its workers (DEFAULT_WORKER_FLAGS), as bench:online does;
// FG_BENCH_SERVER_FLAGS adds more (e.g. `--cpu-prof`) to the servers only.
const SERVER_FLAGS = [...DEFAULT_WORKER_FLAGS, ...(process.env.FG_BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean)];
const nodeArgs = (file: string, counter?: string) => [
  ...(counter ? SERVER_FLAGS : []),
  ...(counter ? ['--import', `./${compiled('bench/online-redis-counter.ts')}`, '--import', `./${compiled('bench/gc-stats.ts')}`] : []),
  compiled(file),
];
const GC_STATS = join(mkdtempSync(join(tmpdir(), 'fg-agg-gc-')), 'featuregraph.json');
const redisPort = new URL(REDIS_URL).port || '6379';

const start = async (file: string, counterKey: string, gcStats?: string): Promise<{ child: ChildProcess; url: string }> => {
  const child = spawn(process.execPath, nodeArgs(file, counterKey), {
    env: {
      ...process.env,
      FG_BENCH_PROJECT: project,
      FG_BENCH_COUNTER_KEY: counterKey,
      FG_BENCH_REDIS_PORT: redisPort,
      ...(gcStats ? { FG_BENCH_GC_STATS: gcStats } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (l) => resolve((JSON.parse(l) as { port: number }).port));
  });
  return { child, url: `http://127.0.0.1:${port}` };
};

const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(3000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
};

/** Push `EVENTS` events in batches, IN_FLIGHT at once; events/s. */
const ingest = async (url: string, run: string, now: number): Promise<{ eventsPerS: number; written: number }> => {
  let next = 0;
  let written = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < EVENTS) {
      const from = next;
      next += BATCH;
      const events = Array.from({ length: Math.min(BATCH, EVENTS - from) }, (_, i) => benchEvent(from + i, now, run));
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
      if (!res.ok) throw new Error(`push failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { onlineWritten?: number };
      written += body.onlineWritten ?? events.length;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { eventsPerS: Math.round(EVENTS / ((performance.now() - t0) / 1000)), written };
};

const openLoop = (url: string, bodies: string[]): Promise<{ sent: number; p50Ms: number; p99Ms: number; errors: number }> => {
  const dir = mkdtempSync(join(tmpdir(), 'fg-agg-'));
  const file = join(dir, 'bodies.json');
  writeFileSync(file, JSON.stringify(bodies));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs('bench/online-open-loop.ts'), url, file, String(RATE), '2', String(SECONDS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').at(-1)!));
      else reject(new Error(`open-loop generator exited with ${code}`));
    });
  });
};

const redis = new Redis(REDIS_URL, { protocol: 2 });
const counter = (k: string) => redis.get(k).then((v) => Number(v ?? 0));
const FG_COUNTER = `${KEY_PREFIX}${project}:fg-writes`;
const FLOOR_COUNTER = `${KEY_PREFIX}${project}:floor-writes`;

const fg = await start('bench/aggregations-server.ts', FG_COUNTER, GC_STATS);
const floor = await start('bench/aggregations-floor.ts', FLOOR_COUNTER);
try {
  const now = Date.now();
  log(`aggregation bench: ${EVENTS} events per run over ${ENTITIES} customers, batches of ${BATCH}, ${IN_FLIGHT} in flight`);
  const both = await ingest(`${fg.url}/push/${VIEW}?to=ONLINE_AND_OFFLINE`, 'a', now);
  log(`  featuregraph push ONLINE_AND_OFFLINE: ${both.eventsPerS} events/s (${both.written} new online)`);
  const onlineOnly = await ingest(`${fg.url}/push/${VIEW}?to=ONLINE`, 'b', now);
  log(`  featuregraph push ONLINE:             ${onlineOnly.eventsPerS} events/s (${onlineOnly.written} new online)`);
  const replay = await ingest(`${fg.url}/push/${VIEW}?to=ONLINE`, 'b', now);
  log(`  featuregraph replay of the ONLINE run: ${replay.eventsPerS} events/s, ${replay.written} counted again (must be 0)`);
  const floorIn = await ingest(`${floor.url}/events`, 'a', now);
  await ingest(`${floor.url}/events`, 'b', now);
  log(`  floor ZADD NX pipeline:               ${floorIn.eventsPerS} events/s`);

  // The same answer from both (the floor counts the raw sorted set; featuregraph its tiles and edges).
  const ids = Array.from({ length: 512 }, (_, i) => `C${(i * 37) % ENTITIES}`);
  const fgOne = (await (
    await fetch(`${fg.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { id: ids[0] } }),
    })
  ).json()) as {
    data: { customer: { quoteStats: Record<string, number> } };
  };
  const floorOne = (await (await fetch(floor.url, { method: 'POST', body: JSON.stringify({ id: ids[0] }) })).json()) as Record<
    string,
    number
  >;
  const agree = JSON.stringify(fgOne.data.customer.quoteStats) === JSON.stringify(floorOne);
  log(
    `  ${ids[0]}: featuregraph ${JSON.stringify(fgOne.data.customer.quoteStats)}, floor ${JSON.stringify(floorOne)}${agree ? '' : '  (DIFFERENT)'}`,
  );

  const read = async (name: string, url: string, bodies: string[], counterKey: string) => {
    const before = await counter(counterKey);
    const r = await openLoop(url, bodies);
    await sleep(300);
    const rt = ((await counter(counterKey)) - before) / r.sent;
    log(
      `  ${name}: p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms at ${RATE} req/s, ${rt.toFixed(2)} Redis round trips per request, ${r.errors} errors`,
    );
    return { ...r, roundtrips: Number(rt.toFixed(2)) };
  };
  fg.child.kill('SIGUSR2'); // gc-stats.ts records from here
  const fgRead = await read(
    'featuregraph 3-window query',
    `${fg.url}/graphql`,
    ids.map((id) => JSON.stringify({ query: QUERY, variables: { id } })),
    FG_COUNTER,
  );
  // Stopped now, so that its GC figures are written (on SIGTERM) and the floor's read runs alone.
  await stop(fg.child);
  const gc = existsSync(GC_STATS) ? (JSON.parse(readFileSync(GC_STATS, 'utf8')) as GcStats) : null;
  if (gc)
    log(
      `  featuregraph GC during its reads: ${gc.scavenges} scavenges, pause mean ${gc.scavenge_pause_ms_mean} ms (max ${gc.scavenge_pause_ms_max}), old generation +${gc.old_growth_kb_per_scavenge} KB per scavenge, ${gc.full_gcs} full GCs`,
    );
  const floorRead = await read(
    'floor 3 ZCOUNTs         ',
    floor.url,
    ids.map((id) => JSON.stringify({ id })),
    FLOOR_COUNTER,
  );

  log(
    JSON.stringify({
      events_per_s: onlineOnly.eventsPerS,
      events_per_s_online_and_offline: both.eventsPerS,
      replayed_events_counted: replay.written,
      roundtrips_per_request: fgRead.roundtrips,
      p99_ms_at_1k_rps: Number(fgRead.p99Ms.toFixed(2)),
      p50_ms_at_1k_rps: Number(fgRead.p50Ms.toFixed(2)),
      read_errors: fgRead.errors,
      same_answer_as_floor: agree,
      floor: {
        events_per_s: floorIn.eventsPerS,
        roundtrips_per_request: floorRead.roundtrips,
        p99_ms_at_1k_rps: Number(floorRead.p99Ms.toFixed(2)),
      },
      events_ratio_vs_floor: Number((onlineOnly.eventsPerS / floorIn.eventsPerS).toFixed(2)),
      p99_ratio_vs_floor: Number((fgRead.p99Ms / floorRead.p99Ms).toFixed(2)),
      gc,
    }),
  );
} finally {
  await stop(fg.child);
  await stop(floor.child);
  rmSync(dirname(GC_STATS), { recursive: true, force: true });
  // Remove the run's keys and, on Postgres, its schema.
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${KEY_PREFIX}*${project}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.pipeline(keys.map((k) => ['unlink', k])).exec();
  } while (cursor !== '0');
  await redis.quit();
  if (process.env.DATABASE_URL) {
    const sql = createPgClient(process.env.DATABASE_URL);
    await sql.query(`DROP SCHEMA IF EXISTS "fg_${project}" CASCADE`);
    await sql.close();
  }
}
