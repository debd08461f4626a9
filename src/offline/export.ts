import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ResolvedRepository } from '../definitions/resolve.js';
import { csvSink } from './training/csv-sink.js';
import { checkEntityFile } from './training/entity-input.js';
import { parquetSink } from './training/parquet-sink.js';
import { planTrainingRequest } from './training/relation-refs.js';
import { phaseTracker } from './training/progress.js';
import { storeOf, streamTrainingSet, type OfflineTarget, type TrainingSetOptions, type TrainingSetRequest } from './training-set.js';

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
 * A CSV whose views all live on an engine that can write it natively (DuckDB) is written by that engine,
 * byte-identical (docs/offline-stores.md, "Speed").
 * Atomic (docs/writes.md): rows go to a temporary file beside `out`, renamed over it only when the whole
 * set is written; on any failure the temporary file is removed and an existing `out` is left as it was.
 */
export const exportTrainingSet = async (
  target: OfflineTarget,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  out: string,
  options: TrainingSetOptions & { format?: TrainingSetFormat; native?: boolean } = {},
): Promise<{ rows: number }> => {
  const format = options.format ?? formatOf(out);
  // Said of `out` itself, before any work: the temporary file's name below is ours, not the user's.
  const dir = dirname(out);
  const where = await stat(dir).catch(() => null);
  if (!where) throw new Error(`the output directory does not exist: ${dir} (for ${out})`);
  if (!where.isDirectory()) throw new Error(`the output's directory is not a directory: ${dir} (for ${out})`);
  if ((await stat(out).catch(() => null))?.isDirectory()) throw new Error(`the output is a directory: ${out} (give a file name)`);
  checkEntityFile(request.entities);
  // Same directory, so the rename is atomic (same file system); hidden, so nobody picks it up half-written.
  const tmp = join(dir, `.${basename(out)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  track(tmp);
  try {
    const result = await writeTo(target, repo, request, tmp, format, options);
    await rename(tmp, out);
    return result;
  } finally {
    pending.delete(tmp);
    await rm(tmp, { force: true });
  }
};

const writeTo = async (
  target: OfflineTarget,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  file: string,
  format: TrainingSetFormat,
  options: TrainingSetOptions & { native?: boolean },
): Promise<{ rows: number }> => {
  if (format === 'csv' && options.native !== false) {
    const { plan, relations, aggregations } = planTrainingRequest(repo, request);
    const { store, owned } = storeOf(target);
    try {
      const t = phaseTracker(options.progress, 'write', null);
      // Relation hops and aggregation outputs are added in the row stream (training/after-join.ts): streaming path.
      const done = store.exportCsv && !relations && !aggregations ? await store.exportCsv(plan, request, file) : null;
      if (done) {
        t.end(done.rows);
        return done;
      }
      return await streamTo(store, repo, request, file, format, options);
    } finally {
      if (owned) await store.close();
    }
  }
  return streamTo(target, repo, request, file, format, options);
};

const streamTo = async (
  target: OfflineTarget,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  file: string,
  format: TrainingSetFormat,
  options: TrainingSetOptions,
): Promise<{ rows: number }> => {
  const sink = format === 'parquet' ? parquetSink(file) : csvSink(file);
  try {
    return await streamTrainingSet(target, repo, request, sink, options);
  } finally {
    await sink.close();
  }
};
