import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../schema/demo-data.js';
import { createPgClient } from '../../src/sql/pg.js';
import { type RedisServerProcess, startRedisServer } from '../support/redis-cluster.js';
import { available, recordSkip } from '../support/services.js';

const root = join(import.meta.dirname, '../..');
const BIN = join(root, 'bin/featuregraph.js');

/** The README's ```sh blocks, in order. */
const blocks = (): string[] => [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** Which environment a block needs: the gateway running, the CLI on the embedded store, or real services. */
const kindOf = (b: string): 'self' | 'services' | 'keys' | 'production' | 'redis' | 'server' | 'cli' => {
  if (/npm install && npm start/.test(b)) return 'self';
  if (/export DATABASE_URL=/.test(b)) return 'services';
  // A running server with API keys, and a production deployment: they need Postgres (several processes).
  if (/keys create/.test(b)) return 'keys';
  if (/NODE_ENV=production/.test(b)) return 'production';
  if (/^redis-cli /m.test(b)) return 'redis';
  if (/curl .*localhost:4000/.test(b)) return 'server';
  return 'cli';
};

interface Run {
  code: number | null;
  out: string;
}

/**
 * Run a block as written with bash (`set -e`), in `cwd`: `npx featuregraph` is this checkout's command,
 * `localhost:4000` the test's server, `redis-cli` the test's own Redis. A block ending in `serve` runs
 * until the server says it serves, then gets SIGTERM.
 */
const runBlock = (block: string, cwd: string, env: Record<string, string>, rewrite: (b: string) => string = (b) => b): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', rewrite(block)], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const serving = /featuregraph serve\b[^\n]*$/.test(block.trim());
    const collect = (d: Buffer) => {
      out += d.toString();
      if (serving && /featuregraph serving project/.test(out)) child.kill('SIGTERM');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('exit', (code, signal) => resolve({ code: serving && signal === 'SIGTERM' ? 0 : code, out }));
  });

