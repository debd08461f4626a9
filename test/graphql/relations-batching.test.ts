import { openOfflineStore } from '../../src/offline/index.js';
import type { Socket } from 'node:net';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { encodeEntityKey } from '../../src/definitions/values.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineRow, OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { REDIS_URL, dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { createRelationSources, relationRepository } from '../support/relations-fixture.js';

interface Gql {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

const TRIPS = 100;
const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
const tripIds = Array.from({ length: TRIPS }, (_, i) => `T${i + 1}`);
// Trip i: driver (i % 40) + 1 (every 10th trip has none), customer C((i % 30) + 1); driver d lives in city d % 5
// (driver 5 has no city); cities 0..3 have stats, city 4 none.
const driverOf = (i: number): number | null => (i % 10 === 9 ? null : (i % 40) + 1);
const customerOf = (i: number) => `C${(i % 30) + 1}`;
const cityOf = (d: number): string | null => (d === 5 ? null : `city${d % 5}`);
const row = (key: string, values: OnlineRow['values']): OnlineRow => ({ key: encodeEntityKey([key]), eventTs: at, createdTs: at, values });

/** Online values of every view of the relation repository, written straight to the store. */
const seedOnline = async (store: OnlineStore, repo: ResolvedRepository) => {
  const view = (name: string) => repo.views.find((v) => v.name === name)!;
  await store.write(
    view('trip_facts'),
    tripIds.map((id, i) =>
      row(id, { fare: i + 0.5, driver_id: driverOf(i) === null ? null : BigInt(driverOf(i)!), customer_id: customerOf(i) }),
    ),
  );
  await store.write(
    view('driver_stats'),
    Array.from({ length: 40 }, (_, j) => row(String(j + 1), { conv_rate: (j + 1) / 100, home_city_id: cityOf(j + 1) })),
  );
  await store.write(
    view('credit_score'),
    Array.from({ length: 30 }, (_, j) => row(`C${j + 1}`, { score: 600 + j })),
  );
  await store.write(
    view('city_stats'),
    Array.from({ length: 4 }, (_, j) => row(`city${j}`, { surge: 1 + j / 4 })),
  );
};

const QUERY = `query($ids: [ID!]!) { trips(tripIds: $ids) { tripId tripFacts { fare
  driver { driverId driverStats { convRate homeCity { cityId cityStats { surge } } } }
  customer { customerId creditScore { score } } } } }`;

/** What QUERY must return, computed from the seeding rules above. */
const expected = () =>
  tripIds.map((tripId, i) => {
    const d = driverOf(i);
    const c = d === null ? null : cityOf(d);
    return {
      tripId,
      tripFacts: {
        fare: i + 0.5,
        driver:
          d === null
            ? null
            : {
                driverId: String(d),
                driverStats: {
                  convRate: d / 100,
                  homeCity: c === null ? null : { cityId: c, cityStats: c === 'city4' ? null : { surge: 1 + Number(c.slice(4)) / 4 } },
                },
              },
        customer: { customerId: customerOf(i), creditScore: { score: 600 + (i % 30) } },
      },
    };
  });

/** Wraps a store to record each `read` call: its views and keys. */
const countingReads = (store: OnlineStore) => {
  const calls: { views: string[]; keys: number }[] = [];
  const wrapped: OnlineStore = {
    ...store,
    read: (reqs) => {
      calls.push({ views: reqs.map((r) => r.view.name).sort(), keys: reqs.reduce((n, r) => n + r.keys.length, 0) });
      return store.read(reqs);
    },
  };
  return { wrapped, calls };
};

const LEVELS = [
  { views: ['trip_facts'], keys: 100 },
  // 36 distinct drivers have a key (every 10th trip has none), 30 customers.
  { views: ['credit_score', 'driver_stats'], keys: 36 + 30 },
  // Drivers 1..40 seen, minus driver 5 (no city): cities 0..4.
  { views: ['city_stats'], keys: 5 },
];

const gqlOf =
  (app: () => FeatureGraphApp) =>
  async (query: string, variables?: Record<string, unknown>): Promise<Gql> => {
    const res = await app().fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };

describe.each(sqlBackends)('a 3-level relation query over 100 trips on the $name SQL online store', ({ open }) => {
  const project = uniqueProject('rel');
  const schema = `${project}_src`;
  let sql: SqlClient;
  let app: FeatureGraphApp;
  let reads: { views: string[]; keys: number }[];
  const onlineSql: string[] = [];
  const gql = gqlOf(() => app);

  beforeAll(async () => {
    sql = await open();
    await createRelationSources(sql, schema);
    const defs = relationRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true, createSourceIndexes: true });
    const repo = resolveRepository(defs, project);
    const onlineTables = new RegExp(`"fg_${project}"\\."online_`);
    const countedSql: SqlClient = {
      ...sql,
      query: (text, params) => {
        if (onlineTables.test(text) && /^\s*SELECT/i.test(text)) onlineSql.push(text);
        return sql.query(text, params);
      },
    };
    const store = countingReads(createSqlOnlineStore(countedSql, project));
    reads = store.calls;
    await seedOnline(store.wrapped, repo);
    app = createApp(
      { repo, online: store.wrapped, offline: openOfflineStore(sql), registry: unappliedRegistry, now: () => Date.now() },
      { logging: false },
    );
  });

  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
  });

  it('reads each level in one online-store call (one SQL statement per view of the level), values through every level', async () => {
    reads.length = 0;
    onlineSql.length = 0;
    const body = await gql(QUERY, { ids: tripIds });
    expect(body.errors).toBeUndefined();
    expect(body.data?.trips).toEqual(expected());
    expect(reads).toEqual(LEVELS);
    // Level 1: trip_facts; level 2: driver_stats and credit_score; level 3: city_stats.
    expect(onlineSql).toHaveLength(4);
  });

  it('fetches the key feature of a relation even when only the relation is selected', async () => {
    const body = await gql('{ trip(tripId: "T2") { tripFacts { driver { driverId } customer { customerId } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ trip: { tripFacts: { driver: { driverId: '2' }, customer: { customerId: 'C2' } } } });
  });

  it('a null key gives a null relation, not an error', async () => {
    const body = await gql('{ trip(tripId: "T10") { tripFacts { driverId driver { driverStats { convRate } } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ trip: { tripFacts: { driverId: null, driver: null } } });
  });
});

