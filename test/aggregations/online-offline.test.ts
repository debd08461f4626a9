import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectSchema, resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import type { AggregationSpec } from '../../src/definitions/aggregation-spec.js';
import { encodeEntityKey, type FeatureValue } from '../../src/definitions/values.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { materializeViews } from '../../src/materialize/index.js';
import { openOfflineStore } from '../../src/offline/index.js';
import type { OfflineStore } from '../../src/offline/store.js';
import { pushRows } from '../../src/online/push.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { rng } from '../offline/random-sources.js';
import { DATABASE_URL, REDIS_URL, dropSchemas, uniqueProject } from '../support/env.js';
import { startRedisCluster, type RedisClusterProcess } from '../support/redis-cluster.js';
import { requires } from '../support/services.js';
import { createPgClient } from '../../src/sql/pg.js';
import { aggregationRepository, bruteForce, eventRow, withReplays, type TestEvent } from './fixture.js';

let cluster: RedisClusterProcess | undefined;

interface Variant {
  readonly name: string;
  readonly sql: () => Promise<SqlClient>;
  readonly online: (sql: SqlClient, project: string) => Promise<OnlineStore & { wipe?: () => Promise<unknown> }>;
}

const pglite = () => createPgliteClient();
const variants: Variant[] = [
  { name: 'the SQL online store (PGlite)', sql: pglite, online: async (sql, p) => createSqlOnlineStore(sql, p) },
  ...(requires('aggregations on the SQL online store (Postgres)', 'DATABASE_URL')
    ? [
        {
          name: 'the SQL online store (Postgres)',
          sql: async () => createPgClient(DATABASE_URL as string),
          online: async (sql: SqlClient, p: string) => createSqlOnlineStore(sql, p),
        },
      ]
    : []),
  ...(requires('aggregations on Redis', 'REDIS_URL')
    ? [
        {
          name: 'Redis (offline on Postgres when DATABASE_URL is set)',
          sql: async () => (DATABASE_URL ? createPgClient(DATABASE_URL) : createPgliteClient()),
          online: async (_: SqlClient, project: string) => {
            const s = createRedisOnlineStore({ url: REDIS_URL as string, project });
            return Object.assign(s, { wipe: () => s.deleteProjectKeys() });
          },
        },
      ]
    : []),
  ...(requires('aggregations on Redis Cluster', 'redis-server')
    ? [
        {
          name: 'Redis Cluster',
          sql: pglite,
          online: async (_: SqlClient, project: string) => {
            cluster ??= await startRedisCluster(3);
            const s = createRedisOnlineStore({ clusterNodes: cluster.nodes, project });
            return Object.assign(s, { wipe: () => s.deleteProjectKeys() });
          },
        },
      ]
    : []),
];

afterAll(async () => {
  await cluster?.destroy();
});

/** Bit-exact equality: bigint, numbers by Object.is (so -0 differs from 0), strings, null. */
const same = (a: FeatureValue | undefined, b: FeatureValue | undefined): boolean =>
  Object.is(a ?? null, b ?? null) || (typeof a === 'bigint' && a === b);

const iso = (ms: number) => new Date(ms).toISOString();
const WINDOWS = [300_000, 3_600_000, 86_400_000];

