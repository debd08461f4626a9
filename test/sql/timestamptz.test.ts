import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../src/sql/client.js';
import { sqlBackends } from '../support/env.js';

/**
 * Both backends read a timestamptz as the pg driver does: PGlite's own parser gave `new Date(text)`, which
 * reads years 0001–0099 as 19xx/20xx — a pushed `0001-03-04` came back as 2004-01-03.
 */
describe.each(sqlBackends)('timestamptz values read back on $name', ({ open }) => {
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await open();
  });
  afterAll(async () => {
    await sql.close();
  });

  it('are the instants written, for every year a push accepts, to the millisecond', async () => {
    const instants = [
      '0001-01-01T00:00:00.000Z',
      '0001-03-04T05:06:07.891Z',
      '0099-12-31T23:59:59.999Z',
      '0100-02-28T12:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2024-02-29T00:00:00.001Z',
      '9999-12-31T23:59:59.999Z',
    ];
    const r = await sql.query<{ t: Date }>('SELECT t FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(t, o) ORDER BY o', [instants]);
    expect(r.rows.map((x) => x.t.toISOString())).toEqual(instants);
    // Microseconds are truncated, as pg truncates them; an offset is applied.
    const m = await sql.query<{ a: Date; b: Date }>(
      `SELECT '2026-01-02 03:04:05.678999+00'::timestamptz AS a, '0050-06-01 12:00:00+05:30'::timestamptz AS b`,
    );
    expect(m.rows[0]!.a.toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(m.rows[0]!.b.toISOString()).toBe('0050-06-01T06:30:00.000Z');
  });
});
