import type { PassThroughTypes } from '../training/pass-through-types.js';
import type { SqlClient } from '../../sql/client.js';
import { extraColumns, type ReplayableRows } from '../training/entity-input.js';
import { copyInto, int64AsNumber, type TupleTarget } from '../training/binary-copy.js';
import { runChunkPipeline } from './training/chunk-pipeline.js';
import { rowLayout, type RowLayout } from '../training/decode-rows.js';
import { createEntityTable, ENTITY_TABLE, loadEntityChunk, loadEntityQuery, rowTaker } from './training/entity-table.js';
import type { TrainingPlan } from '../training/feature-refs.js';
import { phaseTracker } from '../training/progress.js';
import { outputColumns, type OutputColumn } from '../training/output-columns.js';
import { trainingSetQuery } from './training/query.js';
import type { TrainingSetOptions, TrainingSetRequest, TrainingSetSink } from '../training/types.js';
import { withValidatedRows } from '../training/validated-input.js';

/**
 * Entity rows per chunk: one statement each. Every chunk's probes walk the sources' indexes in key order, so
 * fewer, larger chunks re-read fewer pages; 100k rows still fit Postgres' default 8 MB of temporary buffers.
 */
const DEFAULT_CHUNK_ROWS = 100_000;
const DEFAULT_BATCH = 5000;

/**
 * Build a training set on Postgres/PGlite and stream it to `sink` in entity row order (duplicates kept).
 * Rows from memory or a file are validated completely before any query. Then they are loaded with COPY,
 * a chunk at a time, into a temporary table on one of `concurrency` connections sharing one snapshot;
 * each chunk is joined point-in-time to every selected view in ONE statement whose result streams back as
 * binary COPY while the probes run (no final sort on the server), straight into the chunk's typed column
 * stores, placed by ordinal. Entity rows whose newest source rows tie are joined again, exactly, in one
 * small statement. The connections' statements run side by side; chunks are handed to the sink in order,
 * so memory stays bounded by `concurrency` chunks.
 * An entity SQL query runs on one connection, its result joined a chunk of ordinals at a time.
 */
export const postgresTrainingSet = (
  sql: SqlClient,
  plan: TrainingPlan,
  request: TrainingSetRequest,
  sink: TrainingSetSink,
  options: TrainingSetOptions = {},
): Promise<{ rows: number }> =>
  withValidatedRows(plan, request.entities, options, (validated) =>
    joinRows(sql, request, sink, options, {
      plan,
      now: request.now ?? new Date(),
      input: validated?.input ?? null,
      total: validated?.total ?? 0,
      take: validated ? rowTaker(validated.batches()) : null,
      passThrough: validated?.passThrough ?? null,
    }),
  );

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
    passThrough: PassThroughTypes | null;
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
    columns = validated.passThrough ? validated.passThrough.annotate(outputColumns(plan, extras)) : outputColumns(plan, extras);
    layout = rowLayout(plan, extras.length, columns, input?.unit ?? 'row');
    await sink.start(
      columns,
      plan.views.map((v) => v.view.name),
      total,
    );
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
          if (!(r >= 0 && r < n))
            throw new Error(`training set: result row for entity row ${r + range.lo}, outside chunk ${range.lo}..${range.hi}`);
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
      await copyInto(tx.copyTo(trainingSetQuery(plan, extras.length, now, range, fromQuery, request.asKnownAt)), stores, place);
      if (tied.length > 0)
        await copyInto(tx.copyTo(trainingSetQuery(plan, extras.length, now, { ords: tied }, fromQuery, request.asKnownAt)), stores, place);
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
