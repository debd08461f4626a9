import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSql, projectSchema, pushTableName, quoteIdent, type FeatureValue } from '../../src/definitions/index.js';
import { latestFirstOrder } from '../../src/offline/postgres/ordering.js';
import { appendOffline } from '../../src/offline/postgres/push-append.js';
import { compareRows } from '../../src/online/store.js';
import { jsonbText, tieKey } from '../../src/online/tie-key.js';
import { ensurePushTable } from '../../src/registry/store-tables.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { semanticsViews } from './semantics-views.js';

/** Small pools of awkward values, so random rows tie on many features and differ late. */
const pools: Record<string, FeatureValue[]> = {
  b: [null, false, true],
  i32: [null, -(2 ** 31), -1, 0, 1, 2 ** 31 - 1],
  i64: [null, -(2n ** 63n), -9007199254740993n, -1n, 0n, 9007199254740993n, 2n ** 63n - 1n],
  f32: [null, -0, 0, Math.fround(0.1), Math.fround(-3.4e38), Math.fround(1e-10)],
  f64: [null, -1.5, -0, 5e-324, 0.1, 1e21, 1.7976931348623157e308],
  s: [null, '', 'a', 'ab', 'B', 'é', '\uE000', '😀', 'a b'],
  by: [null, new Uint8Array([]), new Uint8Array([0]), new Uint8Array([0, 0]), new Uint8Array([1]), new Uint8Array([255, 0])],
  ts: [null, new Date(-1), new Date(0), new Date(Date.UTC(2024, 1, 29)), new Date(Date.UTC(1, 0, 1))],
  j: [null, 1, 1e21, 1.5e-7, -2, 'x', '', [], [1, 2], { b: 1, aa: 2 }, { a: { c: [true, null] } }, { z: 'q"\n' }, false],
  l_i64: [null, [], [null], [1n], [1n, null], [1n, 2n], [-5n], [2n]],
  l_f32: [null, [], [Math.fround(0.5)], [Math.fround(0.5), null], [-1]],
  l_s: [null, [], [''], ['a'], ['a', null], ['a', ''], ['b'], ['NULL'], ['{x}']],
  l_by: [null, [], [new Uint8Array([0])], [new Uint8Array([])], [null]],
  l_ts: [null, [], [new Date(0)], [new Date(0), null], [new Date(1)]],
  l_b: [null, [], [false], [true], [true, null]],
};

const rand = (seed: number) => {
  let s = seed >>> 0;
  return (n: number) => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) % n;
};

for (const backend of sqlBackends) {
  describe(`one tie rule: tieKey orders exactly like the offline ORDER BY (${backend.name})`, () => {
    const project = uniqueProject('tie');
    const views = semanticsViews(project);
    const view = views.allTypes;
    let sql: SqlClient;
    beforeAll(async () => {
      sql = await backend.open();
      await sql.query(`CREATE SCHEMA ${quoteIdent(projectSchema(project))}`);
      expect(await ensurePushTable(sql, project, view)).toEqual([]);
    });
    afterAll(async () => {
      await dropSchemas(sql, projectSchema(project));
      await sql.close();
    });

    it('ranks 2,000 fully tied rows (same key, event and created time) in the same order as SQL', async () => {
      const r = rand(42);
      const t = new Date(Date.UTC(2026, 0, 1));
      const rows = Array.from({ length: 2000 }, (_, i) => {
        const values: Record<string, FeatureValue> = {};
        // Features late in declaration order vary more often, so most pairs tie on the early ones.
        view.features.forEach((f, fi) => {
          const pool = pools[f.name]!;
          values[f.name] = fi < 8 && r(4) !== 0 ? pool[1]! : pool[r(pool.length)]!;
        });
        return { keys: { customer_id: `k${i % 20}` }, createdGiven: true, row: { key: `k${i % 20}`, eventTs: t, createdTs: t, values } };
      });
      const { inserted } = await appendOffline(sql, project, view, rows);
      expect(inserted).toBeGreaterThan(1000);
      const table = pushTableName(project, view.name);
      const cols = view.features.map((f) => quoteIdent(f.column)).join(', ');
      const res = await sql.query<Record<string, unknown>>(
        `SELECT customer_id, ${cols} FROM ${table} s ORDER BY customer_id, ${latestFirstOrder(view, 's')}`,
      );
      expect(res.rows).toHaveLength(inserted);
      const sqlOrder = new Map<string, string[]>();
      for (const row of res.rows) {
        const values = Object.fromEntries(view.features.map((f) => [f.name, fromSql(f.type, row[f.column])]));
        const list = sqlOrder.get(row.customer_id as string) ?? [];
        list.push(tieKey(view, values));
        sqlOrder.set(row.customer_id as string, list);
      }
      for (const [key, got] of sqlOrder) {
        const want = rows
          .filter((x) => x.row.key === key)
          .map((x) => tieKey(view, x.row.values))
          .filter((x, i, all) => all.indexOf(x) === i) // identical rows of a batch are stored once
          .sort((a, b) => -compareRows({ eventTs: t, createdTs: t, tie: a }, { eventTs: t, createdTs: t, tie: b }));
        expect(got, `key ${key}`).toEqual(want);
      }
    });

    it('prints Json as Postgres prints jsonb', async () => {
      for (const v of pools.j!.filter((x) => x !== null)) {
        const res = await sql.query<{ t: string }>('SELECT $1::jsonb::text AS t', [JSON.stringify(v)]);
        expect(jsonbText(v as never), JSON.stringify(v)).toBe(res.rows[0]!.t);
      }
    });
  });
}
