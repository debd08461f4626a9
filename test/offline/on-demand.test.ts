import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import demoRepository, { accidentHistory } from '../../schema/index.js';
import { DEMO_CUSTOMER_IDS, generateDemoData } from '../../schema/demo-data.js';
import { onDemandView, repository } from '../../src/definitions/dsl.js';
import { resolveRepository, type OnDemandSpec, type ResolvedRepository, type ViewSpec } from '../../src/definitions/resolve.js';
import { runTransform } from '../../src/definitions/transform.js';
import { Float64 } from '../../src/definitions/value-types.js';
import { pointInTimeLookup } from '../../src/offline/postgres/point-in-time.js';
import { getHistoricalFeatures, TrainingSetError } from '../../src/offline/training-set.js';
import { registerHistorical } from '../../src/cli/commands/historical.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import type { SqlClient } from '../../src/sql/client.js';
import { countingClient } from './counting-client.js';
import { rng } from './random-sources.js';

const HOUR = 3_600_000;
// A fixed clock: the demo data is generated relative to it.
const NOW = new Date(Date.UTC(2025, 5, 1, 12, 30));

/** A transform that fails on some rows, to check the error names the view and the row. */
const boom = onDemandView({
  name: 'boom',
  sources: { accident_history: accidentHistory },
  request: { user_lat: Float64 },
  features: { lat_copy: Float64 },
  transform: (_inputs, { user_lat }) => {
    if (user_lat > 80) throw new Error('too far north');
    return { lat_copy: user_lat };
  },
});

