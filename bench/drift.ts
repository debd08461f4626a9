/**
 * Drift cost on a large served-feature log: fills the pricing_v1 log table of a throwaway project with
 * FG_DRIFT_ROWS rows (default 1,000,000) over two days with generate_series, then times `computeDrift`
 * (the work of `featuregraph drift` and `featureDrift`) of day 2 against day 1: wall time and this
 * process's CPU time (the SQL runs in Postgres; its time is in the wall figure). Last line: one JSON object.
 * Usage: DATABASE_URL=postgres://… npm run bench:drift   (PGlite when DATABASE_URL is unset)
 */
import { featureService, repository } from '../src/definitions/index.js';
import { resolveRepository } from '../src/definitions/resolve.js';
import { computeDrift, createSqlLogStore, logTableOf, parseCurrent, parseReference } from '../src/monitoring/index.js';
import { createPgClient, createPgliteClient } from '../src/sql/index.js';
import { accidentHistory, accidentProximity, creditScore, locationRisk, pricingV1 } from '../schema/index.js';

const ROWS = Number(process.env.FG_DRIFT_ROWS ?? 1_000_000);
const project = `driftbench_${Date.now().toString(36)}`;
const sql = process.env.DATABASE_URL ? createPgClient(process.env.DATABASE_URL) : await createPgliteClient();
const repo = resolveRepository(
  repository({
    project,
    featureViews: [creditScore, accidentHistory, locationRisk],
    onDemandViews: [accidentProximity],
    featureServices: [featureService({ ...pricingV1, logging: { sampleRate: 1 } })],
  }),
  project,
);
const table = logTableOf(repo, repo.services[0]!);
const store = createSqlLogStore(sql);
try {
  await store.ensure(table);
  const end = Date.now();
  const t0 = performance.now();
  // Day 1 and day 2 alike, except location_risk:risk, shifted by 0.3 on day 2; every 20th risk is null.
  await sql.query(
    `INSERT INTO ${table.relation} (request_id, logged_at, position, customer_id, user_lat, user_lon,
       credit_score__score, credit_score__score__status, accident_history__accidents_12m, accident_history__accidents_12m__status,
       location_risk__risk, location_risk__risk__status, accident_proximity__distance_km, accident_proximity__distance_km__status)
     SELECT 'r' || (i / 10), to_timestamp($2::float8 / 1000 - 2 * 86400 + i * (2 * 86400.0 / $1)), i % 10, 'C' || (i % 100000), 52.5, 13.4,
       500 + (random() * 300)::int, 'present', floor(random() * random() * 4)::int, 'present',
       CASE WHEN i % 20 = 0 THEN NULL ELSE random() + CASE WHEN i >= $1 / 2 THEN 0.3 ELSE 0 END END, 'present',
       random() * 120, 'present'
     FROM generate_series(0, $1 - 1) AS i`,
    [ROWS, end],
  );
  await sql.query(`ANALYZE ${table.relation}`);
  process.stdout.write(`filled ${ROWS} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  const runs: { wallMs: number; cpuMs: number }[] = [];
  let drifted: string[] = [];
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const report = await computeDrift(
      store,
      repo,
      'pricing_v1',
      parseReference('now-2d..now-1d', { allowFiles: false, now: end + 1 }),
      parseCurrent('now-1d..now', end + 1),
    );
    const c = process.cpuUsage(c0);
    runs.push({ wallMs: performance.now() - w0, cpuMs: (c.user + c.system) / 1000 });
    drifted = report.features.filter((f) => f.drifted).map((f) => `${f.view}:${f.feature}`);
    process.stdout.write(
      `run ${i + 1}: ${runs[i]!.wallMs.toFixed(0)} ms wall, ${runs[i]!.cpuMs.toFixed(0)} ms CPU here; drifted: ${drifted.join(', ')}\n`,
    );
  }
  const best = runs.reduce((a, b) => (a.wallMs < b.wallMs ? a : b));
  process.stdout.write(
    `${JSON.stringify({ bench: 'drift', rows: ROWS, engine: sql.dialect, best_wall_ms: Math.round(best.wallMs), client_cpu_ms: Math.round(best.cpuMs), drifted })}\n`,
  );
} finally {
  await sql.query(`DROP SCHEMA IF EXISTS "fg_${project}" CASCADE`);
  await sql.close();
}
