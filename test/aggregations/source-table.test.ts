import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Float64,
  Int32,
  String as Str,
  aggregationView,
  count,
  entity,
  last,
  max,
  min,
  postgresSource,
  repository,
  sum,
} from '../../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { materializeViews } from '../../src/materialize/index.js';
import { openOfflineStore } from '../../src/offline/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

/**
 * An aggregation view over a Postgres table of raw events (docs/aggregations.md): copies of one event count
 * once, as the copy with the earliest created time — chosen among all copies, not only those inside the
 * window — and event times are milliseconds, online and offline alike (a source may hold microseconds).
 */
describe.each(sqlBackends)('aggregation views over a Postgres source table on $name', ({ open }) => {
  const project = uniqueProject('aggsrc');
  const schema = `${project}_src`;
  let sql: SqlClient;
  let repo: ResolvedRepository;
  let online: OnlineStore;
  const t = Math.floor(Date.now() / 1000) * 1000 - 2000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const micro = (ms: number, us: number) => `${iso(ms).slice(0, 23)}${String(us).padStart(3, '0')}Z`;

  beforeAll(async () => {
    sql = await open();
    await sql.query(`CREATE SCHEMA "${schema}"`);
    await sql.query(
      `CREATE TABLE "${schema}".ev (customer_id text, eid text, amount int, event_timestamp timestamptz, created timestamptz, score float8)`,
    );
    await sql.query(
      `INSERT INTO "${schema}".ev VALUES
        ('A', 'dup', 1, $1, $2), ('A', 'dup', 1000, $3, $4),
        ('B', 'edge', 1, $5, $7), ('B', 'end', 10, $6, $7), ('B', 'after', 100, $8, $7)`,
      [
        iso(t - 600_000),
        iso(t - 900_000),
        iso(t - 60_000),
        iso(t - 30_000),
        micro(t - 300_000, 500),
        micro(t, 500),
        iso(t - 1000),
        iso(t + 1),
      ],
    );
    // Non-finite floats, which only a source table can hold: null in every store.
    await sql.query(
      `INSERT INTO "${schema}".ev VALUES ('C', 'c1', 1, $1, $1, 'NaN'), ('C', 'c2', 1, $2, $2, 1.5), ('C', 'c3', 1, $3, $3, 'Infinity'),
        ('C', 'c4', 1, $4, $4, '-Infinity')`,
      [iso(t - 40_000), iso(t - 30_000), iso(t - 20_000), iso(t - 10_000)],
    );
    // D: two events in the same millisecond, the one 0.5 ms later in the source created earlier: the same
    // millisecond, so the later-created one is the last, online and offline alike.
    await sql.query(`INSERT INTO "${schema}".ev VALUES ('D', 'u1', 1, $1, $1, 1), ('D', 'u2', 1, $2, $3, 2)`, [
      micro(t - 5000, 500),
      iso(t - 5000),
      iso(t - 4100),
    ]);
    const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
    const defs = repository({
      project,
      aggregationViews: [
        aggregationView({
          name: 'acts',
          entities: [customer],
          source: postgresSource({
            name: 'ev',
            table: `${schema}.ev`,
            timestampField: 'event_timestamp',
            createdTimestampColumn: 'created',
          }),
          eventId: 'eid',
          fields: { eid: Str, amount: Int32, score: Float64 },
          aggregations: {
            n_5m: count('5m'),
            s_5m: sum('amount', '5m'),
            n_1h: count('1h'),
            lo: min('score', '1h'),
            hi: max('score', '1h'),
            late: last('score', '1h'),
          },
        }),
      ],
    });
    await applyRepository(sql, defs, { project, onlineTables: true });
    repo = resolveRepository(defs, project);
    online = createSqlOnlineStore(sql, project);
    await materializeViews({ sql, offline: openOfflineStore(sql), online, repo }, { start: new Date(0), end: new Date() });
  });
  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
  });

  it('counts the earliest-created copy of an event, by its millisecond, online and asOf alike', async () => {
    const spec = repo.aggregationViews[0]!;
    const keys = ['A', 'B', 'C', 'D'];
    const on = (await online.read([], [{ spec, keys, at: t }]))[0]!.map((r) => r!.values);
    const off = (
      await openOfflineStore(sql).aggregate(
        spec,
        keys.map((k) => ({ keys: [k], asOf: new Date(t) })),
        { now: new Date() },
      )
    ).map((r) => r.values);
    expect(off).toEqual(on);
    // A: the copy created first is 10 minutes old (outside 5m, inside 1h); the later copy does not count.
    // B: 'edge' is at t − 5m + 0.5 ms, in millisecond t − 5m: out; 'end' at t + 0.5 ms is millisecond t: in.
    // C: NaN and ±Infinity are null: min = max = 1.5, and the last event's score is null.
    expect(on).toEqual([
      { n_5m: 0, s_5m: 0n, n_1h: 1, lo: null, hi: null, late: null },
      { n_5m: 1, s_5m: 10n, n_1h: 2, lo: null, hi: null, late: null },
      { n_5m: 4, s_5m: 4n, n_1h: 4, lo: 1.5, hi: 1.5, late: null },
      { n_5m: 2, s_5m: 2n, n_1h: 2, lo: 1, hi: 2, late: 2 },
    ]);
  });
});
