/**
 * Value types of features and join keys, and the TypeScript type each one carries.
 * Int64 is a `bigint` so values beyond 2^53 stay exact; Bytes is a Uint8Array.
 */
export const SCALAR_TYPES = ['Bool', 'Int32', 'Int64', 'Float32', 'Float64', 'String', 'Bytes', 'Timestamp', 'Json'] as const;

export type ScalarTypeName = (typeof SCALAR_TYPES)[number];

export interface ScalarType<N extends ScalarTypeName = ScalarTypeName> {
  readonly kind: 'scalar';
  readonly name: N;
}

export interface ListType<E extends ScalarType = ScalarType> {
  readonly kind: 'list';
  readonly of: E;
}

export type ValueType = ScalarType | ListType;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

interface ScalarTsTypes {
  Bool: boolean;
  Int32: number;
  Int64: bigint;
  Float32: number;
  Float64: number;
  String: string;
  Bytes: Uint8Array;
  Timestamp: Date;
  Json: JsonValue;
}

/** The TypeScript type of a value of type T (null excluded). */
export type TsTypeOf<T extends ValueType> =
  T extends ListType<infer E> ? Array<ScalarTsTypes[E['name']] | null> : T extends ScalarType<infer N> ? ScalarTsTypes[N] : never;

const scalar = <N extends ScalarTypeName>(name: N): ScalarType<N> => Object.freeze({ kind: 'scalar', name });

export const Bool = scalar('Bool');
export const Int32 = scalar('Int32');
export const Int64 = scalar('Int64');
export const Float32 = scalar('Float32');
export const Float64 = scalar('Float64');
export const String = scalar('String');
export const Bytes = scalar('Bytes');
export const Timestamp = scalar('Timestamp');
export const Json = scalar('Json');

/** A list of scalars, e.g. `List(Float32)` for an embedding. */
export const List = <E extends ScalarType>(of: E): ListType<E> => Object.freeze({ kind: 'list', of });

export const isValueType = (v: unknown): v is ValueType => {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as { kind?: unknown; name?: unknown; of?: unknown };
  if (t.kind === 'scalar') return (SCALAR_TYPES as readonly unknown[]).includes(t.name);
  if (t.kind === 'list') return isValueType(t.of) && (t.of as ValueType).kind === 'scalar';
  return false;
};

export const typeLabel = (t: ValueType): string => (t.kind === 'list' ? `List<${t.of.name}>` : t.name);

/** The SQL type featuregraph creates for a value type (push tables, online tables). */
export const sqlTypeOf = (t: ValueType): string => {
  if (t.kind === 'list') return `${sqlTypeOf(t.of)}[]`;
  switch (t.name) {
    case 'Bool':
      return 'boolean';
    case 'Int32':
      return 'integer';
    case 'Int64':
      return 'bigint';
    case 'Float32':
      return 'real';
    case 'Float64':
      return 'double precision';
    case 'String':
      return 'text';
    case 'Bytes':
      return 'bytea';
    case 'Timestamp':
      return 'timestamptz';
    case 'Json':
      return 'jsonb';
  }
};

/**
 * SQL column types (as `format_type` prints them) a source column may have for each value type.
 * Narrower numeric types widen safely; nothing lossy is accepted.
 */
const COMPATIBLE: Record<ScalarTypeName, readonly string[]> = {
  Bool: ['boolean'],
  Int32: ['smallint', 'integer'],
  Int64: ['smallint', 'integer', 'bigint'],
  Float32: ['real'],
  Float64: ['real', 'double precision', 'numeric', 'smallint', 'integer'],
  String: ['text', 'character varying', 'character', 'uuid', 'citext', 'name'],
  Bytes: ['bytea'],
  Timestamp: ['timestamp with time zone', 'timestamp without time zone', 'date'],
  Json: ['json', 'jsonb'],
};

/** Whether a source column of SQL type `sqlType` can feed a value of type `t`. */
export const isCompatibleSqlType = (t: ValueType, sqlType: string): boolean => {
  const base = sqlType.replace(/\(.*?\)/g, '').trim();
  if (t.kind === 'list') return base.endsWith('[]') && isCompatibleSqlType(t.of, base.slice(0, -2));
  if (base.endsWith('[]')) return false;
  return COMPATIBLE[t.name].includes(base);
};

export const compatibleSqlTypes = (t: ValueType): string =>
  t.kind === 'list' ? COMPATIBLE[t.of.name].map((s) => `${s}[]`).join(', ') : COMPATIBLE[t.name].join(', ');
