import type { ViewSpec } from '../definitions/resolve.js';
import type { FeatureValue } from '../definitions/values.js';
import type { JsonValue, ScalarType, ValueType } from '../definitions/value-types.js';

/**
 * The tie key of a row: its feature values, in declaration order, encoded so that comparing two keys
 * bytewise gives the offline order of `latestFirstOrder` (src/offline/ordering.ts): each feature
 * descending with nulls last, text bytewise (docs/writes.md, "One tie rule"). The greater key is the
 * row point-in-time queries pick, so the Redis script, the SQL online store and push only compare
 * (event, created, tie key) and agree with `asOf` on every tie.
 *
 * Encoding per value: null → 00; otherwise 01 followed by
 * - Bool: 00 / 01; Int32, Int64, Timestamp (epoch ms): sign-flipped big-endian, 8 bytes;
 * - Float32/64: the IEEE-754 double with the usual order-preserving bit flip (-0 as 0, NaN greatest,
 *   as Postgres orders floats);
 * - String, Bytes, Json (its jsonb text, see `jsonbText`): bytes with 00 escaped as 00 FF, then 00;
 * - List: each element as 01 + value (null elements as 02: Postgres sorts them after every value),
 *   then 00, which is Postgres' element-wise array order with shorter arrays first.
 * The key travels as lowercase hex, which keeps the byte order in every store (Lua byte compare,
 * SQL `COLLATE "C"`).
 */
export const tieKey = (view: ViewSpec, values: Readonly<Record<string, FeatureValue>>): string => {
  const out: string[] = [];
  for (const f of view.features) {
    const v = values[f.name] ?? null;
    if (v === null) out.push('00');
    else out.push('01', encodeValue(f.type, v));
  }
  return out.join('');
};

const encodeValue = (t: ValueType, v: FeatureValue): string => {
  if (t.kind === 'list') {
    const parts = (v as FeatureValue[]).map((x) => (x === null || x === undefined ? '02' : `01${encodeScalar(t.of, x)}`));
    return `${parts.join('')}00`;
  }
  return encodeScalar(t, v);
};

const SIGN64 = 1n << 63n;
const u64 = (n: bigint): string => BigInt.asUintN(64, n).toString(16).padStart(16, '0');
const signed64 = (n: bigint): string => u64(n + SIGN64);

const float = (x: number): string => {
  const buf = Buffer.alloc(8);
  buf.writeDoubleBE(Number.isNaN(x) ? Number.NaN : x === 0 ? 0 : x);
  const bits = buf.readBigUInt64BE();
  return u64((bits & SIGN64) !== 0n ? ~bits : bits | SIGN64);
};

/** Bytes, escaped so no key is a prefix of a greater one: 00 → 00 ff, terminated by 00. */
const bytes = (b: Uint8Array): string => {
  let s = '';
  for (const x of b) s += x === 0 ? '00ff' : HEX[x];
  return `${s}00`;
};
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const encodeScalar = (t: ScalarType, v: FeatureValue): string => {
  switch (t.name) {
    case 'Bool':
      return v ? '01' : '00';
    case 'Int32':
    case 'Int64':
      return signed64(BigInt(v as number | bigint));
    case 'Float32':
    case 'Float64':
      return float(v as number);
    case 'Timestamp':
      return signed64(BigInt((v as Date).getTime()));
    case 'String':
      return bytes(Buffer.from(v as string, 'utf8'));
    case 'Bytes':
      return bytes(v as Uint8Array);
    case 'Json':
      return bytes(Buffer.from(jsonbText(v as JsonValue), 'utf8'));
  }
};

/**
 * A JSON value as Postgres prints a jsonb (`jsonb::text`): object keys sorted shorter first, then
 * bytewise, `": "` and `", "` separators, numbers in plain decimal notation, strings escaped like
 * Postgres' escape_json. The offline order compares Json features by this text.
 */
export const jsonbText = (v: JsonValue): string => {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return plainDecimal(v);
  if (typeof v === 'string') return jsonString(v);
  if (Array.isArray(v)) return `[${v.map(jsonbText).join(', ')}]`;
  const keys = Object.keys(v).sort((a, b) => {
    const ba = Buffer.from(a, 'utf8');
    const bb = Buffer.from(b, 'utf8');
    return ba.length - bb.length || Buffer.compare(ba, bb);
  });
  return `{${keys.map((k) => `${jsonString(k)}: ${jsonbText(v[k] ?? null)}`).join(', ')}}`;
};

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const jsonString = (s: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping control characters is the point
  `"${s.replace(/["\\\u0000-\u001f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;

/** A finite number as Postgres' numeric prints the JSON text JavaScript produces for it (no exponent). */
export const plainDecimal = (n: number): string => {
  const s = String(n === 0 ? 0 : n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int, frac = '', expText] = m;
  const exp = Number(expText);
  const digits = `${int}${frac}`;
  if (exp >= 0) return `${sign}${digits.padEnd(exp + 1, '0')}`;
  return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
};
