import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { DuckDBInstance } from '@duckdb/node-api';
import { entity, featureView, fileSource, Float64, Int32, Int64, List, repository, String as Str } from '../../src/definitions/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedRepository, ViewSpec } from '../../src/definitions/resolve.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/store.js';
import { exportTrainingSet } from '../../src/offline/export.js';
import { createPostgresOfflineStore } from '../../src/offline/postgres/store.js';
import { routeOfflineStores } from '../../src/offline/router.js';
import type { OfflineStore } from '../../src/offline/store.js';
import { getHistoricalFeatures } from '../../src/offline/training-set.js';
import { PushValidationError, pushRows } from '../../src/online/push.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { dropSchemas, uniqueProject } from '../support/env.js';
import { bruteForce, type SourceRow } from './brute-force.js';
import { contractRows, ENT_KEYS, GRP_KEYS } from './contract.js';
import { writeParquetSource } from './parquet-sources.js';
import { NOW, randomAsOf, rng, testRepository, writeSource } from './random-sources.js';

/** A view keyed by driver (Int64) over the Parquet files under `where` (`<name>_src`, timestamp event_ts, no ttl), resolved. */
const driverViewOnFiles = (name: string, features: Parameters<typeof featureView>[0]['features'], where: string): ViewSpec => {
  const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
  const view = featureView({
    name,
    entities: [driver],
    features,
    source: fileSource({ name: `${name}_src`, path: where, timestampField: 'event_ts' }),
    ttl: 0,
  });
  return resolveRepository(repository({ project: name, featureViews: [view] }), name).views[0]!;
};

/** Records which engine methods ran, so a test can say which path answered. */
const spy = (inner: OfflineStore) => {
  const calls: string[] = [];
  const store: OfflineStore = {
    ...inner,
    trainingSet: (plan, request, sink, options) => {
      calls.push(`trainingSet:${plan.views.map((v) => v.view.name).join(',')}`);
      return inner.trainingSet(plan, request, sink, options);
    },
    exportCsv: async (plan, request, out) => {
      const r = inner.exportCsv ? await inner.exportCsv(plan, request, out) : null;
      calls.push(`exportCsv:${r ? 'native' : 'declined'}`);
      return r;
    },
  };
  return { store, calls };
};