describe('every README command block runs on the demo as written', () => {
  const work = mkdtempSync(join(tmpdir(), 'fg-readme-'));
  const dataDir = join(work, 'data');
  const shim = join(work, 'bin');
  const children: ChildProcess[] = [];
  /** The embedded default: no service URLs, the demo definitions, the test's data dir; `npx` → this checkout. */
  const baseEnv = (): Record<string, string> => ({
    PATH: `${shim}:${process.env.PATH ?? ''}`,
    FEATUREGRAPH_DATA_DIR: dataDir,
    FEATUREGRAPH_DEFINITIONS: join(root, 'schema/index.ts'),
    DATABASE_URL: '',
    REDIS_URL: '',
    REDIS_CLUSTER_NODES: '',
  });

  beforeAll(async () => {
    mkdirSync(shim);
    // `npx featuregraph …` in a block runs this checkout's compiled command; anything else is the real npx.
    writeFileSync(
      join(shim, 'npx'),
      `#!/usr/bin/env bash\nif [ "$1" = featuregraph ]; then shift; exec "${process.execPath}" "${BIN}" "$@"; fi\nPATH="${process.env.PATH ?? ''}" exec npx "$@"\n`,
    );
    chmodSync(join(shim, 'npx'), 0o755);
    // What `npm start` does before serving: demo data relative to now, apply, materialize.
    const demo = await runBlock('npx featuregraph demo --no-serve', work, baseEnv());
    expect(demo.code, demo.out).toBe(0);
  }, 240_000);

  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('finds the blocks this test knows how to run', () => {
    expect(blocks().map(kindOf)).toEqual(['self', 'server', 'cli', 'keys', 'services', 'redis', 'production', 'server']);
  });

  it('the training-set block writes both training sets', async () => {
    const cwd = join(work, 'cli');
    mkdirSync(cwd);
    for (const b of blocks().filter((x) => kindOf(x) === 'cli')) {
      const r = await runBlock(b, cwd, baseEnv());
      expect(r.code, `${b}\n${r.out}`).toBe(0);
    }
    expect(existsSync(join(cwd, 'train.parquet'))).toBe(true);
    // The entity rows are dated when the block runs, inside the demo's data: every feature of the service has a
    // value for them (fixed dates in the README went out of the data's range within days).
    const parquet = (await parquetReadObjects({ file: await asyncBufferFromFile(join(cwd, 'train.parquet')) })) as Record<
      string,
      unknown
    >[];
    expect(parquet.length).toBe(2);
    // The stored views' features (the on-demand distance is null where its inputs are).
    const STORED = ['credit_score__score', 'accident_history__accidents_12m', 'location_risk__risk'];
    expect(STORED.every((k) => k in (parquet[0] ?? {}))).toBe(true);
    const empty = parquet.flatMap((row) =>
      Object.entries(row)
        .filter(([k, v]) => STORED.includes(k) && v === null)
        .map(([k]) => `${String(row.customer_id)} ${k}`),
    );
    expect(
      empty,
      JSON.stringify(parquet, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
    ).toEqual([]);
    const csv = readFileSync(join(cwd, 'train.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('driver_id,event_timestamp,completed,driver_stats__conv_rate,driver_stats__avg_daily_trips');
    // Every demo order joins to the driver's hourly stats of 17 minutes before; the label passes through.
    expect(csv.length).toBeGreaterThan(2000);
    const bad = csv.slice(1).filter((line) => !/^\d+,\S+,(true|false),[\d.]+,\d+$/.test(line));
    expect(bad.slice(0, 3)).toEqual([]);
  }, 240_000);

  it('the query and push blocks get answers from the running gateway', async () => {
    // The embedded demo store has no API keys: served open, as `npm start` does.
    const server = spawn(process.execPath, [BIN, 'serve', '--allow-anonymous'], {
      env: { ...process.env, ...baseEnv(), PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(server);
    let log = '';
    server.stdout.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const end = Date.now() + 120_000;
    while (!/at http:\/\/[^:]+:(\d+)\//.test(log) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    const port = /at http:\/\/[^:]+:(\d+)\//.exec(log)?.[1];
    expect(port, log).toBeDefined();
    const [query, push] = blocks().filter((x) => kindOf(x) === 'server');
    const toTest = (b: string) => b.replaceAll('localhost:4000', `localhost:${port}`);
    const q = await runBlock(query ?? '', work, baseEnv(), toTest);
    const answer = JSON.parse(q.out) as { data: { driver: { driverStats: Record<string, unknown> } } };
    expect(Object.values(answer.data.driver.driverStats).every((v) => v !== null)).toBe(true);
    const p = await runBlock(push ?? '', work, baseEnv(), toTest);
    expect(p.code, p.out).toBe(0);
    // Dated now, so newer than the demo's value: written online, not a no-op.
    expect(JSON.parse(p.out)).toMatchObject({ view: 'location_risk', onlineWritten: 1 });
    server.kill('SIGTERM');
  }, 240_000);

  // The Postgres and Redis blocks: on a database and a redis-server of the test's own, so nothing is shared.
  const services = available('DATABASE_URL') && available('redis-server');
  if (!services) {
    if (!available('DATABASE_URL')) recordSkip('README blocks for real Postgres and Redis', 'DATABASE_URL');
    if (!available('redis-server')) recordSkip('README blocks for real Postgres and Redis', 'redis-server');
  }
  (services ? it : () => undefined)(
    'the Postgres and Redis blocks run against a private database and redis-server',
    async () => {
      const admin = createPgClient(process.env.DATABASE_URL ?? '');
      const db = `fg_readme_${process.pid}_${Date.now()}`;
      let redis: RedisServerProcess | undefined;
      try {
        await admin.query(`CREATE DATABASE ${db}`);
        const url = new URL(process.env.DATABASE_URL ?? '');
        url.pathname = `/${db}`;
        const sql = createPgClient(url.toString());
        await generateDemoData(sql);
        await sql.close();
        redis = await startRedisServer();
        const env = { ...baseEnv(), PORT: '0' };
        const pgUrl = url.toString();
        const redisUrl = redis.url;
        const [setup, cli] = [blocks().find((x) => kindOf(x) === 'services') ?? '', blocks().find((x) => kindOf(x) === 'redis') ?? ''];
        const s = await runBlock(setup, work, env, (b) =>
          b
            .replace(/^export DATABASE_URL=\S+/m, `export DATABASE_URL=${pgUrl}`)
            .replace(/^export REDIS_URL=\S+/m, `export REDIS_URL=${redisUrl}`),
        );
        expect(s.code, s.out).toBe(0);
        expect(s.out).toContain('featuregraph serving project "demo"');
        const r = await runBlock(cli, work, env, (b) => b.replaceAll(/^redis-cli /gm, `redis-cli -p ${redis?.port} `));
        expect(r.code, r.out).toBe(0);
        expect(r.out).toContain('conv_rate');
        expect(r.out).toContain('fg:{demo:1001}:driver_stats');

        // The API-key block against a server on that database (it has the key the setup block created).
        const withStores = { ...env, DATABASE_URL: pgUrl, REDIS_URL: redisUrl };
        const server = spawn(process.execPath, [BIN, 'serve'], {
          env: { ...process.env, ...withStores },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(server);
        let log = '';
        server.stdout.on('data', (d: Buffer) => (log += d.toString()));
        server.stderr.on('data', (d: Buffer) => (log += d.toString()));
        const end = Date.now() + 120_000;
        while (!/at http:\/\/[^:]+:(\d+)\//.test(log) && Date.now() < end) await new Promise((res) => setTimeout(res, 100));
        const port = /at http:\/\/[^:]+:(\d+)\//.exec(log)?.[1];
        expect(port, log).toBeDefined();
        const keysBlock = blocks().find((x) => kindOf(x) === 'keys') ?? '';
        const k = await runBlock(keysBlock, work, withStores, (b) => b.replaceAll('localhost:4000', `localhost:${port}`));
        expect(k.code, k.out).toBe(0);
        expect(k.out).toMatch(/"creditScore":\{"score":\d+\}/);
        expect(k.out).toMatch(/checkout/);
        server.kill('SIGTERM');

        // The production block, as written, from the checkout (its manifest path is relative to it).
        const prod = await runBlock(blocks().find((x) => kindOf(x) === 'production') ?? '', root, withStores);
        expect(prod.code, prod.out).toBe(0);
        expect(prod.out).toContain('production mode');
      } finally {
        await redis?.destroy();
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
        await admin.close();
      }
    },
    300_000,
  );
});
