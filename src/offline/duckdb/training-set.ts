import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureValue } from '../../definitions/values.js';
import type { ValueType } from '../../definitions/value-types.js';
import { extraColumns } from '../training/entity-input.js';
import { TrainingSetError } from '../training/errors.js';
import type { TrainingPlan } from '../training/feature-refs.js';
import { rowLayout } from '../training/decode-rows.js';
import { extraCol, keyCol, outputColumns, resultColumns } from '../training/output-columns.js';
import { phaseTracker } from '../training/progress.js';
import type { TrainingSetOptions, TrainingSetRequest, TrainingSetSink } from '../training/types.js';
import { withValidatedRows, type ValidatedRows } from '../training/validated-input.js';
import type { DuckDb } from './connection.js';
import { withViewsSql } from './point-in-time.js';
import { duckTypeOf, duckValue, F, lit, outExpr, tsLiteral } from './relation.js';

/** Write the validated rows, numbered from 1, as the CSV file DuckDB loads the entity table from. */
const writeEntityCsv = async (rows: ValidatedRows, file: string): Promise<void> => {
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined);
  let ord = 0;
  for await (const batch of rows.batches()) {
    let text = '';
    for (const line of batch) text += `${++ord},${line}\n`;
    if (!out.write(text)) await Promise.race([once(out, 'drain'), failed]);
  }
  await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
};

/**
 * The join of every entity row to the plan's file-source views, as ONE DuckDB statement: each view adds its
 * point-in-time columns to the entity rows in turn (`withPointInTimeSql`), in ordinal order. Columns as
 * `resultColumns` lists them.
 */
const joinSql = (plan: TrainingPlan, extras: number, now: Date, asKnownAt: boolean | undefined): string => {
  const select = [
    'e.ord',
    'e.ln',
    ...plan.keys.map((_, i) => `e.${keyCol(i)}`),
    'e.ts_ms',
    ...Array.from({ length: extras }, (_, i) => `e.${extraCol(i)}`),
  ];
  // Entity times after `now` are clamped to it, as for every as-of read.
  const rows = withViewsSql(
    plan,
    `(SELECT *, LEAST(epoch_ms(ts_ms), ${tsLiteral(now)}) AS fg_t FROM fg_entity_rows)`,
    asKnownAt,
    (sel) => sel.features,
  );
  plan.views.forEach((sel, v) => {
    select.push(`epoch_ms(e.v${v}_fg_ts)`);
    for (const f of sel.features) select.push(outExpr(f.type, `e.v${v}_${F(sel.view.features.indexOf(f))}`));
  });
  return `SELECT ${select.join(', ')} FROM ${rows} e ORDER BY e.ord`;
};

/** How a result column's DuckDB values become what its column store keeps. */
const converter = (t: ValueType | 'number'): ((v: unknown) => FeatureValue) => {
  if (t === 'number') return (v) => (v === null ? null : Number(v));
  if (t.kind === 'scalar' && ['Int32', 'Int64', 'Float32', 'Float64', 'Bool', 'String'].includes(t.name)) return (v) => v as FeatureValue;
  if (t.kind === 'scalar' && t.name === 'Timestamp') return (v) => (v === null ? null : Number(v));
  return (v) => duckValue(t, v);
};

/**
 * A training set over file-source views (docs/offline-stores.md): entity rows from memory or a file are
 * validated once, loaded into DuckDB from a temporary CSV file, joined in one statement, and streamed to
 * the sink a DuckDB chunk at a time (bounded memory on the Node side; DuckDB spills past its memory limit).
 */
export const duckTrainingSet = (
  db: DuckDb,
  plan: TrainingPlan,
  request: TrainingSetRequest,
  sink: TrainingSetSink,
  options: TrainingSetOptions = {},
): Promise<{ rows: number }> => {
  if ('sql' in request.entities)
    throw new TrainingSetError(
      'UNSUPPORTED',
      'entity rows from a SQL query run on Postgres; views over Parquet files take entity rows from a file or from memory',
    );
  return withValidatedRows(plan, request.entities, options, async (validated) => {
    const rows = validated as ValidatedRows;
    const extras = extraColumns(rows.input.columns(), plan.keys);
    const columns = rows.passThrough.annotate(outputColumns(plan, extras));
    const layout = rowLayout(plan, extras.length, columns, rows.input.unit);
    const result = resultColumns(plan, extras.length);
    const convert = result.slice(1).map((c) => converter(c.sqlAlias === 'ln' ? 'number' : c.type));
    const dir = await mkdtemp(join(tmpdir(), 'featuregraph-duckdb-'));
    try {
      const file = join(dir, 'entities.csv');
      await writeEntityCsv(rows, file);
      await sink.start(
        columns,
        plan.views.map((v) => v.view.name),
        rows.total,
      );
      const t = phaseTracker(options.progress, 'write', rows.total);
      let done = 0;
      const conn = await db.connection();
      try {
        const types = [
          `'ord': 'BIGINT'`,
          `'ln': 'BIGINT'`,
          ...plan.keys.map((k, i) => `'${keyCol(i)}': '${duckTypeOf(k.type)}'`),
          `'ts_ms': 'BIGINT'`,
          ...extras.map((_, i) => `'${extraCol(i)}': 'VARCHAR'`),
        ];
        // Postgres COPY's CSV: an unquoted empty field is NULL, a quoted one an empty string.
        await conn.run(
          `CREATE TEMP TABLE fg_entity_rows AS SELECT * FROM read_csv(${lit(file)}, header = false, delim = ',', quote = '"', escape = '"', ` +
            `allow_quoted_nulls = false, auto_detect = false, columns = {${types.join(', ')}})`,
        );
        const stream = await conn.stream(joinSql(plan, extras.length, request.now ?? new Date(), request.asKnownAt));
        for (;;) {
          const chunk = await stream.fetchChunk();
          if (!chunk || chunk.rowCount === 0) break;
          const n = chunk.rowCount;
          const stores = layout.stores(n);
          const cols = chunk.getColumns();
          for (let c = 1; c < cols.length; c++) {
            const values = cols[c] as unknown[];
            const store = stores[c - 1];
            const conv = convert[c - 1];
            if (!store || !conv) throw new Error(`training set: unexpected result column ${c}`);
            for (let r = 0; r < n; r++) store.put(r, conv(values[r]));
          }
          await sink.write(layout.batch(stores, 0, n));
          t.tick((done += n));
        }
      } finally {
        conn.closeSync();
      }
      t.end(done);
      return { rows: done };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
};
