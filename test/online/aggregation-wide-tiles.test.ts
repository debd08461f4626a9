import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Int32,
  String as Str,
  aggregationView,
  count,
  entity,
  last,
  max,
  min,
  pushSource,
  repository,
  sum,
} from '../../src/definitions/index.js';
import type { AggregationSpec } from '../../src/definitions/aggregation-spec.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { encodeEntityKey } from '../../src/definitions/values.js';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { rng } from '../offline/random-sources.js';
import { REDIS_URL, uniqueProject } from '../support/env.js';
import { describeWith } from '../support/services.js';
import { bruteForce, eventRow, withReplays, type TestEvent } from '../aggregations/fixture.js';

/**
 * The Redis tile script reads a tile with one Lua pattern when its fields fit in Lua's 32 captures (up to 6
 * statistics fields) and splits it otherwise (src/online/aggregation/redis-scripts.ts). Both paths, against
 * the brute-force model of docs/aggregations.md.
 */
const spec = (project: string, fields: number): AggregationSpec => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const names = Array.from({ length: fields }, (_, i) => `f${i}`);
  const view = aggregationView({
    name: 'wide',
    entities: [customer],
    source: pushSource({ name: 'wide_events' }),
    eventId: 'request_id',
    fields: { request_id: Str, ...Object.fromEntries(names.map((n) => [n, Int32])) },
    aggregations: {
      n_1d: count('1d'),
      ...Object.fromEntries(names.map((n) => [`${n}_sum_1h`, sum(n, '1h')])),
      f0_min_1d: min('f0', '1d'),
      [`f${fields - 1}_max_5m`]: max(`f${fields - 1}`, '5m'),
      f1_last_1h: last('f1', '1h'),
    },
  });
  return resolveRepository(repository({ project, aggregationViews: [view] }), project).aggregationViews[0]!;
};

describeWith('REDIS_URL', 'Redis tiles with few and many statistics fields equal the brute force', () => {
  const stores: RedisOnlineStore[] = [];
  afterAll(async () => {
    for (const s of stores) {
      await s.deleteProjectKeys();
      await s.close();
    }
  });

  for (const fields of [2, 7]) {
    describe(`${fields} statistics fields (${fields <= 6 ? 'one pattern' : 'split'})`, () => {
      const project = uniqueProject(`aggwide${fields}`);
      const s = spec(project, fields);
      const T = Date.now();
      const events: TestEvent[] = [];
      let store: RedisOnlineStore;
      beforeAll(async () => {
        store = createRedisOnlineStore({ url: REDIS_URL as string, project });
        stores.push(store);
        await store.prepare([], [s]);
        const r = rng(4200 + fields).next;
        // Few times, so tiles get many events and ties; some values null.
        const times = Array.from({ length: 25 }, () => T - Math.floor(r() * 86_000_000));
        for (let i = 0; i < 400; i++) {
          const values: Record<string, number | string | null> = { request_id: `r${i}` };
          for (let f = 0; f < fields; f++) values[`f${f}`] = r() < 0.15 ? null : Math.floor(r() * 2001) - 1000;
          events.push({ customer_id: `C${i % 3}`, request_id: `r${i}`, ts: times[i % times.length]!, created: T - (i % 4), values });
        }
        const pushed = withReplays(events, r);
        for (let i = 0; i < pushed.length; i += 61) {
          const rows = pushed.slice(i, i + 61).map((e) => ({
            key: encodeEntityKey([e.customer_id]),
            eventTs: new Date(e.ts),
            createdTs: new Date(e.created),
            values: eventRow(e),
          }));
          await store.writeEvents(s, rows, T);
        }
      });

      it('reads every window as the brute force computes it', async () => {
        const customers = ['C0', 'C1', 'C2'];
        const [got] = await store.read([], [{ spec: s, keys: customers.map((c) => encodeEntityKey([c])), at: T }]);
        const mismatches: string[] = [];
        customers.forEach((c, i) => {
          const want = bruteForce(s, events, c, T);
          for (const o of s.outputs) {
            const a = got![i]?.values[o.name] ?? null;
            const b = want[o.name] ?? null;
            if (!(Object.is(a, b) || (typeof a === 'bigint' && a === b))) mismatches.push(`${c} ${o.name}: ${String(a)} vs ${String(b)}`);
          }
        });
        expect(mismatches).toEqual([]);
        // Not vacuous: the day window holds every event of a customer, and the sums are not all zero.
        expect(bruteForce(s, events, 'C0', T).n_1d).toBeGreaterThan(100);
        expect(s.statFields.length).toBe(fields);
      });
    });
  }
});
