import type { AggregationSpec } from '../../definitions/aggregation-spec.js';

/**
 * Tiles of the Redis online store (docs/aggregations.md, "Online"): per entity, aggregation view and tile,
 * the count, per statistics field its sum, non-null count, min and max, and the tile's last event. Tiles are
 * aligned to the epoch (UTC) and nest: 1 minute, 10 minutes, 1 hour, 1 day. A window `(t − w, t]` is the
 * half-open millisecond range `[t − w + 1, t + 1)`; the read script (redis-read-script.ts, `decompose`) covers
 * it exactly with the largest whole tiles that fit, and the raw events of the two partial minutes at its edges
 * are read beside them.
 */
export const TILE_LEVELS_MS = [60_000, 600_000, 3_600_000, 86_400_000] as const;
export const DAY_MS = 86_400_000;

/** The tile sizes a view keeps: the minute always, larger ones only when a window is at least that long. */
export const tileLevels = (spec: AggregationSpec): number[] =>
  TILE_LEVELS_MS.filter((l, i) => i === 0 || l <= spec.maxWindowSeconds * 1000);

/** `(t − w, t]` as the half-open millisecond range `[lo, hi)`. */
export const windowRange = (t: number, windowSeconds: number): [number, number] => [t - windowSeconds * 1000 + 1, t + 1];
