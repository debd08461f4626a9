import type { ResolvedRepository } from '../definitions/resolve.js';
import type { FeatureValue } from '../definitions/values.js';
import type { SqlClient } from '../sql/client.js';
import { openOfflineStore } from './index.js';
import type { OfflineStore } from './store.js';
import { aggregationSink } from './training/aggregation-outputs.js';
import { joinThenExtend } from './training/after-join.js';
import { checkEntityFile } from './training/entity-input.js';
import { relationSink } from './training/relation-hops.js';
import { planTrainingRequest } from './training/relation-refs.js';
import type { OutputColumn } from './training/output-columns.js';
import type { TrainingSetOptions, TrainingSetRequest, TrainingSetSink } from './training/types.js';

export type { EntityInput } from './training/entity-input.js';
export type { OutputColumn } from './training/output-columns.js';
export type { ProgressEvent, ProgressReporter } from './training/progress.js';
export type { TrainingBatch, TrainingSetOptions, TrainingSetRequest, TrainingSetSink } from './training/types.js';
export { TrainingSetError } from './training/errors.js';

/** An offline store, or a SQL client (its Postgres/PGlite tables, plus Parquet file sources through DuckDB). */
export type OfflineTarget = OfflineStore | SqlClient;

export const storeOf = (target: OfflineTarget): { store: OfflineStore; owned: boolean } =>
  'engine' in target ? { store: target, owned: false } : { store: openOfflineStore(target), owned: true };

/**
 * Build a training set and stream it to `sink` in entity row order (duplicates kept): Feast's
 * get_historical_features. Each offline engine joins its own views (docs/offline-stores.md); on Postgres one
 * statement per chunk of entity rows, on DuckDB one ASOF JOIN statement. Features named through a relation
 * are read hop by hop after the join, per batch (docs/offline-stores.md, "Features through a relation"), and
 * so are aggregation outputs (docs/aggregations.md, "In training sets").
 */
export const streamTrainingSet = async (
  target: OfflineTarget,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  sink: TrainingSetSink,
  options: TrainingSetOptions = {},
): Promise<{ rows: number }> => {
  const { plan, relations, aggregations } = planTrainingRequest(repo, request);
  checkEntityFile(request.entities);
  const { store, owned } = storeOf(target);
  try {
    if (!relations && !aggregations) return await store.trainingSet(plan, request, sink, options);
    // Aggregation outputs first, then relation hops: the hops drop the first hops' key columns they read.
    return await joinThenExtend(store, plan, request, sink, options, (out, now) => {
      let s = out;
      if (relations)
        s = relationSink(store, relations, s, { now, ...(request.asKnownAt !== undefined ? { asKnownAt: request.asKnownAt } : {}) });
      if (aggregations) s = aggregationSink(store, aggregations, s, { now });
      return s;
    });
  } finally {
    if (owned) await store.close();
  }
};

/** A whole training set in memory, as objects keyed by column name: for small sets and tests. */
export const getHistoricalFeatures = async (
  target: OfflineTarget,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  options: TrainingSetOptions = {},
): Promise<{ columns: readonly OutputColumn[]; rows: Record<string, FeatureValue>[]; eventTimestamps: Record<string, Date | null>[] }> => {
  let columns: readonly OutputColumn[] = [];
  let views: readonly string[] = [];
  const rows: Record<string, FeatureValue>[] = [];
  const eventTimestamps: Record<string, Date | null>[] = [];
  await streamTrainingSet(
    target,
    repo,
    request,
    {
      start: (c, v) => {
        columns = c;
        views = v;
      },
      write: (b) => {
        for (let i = 0; i < b.length; i++) {
          rows.push(Object.fromEntries(columns.map((c, j) => [c.name, b.value(i, j)])));
          eventTimestamps.push(Object.fromEntries(views.map((v, j) => [v, b.eventTs(i, j)])));
        }
      },
    },
    options,
  );
  return { columns, rows, eventTimestamps };
};