describe('on-demand features in training sets (demo repository, PGlite)', () => {
  let sql: SqlClient;
  let repo: ResolvedRepository;
  let dir: string;
  const r = rng(5);
  const entityRows = Array.from({ length: 120 }, () => ({
    customer_id: r.pick(DEMO_CUSTOMER_IDS),
    event_timestamp: new Date(NOW.getTime() - r.int(9 * 24) * HOUR - r.int(HOUR)).toISOString(),
    user_lat: String(40 + r.next() * 10),
    user_lon: String(-5 + r.next() * 10),
  }));
  const csvText = (rows: readonly Record<string, string>[]) =>
    `${Object.keys(rows[0] ?? {}).join(',')}\n${rows.map((x) => Object.values(x).join(',')).join('\n')}\n`;

  beforeAll(async () => {
    sql = await createPgliteClient();
    await generateDemoData(sql, { now: NOW });
    repo = resolveRepository(demoRepository, 'demo');
    dir = mkdtempSync(join(tmpdir(), 'fg-ondemand-'));
  });
  afterAll(async () => {
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("computes on-demand features with the view's transform on the point-in-time inputs and the rows' request columns", async () => {
    const out = await getHistoricalFeatures(sql, repo, {
      entities: { rows: entityRows },
      features: ['accident_proximity:distance_km', 'accident_proximity:near_last_accident'],
      now: NOW,
    });
    // The input view is read (all of its features, as online) but is not an output column.
    expect(out.columns.map((c) => c.name)).toEqual([
      'customer_id',
      'event_timestamp',
      'user_lat',
      'user_lon',
      'accident_proximity__distance_km',
      'accident_proximity__near_last_accident',
    ]);
    expect(out.columns.find((c) => c.name === 'user_lat')?.type).toBe(Float64);
    const ah = repo.views.find((v) => v.name === 'accident_history') as ViewSpec;
    const spec = repo.onDemandViews.find((o) => o.name === 'accident_proximity') as OnDemandSpec;
    const recs = await pointInTimeLookup(
      sql,
      ah,
      entityRows.map((e) => ({ keys: [e.customer_id], asOf: new Date(e.event_timestamp) })),
      ah.features.map((f) => f.name),
      { now: NOW },
    );
    let computed = 0;
    entityRows.forEach((e, i) => {
      const want = runTransform(
        spec,
        { accident_history: recs[i]?.values ?? null },
        { user_lat: Number(e.user_lat), user_lon: Number(e.user_lon) },
      );
      const row = out.rows[i] ?? {};
      expect(row.user_lat).toBe(Number(e.user_lat));
      expect(Object.is(row.accident_proximity__distance_km, want.distance_km), `row ${i + 1}`).toBe(true);
      expect(row.accident_proximity__near_last_accident).toBe(want.near_last_accident);
      if (want.distance_km !== null) computed++;
    });
    expect(computed).toBeGreaterThan(50);
  });

  it('the historical command gives a feature service its columns, on-demand ones computed', async () => {
    const file = join(dir, 'svc.csv');
    writeFileSync(file, csvText(entityRows.slice(0, 20)));
    const out = join(dir, 'svc-out.csv');
    const program = new Command().exitOverride();
    registerHistorical(program, async () => ({ sql: { ...sql, close: async () => undefined }, repo }));
    await program.parseAsync(
      ['historical', '--entities', file, '--service', 'pricing_v1', '--out', out, '--now', NOW.toISOString(), '--no-progress'],
      { from: 'user' },
    );
    const got = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(Object.keys(got[0] ?? {})).toEqual([
      'customer_id',
      'event_timestamp',
      'user_lat',
      'user_lon',
      'credit_score__score',
      'accident_history__accidents_12m',
      'location_risk__risk',
      'accident_proximity__distance_km',
    ]);
    const want = await getHistoricalFeatures(sql, repo, { entities: { rows: entityRows.slice(0, 20) }, service: 'pricing_v1', now: NOW });
    got.forEach((g, i) => {
      const d = want.rows[i]?.accident_proximity__distance_km ?? null;
      expect(g.accident_proximity__distance_km === '' ? null : Number(g.accident_proximity__distance_km)).toBe(d);
    });
  });

  it('refuses missing or wrongly typed request columns before any query, naming the line and column', async () => {
    const refused = async (text: string, ...fragments: string[]) => {
      const file = join(dir, 'bad.csv');
      writeFileSync(file, text);
      const counted = countingClient(sql);
      const err = await getHistoricalFeatures(counted, repo, { entities: { csvFile: file }, service: 'pricing_v1', now: NOW }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TrainingSetError);
      for (const f of fragments) expect((err as Error).message).toContain(f);
      expect(counted.statements, 'no query may run before validation').toEqual([]);
    };
    await refused('customer_id,event_timestamp,user_lat\nC1001,2025-06-01T00:00:00Z,40\n', 'line 1', '"user_lon"');
    await refused(
      'customer_id,event_timestamp,user_lat,user_lon\nC1001,2025-06-01T00:00:00Z,40,2\nC1002,2025-06-01T00:00:00Z,north,2\n',
      'line 3',
      '"user_lat"',
      'Float64',
    );
    await refused('customer_id,event_timestamp,user_lat,user_lon\nC1001,2025-06-01T00:00:00Z,40,\n', 'line 2', '"user_lon"', 'missing');
  });

  it('a transform that throws fails the training set, naming the view and the entity row line', async () => {
    const boomRepo = resolveRepository(
      repository({ project: 'demo', entities: demoRepository.entities, featureViews: [accidentHistory], onDemandViews: [boom] }),
      'demo',
    );
    const file = join(dir, 'boom.csv');
    writeFileSync(file, 'customer_id,event_timestamp,user_lat\nC1001,2025-06-01T00:00:00Z,40\nC1002,2025-06-01T00:00:00Z,85\n');
    const err = await getHistoricalFeatures(sql, boomRepo, { entities: { csvFile: file }, features: ['boom:lat_copy'], now: NOW }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TrainingSetError);
    expect((err as TrainingSetError).code).toBe('TRANSFORM_FAILED');
    for (const f of ['boom', 'line 3', 'too far north']) expect((err as Error).message).toContain(f);
    // The command reports it and leaves no partial file behind.
    const out = join(dir, 'boom-out.csv');
    const program = new Command().exitOverride();
    registerHistorical(program, async () => ({ sql: { ...sql, close: async () => undefined }, repo: boomRepo }));
    const before = process.exitCode;
    await program.parseAsync(
      ['historical', '--entities', file, '--features', 'boom:lat_copy', '--out', out, '--now', NOW.toISOString(), '--no-progress'],
      { from: 'user' },
    );
    expect(process.exitCode).toBe(1);
    process.exitCode = before;
    expect(existsSync(out)).toBe(false);
  });
});
