import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Float64, String as Str, entity, featureService, featureView, pushSource, repository } from '../../src/definitions/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { sqlRegistryInfo } from '../../src/graphql/registry-info.js';
import { createServerMonitoring, type ServerMonitoring } from '../../src/monitoring/index.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

const definitions = (project: string) => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const risk = featureView({
    name: 'location_risk',
    entities: [customer],
    features: { risk: Float64 },
    source: pushSource({ name: 'risk_push' }),
    ttl: '1h',
    freshness: '15m',
  });
  const svc = featureService({ name: 'risk_v1', features: [risk.select('risk')], logging: { sampleRate: 1 } });
  return repository({ project, featureViews: [risk], featureServices: [svc] });
};

/** The value of one sample line of the exposition text, or undefined. */
const sample = (text: string, name: string, labels: Record<string, string> = {}): number | undefined => {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inner = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const have = inner ? inner.split(',') : [];
    if (want.length === have.length && want.every((w) => have.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
};

describe.each(sqlBackends)('/metrics on $name', ({ open }) => {
  const project = uniqueProject('metrics');
  let sql: SqlClient;
  let app: FeatureGraphApp;
  let monitoring: ServerMonitoring;
  const now = Date.now();

  const fetch = (path: string, init: RequestInit = {}) => app.fetch(`http://test${path}`, init);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const scrape = async () => {
    const res = await fetch('/metrics');
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    sql = await open();
    const defs = definitions(project);
    await applyRepository(sql, defs, { project, onlineTables: true });
    const repo = resolveRepository(defs, project);
    const rt = {
      repo,
      online: createSqlOnlineStore(sql, project),
      offline: openOfflineStore(sql),
      registry: sqlRegistryInfo(sql, project),
      now: () => now,
    };
    monitoring = createServerMonitoring(rt, { logger: false, cacheMs: 0, readyRequiresFresh: true, metricsEndpoint: '/metrics' });
    app = createApp(rt, { logging: false, monitoring });
  });
  afterAll(async () => {
    await monitoring?.close();
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  it('counts requests, values served by status, pushes and log rows as they were sent', async () => {
    const stale = new Date(now - 20 * 60_000).toISOString();
    const old = new Date(now - 2 * 3_600_000).toISOString();
    // C1, C2 present; C3 expired (older than the 1 h ttl); C4 unknown.
    const pushed = await post('/push/location_risk', [
      { customer_id: 'C1', event_timestamp: stale, risk: 0.1 },
      { customer_id: 'C2', event_timestamp: stale, risk: 0.2 },
      { customer_id: 'C3', event_timestamp: old, risk: 0.3 },
    ]);
    expect(pushed.status).toBe(200);
    expect((await post('/push/location_risk', [{ customer_id: 'C9', risk: 'high' }, { customer_id: 'C9' }])).status).toBe(400);
    const q = 'query Risk($ids: [ID!]!) { riskV1s(customerIds: $ids) { locationRisk { risk } } }';
    for (let i = 0; i < 5; i++) {
      const res = await post(
        '/graphql',
        { query: q, variables: { ids: ['C1', 'C2', 'C3', 'C4'] }, operationName: 'Risk' },
        { 'x-request-id': `req-${i}` },
      );
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBe(`req-${i}`);
    }
    for (let i = 0; i < 2; i++)
      expect((await post('/graphql', { query: '{ riskV1(customerId: "C1") { locationRisk { risk } } }' })).status).toBe(200);
    await post('/graphql', { query: '{ nope' }); // a syntax error: never executed
    await monitoring.servedLog!.flush();

    const text = await scrape();
    expect(sample(text, 'featuregraph_requests_total', { operation: 'Risk', outcome: 'ok' })).toBe(5);
    expect(sample(text, 'featuregraph_requests_total', { operation: 'anonymous', outcome: 'ok' })).toBe(2);
    expect(sample(text, 'featuregraph_requests_total', { operation: 'unknown', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'featuregraph_request_duration_seconds_count', { operation: 'Risk', outcome: 'ok' })).toBe(5);
    expect(sample(text, 'featuregraph_values_served_total', { view: 'location_risk', status: 'present' })).toBe(5 * 2 + 2);
    expect(sample(text, 'featuregraph_values_served_total', { view: 'location_risk', status: 'expired' })).toBe(5);
    expect(sample(text, 'featuregraph_values_served_total', { view: 'location_risk', status: 'unknown' })).toBe(5);
    // One batched online read per request.
    expect(sample(text, 'featuregraph_online_read_round_trips_total', { outcome: 'ok' })).toBe(7);
    expect(sample(text, 'featuregraph_online_read_duration_seconds_count')).toBe(7);
    expect(sample(text, 'featuregraph_push_rows_total', { view: 'location_risk', outcome: 'accepted' })).toBe(3);
    expect(sample(text, 'featuregraph_push_rows_total', { view: 'location_risk', outcome: 'rejected' })).toBe(2);
    expect(sample(text, 'featuregraph_served_log_rows_total', { service: 'risk_v1' })).toBe(5 * 4 + 2);
    expect(sample(text, 'featuregraph_served_log_dropped_total', { service: 'risk_v1', reason: 'overflow' })).toBeUndefined();
    const logged = await sql.query<{ status: string; n: number }>(
      `SELECT location_risk__risk__status AS status, count(*)::int AS n FROM "fg_${project}"."served_log_risk_v1" GROUP BY 1 ORDER BY 1`,
    );
    expect(logged.rows).toEqual([
      { status: 'expired', n: 5 },
      { status: 'present', n: 12 },
      { status: 'unknown', n: 5 },
    ]);
    const ids = await sql.query<{ id: string }>(
      `SELECT DISTINCT request_id AS id FROM "fg_${project}"."served_log_risk_v1" WHERE request_id LIKE 'req-%' ORDER BY 1`,
    );
    expect(ids.rows.map((r) => r.id)).toEqual(['req-0', 'req-1', 'req-2', 'req-3', 'req-4']);
  });

  it('reports freshness against the objective and fails /ready while it is breached', async () => {
    // The newest pushed value is 20 minutes old against a 15-minute objective.
    let text = await scrape();
    expect(sample(text, 'featuregraph_view_freshness_objective_seconds', { view: 'location_risk' })).toBe(900);
    expect(sample(text, 'featuregraph_view_freshness_seconds', { view: 'location_risk' })).toBeCloseTo(1200, 0);
    expect(sample(text, 'featuregraph_view_freshness_breached', { view: 'location_risk' })).toBe(1);
    const ready = await fetch('/ready');
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('location_risk breaches its freshness objective');
    const meta = await post('/graphql', {
      query: '{ featureView(name: "location_risk") { freshness { objectiveSeconds newestValueAgeSeconds breached } } }',
    });
    expect(((await meta.json()) as { data: unknown }).data).toEqual({
      featureView: { freshness: { objectiveSeconds: 900, newestValueAgeSeconds: 1200, breached: true } },
    });
    expect(
      (await post('/push/location_risk', [{ customer_id: 'C1', event_timestamp: new Date(now - 60_000).toISOString(), risk: 0.5 }])).status,
    ).toBe(200);
    text = await scrape();
    expect(sample(text, 'featuregraph_view_freshness_breached', { view: 'location_risk' })).toBe(0);
    expect((await fetch('/ready')).status).toBe(200);
  });
});

describe('/metrics authorization', () => {
  it('answers 403 when authorize refuses, 200 when it allows', async () => {
    const project = uniqueProject('metricsauth');
    const sql = await sqlBackends[0]!.open();
    try {
      const repo = resolveRepository(definitions(project), project);
      const rt = {
        repo,
        online: createSqlOnlineStore(sql, project),
        offline: openOfflineStore(sql),
        registry: sqlRegistryInfo(sql, project),
        now: Date.now,
      };
      const monitoring = createServerMonitoring(rt, {
        logger: false,
        servedLog: false,
        authorizeMetrics: (r) => {
          const auth = r.headers.get('authorization');
          return auth === null ? 'unauthenticated' : auth === 'Bearer admin';
        },
      });
      const app = createApp(rt, { logging: false, monitoring });
      // No key: 401 with a challenge, as every other endpoint; a key without admin: 403.
      const none = await app.fetch('http://test/metrics');
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      // With the request id in the body, as every other refusal.
      expect(await none.json()).toMatchObject({ code: 'UNAUTHENTICATED', requestId: none.headers.get('x-request-id') });
      const reader = await app.fetch('http://test/metrics', { headers: { authorization: 'Bearer reader' } });
      expect(reader.status).toBe(403);
      expect(await reader.json()).toEqual({
        error: 'metrics need an admin key',
        code: 'FORBIDDEN',
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      const ok = await app.fetch('http://test/metrics', { headers: { authorization: 'Bearer admin' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('featuregraph_requests_total');
      await monitoring.close();
    } finally {
      await sql.close();
    }
  });
});
