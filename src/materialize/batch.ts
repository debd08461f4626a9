import { quoteIdent, type ViewSpec } from '../definitions/resolve.js';
import { fromSql, encodeEntityKey, canonicalKeyPart, type FeatureValue } from '../definitions/values.js';
import { latestFirstOrder } from '../offline/ordering.js';
import type { OnlineRow, OnlineStore } from '../online/store.js';
import type { SqlClient } from '../sql/client.js';

export interface MaterializeProgress {
  readonly view: string;
  readonly rows: number;
  readonly written: number;
  readonly done: boolean;
  readonly elapsedMs: number;
}

export interface MaterializeOptions {
  readonly start: Date;
  readonly end: Date;
  /** Which column bounds the window: the event time (default) or the created time (incremental runs). */
  readonly windowColumn?: 'event' | 'created';
  readonly batchSize?: number;
  readonly onProgress?: (p: MaterializeProgress) => void;
}

export interface MaterializeResult {
  readonly view: string;
  readonly rows: number;
  readonly written: number;
  readonly skipped: number;
  readonly elapsedMs: number;
}

/**
 * The per-key latest row of a view among source rows with start <= ts <= end (DESIGN §1), in the one
 * deterministic order, as a SELECT the cursor streams.
 */
export const latestRowsQuery = (view: ViewSpec, windowColumn: 'event' | 'created' = 'event'): string => {
  const keys = view.keys.map((k) => `s.${quoteIdent(k.column)}`);
  const ev = `s.${quoteIdent(view.source.eventTimestampColumn)}`;
  const cr = view.source.createdTimestampColumn ? `s.${quoteIdent(view.source.createdTimestampColumn)}` : 'NULL::timestamptz';
  const bound = windowColumn === 'created' && view.source.createdTimestampColumn ? cr : ev;
  const cols = [
    ...keys.map((k, i) => `${k} AS k${i}`),
    `${ev} AS event_ts`,
    `${cr} AS created_ts`,
    ...view.features.map((f, i) => `s.${quoteIdent(f.column)} AS f${i}`),
  ];
  return (
    `SELECT DISTINCT ON (${keys.join(', ')}) ${cols.join(', ')} FROM ${view.source.relation} s ` +
    `WHERE ${bound} >= $1 AND ${bound} <= $2 AND ${keys.map((k) => `${k} IS NOT NULL`).join(' AND ')} ` +
    `ORDER BY ${keys.join(', ')}, ${latestFirstOrder(view, 's')}`
  );
};

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));

/** Decode one streamed source row into an online row. */
const onlineRow = (view: ViewSpec, r: Record<string, unknown>): OnlineRow => {
  const parts = view.keys.map((k, i) => {
    const c = canonicalKeyPart(k.type, k.type.name === 'String' ? String(r[`k${i}`]) : r[`k${i}`]);
    return 'value' in c ? c.value : String(r[`k${i}`]);
  });
  const values: Record<string, FeatureValue> = {};
  view.features.forEach((f, i) => (values[f.name] = fromSql(f.type, r[`f${i}`])));
  return { key: encodeEntityKey(parts), eventTs: toDate(r.event_ts), createdTs: r.created_ts == null ? null : toDate(r.created_ts), values };
};

/**
 * Copy the per-key latest rows of one view in [start, end] into the online store, streaming through a
 * cursor so memory stays bounded. Idempotent: write-if-newer makes a re-run a no-op.
 */
export const materializeView = async (sql: SqlClient, online: OnlineStore, view: ViewSpec, opts: MaterializeOptions): Promise<MaterializeResult> => {
  const t0 = Date.now();
  let rows = 0;
  let written = 0;
  let pending: Promise<unknown> = Promise.resolve();
  for await (const batch of sql.cursor<Record<string, unknown>>(latestRowsQuery(view, opts.windowColumn), [opts.start, opts.end], opts.batchSize)) {
    const decoded = batch.map((r) => onlineRow(view, r));
    // Overlap the next FETCH with this batch's write.
    await pending;
    pending = online.write(view, decoded).then((w) => {
      written += w.written;
      rows += decoded.length;
      opts.onProgress?.({ view: view.name, rows, written, done: false, elapsedMs: Date.now() - t0 });
    });
  }
  await pending;
  const elapsedMs = Date.now() - t0;
  opts.onProgress?.({ view: view.name, rows, written, done: true, elapsedMs });
  return { view: view.name, rows, written, skipped: rows - written, elapsedMs };
};
