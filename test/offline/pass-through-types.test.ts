import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedRepository } from '../../src/definitions/resolve.js';
import { exportTrainingSet } from '../../src/offline/export.js';
import { PassThroughTypes } from '../../src/offline/training/pass-through-types.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import { dropSchemas, uniqueProject } from '../support/env.js';
import { NOW, randomRows, rng, testRepository, writeSource } from './random-sources.js';

describe('pass-through column types', () => {
  it('infers the narrowest type every non-empty value parses as', () => {
    const t = new PassThroughTypes();
    const seen: Record<string, (string | null)[]> = {
      int: ['1', '-20', null, '0'],
      float: ['1', '2.5', '-1e3'],
      bool: ['true', 'FALSE', ''],
      mixed: ['1', 'true'],
      text: ['a', '1'],
      huge: ['9223372036854775808'],
      empty: [null, ''],
    };
    for (const [name, values] of Object.entries(seen)) for (const v of values) t.observe(name, v);
    expect(Object.keys(seen).map((n) => [n, t.typeOf(n)])).toEqual([
      ['int', 'Int64'],
      ['float', 'Float64'],
      ['bool', 'Bool'],
      ['mixed', 'String'],
      ['text', 'String'],
      ['huge', 'Float64'],
      ['empty', 'String'],
    ]);
  });

  describe('in a Parquet training set', () => {
    let sql: SqlClient;
    let schema: string;
    let repo: ResolvedRepository;
    const dir = mkdtempSync(join(tmpdir(), 'fg-pass-'));
    beforeAll(async () => {
      sql = await createPgliteClient();
      schema = uniqueProject('pt');
      repo = testRepository(schema);
      await sql.query(`CREATE SCHEMA "${schema}"`);
      const r = rng(3);
      for (const v of repo.views)
        await writeSource(
          sql,
          v,
          randomRows(
            r,
            v,
            20,
            v.keys.length === 1
              ? [['1'], ['2']]
              : [
                  ['1', 'g1'],
                  ['2', 'g2'],
                ],
          ),
        );
    });
    afterAll(async () => {
      await dropSchemas(sql, schema);
      await sql.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps numeric and boolean labels typed, and text that does not parse as text; CSV is unchanged', async () => {
      const file = join(dir, 'rows.csv');
      writeFileSync(
        file,
        'ent_id,event_timestamp,label,weight,clicked,note\n' +
          '1,2024-01-01T02:00:00Z,0,0.5,true,a\n' +
          '2,2024-01-01T03:00:00Z,1,,false,7\n' +
          '1,2024-01-01T03:00:00Z,12,2,TRUE,\n',
      );
      const request = { entities: { csvFile: file }, features: ['single:a'], now: NOW };
      const out = join(dir, 'train.parquet');
      await exportTrainingSet(sql, repo, request, out);
      const buffer = await asyncBufferFromFile(out);
      const types = Object.fromEntries((await parquetMetadataAsync(buffer)).schema.slice(1).map((s) => [s.name, s.type]));
      expect(types).toMatchObject({ label: 'INT64', weight: 'DOUBLE', clicked: 'BOOLEAN', note: 'BYTE_ARRAY' });
      const rows = await parquetReadObjects({ file: buffer });
      // An empty field is a missing number (null); a text column keeps it as the empty string, as before.
      expect(rows.map((r) => [r.label, r.weight ?? null, r.clicked, r.note])).toEqual([
        [0n, 0.5, true, 'a'],
        [1n, null, false, '7'],
        [12n, 2, true, ''],
      ]);
      const csvOut = join(dir, 'train.csv');
      await exportTrainingSet(sql, repo, request, csvOut);
      const lines = readFileSync(csvOut, 'utf8').trim().split('\n');
      expect(lines.map((l) => l.split(',').slice(2, 6).join(','))).toEqual([
        'label,weight,clicked,note',
        '0,0.5,true,a',
        '1,,false,7',
        '12,2,TRUE,',
      ]);
    });
  });
});
