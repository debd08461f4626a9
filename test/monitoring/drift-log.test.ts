import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureService, repository } from '../../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import {
  computeDrift,
  createServerMonitoring,
  formatDriftTable,
  parseCurrent,
  parseReference,
  type ServerMonitoring,
} from '../../src/monitoring/index.js';
import { createSqlLogStore } from '../../src/monitoring/log-store.js';
import type { SqlClient } from '../../src/sql/client.js';
import { accidentHistory, creditScore, accidentProximity, locationRisk, pricingV1 } from '../../schema/index.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

// A deterministic generator (mulberry32), so every run serves the same values.
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const CUSTOMERS = 2000;
const BATCH = 50;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The oracle: PSI from logged values by the documented rule, written apart from src/monitoring (deciles by
 * sorting, bins by linear search over the deduplicated edges, null its own bin, empty bins 1e-4).
 */
const oraclePsi = (ref: (number | null)[], cur: (number | null)[]): number => {
  const sorted = ref.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const edges: number[] = [];
  for (const p of [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]) {
    const e = sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
    if (!edges.includes(e)) edges.push(e);
  }
  const share = (vals: (number | null)[]) => {
    const counts = new Array<number>(edges.length + 2).fill(0);
    for (const v of vals) counts[v === null ? edges.length + 1 : edges.filter((e) => e <= v).length]! += 1;
    return counts.map((c) => c / vals.length || 1e-4);
  };
  const r = share(ref);
  const c = share(cur);
  return r.reduce((sum, ri, i) => sum + (c[i]! - ri) * Math.log(c[i]! / ri), 0);
};

