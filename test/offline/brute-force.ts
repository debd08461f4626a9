import type { FeatureValue } from '../../src/definitions/values.js';

/** A source row as the oracle sees it. */
export interface SourceRow {
  readonly keys: readonly string[];
  readonly eventTs: Date;
  readonly createdTs: Date | null;
  /** All features of the view, in declaration order. */
  readonly values: readonly FeatureValue[];
}

const cmpValue = (a: FeatureValue, b: FeatureValue): number => {
  // Nulls are the least (DESC NULLS LAST); strings compare bytewise (test strings are ASCII).
  if (a === null && b === null) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
};

/** docs/semantics.md order, with featuregraph's documented tie rule: event, created (null least), then each feature. */
export const compareSourceRows = (a: SourceRow, b: SourceRow): number => {
  const e = a.eventTs.getTime() - b.eventTs.getTime();
  if (e !== 0) return e;
  const ca = a.createdTs?.getTime() ?? -Infinity;
  const cb = b.createdTs?.getTime() ?? -Infinity;
  if (ca !== cb) return ca < cb ? -1 : 1;
  for (let i = 0; i < a.values.length; i++) {
    const c = cmpValue(a.values[i] ?? null, b.values[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
};

/**
 * The point-in-time row of docs/semantics.md, by brute force over every source row; `asOf` after `now`
 * is clamped. `asKnownAt`: only rows whose created time (event time when none) is at or before the as-of time.
 */
export const bruteForce = (
  rows: readonly SourceRow[],
  keys: readonly string[],
  asOf: Date,
  ttlSeconds: number,
  now: Date,
  asKnownAt = false,
): SourceRow | null => {
  const t = Math.min(asOf.getTime(), now.getTime());
  let best: SourceRow | null = null;
  for (const r of rows) {
    if (r.keys.length !== keys.length || r.keys.some((k, i) => k !== keys[i])) continue;
    const ts = r.eventTs.getTime();
    if (ts > t || (ttlSeconds > 0 && ts < t - ttlSeconds * 1000)) continue;
    if (asKnownAt && (r.createdTs?.getTime() ?? ts) > t) continue;
    if (!best || compareSourceRows(r, best) > 0) best = r;
  }
  return best;
};

/** Materialization by brute force: per key, the greatest row with `eventFrom <= event_ts <= end` (and the `since` filter). */
export const bruteForceLatest = (
  rows: readonly SourceRow[],
  window: { eventFrom: Date | null; end: Date; since?: { createdFrom: Date | null; eventFrom: Date } },
): Map<string, SourceRow> => {
  const best = new Map<string, SourceRow>();
  for (const r of rows) {
    const ts = r.eventTs.getTime();
    if (ts > window.end.getTime() || (window.eventFrom && ts < window.eventFrom.getTime())) continue;
    if (window.since) {
      const newEvent = ts >= window.since.eventFrom.getTime();
      const newCreated =
        window.since.createdFrom !== null && r.createdTs !== null && r.createdTs.getTime() >= window.since.createdFrom.getTime();
      if (!newEvent && !newCreated) continue;
    }
    const k = r.keys.join('|');
    const cur = best.get(k);
    if (!cur || compareSourceRows(r, cur) > 0) best.set(k, r);
  }
  return best;
};
