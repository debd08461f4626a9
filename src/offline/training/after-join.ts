import { createBatchSpill } from './batch-spill.js';
import type { TrainingPlan } from './feature-refs.js';
import type { OfflineStore } from '../store.js';
import type { OutputColumn } from './output-columns.js';
import type { TrainingSetOptions, TrainingSetRequest, TrainingSetSink } from './types.js';

/**
 * A training set with features added above the OfflineStore interface, per batch of joined rows: features
 * through relations (docs/offline-stores.md, "Features through a relation") and aggregation outputs
 * (docs/aggregations.md, "In training sets"). The engines join `plan` as usual, into a spill file on disk;
 * once they are done the rows are read back a batch at a time, passed through the sink `extend` makes (which
 * reads the store and adds its columns) and handed to `sink` in entity row order. The reads run after the
 * join, not during it, because an engine may hold its only connection while it streams (PGlite has one): a
 * read through the store then would wait forever. `extend` gets the one `now` of the join, so both clamp
 * entity times to the same instant.
 */
export const joinThenExtend = async (
  store: OfflineStore,
  plan: TrainingPlan,
  request: TrainingSetRequest,
  sink: TrainingSetSink,
  options: TrainingSetOptions,
  extend: (sink: TrainingSetSink, now: Date) => TrainingSetSink,
): Promise<{ rows: number }> => {
  const now = request.now ?? new Date();
  let started: { columns: readonly OutputColumn[]; views: readonly string[]; total: number } | null = null;
  const spill = await createBatchSpill(() => started?.views.length ?? 0);
  try {
    const { rows } = await store.trainingSet(
      plan,
      { ...request, now },
      {
        start: (columns, views, total) => void (started = { columns, views, total }),
        write: (b) => spill.write(b),
      },
      options,
    );
    await spill.close();
    if (!started) throw new Error('training set: the engine never started its output');
    const { columns, views, total } = started;
    const out = extend(sink, now);
    await out.start(columns, views, total);
    for await (const b of spill.batches()) await out.write(b);
    return { rows };
  } finally {
    await spill.remove();
  }
};
