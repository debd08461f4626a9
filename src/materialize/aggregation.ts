import type { AggregationSpec } from '../definitions/aggregation-spec.js';
import type { OfflineStore } from '../offline/store.js';
import { eventCutoff } from '../online/aggregation/events.js';
import { PUSH_MAX_FUTURE_MS } from '../online/push-validate.js';
import type { OnlineStore } from '../online/store.js';
import { MATERIALIZE_BATCH, type MaterializeProgress, type MaterializeResult } from './batch.js';

/** A run whose end is at most a minute before now is a run "up to now" (the self-heal's, a plain `materialize`). */
export const endsNow = (end: Date, now: number): boolean => end.getTime() >= now - 60_000;

/**
 * Rebuild an aggregation view's online state from its raw events (docs/aggregations.md, "Materialization"):
 * the events of the longest window before `end` (and after `start`, when later), written as pushes write
 * them. Idempotent — an event already online (same entity and id) is not counted again — so it also heals
 * a Redis that lost its data, and an incremental run simply re-reads the window.
 */
export const materializeAggregation = async (
  offline: OfflineStore,
  online: OnlineStore,
  spec: AggregationSpec,
  opts: { readonly start?: Date; readonly end: Date; readonly batchSize?: number; readonly onProgress?: (p: MaterializeProgress) => void },
): Promise<MaterializeResult> => {
  const now = Date.now();
  const windowStart = eventCutoff(spec, Math.min(opts.end.getTime(), now));
  const from = new Date(Math.max(windowStart, (opts.start?.getTime() ?? windowStart + 1) - 1));
  // A run up to now (the self-heal's, a plain `materialize`) also takes the events pushed ahead of the clock,
  // which pushes accept up to PUSH_MAX_FUTURE_MS: online they are in the tiles already and count once their
  // time comes, so a rebuild must not lose them.
  const until = endsNow(opts.end, now) ? new Date(Math.max(opts.end.getTime(), now + PUSH_MAX_FUTURE_MS)) : opts.end;
  let rows = 0;
  let written = 0;
  for await (const batch of offline.events(spec, from, until, opts.batchSize ?? MATERIALIZE_BATCH)) {
    written += (await online.writeEvents(spec, batch)).written;
    rows += batch.length;
    opts.onProgress?.({ view: spec.name, rows, written, done: false, elapsedMs: Date.now() - now });
  }
  const elapsedMs = Date.now() - now;
  opts.onProgress?.({ view: spec.name, rows, written, done: true, elapsedMs });
  return { view: spec.name, rows, written, skipped: rows - written, elapsedMs };
};
