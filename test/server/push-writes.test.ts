import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Float32,
  Float64,
  Int32,
  Int64,
  String as Str,
  Timestamp,
  entity,
  featureView,
  pushSource,
  repository,
} from '../../src/definitions/index.js';
import { pushTableName, resolveRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

const definitions = (project: string) => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const risk = featureView({
    name: 'risk',
    entities: [customer],
    features: { score: Float32, count: Int32, big: Int64, wide: Float64, seen: Timestamp },
    source: pushSource({ name: 'risk_push' }),
    ttl: 0,
  });
  return repository({ project, featureViews: [risk] });
};

interface Fixture {
  app: FeatureGraphApp;
  sql: SqlClient;
  project: string;
  post: (path: string, body: unknown, headers?: Record<string, string>) => Promise<{ status: number; body: Record<string, unknown> }>;
  gql: (query: string, variables?: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  offline: (id: string) => Promise<{ score: number; created_timestamp: Date }[]>;
  online: (id: string) => Promise<unknown>;
  asOfNow: (id: string) => Promise<unknown>;
}

const fixture = async (sql: SqlClient, online: OnlineStore, project: string): Promise<Fixture> => {
  const defs = definitions(project);
  await applyRepository(sql, defs, { project, onlineTables: online.kind === 'sql' });
  const repo = resolveRepository(defs, project);
  const app = createApp({ repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now }, { logging: false });
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await app.fetch(`http://test${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const gql = (query: string, variables?: unknown) => post('/graphql', { query, variables });
  const field = async (id: string, asOf: string) =>
    (
      (await gql(`{ customer(customerId: "${id}") { risk${asOf} { score count big eventTimestamp } } }`)).body.data as {
        customer: { risk: unknown };
      }
    ).customer.risk;
  return {
    app,
    sql,
    project,
    post,
    gql,
    offline: async (id) =>
      (
        await sql.query<{ score: number; created_timestamp: Date }>(
          `SELECT score, created_timestamp FROM ${pushTableName(project, 'risk')} WHERE customer_id = $1 ORDER BY created_timestamp, score`,
          [id],
        )
      ).rows,
    online: (id) => field(id, ''),
    asOfNow: (id) => field(id, `(asOf: "${new Date(Date.now() + 1000).toISOString()}")`),
  };
};

const t = '2026-11-26T10:00:00Z';

describe.each(sqlBackends)('pushes on $name: replays, corrections, bad input, idempotency', ({ name, open }) => {
  const project = uniqueProject('pw');
  let f: Fixture;
  let sql: SqlClient;
  beforeAll(async () => {
    sql = await open();
    f = await fixture(sql, createSqlOnlineStore(sql, project), project);
  });
  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  it('a replayed push is a no-op success offline and online, also without a created timestamp', async () => {
    const nd = `{"customer_id":"C1","event_timestamp":"${t}","score":0.5}\n`;
    const first = await f.post('/push/risk', nd, { 'content-type': 'application/x-ndjson' });
    expect(first).toMatchObject({ status: 200, body: { rows: 1, offlineWritten: 1, onlineWritten: 1 } });
    const stored = await f.offline('C1');
    const second = await f.post('/push/risk', nd, { 'content-type': 'application/x-ndjson' });
    expect(second).toMatchObject({ status: 200, body: { rows: 1, offlineWritten: 0, onlineWritten: 0 } });
    expect(await f.offline('C1')).toEqual(stored);
    expect(await f.online('C1')).toEqual(await f.asOfNow('C1'));
  });

  it('same-key same-time corrections follow the tie rule in every order, online equal to asOf', async () => {
    const rows = [0.25, 0.75, 0.5].map((score) => ({ event_timestamp: t, created_timestamp: t, score, count: 1 }));
    for (const [i, order] of [
      [0, 1, 2],
      [2, 1, 0],
      [1, 0, 2],
    ].entries()) {
      const id = `T${i}`;
      for (const j of order) expect((await f.post('/push/risk', [{ customer_id: id, ...rows[j] }])).status).toBe(200);
      // Offline order: same event and created, so the greater score wins; online must agree.
      expect(await f.asOfNow(id)).toMatchObject({ score: 0.75 });
      expect(await f.online(id)).toEqual(await f.asOfNow(id));
      expect(await f.offline(id)).toHaveLength(3);
    }
  });

  it.each([
    ['Float32 overflow', { score: 1e39 }, 'score', /Float32 out of range/],
    ['Int32 overflow', { count: 2 ** 31 }, 'count', /expected Int32/],
    ['a bad Int64', { big: '12x' }, 'big', /expected Int64/],
    ['an Int64 beyond 2^63', { big: '9223372036854775808' }, 'big', /Int64 out of range/],
    ['year 0000', { event_timestamp: '0000-01-01T00:00:00Z' }, 'event_timestamp', /outside years 0001–9999/],
    ['a timestamp past year 9999', { seen: 8.64e15 }, 'seen', /outside years 0001–9999/],
    ['NaN from NDJSON', '{"customer_id":"B1","event_timestamp":"2026-11-26T10:00:00Z","wide":NaN}\n', '', /not valid JSON/],
    ['a NUL in text', { customer_id: 'B\u0000' }, 'customer_id', /NUL/],
  ])('rejects %s with 400 naming row and field, before any write', async (_, patch, field, message) => {
    const before = (await f.offline('B1')).length;
    const body =
      typeof patch === 'string'
        ? patch
        : [
            { customer_id: 'B1', event_timestamp: t, score: 0.5 },
            { customer_id: 'B1', event_timestamp: t, ...patch },
          ];
    const res = await f.post('/push/risk', body, typeof patch === 'string' ? { 'content-type': 'application/x-ndjson' } : {});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
    if (field) expect(res.body.problems).toEqual([expect.objectContaining({ row: 1, field })]);
    expect((await f.offline('B1')).length).toBe(before);
    expect(await f.online('B1')).toBeNull();
  });

  it('a GraphQL push with bad input is BAD_USER_INPUT naming row and field, never a store error', async () => {
    const res = await f.gql(`mutation($rows: [RiskRowInput!]!) { pushRisk(rows: $rows) { rows } }`, {
      rows: [{ customerId: 'B2', eventTimestamp: t, score: 1e39 }],
    });
    const err = (res.body.errors as { extensions: Record<string, unknown> }[])[0]!;
    expect(err.extensions.code).toBe('BAD_USER_INPUT');
    expect(err.extensions.problems).toEqual([expect.objectContaining({ row: 0, field: 'score' })]);
    expect(await f.online('B2')).toBeNull();
  });

  it('lists at most 100 problems, with the total count', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ customer_id: `X${i}`, event_timestamp: t, count: 'many' }));
    const res = await f.post('/push/risk', rows);
    expect(res.status).toBe(400);
    expect(res.body.problems).toHaveLength(100);
    expect(res.body.problemCount).toBe(1000);
    expect(JSON.stringify(res.body).length).toBeLessThan(20_000);
  });

  it('an Idempotency-Key makes a retry write nothing twice; the same key with another body is 422', async () => {
    const rows = [{ customer_id: 'K1', event_timestamp: t, score: 0.5 }];
    const a = await f.post('/push/risk', rows, { 'idempotency-key': 'req-1' });
    expect(a).toMatchObject({ status: 200, body: { offlineWritten: 1 } });
    const b = await f.post('/push/risk', rows, { 'idempotency-key': 'req-1' });
    expect(b).toMatchObject({ status: 200, body: { offlineWritten: 0, replayed: true } });
    expect(await f.offline('K1')).toHaveLength(1);
    const c = await f.post('/push/risk', [{ ...rows[0], score: 0.9 }], { 'idempotency-key': 'req-1' });
    expect(c).toMatchObject({ status: 422, body: { code: 'BAD_USER_INPUT' } });
    expect(await f.offline('K1')).toHaveLength(1);
    const g = await f.gql(
      `mutation($rows: [RiskRowInput!]!) { pushRisk(rows: $rows, idempotencyKey: "req-2") { offlineWritten replayed } }`,
      {
        rows: [{ customerId: 'K1', eventTimestamp: t, score: 0.25 }],
      },
    );
    expect(g.body.data).toEqual({ pushRisk: { offlineWritten: 1, replayed: false } });
    const g2 = await f.gql(
      `mutation($rows: [RiskRowInput!]!) { pushRisk(rows: $rows, idempotencyKey: "req-2") { offlineWritten replayed } }`,
      {
        rows: [{ customerId: 'K1', eventTimestamp: t, score: 0.25 }],
      },
    );
    expect(g2.body.data).toEqual({ pushRisk: { offlineWritten: 0, replayed: true } });
    expect(await f.offline('K1')).toHaveLength(2);
  });

  // PGlite is single-threaded and slow on a loaded machine; the 100k-row push runs on Postgres when there is one.
  const onLastBackend = name === sqlBackends.at(-1)!.name ? it : () => undefined;
  onLastBackend(
    'pushes 100,000 rows in one request without a timeout, all in both stores',
    async () => {
      const rows = Array.from({ length: 100_000 }, (_, i) => ({ customer_id: `L${i}`, event_timestamp: t, count: i }));
      const res = await f.post('/push/risk', rows.map((r) => JSON.stringify(r)).join('\n'), { 'content-type': 'application/x-ndjson' });
      expect(res).toMatchObject({ status: 200, body: { rows: 100_000, offlineWritten: 100_000, onlineWritten: 100_000 } });
      const n = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${pushTableName(project, 'risk')} WHERE customer_id LIKE 'L%'`);
      expect(Number(n.rows[0]!.n)).toBe(100_000);
      expect(await f.online('L99999')).toMatchObject({ count: 99_999 });
    },
    300_000,
  );
});
