import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { Float32, Float64 } from '../../src/definitions/value-types.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import { parquetSink } from '../../src/offline/training/parquet-sink.js';
import type { OutputColumn } from '../../src/offline/training/output-columns.js';

describe('the Parquet training-set sink (docs/semantics.md: the float itself)', () => {
  it('keeps the sign of every zero, whichever zero a column starts with', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-parquet-sink-'));
    try {
      const file = join(dir, 'zeros.parquet');
      const columns: OutputColumn[] = [
        { name: 'f64', kind: 'feature', type: Float64, sqlAlias: 'a' },
        { name: 'f32', kind: 'feature', type: Float32, sqlAlias: 'b' },
      ];
      const rows: FeatureValue[][] = [
        [0, -0],
        [-0, 0],
        [1.5, -0],
        [-0, null],
        [0, 0],
      ];
      const sink = parquetSink(file);
      await sink.start(columns, [], rows.length);
      await sink.write({ length: rows.length, value: (r, c) => rows[r]![c]!, row: (r) => rows[r]!, eventTs: () => null });
      await sink.close();
      const got = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as { f64: number | null; f32: number | null }[];
      // Object.is tells -0 from 0.
      const signs = (xs: (number | null)[]) => xs.map((x) => (x === null ? 'null' : Object.is(x, -0) ? '-0' : String(x)));
      expect(signs(got.map((g) => g.f64))).toEqual(['0', '-0', '1.5', '-0', '0']);
      expect(signs(got.map((g) => g.f32))).toEqual(['-0', '0', '-0', 'null', '0']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
