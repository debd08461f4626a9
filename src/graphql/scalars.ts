import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { coerceInput, outsideStorableYears, parseTimestamp } from '../definitions/values.js';
import { Bytes, Int64 } from '../definitions/value-types.js';
import { parseDuration } from '../definitions/duration.js';
import { badInput } from './errors.js';

const literalString = (ast: ValueNode, scalar: string): string | number => {
  if (ast.kind === Kind.STRING) return ast.value;
  if (ast.kind === Kind.INT) return Number(ast.value);
  throw badInput(`${scalar} must be a string`);
};

/** A DateTime every store can take (years 0001–9999), else the caller's error naming it. */
const inRange = (d: Date, text: string): Date => {
  if (outsideStorableYears(d)) throw badInput(`DateTime ${text} is outside years 0001–9999`);
  return d;
};

/** ISO 8601 date-time with a time zone, e.g. `2026-11-26T10:00:00Z`. Serialized as UTC ISO text. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant as ISO 8601 text with a time zone, e.g. `2026-11-26T10:00:00Z` (a bare date is midnight UTC).',
  serialize(v) {
    const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
    if (!d || Number.isNaN(d.getTime())) throw new TypeError(`DateTime cannot represent ${String(v)}`);
    return d.toISOString();
  },
  parseValue(v) {
    const d = typeof v === 'string' ? parseTimestamp(v) : null;
    if (!d) throw badInput(`DateTime must be ISO 8601 text with a time zone, e.g. "2026-11-26T10:00:00Z"; got ${JSON.stringify(v)}`);
    return inRange(d, JSON.stringify(v));
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('DateTime must be a string, e.g. "2026-11-26T10:00:00Z"');
    const d = parseTimestamp(ast.value);
    if (!d) throw badInput(`DateTime must be ISO 8601 text with a time zone, e.g. "2026-11-26T10:00:00Z"; got "${ast.value}"`);
    return inRange(d, `"${ast.value}"`);
  },
});

const toInt64 = (v: unknown): bigint => {
  const r = coerceInput(Int64, v);
  if ('error' in r || r.value === null) throw badInput(`Int64 ${'error' in r ? r.error : 'may not be null'}`);
  return r.value as bigint;
};

/** A 64-bit integer, serialized as a decimal string so values beyond 2^53 stay exact. */
export const Int64Scalar = new GraphQLScalarType<bigint, string>({
  name: 'Int64',
  description: 'A signed 64-bit integer as a decimal string (exact beyond 2^53). Inputs also accept safe JSON integers.',
  serialize: (v) => (typeof v === 'bigint' ? v.toString() : toInt64(v).toString()),
  parseValue: toInt64,
  parseLiteral: (ast) => toInt64(literalString(ast, 'Int64')),
});

/** Binary data as base64 text. */
export const BytesScalar = new GraphQLScalarType<Uint8Array, string>({
  name: 'Bytes',
  description: 'Binary data as base64 text.',
  serialize: (v) => Buffer.from(v as Uint8Array).toString('base64'),
  parseValue(v) {
    const r = coerceInput(Bytes, v);
    if ('error' in r || r.value === null) throw badInput(`Bytes ${'error' in r ? r.error : 'may not be null'}`);
    return r.value as Uint8Array;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw badInput('Bytes must be a base64 string');
    const r = coerceInput(Bytes, ast.value);
    if ('error' in r || r.value === null) throw badInput(`Bytes ${'error' in r ? r.error : 'may not be null'}`);
    return r.value as Uint8Array;
  },
});

const literalJson = (ast: ValueNode, variables?: Record<string, unknown> | null): unknown => {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literalJson(v, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalJson(f.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value] ?? null;
    default:
      throw badInput('JSON literal not supported');
  }
};

/** Any JSON value. */
export const JsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literalJson,
});

const toSeconds = (v: unknown): number => {
  const r = parseDuration(typeof v === 'string' ? v.trim() : v);
  if ('error' in r) throw badInput(`Duration ${r.error}`);
  return r.seconds;
};

/**
 * A length of time in the DSL's ttl syntax: `"90s"`, `"30m"`, `"2h"`, `"1d"`, `"1w"`, or a whole number of
 * seconds. Parsed to seconds; serialized as seconds.
 */
export const DurationScalar = new GraphQLScalarType<number, number>({
  name: 'Duration',
  description: 'A length of time as in a view\'s ttl: `"90s"`, `"30m"`, `"2h"`, `"1d"`, `"1w"`, or a whole number of seconds.',
  serialize: (v) => toSeconds(v),
  parseValue: toSeconds,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING) return toSeconds(ast.value);
    if (ast.kind === Kind.INT) return toSeconds(Number(ast.value));
    throw badInput('Duration must be a string such as "30m" or a whole number of seconds');
  },
});

export const scalarResolvers = {
  DateTime: DateTimeScalar,
  Int64: Int64Scalar,
  Bytes: BytesScalar,
  JSON: JsonScalar,
  Duration: DurationScalar,
};
