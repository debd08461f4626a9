import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import { applyRepository } from '../../src/registry/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { sqlRegistryInfo } from '../../src/graphql/registry-info.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';

interface GqlResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Counts online reads and the SQL statements that touch online tables. */
const counting = (store: OnlineStore) => {
  const calls: { views: string[]; keys: number }[] = [];
  const wrapped: OnlineStore = {
    ...store,
    read: (reqs) => {
      calls.push({ views: reqs.map((r) => r.view.name), keys: reqs.reduce((n, r) => n + r.keys.length, 0) });
      return store.read(reqs);
    },
  };
  return { wrapped, calls };
};

const countingSql = (sql: SqlClient, pattern: RegExp) => {
  const hits: string[] = [];
  const wrapped: SqlClient = {
    ...sql,
    query: (text, params) => {
      if (pattern.test(text)) hits.push(text);
      return sql.query(text, params);
    },
  };
  return { wrapped, hits };
};

describe.each(sqlBackends)('serving online features on the $name SQL store', ({ open }) => {
  const project = uniqueProject('srv');
  const schema = `${project}_src`;
  const at = new Date(Date.now() - 60_000);
  let sql: SqlClient;
  let app: FeatureGraphApp;
  let now = Date.now();
  let reads: ReturnType<typeof counting>['calls'];
  let onlineSql: string[];

  const gql = async (query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GqlResponse }> => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GqlResponse };
  };

  beforeAll(async () => {
    sql = await open();
    await seedSmallSources(sql, schema, 150, at);
    const defs = smallRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true, createSourceIndexes: true });
    const repo = resolveRepository(defs, project);
    const counted = countingSql(sql, new RegExp(`"fg_${project}"\\."online_`));
    onlineSql = counted.hits;
    const store = counting(createSqlOnlineStore(counted.wrapped, project));
    reads = store.calls;
    await materializeViews({ sql, online: store.wrapped, repo }, { start: new Date(at.getTime() - 86_400_000), end: new Date() });
    app = createApp(
      { repo, online: store.wrapped, offline: openOfflineStore(sql), registry: sqlRegistryInfo(sql, project), now: () => now },
      { logging: false },
    );
  });

  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
  });

  it('returns the latest materialized values with exact types', async () => {
    now = Date.now();
    const { body } = await gql('{ driver(driverId: "7") { driverId driverStats { convRate avgDailyTrips eventTimestamp } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      // A Float32 prints as its shortest float32 decimal (0.07), not as the double Math.fround(0.07).
      driver: { driverId: '7', driverStats: { convRate: 0.07, avgDailyTrips: 70, eventTimestamp: at.toISOString() } },
    });
  });

  it('reads 100 drivers with one online-store query per feature view', async () => {
    now = Date.now();
    reads.length = 0;
    onlineSql.length = 0;
    const ids = Array.from({ length: 100 }, (_, i) => String(i + 1));
    const { body } = await gql('query($ids: [ID!]!) { drivers(driverIds: $ids) { driverId driverStats { convRate } } }', { ids });
    expect(body.errors).toBeUndefined();
    const drivers = body.data?.drivers as { driverId: string; driverStats: { convRate: number } | null }[];
    expect(drivers.map((d) => d.driverId)).toEqual(ids);
    expect(drivers.every((d) => d.driverStats !== null)).toBe(true);
    expect(reads).toEqual([{ views: ['driver_stats'], keys: 100 }]);
    expect(onlineSql).toHaveLength(1);
  });

  it('reads two views of one entity group in one store call, keeping order and duplicates', async () => {
    reads.length = 0;
    const { body } = await gql('{ customers(customerIds: ["C2", "C1", "C2", "nobody"]) { customerId customerProfile { segment } } }');
    expect(body.errors).toBeUndefined();
    expect(
      (body.data?.customers as { customerProfile: { segment: string } | null }[]).map((c) => c.customerProfile?.segment ?? null),
    ).toEqual(['silver', 'gold', 'silver', null]);
    expect(reads).toHaveLength(1);
  });

  it('returns null for an expired value and for an unknown key', async () => {
    now = at.getTime() + 2 * 3600_000 + 1000; // just past the 2h ttl
    const { body } = await gql(
      '{ a: driver(driverId: "7") { driverStats { convRate } } b: driver(driverId: "999999") { driverStats { convRate } } }',
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ a: { driverStats: null }, b: { driverStats: null } });
    now = at.getTime() + 2 * 3600_000; // exactly at the ttl bound: still live
    const live = await gql('{ driver(driverId: "7") { driverStats { convRate } } }');
    expect((live.body.data?.driver as { driverStats: unknown }).driverStats).not.toBeNull();
    now = Date.now();
  });

  it('ttl 0 never expires', async () => {
    now = Date.now() + 10 * 365 * 86_400_000;
    const { body } = await gql('{ customer(customerId: "C1") { customerProfile { segment } } }');
    expect(body.data).toEqual({ customer: { customerProfile: { segment: 'gold' } } });
    now = Date.now();
  });

  it('rejects a malformed ID with a clear error, not a 500', async () => {
    const { status, body } = await gql('{ driver(driverId: "12abc") { driverStats { convRate } } }');
    expect(status).toBe(200);
    expect(body.errors?.[0]?.message).toMatch(/driverId: not a valid Int64 key: "12abc"/);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rejects a malformed DateTime and an unknown field as validation errors', async () => {
    const bad = await gql('{ driver(driverId: "1") { driverStats(asOf: "yesterday") { convRate } } }');
    expect(bad.body.errors?.[0]?.message).toMatch(/DateTime must be ISO 8601/);
    expect(bad.body.data).toBeUndefined();
    const unknown = await gql('{ driver(driverId: "1") { driverStats { nope } } }');
    expect(unknown.body.errors?.[0]?.message).toMatch(/Cannot query field "nope" on type "DriverStats"/);
  });

  it('fails only the fields of a store that is down', async () => {
    const failing: OnlineStore = {
      ...createSqlOnlineStore(sql, project),
      read: async () => {
        throw new Error('connection refused');
      },
    };
    const repo = resolveRepository(smallRepository(project, schema), project);
    const broken = createApp(
      { repo, online: failing, offline: openOfflineStore(sql), registry: sqlRegistryInfo(sql, project), now: Date.now },
      { logging: false },
    );
    const res = await broken.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ driver(driverId: "1") { driverId driverStats { convRate } } featureViews { name } }' }),
    });
    const body = (await res.json()) as GqlResponse;
    expect(body.data).toEqual({
      driver: { driverId: '1', driverStats: null },
      featureViews: [{ name: 'driver_stats' }, { name: 'driver_rating' }, { name: 'customer_profile' }],
    });
    expect(body.errors?.[0]?.extensions?.code).toBe('ONLINE_STORE_UNAVAILABLE');
    // Which view failed, never the driver's text (it can carry host:port or SQL; the server log has it).
    expect(body.errors?.[0]?.message).toMatch(/driver_stats/);
    expect(body.errors?.[0]?.message).not.toMatch(/connection refused/);
  });
});
