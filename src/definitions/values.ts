import type { KeySpec } from './resolve.js';
import type { JsonValue, ScalarType, ValueType } from './value-types.js';
import { typeLabel } from './value-types.js';

/** A value of some value type in its TypeScript form (see TsTypeOf), or null. */
export type FeatureValue = boolean | number | bigint | string | Uint8Array | Date | JsonValue | FeatureValue[] | null;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Why `v` is not a valid value of `t` (for input from users: push rows, entity keys, request args), or the value. */
export const coerceInput = (t: ValueType, v: unknown): { value: FeatureValue } | { error: string } => {
  if (v === null || v === undefined) return { value: null };
  if (t.kind === 'list') {
    if (!Array.isArray(v)) return { error: `expected a list of ${t.of.name}, got ${describeValue(v)}` };
    const out: FeatureValue[] = [];
    for (let i = 0; i < v.length; i++) {
      const r = coerceInput(t.of, v[i]);
      if ('error' in r) return { error: `item ${i}: ${r.error}` };
      out.push(r.value);
    }
    return { value: out };
  }
  const bad = () => ({ error: `expected ${t.name}, got ${describeValue(v)}` });
  switch (t.name) {
    case 'Bool':
      return typeof v === 'boolean' ? { value: v } : bad();
    case 'Int32':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? { value: v } : bad();
    case 'Int64': {
      let b: bigint;
      if (typeof v === 'bigint') b = v;
      else if (typeof v === 'number' && Number.isSafeInteger(v)) b = BigInt(v);
      else if (typeof v === 'string' && /^-?\d{1,19}$/.test(v.trim())) b = BigInt(v.trim());
      else return bad();
      return b >= INT64_MIN && b <= INT64_MAX ? { value: b } : { error: `Int64 out of range: ${v}` };
    }
    case 'Float32':
      // Math.fround(1e39) is Infinity: a Float32 overflow is an error, not a silent null downstream.
      return typeof v === 'number' && Number.isFinite(Math.fround(v))
        ? { value: Math.fround(v) }
        : typeof v === 'number' && Number.isFinite(v)
          ? { error: `Float32 out of range: ${v}` }
          : bad();
    case 'Float64':
      return typeof v === 'number' && Number.isFinite(v) ? { value: v } : bad();
    case 'String':
      return typeof v === 'string' ? { value: v } : bad();
    case 'Bytes':
      if (v instanceof Uint8Array) return { value: v };
      if (typeof v === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(v)) return { value: new Uint8Array(Buffer.from(v, 'base64')) };
      return { error: `expected Bytes as a base64 string, got ${describeValue(v)}` };
    case 'Timestamp': {
      const d = v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? parseTimestamp(v) : null;
      return d && !Number.isNaN(d.getTime())
        ? { value: d }
        : { error: `expected a Timestamp (ISO 8601 with a time zone, or epoch milliseconds), got ${describeValue(v)}` };
    }
    case 'Json':
      return { value: v as JsonValue };
  }
};

const ISO = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?))?$/;

/**
 * Years 0001–9999: the instants every store and path can hold. Postgres stores timestamps from 4713 BC, but its
 * input parser refuses ISO text of years before 1 (year 0000, -000001); JavaScript stops at +275760.
 */
export const MIN_TIMESTAMP_MS = Date.parse('0001-01-01T00:00:00Z');
export const MAX_TIMESTAMP_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether an instant lies outside years 0001–9999 (see above): push validation and the DateTime scalar refuse it. */
export const outsideStorableYears = (d: Date): boolean => {
  const ms = d.getTime();
  return ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS;
};

/** Whether `YYYY-MM-DD…` names a day of the calendar: JavaScript's parser takes any day up to 31 in any month. */
const realDay = (s: string): boolean => {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return m >= 1 && m <= 12 && d >= 1 && d <= (m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);
};

/** ISO 8601 with a time zone (a bare date means midnight UTC), or epoch milliseconds. February 30th is no date. */
export const parseTimestamp = (v: string | number): Date | null => {
  if (typeof v === 'number') return Number.isFinite(v) ? new Date(v) : null;
  const s = v.trim();
  if (!ISO.test(s) || !realDay(s)) return null;
  const d = new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isNaN(d.getTime()) ? null : d;
};

