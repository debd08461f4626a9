import type { ScalarType, ValueType } from '../../definitions/value-types.js';
import type { FeatureValue } from '../../definitions/values.js';
import { COPY_SIGNATURE, PG_EPOCH_MS } from '../../sql/binary-copy-writer.js';

/**
 * Reading `COPY ... TO (FORMAT binary)` output. Binary COPY is the cheapest way out of Postgres for
 * Node: no per-row protocol message, no text parsing, and floats arrive as their exact bits.
 */

const HEADER_FIXED = COPY_SIGNATURE.length + 8; // signature, flags, extension length

/** Decodes one field in place: the stream buffer, the field's offset and byte length. */
export type FieldDecoder = (b: Buffer, pos: number, len: number) => FeatureValue;

/** A bigint read as a JS number (exact below 2^53): for ordinals and line numbers, which need no bigint. */
export const int64AsNumber = (dv: DataView, pos: number): number => dv.getInt32(pos) * 4294967296 + dv.getUint32(pos + 4);

enum Kind {
  Number,
  Int64,
  Timestamp,
  Float32,
  Float64,
  Int32,
  Bool,
  Value,
}

/**
 * One result column of a chunk, kept by row index. Numbers, times and Int64 keys go in typed arrays: a
 * chunk of decoded rows is a few flat buffers the garbage collector never walks, not a JS object per value;
 * `get` makes the value (a Date, a bigint) only when the row is handed on. Every column is this one class,
 * read by one `switch`, so the decoding loop stays monomorphic.
 */
export class ColumnStore {
  private readonly nulls: Uint8Array;
  private readonly f64: Float64Array;
  private readonly f32: Float32Array;
  private readonly i32: Int32Array;
  private readonly words: Uint32Array;
  /** The same memory as `words`, read as int8s. */
  private readonly i64: BigInt64Array;
  private readonly values: FeatureValue[];

  constructor(
    readonly kind: Kind,
    n: number,
    private readonly decode: FieldDecoder | null = null,
  ) {
    this.nulls = new Uint8Array(n);
    const none = 0;
    this.f64 = new Float64Array(kind === Kind.Number || kind === Kind.Timestamp || kind === Kind.Float64 ? n : none);
    this.f32 = new Float32Array(kind === Kind.Float32 ? n : none);
    this.i32 = new Int32Array(kind === Kind.Int32 || kind === Kind.Bool ? n : none);
    this.words = new Uint32Array(kind === Kind.Int64 ? 2 * n : none);
    this.i64 = new BigInt64Array(this.words.buffer);
    this.values = kind === Kind.Value ? new Array<FeatureValue>(n).fill(null) : [];
  }

  /** Decode the field at `pos` (`len` bytes) of `b`, viewed also as `dv`, into row `r`. */
  set(r: number, b: Buffer, dv: DataView, pos: number, len: number): void {
    this.nulls[r] = 0;
    switch (this.kind) {
      case Kind.Number:
        this.f64[r] = int64AsNumber(dv, pos);
        return;
      case Kind.Int64:
        this.words[2 * r + HI] = dv.getUint32(pos);
        this.words[2 * r + LO] = dv.getUint32(pos + 4);
        return;
      case Kind.Timestamp:
        this.f64[r] = timestampMs(dv, pos);
        return;
      case Kind.Float32:
        // A Float32Array keeps a real's exact bits; reading it back gives the double readFloatBE gives.
        this.f32[r] = dv.getFloat32(pos);
        return;
      case Kind.Float64:
        this.f64[r] = dv.getFloat64(pos);
        return;
      case Kind.Int32:
        this.i32[r] = dv.getInt32(pos);
        return;
      case Kind.Bool:
        this.i32[r] = dv.getUint8(pos) === 0 ? 0 : 1;
        return;
      case Kind.Value:
        this.values[r] = (this.decode as FieldDecoder)(b, pos, len);
    }
  }

