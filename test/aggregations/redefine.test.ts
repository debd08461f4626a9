import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  Float64,
  Int32,
  String as Str,
  aggregationView,
  count,
  entity,
  min,
  pushSource,
  repository,
  sum,
} from '../../src/definitions/index.js';
import type { AggregationSpec } from '../../src/definitions/aggregation-spec.js';
import { projectSchema, resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { materializeViews } from '../../src/materialize/index.js';
import { openOfflineStore } from '../../src/offline/index.js';
import type { OfflineStore } from '../../src/offline/store.js';
import { pushRows } from '../../src/online/push.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import { applyRepository } from '../../src/registry/index.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { REDIS_URL, dropSchemas, uniqueProject } from '../support/env.js';
import { describeWith } from '../support/services.js';

/**
 * Redis keeps an aggregation view's tiles in a layout its definition decides (the statistics fields, the tile
 * levels). A view redefined in place — a min() added, a longer window — used to read the old layout's tiles
 * and fail every online read ("malformed aggregation record"), for good: materialize could not rewrite tiles of
 * events already seen. Its keys now carry a tag of the layout (docs/aggregations.md, "Online: Redis").
 */
describeWith('REDIS_URL', 'an aggregation view redefined in place on Redis', () => {
  const project = uniqueProject('aggredef');
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const fields = { request_id: Str, amount: Int32, score: Float64 };
  const v1 = aggregationView({
    name: 'quotes',
    entities: [customer],
    source: pushSource({ name: 'quote_events' }),
    eventId: 'request_id',
    fields,
    aggregations: { n_1h: count('1h'), amount_1h: sum('amount', '1h') },
  });
  const v2 = aggregationView({
    ...v1,
    aggregations: { n_1h: count('1h'), amount_1h: sum('amount', '1h'), score_min_1h: min('score', '1h'), n_2d: count('2d') },
  });
  const resolved = (v: typeof v1) => resolveRepository(repository({ project, aggregationViews: [v] }), project);
  let sql: SqlClient;
  let offline: OfflineStore;
  const online = createRedisOnlineStore({ url: REDIS_URL as string, project });
  const now = Date.now();
  const event = (i: number) => ({
    customer_id: 'C1',
    event_timestamp: new Date(now - 5_400_000 + i * 240_000).toISOString(),
    request_id: `r${i}`,
    amount: i * 10,
    score: 100 - i,
  });

  beforeAll(async () => {
    sql = await createPgliteClient();
    offline = openOfflineStore(sql);
  });
  afterAll(async () => {
    await online.deleteProjectKeys();
    await online.close();
    await dropSchemas(sql, projectSchema(project));
    await sql.close();
  });

  const agree = async (repo: ResolvedRepository) => {
    const spec = repo.aggregationViews[0] as AggregationSpec;
    const on = (await online.read([], [{ spec, keys: ['C1'], at: now }]))[0]![0]!.values;
    const off = (await offline.aggregate(spec, [{ keys: ['C1'], asOf: new Date(now) }], { now: new Date(now) }))[0]!.values;
    expect(on).toEqual(off);
    return on;
  };

  it('reads, rebuilds and takes new events under the new definition, as asOf computes them', async () => {
    const r1 = resolved(v1);
    await applyRepository(sql, repository({ project, aggregationViews: [v1] }), { project, onlineTables: false });
    const spec1 = r1.aggregationViews[0]!;
    await pushRows(
      { offline, online, project },
      spec1.events,
      Array.from({ length: 20 }, (_, i) => event(i)),
      'ONLINE_AND_OFFLINE',
      {
        aggregation: spec1,
      },
    );
    expect((await agree(r1)).n_1h).toBeGreaterThan(5);

    const r2 = resolved(v2);
    await applyRepository(sql, repository({ project, aggregationViews: [v2] }), { project, onlineTables: false });
    const spec2 = r2.aggregationViews[0]!;
    // New keys: empty (not another layout's tiles) until materialize rebuilds them from the raw events.
    const before = (await online.read([], [{ spec: spec2, keys: ['C1'], at: now }]))[0]![0]!.values;
    expect(before).toMatchObject({ n_1h: 0, n_2d: 0, score_min_1h: null });
    await materializeViews({ sql, offline, online, repo: r2 }, { start: new Date(0), end: new Date() });
    const rebuilt = await agree(r2);
    expect(rebuilt.n_2d).toBe(20);
    await pushRows({ offline, online, project }, spec2.events, [event(21)], 'ONLINE_AND_OFFLINE', { aggregation: spec2 });
    expect((await agree(r2)).n_2d).toBe(21);
  });
});
