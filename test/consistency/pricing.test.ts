import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import demoRepository from '../../schema/index.js';
import { DEMO_CUSTOMER_IDS, demoAnchor, generateDemoData } from '../../schema/demo-data.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import { sqlRegistryInfo } from '../../src/graphql/registry-info.js';
import { materializeViews } from '../../src/materialize/index.js';
import { getHistoricalFeatures } from '../../src/offline/training-set.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { rng } from '../offline/random-sources.js';
import { REDIS_URL, uniqueProject } from '../support/env.js';
import { requires } from '../support/services.js';

const PROJECT = demoRepository.project ?? 'demo';
const REQUESTS = 1000;
// t: 20 minutes past the last hourly push of location_risk (ttl 1h), so its values are live at t. Near the
// real clock, because Redis expires keys by the real clock.
const T = new Date(demoAnchor(new Date()).getTime() + 20 * 60_000);

const stores: { name: string; make: (sql: SqlClient) => OnlineStore & { cleanup?: () => Promise<unknown> } }[] = [
  { name: 'the SQL online store', make: (sql) => createSqlOnlineStore(sql, PROJECT) },
  ...(requires('pricing consistency on Redis', 'REDIS_URL')
    ? [
        {
          name: 'Redis',
          make: () => {
            const s = createRedisOnlineStore({ url: REDIS_URL as string, project: uniqueProject('cons') });
            return Object.assign(s, { cleanup: () => s.deleteProjectKeys() });
          },
        },
      ]
    : []),
];

/** A float's IEEE-754 bits, so the comparison is bit-for-bit (and -0 differs from 0). */
const bits = (v: number): string => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b.toString('hex');
};

/** Integers and strings equal; floats bit-identical; null only equals null. */
const same = (online: unknown, offline: FeatureValue): boolean => {
  if (online === null || online === undefined || offline === null) return (online ?? null) === offline;
  if (typeof online === 'number' && typeof offline === 'number') return bits(online) === bits(offline);
  return online === offline;
};

const QUERY = `query ($c: ID!, $lat: Float!, $lon: Float!) {
  pricingV1(customerId: $c, userLat: $lat, userLon: $lon) {
    creditScore { score eventTimestamp }
    accidentHistory { accidents12m eventTimestamp }
    locationRisk { risk eventTimestamp }
    accidentProximity { distanceKm }
  }
}`;

interface Pricing {
  creditScore: { score: number | null; eventTimestamp: string } | null;
  accidentHistory: { accidents12m: number | null; eventTimestamp: string } | null;
  locationRisk: { risk: number | null; eventTimestamp: string } | null;
  accidentProximity: { distanceKm: number | null } | null;
}

describe.each(stores)('pricing_v1 served online from $name equals its training set as of t', ({ make }) => {
  let sql: SqlClient;
  let online: OnlineStore & { cleanup?: () => Promise<unknown> };
  let repo: ResolvedRepository;
  let app: FeatureGraphApp;

  beforeAll(async () => {
    sql = await createPgliteClient();
    await generateDemoData(sql, { now: T });
    online = make(sql);
    await applyRepository(sql, demoRepository, { project: PROJECT, onlineTables: online.kind === 'sql', createSourceIndexes: true });
    repo = resolveRepository(demoRepository, PROJECT);
    await materializeViews({ sql, online, repo }, { start: new Date(0), end: T });
    app = createApp(
      { repo, online, offline: openOfflineStore(sql), registry: sqlRegistryInfo(sql, PROJECT), now: () => T.getTime() },
      { logging: false },
    );
  }, 60_000);
  afterAll(async () => {
    await online.cleanup?.();
    await online.close();
    await sql.close();
  });

  it(`has zero mismatches over ${REQUESTS} random (customer, user_lat, user_lon)`, async () => {
    const r = rng(2024);
    // Mostly demo customers, a few unknown ones (every view null online and offline).
    const customers = [...DEMO_CUSTOMER_IDS, 'C0001', 'C9999'];
    const requests = Array.from({ length: REQUESTS }, () => ({
      customer_id: r.pick(customers),
      user_lat: 35 + r.next() * 25,
      user_lon: -10 + r.next() * 30,
    }));

    const served: Pricing[] = [];
    for (let i = 0; i < requests.length; i += 50) {
      const part = await Promise.all(
        requests.slice(i, i + 50).map(async (q) => {
          const res = await app.fetch('http://test/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: QUERY, variables: { c: q.customer_id, lat: q.user_lat, lon: q.user_lon } }),
          });
          const body = (await res.json()) as { data?: { pricingV1: Pricing }; errors?: unknown[] };
          expect(body.errors).toBeUndefined();
          return body.data?.pricingV1 as Pricing;
        }),
      );
      served.push(...part);
    }

    const training = await getHistoricalFeatures(sql, repo, {
      entities: { rows: requests.map((q) => ({ ...q, event_timestamp: T })) },
      service: 'pricing_v1',
      now: T,
    });
    expect(training.rows).toHaveLength(REQUESTS);

    const mismatches: string[] = [];
    const nonNull: Record<string, number> = {};
    requests.forEach((q, i) => {
      const on = served[i] as Pricing;
      const off = training.rows[i] ?? {};
      const pairs: [string, unknown, FeatureValue][] = [
        ['credit_score__score', on.creditScore?.score, off.credit_score__score ?? null],
        ['accident_history__accidents_12m', on.accidentHistory?.accidents12m, off.accident_history__accidents_12m ?? null],
        ['location_risk__risk', on.locationRisk?.risk, off.location_risk__risk ?? null],
        ['accident_proximity__distance_km', on.accidentProximity?.distanceKm, off.accident_proximity__distance_km ?? null],
      ];
      // The source row behind each value is the same one, too.
      const ts = training.eventTimestamps[i] ?? {};
      for (const [view, v] of [
        ['credit_score', on.creditScore],
        ['accident_history', on.accidentHistory],
        ['location_risk', on.locationRisk],
      ] as const)
        pairs.push([`${view} event time`, v ? Date.parse(v.eventTimestamp) : null, ts[view]?.getTime() ?? null]);
      for (const [name, a, b] of pairs) {
        if (!same(a, b))
          mismatches.push(`${q.customer_id} (${q.user_lat}, ${q.user_lon}) ${name}: online ${String(a)}, training ${String(b)}`);
        if (b !== null) nonNull[name] = (nonNull[name] ?? 0) + 1;
      }
    });
    expect(mismatches.slice(0, 10), `${mismatches.length} mismatches`).toEqual([]);
    // The comparison covered real values of every feature, not only nulls.
    for (const name of ['credit_score__score', 'accident_history__accidents_12m', 'location_risk__risk', 'accident_proximity__distance_km'])
      expect(nonNull[name] ?? 0, name).toBeGreaterThan(REQUESTS / 2);
  }, 120_000);
});
