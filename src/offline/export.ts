import type { ResolvedRepository } from '../definitions/resolve.js';
import { csvSink } from './training/csv-sink.js';
import { parquetSink } from './training/parquet-sink.js';
import { planTrainingSet } from './training/feature-refs.js';
import { phaseTracker } from './training/progress.js';
import { storeOf, streamTrainingSet, type OfflineTarget, type TrainingSetOptions, type TrainingSetRequest } from './training-set.js';

export type TrainingSetFormat = 'csv' | 'parquet';

/** The format a file name asks for: `.parquet` → Parquet, anything else CSV. */
export const formatOf = (file: string): TrainingSetFormat => (/\.parquet$/i.test(file) ? 'parquet' : 'csv');

/**
 * Write a training set to `out` as CSV or Parquet, streaming (bounded memory). Returns the row count.
 * A CSV whose views all live on an engine that can write it natively (DuckDB) is written by that engine,
 * byte-identical (docs/offline-stores.md, "Speed").
 */
export const exportTrainingSet = async (
  target: OfflineTarget,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  out: string,
  options: TrainingSetOptions & { format?: TrainingSetFormat; native?: boolean } = {},
): Promise<{ rows: number }> => {
  const format = options.format ?? formatOf(out);
  if (format === 'csv' && options.native !== false) {
    const plan = planTrainingSet(repo, request);
    const { store, owned } = storeOf(target);
    try {
      const t = phaseTracker(options.progress, 'write', null);
      const done = store.exportCsv ? await store.exportCsv(plan, request, out) : null;
      if (done) {
        t.end(done.rows);
        return done;
      }
      return await streamTo(store, repo, request, out, format, options);
    } finally {
      if (owned) await store.close();
    }
  }
  return streamTo(target, repo, request, out, format, options);
};

const streamTo = async (
  target: OfflineTarget,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  out: string,
  format: TrainingSetFormat,
  options: TrainingSetOptions,
): Promise<{ rows: number }> => {
  const sink = format === 'parquet' ? parquetSink(out) : csvSink(out);
  try {
    return await streamTrainingSet(target, repo, request, sink, options);
  } finally {
    await sink.close();
  }
};
