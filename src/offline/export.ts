import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResolvedRepository } from '../definitions/resolve.js';
import type { SqlClient } from '../sql/client.js';
import { csvSink } from './training/csv-sink.js';
import { parquetSink } from './training/parquet-sink.js';
import { streamTrainingSet, type TrainingSetOptions, type TrainingSetRequest } from './training-set.js';

export type TrainingSetFormat = 'csv' | 'parquet';

/** The format a file name asks for: `.parquet` → Parquet, anything else CSV. */
export const formatOf = (file: string): TrainingSetFormat => (/\.parquet$/i.test(file) ? 'parquet' : 'csv');

// Temporary outputs still open; removed even when the process exits on an unexpected error or a signal.
const pending = new Set<string>();
let exitHook = false;
const track = (file: string) => {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const f of pending) rmSync(f, { force: true });
    });
  }
  pending.add(file);
};

/**
 * Write a training set to `out` as CSV or Parquet, streaming (bounded memory). Returns the row count.
 * Atomic (docs/writes.md): rows go to a temporary file beside `out`, renamed over it only when the whole
 * set is written; on any failure the temporary file is removed and an existing `out` is left as it was.
 */
export const exportTrainingSet = async (
  sql: SqlClient,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  out: string,
  options: TrainingSetOptions & { format?: TrainingSetFormat } = {},
): Promise<{ rows: number }> => {
  // Same directory, so the rename is atomic (same file system); hidden, so nobody picks it up half-written.
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  track(tmp);
  const sink = (options.format ?? formatOf(out)) === 'parquet' ? parquetSink(tmp) : csvSink(tmp);
  try {
    let result: { rows: number };
    try {
      result = await streamTrainingSet(sql, repo, request, sink, options);
    } finally {
      await sink.close();
    }
    await rename(tmp, out);
    return result;
  } finally {
    pending.delete(tmp);
    await rm(tmp, { force: true });
  }
};
