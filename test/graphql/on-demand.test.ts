import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import {
  Float64,
  String as Str,
  entity,
  featureService,
  featureView,
  onDemandView,
  postgresSource,
  repository,
} from '../../src/definitions/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { sqlRegistryInfo } from '../../src/graphql/registry-info.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

interface Gql {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; view?: string } }[];
}

const definitions = (project: string, schema: string, calls: { n: number }) => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const home = featureView({
    name: 'home',
    entities: [customer],
    features: { lat: Float64, lon: Float64 },
    source: postgresSource({ name: 'home_src', table: `${schema}.home`, timestampField: 'ts' }),
    ttl: 0,
  });
  const offset = onDemandView({
    name: 'offset',
    sources: { home },
    request: { user_lat: Float64, user_lon: Float64 },
    features: { d_lat: Float64, d_lon: Float64 },
    transform: ({ home: h }, { user_lat, user_lon }) => {
      calls.n++;
      if (user_lat === 99) throw new Error('latitude 99 is not on Earth');
      if (h?.lat == null || h.lon == null) return { d_lat: null, d_lon: null };
      // A deliberately wrong output type for one input, to show it is caught at query time.
      if (user_lon === 77) return { d_lat: 'far' as unknown as number, d_lon: 0 };
      return { d_lat: user_lat - h.lat, d_lon: user_lon - h.lon };
    },
  });
  const svc = featureService({ name: 'trip_svc', features: [home.select('lat'), offset.select('d_lat')] });
  return repository({ project, featureViews: [home], onDemandViews: [offset], featureServices: [svc] });
};

describe.each(sqlBackends)('on-demand views and feature services on $name', ({ open }) => {
  const project = uniqueProject('odfv');
  const schema = `${project}_src`;
  const calls = { n: 0 };
  const reads: string[][] = [];
  let sql: SqlClient;
  let app: FeatureGraphApp;
  const gql = async (query: string): Promise<Gql> => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return (await res.json()) as Gql;
  };

  beforeAll(async () => {
    sql = await open();
    await sql.query(`CREATE SCHEMA "${schema}"`);
    await sql.query(`CREATE TABLE "${schema}".home (customer_id text, ts timestamptz, lat double precision, lon double precision)`);
    await sql.query(
      `INSERT INTO "${schema}".home VALUES ('A', now() - interval '2 days', 10, 20), ('A', now() - interval '1 day', 50, 10), ('B', now(), 1, 2)`,
    );
    const defs = definitions(project, schema, calls);
    await applyRepository(sql, defs, { project, onlineTables: true });
    const repo = resolveRepository(defs, project);
    const store = createSqlOnlineStore(sql, project);
    const counted: OnlineStore = { ...store, read: (r) => (reads.push(r.map((x) => x.view.name)), store.read(r)) };
    await materializeViews({ sql, online: store, repo }, { start: new Date(0), end: new Date() });
    app = createApp(
      { repo, online: counted, offline: openOfflineStore(sql), registry: sqlRegistryInfo(sql, project), now: Date.now },
      { logging: false },
    );
  });
  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
  });

  it('computes from online inputs and request arguments, reading the input view once with its sibling field', async () => {
    calls.n = 0;
    reads.length = 0;
    const { data, errors } = await gql('{ customer(customerId: "A") { home { lat } offset(userLat: 52, userLon: 13) { dLat dLon } } }');
    expect(errors).toBeUndefined();
    expect(data).toEqual({ customer: { home: { lat: 50 }, offset: { dLat: 2, dLon: 3 } } });
    expect(reads).toEqual([['home']]);
    expect(calls.n).toBe(1);
  });

  it('runs the transform once per entity and arguments per request, and not at all when unselected', async () => {
    calls.n = 0;
    await gql(
      '{ a: customer(customerId: "A") { x: offset(userLat: 1, userLon: 1) { dLat } y: offset(userLat: 1, userLon: 1) { dLon } z: offset(userLat: 2, userLon: 1) { dLat } } }',
    );
    expect(calls.n).toBe(2);
    calls.n = 0;
    await gql('{ customer(customerId: "A") { home { lat } } }');
    expect(calls.n).toBe(0);
  });

  it('uses point-in-time inputs with asOf', async () => {
    const t = new Date(Date.now() - 1.5 * 86_400_000).toISOString();
    const { data } = await gql(`{ customer(customerId: "A") { offset(userLat: 12, userLon: 21, asOf: "${t}") { dLat dLon } } }`);
    expect(data).toEqual({ customer: { offset: { dLat: 2, dLon: 1 } } });
  });

  it('fails only the field whose transform throws or returns a wrong type, naming the view', async () => {
    const threw = await gql('{ customer(customerId: "A") { home { lat } offset(userLat: 99, userLon: 1) { dLat } } }');
    expect(threw.data).toEqual({ customer: { home: { lat: 50 }, offset: null } });
    expect(threw.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/on-demand view offset: transform threw: latitude 99/),
      extensions: { code: 'ON_DEMAND_TRANSFORM_FAILED', view: 'offset' },
    });
    const wrong = await gql('{ customer(customerId: "A") { offset(userLat: 1, userLon: 77) { dLat } } }');
    expect(wrong.errors?.[0]?.message).toMatch(/on-demand view offset: feature "d_lat" must be Float64/);
  });

  it('rejects missing or wrong-typed request arguments as validation errors', async () => {
    const missing = await gql('{ customer(customerId: "A") { offset(userLat: 1) { dLat } } }');
    expect(missing.data).toBeUndefined();
    expect(missing.errors?.[0]?.message).toMatch(/argument "userLon" of type "Float!" is required/);
    const wrong = await gql('{ customer(customerId: "A") { offset(userLat: "north", userLon: 1) { dLat } } }');
    expect(wrong.errors?.[0]?.message).toMatch(/Float cannot represent/);
  });

  it('serves a feature service with exactly its features, singular and plural', async () => {
    reads.length = 0;
    const { data, errors } = await gql(
      '{ tripSvc(customerId: "A", userLat: 52, userLon: 13) { home { lat } offset { dLat } } tripSvcs(customerIds: ["B", "A", "nobody"], userLat: 2, userLon: 2) { home { lat } offset { dLat } } }',
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      tripSvc: { home: { lat: 50 }, offset: { dLat: 2 } },
      tripSvcs: [
        { home: { lat: 1 }, offset: { dLat: 1 } },
        { home: { lat: 50 }, offset: { dLat: -48 } },
        { home: null, offset: { dLat: null } },
      ],
    });
    expect(reads).toHaveLength(1);
    const unknownField = await gql('{ tripSvc(customerId: "A", userLat: 1, userLon: 1) { home { lon } } }');
    expect(unknownField.errors?.[0]?.message).toMatch(/Cannot query field "lon" on type "TripSvcHome"/);
  });

  it('answers lineage: the service version and, per feature, view, view version, source, ttl', async () => {
    const { data } = await gql(
      '{ featureService(name: "trip_svc") { name version features { view feature onDemand viewVersion ttlSeconds inputs source { kind table } } } registryHistory { version hash } }',
    );
    expect(data?.featureService).toEqual({
      name: 'trip_svc',
      version: 1,
      features: [
        {
          view: 'home',
          feature: 'lat',
          onDemand: false,
          viewVersion: 1,
          ttlSeconds: 0,
          inputs: [],
          source: { kind: 'postgres', table: `${schema}.home` },
        },
        { view: 'offset', feature: 'd_lat', onDemand: true, viewVersion: 1, ttlSeconds: null, inputs: ['home'], source: null },
      ],
    });
    expect(data?.registryHistory).toEqual([{ version: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  });
});
