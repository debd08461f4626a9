/**
 * bench:history's file-source and end-to-end cases (run from bench/history.ts on its data):
 * - featuregraph on Parquet (DuckDB engine) against DuckDB's bare ASOF JOIN to CSV, same engine, same files;
 * - `featuregraph historical` as users run it (a CLI process, CSV in, CSV out, start-up included) against
 *   `psql` running the same LATERAL query with `\copy` in and out.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { entity, featureView, fileSource, repository } from '../src/definitions/dsl.js';
import { resolveRepository, type ResolvedRepository } from '../src/definitions/resolve.js';
import { Float32, Float64, Int32, Int64 } from '../src/definitions/value-types.js';
import { createDuckDbOfflineStore } from '../src/offline/duckdb/store.js';
import { exportTrainingSet } from '../src/offline/export.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');

export const parquetRepo = (file: string): ResolvedRepository => {
  const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
  const stats = featureView({
    name: 'stats',
    entities: [driver],
    features: { conv_rate: Float32, acc_rate: Float64, trips: Int32 },
    source: fileSource({ name: 'stats_src', path: file, timestampField: 'event_ts', createdTimestampColumn: 'created_ts' }),
    ttl: '30d',
  });
  return resolveRepository(repository({ project: 'bench', entities: [driver], featureViews: [stats] }), 'bench');
};

const cpuSecs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Per function, its best wall time and mean CPU seconds over `rounds` rounds in which each runs once, in turn. */
const interleaved = async (rounds: number, fns: readonly (() => Promise<unknown>)[]) => {
  const out = fns.map(() => ({ secs: Infinity, cpu: 0 }));
  for (let r = 0; r < rounds; r++)
    for (const [i, fn] of fns.entries()) {
      const c0 = cpuSecs();
      const t = performance.now();
      await fn();
      out[i]!.secs = Math.min(out[i]!.secs, (performance.now() - t) / 1000);
      out[i]!.cpu += (cpuSecs() - c0) / rounds;
    }
  return out;
};

/** The Postgres source table as Parquet, through psql's `\copy` to CSV and DuckDB: the same rows. */
export const exportSourceToParquet = async (databaseUrl: string, schema: string, dir: string): Promise<string> => {
  const csv = join(dir, 'stats_src.csv');
  const parquet = join(dir, 'stats_src.parquet');
  execFileSync('psql', [
    databaseUrl,
    '-v',
    'ON_ERROR_STOP=1',
    '-q',
    '-c',
    `\\copy (SELECT driver_id, event_ts, created_ts, conv_rate, acc_rate, trips FROM ${schema}.stats_src) TO '${csv}' CSV HEADER`,
  ]);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(
    `COPY (SELECT * FROM read_csv('${csv}', header = true, columns = {'driver_id': 'BIGINT', 'event_ts': 'TIMESTAMPTZ', 'created_ts': 'TIMESTAMPTZ', 'conv_rate': 'FLOAT', 'acc_rate': 'DOUBLE', 'trips': 'INTEGER'})) ` +
      `TO '${parquet}' (FORMAT parquet)`,
  );
  c.closeSync();
  db.closeSync();
  return parquet;
};

/**
 * featuregraph (DuckDB engine) and DuckDB's bare ASOF JOIN, each writing the 200k-row training CSV: ours at the
 * default memory limit and at 1 GB, the bare join with no limit (DuckDB's own default) and under our default
 * limit, so the ratio shows both the whole gap and what of it is the memory limit (docs/offline-stores.md).
 * The four run in turn, five rounds, and each keeps its best time: a slow spell of a shared machine then falls
 * on all of them rather than on whichever ran during it.
 */
export const parquetCase = async (parquet: string, entities: string, dir: string, now: Date) => {
  const repo = parquetRepo(parquet);
  const features = ['stats:conv_rate', 'stats:acc_rate', 'stats:trips'];
  const ours = (memoryLimit?: string) => async () => {
    const store = createDuckDbOfflineStore(memoryLimit ? { memoryLimit } : {});
    await exportTrainingSet(store, repo, { entities: { csvFile: entities }, features, now }, join(dir, 'parquet-train.csv'));
    await store.close();
  };
  // The floor: one ASOF JOIN from the entity CSV to the Parquet file, straight to CSV. No ttl, no tie rule,
  // no input order, no validation: what DuckDB does with nothing of featuregraph's around it.
  const bare = (memoryLimit?: string) => async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    if (memoryLimit) await c.run(`SET memory_limit = '${memoryLimit}'`);
    await c.run(
      `COPY (SELECT e.driver_id, e.event_timestamp, s.conv_rate, s.acc_rate, s.trips FROM read_csv('${entities}') e ` +
        `ASOF LEFT JOIN read_parquet('${parquet}') s ON e.driver_id = s.driver_id AND e.event_timestamp >= s.event_ts) TO '${join(dir, 'duckdb-asof.csv')}'`,
    );
    c.closeSync();
    db.closeSync();
  };
  const [oursDefault, ours1gb, bareJoin, bareLimited] = await interleaved(5, [ours(), ours('1GB'), bare(), bare('80MB')]);
  return { ours: oursDefault!, ours1gb: ours1gb!, bare: bareJoin!, bareLimited: bareLimited!, out: join(dir, 'parquet-train.csv') };
};