export const describeValue = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'bigint') return `${v}`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
};

/** A value as the pg or PGlite driver returned it → its TypeScript form. */
export const fromSql = (t: ValueType, v: unknown): FeatureValue => {
  if (v === null || v === undefined) return null;
  if (t.kind === 'list') return (v as unknown[]).map((x) => fromSql(t.of, x));
  switch (t.name) {
    case 'Int64':
      return BigInt(v as string | number | bigint);
    case 'Int32':
      return Number(v);
    case 'Float32':
      return Math.fround(Number(v));
    case 'Float64':
      return Number(v);
    case 'Bytes':
      return v instanceof Uint8Array ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(Buffer.from(String(v)));
    case 'Timestamp':
      return v instanceof Date ? v : new Date(v as string);
    case 'String':
      return String(v);
    default:
      return v as FeatureValue;
  }
};

/**
 * A value → plain JSON, exactly: Int64 as a decimal string, Bytes as base64, Timestamp as epoch ms.
 * Floats go through JSON's shortest round-trip form, so they come back bit-identical.
 */
export const toJson = (t: ValueType, v: FeatureValue): JsonValue => {
  if (v === null || v === undefined) return null;
  if (t.kind === 'list') return (v as FeatureValue[]).map((x) => toJson(t.of, x));
  switch (t.name) {
    case 'Int64':
      return (v as bigint).toString();
    case 'Bytes':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'Timestamp':
      return (v as Date).getTime();
    default:
      return v as JsonValue;
  }
};

/** Inverse of `toJson`. */
export const fromJson = (t: ValueType, v: JsonValue | undefined): FeatureValue => {
  if (v === null || v === undefined) return null;
  if (t.kind === 'list') return (v as JsonValue[]).map((x) => fromJson(t.of, x));
  switch (t.name) {
    case 'Int64':
      return BigInt(v as string);
    case 'Bytes':
      return new Uint8Array(Buffer.from(v as string, 'base64'));
    case 'Timestamp':
      return new Date(v as number);
    default:
      return v;
  }
};

/** A value as a SQL parameter for a column of type `sqlTypeOf(t)`. */
export const toSqlParam = (t: ValueType, v: FeatureValue): unknown => {
  if (v === null || v === undefined) return null;
  if (t.kind === 'list') return (v as FeatureValue[]).map((x) => toSqlParam(t.of, x));
  if (t.name === 'Int64') return (v as bigint).toString();
  if (t.name === 'Json') return JSON.stringify(v);
  return v;
};

/** Canonical text of one join key value: `1001`, `C1001`. Int keys are normalised (`01001` → `1001`). */
export const canonicalKeyPart = (t: ScalarType, v: unknown): { value: string } | { error: string } => {
  const r = coerceInput(t, typeof v === 'string' && t.name !== 'String' ? v.trim() : v);
  if ('error' in r) return { error: `not a valid ${typeLabel(t)} key: ${describeValue(v)}` };
  if (r.value === null) return { error: 'a key may not be null' };
  return { value: t.name === 'String' ? (r.value as string) : `${r.value as number | bigint}` };
};

/**
 * The entity key of a row as one string: key parts joined by `|`, each escaped, so it is unique for
 * composite keys and readable in redis-cli (`1001`, `1001|C1001`).
 */
export const encodeEntityKey = (parts: readonly string[]): string =>
  parts.map((p) => p.replace(/\\/g, '\\\\').replace(/\|/g, '\\|')).join('|');

/** Canonical key string of `values` (join key name → raw value) for `keys`, or an error naming the key. */
export const entityKeyOf = (keys: readonly KeySpec[], values: Record<string, unknown>): { key: string } | { error: string } => {
  const parts: string[] = [];
  for (const k of keys) {
    const r = canonicalKeyPart(k.type, values[k.joinKey]);
    if ('error' in r) return { error: `${k.joinKey}: ${r.error}` };
    parts.push(r.value);
  }
  return { key: encodeEntityKey(parts) };
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Whether text holds an unpaired UTF-16 surrogate: it has no UTF-8 form, so no store can hold it as given. */
export const hasLoneSurrogate = (s: string): boolean => LONE_SURROGATE.test(s);
