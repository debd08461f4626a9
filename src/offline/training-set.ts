import type { ResolvedRepository } from '../definitions/resolve.js';
import type { FeatureValue } from '../definitions/values.js';
import type { SqlClient } from '../sql/client.js';
import { csvRows, memoryRows, extraColumns, validatedRows, type EntityInput, type ReplayableRows } from './training/entity-input.js';
import { copyInto, int64AsNumber, type TupleTarget } from './training/binary-copy.js';
import { createSpill } from './training/spill.js';
import { runChunkPipeline } from './training/chunk-pipeline.js';
import { rowLayout, type RowLayout } from './training/decode-rows.js';
import { createEntityTable, ENTITY_TABLE, loadEntityChunk, loadEntityQuery, rowTaker } from './training/entity-table.js';
import { planTrainingSet, type TrainingPlan } from './training/feature-refs.js';
import { phaseTracker, type ProgressReporter } from './training/progress.js';
import { outputColumns, trainingSetQuery, type OutputColumn } from './training/query.js';
import { PassThroughTypes } from './training/pass-through-types.js';

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

/**
 * Some consecutive output rows. Values are read by row and output column (`columns` order); a batch keeps
 * its chunk's decoded columns, so a sink that formats or copies values makes no per-row objects.
 */
export interface TrainingBatch {
  readonly length: number;
  /** Output column `column` of row `row` (0 <= row < length). */
  value(row: number, column: number): FeatureValue;
  /** Row `row` as an array aligned with `columns`. */
  row(row: number): FeatureValue[];
  /** The event time of the source row view `view` (in `views` order) gave row `row`, or null. */
  eventTs(row: number, view: number): Date | null;
}

export interface TrainingSetSink {
  start(columns: readonly OutputColumn[], views: readonly string[], total: number): void | Promise<void>;
  write(batch: TrainingBatch): void | Promise<void>;
}

export interface TrainingSetOptions {
  readonly progress?: ProgressReporter;
  /** Rows decoded and handed to the sink at a time. */
  readonly batchSize?: number;
  /** Entity rows joined per statement (default 100,000). */
  readonly chunkRows?: number;
  /** Connections used at once for file or in-memory entity rows on Postgres (default 2; PGlite has one). */
  readonly concurrency?: number;
}

const DEFAULT_BATCH = 5000;
/**
 * Entity rows per chunk: one statement each. Every chunk's probes walk the sources' indexes in key order, so
 * fewer, larger chunks re-read fewer pages; 100k rows still fit Postgres' default 8 MB of temporary buffers.
 */
const DEFAULT_CHUNK_ROWS = 100_000;

async function* replay(batches: string[][]): AsyncIterable<string[]> {
  // Hand each batch out once, so it can be collected as soon as it is loaded.
  for (let i = 0; i < batches.length; i++) {
    const b = batches[i] as string[];
    batches[i] = [];
    yield b;
  }
}

const replayable = (input: EntityInput): ReplayableRows | null =>
  'rows' in input ? memoryRows(input.rows) : 'csvFile' in input ? csvRows(input.csvFile) : null;

/**
 * Build a training set and stream it to `sink` in entity row order (duplicates kept).
 * Rows from memory or a file are validated completely before any query. Then they are loaded with COPY,
 * a chunk at a time, into a temporary table on one of `concurrency` connections sharing one snapshot;
 * each chunk is joined point-in-time to every selected view in ONE statement whose result streams back as
 * binary COPY while the probes run (no final sort on the server), straight into the chunk's typed column
 * stores, placed by ordinal. Entity rows whose newest source rows tie are joined again, exactly, in one
 * small statement. The connections' statements run side by side; chunks are handed to the sink in order,
 * so memory stays bounded by `concurrency` chunks.
 * An entity SQL query runs on one connection, its result joined a chunk of ordinals at a time.
 */
export const streamTrainingSet = async (
  sql: SqlClient,
  repo: ResolvedRepository,
  request: TrainingSetRequest,
  sink: TrainingSetSink,
  options: TrainingSetOptions = {},
): Promise<{ rows: number }> => {
  const plan = planTrainingSet(repo, request);
  const now = request.now ?? new Date();
  const input = replayable(request.entities);
  let total = 0;
  // Every row is validated once, before any query; the load text of rows in memory is kept in memory, that
  // of a file in a temporary file (a file may be larger than memory).
  const kept: string[][] | null = request.entities && 'rows' in request.entities ? [] : null;
  const spill = input && !kept ? await createSpill() : null;
  const passThrough = new PassThroughTypes();
  try {
    if (input) {
      const t = phaseTracker(options.progress, 'validate', null);
      for await (const batch of validatedRows(input, plan.keys, plan.request, 'line 1', passThrough)) {
        kept?.push(batch);
        await spill?.write(batch);
        t.tick((total += batch.length));
      }
      await spill?.close();
      t.end(total);
    }
    const take = input ? rowTaker(kept ? replay(kept) : (spill as NonNullable<typeof spill>).batches()) : null;
    return await joinRows(sql, request, sink, options, { plan, now, input, total, take, passThrough });
  } finally {
    await spill?.remove();
  }
};

