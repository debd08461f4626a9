import type { ResolvedRepository } from '../definitions/resolve.js';
import { csvSink } from './training/csv-sink.js';
import { parquetSink } from './training/parquet-sink.js';
import { streamTrainingSet, type OfflineTarget, type TrainingSetOptions, type TrainingSetRequest } from './training-set.js';

export type TrainingSetFormat = 'csv' | 'parquet';

/** The format a file name asks for: `.parquet` → Parquet, anything else CSV. */
export const formatOf = (file: string): TrainingSetFormat => (/\.parquet$/i.test(file) ? 'parquet' : 'csv');

/** Write a training set to `out` as CSV or Parquet, streaming (bounded memory). Returns the row count. */
export const exportTrainingSet = async (
  target: OfflineTarget,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  out: string,
  options: TrainingSetOptions & { format?: TrainingSetFormat } = {},
): Promise<{ rows: number }> => {
  const sink = (options.format ?? formatOf(out)) === 'parquet' ? parquetSink(out) : csvSink(out);
  try {
    return await streamTrainingSet(target, repo, request, sink, options);
  } finally {
    await sink.close();
  }
};
