import type { FeatureValue } from '../../definitions/values.js';
import { OnDemandTransformError, runTransform } from '../../definitions/transform.js';
import type { TrainingBatch } from '../training-set.js';
import { binaryDecoder, int64AsNumber, skipField, type FieldDecoder } from './binary-copy.js';
import { TrainingSetError } from './errors.js';
import type { TrainingPlan } from './feature-refs.js';
import { resultColumns, viewTsAlias, type OutputColumn } from './query.js';
import { requestValue } from './request-values.js';

/** How to read the join statement's result: a decoder per result column, and where each value goes. */
export interface RowLayout {
  readonly decoders: readonly FieldDecoder[];
  /**
   * Turn decoded result tuples into output rows (in `columns` order) and per-view event times: request
   * arguments typed, on-demand features computed by the view's transform on the row's point-in-time inputs.
   */
  batch(tuples: readonly FeatureValue[][]): TrainingBatch;
}

/** `unit` names a row in errors: `line` (a file) or `row`. */
export const rowLayout = (plan: TrainingPlan, extras: number, columns: readonly OutputColumn[], unit: 'line' | 'row'): RowLayout => {
  const result = resultColumns(plan, extras);
  const at = (alias: string): number => {
    const i = result.findIndex((c) => c.sqlAlias === alias);
    if (i < 0) throw new Error(`no result column ${alias}`);
    return i;
  };
  const lnAt = at('ln');
  const tsCols = plan.views.map((_, v) => at(viewTsAlias(v)));
  const requests = columns.flatMap((c) => (c.kind === 'request' ? [{ name: c.name, type: c.type, i: at(c.sqlAlias) }] : []));
  const onDemand = plan.onDemand.map((o) => ({
    spec: o.spec,
    // Per input alias: its view's event time (null: no row, the input is null) and features, by result column.
    inputs: o.inputs.map(({ alias, view }) => {
      const sel = plan.views[view] as TrainingPlan['views'][number];
      return { alias, ts: tsCols[view] as number, features: sel.features.map((f, j) => ({ name: f.name, i: at(`v${view}_f${j}`) })) };
    }),
  }));
  type Source = { kind: 'sql'; i: number } | { kind: 'request'; r: number } | { kind: 'onDemand'; o: number; name: string };
  // On-demand columns come last, in plan order (see outputColumns).
  const onDemandColumns = plan.onDemand.flatMap((o, i) => o.features.map((name) => ({ o: i, name })));
  let nextOnDemand = 0;
  const sources = columns.map((c): Source => {
    if (c.kind === 'request') return { kind: 'request', r: requests.findIndex((r) => r.name === c.name) };
    if (c.kind !== 'onDemand') return { kind: 'sql', i: at(c.sqlAlias) };
    return { kind: 'onDemand', ...(onDemandColumns[nextOnDemand++] as { o: number; name: string }) };
  });
  const where = (f: readonly FeatureValue[]) => `${unit} ${String(f[lnAt])}`;
  return {
    // The ordinal only orders the rows (the statement did that); the line number only names a row in errors.
    decoders: result.map((c, i) => (i === 0 ? skipField : i === lnAt ? int64AsNumber : binaryDecoder(c.type))),
    batch(tuples) {
      const rows: FeatureValue[][] = new Array<FeatureValue[]>(tuples.length);
      const viewEventTs: (Date | null)[][] = new Array<(Date | null)[]>(tuples.length);
      for (let r = 0; r < tuples.length; r++) {
        const f = tuples[r] as FeatureValue[];
        const req: Record<string, FeatureValue> = {};
        const reqValues = requests.map((q) => {
          const x = requestValue(q.type, f[q.i]);
          if ('error' in x) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${where(f)}, column "${q.name}": ${x.error}`);
          req[q.name] = x.value;
          return x.value;
        });
        const outputs = onDemand.map((o) => {
          const inputs: Record<string, Record<string, FeatureValue> | null> = {};
          for (const inp of o.inputs) {
            if (f[inp.ts] === null) inputs[inp.alias] = null;
            else {
              const values: Record<string, FeatureValue> = {};
              for (const x of inp.features) values[x.name] = f[x.i] ?? null;
              inputs[inp.alias] = values;
            }
          }
          try {
            return runTransform(o.spec, inputs, req);
          } catch (err) {
            if (err instanceof OnDemandTransformError) throw new TrainingSetError('TRANSFORM_FAILED', `entity rows, ${where(f)}: ${err.message}`);
            throw err;
          }
        });
        const row = new Array<FeatureValue>(sources.length);
        for (let i = 0; i < sources.length; i++) {
          const s = sources[i] as Source;
          row[i] = s.kind === 'sql' ? (f[s.i] ?? null) : s.kind === 'request' ? (reqValues[s.r] ?? null) : (outputs[s.o]?.[s.name] ?? null);
        }
        rows[r] = row;
        const ts = new Array<Date | null>(tsCols.length);
        for (let i = 0; i < tsCols.length; i++) ts[i] = (f[tsCols[i] as number] ?? null) as Date | null;
        viewEventTs[r] = ts;
      }
      return { rows, viewEventTs };
    },
  };
};
