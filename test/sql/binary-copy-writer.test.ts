import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BinaryCopyBuilder, type BinaryColumnType, type BinaryValue } from '../../src/sql/binary-copy-writer.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/index.js';
import { createPgClient } from '../../src/sql/pg.js';
import { available, describeWith } from '../support/services.js';

/** The whole COPY stream of `rows`. */
const binaryCopy = (types: readonly BinaryColumnType[], rows: readonly (readonly BinaryValue[])[]): Buffer => {
  const b = new BinaryCopyBuilder(types);
  for (const row of rows) b.add(row);
  return b.take().data;
};

const TYPES: BinaryColumnType[] = ['text', 'integer', 'bigint', 'double precision', 'boolean', 'timestamptz', 'jsonb'];
const COLUMNS = ['t', 'i', 'b', 'd', 'o', 'ts', 'j'];

// Each row: what is written, then what Postgres must hold (as text, via the casts below; null is SQL NULL).
const CASES: { row: BinaryValue[]; want: (string | null)[] }[] = [
  {
    row: ['plain', 1, '9007199254740993', 0.1, true, Date.UTC(2026, 11, 1, 10, 0, 0, 123), { a: [1, 'x'] }],
    want: ['plain', '1', '9007199254740993', '0.1', 'true', '2026-12-01 10:00:00.123+00', '{"a": [1, "x"]}'],
  },
  {
    // Separators, quotes, newlines and non-ASCII text; extremes of each integer type; a time before 2000.
    row: ['a,"b"\n\\é😀', -2147483648, -9223372036854775808n, -1.5e-300, false, '1969-07-20T20:17:40.5Z', 'just a string'],
    want: ['a,"b"\n\\é😀', '-2147483648', '-9223372036854775808', '-1.5e-300', 'false', '1969-07-20 20:17:40.5+00', '"just a string"'],
  },
  {
    // Values that cannot be the column's type are NULL, never an error that loses the batch.
    row: ['', 2 ** 31, '12x', 'not a number', 'maybe', 'not a time', undefined],
    want: ['', null, null, null, null, null, null],
  },
  { row: [null, null, null, null, null, null, null], want: [null, null, null, null, null, null, null] },
  { row: [42, '7', 123, '2.5', 'true', new Date(0), [1, 2]], want: ['42', '7', '123', '2.5', 'true', '1970-01-01 00:00:00+00', '[1, 2]'] },
  // Bigints on both sides of the 15-digit fast path (no BigInt), negative, from numbers and from text.
  {
    row: ['s', -7, '-999999999999999', -0, false, -1, null],
    want: ['s', '-7', '-999999999999999', '-0', 'false', '1969-12-31 23:59:59.999+00', null],
  },
  {
    row: ['l', 0, '-1234567890123456', 1, true, 0, null],
    want: ['l', '0', '-1234567890123456', '1', 'true', '1970-01-01 00:00:00+00', null],
  },
  { row: ['n', 0, 2 ** 53 - 1, 1, true, 0, null], want: ['n', '0', '9007199254740991', '1', 'true', '1970-01-01 00:00:00+00', null] },
  { row: ['m', 0, -(2 ** 40) - 3, 1, true, 0, null], want: ['m', '0', '-1099511627779', '1', 'true', '1970-01-01 00:00:00+00', null] },
  { row: ['z', 0, '007', 1, true, 0, null], want: ['z', '0', '7', '1', 'true', '1970-01-01 00:00:00+00', null] },
];

const roundTrip = (connect: () => Promise<SqlClient>) => {
  let sql: SqlClient;
  const table = `bcw_${randomBytes(4).toString('hex')}`;
  beforeAll(async () => {
    sql = await connect();
    await sql.query("SET TIME ZONE 'UTC'");
    await sql.query(
      `CREATE TABLE ${table} (n integer, t text, i integer, b bigint, d double precision, o boolean, ts timestamptz, j jsonb)`,
    );
  });
  afterAll(async () => {
    await sql.query(`DROP TABLE IF EXISTS ${table}`);
    await sql.close();
  });

  it('loads every type, NULLs and unconvertible values exactly as Postgres reads them', async () => {
    const rows = CASES.map((c, n) => [n, ...c.row]);
    const written = await sql.copyFromBinary(table, ['n', ...COLUMNS], binaryCopy(['integer', ...TYPES], rows));
    expect(written).toBe(CASES.length);
    const r = await sql.query<Record<string, string | null>>(
      `SELECT n, t, i::text, b::text, d::text, o::text, ts::text, j::text FROM ${table} ORDER BY n`,
    );
    expect(r.rows.map((x) => COLUMNS.map((c) => x[c] ?? null))).toEqual(CASES.map((c) => c.want));
  });

  it('writes a buffer larger than its first allocation', async () => {
    const big = 'x'.repeat(100_000);
    const rows = Array.from({ length: 20 }, (_, i) => [100 + i, big, i, i, i, true, i, { i }]);
    expect(await sql.copyFromBinary(table, ['n', ...COLUMNS], binaryCopy(['integer', ...TYPES], rows))).toBe(20);
    const r = await sql.query<{ n: string; s: string }>(
      `SELECT count(*)::text AS n, sum(length(t))::text AS s FROM ${table} WHERE n >= 100`,
    );
    expect(r.rows[0]).toEqual({ n: '20', s: String(20 * big.length) });
  });

  it('keeps all of a row or none of it when a value cannot be encoded, and bigints inside JSON as text', async () => {
    const b = new BinaryCopyBuilder(['integer', ...TYPES]);
    b.add([200, 'before', 1, 1, 1, true, 0, { big: 2n ** 70n }]);
    const poison = {
      toJSON() {
        throw new Error('not JSON');
      },
    };
    expect(() => b.add([201, 'poisoned', 1, 1, 1, true, 0, poison])).toThrow('not JSON');
    b.add([202, 'after', 1, 1, 1, true, 0, [5n, 6n]]);
    const { data, rows } = b.take();
    expect(rows).toBe(2);
    expect(await sql.copyFromBinary(table, ['n', ...COLUMNS], data)).toBe(2);
    const r = await sql.query<{ n: number; t: string; j: string }>(`SELECT n, t, j::text AS j FROM ${table} WHERE n >= 200 ORDER BY n`);
    expect(r.rows).toEqual([
      { n: 200, t: 'before', j: '{"big": "1180591620717411303424"}' },
      { n: 202, t: 'after', j: '["5", "6"]' },
    ]);
  });
};

describe('binary COPY writer on PGlite', () => roundTrip(() => createPgliteClient()));
describeWith('DATABASE_URL', 'binary COPY writer on Postgres', () => {
  if (available('DATABASE_URL')) roundTrip(async () => createPgClient(process.env.DATABASE_URL!, { max: 1 }));
});
