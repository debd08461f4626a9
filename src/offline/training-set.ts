import type { ResolvedRepository } from '../definitions/resolve.js';
import { fromSql, type FeatureValue } from '../definitions/values.js';
import type { SqlClient } from '../sql/client.js';
import { csvRows, memoryRows, extraColumns, validatedRows, type EntityInput, type ReplayableRows } from './training/entity-input.js';
import { createEntityTable, ENTITY_TABLE, loadEntityQuery, loadEntityRows } from './training/entity-table.js';
import { TrainingSetError } from './training/errors.js';
import { planTrainingSet } from './training/feature-refs.js';
import { phaseTracker, type ProgressReporter } from './training/progress.js';
import { outputColumns, trainingSetQuery, viewTsAlias, type OutputColumn } from './training/query.js';

export type { EntityInput } from './training/entity-input.js';
export type { OutputColumn } from './training/query.js';
export type { ProgressEvent, ProgressReporter } from './training/progress.js';
export { TrainingSetError } from './training/errors.js';

/** Feast's get_historical_features: entity rows (join keys + `event_timestamp`) and the features to join. */
export interface TrainingSetRequest {
  readonly entities: EntityInput;
  /** `view:feature` references; or `service`. */
  readonly features?: readonly string[];
  readonly service?: string;
  /** Entity times after `now` are clamped to it (default: the current time). */
  readonly now?: Date;
}

/** Some output rows, each aligned with `columns`, plus the event time of the source row each view used. */
export interface TrainingBatch {
  readonly rows: readonly FeatureValue[][];
  /** Per row, per selected view (in `views` order): the chosen source row's event time, or null. */
  readonly viewEventTs: readonly (Date | null)[][];
}

export interface TrainingSetSink {
  start(columns: readonly OutputColumn[], views: readonly string[], total: number): void | Promise<void>;
  write(batch: TrainingBatch): void | Promise<void>;
}

export interface TrainingSetOptions {
  readonly progress?: ProgressReporter;
  /** Rows fetched from the cursor at a time (memory is bounded by this). */
  readonly batchSize?: number;
}

const DEFAULT_BATCH = 5000;

const replayable = (input: EntityInput): ReplayableRows | null =>
  'rows' in input ? memoryRows(input.rows) : 'csvFile' in input ? csvRows(input.csvFile) : null;

/**
 * Build a training set and stream it to `sink` in entity row order (duplicates kept).
 * Rows from memory or a file are validated completely before any query; then, in one transaction,
 * they are loaded into a temporary table with their ordinal, joined point-in-time to every selected
 * view in ONE statement, and read back through a cursor: memory stays bounded by the batch size.
 */
export const streamTrainingSet = async (
  sql: SqlClient,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  sink: TrainingSetSink,
  options: TrainingSetOptions = {},
): Promise<{ rows: number }> => {
  const plan = planTrainingSet(repo, request);
  if (plan.onDemand.length > 0)
    throw new TrainingSetError(
      'UNSUPPORTED',
      `on-demand features are not computed in training sets yet: ${plan.onDemand.map((o) => o.features.map((f) => `${o.view}:${f}`).join(', ')).join(', ')}`,
    );
  const now = request.now ?? new Date();
  const input = replayable(request.entities);
  let validated = 0;
  if (input) {
    const t = phaseTracker(options.progress, 'validate', null);
    for await (const _ of validatedRows(input, plan.keys, 'line 1')) t.tick(++validated);
    t.end(validated);
  }
  return sql.transaction(async (tx) => {
    await tx.query(`SET LOCAL TIME ZONE 'UTC'`);
    let total: number;
    let extras: string[];
    if (input) {
      extras = extraColumns(input.columns(), plan.keys);
      await createEntityTable(tx, plan.keys, extras.length);
      const t = phaseTracker(options.progress, 'load', validated);
      total = await loadEntityRows(tx, plan.keys, extras.length, validatedRows(input, plan.keys, 'line 1'), t.tick);
      t.end(total);
    } else {
      ({ count: total, extras } = await loadEntityQuery(tx, plan.keys, (request.entities as { sql: string }).sql));
    }
    // Temporary tables are never auto-analysed; the planner needs the row count to size the join.
    await tx.query(`ANALYZE ${ENTITY_TABLE}`);
    const columns = outputColumns(plan, extras);
    await sink.start(columns, plan.views.map((v) => v.view.name), total);
    const t = phaseTracker(options.progress, 'write', total);
    let done = 0;
    for await (const batch of tx.cursor<Record<string, unknown>>(trainingSetQuery(plan, extras.length), [now.toISOString()], options.batchSize ?? DEFAULT_BATCH)) {
      const rows = batch.map((r) => columns.map((c) => fromSql(c.type, r[c.sqlAlias])));
      const viewEventTs = batch.map((r) =>
        plan.views.map((_, v) => {
          const ts = r[viewTsAlias(v)];
          return ts === null || ts === undefined ? null : ts instanceof Date ? ts : new Date(ts as string);
        }),
      );
      await sink.write({ rows, viewEventTs });
      done += batch.length;
      t.tick(done);
    }
    t.end(done);
    return { rows: done };
  });
};

/** A whole training set in memory, as objects keyed by column name: for small sets and tests. */
export const getHistoricalFeatures = async (
  sql: SqlClient,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  options: TrainingSetOptions = {},
): Promise<{ columns: readonly OutputColumn[]; rows: Record<string, FeatureValue>[]; eventTimestamps: Record<string, Date | null>[] }> => {
  let columns: readonly OutputColumn[] = [];
  let views: readonly string[] = [];
  const rows: Record<string, FeatureValue>[] = [];
  const eventTimestamps: Record<string, Date | null>[] = [];
  await streamTrainingSet(
    sql,
    repo,
    request,
    {
      start: (c, v) => {
        columns = c;
        views = v;
      },
      write: (b) => {
        b.rows.forEach((r, i) => {
          rows.push(Object.fromEntries(columns.map((c, j) => [c.name, r[j] ?? null])));
          eventTimestamps.push(Object.fromEntries(views.map((v, j) => [v, b.viewEventTs[i]?.[j] ?? null])));
        });
      },
    },
    options,
  );
  return { columns, rows, eventTimestamps };
};
