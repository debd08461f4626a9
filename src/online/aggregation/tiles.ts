import { createHash } from 'node:crypto';
import type { AggregationSpec } from '../../definitions/aggregation-spec.js';

/**
 * Tiles of the Redis online store (docs/aggregations.md, "Online"): per entity, aggregation view and tile,
 * the count, per statistics field its sum, non-null count, min and max, and the tile's last event. Tiles are
 * aligned to the epoch (UTC) and nest: 1 minute, 10 minutes, 1 hour, 1 day. A window `(t − w, t]` is the
 * half-open millisecond range `[t − w + 1, t + 1)`; `decompose` covers it exactly with the largest whole
 * tiles that fit and the raw events of the two partial minutes at its edges.
 */
export const TILE_LEVELS_MS = [60_000, 600_000, 3_600_000, 86_400_000] as const;
export const DAY_MS = 86_400_000;

/** The tile sizes a view keeps: the minute always, larger ones only when a window is at least that long. */
export const tileLevels = (spec: AggregationSpec): number[] =>
  TILE_LEVELS_MS.filter((l, i) => i === 0 || l <= spec.maxWindowSeconds * 1000);

const layoutTags = new WeakMap<AggregationSpec, string>();
/**
 * A tag of what an aggregation view's Redis state is laid out by (docs/aggregations.md, "Online: Redis"): its
 * event fields and their types (a raw event's text, the tie key, a tile's last event), the fields whose
 * statistics tiles keep, and the tile levels. It is part of the view's keys, so a redefinition that changes
 * any of them starts on keys of its own — rebuilt by `materialize` from the raw events — instead of reading
 * tiles of another layout; the old keys expire. Descriptions and windows within the same levels keep it.
 */
export const aggregationLayoutTag = (spec: AggregationSpec): string => {
  let tag = layoutTags.get(spec);
  if (tag === undefined) {
    const layout = {
      fields: spec.events.features.map((f) => [f.name, f.type.kind === 'list' ? `${f.type.of.name}[]` : f.type.name]),
      stats: spec.statFields,
      levels: tileLevels(spec),
    };
    tag = createHash('sha256').update(JSON.stringify(layout)).digest('hex').slice(0, 8);
    layoutTags.set(spec, tag);
  }
  return tag;
};

export interface TileRef {
  readonly level: number;
  readonly index: number;
}

export interface Decomposition {
  readonly tiles: TileRef[];
  /** Half-open `[from, to)` ms ranges whose raw events are read. */
  readonly raw: [number, number][];
}

const floorTo = (x: number, s: number) => Math.floor(x / s) * s;
const ceilTo = (x: number, s: number) => Math.ceil(x / s) * s;

/** Cover `[lo, hi)` exactly by whole tiles of `levels` (ascending) and raw ranges at the edges. */
export const decompose = (lo: number, hi: number, levels: readonly number[]): Decomposition => {
  const tiles: TileRef[] = [];
  const raw: [number, number][] = [];
  const m = levels[0] as number;
  const a = ceilTo(lo, m);
  const b = floorTo(hi, m);
  if (a >= b) {
    if (lo < hi) raw.push([lo, hi]);
    return { tiles, raw };
  }
  if (lo < a) raw.push([lo, a]);
  if (b < hi) raw.push([b, hi]);
  const span = (from: number, to: number, level: number) => {
    for (let x = from; x < to; x += level) tiles.push({ level, index: x / level });
  };
  const rec = (from: number, to: number, k: number) => {
    const level = levels[k] as number;
    const next = levels[k + 1];
    if (next === undefined) return span(from, to, level);
    const a2 = ceilTo(from, next);
    const b2 = floorTo(to, next);
    if (a2 >= b2) return span(from, to, level);
    span(from, a2, level);
    span(b2, to, level);
    rec(a2, b2, k + 1);
  };
  rec(a, b, 0);
  return { tiles, raw };
};

/** The day a tile lies in (every level divides a day): its tiles share one Redis hash per day. */
export const tileDay = (t: TileRef): number => Math.floor((t.index * t.level) / DAY_MS);
/** The hash field of a tile inside its day's hash. */
export const tileField = (t: TileRef): string => `${t.level}:${t.index}`;

/** `(t − w, t]` as the half-open millisecond range `[lo, hi)`. */
export const windowRange = (t: number, windowSeconds: number): [number, number] => [t - windowSeconds * 1000 + 1, t + 1];