  /** Set row `r` from a decoded value (engines that do not stream binary COPY); null sets a null. */
  put(r: number, v: FeatureValue): void {
    if (v === null || v === undefined) {
      this.setNull(r);
      return;
    }
    this.nulls[r] = 0;
    switch (this.kind) {
      case Kind.Number:
      case Kind.Float64:
        this.f64[r] = Number(v);
        return;
      case Kind.Timestamp:
        this.f64[r] = v instanceof Date ? v.getTime() : Number(v);
        return;
      case Kind.Int64:
        this.i64[r] = BigInt(v as bigint | number | string);
        return;
      case Kind.Float32:
        this.f32[r] = Number(v);
        return;
      case Kind.Int32:
        this.i32[r] = Number(v);
        return;
      case Kind.Bool:
        this.i32[r] = v === true ? 1 : 0;
        return;
      case Kind.Value:
        this.values[r] = v;
    }
  }

  setNull(r: number): void {
    this.nulls[r] = 1;
    if (this.kind === Kind.Value) this.values[r] = null;
  }

  get(r: number): FeatureValue {
    if (this.nulls[r] === 1) return null;
    switch (this.kind) {
      case Kind.Number:
      case Kind.Float64:
        return this.f64[r] as number;
      case Kind.Int64:
        return this.i64[r] as bigint;
      case Kind.Timestamp:
        return new Date(this.f64[r] as number);
      case Kind.Float32:
        return this.f32[r] as number;
      case Kind.Int32:
        return this.i32[r] as number;
      case Kind.Bool:
        return this.i32[r] === 1;
      case Kind.Value:
        return this.values[r] ?? null;
    }
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Where an int8's high and low 32-bit words go in a BigInt64Array's Uint32Array view. */
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = 1 - HI;

/** Where a binary COPY stream's tuples go: a row index from the tuple's first field, then each field. */
export interface TupleTarget {
  /** The row index of the tuple whose first field (`len` bytes) is at `pos` of `dv`. */
  row(dv: DataView, pos: number, len: number): number;
  /** The tuple at `row` was read whole (a tuple cut by a chunk boundary is read again, whole, later). */
  complete(row: number): void;
}

/**
 * Read a binary COPY stream into `stores` (one per column after the first, which `target.row` reads),
 * straight from the stream buffer: no per-field slices, no per-row objects. Chunks may cut tuples anywhere;
 * an incomplete tail is read again with the next chunk. Returns the number of tuples read.
 */
export async function copyInto(chunks: AsyncIterable<Uint8Array>, stores: readonly ColumnStore[], target: TupleTarget): Promise<number> {
  let buf: Buffer = Buffer.alloc(0);
  let headerDone = false;
  let ended = false;
  let count = 0;
  const fields = stores.length + 1;
  for await (const chunk of chunks) {
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    buf = buf.length === 0 ? c : Buffer.concat([buf, c]);
    let pos = 0;
    if (!headerDone) {
      if (buf.length < HEADER_FIXED) continue;
      if (!buf.subarray(0, COPY_SIGNATURE.length).equals(COPY_SIGNATURE)) throw new Error('not a binary COPY stream');
      const ext = buf.readUInt32BE(COPY_SIGNATURE.length + 4);
      if (buf.length < HEADER_FIXED + ext) continue;
      pos = HEADER_FIXED + ext;
      headerDone = true;
    }
    // Positions below are offsets into `buf`, which `dv` views from its first byte.
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const size = buf.length;
    for (;;) {
      if (size - pos < 2) break;
      const n = dv.getInt16(pos);
      if (n === -1) {
        ended = true;
        pos += 2;
        break;
      }
      if (n !== fields) throw new Error(`binary COPY tuple has ${n} fields, expected ${fields}`);
      let p = pos + 2;
      if (size - p < 4) break;
      const firstLen = dv.getInt32(p);
      p += 4;
      if (firstLen < 0 || size - p < firstLen) break;
      const row = target.row(dv, p, firstLen);
      p += firstLen;
      let complete = true;
      for (let i = 0; i < stores.length; i++) {
        if (size - p < 4) {
          complete = false;
          break;
        }
        const len = dv.getInt32(p);
        p += 4;
        const store = stores[i] as ColumnStore;
        if (len === -1) store.setNull(row);
        else {
          if (size - p < len) {
            complete = false;
            break;
          }
          store.set(row, buf, dv, p, len);
          p += len;
        }
      }
      if (!complete) break;
      pos = p;
      target.complete(row);
      count++;
    }
    buf = buf.subarray(pos);
  }
  if (headerDone && !ended) throw new Error('binary COPY stream ended before its trailer');
  return count;
}

const PG_EPOCH_US = PG_EPOCH_MS * 1000; // 2000-01-01 in µs since 1970
const PG_EPOCH_US_BIG = BigInt(PG_EPOCH_US);

/**
 * timestamptz: µs since 2000-01-01 UTC → epoch ms, dropping sub-millisecond digits (rounding toward the
 * past), as the text path (parsing the printed value) does. ±infinity → NaN (an invalid Date, as its text gives).
 */
const timestampMs = (dv: DataView, pos: number): number => {
  const us = int64AsNumber(dv, pos) + PG_EPOCH_US;
  if (Math.abs(us) < Number.MAX_SAFE_INTEGER) return Math.floor(us / 1000);
  const big = dv.getBigInt64(pos);
  if (big === 9223372036854775807n || big === -9223372036854775808n) return Number.NaN;
  const u = big + PG_EPOCH_US_BIG;
  const q = u / 1000n;
  return Number(u < 0n && q * 1000n !== u ? q - 1n : q);
};

const timestamp = (b: Buffer, pos: number): Date => new Date(timestampMs(new DataView(b.buffer, b.byteOffset, b.byteLength), pos));

const scalarDecoder = (t: ScalarType): FieldDecoder => {
  switch (t.name) {
    case 'Bool':
      return (b, pos) => b[pos] !== 0;
    case 'Int32':
      return (b, pos) => b.readInt32BE(pos);
    case 'Int64':
      return (b, pos) => b.readBigInt64BE(pos);
    case 'Float32':
      return (b, pos) => b.readFloatBE(pos);
    case 'Float64':
      return (b, pos) => b.readDoubleBE(pos);
    case 'String':
      return (b, pos, len) => b.toString('utf8', pos, pos + len);
    case 'Bytes':
      // A copy, so the value does not pin the whole stream chunk.
      return (b, pos, len) => new Uint8Array(b.subarray(pos, pos + len));
    case 'Timestamp':
      return timestamp;
    case 'Json':
      // jsonb: a version byte (1), then the JSON text.
      return (b, pos, len) => JSON.parse(b.toString('utf8', pos + 1, pos + len)) as FeatureValue;
  }
};

/** One-dimensional array: ndim, has-null flag, element oid, (size, lower bound) per dimension, then elements. */
const arrayDecoder =
  (elem: FieldDecoder): FieldDecoder =>
  (b, pos) => {
    const ndim = b.readInt32BE(pos);
    if (ndim === 0) return [];
    if (ndim !== 1) throw new Error(`expected a one-dimensional array, got ${ndim} dimensions`);
    const size = b.readInt32BE(pos + 12);
    const out: FeatureValue[] = new Array<FeatureValue>(size);
    let p = pos + 20;
    for (let i = 0; i < size; i++) {
      const len = b.readInt32BE(p);
      p += 4;
      if (len === -1) out[i] = null;
      else {
        out[i] = elem(b, p, len);
        p += len;
      }
    }
    return out as FeatureValue;
  };

/**
 * Decoder of one binary field of SQL type `sqlTypeOf(t)` into the value `fromSql` gives for the same
 * value read as text (callers cast every column to that type).
 */
export const binaryDecoder = (t: ValueType): FieldDecoder => (t.kind === 'list' ? arrayDecoder(scalarDecoder(t.of)) : scalarDecoder(t));

/** Value types kept in typed arrays; the others (strings, bytes, JSON, lists) are kept as JS values. */
const TYPED_KINDS: Partial<Record<ScalarType['name'], Kind>> = {
  Bool: Kind.Bool,
  Int32: Kind.Int32,
  Int64: Kind.Int64,
  Float32: Kind.Float32,
  Float64: Kind.Float64,
  Timestamp: Kind.Timestamp,
};

/**
 * A store for `n` rows of a column of SQL type `sqlTypeOf(t)`, whose values equal what `fromSql` gives
 * for the same value read as text; `number` keeps an int8 as a JS number (ordinals, line numbers).
 */
export const columnStore = (t: ValueType | 'number', n: number): ColumnStore => {
  if (t === 'number') return new ColumnStore(Kind.Number, n);
  const kind = t.kind === 'scalar' ? TYPED_KINDS[t.name] : undefined;
  return kind === undefined ? new ColumnStore(Kind.Value, n, binaryDecoder(t)) : new ColumnStore(kind, n);
};
