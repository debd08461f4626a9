import type { ViewSpec } from '../../src/definitions/resolve.js';
import { quoteIdent, resolveRepository } from '../../src/definitions/resolve.js';
import { entity, featureView, fileSource, postgresSource, repository } from '../../src/definitions/dsl.js';
import { Bool, Float32, Float64, Int32, Int64, String as Str } from '../../src/definitions/value-types.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import type { SqlClient } from '../../src/sql/client.js';
import type { SourceRow } from './brute-force.js';

/** A small seeded PRNG (mulberry32), so a failing case can be replayed from its seed. */
export const rng = (seed: number) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T };
};

export const BASE = Date.UTC(2024, 0, 1);
export const MIN = 60_000;
/** "Now" for the tests: source rows exist after it, so clamping future as-of times matters. */
export const NOW = new Date(BASE + 150 * MIN);

/**
 * Four views: a single key with created times and ttl, ttl 0, a composite key without created times, and a
 * view read as known at each time by default. `files`: every source is Parquet under that directory (a
 * single file, a hive-partitioned directory, a glob) instead of a table in `schema`.
 */
export const testRepository = (schema: string, files?: string) => {
  const ent = entity({ name: 'ent', joinKey: 'ent_id', valueType: Int64 });
  const grp = entity({ name: 'grp', joinKey: 'grp_id', valueType: Str });
  const filePath: Record<string, string> = {
    single_src: 'single_src.parquet',
    forever_src: 'forever_src/',
    pair_src: 'pair_src/*.parquet',
    known_src: 'known_src',
  };
  const src = (name: string, created: boolean) => {
    const common = { name, timestampField: 'event_ts', ...(created ? { createdTimestampColumn: 'created_ts' } : {}) };
    return files
      ? fileSource({ ...common, path: `${files}/${filePath[name]}` })
      : postgresSource({ ...common, table: `${schema}.${name}` });
  };
  const single = featureView({
    name: 'single',
    entities: [ent],
    features: { a: Int32, b: Float32, c: Str, d: Float64 },
    source: src('single_src', true),
    ttl: '30m',
  });
  const forever = featureView({
    name: 'forever',
    entities: [ent],
    features: { n: Int64, flag: Bool },
    source: src('forever_src', true),
    ttl: 0,
  });
  const pair = featureView({
    name: 'pair',
    entities: [ent, grp],
    features: { x: Int64, y: Str },
    source: src('pair_src', false),
    ttl: '45m',
  });
  const known = featureView({
    name: 'known',
    entities: [ent],
    features: { v: Int32 },
    source: src('known_src', true),
    ttl: '1h',
    pointInTime: { asKnownAt: true },
  });
  return resolveRepository(repository({ project: schema, entities: [ent, grp], featureViews: [single, forever, pair, known] }), schema);
};

const SQL_TYPES: Record<string, string> = {
  Int32: 'integer',
  Int64: 'bigint',
  Float32: 'real',
  Float64: 'double precision',
  String: 'text',
  Bool: 'boolean',
};

const randomValue = (r: ReturnType<typeof rng>, type: string): FeatureValue => {
  if (r.next() < 0.15) return null;
  switch (type) {
    case 'Int32':
      return r.int(3) - 1;
    case 'Int64':
      return BigInt(r.int(3)) * 10_000_000_000n;
    case 'Float32':
      return Math.fround(r.pick([0.1, 0.5, -2.25]));
    case 'Float64':
      return r.pick([0.1, 1 / 3, -7]);
    case 'Bool':
      return r.next() < 0.5;
    default:
      return r.pick(['a', 'B', 'ab', '']);
  }
};

/**
 * Random rows for a view, built to hit every edge: few distinct times (ties on event time), few created times
 * and some null ones (ties on created time), small value domains with nulls (ties broken by features),
 * late rows (old event time, new created time), and keys without any rows.
 */
export const randomRows = (
  r: ReturnType<typeof rng>,
  view: ViewSpec,
  count: number,
  keyPool: readonly (readonly string[])[],
): SourceRow[] => {
  const rows: SourceRow[] = [];
  const hasCreated = view.source.createdTimestampColumn !== null;
  for (let i = 0; i < count; i++) {
    const keys = r.pick(keyPool);
    const eventMin = r.int(40) * 5; // 0..195 minutes: many ties, rows after NOW too
    let created: Date | null = null;
    if (hasCreated) {
      const late = r.next() < 0.1;
      created = r.next() < 0.1 ? null : new Date(BASE + (late ? 300 + r.int(3) * 10 : eventMin + r.int(3)) * MIN);
    }
    rows.push({
      keys,
      eventTs: new Date(BASE + eventMin * MIN),
      createdTs: created,
      values: view.features.map((f) => randomValue(r, (f.type as { name: string }).name)),
    });
  }
  return rows;
};

/** Create the view's source table in its schema (with the `(keys, event_ts DESC)` index) and insert `rows`. */
export const writeSource = async (sql: SqlClient, view: ViewSpec, rows: readonly SourceRow[]): Promise<void> => {
  const table = view.source.relation;
  const cols = [
    ...view.keys.map((k) => `${quoteIdent(k.column)} ${SQL_TYPES[k.type.name]}`),
    'event_ts timestamptz NOT NULL',
    ...(view.source.createdTimestampColumn ? ['created_ts timestamptz'] : []),
    ...view.features.map((f) => `${quoteIdent(f.column)} ${SQL_TYPES[(f.type as { name: string }).name]}`),
  ];
  await sql.query(`CREATE TABLE ${table} (${cols.join(', ')})`);
  await sql.query(`CREATE INDEX ON ${table} (${view.keys.map((k) => quoteIdent(k.column)).join(', ')}, event_ts DESC)`);
  const n = cols.length;
  for (const row of rows) {
    const params: unknown[] = [
      ...row.keys,
      row.eventTs.toISOString(),
      ...(view.source.createdTimestampColumn ? [row.createdTs?.toISOString() ?? null] : []),
      ...row.values.map((v) => (typeof v === 'bigint' ? v.toString() : v)),
    ];
    await sql.query(`INSERT INTO ${table} VALUES (${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')})`, params);
  }
};

/** An as-of time on the row grid (hits `t` and `t - ttl` exactly), sometimes off-grid, sometimes after NOW. */
export const randomAsOf = (r: ReturnType<typeof rng>): Date => {
  const grid = r.int(50) * 5;
  return new Date(BASE + grid * MIN + (r.next() < 0.2 ? r.int(MIN) : 0));
};
