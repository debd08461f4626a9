import { describe, expect, it } from 'vitest';
import { Float32, Int32, onDemandView } from '../../src/definitions/index.js';
import {
  applyRepository,
  formatPlan,
  getCurrentVersion,
  getObject,
  listHistory,
  listObjects,
  planRepository,
  pushIndexName,
  sourceIndex,
} from '../../src/registry/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { sqlBackends } from '../support/env.js';
import { demoRepository, withView, useRegistryDb } from './fixtures.js';

describe.each(sqlBackends)('registry apply on $name', ({ open }) => {
  const db = useRegistryDb(open, 'reg');
  const setup = () => db.setup();

  it('plans every object as an addition on an empty registry, and writes nothing', async () => {
    await setup();
    const plan = await planRepository(db.sql, demoRepository(db.src), { project: db.project });
    expect(plan.currentVersion).toBeNull();
    expect(plan.changes.every((c) => c.action === 'add')).toBe(true);
    expect(plan.changes.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'entity:customer',
      'entity:driver',
      'source:accident_history_monthly',
      'source:credit_scores',
      'source:driver_hourly_stats',
      'source:location_risk_push',
      'feature_view:accident_history',
      'feature_view:credit_score',
      'feature_view:driver_stats',
      'feature_view:location_risk',
      'on_demand_view:accident_proximity',
      'feature_service:pricing_v1',
    ]);
    const text = formatPlan(plan);
    expect(text).toContain('+ feature view driver_stats');
    expect(text).toContain('+ on-demand view accident_proximity');
    expect(text).toContain('12 to add, 0 to change, 0 to remove');
    expect(await getCurrentVersion(db.sql, db.project)).toBeNull();
  });

  it('records version 1 with a content hash per object, who applied it, and the push tables', async () => {
    await setup();
    const result = await applyRepository(db.sql, demoRepository(db.src), { project: db.project, appliedBy: 'alice' });
    expect(result).toMatchObject({ version: 1, previousVersion: null, created: true });
    expect(result.pushTables).toEqual([`fg_${db.project}.push_location_risk`]);
    const [v1] = await listHistory(db.sql, db.project);
    expect(v1).toMatchObject({ version: 1, appliedBy: 'alice', repositoryHash: result.plan.repositoryHash });
    expect(v1?.appliedAt).toBeInstanceOf(Date);
    const objects = await listObjects(db.sql, db.project);
    expect(objects).toHaveLength(12);
    for (const o of objects) {
      expect(o.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(o.version).toBe(1);
    }
    const view = await getObject(db.sql, db.project, 'feature_view', 'driver_stats');
    expect(view).toMatchObject({ owner: 'mobility-ml@example.com', tags: { team: 'mobility' } });
    expect(view?.spec).toMatchObject({
      ttlSeconds: 172_800,
      entities: ['driver'],
      source: { type: 'postgres', table: `${db.src}.driver_hourly_stats` },
    });
    const odv = await getObject(db.sql, db.project, 'on_demand_view', 'accident_proximity');
    expect(odv?.spec.kind === 'on_demand_view' && odv.spec.transform).toContain('EARTH_RADIUS_KM');

    // The push table has the keys, both timestamps and typed features, and its key index.
    const cols = await db.sql.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [`fg_${db.project}.push_location_risk`],
    );
    expect(cols.rows).toEqual([
      { name: 'customer_id', type: 'text' },
      { name: 'event_timestamp', type: 'timestamp with time zone' },
      { name: 'created_timestamp', type: 'timestamp with time zone' },
      { name: 'risk', type: 'double precision' },
    ]);
    const idx = await db.sql.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND indexname = $2`, [
      `fg_${db.project}`,
      pushIndexName('location_risk'),
    ]);
    expect(idx.rows[0]?.def).toContain('(customer_id, event_timestamp DESC)');
  });

  it('re-applying the same definitions is a no-op that says so', async () => {
    await setup();
    await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    const again = await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    expect(again).toMatchObject({ version: 1, previousVersion: 1, created: false });
    expect(again.plan.hasChanges).toBe(false);
    expect(formatPlan(again.plan)).toContain('No changes');
    expect(await listHistory(db.sql, db.project)).toHaveLength(1);
  });

  it('a changed definition makes a new version in which only that object changed', async () => {
    await setup();
    const first = await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    const changed = demoRepository(db.src, {
      views: { credit_score: (v) => withView(v, { ttl: '7d', features: { score: v.features.score!, score_trend: Float32 } }) },
    });
    await db.sql.query(`ALTER TABLE "${db.src}".credit_scores ADD COLUMN score_trend real`);
    const plan = await planRepository(db.sql, changed, { project: db.project });
    // The service's selections did not change, and the on-demand view reads accident_history only.
    expect(plan.changes).toEqual([
      {
        action: 'change',
        kind: 'feature_view',
        name: 'credit_score',
        fields: ['features', 'ttlSeconds'],
        values: [
          { path: 'features.score_trend', new: { name: 'score_trend', type: 'Float32' } },
          { path: 'ttlSeconds', old: 30 * 86_400, new: 7 * 86_400 },
        ],
      },
    ]);
    const text = formatPlan(plan);
    expect(text).toContain('~ feature view credit_score (features, ttlSeconds)');
    expect(text).toContain('    features.score_trend: (none) → {"name":"score_trend","type":"Float32"}');
    expect(text).toContain('    ttlSeconds: 2592000 → 604800');

    const second = await applyRepository(db.sql, changed, { project: db.project, appliedBy: 'bob' });
    expect(second).toMatchObject({ version: 2, previousVersion: 1, created: true });
    const history = await listHistory(db.sql, db.project);
    expect(history.map((h) => [h.version, h.appliedBy])).toEqual([
      [2, 'bob'],
      [1, expect.any(String)],
    ]);
    expect(history[0]?.repositoryHash).not.toBe(first.plan.repositoryHash);
    expect(history[0]?.changes).toEqual(plan.changes);

    const objects = await listObjects(db.sql, db.project);
    const versions = Object.fromEntries(objects.map((o) => [`${o.kind}:${o.name}`, o.version]));
    expect(versions['feature_view:credit_score']).toBe(2);
    expect(Object.entries(versions).filter(([, v]) => v === 2)).toHaveLength(1);
    // Version 1 is still readable as it was.
    const old = await getObject(db.sql, db.project, 'feature_view', 'credit_score', 1);
    expect(old?.spec).toMatchObject({ ttlSeconds: 2_592_000 });
    expect(old?.hash).not.toBe(
      versions['feature_view:credit_score'] && (await getObject(db.sql, db.project, 'feature_view', 'credit_score'))?.hash,
    );
  });

  it('editing an on-demand transform changes its hash; removing a view is planned as a removal', async () => {
    await setup();
    await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    const edited = demoRepository(db.src, {
      onDemand: { accident_proximity: (o) => onDemandView({ ...o, transform: () => ({ distance_km: 0, near_last_accident: true }) }) },
      without: ['driver_stats', 'driver'],
    });
    const plan = await planRepository(db.sql, edited, { project: db.project });
    expect(plan.changes.map((c) => `${c.action} ${c.kind}:${c.name} ${c.fields.join(',')}`)).toEqual([
      'remove entity:driver ',
      'remove source:driver_hourly_stats ',
      'remove feature_view:driver_stats ',
      'change on_demand_view:accident_proximity transform',
    ]);
    expect(formatPlan(plan)).toContain('- entity driver');
  });

  it('creates the online tables and the recommended source indexes when asked, idempotently', async () => {
    await setup();
    const repo = demoRepository(db.src);
    const opts = { project: db.project, onlineTables: true, createSourceIndexes: true };
    const result = await applyRepository(db.sql, repo, opts);
    expect(result.onlineTables).toHaveLength(4);
    expect(result.sourceIndexes).toHaveLength(3);
    const idx = sourceIndex(resolveRepository(repo, db.project).views.find((v) => v.name === 'driver_stats')!);
    expect(idx?.name).toBe('fg_driver_hourly_stats_driver_id_event_timestamp_idx');
    const defs = await db.sql.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE schemaname = $1 ORDER BY 1`,
      [db.src],
    );
    expect(defs.rows.find((r) => r.name === idx?.name)?.def).toContain('(driver_id, event_timestamp DESC)');
    expect(defs.rows).toHaveLength(3);
    const online = await db.sql.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS t`, [`fg_${db.project}.online_driver_stats`]);
    expect(online.rows[0]?.t).not.toBeNull();
    // Second run: same names, nothing new, no new version.
    const again = await applyRepository(db.sql, repo, opts);
    expect(again.created).toBe(false);
    expect(again.sourceIndexes).toEqual(result.sourceIndexes);
  });

  it('adds a new feature of a push view as a new column of its push table', async () => {
    await setup();
    await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    const more = demoRepository(db.src, {
      views: { location_risk: (v) => withView(v, { features: { ...v.features, risk_band: Int32 } }) },
    });
    const r = await applyRepository(db.sql, more, { project: db.project });
    expect(r.version).toBe(2);
    const cols = await db.sql.query<{ name: string }>(
      `SELECT attname AS name FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [`fg_${db.project}.push_location_risk`],
    );
    expect(cols.rows.map((c) => c.name)).toContain('risk_band');
  });
});
