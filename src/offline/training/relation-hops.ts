import type { FeatureValue } from '../../definitions/values.js';
import type { OnlineRecord } from '../../online/store.js';
import type { OfflineStore } from '../store.js';
import type { OutputColumn } from './output-columns.js';
import type { RelationPlan } from './relation-refs.js';
import type { TrainingSetSink } from './types.js';
import { extendedBatch, readPerDistinctRow } from './after-join.js';

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
        records.push(
          await readPerDistinctRow(
            n,
            (r) => {
              const v = key(r);
              return v === null ? null : [String(v)];
            },
            (r) => batch.value(r, tsAt) as Date,
            (requests) =>
              store.pointInTime(node.view, requests, node.features, {
                now: options.now,
                ...(options.asKnownAt !== undefined ? { asKnownAt: options.asKnownAt } : {}),
              }),
          ),
        );
      }
      const out = extendedBatch(
        batch,
        keep,
        plan.columns.length,
        (r, i) => {
          const col = plan.columns[i] as RelationPlan['columns'][number];
          return records[col.node]?.[r]?.values[col.feature] ?? null;
        },
        baseViews,
        records,
      );
      await sink.write(out);
    },
  };
};
