import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import type { FeatureValue } from '../../definitions/values.js';
import { addEvent, emptyState, outputValue, statIndexes, type AggState } from './state.js';
import { tileLevels, windowRange } from './tiles.js';

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

/** A window's merged tiles as the read script returns them: n, last event (ts, created, tie, JSON), then per statistics field `sum,count,min,max`. */
type WindowReply = readonly string[];

const DAY_MS = 86_400_000;

/** The days a minute-aligned span's tiles lie in (each day's tiles are one Redis hash). */
const spanDays = (a: number, b: number, into: Set<number>) => {
  if (a >= b) return;
  for (let d = Math.floor(a / DAY_MS); d <= Math.floor((b - 1) / DAY_MS); d++) into.add(d);
};

/** A window's state from the script's merge of its whole tiles. */
const windowState = (spec: AggregationSpec, r: WindowReply | undefined): AggState => {
  const st = emptyState(spec);
  if (!r) return st;
  st.n = Number(r[0]);
  if (r[1]) st.last = { ts: Number(r[1]), cr: r[2] ? Number(r[2]) : null, tie: r[3] ?? '', json: r[4] ?? '[]' };
  st.stats.forEach((x, i) => {
    const [sum, count, mn, mx] = (r[5 + i] ?? '0,0,,').split(',');
    x.s = Number(sum);
    x.c = Number(count);
    x.mn = mn ? Number(mn) : null;
    x.mx = mx ? Number(mx) : null;
  });
  return st;
};

/**
 * Plan the exact read of every window of `spec` ending at `t` (docs/aggregations.md): the read script covers
 * each window's whole minutes with the largest tiles (`decompose` in the script) and merges
 * them there, so only one summary per window and the raw events of the edge minutes come back; ranges shared
 * by several windows are read once. Everything is one run of the read script, in the request's one round trip.
 */
export const planAggregationRead = (spec: AggregationSpec, keys: AggregationKeys, t: number): AggregationReadPlan => {
  const levels = tileLevels(spec);
  const m = levels[0]!;
  const ranges = new Map<string, number>();
  const rangeList: [number, number][] = [];
  const days = new Set<number>();
  const spans: number[] = [];
  const raws = spec.windows.map((w) => {
    const [lo, hi] = windowRange(t, w);
    const a = Math.ceil(lo / m) * m;
    const b = Math.floor(hi / m) * m;
    spans.push(a, Math.max(a, b));
    spanDays(a, b, days);
    const edges: [number, number][] =
      a >= b ? [[lo, hi]] : [...(lo < a ? [[lo, a] as [number, number]] : []), ...(b < hi ? [[b, hi] as [number, number]] : [])];
    return edges.map(([from, to]) => {
      const id = `${from}:${to}`;
      if (!ranges.has(id)) ranges.set(id, rangeList.push([from, to]) - 1);
      return ranges.get(id)!;
    });
  });
  const dayList = [...days];
  const argv = [
    String(dayList.length),
    ...dayList.map(String),
    String(levels.length),
    ...levels.map(String),
    String(spec.windows.length),
    ...spans.map(String),
    String(spec.statFields.length),
    String(rangeList.length),
  ];
  for (const [from, to] of rangeList) argv.push(String(from), String(to));
  const idx = statIndexes(spec);
  return {
    keys: [keys.events, keys.values, ...dayList.map((d) => keys.day(d))],
    argv,
    finish(reply) {
      const [windowReplies, rangeReplies] = reply as [WindowReply[], (string | null | false)[][]];
      const states = new Map<number, AggState>();
      spec.windows.forEach((w, i) => {
        const st = windowState(spec, windowReplies[i]);
        for (const r of raws[i]!) for (const rec of rangeReplies[r] ?? []) if (rec) addEvent(st, rec, idx);
        states.set(w, st);
      });
      return Object.fromEntries(spec.outputs.map((o) => [o.name, outputValue(spec, o, states.get(o.windowSeconds)!)]));
    },
  };
};
