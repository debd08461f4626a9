import { describe, expect, it } from 'vitest';
import { execute, isObjectType, parse, validate } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import demo from '../../schema/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { createLoaders } from '../../src/graphql/loaders.js';
import type { ServingRuntime } from '../../src/graphql/runtime.js';

const repo = resolveRepository(demo);
const schema = buildSchema(repo);

const QUERIES: Record<string, string> = {
  'one entity, online and asOf, with freshness fields and maxAge': `query ($id: ID!, $m: Duration) {
    driver(driverId: $id) {
      driverId
      driverStats(maxAge: $m) { convRate accRate avgDailyTrips eventTimestamp createdTimestamp ageSeconds }
      past: driverStats(asOf: "2026-01-01T00:00:00Z", maxAge: "1d") { convRate ageSeconds }
    }
  }`,
  'a batch through fragments': `query ($ids: [ID!]!) { drivers(driverIds: $ids) { ...D } }
    fragment D on Driver { driverId driverStats { ... on DriverStats { convRate } } }`,
  'an on-demand view with request arguments': `{ customer(customerId: "C1001") { accidentProximity(userLat: 1.5, userLon: 2.5) { distanceKm nearLastAccident } creditScore { score } } }`,
  'a feature service': `query ($c: [ID!]!) { pricingV1s(customerIds: $c, userLat: 1, userLon: 2) { creditScore(maxAge: 3600) { score ageSeconds } accidentProximity { distanceKm } locationRisk { risk } } }`,
  'registry metadata': `{ featureViews { name features { name description unit range { min max } } source { name } freshness { watermark } } entities { name } onDemandViews { name requestArguments { name description } } featureServices { name features { view feature description unit } } registryHistory { version } }`,
  'a push': `mutation ($rows: [LocationRiskRowInput!]!) { pushLocationRisk(rows: $rows, to: ONLINE) { rows onlineWritten } }`,
};

describe('the generated schema under graphql-jit', () => {
  it.each(Object.entries(QUERIES))('compiles %s', (_, text) => {
    const doc = parse(text);
    expect(validate(schema, doc)).toEqual([]);
    const compiled = compileQuery(schema, doc);
    expect(isCompiledQuery(compiled) ? 'compiled' : compiled).toBe('compiled');
  });

  it('answers a registry query exactly as graphql-js execute does', async () => {
    // No stores: only the freshness field asks the offline store anything (its newest event time).
    const rt = {
      repo,
      registry: unappliedRegistry,
      offline: { newestEventTime: async () => null },
      now: () => Date.parse('2026-11-26T10:00:00Z'),
    } as unknown as ServingRuntime;
    const doc = parse(QUERIES['registry metadata']!);
    const compiled = compileQuery(schema, doc);
    if (!isCompiledQuery(compiled)) throw new Error('did not compile');
    const viaJit = await compiled.query(undefined, { rt, loaders: createLoaders(rt) }, {});
    const viaJs = await execute({ schema, document: doc, contextValue: { rt, loaders: createLoaders(rt) } });
    expect(viaJit.errors).toBeUndefined();
    expect(viaJit).toEqual(JSON.parse(JSON.stringify(viaJs)));
    expect((viaJit.data?.featureViews as { features: { name: string; unit: string | null }[] }[])[0]?.features[0]).toMatchObject({
      name: 'conv_rate',
      unit: 'ratio',
    });
  });

  it('marks view, on-demand, service, push and registry fields with extensions.featuregraph', () => {
    const kinds = (type: string) => {
      const t = schema.getType(type);
      if (!isObjectType(t)) throw new Error(`${type} is not an object type`);
      return Object.fromEntries(Object.values(t.getFields()).map((f) => [f.name, f.extensions.featuregraph ?? null]));
    };
    expect(kinds('Customer')).toEqual({
      customerId: null,
      creditScore: { kind: 'view', name: 'credit_score' },
      accidentHistory: { kind: 'view', name: 'accident_history' },
      locationRisk: { kind: 'view', name: 'location_risk' },
      accidentProximity: { kind: 'onDemand', name: 'accident_proximity' },
      quoteActivity: { kind: 'aggregation', name: 'quote_activity' },
    });
    const query = kinds('Query');
    expect(query.pricingV1).toEqual({ kind: 'service', name: 'pricing_v1' });
    expect(query.drivers).toEqual({ kind: 'entity', name: 'driver' });
    expect(query.featureView).toEqual({ kind: 'registry', name: 'featureView' });
    expect(kinds('Mutation').pushDriverStats).toEqual({ kind: 'push', name: 'driver_stats' });
    expect(kinds('Mutation').pushQuoteActivity).toEqual({ kind: 'push', name: 'quote_activity' });
    expect(kinds('PricingV1').creditScore).toEqual({ kind: 'view', name: 'credit_score' });
  });
});
