import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { openOfflineStore } from '../../src/offline/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { uniqueProject } from '../support/env.js';
import { createRelationSources, relationRepository } from '../support/relations-fixture.js';

interface Answer {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

const ids = (n: number, prefix = '') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const literal = (xs: readonly string[]) => `[${xs.map((x) => JSON.stringify(x)).join(',')}]`;
const at = (i: number) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString();

/**
 * The key cap (useKeyLimits, docs/production.md "Limits") counts what a request really reads: a variable's
 * default value like the request's own variables, and views below relations once per key that reaches them.
 * Refusals happen before execution, so the stores hold no values. Run with the node front and with Yoga's
 * listener alone (JSON POSTs go through either).
 */
describe('the key cap', () => {
  const project = uniqueProject('keys');
  const schema = `${project}_src`;
  let sql: SqlClient;
  let repo: ResolvedRepository;
  beforeAll(async () => {
    sql = await createPgliteClient();
    await createRelationSources(sql, schema);
    const defs = relationRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true, createSourceIndexes: true });
    repo = resolveRepository(defs, project);
  });
  afterAll(async () => {
    await sql?.close();
  });

  describe.each([
    ['node front', true],
    ['Yoga only', false],
  ])('%s', (_, nodeFront) => {
    const servers: Record<string, RunningServer> = {};

    const post = async (server: string, query: string, variables?: Record<string, unknown>): Promise<Answer> => {
      const res = await fetch(servers[server]!.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
      });
      return { status: res.status, body: (await res.json()) as Answer['body'] };
    };
    const refused = (a: Answer, message: string) => {
      expect({ status: a.status, code: a.body.errors?.[0]?.extensions?.code, data: a.body.data }).toEqual({
        status: 400,
        code: 'BAD_USER_INPUT',
        data: undefined,
      });
      expect(a.body.errors?.[0]?.message).toBe(message);
    };
    const ran = (a: Answer) => {
      expect(a.body.errors).toBeUndefined();
      expect(a.status).toBe(200);
    };

    beforeAll(async () => {
      const start = async (name: string, opts: AppOptions) => {
        const app = createApp(
          { repo, online: createSqlOnlineStore(sql, project), offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now },
          { logging: false, ...opts },
        );
        servers[name] = await listen(app, 0, '127.0.0.1', { nodeFront });
        expect(servers[name]!.front.off === null).toBe(nodeFront);
      };
      await start('default', {});
      await start('small', { limits: { maxKeys: 10, maxLookups: 7 } });
    });
    afterAll(async () => {
      for (const s of Object.values(servers)) await s.close();
    });

    it("counts a variable's default value as the keys it lists, as the same list sent in variables", async () => {
      const one = (def: string) => `query($ids: [ID!]! = ${def}) { drivers(driverIds: $ids) { driverStats { convRate } } }`;
      refused(await post('default', one(literal(ids(1001)))), 'this request reads 1001 entity keys; at most 1000 are allowed per request');
      refused(
        await post('default', one('["1"]'), { ids: ids(1001) }),
        'this request reads 1001 entity keys; at most 1000 are allowed per request',
      );
      ran(await post('default', one(literal(ids(1000)))));
      // The request's own value replaces the default.
      ran(await post('default', one(literal(ids(1001))), { ids: ['1', '2'] }));
      // Aliases of one root field each read the default's keys (the review's 25 × 1,500 ids, smaller).
      const aliased = `query($ids: [ID!]! = ${literal(ids(400))}) { ${[0, 1, 2]
        .map((i) => `a${i}: drivers(driverIds: $ids) { driverStats { convRate } }`)
        .join(' ')} }`;
      refused(await post('default', aliased), 'this request reads 1200 entity keys; at most 1000 are allowed per request');
      // A default given to a variable named like an Object property is still its default.
      refused(
        await post('default', `query($constructor: [ID!]! = ${literal(ids(1001))}) { drivers(driverIds: $constructor) { driverId } }`),
        'this request reads 1001 entity keys; at most 1000 are allowed per request',
      );
    });

    it('counts every view below a relation once per key that reaches it, through fragments and inline fragments', async () => {
      // 1,000 trips, each reaching one driver read at 28 instants: 1,000 trip_facts + 28,000 driver_stats lookups.
      const views = Array.from({ length: 28 }, (_, i) => `a${i}: driverStats(asOf: "${at(i)}") { convRate }`).join(' ');
      const wide = `query($ids: [ID!]!) { trips(tripIds: $ids) { tripFacts { driver { ${views} } } } }`;
      refused(
        await post('default', wide, { ids: ids(1000, 'T') }),
        'this request costs 29000 lookups (keys × views); at most 10000 are allowed per request',
      );
      ran(await post('default', wide, { ids: ids(300, 'T') })); // 300 × 29 = 8,700
      // Per trip: trip_facts, driver_stats, city_stats (two relations down, in a fragment) and credit_score (in an
      // inline fragment): 4 lookups; 2 trips are 8, over the small server's 7.
      const deep = `query($ids: [ID!]!) { trips(tripIds: $ids) { tripFacts { driver { ...D } ... on TripFacts { customer { creditScore { score } } } } } }
      fragment D on Driver { driverStats { convRate homeCity { cityStats { surge } } } }`;
      refused(
        await post('small', deep, { ids: ['T1', 'T2'] }),
        'this request costs 8 lookups (keys × views); at most 7 are allowed per request',
      );
      ran(await post('small', deep, { ids: ['T1'] }));
      // A relation with no view below it reads nothing more than the view it is in.
      ran(await post('small', '{ trips(tripIds: ["T1", "T2", "T3"]) { tripFacts { driver { driverId } customer { customerId } } } }'));
      // A field repeated under one response key is read once, as execution merges it.
      ran(
        await post(
          'small',
          '{ trips(tripIds: ["T1", "T2", "T3"]) { tripFacts { driver { driverStats { convRate } } driver { driverStats { homeCityId } } } } }',
        ),
      );
    });
  });
});
