import { quoteIdent, type ViewSpec } from '../definitions/resolve.js';
import { fromSql, encodeEntityKey, canonicalKeyPart, type FeatureValue } from '../definitions/values.js';
import { latestFirstOrder } from '../offline/ordering.js';
import type { OnlineRow, OnlineStore } from '../online/store.js';
import type { SqlClient } from '../sql/client.js';
import type { MaterializeWindow } from './window.js';

export interface MaterializeProgress {
  readonly view: string;
  readonly rows: number;
  readonly written: number;
  readonly done: boolean;
  readonly elapsedMs: number;
}

export interface MaterializeOptions {
  /** Which source rows to read (see window.ts). */
  readonly window: MaterializeWindow;
  /** Rows per FETCH, and so per online write. */
  readonly batchSize?: number;
  /** Online writes in flight at once while the next batches are fetched and decoded. */
  readonly maxInFlight?: number;
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
 * The per-key latest row of a view among the source rows of `window` (docs/semantics.md), in the one deterministic
 * order, as a SELECT the cursor streams, with its parameters.
 */
export const latestRowsQuery = (view: ViewSpec, window: MaterializeWindow): { text: string; params: unknown[] } => {
  const keys = view.keys.map((k) => `s.${quoteIdent(k.column)}`);
  const ev = `s.${quoteIdent(view.source.eventTimestampColumn)}`;
  const cr = view.source.createdTimestampColumn ? `s.${quoteIdent(view.source.createdTimestampColumn)}` : null;
  const cols = [
    ...keys.map((k, i) => `${k} AS k${i}`),
    `${ev} AS event_ts`,
    `${cr ?? 'NULL::timestamptz'} AS created_ts`,
    ...view.features.map((f, i) => `s.${quoteIdent(f.column)} AS f${i}`),
  ];
  const params: unknown[] = [window.end];
  const where = [`${ev} <= $1`, ...keys.map((k) => `${k} IS NOT NULL`)];
  if (window.eventFrom) where.push(`${ev} >= $${params.push(window.eventFrom)}`);
  if (window.since) {
    // A row without a created time (NULL) is only caught by its event time.
    const newer = [`${ev} >= $${params.push(window.since.eventFrom)}`];
    if (cr && window.since.createdFrom) newer.unshift(`${cr} >= $${params.push(window.since.createdFrom)}`);
    where.push(`(${newer.join(' OR ')})`);
  }
  return {
    text:
      `SELECT DISTINCT ON (${keys.join(', ')}) ${cols.join(', ')} FROM ${view.source.relation} s ` +
      `WHERE ${where.join(' AND ')} ORDER BY ${keys.join(', ')}, ${latestFirstOrder(view, 's')}`,
    params,
  };
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

/** Default rows per FETCH: large enough to amortise the round trips, small enough to keep memory flat. */
export const MATERIALIZE_BATCH = 10_000;

/**
 * Copy the per-key latest rows of one view's window into the online store, streaming through a cursor so
 * memory stays bounded: at most `maxInFlight` batches being written plus the one being fetched. Writes of
 * several batches overlap each other and the next FETCH, so neither the database nor the online store waits
 * on the other. Idempotent: write-if-newer makes a re-run a no-op. On a failed write no further batch is
 * sent, the writes in flight are awaited, and the error is thrown.
 */
export const materializeView = async (sql: SqlClient, online: OnlineStore, view: ViewSpec, opts: MaterializeOptions): Promise<MaterializeResult> => {
  const t0 = Date.now();
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 2);
  let rows = 0;
  let written = 0;
  // A holder, not a `let`: it is set from write callbacks.
  const failed: { err?: unknown; yes: boolean } = { yes: false };
  const inFlight = new Set<Promise<void>>();
  const report = (done: boolean) => opts.onProgress?.({ view: view.name, rows, written, done, elapsedMs: Date.now() - t0 });
  const q = latestRowsQuery(view, opts.window);
  // Shown before the first FETCH: sorting a large source for DISTINCT ON takes a while.
  report(false);
  try {
    for await (const batch of sql.cursor<Record<string, unknown>>(q.text, q.params, opts.batchSize ?? MATERIALIZE_BATCH)) {
      const decoded = batch.map((r) => onlineRow(view, r));
      while (inFlight.size >= maxInFlight && !failed.yes) await Promise.race(inFlight);
      if (failed.yes) break;
      const p: Promise<void> = online.write(view, decoded).then(
        (w) => {
          written += w.written;
          rows += decoded.length;
          report(false);
        },
        (err: unknown) => {
          if (!failed.yes) Object.assign(failed, { yes: true, err });
        },
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  } finally {
    // Never return (or throw) with writes still running: the caller moves the watermark next.
    await Promise.all(inFlight);
  }
  if (failed.yes) throw failed.err;
  const elapsedMs = Date.now() - t0;
  report(true);
  return { view: view.name, rows, written, skipped: rows - written, elapsedMs };
};
