import type { FeatureValue } from '../../definitions/values.js';
import type { OnlineRecord } from '../../online/store.js';
import type { OfflineStore } from '../store.js';
import type { AggregationPlan } from './aggregation-refs.js';
import type { OutputColumn } from './output-columns.js';
import type { TrainingBatch, TrainingSetSink } from './types.js';

/**
 * A sink that adds aggregation outputs (docs/aggregations.md, "In training sets") to joined rows, then hands
 * them to `sink`. Per batch and aggregation view: the distinct (key, entity time) pairs of the batch are read
 * with ONE call of the store's `aggregate` (one LATERAL statement on Postgres and PGlite), which clamps the
 * times to `now` and computes every window `(t − w, t]` from the raw events exactly as `asOf` does. Columns
 * listed in `plan.hidden` are dropped; the aggregation columns follow the others, and each aggregation view
 * joins the view list with the window end t as its event time.
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
      const extra = plan.columns.map((c): OutputColumn => ({ name: c.name, kind: 'feature', type: c.type, sqlAlias: '' }));
      await sink.start([...keep.map((i) => columns[i] as OutputColumn), ...extra], [...views, ...plan.specs.map((s) => s.name)], total);
    },
    async write(batch) {
      const n = batch.length;
      const records: (OnlineRecord | null)[][] = [];
      for (const [k, spec] of plan.specs.entries()) {
        const at = keyAt[k] as number[];
        // One request per distinct (key, time) of the batch: entity rows often repeat both.
        const requests: { keys: FeatureValue[]; asOf: Date }[] = [];
        const slot = new Map<string, number>();
        const which = new Int32Array(n).fill(-1);
        for (let r = 0; r < n; r++) {
          const keys = at.map((c) => batch.value(r, c));
          if (keys.some((v) => v === null)) continue;
          const t = batch.value(r, tsAt) as Date;
          const id = `${keys.map(String).join('\u0000')}\u0000${t.getTime()}`;
          let s = slot.get(id);
          if (s === undefined) {
            s = requests.push({ keys, asOf: t }) - 1;
            slot.set(id, s);
          }
          which[r] = s;
        }
        const got = requests.length === 0 ? [] : await store.aggregate(spec, requests, { now: options.now });
        records.push(Array.from(which, (s) => (s < 0 ? null : (got[s] ?? null))));
      }
      const width = keep.length;
      const value = (r: number, c: number): FeatureValue => {
        if (c < width) return batch.value(r, keep[c] as number);
        const col = plan.columns[c - width];
        if (!col) throw new RangeError(`no column ${c}`);
        return records[col.spec]?.[r]?.values[col.output] ?? null;
      };
      const out: TrainingBatch = {
        length: n,
        value,
        row: (r) => Array.from({ length: width + plan.columns.length }, (_, c) => value(r, c)),
        eventTs: (r, v) => (v < baseViews ? batch.eventTs(r, v) : (records[v - baseViews]?.[r]?.eventTs ?? null)),
      };
      await sink.write(out);
    },
  };
};
