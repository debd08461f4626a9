import { execute, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { describe, expect, it } from 'vitest';
import { createScopeCache, judgeDocument } from '../../src/auth/document-scopes.js';
import { fieldRules } from '../../src/auth/field-rules.js';
import { guardSchema } from '../../src/auth/schema-guard.js';
import { allowArbitraryOperations, allowIntrospection } from '../../src/auth/policies.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { setPrincipal } from '../../src/server/principal.js';
import definitions from './fixtures/keys-repository.js';

const repo = resolveRepository(definitions);
const schema = buildSchema(repo);
const rules = fieldRules(repo, schema);
const key = (...scopes: string[]) => ({ name: 'k', scopes });

describe('field rules', () => {
  it('guard view, service, push and registry fields; entity and service roots are open', () => {
    expect(rules.get('Driver.driverStats')?.anyOf).toEqual(['read:driver_stats']);
    expect(rules.get('Customer.riskDoubled')?.anyOf).toEqual(['read:risk_doubled']);
    expect(rules.get('Pricing.creditScore')?.anyOf).toEqual(['read:pricing', 'read:credit_score']);
    expect(rules.get('Mutation.pushLocationRisk')?.anyOf).toEqual(['push:location_risk']);
    // featureDrift runs a scan of the served-feature log: admin only, like every root field nobody opened.
    expect(schema.getQueryType()?.getFields().featureDrift).toBeDefined();
    for (const f of ['featureViews', 'featureView', 'entities', 'featureServices', 'registryHistory', 'featureDrift'])
      expect(rules.get(`Query.${f}`)?.anyOf).toEqual(['admin']);
    for (const f of ['driver', 'drivers', 'customer', 'customers', 'pricing', 'pricings']) expect(rules.has(`Query.${f}`)).toBe(false);
    expect(rules.has('Driver.driverId')).toBe(false);
    // Subscriptions to a view's changes need the same read scope as the view (docs/subscriptions.md).
    expect(rules.get('Subscription.driverStatsChanged')?.anyOf).toEqual(['read:driver_stats']);
  });
});

describe('judging a document', () => {
  it('finds forbidden fields inside fragments and inline fragments', () => {
    const doc = parse(`
      query Q { customer(customerId: "C1") { ...F ... on Customer { riskDoubled { doubled } } } driver(driverId: "1") { driverStats { convRate } } }
      fragment F on Customer { creditScore { score } locationRisk { risk } }`);
    const v = judgeDocument(schema, doc, rules, key('read:location_risk', 'read:driver_*'));
    expect([...v.forbidden].sort()).toEqual(['Customer.creditScore', 'Customer.riskDoubled']);
    expect(v.refused.size).toBe(0);
  });

  it('refuses a mutation whole when any of its push fields is forbidden, also through a fragment on Mutation', () => {
    const doc = parse(`
      mutation A { ...P }
      mutation B { pushLocationRisk(rows: []) { rows } }
      fragment P on Mutation { ok: pushLocationRisk(rows: []) { rows } no: pushCreditScore(rows: []) { rows } }`);
    const v = judgeDocument(schema, doc, rules, key('push:location_risk'));
    expect([...v.forbidden]).toEqual(['Mutation.pushCreditScore']);
    const [a, b] = doc.definitions;
    expect(v.refused.get(a as never)?.map((e) => [e.path, e.extensions.code, e.extensions.view])).toEqual([
      [['no'], 'FORBIDDEN', 'credit_score'],
    ]);
    expect(v.refused.has(b as never)).toBe(false);
  });

  it('a request without a principal is judged as a key with no scopes', () => {
    const v = judgeDocument(
      schema,
      parse('{ driver(driverId: "1") { driverId driverStats { convRate } } featureViews { name } }'),
      rules,
      undefined,
    );
    expect([...v.forbidden].sort()).toEqual(['Driver.driverStats', 'Query.featureViews']);
  });
});

describe('the guarded schema', () => {
  it('fails closed: a request no verdict was recorded for gets FORBIDDEN on every guarded field', async () => {
    const verdicts = new WeakMap<object, ReadonlySet<string>>();
    const guarded = guardSchema(schema, rules, verdicts);
    const document = parse('{ driver(driverId: "1") { driverId driverStats { convRate } } }');
    const bypass = await execute({ schema: guarded, document, contextValue: {} });
    expect(bypass.data).toEqual({ driver: { driverId: '1', driverStats: null } });
    expect(bypass.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    // The same under graphql-jit, the pipeline's compiled executor: it calls the guarded resolvers too.
    const compiled = compileQuery(guarded, document);
    if (!isCompiledQuery(compiled)) throw new Error('did not compile');
    const jitBypass = await compiled.query(undefined, {}, {});
    expect(jitBypass.data).toEqual({ driver: { driverId: '1', driverStats: null } });
    expect(jitBypass.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
    const ctx = {};
    verdicts.set(ctx, new Set(['Customer.creditScore']));
    const allowed = await compiled.query(undefined, ctx, {});
    // Past the guard, the view's own resolver ran (and failed: this bare context has no DataLoaders).
    expect(allowed.errors).toHaveLength(1);
    expect(allowed.errors?.[0]?.extensions?.code).not.toBe('FORBIDDEN');
    // The unguarded original is untouched (the guard is a copy).
    expect(schema.getQueryType()?.getFields().featureViews?.resolve).not.toBe(guarded.getQueryType()?.getFields().featureViews?.resolve);
  });
});

describe('the verdict cache', () => {
  it('computes once per document and scope set, and keeps at most its bound, dropping the least recently used', () => {
    const cache = createScopeCache(2);
    const [d1, d2, d3] = [parse('{ __typename }'), parse('{ __typename }'), parse('{ __typename }')];
    const judge = () => ({ forbidden: new Set<string>(), refused: new Map() });
    const a = key('read:*');
    cache.get(d1, a, judge);
    cache.get(d1, a, judge);
    cache.get(d1, key('read:*'), judge); // another principal object with the same scopes
    expect(cache.computations).toBe(1);
    cache.get(d1, key('admin'), judge);
    expect(cache.computations).toBe(2);
    cache.get(d1, a, judge); // touch: d1/read:* is now the most recent
    cache.get(d2, a, judge);
    cache.get(d3, a, judge);
    expect(cache.size).toBe(2);
    cache.get(d3, a, judge);
    expect(cache.computations).toBe(4);
    cache.get(d1, key('admin'), judge); // evicted first
    expect(cache.computations).toBe(5);
  });
});

describe('policies for the pipeline', () => {
  it('introspection needs admin, arbitrary documents need adhoc; no principal gets neither', () => {
    const req = (scopes?: string[]) => {
      const r = new Request('http://test/graphql');
      if (scopes) setPrincipal(r, key(...scopes));
      return r;
    };
    expect(allowIntrospection(req(['admin']))).toBe(true);
    expect(allowIntrospection(req(['read:*', 'adhoc']))).toBe(false);
    expect(allowArbitraryOperations(req(['adhoc']))).toBe(true);
    expect(allowArbitraryOperations(req(['admin']))).toBe(false);
    expect(allowIntrospection(req())).toBe(false);
    expect(allowArbitraryOperations(req())).toBe(false);
  });
});
