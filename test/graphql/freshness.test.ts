import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { encodeEntityKey } from '../../src/definitions/values.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { createLoaders } from '../../src/graphql/loaders.js';
import { buildSchema } from '../../src/graphql/schema.js';
import type { ServingRuntime } from '../../src/graphql/runtime.js';
import type { SqlClient } from '../../src/sql/client.js';
import { REDIS_URL, dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';

interface Gql {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

const cases = [
  ...sqlBackends.map((b) => ({ name: `the SQL online store on ${b.name}`, open: b.open, redis: false })),
  ...(REDIS_URL ? [{ name: 'Redis (offline on PGlite)', open: sqlBackends[0]!.open, redis: true }] : []),
];
if (!REDIS_URL) console.log('freshness.test: the Redis case is skipped; set REDIS_URL=redis://127.0.0.1:6379 to run it');

describe.each(cases)('freshness fields and maxAge on $name', ({ open, redis }) => {
  const project = uniqueProject('fresh');
  const schema = `${project}_src`;
  // A fixed clock near the real one (Redis expires keys by the real clock); offline rows sit 3 h before it.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const at = new Date(now - 3 * 3600_000);
  const iso = (ms: number) => new Date(ms).toISOString();
  let sql: SqlClient;
  let online: OnlineStore & { deleteProjectKeys?: () => Promise<number> };
  let repo: ResolvedRepository;
  let app: FeatureGraphApp;
  let rt: ServingRuntime;

  const gql = async (query: string, variables?: Record<string, unknown>): Promise<Gql> => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as Gql;
  };

  beforeAll(async () => {
    sql = await open();
    await seedSmallSources(sql, schema, 10, at);
    const defs = smallRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true });
    repo = resolveRepository(defs, project);
    online = redis ? createRedisOnlineStore({ url: REDIS_URL as string, project }) : createSqlOnlineStore(sql, project);
    await online.prepare(repo.views);
    const view = (n: string) => repo.views.find((v) => v.name === n)!;
    const key = (id: string) => encodeEntityKey([id]);
    await online.write(view('driver_stats'), [
      {
        key: key('1'),
        eventTs: new Date(now - 45 * 60_000),
        createdTs: new Date(now - 40 * 60_000),
        values: { conv_rate: 0.5, avg_daily_trips: 7 },
      },
      { key: key('2'), eventTs: new Date(now - 10_000), createdTs: new Date(now - 5_000), values: { conv_rate: 0.25, avg_daily_trips: 9 } },
    ]);
    // driver_rating's source has no created timestamp.
    await online.write(view('driver_rating'), [
      { key: key('1'), eventTs: new Date(now - 3 * 3600_000), createdTs: null, values: { rating: 4.5 } },
    ]);
    rt = { repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: () => now };
    app = createApp(rt, { logging: false });
  });
  afterAll(async () => {
    await online?.deleteProjectKeys?.();
    if (redis) await online?.close();
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
  });

  it('serves createdTimestamp (null when the source has none) and ageSeconds = now − event time', async () => {
    const { data, errors } = await gql(`{
      drivers(driverIds: ["1", "2"]) {
        driverId
        driverStats { convRate eventTimestamp createdTimestamp ageSeconds }
        driverRating { rating createdTimestamp ageSeconds }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data?.drivers).toEqual([
      {
        driverId: '1',
        driverStats: { convRate: 0.5, eventTimestamp: iso(now - 45 * 60_000), createdTimestamp: iso(now - 40 * 60_000), ageSeconds: 2700 },
        driverRating: { rating: 4.5, createdTimestamp: null, ageSeconds: 10_800 },
      },
      {
        driverId: '2',
        driverStats: { convRate: 0.25, eventTimestamp: iso(now - 10_000), createdTimestamp: iso(now - 5_000), ageSeconds: 10 },
        driverRating: null,
      },
    ]);
  });

  it('nulls a value older than maxAge with a STALE error carrying its age, and keeps the fresh ones', async () => {
    const { data, errors } = await gql(`{ drivers(driverIds: ["1", "2"]) { driverStats(maxAge: "30m") { convRate ageSeconds } } }`);
    expect(data?.drivers).toEqual([{ driverStats: null }, { driverStats: { convRate: 0.25, ageSeconds: 10 } }]);
    expect(errors).toHaveLength(1);
    expect(errors?.[0]).toMatchObject({
      path: ['drivers', 0, 'driverStats'],
      extensions: { code: 'STALE', view: 'driver_stats', ageSeconds: 2700, maxAgeSeconds: 1800 },
    });
    expect(errors?.[0]?.message).toBe('driver_stats: the value is 2700 s old, older than maxAge (1800 s)');
  });

  it('takes maxAge in the ttl syntax or as seconds; a value exactly maxAge old is served; 0 means no limit', async () => {
    const q = 'query ($m: Duration) { driver(driverId: "1") { driverStats(maxAge: $m) { ageSeconds } } }';
    for (const m of ['1h', '2700s', 2700, '45m', 0]) {
      const r = await gql(q, { m });
      expect(r.errors, `maxAge ${JSON.stringify(m)}`).toBeUndefined();
      expect(r.data).toEqual({ driver: { driverStats: { ageSeconds: 2700 } } });
    }
    for (const m of ['44m', 2699, '2699s']) {
      const r = await gql(q, { m });
      expect(r.errors?.[0]?.extensions?.code, `maxAge ${JSON.stringify(m)}`).toBe('STALE');
    }
  });

  it('rejects a malformed maxAge as BAD_USER_INPUT naming the Duration syntax', async () => {
    const float = await gql('{ driver(driverId: "1") { driverStats(maxAge: 1.5) { ageSeconds } } }');
    expect(float.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(float.errors?.[0]?.message).toContain('Duration must be a string such as "30m" or a whole number of seconds');
    for (const bad of ['"5 minutes"', '-5', '"1.5h"']) {
      const r = await gql(`{ driver(driverId: "1") { driverStats(maxAge: ${bad}) { ageSeconds } } }`);
      expect(r.data ?? null, bad).toBeNull();
      expect(r.errors?.[0]?.extensions?.code, bad).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message, bad).toMatch(
        /Duration .*(must be a duration: a whole number with a unit s, m, h, d or w|whole, non-negative)/,
      );
    }
    const v = await gql('query ($m: Duration) { driver(driverId: "1") { driverStats(maxAge: $m) { ageSeconds } } }', { m: 'soon' });
    expect(v.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('with asOf, measures the age from the asOf instant and applies maxAge to it', async () => {
    const asOf = iso(at.getTime() + 30 * 60_000);
    const ok = await gql(`{
      driver(driverId: "5") {
        driverStats(asOf: "${asOf}", maxAge: "1h") { avgDailyTrips eventTimestamp createdTimestamp ageSeconds }
        driverRating(asOf: "${asOf}") { createdTimestamp ageSeconds }
      }
    }`);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({
      driver: {
        driverStats: { avgDailyTrips: 50, eventTimestamp: iso(at.getTime()), createdTimestamp: iso(at.getTime()), ageSeconds: 1800 },
        // Ratings are 3 h before `at`.
        driverRating: { createdTimestamp: null, ageSeconds: 3 * 3600 + 1800 },
      },
    });
    // An asOf in the future reads as of now, so the age is measured from now (ratings are 6 h old; ttl 1d).
    const future = await gql(`{ driver(driverId: "5") { driverRating(asOf: "${iso(now + 86_400_000)}") { ageSeconds } } }`);
    expect(future.data).toEqual({ driver: { driverRating: { ageSeconds: 6 * 3600 } } });
    const stale = await gql(`{ driver(driverId: "5") { driverStats(asOf: "${asOf}", maxAge: "20m") { avgDailyTrips } } }`);
    expect(stale.data).toEqual({ driver: { driverStats: null } });
    expect(stale.errors?.[0]?.extensions).toMatchObject({ code: 'STALE', ageSeconds: 1800, maxAgeSeconds: 1200 });
  });

  it('gives the same data and STALE error through a graphql-jit compiled query', async () => {
    const text = '{ drivers(driverIds: ["1", "2"]) { driverId driverStats(maxAge: "30m") { convRate createdTimestamp ageSeconds } } }';
    const compiled = compileQuery(buildSchema(repo), parse(text));
    if (!isCompiledQuery(compiled)) throw new Error(`did not compile: ${JSON.stringify(compiled)}`);
    const viaJit = (await compiled.query(undefined, { rt, loaders: createLoaders(rt) }, {})) as Gql;
    const viaYoga = await gql(text);
    expect(viaJit.data).toEqual(viaYoga.data);
    expect(viaJit.data?.drivers).toEqual([
      { driverId: '1', driverStats: null },
      { driverId: '2', driverStats: { convRate: 0.25, createdTimestamp: iso(now - 5_000), ageSeconds: 10 } },
    ]);
    expect(viaJit.errors?.map((e) => ({ path: e.path, code: e.extensions?.code, age: e.extensions?.ageSeconds }))).toEqual([
      { path: ['drivers', 0, 'driverStats'], code: 'STALE', age: 2700 },
    ]);
  });
});
