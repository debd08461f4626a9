import { createBatchSpill } from './batch-spill.js';
import type { TrainingPlan } from './feature-refs.js';
import type { OfflineStore } from '../store.js';
import type { OutputColumn } from './output-columns.js';
import type { FeatureValue } from '../../definitions/values.js';
import type { OnlineRecord } from '../../online/store.js';
import type { TrainingBatch, TrainingSetOptions, TrainingSetRequest, TrainingSetSink } from './types.js';

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

/**
 * One store read per distinct (keys, time) of a batch of `n` rows (entity rows often repeat both); the record
 * each row gets, null where `keysOf` gives null (a null key reaches nothing).
 */
export const readPerDistinctRow = async <K extends FeatureValue>(
  n: number,
  keysOf: (row: number) => K[] | null,
  timeOf: (row: number) => Date,
  read: (requests: { keys: K[]; asOf: Date }[]) => Promise<readonly (OnlineRecord | null)[]>,
): Promise<(OnlineRecord | null)[]> => {
  const requests: { keys: K[]; asOf: Date }[] = [];
  const slot = new Map<string, number>();
  const which = new Int32Array(n).fill(-1);
  for (let r = 0; r < n; r++) {
    const keys = keysOf(r);
    if (keys === null) continue;
    const t = timeOf(r);
    const id = `${keys.map(String).join('\u0000')}\u0000${t.getTime()}`;
    let s = slot.get(id);
    if (s === undefined) {
      s = requests.push({ keys, asOf: t }) - 1;
      slot.set(id, s);
    }
    which[r] = s;
  }
  const got = requests.length === 0 ? [] : await read(requests);
  return Array.from(which, (s) => (s < 0 ? null : (got[s] ?? null)));
};

/**
 * A joined batch with added columns: the kept base columns (`keep`, base column indexes), then `extra`
 * columns whose values `extraValue` gives; views after the `baseViews` base ones take their event time from
 * `records` (one list per added view, by row).
 */
export const extendedBatch = (
  batch: TrainingBatch,
  keep: readonly number[],
  extra: number,
  extraValue: (row: number, column: number) => FeatureValue,
  baseViews: number,
  records: readonly (readonly (OnlineRecord | null)[])[],
): TrainingBatch => {
  const width = keep.length;
  const value = (r: number, c: number): FeatureValue => {
    if (c < width) return batch.value(r, keep[c] as number);
    if (c >= width + extra) throw new RangeError(`no column ${c}`);
    return extraValue(r, c - width);
  };
  return {
    length: batch.length,
    value,
    row: (r) => Array.from({ length: width + extra }, (_, c) => value(r, c)),
    eventTs: (r, v) => (v < baseViews ? batch.eventTs(r, v) : (records[v - baseViews]?.[r]?.eventTs ?? null)),
  };
};
