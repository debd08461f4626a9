import type { FeatureValue } from '../../definitions/values.js';
import type { OnlineRecord } from '../../online/store.js';
import type { OfflineStore } from '../store.js';
import type { OutputColumn } from './output-columns.js';
import type { RelationPlan } from './relation-refs.js';
import type { TrainingBatch, TrainingSetSink } from './types.js';

/**
 * A sink that adds the features reached through relations (docs/offline-stores.md, "Features through a
 * relation") to joined rows, then hands them to `sink`. Hop by hop, per batch: the first hop's key is a joined
 * column of the row (`trip_facts__driver_id`), each further hop's key a feature of the view the previous hop
 * reached; each reached view is read with the store's `pointInTime` AT THE ENTITY ROW'S TIME (clamped to
 * `now` as every read is), so nothing leaks through a relation. A null key reaches nothing: the reached
 * features are null. The store routes each read to the engine serving the view, so a hop may cross engines
 * (a Postgres view referencing a driver whose stats live in Parquet).
 */
export const relationSink = (
  store: OfflineStore,
  plan: RelationPlan,
  sink: TrainingSetSink,
  options: { readonly now: Date; readonly asKnownAt?: boolean },
): TrainingSetSink => {
  let tsAt = -1;
  let baseViews = 0;
  /** Base column index of each kept output column, then the relation columns. */
  let keep: number[] = [];
  let parentAt: number[] = [];
  return {
    async start(columns, views, total) {
      const at = (name: string) => columns.findIndex((c) => c.name === name);
      tsAt = columns.findIndex((c) => c.kind === 'timestamp');
      baseViews = views.length;
      keep = columns.flatMap((c, i) => (plan.hidden.includes(c.name) ? [] : [i]));
      parentAt = plan.nodes.map((n) => ('column' in n.parent ? at(n.parent.column) : -1));
      const extra = plan.columns.map((c): OutputColumn => ({ name: c.name, kind: 'feature', type: c.type, sqlAlias: '' }));
      await sink.start([...keep.map((i) => columns[i] as OutputColumn), ...extra], [...views, ...plan.nodes.map((n) => n.label)], total);
    },
    async write(batch) {
      const n = batch.length;
      const records: (OnlineRecord | null)[][] = [];
      for (const [k, node] of plan.nodes.entries()) {
        const key = (r: number): FeatureValue => {
          const p = node.parent;
          if ('column' in p) return batch.value(r, parentAt[k] as number);
          return records[p.node]?.[r]?.values[p.feature] ?? null;
        };
        // One read per distinct (key, time) of the batch: entity rows often repeat both.
        const requests: { keys: string[]; asOf: Date }[] = [];
        const slot = new Map<string, number>();
        const which = new Int32Array(n).fill(-1);
        for (let r = 0; r < n; r++) {
          const v = key(r);
          if (v === null) continue;
          const t = batch.value(r, tsAt) as Date;
          const id = `${String(v)}\u0000${t.getTime()}`;
          let s = slot.get(id);
          if (s === undefined) {
            s = requests.push({ keys: [String(v)], asOf: t }) - 1;
            slot.set(id, s);
          }
          which[r] = s;
        }
        const got =
          requests.length === 0
            ? []
            : await store.pointInTime(node.view, requests, node.features, {
                now: options.now,
                ...(options.asKnownAt !== undefined ? { asKnownAt: options.asKnownAt } : {}),
              });
        records.push(Array.from(which, (s) => (s < 0 ? null : (got[s] ?? null))));
      }
      const width = keep.length;
      const value = (r: number, c: number): FeatureValue => {
        if (c < width) return batch.value(r, keep[c] as number);
        const col = plan.columns[c - width];
        if (!col) throw new RangeError(`no column ${c}`);
        return records[col.node]?.[r]?.values[col.feature] ?? null;
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