describe('Parquet file sources beside Postgres tables', () => {
  let sql: SqlClient;
  let schema: string;
  let dir: string;
  let repo: ResolvedRepository;
  let files: ResolvedRepository;
  const sources = new Map<string, SourceRow[]>();
  const r = rng(7);
  const duck = createDuckDbOfflineStore();

  beforeAll(async () => {
    sql = await createPgliteClient();
    schema = uniqueProject('files');
    dir = await mkdtemp(join(tmpdir(), 'fg-files-'));
    const tables = testRepository(schema);
    files = testRepository('files', dir);
    await sql.query(`CREATE SCHEMA "${schema}"`);
    for (const [name, rows] of contractRows(tables)) {
      sources.set(name, rows);
      await writeSource(sql, tables.views.find((v) => v.name === name) as ViewSpec, rows);
      await writeParquetSource(files.views.find((v) => v.name === name) as ViewSpec, rows);
    }
    // `single` is a Postgres table; `pair` and `known` are Parquet files.
    const pick = (from: ResolvedRepository, name: string) => from.views.find((v) => v.name === name) as ViewSpec;
    repo = { ...tables, views: [pick(tables, 'single'), pick(files, 'pair'), pick(files, 'known')] };
  });
  afterAll(async () => {
    await duck.close();
    await dropSchemas(sql, schema);
    await sql.close();
    await rm(dir, { recursive: true, force: true });
  });

  const entityRows = () => {
    const rows = Array.from({ length: 200 }, () => ({
      ent_id: r.pick(ENT_KEYS),
      grp_id: r.pick(GRP_KEYS),
      event_timestamp: randomAsOf(r).toISOString(),
      label: r.pick(['a,b', '"q"', '', 'x y', '#x', 'a#b']),
    }));
    rows.push({ ...(rows[3] as (typeof rows)[number]) });
    return rows;
  };

  it('one training set mixes a Postgres view and Parquet views: each engine joins its own, rows in input order', async () => {
    const pg = spy(createPostgresOfflineStore(sql));
    const dk = spy(duck);
    const store = routeOfflineStores([pg.store, dk.store]);
    const rows = entityRows();
    const features = ['pair:y', 'single:a', 'known:v', 'single:c', 'pair:x'];
    const out = await getHistoricalFeatures(store, repo, { entities: { rows }, features, now: NOW }, { batchSize: 17, chunkRows: 50 });
    expect(pg.calls).toEqual(['trainingSet:single']);
    expect(dk.calls).toEqual(['trainingSet:pair,known']);
    expect(out.columns.map((c) => c.name)).toEqual([
      'ent_id',
      'grp_id',
      'event_timestamp',
      'label',
      'pair__y',
      'pair__x',
      'single__a',
      'single__c',
      'known__v',
    ]);
    expect(out.rows.map((x) => x.label)).toEqual(rows.map((x) => x.label));
    expectOracle(out, rows, repo.views, NOW, 'mixed');
  });

  it('a Parquet training set mixing engines keeps pass-through columns typed, as each engine alone does', async () => {
    const rows = entityRows().slice(0, 30);
    const file = join(dir, 'typed.csv');
    writeFileSync(
      file,
      `ent_id,grp_id,event_timestamp,label\n${rows.map((x, i) => `${x.ent_id},${x.grp_id},${x.event_timestamp},${i}`).join('\n')}\n`,
    );
    const store = routeOfflineStores([createPostgresOfflineStore(sql), duck]);
    for (const features of [['single:a'], ['pair:x'], ['single:a', 'pair:x']]) {
      const out = join(dir, 'typed.parquet');
      await exportTrainingSet(store, repo, { entities: { csvFile: file }, features, now: NOW }, out);
      const schema = (await parquetMetadataAsync(await asyncBufferFromFile(out))).schema;
      expect(schema.find((c) => c.name === 'label')?.type, features.join(',')).toBe('INT64');
    }
  });

  it('the newest event time (freshness) comes from the engine serving each view, Parquet included', async () => {
    const store = routeOfflineStores([createPostgresOfflineStore(sql), duck]);
    const limits = [...new Set(repo.views.flatMap((v) => (sources.get(v.name) ?? []).map((x) => x.eventTs.getTime())))].sort(
      (a, b) => a - b,
    );
    const upTos = [
      limits[0]! - 1,
      limits[0]!,
      limits[Math.floor(limits.length / 2)]!,
      limits[Math.floor(limits.length / 2)]! + 1,
      NOW.getTime(),
    ];
    for (const v of repo.views)
      for (const upTo of upTos) {
        const eligible = (sources.get(v.name) ?? []).map((x) => x.eventTs.getTime()).filter((t) => t <= upTo);
        const want = eligible.length ? Math.max(...eligible) : null;
        expect((await store.newestEventTime(v, new Date(upTo)))?.getTime() ?? null, `${v.name} up to ${new Date(upTo).toISOString()}`).toBe(
          want,
        );
      }
    // A view whose files are missing has no newest value; it is not an error.
    const gone = { ...repo.views[1]!, source: { ...repo.views[1]!.source, path: join(dir, 'missing/*.parquet') } } as ViewSpec;
    expect(await store.newestEventTime(gone, NOW)).toBeNull();
  });

  /** Every requested feature and event time of a training set is the brute-force definition's. */
  const expectOracle = (
    out: Awaited<ReturnType<typeof getHistoricalFeatures>>,
    rows: ReturnType<typeof entityRows>,
    views: readonly ViewSpec[],
    now: Date,
    name: string,
  ) =>
    rows.forEach((e, i) => {
      for (const v of views) {
        const keys = v.keys.length === 1 ? [e.ent_id] : [e.ent_id, e.grp_id];
        const want = bruteForce(sources.get(v.name) ?? [], keys, new Date(e.event_timestamp), v.ttlSeconds, now, v.asKnownAt);
        v.features.forEach((f, j) => {
          const col = `${v.name}__${f.name}`;
          if (col in (out.rows[i] ?? {}))
            expect(out.rows[i]?.[col], `${name} row ${i} ${col}`).toEqual(want ? (want.values[j] ?? null) : null);
        });
        expect(out.eventTimestamps[i]?.[v.name]?.getTime() ?? null, `${name} row ${i} ${v.name}`).toBe(want?.eventTs.getTime() ?? null);
      }
    });

  /** Entity rows as a CSV file, the label quoted where it must be. */
  const entityCsv = (xs: readonly { ent_id: string; grp_id: string; event_timestamp: string; label: string }[]) =>
    `ent_id,grp_id,event_timestamp,label\n${xs.map((x) => [x.ent_id, x.grp_id, x.event_timestamp, /[",]/.test(x.label) ? `"${x.label.replace(/"/g, '""')}"` : x.label].join(',')).join('\n')}\n`;
  // Every view: ttl and no ttl, composite keys, as-known-at, each feature type; ties on event and created times.
  const allFeatures = ['pair:y', 'known:v', 'single:a', 'single:b', 'single:c', 'single:d', 'forever:n', 'forever:flag', 'pair:x'];

  /**
   * Exports `rows` natively and streamed, checks which path answered each, that the bytes are the same, and
   * that the streamed values are the oracle's (so the native ones are too). Returns the request and the CSV.
   */
  const nativeMatchesStream = async (rows: ReturnType<typeof entityRows>, now: Date, name: string) => {
    const entities = join(dir, `entities-${name}.csv`);
    writeFileSync(entities, entityCsv(rows));
    const request = { entities: { csvFile: entities }, features: allFeatures, now };
    const dk = spy(duck);
    const native = await exportTrainingSet(
      routeOfflineStores([createPostgresOfflineStore(sql), dk.store]),
      files,
      request,
      join(dir, `native-${name}.csv`),
    );
    expect(dk.calls).toEqual(['exportCsv:native']);
    const streamed = spy(duck);
    await exportTrainingSet(routeOfflineStores([streamed.store]), files, request, join(dir, `streamed-${name}.csv`), { native: false });
    expect(streamed.calls).toEqual(['trainingSet:pair,known,single,forever']);
    expect(native.rows).toBe(rows.length);
    expectOracle(
      await getHistoricalFeatures(duck, files, { entities: { rows }, features: allFeatures, now }),
      rows,
      files.views,
      now,
      name,
    );
    const streamedCsv = readFileSync(join(dir, `streamed-${name}.csv`), 'utf8');
    expect(readFileSync(join(dir, `native-${name}.csv`), 'utf8')).toBe(streamedCsv);
    return { entities, request, streamedCsv };
  };

  it('a CSV over Parquet views is written by DuckDB natively, byte-identical to the streamed CSV', async () => {
    const rows = entityRows();
    const { entities, request, streamedCsv } = await nativeMatchesStream(rows, NOW, 'random');
    // Epoch-millisecond times are valid input the native path does not read: it steps aside, the stream answers.
    writeFileSync(entities, entityCsv(rows.map((x) => ({ ...x, event_timestamp: String(new Date(x.event_timestamp).getTime()) }))));
    const fallback = spy(duck);
    await exportTrainingSet(routeOfflineStores([fallback.store]), files, request, join(dir, 'fallback.csv'));
    expect(fallback.calls).toEqual(['exportCsv:declined', 'trainingSet:pair,known,single,forever']);
    expect(readFileSync(join(dir, 'fallback.csv'), 'utf8')).toBe(streamedCsv);
  });

  it('the native CSV keeps the ttl bound exactly: a row is in at event time + ttl and out 1 ms later', async () => {
    // With `now` after every row, a key's newest row is the newest at its event time + ttl (+ 1 ms) too.
    const late = new Date(NOW.getTime() + 86_400_000);
    const edges = files.views.flatMap((v) =>
      (sources.get(v.name) ?? []).flatMap((x) => {
        const at = (ms: number) => new Date(x.eventTs.getTime() + v.ttlSeconds * 1000 + ms);
        const keys = x.keys as string[];
        const outside = bruteForce(sources.get(v.name) ?? [], keys, at(1), v.ttlSeconds, late, v.asKnownAt);
        const inside = bruteForce(sources.get(v.name) ?? [], keys, at(0), v.ttlSeconds, late, v.asKnownAt);
        if (v.ttlSeconds === 0 || outside !== null || inside === null) return [];
        return [0, 1].map((ms) => ({
          ent_id: keys[0]!,
          grp_id: keys[1] ?? GRP_KEYS[0]!,
          event_timestamp: at(ms).toISOString(),
          label: v.name,
        }));
      }),
    );
    // Each view with a ttl has such an edge, so a bound off by one in any of them fails here.
    expect(new Set(edges.map((e) => e.label))).toEqual(new Set(files.views.filter((v) => v.ttlSeconds > 0).map((v) => v.name)));
    await nativeMatchesStream(edges, late, 'ttl-edges');
  });

  it('refuses entity rows that are not a file, name a column twice or as a feature column, or are malformed, on both engines', async () => {
    const rows = entityRows().slice(0, 20);
    const pgStore = createPostgresOfflineStore(sql);
    const attempt = async (file: string, features: string[], out = join(dir, 'refused.csv')) => {
      const err = await exportTrainingSet(
        routeOfflineStores([pgStore, duck]),
        repo,
        { entities: { csvFile: file }, features, now: NOW },
        out,
      ).then(
        () => null,
        (e: unknown) => e as Error,
      );
      if (out !== dir) expect(existsSync(out), `${file}: no output`).toBe(false);
      return err?.message ?? 'no error';
    };
    const write = (name: string, text: string) => {
      const f = join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    const lines = rows.map((x) => `${x.ent_id},${x.grp_id},${x.event_timestamp}`);
    for (const features of [['pair:x'], ['single:a'], ['pair:x', 'single:a']]) {
      expect(await attempt(dir, features)).toBe(`entity rows: ${dir} is a directory, not a CSV file`);
      expect(await attempt(join(dir, 'nope.csv'), features)).toBe(`entity rows: no such file: ${join(dir, 'nope.csv')}`);
      const twice = write('twice.csv', `ent_id,grp_id,event_timestamp,label,label\n${lines.map((l) => `${l},a,b`).join('\n')}\n`);
      expect(await attempt(twice, features)).toBe('entity rows, line 1: column "label" appears twice');
      const clash = write('clash.csv', `ent_id,grp_id,event_timestamp,pair__x\n${lines.map((l) => `${l},x`).join('\n')}\n`);
      expect(await attempt(clash, ['pair:x'])).toBe(
        'entity rows, line 1: column "pair__x" is also a feature column of the training set; rename it in the entity rows',
      );
      const ragged = write(
        'ragged.csv',
        `ent_id,grp_id,event_timestamp\n${lines.map((l, i) => (i === 2 ? `${l},EXTRA` : l)).join('\n')}\n`,
      );
      expect(await attempt(ragged, features)).toMatch(/line 4/);
      expect(await attempt(ragged, features, dir)).toBe(`the output is a directory: ${dir} (give a file name)`);
    }
    // A name with glob characters is one file, not a pattern.
    write('star.csv', `ent_id,grp_id,event_timestamp\n${lines.join('\n')}\n`);
    const literal = write('st*r.csv', `ent_id,grp_id,event_timestamp\n${lines.slice(0, 3).join('\n')}\n`);
    const out = join(dir, 'literal.csv');
    expect(
      await exportTrainingSet(routeOfflineStores([duck]), files, { entities: { csvFile: literal }, features: ['pair:x'], now: NOW }, out),
    ).toEqual({
      rows: 3,
    });
  });

  it('the native CSV reads plain headers itself and leaves the rest to DuckDB: CRLF, quoted names, columns in any order', async () => {
    const rows = entityRows().slice(0, 60);
    const request = (file: string) => ({ entities: { csvFile: file }, features: ['pair:y', 'known:v'], now: NOW });
    const field = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const variants: Record<string, string> = {
      crlf: `ent_id,grp_id,event_timestamp,label\r\n${rows.map((x) => [x.ent_id, x.grp_id, x.event_timestamp, field(x.label)].join(',')).join('\r\n')}\r\n`,
      quoted: `"label","event_timestamp","grp_id","ent_id"\n${rows.map((x) => [field(x.label), x.event_timestamp, x.grp_id, x.ent_id].join(',')).join('\n')}\n`,
      reordered: `label,event_timestamp,ent_id,grp_id\n${rows.map((x) => [field(x.label), x.event_timestamp, x.ent_id, x.grp_id].join(',')).join('\n')}\n`,
    };
    for (const [name, text] of Object.entries(variants)) {
      const file = join(dir, `entities-${name}.csv`);
      writeFileSync(file, text);
      const dk = spy(duck);
      await exportTrainingSet(routeOfflineStores([dk.store]), files, request(file), join(dir, `native-${name}.csv`));
      expect(dk.calls, name).toEqual(['exportCsv:native']);
      await exportTrainingSet(routeOfflineStores([duck]), files, request(file), join(dir, `streamed-${name}.csv`), { native: false });
      expect(readFileSync(join(dir, `native-${name}.csv`), 'utf8'), name).toBe(readFileSync(join(dir, `streamed-${name}.csv`), 'utf8'));
    }
  });

  it('refuses an offline push to a Parquet view before writing anything, and accepts it online', async () => {
    const online = createSqlOnlineStore(sql, schema);
    const view = files.views.find((v) => v.name === 'known') as ViewSpec;
    await online.prepare([view]);
    const row = { ent_id: 1, event_timestamp: '2024-01-01T00:00:00Z', v: 3 };
    const offline = routeOfflineStores([createPostgresOfflineStore(sql), duck]);
    await expect(pushRows({ offline, online, project: schema }, view, [row], 'ONLINE_AND_OFFLINE')).rejects.toThrow(PushValidationError);
    await expect(pushRows({ offline, online, project: schema }, view, [row], 'OFFLINE')).rejects.toThrow(
      /reads Parquet files, which featuregraph does not append to; push with to: ONLINE/,
    );
    const [[rec]] = (await online.read([{ view, keys: ['1'], features: ['v'] }])) as [[unknown]];
    expect(rec).toBeNull();
    expect((await pushRows({ offline, online, project: schema }, view, [row], 'ONLINE')).onlineWritten).toBe(1);
  });

  it('source checks name missing files, missing columns and incompatible types', async () => {
    const good = files.views.find((v) => v.name === 'pair') as ViewSpec;
    const missing: ViewSpec = { ...good, source: { ...good.source, path: join(dir, 'nowhere', '*.parquet') } };
    const wrong: ViewSpec = {
      ...good,
      features: [
        { ...good.features[0]!, column: 'no_such_column' },
        { ...good.features[1]!, column: 'event_ts' },
      ],
    };
    const problems = await duck.checkSources([good, missing, wrong]);
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^Parquet files of source "pair_src" cannot be read: /),
      expect.stringMatching(/^column no_such_column \(mapped from x\) does not exist in the Parquet files .*pair_src/),
      expect.stringMatching(/^column event_ts \(mapped from y\) of the Parquet files .* is timestamp without time zone; String needs/),
    ]);
    // A training set or an as-of read over such a view (never applied, so never checked) fails with the same
    // words, naming the view, not with DuckDB's binder error.
    const rows = entityRows().slice(0, 5);
    for (const broken of [missing, wrong]) {
      const repoOf = { ...files, views: [broken] } as ResolvedRepository;
      const training = await getHistoricalFeatures(duck, repoOf, { entities: { rows }, features: ['pair:x'], now: NOW }).then(
        () => 'no error',
        (e: Error) => e.message,
      );
      expect(training).toMatch(
        /^feature view "pair", field "(source|x)": (Parquet files of source "pair_src" cannot be read|column no_such_column)/,
      );
      const asOf = await duck.pointInTime(broken, [{ keys: ['1', '2'], asOf: NOW }], ['x'], { now: NOW }).then(
        () => 'no error',
        (e: Error) => e.message,
      );
      expect(asOf).toBe(training);
    }
  });

  it('files written after apply with another column type are refused by every read, not cast (2.7 is no Int32 3)', async () => {
    const where = await mkdtemp(join(tmpdir(), 'fg-files-types-'));
    const spec = driverViewOnFiles('trips', { n: Int32 }, where);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const write = (file: string, type: string, value: string, at: string) =>
      c.run(
        `COPY (SELECT 1::BIGINT AS driver_id, TIMESTAMPTZ '${at}' AS event_ts, CAST(${value} AS ${type}) AS n) TO '${join(where, file)}' (FORMAT parquet)`,
      );
    const store = createDuckDbOfflineStore();
    const AT = new Date('2026-06-01T00:00:00Z');
    const rows = async () => {
      const out: unknown[] = [];
      for await (const batch of store.latestRows(spec, { eventFrom: null, end: AT }, 100)) out.push(...batch.map((r) => r.values.n));
      return out;
    };
    const read = () => store.pointInTime(spec, [{ keys: ['1'], asOf: AT }], ['n'], { now: AT }).then((r) => r[0]?.values.n);
    const fail = (p: Promise<unknown>) =>
      p.then(
        (v) => `no error: ${JSON.stringify(v)}`,
        (e: Error) => e.message,
      );
    try {
      // No files yet: nothing to materialize, no newest event time.
      expect(await store.newestEventTime(spec, AT)).toBeNull();
      await write('a.parquet', 'INTEGER', '2', '2026-01-01T00:00:00Z');
      expect(await read()).toBe(2);
      expect(await rows()).toEqual([2]);
      await write('b.parquet', 'DOUBLE', '2.7', '2026-01-01T01:00:00Z');
      const named = /^feature view "trips", field "n": column n of the Parquet files .* is double precision; Int32 needs smallint, integer/;
      expect((await store.checkSources([spec])).map((p) => p.message).join()).toMatch(
        /column n of the Parquet files .* is double precision/,
      );
      expect(await fail(read())).toMatch(named);
      expect(await fail(rows())).toMatch(named);
      // The newest event time reads no feature column: still known.
      expect(await store.newestEventTime(spec, AT)).toEqual(new Date('2026-01-01T01:00:00Z'));
      const training = getHistoricalFeatures(store, { ...files, views: [spec] } as ResolvedRepository, {
        entities: { rows: [{ driver_id: '1', event_timestamp: AT }] },
        features: ['trips:n'],
        now: AT,
      });
      expect(await fail(training)).toMatch(named);
    } finally {
      c.closeSync();
      db.closeSync();
      await store.close();
      await rm(where, { recursive: true, force: true });
    }
  });

  it('reads every column type apply accepts: a UUID for a String, DECIMAL lists for List(Float64)', async () => {
    const where = await mkdtemp(join(tmpdir(), 'fg-files-accepted-'));
    const spec = driverViewOnFiles('odd', { id: Str, xs: List(Float64), d: Float64 }, where);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(
      `COPY (SELECT 1::BIGINT AS driver_id, TIMESTAMPTZ '2026-01-01T00:00:00Z' AS event_ts, '0e3c8d1e-2f4a-4b6c-9d8e-7f6a5b4c3d2e'::UUID AS id, ` +
        `[1.5, 2.5]::DECIMAL(4,1)[] AS xs, 3.25::DECIMAL(6,2) AS d) TO '${join(where, 'a.parquet')}' (FORMAT parquet)`,
    );
    c.closeSync();
    db.closeSync();
    const store = createDuckDbOfflineStore();
    try {
      expect(await store.checkSources([spec])).toEqual([]);
      const [r] = await store.pointInTime(spec, [{ keys: ['1'], asOf: new Date('2026-06-01T00:00:00Z') }], ['id', 'xs', 'd'], {
        now: new Date('2026-06-01T00:00:00Z'),
      });
      expect(r?.values).toEqual({ id: '0e3c8d1e-2f4a-4b6c-9d8e-7f6a5b4c3d2e', xs: [1.5, 2.5], d: 3.25 });
    } finally {
      await store.close();
      await rm(where, { recursive: true, force: true });
    }
  });
});
