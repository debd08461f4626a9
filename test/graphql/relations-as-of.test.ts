import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { createRelationSources, RELATION_TABLES, relationRepository, type RelationTable } from '../support/relations-fixture.js';

/**
 * A relation query with asOf against an independent model of the point-in-time semantics
 * (docs/graphql.md, "Relations"): per key, among rows with asOf − ttl <= event_ts <= asOf, the greatest by
 * (event_ts, created_ts nulls lowest), then by the features in declaration order, each descending, nulls last.
 * Random rows on a coarse time grid so ties, ttl edges and null keys are common.
 */

type Val = number | string | null;
interface SrcRow {
  readonly key: string;
  readonly ts: number;
  readonly created: number | null;
  readonly values: readonly Val[];
}

const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 1);
const SLOT = 10 * MIN;
const TTL_MS: Record<RelationTable, number> = {
  trip_facts: 60 * MIN,
  driver_stats: 30 * MIN,
  credit_score: 120 * MIN,
  city_stats: 45 * MIN,
};

/** mulberry32: a small seeded PRNG, so a failure can be replayed from its seed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const TRIPS = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6'];
const CITIES = ['a', 'B', 'ab'];

const generate = (rand: () => number): Record<RelationTable, SrcRow[]> => {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rows = (keys: readonly string[], values: () => Val[]): SrcRow[] =>
    keys.flatMap((key) =>
      Array.from({ length: Math.floor(rand() * 5) }, () => {
        const ts = T0 + Math.floor(rand() * 13) * SLOT;
        return { key, ts, created: rand() < 0.25 ? null : ts + pick([0, 0, SLOT, 2 * SLOT]), values: values() };
      }),
    );
  return {
    trip_facts: rows(TRIPS, () => [pick([1.5, 2.5, null]), pick([1, 2, 3, 4, null]), pick(['C1', 'C2', 'C3', null])]),
    driver_stats: rows(['1', '2', '3', '4'], () => [pick([0.25, 0.5, null]), pick([...CITIES, null])]),
    credit_score: rows(['C1', 'C2', 'C3'], () => [pick([600, 700, null])]),
    city_stats: rows(CITIES, () => [pick([1, 1.5, null])]),
  };
};

/** Descending order with nulls last (a null sorts below every value); text compares by code unit, i.e. bytewise for ASCII. */
const cmp = (a: Val | number, b: Val | number): number => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);

/** The model: the point-in-time row of `key` as of `t`, or null. */
const pointInTime = (rows: readonly SrcRow[], ttl: number, key: string, t: number): SrcRow | null => {
  let best: SrcRow | null = null;
  for (const r of rows) {
    if (r.key !== key || r.ts > t || r.ts < t - ttl) continue;
    if (!best) {
      best = r;
      continue;
    }
    const order = [cmp(r.ts, best.ts), cmp(r.created, best.created), ...r.values.map((v, i) => cmp(v, best!.values[i]!))];
    if ((order.find((o) => o !== 0) ?? 0) > 0) best = r;
  }
  return best;
};

const QUERY_FIELDS = `fare driverId customerId eventTimestamp
  driver { driverId driverStats { convRate homeCityId eventTimestamp homeCity { cityId cityStats { surge eventTimestamp } } } }
  customer { customerId creditScore { score eventTimestamp } }`;

/** What the relation query must return for one trip as of t, level by level from the model. */
const expectedTrip = (data: Record<RelationTable, SrcRow[]>, trip: string, t: number) => {
  const at = (table: RelationTable, key: string) => pointInTime(data[table], TTL_MS[table], key, t);
  const iso = (ms: number) => new Date(ms).toISOString();
  const facts = at('trip_facts', trip);
  if (!facts) return { tripId: trip, tripFacts: null };
  const [fare, driverId, customerId] = facts.values;
  const driver = driverId === null ? null : String(driverId);
  const stats = driver === null ? null : at('driver_stats', driver);
  const city = stats?.values[1] ?? null;
  const cityStats = city === null ? null : at('city_stats', String(city));
  const credit = customerId === null ? null : at('credit_score', String(customerId));
  return {
    tripId: trip,
    tripFacts: {
      fare,
      driverId: driver,
      customerId,
      eventTimestamp: iso(facts.ts),
      driver:
        driver === null
          ? null
          : {
              driverId: driver,
              driverStats: stats && {
                convRate: stats.values[0],
                homeCityId: city,
                eventTimestamp: iso(stats.ts),
                homeCity:
                  city === null
                    ? null
                    : { cityId: city, cityStats: cityStats && { surge: cityStats.values[0], eventTimestamp: iso(cityStats.ts) } },
              },
            },
      customer:
        customerId === null ? null : { customerId, creditScore: credit && { score: credit.values[0], eventTimestamp: iso(credit.ts) } },
    },
  };
};

