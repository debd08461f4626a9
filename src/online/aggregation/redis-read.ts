import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import type { FeatureValue } from '../../definitions/values.js';
import { addEvent, addTile, emptyState, outputValue, statIndexes, type AggState } from './state.js';
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

/**
 * Plan the exact read of every window of `spec` ending at `t` (docs/aggregations.md): per window the whole
 * tiles `decompose` picks and the raw events of its edge minutes. Tiles and ranges shared by several windows
 * are read once; everything is one run of the read script, in the request's one round trip.
 */
export const planAggregationRead = (spec: AggregationSpec, keys: AggregationKeys, t: number): AggregationReadPlan => {
  const levels = tileLevels(spec);
  const days = new Map<number, Map<string, number>>();
  const ranges = new Map<string, number>();
  const rangeList: [number, number][] = [];
  const perWindow = spec.windows.map((w) => {
    const [lo, hi] = windowRange(t, w);
    const d = decompose(lo, hi, levels);
    const tiles = d.tiles.map((tile) => {
      const day = tileDay(tile);
      let fields = days.get(day);
      if (!fields) days.set(day, (fields = new Map()));
      const f = tileField(tile);
      if (!fields.has(f)) fields.set(f, fields.size);
      return [day, fields.get(f)!] as const;
    });
    const raws = d.raw.map(([from, to]) => {
      const id = `${from}:${to}`;
      if (!ranges.has(id)) ranges.set(id, rangeList.push([from, to]) - 1);
      return ranges.get(id)!;
    });
    return { w, tiles, raws };
  });
  const dayList = [...days.keys()];
  const dayIndex = new Map(dayList.map((d, i) => [d, i]));
  const argv: string[] = [String(dayList.length)];
  for (const d of dayList) {
    const fields = [...days.get(d)!.keys()];
    argv.push(String(fields.length), ...fields);
  }
  argv.push(String(rangeList.length));
  for (const [from, to] of rangeList) argv.push(String(from), String(to));
  const idx = statIndexes(spec);
  return {
    keys: [keys.events, keys.values, ...dayList.map((d) => keys.day(d))],
    argv,
    finish(reply) {
      const [dayReplies, rangeReplies] = reply as [(string | null | false)[][], (string | null | false)[][]];
      const states = new Map<number, AggState>();
      for (const { w, tiles, raws } of perWindow) {
        const st = emptyState(spec);
        for (const [day, fi] of tiles) {
          const tile = dayReplies[dayIndex.get(day)!]?.[fi];
          if (tile) addTile(st, tile);
        }
        for (const r of raws) for (const rec of rangeReplies[r] ?? []) if (rec) addEvent(st, rec, idx);
        states.set(w, st);
      }
      return Object.fromEntries(spec.outputs.map((o) => [o.name, outputValue(spec, o, states.get(o.windowSeconds)!)]));
    },
  };
};
