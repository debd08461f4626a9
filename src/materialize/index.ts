import type { ResolvedRepository, ViewSpec } from '../definitions/resolve.js';
import { getWatermark, recordMaterialization, setWatermark } from '../registry/index.js';
import type { OnlineStore, PopulationMarker } from '../online/store.js';
import type { AggregationSpec } from '../definitions/aggregation-spec.js';
import type { SqlClient } from '../sql/client.js';
import type { OfflineStore } from '../offline/store.js';
import { openOfflineStore } from '../offline/index.js';
import { materializeView, type MaterializeProgress, type MaterializeResult } from './batch.js';
import { endsNow, materializeAggregation } from './aggregation.js';
import { eventCutoff } from '../online/aggregation/events.js';
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
  /** What the run did with the store's marker (docs/writes.md, "The self-healing online store"). */
  readonly onMarker?: (outcome: MarkerOutcome) => void;
}

/**
 * The marker says the store holds a complete materialization (self-heal.ts). `written`: this run rebuilt
 * every view in full and wrote it. `kept`: a partial run left the marker that was there. `absent`: a partial
 * run onto a store without one left it absent (the store holds no complete materialization: `serve` heals
 * it, or a full run marks it). `none`: the store keeps no marker (SQL).
 */
export type MarkerOutcome = 'written' | 'kept' | 'absent' | 'none';

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
  const marker = fs.online.marker;
  // A reconnect during the run may be a Redis that restarted empty: what was written before it is gone.
  // Taken once connected (a new client connects with its first request), so only later reconnects count.
  if (marker?.connection) await marker.present();
  const connection = marker?.connection?.();
  const startedAt = Date.now();
  try {
    const runs = await materializeEach(fs, offline, views, opts);
    for (const a of aggregations) runs.push(await materializeAggregation(offline, fs.online, a, opts));
    // Only now, with every feature view AND every aggregation view rebuilt: a process that sees the marker
    // serves at once, so written any earlier it would serve the views still being rebuilt as empty.
    let outcome: MarkerOutcome = 'none';
    if (marker) {
      const full =
        views.length === fs.repo.views.filter((v) => v.online).length &&
        aggregations.length === fs.repo.aggregationViews.length &&
        marker.connection?.() === connection &&
        (await coversEverything(offline, views, aggregations, opts, startedAt, marker));
      if (full) {
        await marker.write();
        outcome = 'written';
      } else outcome = (await marker.present()) ? 'kept' : 'absent';
    }
    opts.onMarker?.(outcome);
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
  return results;
};

/**
 * Whether a run over every view rebuilt each in full: not incremental, up to now, and from a start no later
 * than any row still served — for a feature view, the newest source row before `start` is absent or older
 * than its ttl; for an aggregation view, `start` is at or before its longest window. Asked only while the
 * store has no marker (a partial run onto a marked store leaves the marker as it is).
 */
const coversEverything = async (
  offline: OfflineStore,
  views: readonly ViewSpec[],
  aggregations: readonly AggregationSpec[],
  opts: MaterializeViewsOptions,
  startedAt: number,
  marker: PopulationMarker,
): Promise<boolean> => {
  if (opts.incremental || !opts.start || !endsNow(opts.end, startedAt)) return false;
  const start = opts.start;
  if (start.getTime() <= 0) return true;
  if (await marker.present()) return false;
  const now = Date.now();
  for (const a of aggregations) if (start.getTime() > eventCutoff(a, now)) return false;
  for (const v of views) {
    const before = await offline.newestEventTime(v, new Date(start.getTime() - 1));
    if (before && (v.ttlSeconds === 0 || before.getTime() >= now - v.ttlSeconds * 1000)) return false;
  }
  return true;
};