describe.each(sqlBackends)('relation queries with asOf on $name', ({ open }) => {
  const project = uniqueProject('relasof');
  const schema = `${project}_src`;
  let sql: SqlClient;
  let app: FeatureGraphApp;

  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: { trips: unknown[] }; errors?: unknown[] };
  };

  const load = async (data: Record<RelationTable, SrcRow[]>) => {
    for (const [table, rows] of Object.entries(data) as [RelationTable, SrcRow[]][]) {
      await sql.query(`DELETE FROM "${schema}".${table}`);
      const cols = [RELATION_TABLES[table].key, 'event_timestamp', 'created', ...RELATION_TABLES[table].features].map(
        (c) => c.split(' ')[0],
      );
      for (const r of rows)
        await sql.query(`INSERT INTO "${schema}".${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, [
          r.key,
          new Date(r.ts),
          r.created === null ? null : new Date(r.created),
          ...r.values,
        ]);
    }
  };

  beforeAll(async () => {
    sql = await open();
    await createRelationSources(sql, schema);
    const defs = relationRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true, createSourceIndexes: true });
    const repo = resolveRepository(defs, project);
    // The online store stays empty: a value below can only come from the point-in-time path.
    app = createApp(
      {
        repo,
        online: createSqlOnlineStore(sql, project),
        offline: openOfflineStore(sql),
        registry: unappliedRegistry,
        now: () => Date.now(),
      },
      { logging: false },
    );
  });

  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
  });

  it('equals the brute-force point-in-time value at every level, for asOf on the view field and on the root', async () => {
    let nestedHits = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const rand = prng(seed);
      const data = generate(rand);
      await load(data);
      for (let q = 0; q < 6; q++) {
        const t = T0 + Math.floor(rand() * 16) * SLOT + (rand() < 0.3 ? 5 * MIN : 0);
        const want = TRIPS.map((trip) => expectedTrip(data, trip, t));
        const onField = await gql(
          `query($ids: [ID!]!, $t: DateTime!) { trips(tripIds: $ids) { tripId tripFacts(asOf: $t) { ${QUERY_FIELDS} } } }`,
          {
            ids: TRIPS,
            t: new Date(t).toISOString(),
          },
        );
        expect(onField.errors, `seed ${seed}, asOf ${new Date(t).toISOString()}`).toBeUndefined();
        expect(onField.data?.trips, `seed ${seed}, asOf ${new Date(t).toISOString()}`).toEqual(want);
        const onRoot = await gql(
          `query($ids: [ID!]!, $t: DateTime!) { trips(tripIds: $ids, asOf: $t) { tripId tripFacts { ${QUERY_FIELDS} } } }`,
          {
            ids: TRIPS,
            t: new Date(t).toISOString(),
          },
        );
        expect(onRoot.data?.trips, `seed ${seed}, root asOf ${new Date(t).toISOString()}`).toEqual(want);
        nestedHits += want.filter((w) => (w.tripFacts?.driver as { driverStats: unknown } | null)?.driverStats).length;
      }
    }
    // The comparison is not vacuous: many trips reach a driver's stats through the relation.
    expect(nestedHits).toBeGreaterThan(20);
  });

  it('without asOf reads online (empty here), so the values above came from the point-in-time path', async () => {
    const body = await gql(`{ trips(tripIds: ["T1", "T2"]) { tripFacts { fare } } }`);
    expect(body.data?.trips).toEqual([{ tripFacts: null }, { tripFacts: null }]);
  });
});
