import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';

interface Gql {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describe.each(sqlBackends)('asOf point-in-time reads on $name', ({ open }) => {
  const project = uniqueProject('asof');
  const schema = `${project}_src`;
  // Rows at `at` and at - 1h (driver_stats), a rating at - 3h; at + 2h (the ttl) is still in the past.
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 3 * 3600_000);
  const iso = (ms: number) => new Date(ms).toISOString();
  let sql: SqlClient;
  let app: FeatureGraphApp;
  const statements: string[] = [];

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
    await seedSmallSources(sql, schema, 120, at);
    const defs = smallRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true, createSourceIndexes: true });
    const counting: SqlClient = {
      ...sql,
      query: (text, params) => {
        if (/LATERAL/.test(text)) statements.push(text);
        return sql.query(text, params);
      },
      // Serving reads carry the request's time limit (docs/production.md): they come this way.
      queryWithin: (ms, text, params) => {
        if (/LATERAL/.test(text)) statements.push(`within ${ms} ms: ${text}`);
        return sql.queryWithin(ms, text, params);
      },
    };
    app = createApp(
      {
        repo: resolveRepository(defs, project),
        online: createSqlOnlineStore(sql, project),
        offline: openOfflineStore(counting),
        registry: unappliedRegistry,
        now: Date.now,
      },
      { logging: false },
    );
  });
  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
  });

  it('returns the value as of the given time, never a later one', async () => {
    const { data, errors } = await gql(`{
      now: driver(driverId: "5") { driverStats(asOf: "${iso(at.getTime())}") { avgDailyTrips eventTimestamp } }
      before: driver(driverId: "5") { driverStats(asOf: "${iso(at.getTime() - 1)}") { avgDailyTrips eventTimestamp } }
      tooEarly: driver(driverId: "5") { driverStats(asOf: "${iso(at.getTime() - 3600_001)}") { avgDailyTrips } }
      expired: driver(driverId: "5") { driverStats(asOf: "${iso(at.getTime() + 2 * 3600_000 + 1)}") { avgDailyTrips } }
    }`);
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      now: { driverStats: { avgDailyTrips: 50, eventTimestamp: iso(at.getTime()) } },
      before: { driverStats: { avgDailyTrips: 51, eventTimestamp: iso(at.getTime() - 3600_000) } },
      tooEarly: { driverStats: null },
      expired: { driverStats: null },
    });
  });

  it('applies a root asOf to every view below it unless the view overrides it', async () => {
    const { data } = await gql(`{
      driver(driverId: "5", asOf: "${iso(at.getTime() - 1000)}") {
        driverStats { avgDailyTrips }
        driverRating { rating }
        latest: driverStats(asOf: "${iso(at.getTime())}") { avgDailyTrips }
      }
    }`);
    expect(data).toEqual({ driver: { driverStats: { avgDailyTrips: 51 }, driverRating: { rating: 0.5 }, latest: { avgDailyTrips: 50 } } });
  });

  it('treats an asOf in the future as now', async () => {
    const { data } = await gql(
      `{ driver(driverId: "5", asOf: "2999-01-01T00:00:00Z") { driverStats { avgDailyTrips } driverRating { rating } } }`,
    );
    // As of now: the stats row (3h old) is past its 2h ttl, the rating (6h old) is inside its 1d ttl.
    expect(data).toEqual({ driver: { driverStats: null, driverRating: { rating: 0.5 } } });
  });

  it('reads 100 drivers × 2 views as of a time with one SQL statement per view', async () => {
    statements.length = 0;
    const ids = Array.from({ length: 100 }, (_, i) => String(i + 1));
    const { data, errors } = await gql(
      `query($ids: [ID!]!, $t: DateTime) { drivers(driverIds: $ids, asOf: $t) { driverId driverStats { convRate } driverRating { rating } } }`,
      { ids, t: iso(at.getTime()) },
    );
    expect(errors).toBeUndefined();
    const drivers = data?.drivers as { driverId: string; driverStats: unknown; driverRating: { rating: number } }[];
    expect(drivers).toHaveLength(100);
    expect(drivers[9]?.driverRating.rating).toBe(1);
    expect(statements).toHaveLength(2);
    // Both with the server's default time limit.
    expect(statements.every((s) => s.startsWith('within 10000 ms: '))).toBe(true);
  });

  it('rejects a malformed asOf as a validation error', async () => {
    const { errors, data } = await gql(`{ driver(driverId: "5") { driverStats(asOf: "2026-13-45") { avgDailyTrips } } }`);
    expect(data).toBeUndefined();
    expect(errors?.[0]?.message).toMatch(/DateTime must be ISO 8601/);
  });
});
