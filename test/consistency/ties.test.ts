import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Float32,
  Int64,
  Json,
  List,
  Int32,
  String as Str,
  entity,
  featureView,
  postgresSource,
  pushSource,
  repository,
} from '../../src/definitions/index.js';
import { quoteIdent, resolveRepository, type ResolvedRepository, type ViewSpec } from '../../src/definitions/resolve.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { REDIS_URL, dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { requires } from '../support/services.js';
import { startRedisCluster, type RedisClusterProcess } from '../support/redis-cluster.js';

/**
 * Rows tied on (key, event, created) that reach the online store in separate materialization runs and
 * separate pushes, in every order: online must equal `asOf now` (docs/writes.md, "One tie rule").
 */
const T = '2026-11-26T10:00:00Z';
// The case first, then ties decided late in declaration order and by each awkward type.
const GROUPS: Record<string, unknown>[][] = [
  [
    { qty: -1, price: 16777216 },
    { qty: null, price: 30.03 },
  ],
  [
    { qty: 5, price: 1, note: 'b' },
    { qty: 5, price: 1, note: 'ab' },
    { qty: 5, price: 1, note: '😀' },
  ],
  [{ qty: -10 }, { qty: -2 }, { qty: '9007199254740993' }],
  [{ tags: [1, 2] }, { tags: [1, null] }, { tags: [2] }],
  [{ j: { b: 1, aa: 2 } }, { j: [1, 2] }, { j: 1e21 }],
];

const permutations = <T>(xs: readonly T[]): T[][] =>
  xs.length <= 1 ? [[...xs]] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));

const features = { qty: Int64, price: Float32, note: Str, tags: List(Int32), j: Json };

const defs = (project: string, schema: string) => {
  const item = entity({ name: 'item', joinKey: 'item_id', valueType: Str });
  const batch = featureView({
    name: 'batch_item',
    entities: [item],
    features,
    source: postgresSource({
      name: 'batch_src',
      table: `${schema}.items`,
      timestampField: 'event_timestamp',
      createdTimestampColumn: 'created',
    }),
    ttl: 0,
  });
  const pushed = featureView({ name: 'pushed_item', entities: [item], features, source: pushSource({ name: 'pushed_src' }), ttl: 0 });
  return repository({ project, featureViews: [batch, pushed] });
};

const stores: { name: string; make: (sql: SqlClient, project: string) => Promise<OnlineStore & { cleanup?: () => Promise<unknown> }> }[] = [
  ...sqlBackends.map((b) => ({
    name: `SQL store on the ${b.name} database`,
    make: async (sql: SqlClient, project: string) => createSqlOnlineStore(sql, project),
  })),
  ...(requires('ties across runs and pushes on Redis', 'REDIS_URL')
    ? [
        {
          name: 'Redis',
          make: async (_: SqlClient, project: string) => Object.assign(createRedisOnlineStore({ url: REDIS_URL!, project }), {}),
        },
      ]
    : []),
];

let cluster: RedisClusterProcess | null = null;
if (requires('ties across runs and pushes on a Redis Cluster', 'redis-server'))
  stores.push({
    name: 'Redis Cluster',
    make: async (_, project) => {
      cluster ??= await startRedisCluster(3);
      return createRedisOnlineStore({ clusterNodes: cluster.nodes, project });
    },
  });
afterAll(async () => {
  await cluster?.destroy();
});

describe.each(stores)('ties across runs and pushes, online from $name equals asOf now', ({ name, make }) => {
  const project = uniqueProject('ties');
  let sql: SqlClient;
  let online: OnlineStore;
  let repo: ResolvedRepository;
  let app: FeatureGraphApp;
  // One key per (group, order): every arrival order of every group.
  const cases = GROUPS.flatMap((g, gi) =>
    permutations(g.map((_, i) => i)).map((order, oi) => ({ key: `g${gi}o${oi}`, rows: order.map((i) => g[i]!) })),
  );

  beforeAll(async () => {
    // Redis stores need a SQL database for the offline side: the last backend (Postgres when configured).
    const backend = name.includes('pglite') ? sqlBackends[0]! : sqlBackends.at(-1)!;
    sql = await backend.open();
    await sql.query(`CREATE SCHEMA ${quoteIdent(project)}`);
    await sql.query(
      `CREATE TABLE ${quoteIdent(project)}.items (item_id text, event_timestamp timestamptz, created timestamptz, qty bigint, price real, note text, tags integer[], j jsonb)`,
    );
    online = await make(sql, project);
    const d = defs(project, project);
    await applyRepository(sql, d, { project, onlineTables: online.kind === 'sql' });
    repo = resolveRepository(d, project);
    app = createApp({ repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now }, { logging: false });
  }, 120_000);
  afterAll(async () => {
    await (online as { deleteProjectKeys?: () => Promise<number> }).deleteProjectKeys?.();
    await online?.close();
    await dropSchemas(sql, project, `fg_${project}`);
    await sql.close();
  });

  const compare = async (view: ViewSpec, field: string) => {
    const fields = 'qty price note tags j eventTimestamp';
    for (const c of cases) {
      const q = (asOf: string) => `{ item(itemId: "${c.key}") { ${field}${asOf} { ${fields} } } }`;
      const res = async (query: string) => {
        const r = await app.fetch('http://test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        const body = (await r.json()) as { data: { item: Record<string, unknown> }; errors?: unknown };
        expect(body.errors).toBeUndefined();
        return body.data.item[field];
      };
      const offline = await res(q(`(asOf: "${new Date(Date.now() + 1000).toISOString()}")`));
      const served = await res(q(''));
      expect(offline, c.key).not.toBeNull();
      expect(served, `${c.key}: ${JSON.stringify(c.rows)}`).toEqual(offline);
      // The online value really came from the online store.
      const [rec] = await online.read([{ view, keys: [c.key], features: ['qty'] }]);
      expect(rec![0], c.key).not.toBeNull();
    }
  };

  it('rows arriving in separate materialization runs, in every order', async () => {
    const view = repo.views.find((v) => v.name === 'batch_item')!;
    const steps = Math.max(...cases.map((c) => c.rows.length));
    for (let s = 0; s < steps; s++) {
      for (const c of cases) {
        const r = c.rows[s];
        if (!r) continue;
        await sql.query(`INSERT INTO ${quoteIdent(project)}.items VALUES ($1, $2, $2, $3, $4, $5, $6, $7)`, [
          c.key,
          T,
          r.qty ?? null,
          r.price ?? null,
          r.note ?? null,
          r.tags ?? null,
          r.j === undefined ? null : JSON.stringify(r.j),
        ]);
      }
      await materializeViews({ sql, online, repo }, { start: new Date(0), end: new Date(), views: ['batch_item'] });
    }
    await compare(view, 'batchItem');
  }, 180_000);

  it('rows arriving in separate pushes, in every order', async () => {
    const view = repo.views.find((v) => v.name === 'pushed_item')!;
    for (const c of cases)
      for (const r of c.rows) {
        const row = { item_id: c.key, event_timestamp: T, created_timestamp: T, ...r };
        const res = await app.fetch('http://test/push/pushed_item', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([row]),
        });
        expect(res.status, await res.clone().text()).toBe(200);
      }
    await compare(view, 'pushedItem');
  }, 180_000);
});
