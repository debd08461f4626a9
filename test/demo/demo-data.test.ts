import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_IDS, DEMO_DRIVER_IDS, DEMO_TRIP_IDS, demoAnchor, generateDemoData, splitQualified } from '../../schema/demo-data.js';
import { pushTableName } from '../../src/definitions/resolve.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

const NOW = new Date('2025-03-14T10:37:12.345Z');
const ANCHOR = new Date('2025-03-14T10:00:00.000Z');
const HOUR = 3_600_000;

interface Target {
  readonly schema: string;
  readonly pushSchema: string;
  readonly pushTable: string;
}

const newTarget = (): Target => {
  const project = uniqueProject('demo');
  return { schema: `demo_${project}`, pushSchema: `fg_${project}`, pushTable: pushTableName(project, 'location_risk') };
};

const run = (sql: SqlClient, t: Target, now: Date, onProgress?: (msg: string) => void) =>
  generateDemoData(sql, { now, schema: t.schema, pushTable: t.pushTable, ...(onProgress ? { onProgress } : {}) });

/** Every row of the four tables, as text, in a fixed order. */
const dump = async (sql: SqlClient, t: Target): Promise<Record<string, string[]>> => {
  const q = async (relation: string, key: string) =>
    (await sql.query<{ r: string }>(`SELECT t::text AS r FROM ${relation} t ORDER BY ${key}, event_timestamp`)).rows.map((x) => x.r);
  return {
    driver_hourly_stats: await q(`"${t.schema}".driver_hourly_stats`, 'driver_id'),
    credit_scores: await q(`"${t.schema}".credit_scores`, 'customer_id'),
    accident_history: await q(`"${t.schema}".accident_history`, 'customer_id'),
    location_risk: await q(t.pushTable, 'customer_id'),
    trip_facts: await q(`"${t.schema}".trip_facts`, 'trip_id'),
  };
};

/** The rows of `wanted` that `have` lacks. */
const missing = (have: readonly string[] | undefined, wanted: readonly string[] | undefined): string[] => {
  const set = new Set(have ?? []);
  return (wanted ?? []).filter((r) => !set.has(r));
};