describe.each(variants)('aggregation views online ($name) equal asOf and a brute-force count', (variant) => {
  const project = uniqueProject('agg');
  const defs = aggregationRepository(project);
  let repo: ResolvedRepository;
  let spec: AggregationSpec;
  let sql: SqlClient;
  let online: OnlineStore & { wipe?: () => Promise<unknown> };
  let offline: OfflineStore;
  const events: TestEvent[] = [];
  // The read instants: now, a millisecond before, and half a minute before (all within the online grace).
  const T = Date.now();
  const instants = [T, T - 1, T - 30_000];
  // C5 has events at the random times only: its windows' newest events often lie in whole tiles, not in the
  // raw edge minutes, so the merge of tiles (and its last-event rule) decides what `last` returns.
  const customers = ['C1', 'C2', 'C3', 'C4|x', 'C5'];
  let mismatches: string[] = [];

  beforeAll(async () => {
    sql = await variant.sql();
    online = await variant.online(sql, project);
    await applyRepository(sql, defs, { project, onlineTables: online.kind === 'sql' });
    repo = resolveRepository(defs, project);
    spec = repo.aggregationViews[0]!;
    offline = openOfflineStore(sql);
    await online.prepare([], repo.aggregationViews);

    // Random events with ties on event time, events exactly on every window edge of every instant (inside
    // and outside), late events (pushed in random order), replays and duplicates within a batch.
    const r = rng(20261125).next;
    const edges = instants.flatMap((t) =>
      WINDOWS.flatMap((w) => [t - w - 1, t - w, t - w + 1, t, t + 1, t - 60_000 + 1, Math.floor((t - w) / 60_000) * 60_000]),
    );
    const times = [...edges, ...Array.from({ length: 60 }, () => T - Math.floor(r() * (86_400_000 + 120_000))), T - 2 * 86_400_000];
    const createdChoices = [T - 20, T - 10, T];
    let n = 0;
    for (let i = 0; i < 600; i++) {
      const ts = times[Math.floor(r() * times.length)]!;
      const amount = r() < 0.1 ? null : Math.floor(r() * 2001) - 1000;
      const score = r() < 0.1 ? null : Math.round((r() * 200 - 100) * 1000) / 1000;
      const channel = [null, 'web', 'app', 'phone', 'wéb'][Math.floor(r() * 5)]!;
      events.push({
        customer_id: customers[Math.floor(r() * 4)]!,
        request_id: `r${n++}`,
        ts,
        created: createdChoices[Math.floor(r() * 3)]!,
        values: { request_id: `r${n - 1}`, amount, score, channel },
      });
    }
    const randomTimes = times.slice(edges.length, edges.length + 60);
    for (let i = 0; i < 150; i++) {
      const ts = randomTimes[Math.floor(r() * randomTimes.length)]!;
      events.push({
        customer_id: 'C5',
        request_id: `r${n++}`,
        ts,
        created: createdChoices[Math.floor(r() * 3)]!,
        values: {
          request_id: `r${n - 1}`,
          amount: Math.floor(r() * 2001) - 1000,
          score: r(),
          channel: ['web', 'app'][Math.floor(r() * 2)]!,
        },
      });
    }
    const pushed = withReplays(events, r);
    for (let i = 0; i < pushed.length; i += 47) {
      const batch = pushed.slice(i, i + 47).map(eventRow);
      if (i % 3 === 0) batch.push(batch[0]!); // a duplicate inside one batch
      await pushRows({ offline, online, project }, spec.events, batch, 'ONLINE_AND_OFFLINE', { aggregation: spec });
    }
  });

  afterAll(async () => {
    await online?.wipe?.();
    await online?.close();
    await dropSchemas(sql, projectSchema(project));
    await sql?.close();
  });

  const compare = async (label: string) => {
    mismatches = [];
    let compared = 0;
    for (const t of instants) {
      // The online store reads canonical entity keys (`C4\\|x`); asOf takes the join key values.
      const on = (await online.read([], [{ spec, keys: customers.map((c) => encodeEntityKey([c])), at: t }]))[0]!;
      const off = await offline.aggregate(
        spec,
        customers.map((c) => ({ keys: [c], asOf: new Date(t) })),
        { now: new Date() },
      );
      customers.forEach((c, i) => {
        const want = bruteForce(spec, events, c, t);
        for (const o of spec.outputs) {
          compared++;
          const a = on[i]?.values[o.name];
          const b = off[i]?.values[o.name];
          if (!same(a, want[o.name]) || !same(b, want[o.name]))
            mismatches.push(
              `${label} ${c} t=${iso(t)} ${o.name}: online ${String(a)}, asOf ${String(b)}, brute force ${String(want[o.name])}`,
            );
        }
      });
    }
    return compared;
  };

  it('serves every window online exactly as asOf and the brute force compute it (0 mismatches)', async () => {
    const compared = await compare('pushed');
    expect(mismatches).toEqual([]);
    expect(compared).toBe(instants.length * customers.length * spec.outputs.length);
    // Not vacuous: the windows hold events.
    expect(bruteForce(spec, events, 'C1', T).quotes_1d).toBeGreaterThan(50);
  });

  it('answers the same through GraphQL, online and with asOf, in one online read', async () => {
    const fields = spec.outputs.map((o) => o.name.replace(/_([a-z0-9])/g, (_, x: string) => x.toUpperCase()));
    const query = `query ($ids: [ID!]!, $t: DateTime!) { customers(customerIds: $ids) {
      now: quoteStats { windowEnd ${fields.join(' ')} } past: quoteStats(asOf: $t) { windowEnd ${fields.join(' ')} } } }`;
    const reads: number[] = [];
    const counting: OnlineStore = {
      ...online,
      read: (a, b) => {
        reads.push(1);
        return online.read(a, b);
      },
    };
    const app2 = createApp({ repo, online: counting, offline, registry: unappliedRegistry, now: () => T }, { logging: false });
    const res = await app2.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: { ids: customers, t: iso(T) } }),
    });
    const body = (await res.json()) as { data: { customers: Record<string, Record<string, unknown>>[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(reads).toHaveLength(1);
    customers.forEach((c, i) => {
      const want = bruteForce(spec, events, c, T);
      const got = body.data.customers[i]!;
      spec.outputs.forEach((o, j) => {
        const w = want[o.name];
        const expected = typeof w === 'bigint' ? w.toString() : w;
        expect(got.now![fields[j]!], `${c} ${o.name} online`).toEqual(expected);
        expect(got.past![fields[j]!], `${c} ${o.name} asOf`).toEqual(expected);
      });
      expect(got.now!.windowEnd).toBe(iso(T));
    });
  });

  it('an event id already stored goes online as its stored copy, whatever a replay carries, as asOf counts it', async () => {
    const push = (e: TestEvent, to: 'OFFLINE' | 'ONLINE_AND_OFFLINE') =>
      pushRows({ offline, online, project }, spec.events, [eventRow(e)], to, { aggregation: spec });
    const now = Date.now();
    const ev = (id: string, ts: number, amount: number): TestEvent => ({
      customer_id: 'R1',
      request_id: id,
      ts,
      created: ts,
      values: { request_id: id, amount, score: 1, channel: 'web' },
    });
    // First stored offline only, then "replayed" with another payload to both stores: the first copy counts.
    await push(ev('dup', now - 60_000, 5), 'OFFLINE');
    expect((await push(ev('dup', now - 30_000, 900), 'ONLINE_AND_OFFLINE')).offlineWritten).toBe(0);
    // First stored two days ago (older than any window), replayed now: still that old event, in no window.
    await push(ev('old', now - 2 * 86_400_000, 7), 'ONLINE_AND_OFFLINE');
    await push(ev('old', now - 10_000, 500), 'ONLINE_AND_OFFLINE');
    const at = Date.now();
    const on = (await online.read([], [{ spec, keys: ['R1'], at }]))[0]![0]!.values;
    const off = (await offline.aggregate(spec, [{ keys: ['R1'], asOf: new Date(at) }], { now: new Date(at) }))[0]!.values;
    expect(on).toEqual(off);
    expect(on).toMatchObject({ quotes_5m: 1, quotes_1d: 1, amount_sum_1h: 5n });
  });

  // Only Redis can lose its data on its own (docs/writes.md); the SQL store lives in the offline database.
  const rebuilds = variant.name.startsWith('Redis') ? it : () => undefined;
  rebuilds('rebuilds the tiles from the raw events after Redis lost its data', async () => {
    await online.wipe?.();
    const empty = (await online.read([], [{ spec, keys: ['C1'], at: T }]))[0]![0]!;
    expect(empty.values.quotes_1d).toBe(0);
    await materializeViews({ sql, offline, online, repo }, { start: new Date(0), end: new Date() });
    await compare('rebuilt');
    expect(mismatches).toEqual([]);
  });

  rebuilds('a rebuild keeps the events pushed ahead of the clock (pushes take them up to 5 minutes early)', async () => {
    const ahead: TestEvent = {
      customer_id: 'C2',
      request_id: 'ahead',
      ts: Date.now() + 120_000,
      created: Date.now(),
      values: { request_id: 'ahead', amount: 7, score: 1.5, channel: 'web' },
    };
    await pushRows({ offline, online, project }, spec.events, [eventRow(ahead)], 'ONLINE_AND_OFFLINE', { aggregation: spec });
    const all = [...events, ahead];
    const at = ahead.ts + 1;
    const read = async () => (await online.read([], [{ spec, keys: ['C2'], at }]))[0]![0]!.values;
    const want = bruteForce(spec, all, 'C2', at);
    expect(await read()).toEqual(want);
    await online.wipe?.();
    await materializeViews({ sql, offline, online, repo }, { start: new Date(0), end: new Date() });
    expect(await read()).toEqual(want);
    const off = await offline.aggregate(spec, [{ keys: ['C2'], asOf: new Date(at) }], { now: new Date(at) });
    expect(off[0]?.values).toEqual(want);
  });
});
