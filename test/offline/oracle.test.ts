import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedRepository, ViewSpec } from '../../src/definitions/resolve.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/store.js';
import { createPostgresOfflineStore } from '../../src/offline/postgres/store.js';
import { pointInTimeLookup } from '../../src/offline/postgres/point-in-time.js';
import { getHistoricalFeatures } from '../../src/offline/training-set.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { bruteForce, type SourceRow } from './brute-force.js';
import { contractRows, ENT_KEYS, GRP_KEYS, offlineContract, type ContractEngine } from './contract.js';
import { countingClient } from './counting-client.js';
import { writeParquetSource } from './parquet-sources.js';
import { NOW, randomAsOf, rng, testRepository, writeSource } from './random-sources.js';

const SEED = Number(process.env.ORACLE_SEED ?? 20240101);

/** Every offline engine: Postgres/PGlite tables, and Parquet files through DuckDB, over the same rows. */
const engines: ContractEngine[] = [
  ...sqlBackends.map(
    (b): ContractEngine => ({
      name: `${b.name} tables`,
      engine: b.name === 'pglite' ? 'pglite' : 'postgres',
      async open(rowsFor) {
        const sql = await b.open();
        const schema = uniqueProject('pitc');
        const repo = testRepository(schema);
        await sql.query(`CREATE SCHEMA "${schema}"`);
        for (const [name, rows] of rowsFor(repo)) await writeSource(sql, repo.views.find((v) => v.name === name) as ViewSpec, rows);
        return {
          store: createPostgresOfflineStore(sql),
          repo,
          async close() {
            await dropSchemas(sql, schema);
            await sql.close();
          },
        };
      },
    }),
  ),
  {
    name: 'Parquet files (DuckDB)',
    engine: 'duckdb',
    async open(rowsFor) {
      const dir = await mkdtemp(join(tmpdir(), 'fg-parquet-'));
      const repo = testRepository('files', dir);
      for (const [name, rows] of rowsFor(repo)) await writeParquetSource(repo.views.find((v) => v.name === name) as ViewSpec, rows);
      const store = createDuckDbOfflineStore();
      return {
        store,
        repo,
        async close() {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

offlineContract(engines);

const expectRecord = (
  got: { eventTs: Date; createdTs: Date | null; values: Readonly<Record<string, FeatureValue>> } | null,
  want: SourceRow | null,
  view: ViewSpec,
  where: string,
) => {
  if (!want) return expect(got, where).toBeNull();
  expect(got, where).not.toBeNull();
  expect(got?.eventTs.getTime(), where).toBe(want.eventTs.getTime());
  expect(got?.createdTs?.getTime() ?? null, where).toBe(want.createdTs?.getTime() ?? null);
  expect(got?.values, where).toEqual(Object.fromEntries(view.features.map((f, i) => [f.name, want.values[i] ?? null])));
};

/** A training set's join statements: one streaming one per chunk, and the exact ones for tied entity rows. */
const joinStatements = (statements: readonly string[]) => {
  const joins = statements.filter((t) => t.includes('LATERAL'));
  return { streaming: joins.filter((t) => t.includes(' BETWEEN ')), exact: joins.filter((t) => t.includes('= ANY(')) };
};

/** Postgres-specific: how many statements, chunks on connections sharing a snapshot, entity queries. */
describe.each(sqlBackends)('Postgres point-in-time statements on $name', ({ open }) => {
  let sql: SqlClient;
  let schema: string;
  let repo: ResolvedRepository;
  const sources = new Map<string, SourceRow[]>();
  const r = rng(SEED + 2);
  const view = (name: string) => repo.views.find((v) => v.name === name) as ViewSpec;

  beforeAll(async () => {
    sql = await open();
    schema = uniqueProject('pit');
    repo = testRepository(schema);
    await sql.query(`CREATE SCHEMA "${schema}"`);
    for (const [name, rows] of contractRows(repo)) {
      sources.set(name, rows);
      await writeSource(sql, view(name), rows);
    }
  });
  afterAll(async () => {
    await dropSchemas(sql, schema);
    await sql.close();
  });

  it('pointInTimeLookup matches the brute-force definition for every request, in one statement each', async () => {
    for (const v of repo.views) {
      const requests = Array.from({ length: 400 }, () => {
        const keys = v.keys.length === 1 ? [r.pick(ENT_KEYS)] : [r.pick(ENT_KEYS), r.pick(GRP_KEYS)];
        return { keys, asOf: randomAsOf(r) };
      });
      requests.push(requests[0] as (typeof requests)[number]); // a duplicate request
      const counted = countingClient(sql);
      const got = await pointInTimeLookup(
        counted,
        v,
        requests,
        v.features.map((f) => f.name),
        { now: NOW },
      );
      expect(counted.statements).toHaveLength(1);
      expect(got).toHaveLength(requests.length);
      let found = 0;
      requests.forEach((q, i) => {
        const want = bruteForce(sources.get(v.name) ?? [], q.keys, q.asOf, v.ttlSeconds, NOW, v.asKnownAt);
        if (want) found++;
        expectRecord(got[i] ?? null, want, v, `${v.name} ${q.keys.join('|')} @ ${q.asOf.toISOString()}`);
        // Zero leakage: nothing after the (clamped) as-of time.
        const t = Math.min(q.asOf.getTime(), NOW.getTime());
        if (got[i]) expect(got[i]?.eventTs.getTime()).toBeLessThanOrEqual(t);
      });
      // The random data must exercise both outcomes.
      expect(found).toBeGreaterThan(50);
      expect(found).toBeLessThan(requests.length);
    }
  });

  it('returns only the selected features', async () => {
    const v = view('single');
    const [rec] = await pointInTimeLookup(sql, v, [{ keys: ['1'], asOf: NOW }], ['c'], { now: NOW });
    const want = bruteForce(sources.get('single') ?? [], ['1'], NOW, v.ttlSeconds, NOW);
    if (want) expect(rec?.values).toEqual({ c: want.values[2] ?? null });
    else expect(rec).toBeNull();
  });

  it('the training-set API matches the brute-force definition across three views, keeping order and duplicates', async () => {
    const entityRows = Array.from({ length: 300 }, () => ({
      ent_id: r.pick(ENT_KEYS),
      grp_id: r.pick(GRP_KEYS),
      event_timestamp: randomAsOf(r).toISOString(),
    }));
    entityRows.push({ ...(entityRows[5] as (typeof entityRows)[number]) }, { ...(entityRows[5] as (typeof entityRows)[number]) });
    const features = repo.views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`));
    const counted = countingClient(sql);
    const out = await getHistoricalFeatures(counted, repo, { entities: { rows: entityRows }, features, now: NOW });
    // One join statement for the three views (one LATERAL each); the entity rows whose newest source rows
    // tied in some view are joined again, exactly, in one more statement that lists just them.
    const { streaming, exact } = joinStatements(counted.statements);
    expect(streaming).toHaveLength(1);
    expect(streaming[0]?.match(/LEFT JOIN LATERAL/g)).toHaveLength(repo.views.length);
    expect(exact, 'the random sources must produce ties').toHaveLength(1);
    const tied = exact[0]?.match(/'\{([\d,]+)\}'::bigint\[\]/)?.[1]?.split(',') ?? [];
    expect(tied.length).toBeGreaterThan(0);
    expect(tied.length).toBeLessThan(entityRows.length);
    expect(out.columns.map((c) => c.name)).toEqual([
      'ent_id',
      'grp_id',
      'event_timestamp',
      ...repo.views.flatMap((v) => v.features.map((f) => `${v.name}__${f.name}`)),
    ]);
    expect(out.rows).toHaveLength(entityRows.length);
    entityRows.forEach((e, i) => {
      const row = out.rows[i] ?? {};
      expect(row.ent_id).toBe(BigInt(e.ent_id));
      expect((row.event_timestamp as Date).toISOString()).toBe(e.event_timestamp);
      for (const v of repo.views) {
        const keys = v.keys.length === 1 ? [e.ent_id] : [e.ent_id, e.grp_id];
        const want = bruteForce(sources.get(v.name) ?? [], keys, new Date(e.event_timestamp), v.ttlSeconds, NOW, v.asKnownAt);
        const where = `row ${i} ${v.name} ${keys.join('|')} @ ${e.event_timestamp}`;
        v.features.forEach((f, j) => expect(row[`${v.name}__${f.name}`], where).toEqual(want ? (want.values[j] ?? null) : null));
        const ts = out.eventTimestamps[i]?.[v.name] ?? null;
        expect(ts?.getTime() ?? null, where).toBe(want?.eventTs.getTime() ?? null);
        if (ts) expect(ts.getTime()).toBeLessThanOrEqual(Math.min(new Date(e.event_timestamp).getTime(), NOW.getTime()));
      }
    });
    expect(out.rows[entityRows.length - 1]).toEqual(out.rows[5]);
  });

  it('gives the same rows when the entity rows are joined in many chunks on several connections sharing one snapshot', async () => {
    const entityRows = Array.from({ length: 250 }, () => ({
      ent_id: r.pick(ENT_KEYS),
      grp_id: r.pick(GRP_KEYS),
      event_timestamp: randomAsOf(r).toISOString(),
      note: r.pick(['a,b', '"q"', '', 'x']),
    }));
    // Times before 1970 and with milliseconds survive the epoch-millisecond load exactly.
    entityRows.push(
      { ent_id: '1', grp_id: 'g1', event_timestamp: '1969-07-20T20:17:40.123Z', note: 'x' },
      { ent_id: '2', grp_id: 'g2', event_timestamp: '1969-12-31T23:59:59.999Z', note: 'x' },
    );
    const features = repo.views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`));
    const whole = await getHistoricalFeatures(sql, repo, { entities: { rows: entityRows }, features, now: NOW });
    expect(whole.rows.map((x) => (x.event_timestamp as Date).toISOString())).toEqual(entityRows.map((e) => e.event_timestamp));
    const counted = countingClient(sql);
    const chunked = await getHistoricalFeatures(
      counted,
      repo,
      { entities: { rows: entityRows }, features, now: NOW },
      { chunkRows: 37, concurrency: 3, batchSize: 10 },
    );
    // One statement per chunk of 37 rows, each joining the three views (and one for a chunk's tied rows, if any).
    const { streaming, exact } = joinStatements(counted.statements);
    expect(streaming).toHaveLength(Math.ceil(entityRows.length / 37));
    expect(exact.length).toBeLessThanOrEqual(streaming.length);
    expect(chunked.rows).toEqual(whole.rows);
    expect(chunked.eventTimestamps).toEqual(whole.eventTimestamps);
    expect(chunked.rows.map((x) => x.note)).toEqual(entityRows.map((e) => e.note));
    const q = `SELECT ent_id, grp_id, event_timestamp FROM (VALUES ${entityRows.map((e, i) => `(${i}, ${e.ent_id}, '${e.grp_id}', '${e.event_timestamp}'::timestamptz)`).join(', ')}) AS t(i, ent_id, grp_id, event_timestamp) ORDER BY i`;
    const fromQuery = await getHistoricalFeatures(sql, repo, { entities: { sql: q }, features, now: NOW }, { chunkRows: 40 });
    expect(fromQuery.rows).toEqual(whole.rows.map(({ note: _note, ...rest }) => rest));
  });

  it('accepts an entity query instead of rows, in the order the query returns them', async () => {
    const q = `SELECT * FROM (VALUES (3, 'g1', '2024-01-01T02:00:00Z'::timestamptz, 'third'), (1, 'g2', '2024-01-01T01:00:00Z', 'first'),
      (1, 'g2', '2024-01-01T01:00:00Z', 'again')) AS t(ent_id, grp_id, event_timestamp, label) ORDER BY label DESC`;
    const out = await getHistoricalFeatures(sql, repo, { entities: { sql: q }, features: ['pair:x', 'single:a'], now: NOW });
    expect(out.columns.map((c) => c.name)).toEqual(['ent_id', 'grp_id', 'event_timestamp', 'label', 'pair__x', 'single__a']);
    expect(out.rows.map((x) => x.label)).toEqual(['third', 'first', 'again']);
    out.rows.forEach((row) => {
      const t = row.event_timestamp as Date;
      const keys = [String(row.ent_id), String(row.grp_id)];
      const pair = bruteForce(sources.get('pair') ?? [], keys, t, view('pair').ttlSeconds, NOW);
      const single = bruteForce(sources.get('single') ?? [], [keys[0] as string], t, view('single').ttlSeconds, NOW);
      expect(row.pair__x).toEqual(pair ? pair.values[0] : null);
      expect(row.single__a).toEqual(single ? single.values[0] : null);
    });
  });
});
