import { shortestFloat32 } from '../../definitions/float32.js';
import type { HistogramPair } from './histogram.js';
import type { Obj } from './model.js';

const numbers = (v: unknown): number[] | null => (Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : null);
const COUNTS = ['counts', 'proportions', 'fractions', 'shares', 'values'];
const LABELS = ['edges', 'bins', 'labels', 'categories', 'lowerEdges'];

const countsOf = (o: unknown): number[] | null => {
  if (typeof o !== 'object' || o === null) return null;
  for (const k of COUNTS) {
    const n = numbers((o as Obj)[k]);
    if (n) return n;
  }
  return null;
};

const labelsOf = (o: unknown): unknown[] | null => {
  if (typeof o !== 'object' || o === null) return null;
  for (const k of LABELS) {
    const v = (o as Obj)[k];
    if (Array.isArray(v)) return v;
  }
  return null;
};

/**
 * The reference and current histograms in a drift result, whatever it names them: `reference`/`current`
 * objects with counts (or proportions) and edges (or bins, labels), or flat `referenceCounts`/`currentCounts`.
 * Numeric labels of a Float32 feature print as their shortest float32 decimal.
 */
export const histogramsOf = (result: Obj, valueType: string): HistogramPair | null => {
  const fmt = (x: unknown) =>
    typeof x === 'number' ? String(valueType === 'Float32' ? shortestFloat32(x) : Number(x.toPrecision(4))) : String(x);
  const bins = binsOf(result.bins);
  if (bins) {
    const edges = numbers(result.edges) ?? [];
    return {
      labels: bins.map((b) => binLabel(b.bin, edges, fmt)),
      reference: bins.map((b) => b.reference),
      current: bins.map((b) => b.current),
    };
  }
  const ref = countsOf(result.reference) ?? numbers(result.referenceCounts);
  const cur = countsOf(result.current) ?? numbers(result.currentCounts);
  if (!ref || !cur) return null;
  const raw = labelsOf(result.reference) ?? labelsOf(result) ?? [];
  return { labels: raw.map(fmt), reference: ref, current: cur };
};

interface Bin {
  readonly bin: unknown;
  readonly reference: number;
  readonly current: number;
}

/** featuregraph's own drift bins, `[{ bin, reference, current }]` (counts per bin), or null. */
const binsOf = (v: unknown): Bin[] | null =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((b) => typeof b === 'object' && b !== null && typeof (b as Obj).reference === 'number' && typeof (b as Obj).current === 'number')
    ? (v as Bin[])
    : null;

/**
 * A bin's label (docs/monitoring.md, "Drift"): a numeric bin i holds edges[i-1] <= x < edges[i], so it is labelled
 * by its lower edge (the first by the one above it); `v:<value>` is that value; `other` and `null` stay as they are.
 */
const binLabel = (bin: unknown, edges: readonly number[], fmt: (x: unknown) => string): string => {
  const s = String(bin);
  if (/^\d+$/.test(s)) {
    const i = Number(s);
    if (i === 0) return edges.length ? `< ${fmt(edges[0])}` : s;
    return edges[i - 1] !== undefined ? `≥ ${fmt(edges[i - 1])}` : s;
  }
  return s.startsWith('v:') ? s.slice(2) : s;
};

/** The scalar facts of a drift result (PSI, window, verdict…), for a small table next to the chart. */
export const driftFacts = (result: Obj): [string, string][] =>
  Object.entries(result).flatMap(([k, v]) =>
    typeof v === 'number'
      ? [[k, String(Number(v.toPrecision(6)))] as [string, string]]
      : typeof v === 'string' || typeof v === 'boolean'
        ? [[k, String(v)] as [string, string]]
        : [],
  );
