import { compatibleSqlTypes, isCompatibleSqlType, typeLabel, type ValueType } from '../../definitions/value-types.js';

/** DuckDB type names → the Postgres names the value-type compatibility table uses (value-types.ts). */
const BASE: Record<string, string> = {
  BOOLEAN: 'boolean',
  TINYINT: 'smallint',
  SMALLINT: 'smallint',
  INTEGER: 'integer',
  BIGINT: 'bigint',
  UTINYINT: 'smallint',
  USMALLINT: 'integer',
  UINTEGER: 'bigint',
  FLOAT: 'real',
  DOUBLE: 'double precision',
  VARCHAR: 'text',
  BLOB: 'bytea',
  DATE: 'date',
  TIMESTAMP: 'timestamp without time zone',
  TIMESTAMP_MS: 'timestamp without time zone',
  TIMESTAMP_NS: 'timestamp without time zone',
  TIMESTAMP_S: 'timestamp without time zone',
  'TIMESTAMP WITH TIME ZONE': 'timestamp with time zone',
  JSON: 'jsonb',
};

/** DuckDB types the source checks accept through their lower-cased name (asPostgresType's fallback). */
const PASSED_THROUGH = ['UUID'];

/** A DuckDB column type as the Postgres type the compatibility table knows (`INTEGER[]` → `integer[]`). */
export const asPostgresType = (duck: string): string => {
  const list = duck.endsWith('[]');
  const base = (list ? duck.slice(0, -2) : duck).replace(/\(.*\)$/, '');
  const pg = base === 'DECIMAL' ? 'numeric' : (BASE[base] ?? duck.toLowerCase());
  return list ? `${pg}[]` : pg;
};

/** A SQL string literal. */
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * `CAST(col AS duckType)` that refuses a column whose type in the files is not one `apply`'s source checks
 * accept for `type` (docs/offline-stores.md, "When the files change"): DuckDB's CAST would turn a DOUBLE 2.7
 * into the Int32 3 or the text '7.25' into a Float64. The type test is on `typeof(col)`, which DuckDB
 * resolves when it plans the query (the files' schema), so it costs nothing per row; an incompatible column
 * fails the query with `what` named in the message.
 */
export const checkedCast = (col: string, type: ValueType, duckType: string, what: string): string => {
  // Every DuckDB type name the source checks map to a compatible type: BASE's, and the names they pass through
  // lower-cased (UUID → uuid). DECIMAL(p,s) has a name per precision: tested by its shape.
  const suffix = type.kind === 'list' ? '[]' : '';
  const names = [...Object.keys(BASE), ...PASSED_THROUGH].flatMap((d) =>
    isCompatibleSqlType(type, asPostgresType(`${d}${suffix}`)) ? [`${d}${suffix}`] : [],
  );
  const ok = [
    ...(names.length ? [`typeof(${col}) IN (${names.map(lit).join(', ')})`] : []),
    ...(isCompatibleSqlType(type, `numeric${suffix}`)
      ? [`regexp_full_match(typeof(${col}), ${lit(`DECIMAL\\(\\d+,\\d+\\)${suffix ? '\\[\\]' : ''}`)})`]
      : []),
  ];
  const message = `${lit(`${what} is a `)} || typeof(${col}) || ${lit(` column in the Parquet files; ${typeLabel(type)} needs ${compatibleSqlTypes(type)}`)}`;
  return `CASE WHEN ${ok.join(' OR ') || 'false'} THEN CAST(${col} AS ${duckType}) ELSE error(${message}) END`;
};
