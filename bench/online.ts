/**
 * Online serving benchmark (issue 3): featuregraph serve against a hand-written node:http floor and a naive
 * GraphQL server (one Redis call per entity per view), same Redis data (100k entities × 3 views), same
 * load generator (wrk, closed loop), each server in its own process. Cases: 1×1, 1×3, 100×2 (entities ×
 * views); requests/s, p50, p99, Redis round trips and commands per request; then p99 at a fixed 1,000
 * requests/s (open loop) for the 1-entity case. The last line printed is one JSON object.
 * Usage: npm run bench:online   (REDIS_URL, default redis://127.0.0.1:6379; needs wrk: apt-get install -y wrk)
 * With DATABASE_URL set, featuregraph's offline store is Postgres, as in a Redis deployment; without it, an
 * in-memory PGlite, whose large heap makes featuregraph's garbage collection (and p99) noticeably worse.
 * FG_BENCH_SECONDS (default 5) sets each measured run's length.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { compiled } from './compiled.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createRedisOnlineStore } from '../src/online/redis.js';
import { benchRepository, benchRows, ENTITIES, KEY_PREFIX } from './online-repo.js';
import {
  BENCH_ADHOC_KEY,
  BENCH_KEY,
  CASES,
  SHAPES,
  floorBody,
  graphqlBody,
  idLists,
  leafValues,
  type BenchCase,
  type Shape,
} from './online-cases.js';
import { assertWrk, runWrk, writeWrkScript, type WrkResult } from './online-wrk.js';
import { treeCpuMs } from './online-cpu.js';
import { DEFAULT_WORKER_FLAGS } from '../src/server/workers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.FG_BENCH_SECONDS ?? 4);
const WARMUP_SECONDS = 1;
const CONNECTIONS = 32;
const BODIES = 512;
const FIXED_RATE = 1000;
// Long enough that p99 rests on 80 samples, not a handful.
const OPEN_LOOP_SECONDS = Number(process.env.FG_BENCH_OPEN_SECONDS ?? 8);
// Every request carries the API key (the floor checks it; featuregraph will once API keys are on).
const AUTH = { authorization: `Bearer ${BENCH_KEY}` };
const SEQUENTIAL = 50;

interface ServerSpec {
  readonly name: string;
  readonly entry: string;
  readonly path: string;
  readonly body: (c: BenchCase, ids: readonly string[]) => string;
  readonly env?: Record<string, string>;
}

const ALL_SERVERS: readonly ServerSpec[] = [
  { name: 'floor', entry: 'bench/online-floor.ts', path: '/features', body: floorBody },
  { name: 'naive', entry: 'bench/online-naive.ts', path: '/graphql', body: graphqlBody },
  { name: 'featuregraph', entry: 'bench/online-featuregraph.ts', path: '/graphql', body: graphqlBody },
  // The same two with 2 node:cluster workers each (`serve --workers 2`): on 2 cores shared with wrk and Redis.
  { name: 'floor x2', entry: 'bench/online-floor.ts', path: '/features', body: floorBody, env: { FG_BENCH_WORKERS: '2' } },
  { name: 'featuregraph x2', entry: 'bench/online-featuregraph.ts', path: '/graphql', body: graphqlBody, env: { FG_BENCH_WORKERS: '2' } },
];
/**
 * Every server runs with the same Node flags: the young-generation size `serve --workers` gives its workers
 * (DEFAULT_WORKER_FLAGS). Per-request garbage dies young; the default 16 MiB semi-spaces scavenge and promote
 * too often under load (featuregraph's CPU per 100-entity request fell by a third, the floor's by 7%).
 */
