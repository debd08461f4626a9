import type { ViewSpec } from '../definitions/resolve.js';

/**
 * Which source rows a materialization run reads. Every run reads rows with `eventFrom <= event_ts <= end`
 * (docs/semantics.md: the online value after a run is the point-in-time value as of `end`, so no row from after
 * `end` may reach the store). An incremental run after the first also narrows to rows that are new since
 * the previous run (`since`).
 */
export interface MaterializeWindow {
  /** Inclusive lower bound on event time; null = none (ttl 0, all history). */
  readonly eventFrom: Date | null;
  /** Inclusive upper bound on event time. */
  readonly end: Date;
  /**
   * Only rows ingested at or after `createdFrom` (sources with a created timestamp) or with an event time
   * at or after `eventFrom`. The second half catches rows ingested before the last run with an event time
   * after its `end` (future-dated rows), which that run had to leave out.
   */
  readonly since?: { readonly createdFrom: Date | null; readonly eventFrom: Date };
}

/** How far before the watermark an incremental run reads again, by default: 5 minutes. */
export const DEFAULT_OVERLAP_SECONDS = 300;

const maxDate = (a: Date | null, b: Date | null): Date | null => (a === null ? b : b === null ? a : a > b ? a : b);

/** The ttl window of the point-in-time value as of `end`: event times before it cannot be online anyway. */
export const ttlStart = (view: ViewSpec, end: Date): Date | null =>
  view.ttlSeconds > 0 ? new Date(end.getTime() - view.ttlSeconds * 1000) : null;

/**
 * The window of an incremental run of `view` up to `end`, from its watermark (null before the first run).
 *
 * - First run: every row in the ttl window as of `end`, whatever its created time (the first run must see
 *   rows ingested long ago). Before, a first run on ingestion time read all history with no event bound.
 * - Later runs, source with a created timestamp: rows ingested since `watermark - overlap` (late rows with
 *   an old event time included), or with an event time since the watermark, within the ttl window.
 * - Later runs, no created timestamp: the window runs on event time, from `watermark - overlap`. A row that
 *   arrives with an event time older than that is never picked up — the documented limitation of sources
 *   without a created timestamp; give the source one to materialize late rows.
 *
 * The overlap re-reads rows a previous run may have missed though their created time is before its
 * watermark: rows of transactions that committed after that run's snapshot (Postgres `now()` is the
 * transaction's start) and rows stamped by writers whose clocks lag the database's. Re-reading is safe:
 * write-if-newer makes a repeated row a no-op.
 */
export const incrementalWindow = (view: ViewSpec, end: Date, watermark: Date | null, overlapSeconds: number): MaterializeWindow => {
  const eventFrom = ttlStart(view, end);
  if (!watermark) return { eventFrom, end };
  const reread = new Date(watermark.getTime() - overlapSeconds * 1000);
  if (!view.source.createdTimestampColumn) return { eventFrom: maxDate(eventFrom, reread), end };
  return { eventFrom, end, since: { createdFrom: reread, eventFrom: watermark } };
};

/**
 * Where the next incremental run continues from: `end`, but never later than the database's clock when
 * the run's snapshot was taken. With an `end` in the future (or a client clock ahead of the database's),
 * rows ingested after the snapshot with a created time before `end` would otherwise be skipped for good.
 */
export const nextWatermark = (end: Date, snapshotAt: Date): Date => (snapshotAt < end ? snapshotAt : end);