/** Count socket writes on the store's connection: each is one request the server answers, i.e. a round trip. */
const countWrites = (client: Redis) => {
  const socket = client.stream as Socket;
  const original = socket.write.bind(socket);
  let writes = 0;
  socket.write = ((...args: Parameters<Socket['write']>) => {
    writes++;
    return original(...args);
  }) as Socket['write'];
  return {
    get writes() {
      return writes;
    },
    restore: () => void (socket.write = original),
  };
};

describeWith('REDIS_URL', 'a 3-level relation query over 100 trips on the Redis online store', () => {
  const project = uniqueProject('relr');
  const schema = `${project}_src`;
  let sql: SqlClient;
  let app: FeatureGraphApp;
  let redis: ReturnType<typeof createRedisOnlineStore>;
  let reads: { views: string[]; keys: number }[];
  const gql = gqlOf(() => app);

  beforeAll(async () => {
    sql = await createPgliteClient();
    await createRelationSources(sql, schema);
    const defs = relationRepository(project, schema);
    await applyRepository(sql, defs, { project, createSourceIndexes: true });
    const repo = resolveRepository(defs, project);
    redis = createRedisOnlineStore({ url: REDIS_URL!, project });
    await redis.ping();
    const store = countingReads(redis);
    reads = store.calls;
    await seedOnline(store.wrapped, repo);
    app = createApp(
      { repo, online: store.wrapped, offline: openOfflineStore(sql), registry: unappliedRegistry, now: () => Date.now() },
      { logging: false },
    );
  });

  afterAll(async () => {
    await redis.deleteProjectKeys();
    await redis.close();
    await sql.close();
  });

  it('makes exactly one Redis round trip per level', async () => {
    await gql('{ trip(tripId: "T1") { tripId } }'); // warm the compiled query path and the connection
    reads.length = 0;
    const counter = countWrites(redis.client as Redis);
    const body = await gql(QUERY, { ids: tripIds });
    counter.restore();
    expect(body.errors).toBeUndefined();
    expect(body.data?.trips).toEqual(expected());
    expect(reads).toEqual(LEVELS);
    expect(counter.writes).toBe(3);
  });
});

if (!REDIS_URL) console.warn('relations-batching: REDIS_URL not set, the Redis round-trip case is skipped');