const count = async (sql: SqlClient, relation: string): Promise<number> =>
  Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${relation}`)).rows[0]?.n);

describe('demo data helpers', () => {
  it('floors the anchor to the hour and reads qualified names', () => {
    expect(demoAnchor(NOW).toISOString()).toBe(ANCHOR.toISOString());
    expect(splitQualified('"fg_demo"."push_location_risk"')).toEqual({ schema: 'fg_demo', table: 'push_location_risk' });
    expect(splitQualified('fg_x.push_y')).toEqual({ schema: 'fg_x', table: 'push_y' });
    expect(() => splitQualified('nodot')).toThrow();
    expect(DEMO_DRIVER_IDS).toHaveLength(100);
    expect(DEMO_CUSTOMER_IDS[0]).toBe('C1001');
    expect(DEMO_CUSTOMER_IDS[99]).toBe('C1100');
  });
});

describe.each(sqlBackends)('generateDemoData on $name', ({ open }) => {
  let sql: SqlClient;
  const targets: Target[] = [];
  const target = () => {
    const t = newTarget();
    targets.push(t);
    return t;
  };

  beforeAll(async () => {
    sql = await open();
  });
  afterAll(async () => {
    for (const t of targets) await dropSchemas(sql, t.schema, t.pushSchema);
    await sql.close();
  });

  it('fills a week of data, deterministically, and a second run inserts nothing', async () => {
    const a = target();
    const messages: string[] = [];
    const started = Date.now();
    const first = await run(sql, a, NOW, (m) => messages.push(m));
    const elapsed = Date.now() - started;
    expect(first.inserted).toEqual({
      driver_hourly_stats: 100 * 169,
      credit_scores: 100 * 7,
      accident_history: 100 * 2,
      location_risk: 100 * 169,
      trip_facts: 1000,
    });
    expect(messages).toContain('driver_hourly_stats: 16,900 rows');
    expect(messages).toHaveLength(5);
    expect(elapsed).toBeLessThan(15_000);

    const rowsA = await dump(sql, a);
    expect(rowsA.driver_hourly_stats).toHaveLength(16_900);
    expect(rowsA.location_risk).toHaveLength(16_900);

    // Same time again: nothing new, nothing changed.
    const again: string[] = [];
    const second = await run(sql, a, new Date(NOW.getTime() + 20 * 60_000), (m) => again.push(m));
    expect(second.inserted).toEqual({ driver_hourly_stats: 0, credit_scores: 0, accident_history: 0, location_risk: 0, trip_facts: 0 });
    expect(again[0]).toMatch(/^driver_hourly_stats: 0 new rows \(16,900 already there\)$/);
    expect(await dump(sql, a)).toEqual(rowsA);

    // Same time, elsewhere: identical rows.
    const b = target();
    await run(sql, b, NOW);
    expect(await dump(sql, b)).toEqual(rowsA);
  });

  it('puts every row in its window and every value in its range', async () => {
    const t = target();
    await run(sql, t, NOW);

    const d = await sql.query<{
      drivers: number;
      hours: number;
      min_id: string;
      max_id: string;
      min_ts: Date;
      max_ts: Date;
      min_conv: number;
      max_conv: number;
      min_acc: number;
      max_acc: number;
      min_trips: number;
      max_trips: number;
      bad_created: number;
      off_hour: number;
    }>(`SELECT count(DISTINCT driver_id)::int AS drivers, count(DISTINCT event_timestamp)::int AS hours,
        min(driver_id) AS min_id, max(driver_id) AS max_id, min(event_timestamp) AS min_ts, max(event_timestamp) AS max_ts,
        min(conv_rate)::float8 AS min_conv, max(conv_rate)::float8 AS max_conv, min(acc_rate)::float8 AS min_acc,
        max(acc_rate)::float8 AS max_acc, min(avg_daily_trips) AS min_trips, max(avg_daily_trips) AS max_trips,
        count(*) FILTER (WHERE created <= event_timestamp OR created > event_timestamp + interval '10 minutes')::int AS bad_created,
        count(*) FILTER (WHERE date_trunc('hour', event_timestamp) <> event_timestamp)::int AS off_hour
      FROM "${t.schema}".driver_hourly_stats`);
    const dr = d.rows[0]!;
    expect(dr.drivers).toBe(100);
    expect(dr.hours).toBe(169);
    expect([dr.min_id, dr.max_id]).toEqual(['1001', '1100']);
    expect(dr.max_ts.toISOString()).toBe(ANCHOR.toISOString());
    expect(dr.min_ts.toISOString()).toBe(new Date(ANCHOR.getTime() - 168 * HOUR).toISOString());
    expect(dr.min_conv).toBeGreaterThanOrEqual(0);
    expect(dr.max_conv).toBeLessThanOrEqual(1);
    expect(dr.min_acc).toBeGreaterThanOrEqual(0);
    expect(dr.max_acc).toBeLessThanOrEqual(1);
    expect(dr.min_trips).toBeGreaterThanOrEqual(0);
    expect(dr.max_trips).toBeLessThanOrEqual(1000);
    expect(dr.bad_created).toBe(0);
    expect(dr.off_hour).toBe(0);
    // Values vary between drivers and hours.
    expect(dr.max_conv - dr.min_conv).toBeGreaterThan(0.3);

    // Every driver has a row at the anchor.
    expect(await count(sql, `"${t.schema}".driver_hourly_stats WHERE event_timestamp = '${ANCHOR.toISOString()}'`)).toBe(100);

    const c = await sql.query<{
      customers: number;
      days: number;
      min_score: number;
      max_score: number;
      min_ts: Date;
      max_ts: Date;
      off_midnight: number;
    }>(
      `SELECT count(DISTINCT customer_id)::int AS customers, count(DISTINCT event_timestamp)::int AS days,
         min(score) AS min_score, max(score) AS max_score, min(event_timestamp) AS min_ts, max(event_timestamp) AS max_ts,
         count(*) FILTER (WHERE event_timestamp <> date_trunc('day', event_timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')::int AS off_midnight
       FROM "${t.schema}".credit_scores`,
    );
    const cr = c.rows[0]!;
    expect(cr.customers).toBe(100);
    expect(cr.days).toBe(7);
    expect(cr.min_score).toBeGreaterThanOrEqual(300);
    expect(cr.max_score).toBeLessThanOrEqual(850);
    expect(cr.off_midnight).toBe(0);
    expect(cr.max_ts.toISOString()).toBe('2025-03-14T00:00:00.000Z');
    expect(cr.min_ts.toISOString()).toBe('2025-03-08T00:00:00.000Z');

    const a = await sql.query<{
      event_timestamp: Date;
      n: number;
      min_acc: number;
      max_acc: number;
      no_loc: number;
      zero_with_loc: number;
      bad_loc: number;
      half_null: number;
    }>(
      `SELECT event_timestamp, count(*)::int AS n, min(accidents_12m) AS min_acc, max(accidents_12m) AS max_acc,
         count(*) FILTER (WHERE last_accident_lat IS NULL)::int AS no_loc,
         count(*) FILTER (WHERE accidents_12m = 0 AND last_accident_lat IS NOT NULL)::int AS zero_with_loc,
         count(*) FILTER (WHERE accidents_12m > 0 AND last_accident_lat IS NULL)::int AS half_null,
         count(*) FILTER (WHERE last_accident_lat NOT BETWEEN -90 AND 90 OR last_accident_lon NOT BETWEEN -180 AND 180)::int AS bad_loc
       FROM "${t.schema}".accident_history GROUP BY event_timestamp ORDER BY event_timestamp`,
    );
    expect(a.rows.map((r) => r.event_timestamp.toISOString())).toEqual(['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z']);
    for (const r of a.rows) {
      expect(r.n).toBe(100);
      expect(r.min_acc).toBeGreaterThanOrEqual(0);
      expect(r.max_acc).toBeLessThanOrEqual(12);
      expect(r.bad_loc).toBe(0);
      expect(r.half_null).toBe(0);
      expect(r.zero_with_loc).toBeGreaterThan(0);
      expect(r.no_loc).toBeGreaterThan(0);
      expect(r.no_loc).toBeLessThan(50);
    }
    // Coordinates lie within ~6 km-ish boxes around the listed cities (all in the northern hemisphere here).
    const latRange = await sql.query<{ lo: number; hi: number }>(
      `SELECT min(last_accident_lat) AS lo, max(last_accident_lat) AS hi FROM "${t.schema}".accident_history`,
    );
    expect(latRange.rows[0]!.lo).toBeGreaterThan(37);
    expect(latRange.rows[0]!.hi).toBeLessThan(53);

    const p = await sql.query<{ customers: number; hours: number; min_risk: number; max_risk: number; max_ts: Date; bad_created: number }>(
      `SELECT count(DISTINCT customer_id)::int AS customers, count(DISTINCT event_timestamp)::int AS hours,
         min(risk) AS min_risk, max(risk) AS max_risk, max(event_timestamp) AS max_ts,
         count(*) FILTER (WHERE created_timestamp <= event_timestamp)::int AS bad_created
       FROM ${t.pushTable}`,
    );
    const pr = p.rows[0]!;
    expect(pr.customers).toBe(100);
    expect(pr.hours).toBe(169);
    expect(pr.min_risk).toBeGreaterThanOrEqual(0);
    expect(pr.max_risk).toBeLessThanOrEqual(1);
    expect(pr.max_ts.toISOString()).toBe(ANCHOR.toISOString());
    expect(pr.bad_created).toBe(0);

    // Trips: one row each, in (anchor − 7 days, anchor], referencing demo drivers and customers.
    const tr = (
      await sql.query<{
        trips: number;
        n: number;
        min_id: string;
        max_id: string;
        min_ts: Date;
        max_ts: Date;
        drivers: number;
        customers: number;
        bad_ref: number;
        min_fare: number;
        max_fare: number;
        bad_created: number;
      }>(
        `SELECT count(DISTINCT trip_id)::int AS trips, count(*)::int AS n, min(trip_id) AS min_id, max(trip_id) AS max_id,
           min(event_timestamp) AS min_ts, max(event_timestamp) AS max_ts,
           count(DISTINCT driver_id)::int AS drivers, count(DISTINCT customer_id)::int AS customers,
           count(*) FILTER (WHERE driver_id NOT BETWEEN 1001 AND 1100 OR customer_id !~ '^C1(0[0-9][0-9]|100)$' OR customer_id = 'C1000')::int AS bad_ref,
           min(fare) AS min_fare, max(fare) AS max_fare,
           count(*) FILTER (WHERE created <= event_timestamp)::int AS bad_created
         FROM "${t.schema}".trip_facts`,
      )
    ).rows[0]!;
    expect([tr.trips, tr.n]).toEqual([1000, 1000]);
    expect([tr.min_id, tr.max_id]).toEqual([DEMO_TRIP_IDS[0], DEMO_TRIP_IDS[999]]);
    expect(tr.max_ts.toISOString()).toBe(ANCHOR.toISOString());
    expect(tr.min_ts.getTime()).toBeGreaterThan(ANCHOR.getTime() - 168 * HOUR);
    expect(tr.drivers).toBeGreaterThan(90);
    expect(tr.customers).toBeGreaterThan(90);
    expect(tr.bad_ref).toBe(0);
    expect(tr.min_fare).toBeGreaterThanOrEqual(5);
    expect(tr.max_fare).toBeLessThanOrEqual(80);
    expect(tr.bad_created).toBe(0);

    // The (key, event_timestamp DESC) indexes exist.
    const idx = await sql.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname IN ($1, $2) AND indexdef LIKE '%event_timestamp DESC%' ORDER BY indexname`,
      [t.schema, t.pushSchema],
    );
    expect(idx.rows.map((r) => r.indexname)).toEqual([
      'accident_history_key_ts',
      'credit_scores_key_ts',
      'driver_hourly_stats_key_ts',
      'push_location_risk_key_ts',
      'trip_facts_key_ts',
    ]);
  });

  it('a later run adds only the new hours and keeps the old values', async () => {
    const t = target();
    await run(sql, t, NOW);
    const before = await dump(sql, t);

    // Three hours later, same day and month.
    const later = new Date(NOW.getTime() + 3 * HOUR);
    const r = await run(sql, t, later);
    // Trips are inserted once by id: a later run adds none.
    expect(r.inserted).toEqual({ driver_hourly_stats: 300, credit_scores: 0, accident_history: 0, location_risk: 300, trip_facts: 0 });
    const after = await dump(sql, t);
    for (const [table, rows] of Object.entries(before)) expect(missing(after[table], rows)).toEqual([]);
    const latest = await sql.query<{ max: Date }>(`SELECT max(event_timestamp) AS max FROM "${t.schema}".driver_hourly_stats`);
    expect(latest.rows[0]!.max.toISOString()).toBe('2025-03-14T13:00:00.000Z');

    // The rows it added are exactly those a fresh run at the later time has.
    const fresh = target();
    await run(sql, fresh, later);
    const freshRows = await dump(sql, fresh);
    expect(missing(after.driver_hourly_stats, freshRows.driver_hourly_stats)).toEqual([]);
    expect(missing(after.location_risk, freshRows.location_risk)).toEqual([]);

    // Into the next month: a new nightly score and a new monthly roll-up per customer.
    const nextMonth = await run(sql, t, new Date('2025-04-01T02:30:00Z'));
    expect(nextMonth.inserted.credit_scores).toBe(700);
    expect(nextMonth.inserted.accident_history).toBe(100);
    expect(nextMonth.inserted.driver_hourly_stats).toBe(16_900);
  });

  it('reuses a push table that already exists', async () => {
    const t = target();
    await sql.query(`CREATE SCHEMA "${t.pushSchema}"`);
    // As `featuregraph apply` might make it: no primary key, one row already pushed.
    await sql.query(
      `CREATE TABLE ${t.pushTable} (customer_id text, event_timestamp timestamptz, created_timestamp timestamptz, risk double precision)`,
    );
    await sql.query(`INSERT INTO ${t.pushTable} VALUES ('C1001', $1, $1, 0.5)`, [ANCHOR.toISOString()]);
    const r = await run(sql, t, NOW);
    expect(r.inserted.location_risk).toBe(16_899);
    expect(await count(sql, t.pushTable)).toBe(16_900);
    expect((await run(sql, t, NOW)).inserted.location_risk).toBe(0);
  });
});
