import type { ScalarType, ValueType } from '../../definitions/value-types.js';
import type { FeatureValue } from '../../definitions/values.js';

/**
 * Reading `COPY ... TO (FORMAT binary)` output. Binary COPY is the cheapest way out of Postgres for
 * Node: no per-row protocol message, no text parsing, and floats arrive as their exact bits.
 */

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_FIXED = SIGNATURE.length + 8; // signature, flags, extension length

/** Decodes one field in place: the stream buffer, the field's offset and byte length. */
export type FieldDecoder = (b: Buffer, pos: number, len: number) => FeatureValue;

/**
 * Split a binary COPY stream into tuples decoded field by field (`decoders[i]` for column i, straight from
 * the stream buffer: no per-field slices), yielded in batches of at most `batchSize`.
 * Chunks may cut tuples anywhere; an incomplete tail waits for the next chunk.
 */
export async function* copyTuples(chunks: AsyncIterable<Uint8Array>, decoders: readonly FieldDecoder[], batchSize: number): AsyncIterable<FeatureValue[][]> {
  let buf: Buffer = Buffer.alloc(0);
  let headerDone = false;
  let ended = false;
  let batch: FeatureValue[][] = [];
  for await (const chunk of chunks) {
    const c = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    buf = buf.length === 0 ? c : Buffer.concat([buf, c]);
    let pos = 0;
    if (!headerDone) {
      if (buf.length < HEADER_FIXED) continue;
      if (!buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
      const ext = buf.readUInt32BE(SIGNATURE.length + 4);
      if (buf.length < HEADER_FIXED + ext) continue;
      pos = HEADER_FIXED + ext;
      headerDone = true;
    }
    const size = buf.length;
    for (;;) {
      if (size - pos < 2) break;
      const n = buf.readInt16BE(pos);
      if (n === -1) {
        ended = true;
        pos += 2;
        break;
      }
      // Decode optimistically; a tuple cut by the chunk's end is dropped and decoded again with the next chunk.
      const row: FeatureValue[] = new Array<FeatureValue>(n);
      let p = pos + 2;
      let complete = true;
      for (let i = 0; i < n; i++) {
        if (size - p < 4) {
          complete = false;
          break;
        }
        const len = buf.readInt32BE(p);
        p += 4;
        if (len === -1) row[i] = null;
        else {
          if (size - p < len) {
            complete = false;
            break;
          }
          row[i] = (decoders[i] as FieldDecoder)(buf, p, len);
          p += len;
        }
      }
      if (!complete) break;
      pos = p;
      batch.push(row);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
    buf = buf.subarray(pos);
  }
  if (batch.length > 0) yield batch;
  if (headerDone && !ended) throw new Error('binary COPY stream ended before its trailer');
}

const PG_EPOCH_US = 946_684_800_000_000; // 2000-01-01 in µs since 1970
const PG_EPOCH_US_BIG = 946_684_800_000_000n;

/**
 * timestamptz: µs since 2000-01-01 UTC → Date, dropping sub-millisecond digits (rounding toward the past),
 * as the text path (parsing the printed value) does. ±infinity → an invalid Date, as its text does.
 */
const timestamp = (b: Buffer, pos: number): Date => {
  const us = b.readInt32BE(pos) * 4294967296 + b.readUInt32BE(pos + 4) + PG_EPOCH_US;
  if (Math.abs(us) < Number.MAX_SAFE_INTEGER) return new Date(Math.floor(us / 1000));
  const big = b.readBigInt64BE(pos);
  if (big === 9223372036854775807n || big === -9223372036854775808n) return new Date(Number.NaN);
  const u = big + PG_EPOCH_US_BIG;
  const q = u / 1000n;
  return new Date(Number(u < 0n && q * 1000n !== u ? q - 1n : q));
};

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

/** A bigint read as a JS number (exact below 2^53): for ordinals and line numbers, which need no bigint. */
export const int64AsNumber: FieldDecoder = (b, pos) => b.readInt32BE(pos) * 4294967296 + b.readUInt32BE(pos + 4);

/** Skips a field nobody reads. */
export const skipField: FieldDecoder = () => null;

/**
 * Decoder of one binary field of SQL type `sqlTypeOf(t)` into the value `fromSql` gives for the same
 * value read as text (callers cast every column to that type).
 */
export const binaryDecoder = (t: ValueType): FieldDecoder => (t.kind === 'list' ? arrayDecoder(scalarDecoder(t.of)) : scalarDecoder(t));