/** The join and the output of `streamTrainingSet`, once the entity rows were validated (`take` hands them out). */
const joinRows = async (
  sql: SqlClient,
  request: TrainingSetRequest,
  sink: TrainingSetSink,
  options: TrainingSetOptions,
  validated: {
    plan: TrainingPlan;
    now: Date;
    input: ReplayableRows | null;
    total: number;
    take: ((max: number) => Promise<string[] | null>) | null;
    passThrough: PassThroughTypes;
  },
): Promise<{ rows: number }> => {
  const { plan, now, input, take } = validated;
  let { total } = validated;
  let extras: string[] = input ? extraColumns(input.columns(), plan.keys) : [];
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  let nextOrd = 1;
  let loadedQuery = false;
  let started = false;
  let columns: OutputColumn[] = [];
  let layout: RowLayout | null = null;
  const start = async () => {
    if (started) return;
    started = true;
    columns = validated.passThrough.annotate(outputColumns(plan, extras));
    layout = rowLayout(plan, extras.length, columns, input?.unit ?? 'row');
    await sink.start(columns, plan.views.map((v) => v.view.name), total);
  };
  const t = phaseTracker(options.progress, 'write', input ? total : null);
  let done = 0;
  await runChunkPipeline(sql, {
    concurrency: input && sql.dialect === 'postgres' ? Math.max(1, options.concurrency ?? 2) : 1,
    async prepare(tx) {
      await tx.query(`SET LOCAL TIME ZONE 'UTC'`);
      // Many cheap index probes: JIT compilation would cost more than it saves; the chunk's sorts fit in memory.
      if (tx.dialect === 'postgres') await tx.query(`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
      if (input) await createEntityTable(tx, plan.keys, extras.length);
    },
    async load(tx, index) {
      if (take) {
        if (index > 0) await tx.query(`TRUNCATE ${ENTITY_TABLE}`);
        const n = await loadEntityChunk(tx, plan.keys.length, extras.length, take, nextOrd, chunkRows);
        if (n === 0) return null;
        // No ANALYZE: the join is LATERAL index probes whatever the table's size, so there is no plan to choose.
        nextOrd += n;
        return { lo: nextOrd - n, hi: nextOrd - 1 };
      }
      if (!loadedQuery) {
        loadedQuery = true;
        ({ count: total, extras } = await loadEntityQuery(tx, plan.keys, (request.entities as { sql: string }).sql));
        await tx.query(`ANALYZE ${ENTITY_TABLE}`);
      }
      if (nextOrd > total) return null;
      const lo = nextOrd;
      nextOrd = Math.min(total, lo + chunkRows - 1) + 1;
      return { lo, hi: nextOrd - 1 };
    },
    async collect(tx, range) {
      await start();
      const l = layout as RowLayout;
      const fromQuery = take === null;
      const n = range.hi - range.lo + 1;
      const stores = l.stores(n);
      // Rows stream out in probe order; each goes to its place by ordinal. An ordinal that comes twice had tied
      // newest source rows in some view: those entity rows are joined again, exactly, in one small statement.
      const seen = new Uint8Array(n);
      const tied: number[] = [];
      const place: TupleTarget = {
        row: (dv, pos) => {
          const r = int64AsNumber(dv, pos) - range.lo;
          if (!(r >= 0 && r < n)) throw new Error(`training set: result row for entity row ${r + range.lo}, outside chunk ${range.lo}..${range.hi}`);
          return r;
        },
        complete: (r) => {
          if (seen[r] === 0) seen[r] = 1;
          else if (seen[r] === 1) {
            seen[r] = 2;
            tied.push(r + range.lo);
          }
        },
      };
      await copyInto(tx.copyTo(trainingSetQuery(plan, extras.length, now, range, fromQuery)), stores, place);
      if (tied.length > 0) await copyInto(tx.copyTo(trainingSetQuery(plan, extras.length, now, { ords: tied }, fromQuery)), stores, place);
      const missing = seen.indexOf(0);
      if (missing >= 0) throw new Error(`training set: entity row ${range.lo + missing} came back without a result row`);
      return stores;
    },
    async emit(range, stores) {
      const l = layout as RowLayout;
      const size = options.batchSize ?? DEFAULT_BATCH;
      const n = range.hi - range.lo + 1;
      for (let from = 0; from < n; from += size) {
        const to = Math.min(n, from + size);
        await sink.write(l.batch(stores, from, to));
        done += to - from;
        t.tick(done);
      }
    },
  });
  await start();
  t.end(done);
  return { rows: done };
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
