import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedRepository, ViewSpec } from '../../src/definitions/resolve.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/store.js';
import { createPostgresOfflineStore } from '../../src/offline/postgres/store.js';
import { routeOfflineStores } from '../../src/offline/router.js';
import type { OfflineStore } from '../../src/offline/store.js';
import { getHistoricalFeatures, TrainingSetError } from '../../src/offline/training-set.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { bruteForce, type SourceRow } from './brute-force.js';
import { countingClient } from './counting-client.js';
import { writeParquetSource } from './parquet-sources.js';
import { BASE, MIN, NOW, randomAsOf, rng, writeSource } from './random-sources.js';
import { relationRows, relationTestRepository, TRIPS, type RelationView } from './relation-sources.js';

/**
 * Training sets naming features through relations (docs/offline-stores.md, "Features through a relation")
 * against a brute-force two-step point-in-time model: for entity row (trip, t), trip_facts as of t gives the
 * driver, then driver_stats as of the SAME t for that driver (then city_stats for the driver's home city).
 */
const SEED = Number(process.env.ORACLE_SEED ?? 20240101);

const SELECTED = [
  'trip_facts:fare',
  'trip_facts.driver:driver_stats:conv_rate',
  'trip_facts.driver:driver_stats:rating',
  'trip_facts.driver:driver_stats.home_city:city_stats:surge',
  'trip_facts.driver:driver_stats.home_city:city_stats:mayor_id',
];
const COLUMNS = [
  'trip_id',
  'event_timestamp',
  'trip_facts__fare',
  'trip_facts__driver__driver_stats__conv_rate',
  'trip_facts__driver__driver_stats__rating',
  'trip_facts__driver__driver_stats__home_city__city_stats__surge',
  'trip_facts__driver__driver_stats__home_city__city_stats__mayor_id',
];
const DRIVER_PATH = 'trip_facts.driver:driver_stats';
const CITY_PATH = 'trip_facts.driver:driver_stats.home_city:city_stats';

const ALL: readonly RelationView[] = ['trip_facts', 'driver_stats', 'city_stats'];
const engines: { name: string; sql: (typeof sqlBackends)[number] | null; files: readonly RelationView[] }[] = [
  ...sqlBackends.map((b) => ({ name: `${b.name} tables`, sql: b, files: [] })),
  { name: 'Parquet files (DuckDB)', sql: null, files: ALL },
  // trip_facts and city_stats on PGlite, driver_stats on Parquet: both hops cross engines.
  { name: 'pglite tables and Parquet files, hops crossing engines', sql: sqlBackends[0] ?? null, files: ['driver_stats'] },
];

/** Whether ≥2 qualifying rows share the winner's event time (the tie rule decided). */
const tied = (rows: readonly SourceRow[], key: string, t: Date, best: SourceRow | null, asKnownAt: boolean): boolean => {
  if (!best) return false;
  const at = Math.min(t.getTime(), NOW.getTime());
  return (
    rows.filter(
      (r) =>
        r.keys[0] === key &&
        r.eventTs.getTime() === best.eventTs.getTime() &&
        (!asKnownAt || (r.createdTs?.getTime() ?? r.eventTs.getTime()) <= at),
    ).length > 1
  );
};

