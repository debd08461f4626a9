/**
 * PSI and its binning rule, in plain TypeScript (docs/monitoring.md#psi). The SQL path (log-store.ts)
 * computes the same edges and counts in the database; file references and the tests use these.
 */
import { DECILES } from './log-store.js';

/** Proportion used for a bin that is empty on one side, so ln() stays finite. */
export const EMPTY_BIN = 1e-4;
export const DEFAULT_THRESHOLD = 0.2;
/** Rows each side needs before PSI can flag a feature (docs/monitoring.md, "Too few rows"). */
export const DEFAULT_MIN_ROWS = 100;
/** Strings and bools: the most frequent reference values each get a bin; the rest share `other`. */
export const MAX_CATEGORIES = 20;

/** percentile_disc at each decile: the smallest value whose cumulative share is ≥ p (sorted[ceil(p·n) − 1]), deduplicated. */
export const decileEdges = (values: readonly number[]): number[] => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const edges = DECILES.map((p) => sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!);
  return [...new Set(edges)];
};

/** width_bucket(x, edges): how many edges are ≤ x, so bin i holds edges[i-1] ≤ x < edges[i]; below all → 0, at or above the last → edges.length. */
export const numericBin = (x: number, edges: readonly number[]): number => {
  if (Number.isNaN(x)) return edges.length;
  let i = 0;
  while (i < edges.length && edges[i]! <= x) i++;
  return i;
};

/** Bin key of a value: `null`, a numeric bin index, `v:<value>` or `other`. */
export const binKey = (v: unknown, spec: { edges: readonly number[] } | { values: ReadonlySet<string> }): string => {
  if (v === null || v === undefined || v === '') return 'null';
  if ('edges' in spec) return String(numericBin(Number(v), spec.edges));
  const s = String(v);
  return spec.values.has(s) ? `v:${s}` : 'other';
};

/** Every bin of a spec, including empty ones: numeric 0…edges.length, or each value and `other`; then `null`. */
export const allBins = (spec: { edges: readonly number[] } | { values: readonly string[] }): string[] =>
  'edges' in spec
    ? [...Array.from({ length: spec.edges.length + 1 }, (_, i) => String(i)), 'null']
    : [...spec.values.map((v) => `v:${v}`), 'other', 'null'];

/** The most frequent values (count descending, then value bytewise ascending), at most `limit`. */
export const topValues = (values: readonly string[], limit = MAX_CATEGORIES): string[] => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])))
    .slice(0, limit)
    .map(([v]) => v);
};

/**
 * PSI = Σ over bins (c − r) · ln(c / r), r and c the bin's share of the reference and current rows (nulls
 * included); a share of 0 is replaced by EMPTY_BIN (shares are not renormalised). Null when a side is empty.
 */
export const psi = (bins: readonly string[], ref: ReadonlyMap<string, number>, cur: ReadonlyMap<string, number>): number | null => {
  const total = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const rt = total(ref);
  const ct = total(cur);
  if (rt === 0 || ct === 0) return null;
  let sum = 0;
  for (const b of bins) {
    const r = (ref.get(b) ?? 0) / rt || EMPTY_BIN;
    const c = (cur.get(b) ?? 0) / ct || EMPTY_BIN;
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
};
