import type { ResolvedRepository, ViewSpec } from '../definitions/resolve.js';
import { getWatermark, recordMaterialization, setWatermark } from '../registry/index.js';
import type { OnlineStore } from '../online/store.js';
import type { SqlClient } from '../sql/client.js';
import { materializeView, type MaterializeProgress, type MaterializeResult } from './batch.js';

export { latestRowsQuery, materializeView, type MaterializeProgress, type MaterializeResult } from './batch.js';

export interface MaterializeViewsOptions {
  /** Required unless incremental. */
  readonly start?: Date;
  readonly end: Date;
  /** Continue from each view's watermark instead of `start`. */
  readonly incremental?: boolean;
  /** View names (default: every online view). */
  readonly views?: readonly string[];
  readonly batchSize?: number;
  readonly onProgress?: (p: MaterializeProgress) => void;
}

/** Pick the views to materialize, rejecting unknown or offline-only names with the valid ones listed. */
export const selectViews = (repo: ResolvedRepository, names?: readonly string[]): ViewSpec[] => {
  const online = repo.views.filter((v) => v.online);
  if (!names?.length) return online;
  const unknown = names.filter((n) => !online.some((v) => v.name === n));
  if (unknown.length)
    throw new Error(`unknown or offline-only view(s): ${unknown.join(', ')}; online views are: ${online.map((v) => v.name).join(', ')}`);
  return online.filter((v) => names.includes(v.name));
};

/**
 * Materialize views one after another (DESIGN §1). Incremental runs start at the view's watermark:
 * on ingestion time when the source has a created timestamp, so rows that arrive late with an old event
 * time are still picked up; on event time otherwise. The first incremental run starts at end - ttl
 * (all history for ttl 0). The watermark moves to `end` only after the view's run succeeded.
 */
export const materializeViews = async (
  fs: { sql: SqlClient; online: OnlineStore; repo: ResolvedRepository },
  opts: MaterializeViewsOptions,
): Promise<MaterializeResult[]> => {
  const views = selectViews(fs.repo, opts.views);
  if (!opts.incremental && !opts.start) throw new Error('materialize needs a start time');
  await fs.online.prepare(views);
  const results: MaterializeResult[] = [];
  for (const view of views) {
    let start = opts.start ?? new Date(0);
    const byCreated = !!opts.incremental && view.source.createdTimestampColumn !== null;
    if (opts.incremental) {
      const wm = await getWatermark(fs.sql, fs.repo.project, view.name);
      start = wm ?? (view.ttlSeconds > 0 ? new Date(opts.end.getTime() - view.ttlSeconds * 1000) : new Date(0));
      // A first run on ingestion time must still see every row inside the ttl window, whenever it was ingested.
      if (!wm && byCreated) start = new Date(0);
    }
    const result = await materializeView(fs.sql, fs.online, view, {
      start,
      end: opts.end,
      windowColumn: byCreated ? 'created' : 'event',
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
    if (opts.incremental) await setWatermark(fs.sql, fs.repo.project, view.name, opts.end);
    await recordMaterialization(fs.sql, fs.repo.project, view.name, { start, end: opts.end, rowCount: result.written });
    results.push(result);
  }
  return results;
};
