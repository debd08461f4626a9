import type { FeatureValue } from '../../definitions/values.js';
import { OnDemandTransformError, runTransform } from '../../definitions/transform.js';
import { TrainingSetError } from './errors.js';
import type { OnlineRecord } from '../../online/store.js';
import type { OfflineStore } from '../store.js';
import type { AggregationPlan } from './aggregation-refs.js';
import type { OutputColumn } from './output-columns.js';
import type { TrainingSetSink } from './types.js';
import { extendedBatch, readPerDistinctRow } from './after-join.js';

/**
 * A sink that adds aggregation outputs (docs/aggregations.md, "In training sets") to joined rows, then hands
 * them to `sink`. Per batch and aggregation view: the distinct (key, entity time) pairs of the batch are read
 * with ONE call of the store's `aggregate` (one LATERAL statement on Postgres and PGlite), which clamps the
 * times to `now` and computes every window `(t − w, t]` from the raw events exactly as `asOf` does. Columns
 * listed in `plan.hidden` are dropped; the aggregation columns follow the others, and each aggregation view
 * joins the view list with the window end t as its event time. On-demand views that read aggregation outputs
 * (docs/aggregations.md, "In on-demand views") run their transform here, row by row, on the joined rows of
 * their feature-view inputs (null when the view had no row), the aggregation records and the typed request
 * columns.
 */
export const aggregationSink = (
  store: OfflineStore,
  plan: AggregationPlan,
  sink: TrainingSetSink,
  options: { readonly now: Date },
): TrainingSetSink => {
  let tsAt = -1;
  let baseViews = 0;
  /** Base column index of each kept output column. */
  let keep: number[] = [];
  /** Per aggregation view, the base column of each of its join keys. */
  let keyAt: number[][] = [];
  /** Per on-demand view, where each input comes from and where each request argument is. */
  let onDemandAt: {
    inputs: ({ alias: string; view: number; features: { name: string; at: number }[] } | { alias: string; spec: number })[];
    request: { name: string; at: number }[];
  }[] = [];
  let rowsSeen = 0;
  return {
    async start(columns, views, total) {
      tsAt = columns.findIndex((c) => c.kind === 'timestamp');
      baseViews = views.length;
      keep = columns.flatMap((c, i) => (plan.hidden.includes(c.name) ? [] : [i]));
      keyAt = plan.specs.map((s) =>
        s.events.keys.map((k) => {
          const i = columns.findIndex((c) => c.kind === 'key' && c.name === k.joinKey);
          if (i < 0) throw new Error(`training set: no join key column ${k.joinKey} for aggregation view ${s.name}`);
          return i;
        }),
      );
      const at = (name: string, kind?: OutputColumn['kind']) => {
        const i = columns.findIndex((c) => c.name === name && (kind === undefined || c.kind === kind));
        if (i < 0) throw new Error(`training set: no joined column ${name}`);
        return i;
      };
      onDemandAt = plan.onDemand.map((o) => ({
        inputs: o.inputs.map((i) =>
          'spec' in i
            ? i
            : { alias: i.alias, view: views.indexOf(i.view), features: i.features.map((f) => ({ name: f.name, at: at(f.column) })) },
        ),
        request: o.spec.request.map((r) => ({ name: r.name, at: at(r.name, 'request') })),
      }));
      const extra = plan.columns.map(
        (c): OutputColumn => ({ name: c.name, kind: c.kind === 'output' ? 'feature' : 'onDemand', type: c.type, sqlAlias: '' }),
      );
      await sink.start([...keep.map((i) => columns[i] as OutputColumn), ...extra], [...views, ...plan.specs.map((s) => s.name)], total);
    },
    async write(batch) {
      const n = batch.length;
      const records: (OnlineRecord | null)[][] = [];
      for (const [k, spec] of plan.specs.entries()) {
        const at = keyAt[k] as number[];
        records.push(
          await readPerDistinctRow(
            n,
            (r) => {
              const keys = at.map((c) => batch.value(r, c));
              return keys.some((v) => v === null) ? null : keys;
            },
            (r) => batch.value(r, tsAt) as Date,
            (requests) => store.aggregate(spec, requests, { now: options.now }),
          ),
        );
      }
      // On-demand outputs, per row (only when the plan has such views): an error names the first bad row.
      const computed: Record<string, FeatureValue>[][] = onDemandAt.map(() => []);
      for (let r = 0; r < n && onDemandAt.length > 0; r++)
        for (const [k, o] of onDemandAt.entries()) {
          const spec = (plan.onDemand[k] as AggregationPlan['onDemand'][number]).spec;
          const inputs: Record<string, Record<string, FeatureValue> | null> = {};
          for (const i of o.inputs) {
            if ('spec' in i) inputs[i.alias] = records[i.spec]?.[r]?.values ?? null;
            else if (batch.eventTs(r, i.view) === null) inputs[i.alias] = null;
            else inputs[i.alias] = Object.fromEntries(i.features.map((f) => [f.name, batch.value(r, f.at)]));
          }
          const request = Object.fromEntries(o.request.map((q) => [q.name, batch.value(r, q.at)]));
          try {
            (computed[k] as Record<string, FeatureValue>[])[r] = runTransform(spec, inputs, request);
          } catch (err) {
            if (err instanceof OnDemandTransformError)
              throw new TrainingSetError('TRANSFORM_FAILED', `entity rows, row ${rowsSeen + r + 1}: ${err.message}`);
            throw err;
          }
        }
      rowsSeen += n;
      const out = extendedBatch(
        batch,
        keep,
        plan.columns.length,
        (r, i) => {
          const col = plan.columns[i] as AggregationPlan['columns'][number];
          if (col.kind === 'onDemand') return computed[col.onDemand]?.[r]?.[col.feature] ?? null;
          return records[col.spec]?.[r]?.values[col.output] ?? null;
        },
        baseViews,
        records,
      );
      await sink.write(out);
    },
  };
};