// FG_BENCH_SERVER_FLAGS adds Node flags to the servers only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` while tuning).
const NODE_FLAGS = [...DEFAULT_WORKER_FLAGS];
const SERVER_FLAGS = (process.env.FG_BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
// FG_BENCH_SERVERS=floor,featuregraph runs a subset (while tuning); the JSON then lacks the missing ratios.
const SERVERS = process.env.FG_BENCH_SERVERS
  ? ALL_SERVERS.filter((s) => process.env.FG_BENCH_SERVERS!.split(',').includes(s.name))
  : ALL_SERVERS;

interface CaseResult extends WrkResult {
  readonly roundtrips: number;
  readonly commands: number;
  /** Server CPU (all its processes) per request, microseconds. */
  readonly cpuUs: number;
}

const log = (s: string) => process.stdout.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nodeArgs = (file: string, preload = true) => [
  ...NODE_FLAGS,
  ...(preload ? SERVER_FLAGS : []),
  ...(preload ? ['--import', `./${compiled('bench/online-redis-counter.ts')}`] : []),
  compiled(file),
];

const startServer = async (spec: ServerSpec, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> => {
  const child = spawn(process.execPath, nodeArgs(spec.entry), {
    env: { ...process.env, ...env, ...spec.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${spec.name} server exited with ${code} before listening`)));
    lines.once('line', (l) => {
      const hello = JSON.parse(l) as { port: number; front?: string };
      if (hello.front) log(`${spec.name}: ${hello.front}`);
      resolve(hello.port);
    });
  });
  return { child, port };
};

const stopServer = async (child: ChildProcess) => {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(3000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
};

const openLoop = (
  url: string,
  bodiesFile: string,
): Promise<{ p50Ms: number; p99Ms: number; p999Ms: number; errors: number; maxLagMs: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgs('bench/online-open-loop.ts', false), url, bodiesFile, String(FIXED_RATE), '2', String(OPEN_LOOP_SECONDS)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, FG_BENCH_HEADERS: JSON.stringify(AUTH) },
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`open-loop generator exited with ${code}`)),
    );
  });

const treeRssBytes = (pid: number): number => {
  const pids = [
    pid,
    ...(() => {
      try {
        return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    })(),
  ];
  return pids.reduce((n, p) => {
    try {
      return n + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return n;
    }
  }, 0);
};

/** Run bench/online-logging.ts (compiled), its output shown, and return its last line. */
const loggingCase = (): { logging_ratio_vs_no_logging: number } => {
  const r = spawnSync(process.execPath, [compiled('bench/online-logging.ts')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`the logging case exited with ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { logging_ratio_vs_no_logging: number };
};

/**
 * 20 distinct 10,000-alias documents, one at a time, sent with a key that may send arbitrary documents (the
 * server runs trusted documents only): each is read, parsed and refused by the limits. Their statuses, the
 * median latency, the server's RSS growth.
 */
const aliasBomb = async (url: string, pid: number) => {
  const doc = (salt: number) =>
    `{ ${Array.from({ length: 10_000 }, (_, i) => `a${i}: driver(driverId:"${1001 + salt}"){driverStats{convRate}}`).join(' ')} }`;
  const bodies = Array.from({ length: 25 }, (_, i) => JSON.stringify({ query: doc(i) }));
  const send = async (body: string) => {
    const t = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BENCH_ADHOC_KEY}` },
      body,
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t };
  };
  // Five first, unmeasured: the heap and the allocator's arenas for 560 KB bodies are then in place, and the
  // growth below is what the next twenty leave behind (as test/server/hostile-requests.test.ts measures it).
  for (const b of bodies.slice(0, 5)) await send(b);
  const before = treeRssBytes(pid);
  const runs: { status: number; ms: number }[] = [];
  for (const b of bodies.slice(5)) runs.push(await send(b));
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  return {
    statuses: [...new Set(runs.map((r) => r.status))],
    medianMs: ms[Math.floor(ms.length / 2)]!,
    rssGrowthMiB: (treeRssBytes(pid) - before) / 2 ** 20,
  };
};

const main = async () => {
  assertWrk();
  const project = `bench_online_${process.pid}`;
  const counterKey = `${KEY_PREFIX}{${project}}:roundtrips`;
  const repo = benchRepository(project);
  const store = createRedisOnlineStore({ url: REDIS_URL, project, keyPrefix: KEY_PREFIX });
  const redis = store.client;
  const dir = mkdtempSync(join(tmpdir(), 'fg-bench-online-'));
  const children = new Set<ChildProcess>();
  const cleanup = async () => {
    for (const c of children) await stopServer(c);
    const removed = await store.deleteProjectKeys();
    await redis.del(counterKey);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    return removed;
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    let t = performance.now();
    const now = Date.now();
    const CHUNK = 10_000;
    for (const view of repo.views)
      for (let i = 1; i <= ENTITIES; i += CHUNK) await store.write(view, benchRows(view, i, Math.min(ENTITIES + 1, i + CHUNK), now));
    log(
      `offline store of the featuregraph servers: ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'in-memory PGlite (set DATABASE_URL for Postgres, as in production)'}`,
    );
    log(
      `loaded ${ENTITIES} entities × ${repo.views.length} views into Redis in ${((performance.now() - t) / 1000).toFixed(1)} s (prefix ${KEY_PREFIX}{${project}:…})`,
    );

    const hmgetCalls = async () => Number(/cmdstat_hmget:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1] ?? 0);
    const counter = async () => Number((await redis.get(counterKey)) ?? 0);
    const env = {
      FG_BENCH_PROJECT: project,
      FG_BENCH_COUNTER_KEY: counterKey,
      FG_BENCH_REDIS_PORT: new URL(REDIS_URL).port || '6379',
      REDIS_URL,
    };

    const results = new Map<string, Map<string, CaseResult>>(SERVERS.map((spec) => [spec.name, new Map()]));
    const fixed = new Map<string, Awaited<ReturnType<typeof openLoop>>>();
    const reference = new Map<string, string>();

    // Latency at a fixed rate first, each one-process server alone and freshly started: a heap full of a
    // previous load's garbage, or another server's timers, would otherwise land in one server's tail.
    const single = CASES[0]!;
    for (const spec of SERVERS.filter((x) => !x.env?.FG_BENCH_WORKERS)) {
      const { child, port } = await startServer(spec, env);
      children.add(child);
      const bodiesFile = join(dir, `${spec.name}-fixed.json`);
      writeFileSync(bodiesFile, JSON.stringify(idLists(single, BODIES).map((ids) => spec.body(single, ids))));
      fixed.set(spec.name, await openLoop(`http://127.0.0.1:${port}${spec.path}`, bodiesFile));
      await stopServer(child);
      children.delete(child);
    }
    log(`open loop at ${FIXED_RATE} req/s: done`);

    // Every server is up for the whole run (an idle one costs no CPU), and each case runs on all of them back
    // to back: the ratios compare runs seconds apart, which matters on a machine shared with other work.
    t = performance.now();
    const servers: { spec: ServerSpec; child: ChildProcess; url: string }[] = [];
    for (const spec of SERVERS) {
      const { child, port } = await startServer(spec, env);
      children.add(child);
      servers.push({ spec, child, url: `http://127.0.0.1:${port}${spec.path}` });
    }
    log(`${servers.length} servers up in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const rssPeak = new Map<string, number>();
    const measure = async ({ spec, child, url }: (typeof servers)[number], c: BenchCase, shape?: Shape): Promise<CaseResult> => {
      const bodies = idLists(c, BODIES).map((ids) => (shape ?? { body: spec.body }).body(c, ids));
      const headers = { ...AUTH, ...shape?.headers };
      // Same data from every server, checked on the first request of each case.
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: bodies[0] });
      const values = JSON.stringify(leafValues(await res.json()).sort());
      if (!res.ok || values.includes('null')) throw new Error(`${spec.name} ${c.name}: HTTP ${res.status}, values ${values.slice(0, 300)}`);
      if (reference.has(c.name) && reference.get(c.name) !== values)
        throw new Error(
          `${spec.name} ${c.name}: values differ from the floor's: ${values.slice(0, 200)} vs ${reference.get(c.name)?.slice(0, 200)}`,
        );
      reference.set(c.name, values);

      const script = join(dir, `${spec.name}-${c.name}.lua`);
      writeWrkScript(script, spec.path, bodies, headers);
      await runWrk(url, script, { seconds: WARMUP_SECONDS, connections: CONNECTIONS });
      await sleep(250);
      const cpu0 = treeCpuMs(child.pid!);
      const r = await runWrk(url, script, { seconds: SECONDS, connections: CONNECTIONS });
      const cpu1 = treeCpuMs(child.pid!);
      // Resident memory right after the load (all of the server's processes).
      rssPeak.set(spec.name, Math.max(rssPeak.get(spec.name) ?? 0, treeRssBytes(child.pid!)));
      // Round trips and commands per request from requests sent one at a time: under wrk, requests still in
      // flight when it stops would count their Redis calls but not themselves.
      await sleep(300); // every process has flushed its round-trip count
      const [rt0, cmd0] = [await counter(), await hmgetCalls()];
      for (const body of bodies.slice(0, SEQUENTIAL))
        await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).arrayBuffer();
      await sleep(300);
      const [rt1, cmd1] = [await counter(), await hmgetCalls()];
      if (r.errors > 0) log(`  warning: ${spec.name} ${c.name}: ${r.errors} errors`);
      return {
        ...r,
        roundtrips: (rt1 - rt0) / SEQUENTIAL,
        commands: (cmd1 - cmd0) / SEQUENTIAL,
        cpuUs: ((cpu1 - cpu0) * 1000) / r.requests,
      };
    };

    for (const c of CASES) {
      t = performance.now();
      for (const server of servers) results.get(server.spec.name)!.set(c.name, await measure(server, c));
      log(`${c.label}: done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    // The request shapes real clients send, on featuregraph (1 and 100 entities), each right after a run of the
    // floor on the same case (its one request shape is already its fastest): each ratio compares two runs
    // seconds apart, not a shape measured minutes after the floor on a machine whose speed drifts.
    const shaped = new Map<string, CaseResult>();
    const shapeFloor = new Map<string, CaseResult>();
    const fgServer = servers.find((x) => x.spec.name === 'featuregraph');
    const floorServer = servers.find((x) => x.spec.name === 'floor');
    if (fgServer)
      for (const shape of SHAPES)
        for (const c of CASES.filter((x) => x.name !== 'three')) {
          if (floorServer) shapeFloor.set(`${shape.name}_${c.name}`, await measure(floorServer, c));
          shaped.set(`${shape.name}_${c.name}`, await measure(fgServer, c, shape));
        }
    log(`request shapes: done`);
    // The 10,000-alias document (about 560 KB), distinct each time: refused with a 400, how fast, and memory.
    const bomb = fgServer ? await aliasBomb(fgServer.url, fgServer.child.pid!) : undefined;
    for (const { child } of servers) {
      await stopServer(child);
      children.delete(child);
    }

    const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');
    log('');
    log(`server         case                      req/s    p50 ms   p99 ms   redis round trips/req   HMGETs/req*  server CPU us/req`);
    for (const [name, perCase] of results)
      for (const c of CASES) {
        const r = perCase.get(c.name)!;
        log(
          `${name.padEnd(14)} ${c.label.padEnd(24)} ${fmt(r.rps).padStart(7)} ${fmt(r.p50Ms, 2).padStart(9)} ${fmt(r.p99Ms, 2).padStart(8)} ${fmt(r.roundtrips, 2).padStart(23)} ${fmt(r.commands, 1).padStart(12)} ${fmt(r.cpuUs).padStart(19)}`,
        );
      }
    log('* HMGETs per request from Redis INFO commandstats: Redis-wide, so other clients of the same Redis add to it.');
    log('');
    for (const [name, f] of fixed)
      log(
        `${name.padEnd(14)} at ${FIXED_RATE} req/s (open loop, 1 entity x 1 view): p50 ${fmt(f.p50Ms, 2)} ms, p99 ${fmt(f.p99Ms, 2)} ms, p99.9 ${fmt(f.p999Ms, 2)} ms, errors ${f.errors}`,
      );
    const rps = (server: string, c: string) => results.get(server)?.get(c)?.rps ?? NaN;
    const ratio = (a: string, b: string, c: string) => rps(a, c) / rps(b, c);
    log('');
    for (const c of CASES)
      log(
        `${c.label.padEnd(24)} featuregraph/floor ${fmt(ratio('featuregraph', 'floor', c.name), 2)}   featuregraph/naive ${fmt(ratio('featuregraph', 'naive', c.name), 2)}   with 2 workers each: ${fmt(ratio('featuregraph x2', 'floor x2', c.name), 2)}   featuregraph x2/floor ${fmt(ratio('featuregraph x2', 'floor', c.name), 2)}`,
      );
    const removed = await cleanup();
    log(`removed ${removed} bench keys`);
    // Issue 11's case: the served-feature log at sample rate 1 with metrics on, against the same server without
    // them (bench/online-logging.ts, its own servers and data); its ratio joins this bench's last line.
    const logging = SERVERS.length === ALL_SERVERS.length ? loggingCase() : null;
    if (logging) log(`served-feature log + metrics: ${logging.logging_ratio_vs_no_logging} of the requests/s without`);
    const fg = results.get('featuregraph')!;
    for (const [k, r] of shaped)
      log(
        `featuregraph ${k.padEnd(34)} ${fmt(r.rps).padStart(7)} req/s  p99 ${fmt(r.p99Ms, 2)} ms  ${fmt(r.roundtrips, 2)} round trips/req  ${fmt(r.cpuUs)} us CPU/req  (floor just before: ${fmt(shapeFloor.get(k)?.rps ?? NaN)} req/s, ${fmt(shapeFloor.get(k)?.cpuUs ?? NaN)} us CPU/req)`,
      );
    if (bomb)
      log(
        `10,000-alias document: ${bomb.statuses.join(',')} statuses, median ${fmt(bomb.medianMs, 1)} ms, server RSS +${fmt(bomb.rssGrowthMiB, 1)} MiB`,
      );
    const shapeRatios = Object.fromEntries(
      [...shaped].map(([k, r]) => [`${k}_ratio_vs_floor`, +(r.rps / (shapeFloor.get(k)?.rps ?? NaN)).toFixed(3)]),
    );
    const roundtrips = [...fg.values(), ...shaped.values()].map((r) => r.roundtrips);
    log(
      JSON.stringify({
        ...shapeRatios,
        // Server CPU per request, floor ÷ featuregraph, of the same paired runs: less sensitive to a machine
        // whose speed drifts than requests/s (wrk and Redis share the cores).
        shape_cpu_ratio_vs_floor: Object.fromEntries(
          [...shaped].map(([k, r]) => [k, +((shapeFloor.get(k)?.cpuUs ?? NaN) / r.cpuUs).toFixed(3)]),
        ),
        p99_ratio_vs_floor_at_1k: +((fixed.get('featuregraph')?.p99Ms ?? NaN) / (fixed.get('floor')?.p99Ms ?? NaN)).toFixed(3),
        roundtrips_per_request: +Math.max(...roundtrips).toFixed(3),
        rss_ratio_vs_floor: +((rssPeak.get('featuregraph') ?? NaN) / (rssPeak.get('floor') ?? NaN)).toFixed(3),
        rss_mib: Object.fromEntries([...rssPeak].map(([n, b]) => [n, Math.round(b / 2 ** 20)])),
        logging_ratio_vs_no_logging: logging?.logging_ratio_vs_no_logging ?? null,
        alias_bomb_status: bomb?.statuses[0],
        alias_bomb_ms_median: bomb ? +bomb.medianMs.toFixed(2) : null,
        alias_bomb_rss_growth_mib: bomb ? +bomb.rssGrowthMiB.toFixed(1) : null,
        single_ratio_vs_floor: +ratio('featuregraph', 'floor', 'single').toFixed(3),
        three_views_ratio_vs_floor: +ratio('featuregraph', 'floor', 'three').toFixed(3),
        batch100_ratio_vs_floor: +ratio('featuregraph', 'floor', 'batch100').toFixed(3),
        batch100_ratio_vs_naive: +ratio('featuregraph', 'naive', 'batch100').toFixed(3),
        p99_ms_at_1k_rps: +(fixed.get('featuregraph')?.p99Ms ?? NaN).toFixed(3),
        roundtrips_per_request_batch100: +(fg.get('batch100')?.roundtrips ?? NaN).toFixed(3),
        // Both servers in 2 node:cluster workers (serve --workers 2), on the same 2 cores.
        workers2_single_ratio_vs_floor_workers2: +ratio('featuregraph x2', 'floor x2', 'single').toFixed(3),
        workers2_batch100_ratio_vs_floor_workers2: +ratio('featuregraph x2', 'floor x2', 'batch100').toFixed(3),
        cpu_us_per_request: Object.fromEntries(
          [...results].map(([n, m]) => [n, Object.fromEntries([...m].map(([c, r]) => [c, Math.round(r.cpuUs)]))]),
        ),
        rps: Object.fromEntries([...results].map(([n, m]) => [n, Object.fromEntries([...m].map(([c, r]) => [c, Math.round(r.rps)]))])),
      }),
    );
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
};

await main();
