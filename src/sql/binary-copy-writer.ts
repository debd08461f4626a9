/**
 * Writing `COPY ... FROM (FORMAT binary)` input: the whole stream (header, tuples, trailer) in one buffer.
 * Postgres reads binary fields without parsing text (a timestamp in text costs it more than the rest of
 * the row), and the writer formats no number or date as text: for rows written at serving rate (the
 * served-feature log, docs/monitoring.md) that is most of the cost of both sides.
 */

/** The column types this writer encodes (Postgres names as in `CREATE TABLE`). */
export type BinaryColumnType = 'text' | 'integer' | 'bigint' | 'double precision' | 'boolean' | 'timestamptz' | 'jsonb';

/**
 * A value for a column: timestamps as epoch milliseconds, an ISO string or a Date; numbers as numbers or
 * decimal text; jsonb as any JSON value (serialized here). A value that cannot be the column's type is NULL.
 */
export type BinaryValue = string | number | boolean | bigint | Date | null | undefined | object;

/** The 11 bytes every binary COPY stream starts with (read by src/offline/training/binary-copy.ts too). */
export const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Postgres' epoch (2000-01-01 UTC), in milliseconds since the Unix epoch: binary timestamps count from it. */
export const PG_EPOCH_MS = 946_684_800_000;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A growing buffer written through a DataView (compiled to plain stores, unlike Buffer's checked write
 * methods): this runs for every value the served-feature log records.
 */
class Writer {
  buf: Buffer;
  view: DataView;
  pos = 0;
  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
  int16(v: number): void {
    this.reserve(2);
    this.view.setInt16(this.pos, v);
    this.pos += 2;
  }
  int32(v: number): void {
    this.reserve(4);
    this.view.setInt32(this.pos, v);
    this.pos += 4;
  }
  /** A field of 8 bytes: its length, then a double. */
  float64(v: number): void {
    this.reserve(12);
    this.view.setInt32(this.pos, 8);
    this.view.setFloat64(this.pos + 4, v);
    this.pos += 12;
  }
  /** A field of 8 bytes: its length, then an integer given as its high (signed) and low 32 bits. */
  int64(high: number, low: number): void {
    this.reserve(12);
    this.view.setInt32(this.pos, 8);
    this.view.setInt32(this.pos + 4, high);
    this.view.setUint32(this.pos + 8, low);
    this.pos += 12;
  }
  null(): void {
    this.int32(-1);
  }
  /** A text field (its length, then UTF-8), with an optional first byte (jsonb's version). */
  text(s: string, prefix?: number): void {
    const n = s.length;
    this.reserve(5 + 3 * n); // UTF-8 takes at most 3 bytes per UTF-16 unit
    const buf = this.buf;
    const at = this.pos + 4;
    let p = at;
    if (prefix !== undefined) buf[p++] = prefix;
    // ASCII, the common case (ids, statuses, keys), byte by byte; anything else through the encoder.
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) break;
      buf[p + i] = c;
    }
    p += i < n ? buf.write(i ? s.slice(i) : s, p + i, 'utf8') + i : n;
    this.view.setInt32(this.pos, p - at);
    this.pos = p;
  }
}

const timestampMs = (v: BinaryValue): number | null => {
  const ms = typeof v === 'number' ? v : v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
};

const numberOf = (v: BinaryValue): number | null => {
  const n =
    typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'bigint' ? Number(v) : Number.NaN;
  return Number.isNaN(n) ? null : n;
};

const bigintOf = (v: BinaryValue): bigint | null => {
  try {
    const b =
      typeof v === 'bigint' ? v : typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : typeof v === 'string' ? BigInt(v) : null;
    return b !== null && b >= INT64_MIN && b <= INT64_MAX ? b : null;
  } catch {
    return null;
  }
};

/** Up to 15 decimal digits: exact as a double, so no BigInt is needed (ids are usually this short). */
const SHORT_INTEGER = /^-?\d{1,15}$/;

/** JSON text of any value: bigints as decimal numbers' text, so no value makes the encoding throw. */
const json = (v: unknown): string | undefined => JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x));

const textOf = (v: BinaryValue): string =>
  typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : typeof v === 'object' ? (json(v) ?? '') : String(v);

