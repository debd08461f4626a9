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

/** A comma's position at or after `at`, or an error naming the malformed record. */
const comma = (s: string, at: number): number => {
  const j = s.indexOf(',', at);
  if (j < 0) throw new Error(`malformed aggregation record: ${s.slice(0, 80)}`);
  return j;
};

/**
 * The number written in `s[a, b)`, null when that is empty. Plain integers of up to 15 digits (counts, times
 * in ms, most sums) are read without cutting the string: a read merges dozens of tiles of several numbers each.
 * Anything else (a fraction, an exponent) goes through `Number`, as every value did before.
 */
const numAt = (s: string, a: number, b: number): number | null => {
  if (a === b) return null;
  if (b - a <= 15) {
    let i = a;
    const neg = s.charCodeAt(i) === 45;
    if (neg) i++;
    let v = 0;
    for (; i < b; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
    }
    if (i === b && b > a + (neg ? 1 : 0)) return neg ? -v : v;
  }
  return Number(s.slice(a, b));
};

/** One tile's statistics, parsed once per read: the windows of a read share tiles (src/online/aggregation/redis-read.ts). */
export interface TileStats {
  readonly n: number;
  readonly stats: readonly FieldStats[];
  readonly last: LastEvent;
}

/**
 * A tile as the Redis script stores it: `n,lastTs,lastCr,lastTie,` then per statistics field
 * `sum,count,min,max,`, then the last event's fields as a JSON array (src/online/aggregation/redis-scripts.ts).
 * `k` is the number of statistics fields. Empty count, sum and time fields read as 0, empty min, max and
 * created time as null.
 */
export const parseTile = (tile: string, k: number): TileStats => {
  let j = comma(tile, 0);
  const n = numAt(tile, 0, j) ?? 0;
  let at = j + 1;
  j = comma(tile, at);
  const ts = numAt(tile, at, j) ?? 0;
  at = j + 1;
  j = comma(tile, at);
  const cr = numAt(tile, at, j);
  at = j + 1;
  j = comma(tile, at);
  const tie = tile.slice(at, j);
  at = j + 1;
  const stats: FieldStats[] = new Array<FieldStats>(k);
  for (let i = 0; i < k; i++) {
    const a = comma(tile, at);
    const b = comma(tile, a + 1);
    const c = comma(tile, b + 1);
    const d = comma(tile, c + 1);
    stats[i] = { s: numAt(tile, at, a) ?? 0, c: numAt(tile, a + 1, b) ?? 0, mn: numAt(tile, b + 1, c), mx: numAt(tile, c + 1, d) };
    at = d + 1;
  }
  return { n, stats, last: { ts, cr, tie, json: tile.slice(at) } };
};

/** Merge a parsed tile (several windows may merge the same one: it is not changed). */
export const mergeTile = (state: AggState, t: TileStats): void => {
  state.n += t.n;
  for (let i = 0; i < t.stats.length; i++) {
    const x = t.stats[i]!;
    merge1(state.stats[i]!, x.s, x.c, x.mn, x.mx);
  }
  if (!state.last || compareLast(t.last, state.last) > 0) state.last = t.last;
};

/** Indexes of the statistics fields in the event's field list. */
export const statIndexes = (spec: AggregationSpec): number[] =>
  spec.statFields.map((f) => spec.events.features.findIndex((x) => x.name === f));

/** One raw event (`ts,cr,tie,[fields…]`, as the script stores it per event id), parsed once per read. */
export const parseEvent = (record: string): LastEvent => {
  const a = comma(record, 0);
  const b = comma(record, a + 1);
  const c = comma(record, b + 1);
  return {
    ts: numAt(record, 0, a) ?? 0,
    cr: numAt(record, a + 1, b),
    tie: record.slice(b + 1, c),
    values: JSON.parse(record.slice(c + 1)) as JsonValue[],
  };
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