describe.each(engines)('training sets through relations on $name', (engine) => {
  let store: OfflineStore;
  let repo: ResolvedRepository;
  let sources: Map<RelationView, SourceRow[]>;
  let statements: string[] = [];
  let close: () => Promise<void> = async () => undefined;
  const r = rng(SEED + 7);
  const view = (name: RelationView) => repo.views.find((v) => v.name === name) as ViewSpec;

  beforeAll(async () => {
    const schema = uniqueProject('reltr');
    const dir = await mkdtemp(join(tmpdir(), 'fg-rel-'));
    repo = relationTestRepository(schema, { dir, views: engine.files });
    sources = relationRows(rng(SEED + 3), repo);
    const parts: OfflineStore[] = [];
    const sql = engine.sql ? await engine.sql.open() : null;
    if (sql) {
      await sql.query(`CREATE SCHEMA "${schema}"`);
      const counted = countingClient(sql);
      statements = counted.statements;
      parts.push(createPostgresOfflineStore(counted));
    }
    for (const [name, rows] of sources) {
      if (engine.files.includes(name)) await writeParquetSource(view(name), rows);
      else await writeSource(sql!, view(name), rows);
    }
    if (engine.files.length > 0) parts.push(createDuckDbOfflineStore());
    store = routeOfflineStores(parts);
    close = async () => {
      await store.close();
      if (sql) {
        await dropSchemas(sql, schema);
        await sql.close();
      }
      await rm(dir, { recursive: true, force: true });
    };
  });
  afterAll(() => close());

  /** The model: trip_facts as of t, then each reached view as of the same t for the key the previous one gave. */
  const model = (trip: string, t: Date, asKnownAt: boolean | undefined) => {
    const read = (name: RelationView, key: string | null) => {
      const v = view(name);
      const known = asKnownAt ?? v.asKnownAt;
      if (key === null) return { row: null, tie: false };
      const row = bruteForce(sources.get(name) ?? [], [key], t, v.ttlSeconds, NOW, known);
      return { row, tie: tied(sources.get(name) ?? [], key, t, row, known) };
    };
    const keyOf = (row: SourceRow | null, i: number): string | null => {
      const k = row?.values[i] ?? null;
      return k === null ? null : String(k);
    };
    const tf = read('trip_facts', trip);
    const ds = read('driver_stats', keyOf(tf.row, 1));
    const cs = read('city_stats', keyOf(ds.row, 2));
    return { tf, ds, cs, driver: keyOf(tf.row, 1) };
  };

  for (const asKnownAt of [undefined, true, false]) {
    it(`matches the two-step brute-force model on every row and column (as known at: ${asKnownAt ?? 'per view'})`, async () => {
      // Entity times on the rows' grid (ttl bounds hit exactly), some off it, some after now.
      const entityRows = Array.from({ length: 300 }, () => ({
        trip_id: r.pick(TRIPS),
        event_timestamp: (r.next() < 0.15 ? randomAsOf(r) : new Date(BASE + r.int(36) * 5 * MIN)).toISOString(),
      }));
      // Probes of the ttl lower bounds: t = a source row's event time + the view's ttl, for trips whose driver at t
      // is that row's driver (the model says which), so the bound decides whenever no newer row is in the window.
      for (const name of ['driver_stats', 'trip_facts'] as const)
        for (const row of sources.get(name) ?? []) {
          const t = new Date(row.eventTs.getTime() + view(name).ttlSeconds * 1000);
          const trips =
            name === 'trip_facts' ? [row.keys[0] as string] : TRIPS.filter((trip) => model(trip, t, asKnownAt).driver === row.keys[0]);
          for (const trip_id of trips) entityRows.push({ trip_id, event_timestamp: t.toISOString() });
        }
      entityRows.push({ ...entityRows[3]! }, { ...entityRows[3]! });
      statements.length = 0;
      const out = await getHistoricalFeatures(
        store,
        repo,
        {
          entities: { rows: entityRows },
          features: SELECTED,
          now: NOW,
          ...(asKnownAt !== undefined ? { asKnownAt } : {}),
        },
        { batchSize: 64 },
      );
      // The reference column feeding the first hop was not selected: it is joined but not output.
      expect(out.columns.map((c) => c.name)).toEqual(COLUMNS);
      expect(out.rows).toHaveLength(entityRows.length);
      const seen = { nullKey: 0, driverMissing: 0, reached: 0, cityReached: 0, ties: 0, ttlEdge: 0, future: 0 };
      const driversByTrip = new Map<string, Set<string>>();
      let mismatches = 0;
      entityRows.forEach((e, i) => {
        const t = new Date(e.event_timestamp);
        const row = out.rows[i] ?? {};
        const ts = out.eventTimestamps[i] ?? {};
        const m = model(e.trip_id, t, asKnownAt);
        const want: Record<string, FeatureValue> = {
          trip_id: e.trip_id,
          event_timestamp: t,
          trip_facts__fare: m.tf.row?.values[0] ?? null,
          trip_facts__driver__driver_stats__conv_rate: m.ds.row?.values[0] ?? null,
          trip_facts__driver__driver_stats__rating: m.ds.row?.values[1] ?? null,
          trip_facts__driver__driver_stats__home_city__city_stats__surge: m.cs.row?.values[0] ?? null,
          trip_facts__driver__driver_stats__home_city__city_stats__mayor_id: m.cs.row?.values[1] ?? null,
        };
        const wantTs = {
          trip_facts: m.tf.row?.eventTs ?? null,
          [DRIVER_PATH]: m.ds.row?.eventTs ?? null,
          [CITY_PATH]: m.cs.row?.eventTs ?? null,
        };
        const gotTs = Object.fromEntries(Object.keys(wantTs).map((k) => [k, ts[k] ?? null]));
        const ok =
          JSON.stringify(row, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) ===
          JSON.stringify(want, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
        if (!ok || JSON.stringify(gotTs) !== JSON.stringify(wantTs)) {
          mismatches++;
          if (mismatches <= 3) {
            expect(row, `row ${i} ${e.trip_id} @ ${e.event_timestamp}`).toEqual(want);
            expect(gotTs, `row ${i} event times`).toEqual(wantTs);
          }
        }
        // No leakage through the relation: every reached row is at or before the entity time.
        const bound = Math.min(t.getTime(), NOW.getTime());
        for (const v of [ts[DRIVER_PATH], ts[CITY_PATH]]) if (v) expect(v.getTime()).toBeLessThanOrEqual(bound);
        if (m.tf.row && m.driver === null) seen.nullKey++;
        if (m.driver !== null && !m.ds.row) seen.driverMissing++;
        if (m.ds.row) seen.reached++;
        if (m.cs.row) seen.cityReached++;
        if (m.tf.tie || m.ds.tie || m.cs.tie) seen.ties++;
        // The winner sits exactly on the ttl lower bound (inclusive) of trip_facts or of the hop's driver_stats.
        if (m.ds.row && m.ds.row.eventTs.getTime() === bound - view('driver_stats').ttlSeconds * 1000) seen.ttlEdge++;
        if (m.tf.row && m.tf.row.eventTs.getTime() === bound - view('trip_facts').ttlSeconds * 1000) seen.ttlEdge++;
        if (t.getTime() > NOW.getTime()) seen.future++;
        if (m.driver !== null) driversByTrip.set(e.trip_id, (driversByTrip.get(e.trip_id) ?? new Set()).add(m.driver));
      });
      expect(mismatches).toBe(0);
      // The random data must exercise every edge: null references, keys with no rows, ties decided by the
      // tie rule, the ttl lower bound hit exactly, entity times after now, and trips whose driver changes over time.
      expect(seen.nullKey, JSON.stringify(seen)).toBeGreaterThan(0);
      expect(seen.driverMissing, JSON.stringify(seen)).toBeGreaterThan(0);
      expect(seen.reached, JSON.stringify(seen)).toBeGreaterThan(30);
      expect(seen.cityReached, JSON.stringify(seen)).toBeGreaterThan(10);
      expect(seen.ties, JSON.stringify(seen)).toBeGreaterThan(0);
      expect(seen.ttlEdge, JSON.stringify(seen)).toBeGreaterThan(0);
      expect(seen.future, JSON.stringify(seen)).toBeGreaterThan(0);
      expect([...driversByTrip.values()].filter((s) => s.size > 1).length).toBeGreaterThan(2);
      expect(out.rows.at(-1)).toEqual(out.rows[3]);
      // Which engine answered: hops on SQL views are point-in-time statements on the SQL client (unnested
      // requests); when every view lives in files, the SQL client is not there at all.
      const hopStatements = statements.filter((s) => s.includes('unnest(')).length;
      if (engine.sql && !engine.files.includes('driver_stats')) expect(hopStatements).toBeGreaterThan(0);
      if (engine.files.includes('driver_stats') && engine.sql)
        expect(statements.some((s) => s.includes('unnest(') && s.includes('driver_stats'))).toBe(false);
    });
  }

  it('selects the reference feature and the reached feature side by side, and names the hop by its feature too', async () => {
    const entityRows = TRIPS.map((trip_id, i) => ({ trip_id, event_timestamp: new Date(NOW.getTime() - i * 17 * 60_000).toISOString() }));
    const out = await getHistoricalFeatures(store, repo, {
      entities: { rows: entityRows },
      features: ['trip_facts.driver_id:driver_stats:conv_rate', 'trip_facts:driver_id', 'trip_facts.driver:driver_stats:conv_rate'],
      now: NOW,
    });
    // Both spellings are one column, named by the relation; the selected reference column stays.
    expect(out.columns.map((c) => c.name)).toEqual([
      'trip_id',
      'event_timestamp',
      'trip_facts__driver_id',
      'trip_facts__driver__driver_stats__conv_rate',
    ]);
    entityRows.forEach((e, i) => {
      const m = model(e.trip_id, new Date(e.event_timestamp), undefined);
      expect(out.rows[i]?.trip_facts__driver_id).toEqual(m.tf.row?.values[1] ?? null);
      expect(out.rows[i]?.trip_facts__driver__driver_stats__conv_rate).toEqual(m.ds.row?.values[0] ?? null);
    });
  });
});

describe('bad relation paths are refused before any query, naming the problem', () => {
  const repo = relationTestRepository('unused');
  // No store: planning fails first, so nothing may reach it.
  const store = new Proxy(
    {},
    {
      has: () => true,
      get: () => {
        throw new Error('the store must not be used');
      },
    },
  ) as OfflineStore;
  const refuse = async (features: string[]) => {
    const err = await getHistoricalFeatures(store, repo, {
      entities: { rows: [{ trip_id: 'T1', event_timestamp: NOW.toISOString() }] },
      features,
      now: NOW,
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrainingSetError);
    return (err as TrainingSetError).message;
  };

  it("an unknown relation lists the view's relations", async () => {
    expect(await refuse(['trip_facts.rider:driver_stats:conv_rate'])).toMatch(
      /view "trip_facts" has no relation "rider"; its relations: driver/,
    );
  });
  it('a relation on a feature that is not a reference', async () => {
    expect(await refuse(['trip_facts.fare:driver_stats:conv_rate'])).toMatch(/feature "trip_facts:fare" is not a reference/);
  });
  it('a relation to a view of another entity, an unknown view or feature, a missing target view', async () => {
    expect(await refuse(['trip_facts.driver:city_stats:surge'])).toMatch(/reaches entity "driver", but view "city_stats" is keyed by city/);
    expect(await refuse(['nope.driver:driver_stats:conv_rate'])).toMatch(/unknown feature view "nope"/);
    expect(await refuse(['trip_facts.driver:driver_stats:nope'])).toMatch(
      /feature view "driver_stats" has no feature "nope"; it has: conv_rate, rating, home_city_id/,
    );
    expect(await refuse(['trip_facts.driver:conv_rate'])).toMatch(/a relation leads to a view; write view.relation:view:feature/);
  });
  it('a cycle, and a path deeper than three relations', async () => {
    expect(await refuse(['driver_stats.home_city:city_stats.mayor:driver_stats:conv_rate'])).toMatch(
      /visits view "driver_stats" twice \(a cycle\)/,
    );
    expect(await refuse(['trip_facts.driver:driver_stats.home_city:city_stats.mayor:driver_stats.home_city:city_stats:surge'])).toMatch(
      /4 relations; at most 3/,
    );
  });
  it('reports every bad path at once', async () => {
    const msg = await refuse(['trip_facts.rider:driver_stats:conv_rate', 'trip_facts.fare:driver_stats:conv_rate']);
    expect(msg).toMatch(/^bad relation paths: /);
    expect(msg).toMatch(/rider/);
    expect(msg).toMatch(/fare/);
  });
});
