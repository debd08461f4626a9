import { statSync } from 'node:fs';
import { quoteIdent, type FeatureSpec, type ViewSpec } from '../../definitions/resolve.js';
import type { ScalarType, ValueType } from '../../definitions/value-types.js';
import { fromSql, type FeatureValue } from '../../definitions/values.js';
import { checkedCast, lit } from './column-types.js';

/**
 * The files of a file source as `read_parquet` takes them: a file or glob as given, a directory as every
 * `*.parquet` below it. Hive partition directories (`date=2026-11-26/`) become columns.
 */
export const parquetGlob = (path: string): string => {
  if (/[*?[]/.test(path) || /\.parquet$/i.test(path)) return path;
  if (path.endsWith('/')) return `${path}**/*.parquet`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return path;
  try {
    return statSync(path).isDirectory() ? `${path.replace(/\/+$/, '')}/**/*.parquet` : path;
  } catch {
    return path;
  }
};

export const parquetRelation = (path: string): string =>
  `read_parquet(${lit(parquetGlob(path))}, hive_partitioning = true, union_by_name = true)`;

const SCALAR: Record<ScalarType['name'], string> = {
  Bool: 'BOOLEAN',
  Int32: 'INTEGER',
  Int64: 'BIGINT',
  Float32: 'FLOAT',
  Float64: 'DOUBLE',
  String: 'VARCHAR',
  Bytes: 'BLOB',
  Timestamp: 'TIMESTAMP',
  Json: 'VARCHAR',
};

/** The DuckDB type a value type is read as (what `sqlTypeOf` is for Postgres). */
export const duckTypeOf = (t: ValueType): string => (t.kind === 'list' ? `${SCALAR[t.of.name]}[]` : SCALAR[t.name]);

/** Source column aliases in `sourceSelect`: fixed, so user column names never need quoting further up. */
export const K = (i: number) => `k${i}`;
export const F = (i: number) => `f${i}`;

/**
 * The view's rows with typed, fixed-name columns: keys `k0..`, `fg_ts` and `fg_cr` (UTC TIMESTAMPs; a
 * source without a created timestamp has NULL) and every feature `f0..` in declaration order.
 */
export const sourceSelect = (view: ViewSpec): string => {
  const c = (name: string) => quoteIdent(name);
  const { eventTimestampColumn: ts, createdTimestampColumn: cr } = view.source;
  // Through epoch microseconds, not CAST: a TIMESTAMP WITH TIME ZONE cast goes through ICU's calendar, about
  // 30x slower than this arithmetic, which gives the same UTC instant (naive TIMESTAMPs are read as UTC).
  const utc = (col: string) => `make_timestamp(epoch_us(${c(col)}))`;
  // Keys and features are cast to their declared types, but only from a type `apply` accepts (checkedCast):
  // files written after `apply` may hold another.
  const cast = (column: string, type: ValueType) =>
    checkedCast(
      c(column),
      type,
      duckTypeOf(type),
      `feature view ${JSON.stringify(view.name)}: column ${column} of source "${view.source.sourceName}"`,
    );
  const cols = [
    ...view.keys.map((k, i) => `${cast(k.column, k.type)} AS ${K(i)}`),
    `${utc(ts)} AS fg_ts`,
    `${cr ? utc(cr) : 'CAST(NULL AS TIMESTAMP)'} AS fg_cr`,
    ...view.features.map((f, i) => `${cast(f.column, f.type)} AS ${F(i)}`),
  ];
  return `SELECT ${cols.join(', ')} FROM ${parquetRelation(view.source.path ?? '')}`;
};

/** A feature's tie-break expression: the order Postgres gives (docs/offline-stores.md, "Ties"). */
const tieExpr = (f: FeatureSpec, col: string): string => {
  const t = f.type;
  if (t.kind === 'scalar' && t.name === 'Bytes') return `hex(${col})`; // bytea::text is \x + hex: the same order
  if (t.kind === 'list' || (t.kind === 'scalar' && t.name === 'Json')) return `CAST(${col} AS VARCHAR)`;
  return col;
};

/** The tie-break after (event, created): every feature, descending, nulls last (DuckDB compares text bytewise). */
export const tieOrder = (view: ViewSpec, alias: string): string[] =>
  view.features.map((f, i) => `${tieExpr(f, `${alias}.${F(i)}`)} DESC NULLS LAST`);

/** A value as DuckDB returned it → the feature value (timestamps arrive as epoch milliseconds). */
export const duckValue = (t: ValueType, v: unknown): FeatureValue => {
  if (v === null || v === undefined) return null;
  if (t.kind === 'list') {
    const items = (v as { items?: unknown[] }).items ?? (v as unknown[]);
    return items.map((x) => duckValue(t.of, x));
  }
  switch (t.name) {
    case 'Timestamp':
      return new Date(Number(v));
    case 'Bytes':
      return new Uint8Array((v as { bytes: Uint8Array }).bytes);
    case 'Json':
      return typeof v === 'string' ? (JSON.parse(v) as FeatureValue) : (v as FeatureValue);
    default:
      return fromSql(t, v);
  }
};

/** A select expression returning the column as DuckDB values `duckValue` decodes (timestamps as epoch ms). */
export const outExpr = (t: ValueType, col: string): string => (t.kind === 'scalar' && t.name === 'Timestamp' ? `epoch_ms(${col})` : col);

/** An instant as a UTC TIMESTAMP literal, exactly (millisecond precision, as JS has). */
export const tsLiteral = (d: Date): string => `epoch_ms(${Math.trunc(d.getTime())}::BIGINT)`;

export { lit };
