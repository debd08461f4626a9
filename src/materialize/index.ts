import type { ResolvedRepository, ViewSpec } from '../definitions/resolve.js';
import { getWatermark, recordMaterialization, setWatermark } from '../registry/index.js';
import type { OnlineStore } from '../online/store.js';
import type { SqlClient } from '../sql/client.js';
import type { OfflineStore } from '../offline/store.js';
import { openOfflineStore } from '../offline/index.js';
import { materializeView, type MaterializeProgress, type MaterializeResult } from './batch.js';
import { materializeAggregation } from './aggregation.js';
import { monitoringEvents } from '../monitoring/events.js';
import { DEFAULT_OVERLAP_SECONDS, incrementalWindow, nextWatermark, type MaterializeWindow } from './window.js';

export { materializeView, MATERIALIZE_BATCH, type MaterializeProgress, type MaterializeResult } from './batch.js';
export { DEFAULT_OVERLAP_SECONDS, incrementalWindow, nextWatermark, type MaterializeWindow } from './window.js';

export interface MaterializeViewsOptions {
  /** Required unless incremental. */
  readonly start?: Date;
  readonly end: Date;
  /** Continue from each view's watermark instead of `start`. */
  readonly incremental?: boolean;
  /** Incremental only: how far before the watermark to read again (default 300 s; see window.ts). */
  readonly overlapSeconds?: number;
  /** View names (default: every online view). */
  readonly views?: readonly string[];
  readonly batchSize?: number;
  readonly maxInFlight?: number;
  readonly onProgress?: (p: MaterializeProgress) => void;
}

/** A view's run: its result, or why it was skipped. */
export interface ViewRun extends MaterializeResult {
  /** Set when an incremental run had nothing to do: `end` is before the view's watermark. */
  readonly upToDate?: boolean;
}

/** Pick the views to materialize, rejecting unknown or offline-only names with the valid ones listed. */
export const selectViews = (repo: ResolvedRepository, names?: readonly string[]): ViewSpec[] => {
  const online = repo.views.filter((v) => v.online);
  if (!names?.length) return online;
  const unknown = names.filter((n) => !online.some((v) => v.name === n) && !repo.aggregationViews.some((a) => a.name === n));
  if (unknown.length)
    throw new Error(
      `unknown or offline-only view(s): ${unknown.join(', ')}; online views are: ${online.map((v) => v.name).join(', ') || '(none)'}`,
    );
  return online.filter((v) => names.includes(v.name));
};

/**
 * Materialize views one after another (docs/semantics.md). A plain run reads rows with start <= event time <= end.
 * An incremental run reads the window of `incrementalWindow` (window.ts): on ingestion time when the source
 * has a created timestamp, so rows that arrive late with an old event time are still picked up; on event
 * time otherwise. A view's watermark moves only after its whole run succeeded, so a failed run is simply
 * retried by the next one; it never moves backwards.
 */
export const materializeViews = async (
  fs: { sql: SqlClient; offline?: OfflineStore; online: OnlineStore; repo: ResolvedRepository },
  opts: MaterializeViewsOptions,
): Promise<ViewRun[]> => {
  const views = selectViews(fs.repo, opts.views);
  if (!opts.incremental && !opts.start) throw new Error('materialize needs a start time');
  if (opts.start && opts.start > opts.end) throw new Error(`start (${opts.start.toISOString()}) is after end (${opts.end.toISOString()})`);
  // An end in the future means "up to now" (materializeEach): a start in the future has nothing to copy yet.
  if (opts.start && opts.start.getTime() > Date.now())
    throw new Error(`start (${opts.start.toISOString()}) is in the future: no row can be materialized from it yet`);
  const aggregations = opts.views?.length ? fs.repo.aggregationViews.filter((a) => opts.views!.includes(a.name)) : fs.repo.aggregationViews;
  await fs.online.prepare(views, aggregations);
  // Without an offline store, the SQL client's (plus DuckDB for Parquet sources), closed at the end.
  const offline = fs.offline ?? openOfflineStore(fs.sql);
  try {
    const runs = await materializeEach(fs, offline, views, opts);
    for (const a of aggregations) runs.push(await materializeAggregation(offline, fs.online, a, opts));
    if (aggregations.length) await fs.online.marker?.write();
    return runs;
  } finally {
    if (!fs.offline) await offline.close();
  }
};

const materializeEach = async (
  fs: { sql: SqlClient; online: OnlineStore; repo: ResolvedRepository },
  offline: OfflineStore,
  views: readonly ViewSpec[],
  opts: MaterializeViewsOptions,
): Promise<ViewRun[]> => {
  const results: ViewRun[] = [];
  // An end in the future means "up to now", as an asOf in the future does (docs/semantics.md): a row dated
  // after now is not the point-in-time value of any t the online store serves, so it is not copied yet.
  const now = new Date();
  const end = opts.end > now ? now : opts.end;
  for (const view of views) {
    let window: MaterializeWindow = { eventFrom: opts.start ?? null, end };
    let watermark: Date | null = null;
    if (opts.incremental) {
      watermark = await getWatermark(fs.sql, fs.repo.project, view.name);
      if (watermark && end < watermark) {
        results.push({ view: view.name, rows: 0, written: 0, skipped: 0, elapsedMs: 0, upToDate: true });
        continue;
      }
      window = incrementalWindow(view, end, watermark, opts.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS);
    }
    // The store's clock (created timestamps are usually stamped by it), taken before the read's snapshot:
    // every row committed by then is visible to the run.
    const snapshotAt = opts.incremental ? await offline.clock() : end;
    const result = await materializeView(offline, fs.online, view, {
      window,
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      ...(opts.maxInFlight ? { maxInFlight: opts.maxInFlight } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    if (opts.incremental) {
      const next = nextWatermark(end, snapshotAt);
      if (!watermark || next > watermark) await setWatermark(fs.sql, fs.repo.project, view.name, next);
    }
    const start = window.since?.createdFrom ?? window.since?.eventFrom ?? window.eventFrom;
    await recordMaterialization(fs.sql, fs.repo.project, view.name, { start, end, rowCount: result.written });
    monitoringEvents.emit('materialized', { view: view.name, rows: result.written, elapsedMs: result.elapsedMs }); // for /metrics
    results.push(result);
  }
  // The store now holds materialized data; if it loses it (Redis restarted empty) the gateway notices.
  await fs.online.marker?.write();
  return results;
};
