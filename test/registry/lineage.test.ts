import { describe, expect, it } from 'vitest';
import {
  applyRepository,
  formatLineage,
  formatLineageMermaid,
  getFreshness,
  getLineage,
  getViewFreshness,
  getWatermark,
  recordMaterialization,
  setWatermark,
} from '../../src/registry/index.js';

import { sqlBackends } from '../support/env.js';
import { demoRepository, withView, useRegistryDb } from './fixtures.js';

describe.each(sqlBackends)('watermarks and lineage on $name', ({ open }) => {
  const db = useRegistryDb(open, 'lin');
  const setup = () => db.setup();

  it('keeps a watermark per view, and the last materialization for freshness', async () => {
    await setup();
    expect(await getWatermark(db.sql, db.project, 'driver_stats')).toBeNull();
    await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    expect(await getWatermark(db.sql, db.project, 'driver_stats')).toBeNull();
    const t1 = new Date('2025-01-02T03:04:05.678Z');
    const t2 = new Date('2025-01-03T00:00:00.000Z');
    await setWatermark(db.sql, db.project, 'driver_stats', t1);
    await setWatermark(db.sql, db.project, 'credit_score', t1);
    await setWatermark(db.sql, db.project, 'driver_stats', t2);
    expect(await getWatermark(db.sql, db.project, 'driver_stats')).toEqual(t2);
    expect(await getWatermark(db.sql, db.project, 'credit_score')).toEqual(t1);

    const at = new Date('2025-01-03T00:01:00.000Z');
    await recordMaterialization(db.sql, db.project, 'driver_stats', { start: t1, end: t2, rowCount: 100, at });
    expect(await getViewFreshness(db.sql, db.project, 'driver_stats')).toEqual({
      view: 'driver_stats',
      watermark: t2,
      lastMaterializedAt: at,
      lastRangeStart: t1,
      lastRangeEnd: t2,
      lastRowCount: 100,
    });
    // Recording a run does not move the watermark; setting the watermark keeps the run.
    await setWatermark(db.sql, db.project, 'driver_stats', t1);
    expect((await getViewFreshness(db.sql, db.project, 'driver_stats')).lastRowCount).toBe(100);
    expect((await getFreshness(db.sql, db.project)).map((f) => f.view)).toEqual(['credit_score', 'driver_stats']);
    expect(await getViewFreshness(db.sql, db.project, 'location_risk')).toMatchObject({ watermark: null, lastMaterializedAt: null });
  });

  it('moves the watermark inside the caller’s transaction, so a failed run leaves it where it was', async () => {
    await setup();
    await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    const t1 = new Date('2025-01-01T00:00:00Z');
    await setWatermark(db.sql, db.project, 'credit_score', t1);
    await expect(
      db.sql.transaction(async (tx) => {
        await setWatermark(tx, db.project, 'credit_score', new Date('2025-02-01T00:00:00Z'));
        throw new Error('materialization failed');
      }),
    ).rejects.toThrow('materialization failed');
    expect(await getWatermark(db.sql, db.project, 'credit_score')).toEqual(t1);
  });

  it('traces every feature of the demo service to its view version, source, ttl and owner', async () => {
    await setup();
    await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    await applyRepository(db.sql, demoRepository(db.src, { views: { credit_score: (v) => withView(v, { ttl: '10d' }) } }), {
      project: db.project,
    });
    const lineage = await getLineage(db.sql, db.project, 'pricing_v1');
    expect(lineage).toMatchObject({ service: 'pricing_v1', serviceVersion: 1, registryVersion: 2, owner: 'pricing-ml@example.com' });
    const byFeature = Object.fromEntries((lineage?.features ?? []).map((f) => [f.feature, f]));
    expect(Object.keys(byFeature)).toEqual(['score', 'accidents_12m', 'risk', 'distance_km']);
    expect(byFeature.score).toMatchObject({
      view: 'credit_score',
      viewKind: 'feature_view',
      viewVersion: 2,
      ttlSeconds: 10 * 86_400,
      owner: 'pricing-ml@example.com',
      description: 'Credit bureau score; higher is better.',
      unit: 'points',
      source: { name: 'credit_scores', type: 'postgres', table: `${db.src}.credit_scores`, query: null },
    });
    expect(byFeature.accidents_12m).toMatchObject({ view: 'accident_history', viewVersion: 1, ttlSeconds: 62 * 86_400 });
    expect(byFeature.risk).toMatchObject({
      view: 'location_risk',
      ttlSeconds: 3600,
      source: { type: 'push', table: `fg_${db.project}.push_location_risk` },
    });
    expect(byFeature.distance_km).toMatchObject({
      view: 'accident_proximity',
      viewKind: 'on_demand_view',
      viewVersion: 1,
      unit: 'km',
      source: null,
      ttlSeconds: null,
      inputs: [{ view: 'accident_history', viewVersion: 1, source: { table: `${db.src}.accident_history` } }],
    });
    // The service as it was at version 1 still resolves to the view version of that time.
    const v1 = await getLineage(db.sql, db.project, 'pricing_v1', 1);
    expect(v1?.features.find((f) => f.feature === 'score')).toMatchObject({ viewVersion: 1, ttlSeconds: 30 * 86_400 });

    const text = formatLineage(lineage!);
    expect(text).toContain('feature service pricing_v1 v1 (registry version 2)');
    expect(text).toContain(
      `score ← view credit_score v2, ttl 10d, owner pricing-ml@example.com, unit points — Credit bureau score; higher is better.`,
    );
    expect(text).toContain(`push table fg_${db.project}.push_location_risk`);
    // A file source is named as the files it reads, not as a query.
    const fileSource = { name: 'stats_src', type: 'file' as const, table: null, query: null, path: 'data/driver_stats/' };
    const withFiles = { ...lineage!, features: lineage!.features.map((f) => (f.source ? { ...f, source: fileSource } : f)) };
    expect(lineage!.features.some((f) => f.source)).toBe(true);
    expect(formatLineage(withFiles)).toContain('└── Parquet files data/driver_stats/');
    expect(formatLineage(withFiles)).not.toContain('query stats_src');
    const mermaid = formatLineageMermaid(lineage!);
    expect(mermaid.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid).toContain('svc_pricing_v1 -->|distance_km| view_accident_proximity');
    expect(mermaid).toContain('view_accident_proximity --> view_accident_history');
    expect(await getLineage(db.sql, db.project, 'nope')).toBeNull();
  });
});
