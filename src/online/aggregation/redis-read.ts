import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import type { FeatureValue } from '../../definitions/values.js';
import {
  addValues,
  emptyState,
  mergeTile,
  outputValue,
  parseEvent,
  parseTile,
  statIndexes,
  type AggState,
  type LastEvent,
  type TileStats,
} from './state.js';
import { decompose, tileDay, tileField, tileLevels, windowRange } from './tiles.js';

/** Redis keys of one entity's aggregation state (layout in redis-scripts.ts). */
export interface AggregationKeys {
  /** Sorted set of event ids by event time. */
  readonly events: string;
  /** Hash of raw events by id. */
  readonly values: string;
  /** The tile hash of a UTC day. */
  readonly day: (day: number) => string;
}

/** One entity's aggregation read: keys and arguments of its `A` run in the read script, and how to finish it. */
export interface AggregationReadPlan {
  readonly keys: string[];
  readonly argv: string[];
  /** The reply of the run → every output of the view, by output name. */
  finish(reply: unknown): Record<string, FeatureValue>;
}

/** The part of a read plan that depends only on the windows' whole-minute spans: which tiles each window merges. */
interface ReadTemplate {
  readonly dayList: number[];
  /** Argument prefix: the day count, then per day its tile fields joined by commas (one argument each). */
  readonly argv: string[];
  readonly perWindow: { readonly w: number; readonly tiles: (readonly [number, number])[] }[];
}

/** Templates by the windows' whole-minute spans: every read within the same minute reuses one (bounded cache). */
const templates = new WeakMap<AggregationSpec, Map<string, ReadTemplate>>();

const template = (spec: AggregationSpec, t: number): ReadTemplate => {
  const levels = tileLevels(spec);
  const m = levels[0]!;
  const spans = spec.windows.map((w) => {
    const [lo, hi] = windowRange(t, w);
    return [Math.ceil(lo / m) * m, Math.floor(hi / m) * m] as const;
  });
  const id = spans.map(([a, b]) => `${a}:${b}`).join(',');
  let cache = templates.get(spec);
  if (!cache) templates.set(spec, (cache = new Map()));
  const hit = cache.get(id);
  if (hit) return hit;
  const days = new Map<number, Map<string, number>>();
  const perWindow = spec.windows.map((w, i) => {
    const [a, b] = spans[i]!;
    const tiles = decompose(a, b, levels).tiles.map((tile) => {
      const day = tileDay(tile);
      let fields = days.get(day);
      if (!fields) days.set(day, (fields = new Map()));
      const f = tileField(tile);
      if (!fields.has(f)) fields.set(f, fields.size);
      return [day, fields.get(f)!] as const;
    });
    return { w, tiles };
  });
  const dayList = [...days.keys()];
  const argv: string[] = [String(dayList.length)];
  for (const d of dayList) argv.push([...days.get(d)!.keys()].join(','));
  const dayIndex = new Map(dayList.map((d, i) => [d, i]));
  const tpl = {
    dayList,
    argv,
    perWindow: perWindow.map((p) => ({ w: p.w, tiles: p.tiles.map(([d, f]) => [dayIndex.get(d)!, f] as const) })),
  };
  if (cache.size > 16) cache.clear();
  cache.set(id, tpl);
  return tpl;
};

/**
 * Plan the exact read of every window of `spec` ending at `t` (docs/aggregations.md): per window the whole
 * tiles `decompose` picks and the raw events of its edge minutes. Tiles and ranges shared by several windows
 * are read once; everything is one run of the read script, in the request's one round trip. The tiles depend
 * only on the windows' whole-minute spans, so their part of the plan is computed once per minute.
 */
export const planAggregationRead = (spec: AggregationSpec, keys: AggregationKeys, t: number): AggregationReadPlan => {
  const tpl = template(spec, t);
  const m = tileLevels(spec)[0]!;
  // The windows' edge ranges, each once (they all end at t, so their last partial minute is the same).
  const rangeList: [number, number][] = [];
  const raws = spec.windows.map((w) => {
    const [lo, hi] = windowRange(t, w);
    const a = Math.ceil(lo / m) * m;
    const b = Math.floor(hi / m) * m;
    const edges: [number, number][] =
      a >= b ? [[lo, hi]] : [...(lo < a ? [[lo, a] as [number, number]] : []), ...(b < hi ? [[b, hi] as [number, number]] : [])];
    return edges.map(([from, to]) => {
      const at = rangeList.findIndex(([f, x]) => f === from && x === to);
      return at >= 0 ? at : rangeList.push([from, to]) - 1;
    });
  });
  const argv = [...tpl.argv, rangeList.map(([from, to]) => `${from},${to}`).join(',')];
  const idx = statIndexes(spec);
  return {
    keys: [keys.events, keys.values, ...tpl.dayList.map((d) => keys.day(d))],
    argv,
    finish(reply) {
      const [dayReplies, rangeReplies] = reply as [(string | null | false)[][], (string | null | false)[][]];
      // The windows share tiles and edge ranges (they all end at t): each is parsed once, on first use.
      const k = spec.statFields.length;
      const tiles: (TileStats | null)[][] = [];
      const events: LastEvent[][] = [];
      const states = new Map<number, AggState>();
      tpl.perWindow.forEach(({ w, tiles: refs }, i) => {
        const st = emptyState(spec);
        for (const [day, fi] of refs) {
          const parsed = (tiles[day] ??= []);
          let tile = parsed[fi];
          if (tile === undefined) {
            const text = dayReplies[day]?.[fi];
            tile = parsed[fi] = text ? parseTile(text, k) : null;
          }
          if (tile) mergeTile(st, tile);
        }
        for (const r of raws[i]!) {
          const evs = (events[r] ??= (rangeReplies[r] ?? []).flatMap((rec) => (rec ? [parseEvent(rec)] : [])));
          for (const ev of evs) addValues(st, ev, idx);
        }
        states.set(w, st);
      });
      return Object.fromEntries(spec.outputs.map((o) => [o.name, outputValue(spec, o, states.get(o.windowSeconds)!)]));
    },
  };
};
