import type { FeatureValue } from '../../definitions/values.js';
import type { TrainingBatch } from '../training-set.js';
import { binaryDecoder, type FieldDecoder } from './binary-copy.js';
import type { TrainingPlan } from './feature-refs.js';
import { resultColumns, viewTsAlias, type OutputColumn } from './query.js';

/** How to read the join statement's result: a decoder per result column, and where each value goes. */
export interface RowLayout {
  readonly decoders: readonly FieldDecoder[];
  /** Turn decoded result tuples into output rows (in `columns` order) and per-view event times. */
  batch(tuples: readonly FeatureValue[][]): TrainingBatch;
}

export const rowLayout = (plan: TrainingPlan, extras: number, columns: readonly OutputColumn[]): RowLayout => {
  const result = resultColumns(plan, extras);
  const at = (alias: string): number => {
    const i = result.findIndex((c) => c.sqlAlias === alias);
    if (i < 0) throw new Error(`no result column ${alias}`);
    return i;
  };
  const cols = columns.map((c) => at(c.sqlAlias));
  const tsCols = plan.views.map((_, v) => at(viewTsAlias(v)));
  return {
    decoders: result.map((c) => binaryDecoder(c.type)),
    batch(tuples) {
      const rows: FeatureValue[][] = new Array<FeatureValue[]>(tuples.length);
      const viewEventTs: (Date | null)[][] = new Array<(Date | null)[]>(tuples.length);
      for (let r = 0; r < tuples.length; r++) {
        const f = tuples[r] as FeatureValue[];
        const row = new Array<FeatureValue>(cols.length);
        for (let i = 0; i < cols.length; i++) row[i] = f[cols[i] as number] ?? null;
        rows[r] = row;
        const ts = new Array<Date | null>(tsCols.length);
        for (let i = 0; i < tsCols.length; i++) ts[i] = (f[tsCols[i] as number] ?? null) as Date | null;
        viewEventTs[r] = ts;
      }
      return { rows, viewEventTs };
    },
  };
};
