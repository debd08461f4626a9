import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Bool,
  Bytes,
  Float32,
  Float64,
  Int32,
  Int64,
  Json,
  List,
  String as Str,
  Timestamp,
  sqlTypeOf,
  type ValueType,
} from '../../src/definitions/value-types.js';
import { fromSql } from '../../src/definitions/values.js';
import type { SqlClient } from '../../src/sql/client.js';
import { columnStore, copyInto, int64AsNumber } from '../../src/offline/training/binary-copy.js';
import { sqlBackends } from '../support/env.js';

/** Literal values of every value type, including edge cases, as SQL text. */
const CASES: [ValueType, string][] = [
  [Bool, 'true'],
  [Int32, '-2147483648'],
  [Int64, '9223372036854775807'],
  [Int64, '-42'],
  [Float32, '0.1'],
  [Float32, '-3.4028235e38'],
  [Float64, '0.1'],
  [Float64, '-1.7976931348623157e308'],
  [Float64, "'NaN'"],
  [Str, `'héllo, "wörld" ✓'`],
  [Str, "''"],
  [Bytes, `'\\x00ff10'`],
  [Timestamp, `'2024-03-01T12:34:56.789Z'`],
  [Timestamp, `'1969-12-31T23:59:59.9995Z'`],
  [Timestamp, `'1999-06-01T00:00:00.0004Z'`],
  [Timestamp, `'1066-10-14T09:00:00Z'`],
  [Json, `'{"a": [1, 2.5, "x"], "b": null}'`],
  [List(Float32), `ARRAY[0.1, NULL, -2]`],
  [List(Int64), `ARRAY[9007199254740993, -1]`],
  [List(Str), `ARRAY['a', '', NULL]`],
  [List(Int32), `'{}'`],
  [Str, 'NULL'],
];

describe.each(sqlBackends)('binary COPY decoding on $name', ({ open }) => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await open();
  });
  afterAll(async () => {
    await sql.close();
  });

  it('decodes every value type to exactly what the text path gives, in tuples split across any chunk boundary', async () => {
    const select = CASES.map(([t, v], i) => `(${v})::${sqlTypeOf(t)} AS c${i}`).join(', ');
    const query = `SELECT g::bigint AS n, ${select} FROM generate_series(1, 3) g`;
    const text = await sql.transaction(async (tx) => {
      await tx.query(`SET LOCAL TIME ZONE 'UTC'`);
      return (await tx.query<Record<string, unknown>>(query)).rows;
    });
    const want = text.map((r) => CASES.map(([t], i) => fromSql(t, r[`c${i}`])));
    const chunks: Uint8Array[] = [];
    for await (const c of sql.copyTo(query)) chunks.push(c);
    const all = Buffer.concat(chunks);
    // Re-split the stream into 7-byte pieces: tuples and the header straddle chunk boundaries.
    async function* pieces() {
      for (let i = 0; i < all.length; i += 7) yield all.subarray(i, i + 7);
    }
    // Rows are placed by their first column (1, 2, 3 → rows 2, 1, 0) and read back from the stores.
    const stores = CASES.map(([t]) => columnStore(t, 3));
    const completed: number[] = [];
    const count = await copyInto(pieces(), stores, { row: (dv, pos) => 3 - int64AsNumber(dv, pos), complete: (r) => completed.push(r) });
    expect(count).toBe(3);
    expect(completed).toEqual([2, 1, 0]);
    const got = [2, 1, 0].map((r) => stores.map((s) => s.get(r)));
    expect(got).toHaveLength(3);
    got.forEach((row, r) =>
      row.forEach((v, i) => {
        const w = want[r]?.[i];
        const where = `column ${i} (${CASES[i]?.[1]})`;
        if (typeof w === 'number') expect(Object.is(v, w) || (Number.isNaN(w) && Number.isNaN(v)), where).toBe(true);
        else expect(v, where).toEqual(w);
      }),
    );
  });
});
