import type { AggregationOutput, AggregationSpec } from '../../definitions/aggregation-spec.js';
import { fromJson, type FeatureValue } from '../../definitions/values.js';
import type { JsonValue } from '../../definitions/value-types.js';

/** Statistics of one numeric field over some events: sum, non-null count, min and max. */
export interface FieldStats {
  s: number;
  c: number;
  mn: number | null;
  mx: number | null;
}

/** The last event of a set (greatest by event time, created time, tie key: docs/aggregations.md). */
export interface LastEvent {
  readonly ts: number;
  /** Null when the event has no created time (sorts lowest). */
  readonly cr: number | null;
  readonly tie: string;
  /**
   * The event's fields in `events.features` order, codec JSON; a tile's last event keeps them as JSON text
   * (`json`) until a `last` output needs them: most reads merge dozens of tiles and output only counts and
   * sums, and parsing every tile's event cost more than the rest of the merge.
   */
  values?: readonly JsonValue[];
  readonly json?: string;
}

const valuesOf = (ev: LastEvent): readonly JsonValue[] => (ev.values ??= JSON.parse(ev.json ?? '[]') as JsonValue[]);

/** What a window's outputs are computed from: the merge of tiles and raw events, which is associative. */
export interface AggState {
  n: number;
  stats: FieldStats[];
  last: LastEvent | null;
}

export const emptyState = (spec: AggregationSpec): AggState => ({
  n: 0,
  stats: spec.statFields.map(() => ({ s: 0, c: 0, mn: null, mx: null })),
  last: null,
});

/** (event, created, tie key) order of the one tie rule (docs/writes.md); the tie key is hex, compared bytewise. */
export const compareLast = (a: LastEvent, b: LastEvent): number => {
  if (a.ts !== b.ts) return a.ts - b.ts;
  const ac = a.cr ?? -Infinity;
  const bc = b.cr ?? -Infinity;
  if (ac !== bc) return ac < bc ? -1 : 1;
  return a.tie === b.tie ? 0 : a.tie < b.tie ? -1 : 1;
};

const merge1 = (x: FieldStats, s: number, c: number, mn: number | null, mx: number | null) => {
  x.s += s;
  x.c += c;
  if (mn !== null && (x.mn === null || mn < x.mn)) x.mn = mn;
  if (mx !== null && (x.mx === null || mx > x.mx)) x.mx = mx;
};

const num = (s: string): number | null => (s === '' ? null : Number(s));

/** Split off the first `n` comma-separated parts; the rest (which may hold commas) is the last part. */
const splitHead = (s: string, n: number): string[] => {
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const j = s.indexOf(',', at);
    if (j < 0) throw new Error(`malformed aggregation record: ${s.slice(0, 80)}`);
    out.push(s.slice(at, j));
    at = j + 1;
  }
  out.push(s.slice(at));
  return out;
};

/**
 * Merge a tile as the Redis script stores it: `n,lastTs,lastCr,lastTie,` then per statistics field
 * `sum,count,min,max,`, then the last event's fields as a JSON array (src/online/aggregation/redis-scripts.ts).
 */
export const addTile = (state: AggState, tile: string): void => {
  const k = state.stats.length;
  const p = splitHead(tile, 4 + 4 * k);
  state.n += Number(p[0]);
  for (let i = 0; i < k; i++) merge1(state.stats[i]!, Number(p[4 + 4 * i]), Number(p[5 + 4 * i]), num(p[6 + 4 * i]!), num(p[7 + 4 * i]!));
  const last: LastEvent = { ts: Number(p[1]), cr: num(p[2]!), tie: p[3]!, json: p[4 + 4 * k]! };
  if (!state.last || compareLast(last, state.last) > 0) state.last = last;
};

/** Indexes of the statistics fields in the event's field list. */
export const statIndexes = (spec: AggregationSpec): number[] =>
  spec.statFields.map((f) => spec.events.features.findIndex((x) => x.name === f));

/** Merge one raw event (`ts,cr,tie,[fields…]`, as the script stores it per event id). */
export const addEvent = (state: AggState, record: string, idx: readonly number[]): void => {
  const p = splitHead(record, 3);
  const values = JSON.parse(p[3]!) as JsonValue[];
  addValues(state, { ts: Number(p[0]), cr: num(p[1]!), tie: p[2]!, values }, idx);
};

/** Merge one event given as its parts. */
export const addValues = (state: AggState, ev: LastEvent, idx: readonly number[]): void => {
  state.n += 1;
  idx.forEach((fi, i) => {
    const v = ev.values?.[fi];
    if (typeof v === 'number') merge1(state.stats[i]!, v, 1, v, v);
  });
  if (!state.last || compareLast(ev, state.last) > 0) state.last = ev;
};

/**
 * The outputs of the view for one window's state (docs/aggregations.md): count and sum are 0 over an
 * empty window; avg (exact sum / count), min, max and last are null without values.
 */
export const outputValue = (spec: AggregationSpec, o: AggregationOutput, state: AggState): FeatureValue => {
  if (o.fn === 'count') return state.n;
  const f = o.field as string;
  if (o.fn === 'last') {
    const i = spec.events.features.findIndex((x) => x.name === f);
    return state.last ? fromJson(spec.events.features[i]!.type, valuesOf(state.last)[i] ?? null) : null;
  }
  const st = state.stats[spec.statFields.indexOf(f)]!;
  switch (o.fn) {
    case 'sum':
      return BigInt(st.s);
    case 'avg':
      return st.c === 0 ? null : st.s / st.c;
    case 'min':
      return st.mn;
    default:
      return st.mx;
  }
};
