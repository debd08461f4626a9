import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, fileSource, repository } from '../../src/definitions/dsl.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { Float32, Float64, Int64 } from '../../src/definitions/value-types.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/store.js';
import { exportTrainingSet } from '../../src/offline/export.js';
import type { OfflineStore } from '../../src/offline/store.js';
import { rng } from './random-sources.js';

/** Floats whose DuckDB text differs from JavaScript's, or nearly: each kind the native export must print as the sink does. */
const AWKWARD = [
  0,
  -0,
  1,
  -1,
  2,
  0.5,
  0.1,
  0.3646,
  16777216,
  327672384,
  123456789.125,
  3261382.75,
  1.50390625,
  474.078125,
  1024.5,
  1e-4,
  0.000099999,
  1.5e-5,
  1e-7,
  5e-324,
  1e15,
  1e21,
  1.7976931348623157e308,
  Number.NaN,
  Infinity,
  -Infinity,
];

describe('native CSV over Parquet', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fg-float-text-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints every float as the streamed CSV does, awkward values included, and is the path that answered', async () => {
    const { next } = rng(3);
    const f64 = new Float64Array(1);
    const bits = new BigUint64Array(f64.buffer);
    const random = Array.from({ length: 3000 }, (_, i) => {
      if (i % 3 === 0) return (next() - 0.5) * 10 ** Math.floor(next() * 30 - 12);
      // Binary fractions with few significant bits: their exact decimals are short, so they can tie.
      if (i % 3 === 1) return Math.round((next() - 0.5) * 2 ** 20) / 2 ** Math.floor(next() * 24);
      bits[0] = (BigInt(Math.floor(next() * 2 ** 32)) << 32n) | BigInt(Math.floor(next() * 2 ** 32));
      return Number.isFinite(f64[0]) ? (f64[0] as number) : 0;
    });
    const values = [...AWKWARD, ...random];
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    await c.run(`CREATE TABLE s (id BIGINT, event_ts TIMESTAMPTZ, a DOUBLE, b DOUBLE)`);
    const app = await c.createAppender('s');
    values.forEach((v, i) => {
      app.appendBigInt(BigInt(i + 1));
      app.appendVarchar('2024-01-01T00:00:00Z');
      app.appendDouble(v);
      app.appendDouble(values[values.length - 1 - i] as number);
      app.endRow();
    });
    app.closeSync();
    const parquet = join(dir, 's.parquet');
    // a as FLOAT (Float32 feature; out of its range: null), b as DOUBLE (Float64 feature).
    await c.run(`COPY (SELECT id, event_ts, TRY_CAST(a AS FLOAT) AS a, b FROM s) TO '${parquet}' (FORMAT parquet)`);
    c.closeSync();
    db.closeSync();
    const thing = entity({ name: 'thing', joinKey: 'id', valueType: Int64 });
    const repo = resolveRepository(
      repository({
        project: 'floats',
        entities: [thing],
        featureViews: [
          featureView({
            name: 'v',
            entities: [thing],
            features: { a: Float32, b: Float64 },
            source: fileSource({ name: 's', path: parquet, timestampField: 'event_ts' }),
            ttl: 0,
          }),
        ],
      }),
      'floats',
    );
    const entities = join(dir, 'entities.csv');
    writeFileSync(entities, `id,event_timestamp\n${values.map((_, i) => `${i + 1},2024-01-02T00:00:00Z`).join('\n')}\n`);
    const request = { entities: { csvFile: entities }, features: ['v:a', 'v:b'], now: new Date('2024-02-01T00:00:00Z') };
    const store = createDuckDbOfflineStore();
    let answered = '';
    const spied: OfflineStore = {
      ...store,
      exportCsv: async (plan, req, out) => {
        const r = store.exportCsv ? await store.exportCsv(plan, req, out) : null;
        answered = r ? 'native' : 'declined';
        return r;
      },
    };
    try {
      await exportTrainingSet(spied, repo, request, join(dir, 'native.csv'));
      await exportTrainingSet(store, repo, request, join(dir, 'streamed.csv'), { native: false });
    } finally {
      await store.close();
    }
    expect(answered).toBe('native');
    const native = readFileSync(join(dir, 'native.csv'), 'utf8');
    expect(native.split('\n').length).toBe(values.length + 2);
    expect(native).toBe(readFileSync(join(dir, 'streamed.csv'), 'utf8'));
  });
});
