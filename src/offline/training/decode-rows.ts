import type { FeatureValue } from '../../definitions/values.js';
import { OnDemandTransformError, runTransform } from '../../definitions/transform.js';
import type { TrainingBatch } from './types.js';
import { columnStore, type ColumnStore } from './binary-copy.js';
import { TrainingSetError } from './errors.js';
import type { TrainingPlan } from './feature-refs.js';
import { resultColumns, viewTsAlias, type OutputColumn } from './output-columns.js';
import { requestValue } from './request-values.js';

/** How to keep the join statement's result for a chunk, and how to turn kept rows into output rows. */
export interface RowLayout {
  /** Stores for a chunk of `n` rows: one per result column after the ordinal (which places each row). */
  stores(n: number): ColumnStore[];
  /**
   * The kept rows `from <= r < to` as a batch: joined values are read from the stores when asked for;
   * request arguments are typed and on-demand features computed (by the view's transform, on the row's
   * point-in-time inputs) here, row by row, so an error names the first bad row.
   */
  batch(stores: readonly ColumnStore[], from: number, to: number): TrainingBatch;
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
  return {
    // The line number names a row in errors; it fits a JS number.
    stores: (n) => result.slice(1).map((c) => columnStore(c.sqlAlias === 'ln' ? 'number' : c.type, n)),
    batch(stores, from, to) {
      // Result column i is kept in stores[i - 1] (column 0, the ordinal, placed the row).
      const get = (i: number, r: number): FeatureValue => (stores[i - 1] as ColumnStore).get(r);
      const where = (r: number) => `${unit} ${String(get(lnAt, r))}`;
      const length = to - from;
      // Per row: typed request arguments, then each on-demand view's outputs (only when the plan has them).
      const computed: { req: FeatureValue[]; outputs: Record<string, FeatureValue>[] }[] = [];
      if (requests.length > 0 || onDemand.length > 0)
        for (let r = from; r < to; r++) {
          const req: Record<string, FeatureValue> = {};
          const reqValues = requests.map((q) => {
            const x = requestValue(q.type, get(q.i, r));
            if ('error' in x) throw new TrainingSetError('ENTITY_ROWS_INVALID', `entity rows, ${where(r)}, column "${q.name}": ${x.error}`);
            req[q.name] = x.value;
            return x.value;
          });
          const outputs = onDemand.map((o) => {
            const inputs: Record<string, Record<string, FeatureValue> | null> = {};
            for (const inp of o.inputs) {
              if (get(inp.ts, r) === null) inputs[inp.alias] = null;
              else {
                const values: Record<string, FeatureValue> = {};
                for (const x of inp.features) values[x.name] = get(x.i, r);
                inputs[inp.alias] = values;
              }
            }
            try {
              return runTransform(o.spec, inputs, req);
            } catch (err) {
              if (err instanceof OnDemandTransformError)
                throw new TrainingSetError('TRANSFORM_FAILED', `entity rows, ${where(r)}: ${err.message}`);
              throw err;
            }
          });
          computed.push({ req: reqValues, outputs });
        }
      const inBatch = (i: number) => {
        if (!(i >= 0 && i < length)) throw new RangeError(`row ${i} is outside this batch of ${length}`);
      };
      const value = (i: number, c: number): FeatureValue => {
        inBatch(i);
        const s = sources[c];
        if (!s) throw new RangeError(`no output column ${c}`);
        if (s.kind === 'sql') return get(s.i, from + i);
        const x = computed[i] as { req: FeatureValue[]; outputs: Record<string, FeatureValue>[] };
        return s.kind === 'request' ? (x.req[s.r] ?? null) : (x.outputs[s.o]?.[s.name] ?? null);
      };
      return {
        length,
        value,
        row: (i) => sources.map((_, c) => value(i, c)),
        eventTs: (i, v) => {
          inBatch(i);
          const col = tsCols[v];
          if (col === undefined) throw new RangeError(`no view ${v}`);
          return get(col, from + i) as Date | null;
        },
      };
    },
  };
};
