import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { runCli } from '../support/cli.js';
import { uniqueProject } from '../support/env.js';
import { createRelationSources } from '../support/relations-fixture.js';

const DEFS = join(import.meta.dirname, 'fixtures/relations-repository.ts');

/**
 * `featuregraph historical` with features through relations (docs/offline-stores.md, "Features through a
 * relation"), end to end on the embedded PGlite: the trip's driver changes between the two entity times, and
 * each row reads the stats of the driver it had at its own time.
 */
describe('historical: features through a relation, from the command line', () => {
  const schema = uniqueProject('relcli');
  let dir: string;
  const env = () => ({ FG_TEST_PROJECT: schema, FG_TEST_SCHEMA: schema });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fg-relcli-'));
    const sql = await createPgliteClient(join(dir, 'pglite'));
    await createRelationSources(sql, schema);
    await sql.query(`INSERT INTO "${schema}".trip_facts VALUES
      ('T1', '2025-01-01T10:00:00Z', NULL, 10.5, 1, 'C1'),
      ('T1', '2025-01-01T10:30:00Z', NULL, 11.5, 2, 'C1'),
      ('T2', '2025-01-01T10:00:00Z', NULL, 7, NULL, 'C2')`);
    await sql.query(`INSERT INTO "${schema}".driver_stats VALUES
      (1, '2025-01-01T10:05:00Z', NULL, 0.25, 'a'),
      (2, '2025-01-01T10:05:00Z', NULL, 0.75, 'b'),
      (2, '2025-01-01T10:40:00Z', NULL, 0.5, 'b')`);
    await sql.query(
      `INSERT INTO "${schema}".city_stats VALUES ('a', '2025-01-01T10:00:00Z', NULL, 1.5), ('b', '2025-01-01T10:00:00Z', NULL, 2), ('b', '2025-01-01T09:00:00Z', NULL, 9)`,
    );
    await sql.close();
    writeFileSync(
      join(dir, 'rows.csv'),
      'trip_id,event_timestamp,label\nT1,2025-01-01T10:20:00Z,0\nT1,2025-01-01T10:35:00Z,1\nT2,2025-01-01T10:20:00Z,0\nT1,2025-01-01T09:00:00Z,1\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const historical = async (features: string, out: string) => {
    const run = runCli(
      ['--definitions', DEFS, 'historical', '--entities', join(dir, 'rows.csv'), '--features', features, '--out', out, '--no-progress'],
      dir,
      env(),
    );
    return { code: await run.exited, output: run.output() };
  };

  it("writes one column per path, named view__relation__view__feature, each read as of its row's time", async () => {
    const out = join(dir, 'train.csv');
    const run = await historical(
      'trip_facts:fare,trip_facts.driver:driver_stats:conv_rate,trip_facts.driver:driver_stats.home_city:city_stats:surge',
      out,
    );
    expect(run.code, run.output).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual([
      'trip_id,event_timestamp,label,trip_facts__fare,trip_facts__driver__driver_stats__conv_rate,trip_facts__driver__driver_stats__home_city__city_stats__surge',
      // 10:20: driver 1 (trip row of 10:00), its stats of 10:05.
      'T1,2025-01-01T10:20:00.000Z,0,10.5,0.25,1.5',
      // 10:35: driver 2 (trip row of 10:30), its stats of 10:05 — not those of 10:40, after the row's time.
      'T1,2025-01-01T10:35:00.000Z,1,11.5,0.75,2',
      // A null driver reaches nothing.
      'T2,2025-01-01T10:20:00.000Z,0,7,,',
      // No trip row yet: nothing either.
      'T1,2025-01-01T09:00:00.000Z,1,,,',
    ]);
  }, 120_000);

  it('a bad path fails with the reason and writes nothing', async () => {
    const out = join(dir, 'bad.csv');
    const run = await historical('trip_facts.fare:driver_stats:conv_rate', out);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(
      /featuregraph: bad relation path: "trip_facts.fare:driver_stats:conv_rate": feature "trip_facts:fare" is not a reference/,
    );
    expect(() => readFileSync(out)).toThrow();
  }, 120_000);
});