/** An integer within ±2^53 as a bigint field: its signed high and unsigned low 32 bits. */
const safeInt64 = (w: Writer, n: number) => {
  const high = Math.floor(n / 4294967296);
  w.int64(high, n - high * 4294967296);
};

type Encode = (w: Writer, v: BinaryValue) => void;

/**
 * One encoder per column type, chosen once per column (BinaryCopyBuilder), so a row's values are not sent
 * through a switch on the type name each: the served-feature log encodes every value it records.
 */
const ENCODERS: Record<BinaryColumnType, Encode> = {
  text: (w, v) => (v === null || v === undefined ? w.null() : w.text(textOf(v))),
  jsonb: (w, v) => {
    const text = v === null || v === undefined ? undefined : json(v);
    return text === undefined ? w.null() : w.text(text, 1); // jsonb binary: version 1, then the JSON text
  },
  integer: (w, v) => {
    const n = v === null || v === undefined ? null : numberOf(v);
    if (n === null || !Number.isInteger(n) || n < -2147483648 || n > 2147483647) return w.null();
    w.int32(4);
    w.int32(n);
  },
  bigint: (w, v) => {
    if (v === null || v === undefined) return w.null();
    if (typeof v === 'number' && Number.isSafeInteger(v)) return safeInt64(w, v);
    if (typeof v === 'string' && SHORT_INTEGER.test(v)) return safeInt64(w, Number(v));
    const b = bigintOf(v);
    if (b === null) return w.null();
    w.int64(Number(BigInt.asIntN(32, b >> 32n)), Number(BigInt.asUintN(32, b)));
  },
  'double precision': (w, v) => {
    const n = typeof v === 'number' ? v : v === null || v === undefined ? null : numberOf(v);
    if (n === null) return w.null();
    w.float64(n);
  },
  boolean: (w, v) => {
    const b = typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : null;
    if (b === null) return w.null();
    w.int32(1);
    w.reserve(1);
    w.buf[w.pos++] = b ? 1 : 0;
  },
  timestamptz: (w, v) => {
    const ms = v === null || v === undefined ? null : timestampMs(v);
    if (ms === null) return w.null();
    safeInt64(w, (ms - PG_EPOCH_MS) * 1000); // exact: |micros| < 2^53 for any year 0001–9999
  },
};

/**
 * A binary COPY stream built a row at a time: each row is encoded when it is added, so rows held until a batch
 * is written are bytes outside the JavaScript heap, not arrays the garbage collector keeps copying (the
 * served-feature log holds up to a batch of rows per service between writes, docs/monitoring.md).
 */
export class BinaryCopyBuilder {
  private w: Writer;
  private count = 0;
  private readonly encoders: readonly Encode[];

  constructor(types: readonly BinaryColumnType[]) {
    this.encoders = types.map((t) => ENCODERS[t]);
    this.w = this.start(64 * 1024);
  }

  private start(size: number): Writer {
    const w = new Writer(size);
    w.pos += COPY_SIGNATURE.copy(w.buf, 0);
    w.int32(0); // flags
    w.int32(0); // header extension length
    return w;
  }

  /** Rows added since the last `take`. */
  get rows(): number {
    return this.count;
  }

  /** Encode one row, a value per column (`types[i]` for column i). */
  add(row: readonly BinaryValue[]): void {
    const { w, encoders } = this;
    const start = w.pos;
    try {
      w.int16(encoders.length);
      for (let i = 0; i < encoders.length; i++) encoders[i]!(w, row[i]);
    } catch (err) {
      w.pos = start; // all of the row or none of it: a half-written tuple would fail the whole batch
      throw err;
    }
    this.count++;
  }

  /** The whole stream of the rows added so far (header, tuples, trailer); the builder starts again empty. */
  take(): { readonly data: Buffer; readonly rows: number } {
    const w = this.w;
    w.int16(-1);
    const out = { data: w.buf.subarray(0, w.pos), rows: this.count };
    // The next batch likely needs what this one did: start at that size rather than growing to it again.
    // (Up to 1 MiB: a burst of large rows does not make every later batch allocate its size.)
    this.w = this.start(Math.min(1024 * 1024, Math.max(64 * 1024, w.buf.length)));
    this.count = 0;
    return out;
  }
}