/** Child mode: a 1M-row export from Parquet; prints rows, seconds and this process's peak RSS. */
export const exportParquetChild = async (parquet: string, entities: string, out: string, now: Date) => {
  const t = performance.now();
  const store = createDuckDbOfflineStore();
  const { rows } = await exportTrainingSet(
    store,
    parquetRepo(parquet),
    { entities: { csvFile: entities }, features: ['stats:conv_rate', 'stats:acc_rate', 'stats:trips'], now },
    out,
  );
  await store.close();
  process.stdout.write(
    `${JSON.stringify({ rows, seconds: (performance.now() - t) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
};

/**
 * How the CLI runs: the package's bin (`bin/featuregraph.js`, which loads the compiled `dist/src/cli/main.js`),
 * as `npx featuregraph` runs it. `npm run bench:history` builds first, so it is the current code.
 */
export const cliCommand = (): { argv: string[]; via: 'bin' } => {
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) throw new Error('the compiled CLI is missing: run npm run build first');
  return { argv: [join(ROOT, 'bin/featuregraph.js')], via: 'bin' };
};

/**
 * `featuregraph historical` end to end (a fresh CLI process per run) against the hand-written floor: psql
 * loading the entity CSV with `\copy`, running the same LATERAL point-in-time query, and `\copy`ing it out.
 */
export const endToEndCase = async (databaseUrl: string, schema: string, entities: string, dir: string, now: Date) => {
  const cli = cliCommand();
  // The definitions import the package's main entry, as a user's do.
  const index = join(ROOT, 'dist/src/index.js');
  const defs = join(dir, 'bench-definitions.mjs');
  writeFileSync(
    defs,
    `import { entity, featureView, postgresSource, repository, Float32, Float64, Int32, Int64 } from '${index}';
const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
export default repository({ project: 'bench', featureViews: [featureView({ name: 'stats', entities: [driver], ttl: '30d',
  features: { conv_rate: Float32, acc_rate: Float64, trips: Int32 },
  source: postgresSource({ name: 'stats_src', table: '${schema}.stats_src', timestampField: 'event_ts', createdTimestampColumn: 'created_ts' }) })] });\n`,
  );
  const out = join(dir, 'historical.csv');
  const ours = async () => {
    const r = spawnSync(
      process.execPath,
      [
        ...cli.argv,
        'historical',
        '--entities',
        entities,
        '--features',
        'stats:conv_rate,stats:acc_rate,stats:trips',
        '--out',
        out,
        '--now',
        now.toISOString(),
        '--no-progress',
      ],
      { env: { ...process.env, DATABASE_URL: databaseUrl, FEATUREGRAPH_DEFINITIONS: defs }, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`featuregraph historical failed: ${r.stderr}`);
  };
  const floorOut = join(dir, 'psql.csv');
  const psqlCopy = async () => {
    execFileSync('psql', [
      databaseUrl,
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      `CREATE TEMP TABLE e (ord bigserial, driver_id bigint, event_timestamp timestamptz)`,
      '-c',
      `\\copy e (driver_id, event_timestamp) FROM '${entities}' CSV HEADER`,
      '-c',
      `\\copy (SELECT e.driver_id, e.event_timestamp, v.conv_rate, v.acc_rate, v.trips FROM e LEFT JOIN LATERAL (SELECT s.conv_rate, s.acc_rate, s.trips FROM ${schema}.stats_src s ` +
        `WHERE s.driver_id = e.driver_id AND s.event_ts <= LEAST(e.event_timestamp, '${now.toISOString()}') AND s.event_ts >= LEAST(e.event_timestamp, '${now.toISOString()}') - interval '30 days' ` +
        `ORDER BY s.event_ts DESC LIMIT 1) v ON true ORDER BY e.ord) TO '${floorOut}' CSV HEADER`,
    ]);
  };
  // In turn, as the Parquet case runs (interleaved): a slow spell falls on both.
  const [oursE2e, floor] = await interleaved(3, [ours, psqlCopy]);
  const lines = (f: string) => readFileSync(f, 'utf8').trimEnd().split('\n').length - 1;
  if (lines(out) !== lines(floorOut)) throw new Error(`historical wrote ${lines(out)} rows, psql ${lines(floorOut)}`);
  return { ours: oursE2e!, floor: floor!, via: cli.via, out };
};
