import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import { exportTrainingSet } from '../../src/offline/export.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { materializeViews } from '../../src/materialize/index.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';

/**
 * NaN and ±Infinity can reach featuregraph only from a source table. GraphQL's Float cannot carry them: online and
 * asOf both serve them as null, with no error (asOf used to fail the field with graphql-js's "Float cannot
 * represent non numeric value", while the online store served null), and training sets keep them.
 */
describe.each(sqlBackends)('non-finite floats on $name', ({ open }) => {
  const project = uniqueProject('nonfinite');
  const schema = `${project}_src`;
  // The newest rows a minute old: within every view's ttl now.
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'fg-nonfinite-'));
  let sql: SqlClient;
  let app: FeatureGraphApp;
  let repo: ResolvedRepository;
  beforeAll(async () => {
    sql = await open();
    await seedSmallSources(sql, schema, 5, at);
    await sql.query(`UPDATE "${schema}".driver_rating SET rating = 'NaN' WHERE driver_id = 3`);
    await sql.query(`UPDATE "${schema}".driver_rating SET rating = '-Infinity' WHERE driver_id = 4`);
    await sql.query(`UPDATE "${schema}".driver_stats SET conv_rate = 'Infinity' WHERE driver_id = 3`);
    const defs = smallRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true, createSourceIndexes: true });
    repo = resolveRepository(defs, project);
    const online = createSqlOnlineStore(sql, project);
    await materializeViews({ sql, online, repo }, { start: new Date(0), end: new Date() });
    app = createApp({ repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now }, { logging: false });
  });
  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`, schema);
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are served as null online and asOf alike; a finite value beside them is served as it is', async () => {
    const asOf = new Date().toISOString();
    const fields = `driverRating { rating } driverStats { convRate avgDailyTrips }`;
    const asOfFields = `driverRating(asOf: "${asOf}") { rating } driverStats(asOf: "${asOf}") { convRate avgDailyTrips }`;
    const query = `{ ${[3, 4, 5].map((d) => `o${d}: driver(driverId: "${d}") { ${fields} } a${d}: driver(driverId: "${d}") { ${asOfFields} }`).join(' ')} }`;
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { data: Record<string, unknown>; errors?: unknown };
    expect(body.errors).toBeUndefined();
    for (const d of [3, 4, 5]) expect(body.data[`a${d}`], `driver ${d}`).toEqual(body.data[`o${d}`]);
    expect(body.data.o3).toEqual({ driverRating: { rating: null }, driverStats: { convRate: null, avgDailyTrips: 30 } });
    expect(body.data.o4).toEqual({ driverRating: { rating: null }, driverStats: { convRate: 0.04, avgDailyTrips: 40 } });
    expect(body.data.o5).toEqual({ driverRating: { rating: 0.5 }, driverStats: { convRate: 0.05, avgDailyTrips: 50 } });
  });

  it('are kept by training sets', async () => {
    const entities = join(dir, 'rows.csv');
    writeFileSync(entities, `driver_id,event_timestamp\n3,${new Date().toISOString()}\n4,${new Date().toISOString()}\n`);
    const out = join(dir, 'train.csv');
    await exportTrainingSet(
      openOfflineStore(sql),
      repo,
      { entities: { csvFile: entities }, features: ['driver_rating:rating', 'driver_stats:conv_rate'] },
      out,
    );
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(2))).toEqual([
      ['NaN', 'Infinity'],
      ['-Infinity', '0.04'],
    ]);
  });
});
