import { describe, expect, it } from 'vitest';
import { DefinitionError, Float64, featureView, pushSource } from '../../src/definitions/index.js';
import { applyRepository, getCurrentVersion, listHistory, listObjects } from '../../src/registry/index.js';
import type { SqlClient } from '../../src/sql/client.js';
import { sqlBackends } from '../support/env.js';
import { customerOf, demoRepository, withView, useRegistryDb } from './fixtures.js';

const exists = async (sql: SqlClient, relation: string): Promise<boolean> =>
  (await sql.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [relation])).rows[0]?.t != null;

describe.each(sqlBackends)('apply atomicity and concurrency on $name', ({ open }) => {
  const db = useRegistryDb(open, 'atom');
  const setup = () => db.setup();

  /** A source that is a SQL view: source checks accept it, but no index can be built on it. */
  const viewBackedCreditScores = async () => {
    await db.sql.query(`ALTER TABLE "${db.src}".credit_scores RENAME TO credit_scores_base`);
    await db.sql.query(`CREATE VIEW "${db.src}".credit_scores AS SELECT * FROM "${db.src}".credit_scores_base`);
  };

  it('a failure late in the first apply leaves no schema, registry, push or online table behind', async () => {
    await setup();
    await viewBackedCreditScores();
    await expect(
      applyRepository(db.sql, demoRepository(db.src), { project: db.project, onlineTables: true, createSourceIndexes: true }),
    ).rejects.toThrow(/index/);
    const schema = await db.sql.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`fg_${db.project}`]);
    expect(schema.rows).toHaveLength(0);
    expect(await getCurrentVersion(db.sql, db.project)).toBeNull();
    // Indexes created on other source tables before the failure are gone too.
    const idx = await db.sql.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1`, [db.src]);
    expect(idx.rows).toHaveLength(0);
  });

  it('a failing second apply keeps the previous version and creates none of the new tables', async () => {
    await setup();
    await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    await viewBackedCreditScores();
    const zoneRisk = featureView({
      name: 'zone_risk',
      entities: [customerOf(demoRepository(db.src))],
      features: { zone: Float64 },
      source: pushSource({ name: 'zone_push' }),
      ttl: '1h',
    });
    const base = demoRepository(db.src, { views: { accident_history: (v) => withView(v, { ttl: '90d' }) } });
    const next = { ...base, featureViews: [...base.featureViews, zoneRisk], sources: [...base.sources, zoneRisk.source] };
    await expect(applyRepository(db.sql, next, { project: db.project, createSourceIndexes: true })).rejects.toThrow(/index/);
    expect((await getCurrentVersion(db.sql, db.project))?.version).toBe(1);
    expect(await listHistory(db.sql, db.project)).toHaveLength(1);
    expect(await exists(db.sql, `fg_${db.project}.push_zone_risk`)).toBe(false);
    const stored = await listObjects(db.sql, db.project, { kind: 'feature_view' });
    expect(stored.map((o) => o.name)).not.toContain('zone_risk');
    expect(stored.find((o) => o.name === 'accident_history')?.spec).toMatchObject({ ttlSeconds: 62 * 86_400 });
  });

  it('a push table whose column no longer matches the definition is reported and nothing is applied', async () => {
    await setup();
    await applyRepository(db.sql, demoRepository(db.src), { project: db.project });
    await db.sql.query(`ALTER TABLE "fg_${db.project}".push_location_risk ALTER COLUMN risk TYPE text`);
    const changed = demoRepository(db.src, { views: { location_risk: (v) => withView(v, { ttl: '2h' }) } });
    const err = await applyRepository(db.sql, changed, { project: db.project }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DefinitionError);
    expect((err as DefinitionError).message).toMatch(
      /feature view "location_risk", field "risk": push table .*push_location_risk has column risk of type text/,
    );
    expect((await getCurrentVersion(db.sql, db.project))?.version).toBe(1);
  });

  it('concurrent applies of the same definitions record exactly one version', async () => {
    await setup();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => applyRepository(db.sql, demoRepository(db.src), { project: db.project })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.version))).toEqual(new Set([1]));
    expect(await listHistory(db.sql, db.project)).toHaveLength(1);
  });

  it('concurrent applies of different definitions get distinct, gapless versions with whole snapshots', async () => {
    await setup();
    const n = 6;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        applyRepository(db.sql, demoRepository(db.src, { views: { credit_score: (v) => withView(v, { description: `revision ${i}` }) } }), {
          project: db.project,
          appliedBy: `writer-${i}`,
        }),
      ),
    );
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
    const history = await listHistory(db.sql, db.project);
    expect(history.map((h) => h.version)).toEqual([6, 5, 4, 3, 2, 1]);
    for (const h of history) {
      expect(await listObjects(db.sql, db.project, { version: h.version })).toHaveLength(12);
      // Each version after the first changed exactly the view its writer edited.
      if (h.version > 1)
        expect(h.changes).toEqual([
          {
            action: 'change',
            kind: 'feature_view',
            name: 'credit_score',
            fields: ['description'],
            values: [{ path: 'description', old: expect.stringMatching(/^revision \d$/), new: expect.stringMatching(/^revision \d$/) }],
          },
        ]);
    }
  });
});
