import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, postgresSource, repository } from '../../src/definitions/dsl.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { Int32, Int64, String as Str } from '../../src/definitions/value-types.js';
import { createPostgresOfflineStore } from '../../src/offline/postgres/store.js';
import { getHistoricalFeatures } from '../../src/offline/training-set.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { bruteForce, type SourceRow } from './brute-force.js';
import { countingClient } from './counting-client.js';

const KEYS = 20;
const TIES = 10; // rows per key, all at one event time (and two created times)
const EVENT = new Date('2026-01-01T00:00:00Z');
const NOW = new Date('2026-02-01T00:00:00Z');

/**
 * Several views whose newest rows all tie, in one training set on Postgres (docs/semantics.md, the tie rule):
 * the answer is the tie rule's, and the rows read back grow with the views, not with the ties' product.
 */
describe.each(sqlBackends)('a training set over several views with tied rows on $name', ({ open }) => {
  let sql: SqlClient;
  const schema = uniqueProject('ties');
  const rows: SourceRow[] = [];
  const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
  const view = (name: string) =>
    featureView({
      name,
      entities: [driver],
      features: { f_int: Int32, f_str: Str },
      source: postgresSource({
        name: `${name}_src`,
        table: `${schema}.tie`,
        timestampField: 'event_ts',
        createdTimestampColumn: 'created_ts',
      }),
      ttl: 0,
    });
  const repoOf = (views: number) =>
    resolveRepository(
      repository({ project: schema, entities: [driver], featureViews: Array.from({ length: views }, (_, i) => view(`t${i + 1}`)) }),
      schema,
    );
  const entityRows = Array.from({ length: KEYS * 3 }, (_, i) => ({ driver_id: String(i % KEYS), event_timestamp: NOW.toISOString() }));

  beforeAll(async () => {
    sql = await open();
    await sql.query(`CREATE SCHEMA "${schema}"`);
    await sql.query(
      `CREATE TABLE "${schema}".tie (driver_id bigint, event_ts timestamptz, created_ts timestamptz, f_int integer, f_str text)`,
    );
    await sql.query(`CREATE INDEX ON "${schema}".tie (driver_id, event_ts DESC)`);
    for (let k = 0; k < KEYS; k++)
      for (let j = 0; j < TIES; j++) {
        const created = new Date(EVENT.getTime() + (j % 2) * 1000);
        const fInt = (k * 7 + j * 3) % 4 === 3 ? null : (k * 7 + j * 3) % 4;
        const fStr = ['a', 'B', '', 'ab'][(k + j) % 4]!;
        rows.push({ keys: [String(k)], eventTs: EVENT, createdTs: created, values: [fInt, fStr] });
        await sql.query(`INSERT INTO "${schema}".tie VALUES ($1, $2, $3, $4, $5)`, [
          k,
          EVENT.toISOString(),
          created.toISOString(),
          fInt,
          fStr,
        ]);
      }
  });
  afterAll(async () => {
    await dropSchemas(sql, schema);
    await sql.close();
  });

  /** The training set over `views` views, and the bytes its statements read back. */
  const run = async (views: number) => {
    const counting = countingClient(sql);
    const features = Array.from({ length: views }, (_, i) => [`t${i + 1}:f_int`, `t${i + 1}:f_str`]).flat();
    const out = await getHistoricalFeatures(createPostgresOfflineStore(counting), repoOf(views), {
      entities: { rows: entityRows },
      features,
      now: NOW,
    });
    return { out, bytes: counting.copiedOut.bytes };
  };

  it('gives the tie rule answer in every view, reading back rows in proportion to the views, not to the ties multiplied', async () => {
    const one = await run(1);
    const four = await run(4);
    entityRows.forEach((e, i) => {
      const want = bruteForce(rows, [e.driver_id], NOW, 0, NOW);
      for (let v = 1; v <= 4; v++) {
        expect(four.out.rows[i]?.[`t${v}__f_int`], `row ${i} t${v}`).toEqual(want?.values[0] ?? null);
        expect(four.out.rows[i]?.[`t${v}__f_str`], `row ${i} t${v}`).toEqual(want?.values[1] ?? null);
      }
    });
    expect(one.bytes).toBeGreaterThan(0);
    // Four views' rows are about four times as wide; if their ties multiplied, there would be TIES^3 = 1,000 times as many.
    expect(four.bytes).toBeLessThan(one.bytes * 8);
  });
});