describe.each(sqlBackends)('served-feature log and drift on $name', ({ open }) => {
  const project = uniqueProject('drift');
  let sql: SqlClient;
  let online: OnlineStore;
  let repo: ResolvedRepository;
  let app: FeatureGraphApp;
  let monitoring: ServerMonitoring;
  let clock = Date.parse('2026-11-20T12:00:00Z');
  const base = clock;
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => `C${i}`);

  const view = (name: string) => repo.views.find((v) => v.name === name)!;
  /** Write a fresh online value per customer; `riskShift` moves location_risk:risk. */
  const writeValues = async (seed: number, riskShift: number) => {
    const r = rng(seed);
    const eventTs = new Date(clock - 60_000);
    const rows = (values: (i: number) => Record<string, number | null>) =>
      ids.map((id, i) => ({ key: id, eventTs, createdTs: eventTs, values: values(i) }));
    await online.write(
      view('credit_score'),
      rows(() => ({ score: Math.round(500 + 300 * r()) })),
    );
    await online.write(
      view('accident_history'),
      rows(() => ({ accidents_12m: Math.floor(r() * r() * 4), last_accident_lat: 52 + r(), last_accident_lon: 13 + r() })),
    );
    // Every 20th customer has no risk value: null is its own bin.
    await online.write(
      view('location_risk'),
      rows((i) => ({ risk: i % 20 === 0 ? null : r() + riskShift })),
    );
  };
  const gql = async (query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
  };
  const QUERY = `query Pricing($ids: [ID!]!, $lat: Float!, $lon: Float!) {
    pricingV1s(customerIds: $ids, userLat: $lat, userLon: $lon) {
      creditScore { score } accidentHistory { accidents12m } locationRisk { risk eventTimestamp } accidentProximity { distanceKm }
    }
  }`;
  /** Serve every customer once, in batches, at `at`. */
  const serveAll = async (at: number) => {
    clock = at;
    for (let i = 0; i < CUSTOMERS; i += BATCH) {
      const res = await gql(QUERY, { ids: ids.slice(i, i + BATCH), lat: 52.5, lon: 13.4 });
      expect(res.errors).toBeUndefined();
    }
    await monitoring.servedLog!.flush();
  };
  const logged = async (col: string, from: number, to: number) =>
    (
      await sql.query<{ v: number | null }>(
        `SELECT "${col}" AS v FROM "fg_${project}"."served_log_pricing_v1" WHERE logged_at >= $1 AND logged_at < $2`,
        [new Date(from), new Date(to)],
      )
    ).rows.map((r) => (r.v === null ? null : Number(r.v)));

  beforeAll(async () => {
    sql = await open();
    const defs = repository({
      project,
      featureViews: [creditScore, accidentHistory, locationRisk],
      onDemandViews: [accidentProximity],
      featureServices: [featureService({ ...pricingV1, logging: { sampleRate: 1 } })],
    });
    repo = resolveRepository(defs, project);
    online = createSqlOnlineStore(sql, project);
    await online.prepare(repo.views.filter((v) => v.online));
    const rt = { repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: () => clock };
    monitoring = createServerMonitoring(rt, { logger: false, servedLogOptions: { batchRows: 500 } });
    app = createApp(rt, { logging: false, monitoring });
    // Each phase writes values just before it serves them (location_risk's ttl is one hour).
    for (const [day, seed, shift] of [
      [0, 1, 0], // reference
      [1, 2, 0], // stable
      [2, 3, 0.3], // location_risk:risk shifted by +0.3
    ] as const) {
      clock = base + day * DAY;
      await writeValues(seed, shift);
      await serveAll(clock);
    }
  }, 120_000);
  afterAll(async () => {
    await monitoring?.close();
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  it('logs one row per served entity with keys, request arguments, values, event times and statuses', async () => {
    const r = await sql.query<Record<string, unknown>>(
      `SELECT count(*)::int AS n, count(DISTINCT request_id)::int AS requests, min(user_lat) AS lat,
         count(*) FILTER (WHERE location_risk__risk__status = 'present')::int AS present,
         count(*) FILTER (WHERE location_risk__risk IS NULL)::int AS nulls,
         count(*) FILTER (WHERE credit_score__score__event_ts IS NOT NULL)::int AS with_ts
       FROM "fg_${project}"."served_log_pricing_v1"`,
    );
    expect(r.rows[0]).toMatchObject({
      n: 3 * CUSTOMERS,
      requests: (3 * CUSTOMERS) / BATCH,
      lat: 52.5,
      present: 3 * CUSTOMERS,
      nulls: (3 * CUSTOMERS) / 20,
      with_ts: 3 * CUSTOMERS,
    });
    const one = await sql.query<Record<string, unknown>>(
      `SELECT * FROM "fg_${project}"."served_log_pricing_v1" WHERE customer_id = 'C7' ORDER BY logged_at LIMIT 1`,
    );
    expect(one.rows[0]).toMatchObject({
      customer_id: 'C7',
      accident_proximity__distance_km__status: 'present',
      credit_score__score__status: 'present',
    });
  });

  it('reports no drift for a stable distribution and exactly the shifted feature after a shift, equal to the oracle', async () => {
    const store = createSqlLogStore(sql);
    const now = base + 3 * DAY;
    const reference = parseReference('now-3d..now-2d', { allowFiles: false, now });
    const stable = await computeDrift(store, repo, 'pricing_v1', reference, parseCurrent('now-2d..now-1d', now));
    const shifted = await computeDrift(store, repo, 'pricing_v1', reference, parseCurrent('now-1d..now', now));
    expect(stable.features.map((f) => `${f.view}:${f.feature}`)).toEqual([
      'credit_score:score',
      'accident_history:accidents_12m',
      'location_risk:risk',
      'accident_proximity:distance_km',
    ]);
    for (const f of stable.features) {
      expect(f.referenceCount).toBe(CUSTOMERS);
      expect(f.currentCount).toBe(CUSTOMERS);
      expect(f.psi!).toBeLessThan(0.1);
    }
    expect(stable.drifted).toBe(false);
    expect(shifted.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(['risk']);
    expect(shifted.features.find((f) => f.feature === 'risk')!.psi!).toBeGreaterThan(0.2);
    for (const [report, from] of [
      [stable, base + DAY],
      [shifted, base + 2 * DAY],
    ] as const)
      for (const f of report.features) {
        const col = `${f.view}__${f.feature}`;
        const expected = oraclePsi(await logged(col, base, base + DAY), await logged(col, from, from + DAY));
        expect(Math.abs(f.psi! - expected)).toBeLessThan(1e-9);
      }
  });

  it('gives the same report through GraphQL featureDrift, and rejects bad windows as BAD_USER_INPUT', async () => {
    clock = base + 3 * DAY;
    const q = `query($c: String!) { featureDrift(service: "pricing_v1", reference: "now-3d..now-2d", current: $c) { drifted features { feature psi drifted currentCount } } }`;
    const direct = await computeDrift(
      createSqlLogStore(sql),
      repo,
      'pricing_v1',
      parseReference('now-3d..now-2d', { allowFiles: false, now: clock }),
      parseCurrent('now-1d..now', clock),
    );
    const res = await gql(q, { c: 'now-1d..now' });
    expect(res.errors).toBeUndefined();
    const report = res.data!.featureDrift as {
      drifted: boolean;
      features: { feature: string; psi: number; drifted: boolean; currentCount: number }[];
    };
    expect(report.drifted).toBe(true);
    expect(report.features.map((f) => f.psi)).toEqual(direct.features.map((f) => f.psi));
    const bad = await gql(q, { c: 'yesterday' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const file = await gql(`{ featureDrift(service: "pricing_v1", reference: "/etc/passwd", current: "now-1d..now") { drifted } }`, {});
    expect(file.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('judges no feature with fewer rows than minRows on a side: PSI shown, drifted false (option, view, GraphQL)', async () => {
    const now = base + 3 * DAY;
    const reference = parseReference('now-3d..now-2d', { allowFiles: false, now });
    const current = parseCurrent('now-1d..now', now);
    const store = createSqlLogStore(sql);
    // Enough rows (2,000 ≥ the default 100): the shifted feature is flagged, as above.
    const judged = await computeDrift(store, repo, 'pricing_v1', reference, current);
    expect(judged.features.every((f) => f.enoughRows && f.minRows === 100)).toBe(true);
    const risk = (r: typeof judged) => r.features.find((f) => f.feature === 'risk')!;
    expect(risk(judged).drifted).toBe(true);
    // The same logs with a minimum above them: the same PSI, not judged.
    const few = await computeDrift(store, repo, 'pricing_v1', reference, current, { minRows: CUSTOMERS + 1 });
    expect(few.drifted).toBe(false);
    expect(risk(few)).toMatchObject({ psi: risk(judged).psi, drifted: false, enoughRows: false, minRows: CUSTOMERS + 1 });
    expect(formatDriftTable(few)).toMatch(/location_risk:risk .*too few rows \(< 2001\)/);
    // A view's drift.minRows applies to its features only.
    const strict = resolveRepository(
      repository({
        project,
        featureViews: [creditScore, accidentHistory, { ...locationRisk, drift: { minRows: CUSTOMERS + 1 } }],
        onDemandViews: [accidentProximity],
        featureServices: [featureService({ ...pricingV1, logging: { sampleRate: 1 } })],
      }),
      project,
    );
    const byView = await computeDrift(store, strict, 'pricing_v1', reference, current);
    expect(risk(byView)).toMatchObject({ drifted: false, enoughRows: false, minRows: CUSTOMERS + 1 });
    expect(byView.features.find((f) => f.feature === 'score')).toMatchObject({ enoughRows: true, minRows: 100 });
    // Through GraphQL, and a bad minimum is the caller's error.
    clock = now;
    const q = `query($m: Int) { featureDrift(service: "pricing_v1", reference: "now-3d..now-2d", current: "now-1d..now", minRows: $m) {
      drifted features { feature drifted enoughRows minRows } } }`;
    const res = await gql(q, { m: CUSTOMERS + 1 });
    expect(res.errors).toBeUndefined();
    expect((res.data!.featureDrift as { drifted: boolean }).drifted).toBe(false);
    const bad = await gql(q, { m: 0 });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(bad.errors?.[0]?.message).toMatch(/minRows must be a whole number of at least 1, got 0/);
  });
});
