import { readFileSync, statSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ResolvedRepository } from '../definitions/resolve.js';
import type { BinCounts, BinSpec, DriftRecord, ServedLogStore } from './log-store.js';
import { logTableOf, loggedService, type LogTable, type LoggedFeature } from './log-table.js';
import { DEFAULT_MIN_ROWS, DEFAULT_THRESHOLD, MAX_CATEGORIES, allBins, binKey, decileEdges, psi, topValues } from './psi.js';
import { parseTimeWindow, type TimeWindow } from './time-window.js';

export interface DriftBin {
  readonly bin: string;
  readonly reference: number;
  readonly current: number;
}

export interface FeatureDrift {
  readonly view: string;
  readonly feature: string;
  /** numeric (decile bins), categorical (value bins) or unsupported (lists, JSON, bytes, timestamps: no PSI). */
  readonly kind: 'numeric' | 'categorical' | 'unsupported';
  readonly psi: number | null;
  readonly threshold: number;
  /** psi > threshold, judged only with at least `minRows` rows on both sides. */
  readonly drifted: boolean;
  /** The rows each side needs before the feature is judged (the option, else the view's, else 100). */
  readonly minRows: number;
  /** Both sides have at least `minRows` rows: false means PSI is shown but not judged. */
  readonly enoughRows: boolean;
  readonly referenceCount: number;
  readonly currentCount: number;
  readonly referenceNullRate: number | null;
  readonly currentNullRate: number | null;
  /** current − reference null rate. */
  readonly nullRateChange: number | null;
  /** Numeric bins' lower edges (bin i holds edges[i-1] ≤ x < edges[i]). */
  readonly edges: readonly number[];
  readonly bins: readonly DriftBin[];
}

export interface DriftReport {
  readonly service: string;
  readonly reference: string;
  readonly current: string;
  readonly drifted: boolean;
  readonly features: readonly FeatureDrift[];
  readonly elapsedMs: number;
}

/** The reference distribution: a window of the log, or a training set file (CSV with `<view>__<feature>` columns). */
export type DriftReference = { readonly window: TimeWindow } | { readonly file: string; readonly rows: readonly Record<string, string>[] };

export class DriftInputError extends Error {}

/** `--reference`: a time window, else a CSV training file (only where files may be read: the CLI). */
export const parseReference = (text: string, opts: { allowFiles: boolean; now?: number }): DriftReference => {
  // A file that exists is a file, even when its name holds `..` (`../train.csv`, `train..v2.csv`).
  if (opts.allowFiles && isFile(text)) return readReference(text);
  const w = parseWindowOrThrow(text, opts.now);
  if (w) return { window: w };
  if (!opts.allowFiles) throw new DriftInputError(`reference "${text}" is not a time window such as now-2d..now-1d`);
  return readReference(text);
};

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** A training set CSV as a reference; anything else is the caller's error, naming the file. */
const readReference = (text: string): DriftReference => {
  let content: string;
  try {
    content = readFileSync(text, 'utf8');
  } catch {
    throw new DriftInputError(`reference "${text}" is neither a time window (now-2d..now-1d) nor a readable training set CSV file`);
  }
  try {
    return { file: text, rows: parse(content, { columns: true, skip_empty_lines: true }) as Record<string, string>[] };
  } catch (err) {
    throw new DriftInputError(`reference "${text}" is not a training set CSV file: ${(err as Error).message}`);
  }
};

const parseWindowOrThrow = (text: string, now?: number): TimeWindow | null => {
  try {
    return parseTimeWindow(text, now);
  } catch (err) {
    throw new DriftInputError((err as Error).message);
  }
};

export const parseCurrent = (text: string, now?: number): TimeWindow => {
  const w = parseWindowOrThrow(text, now);
  if (!w) throw new DriftInputError(`current "${text}" is not a time window such as now-1d..now`);
  return w;
};

const driftOptionsOf = (repo: ResolvedRepository, f: LoggedFeature) =>
  (repo.views.find((v) => v.name === f.view)?.def ?? repo.onDemandViews.find((o) => o.name === f.view)?.def)?.drift;

/** The PSI threshold of a feature: the view's `drift.features[f]`, else its `drift.threshold`, else 0.2. */
export const thresholdOf = (repo: ResolvedRepository, f: LoggedFeature): number => {
  const drift = driftOptionsOf(repo, f);
  return drift?.features?.[f.feature] ?? drift?.threshold ?? DEFAULT_THRESHOLD;
};

/** `--min-rows` / `minRows`: a whole number of at least 1. */
export const checkMinRows = (n: number, what: string): number => {
  if (!Number.isSafeInteger(n) || n < 1) throw new DriftInputError(`${what} must be a whole number of at least 1, got ${String(n)}`);
  return n;
};

const fileColumn = (rows: readonly Record<string, string>[], f: LoggedFeature): string[] | null => {
  const first = rows[0];
  const name = [`${f.view}__${f.feature}`, f.feature].find((n) => first && n in first);
  return name === undefined ? null : rows.map((r) => r[name] ?? '');
};

/** Counts of values under a spec, in JS (file references). */
const countValues = (values: readonly string[], spec: { edges: readonly number[] } | { values: ReadonlySet<string> }): BinCounts => {
  const m: BinCounts = new Map();
  for (const v of values) {
    const k = binKey(v, spec);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
};

/**
 * Drift of every feature of a logged service between a reference and the current window (docs/monitoring.md#psi):
 * numeric bins are the reference's deciles, computed and counted in SQL over the log; strings and bools bin by
 * the reference's most frequent values plus `other`; null is its own bin; empty bins count as 1e-4.
 */
export const computeDrift = async (
  store: ServedLogStore,
  repo: ResolvedRepository,
  service: string,
  reference: DriftReference,
  current: TimeWindow,
  /** `minRows` overrides every view's `drift.minRows` (the CLI's `--min-rows`). */
  opts: { readonly minRows?: number } = {},
): Promise<DriftReport> => {
  const started = performance.now();
  const table: LogTable = logTableOf(repo, loggedService(repo, service));
  const binnable = table.features.filter((f) => f.kind !== 'other');
  const numeric = binnable.filter((f) => f.kind === 'number');
  const fileValues = new Map<string, string[]>();
  if ('file' in reference)
    for (const f of binnable) {
      const col = fileColumn(reference.rows, f);
      if (!col) throw new DriftInputError(`the reference file has no column ${f.view}__${f.feature} (nor ${f.feature})`);
      fileValues.set(f.column, col);
    }
  // Bin specs from the reference.
  const edges =
    'window' in reference
      ? await store.deciles(table, numeric, reference.window)
      : new Map(
          numeric.map((f) => [
            f.column,
            decileEdges(
              fileValues
                .get(f.column)!
                .filter((v) => v !== '')
                .map(Number),
            ),
          ]),
        );
  const specs: BinSpec[] = [];
  for (const f of binnable) {
    if (f.kind === 'number') specs.push({ kind: 'numeric', feature: f, edges: edges.get(f.column) ?? [] });
    else {
      const values =
        'window' in reference
          ? await store.topValues(table, f, reference.window, MAX_CATEGORIES)
          : topValues(
              fileValues
                .get(f.column)!
                .filter((v) => v !== '')
                .map((v) => (f.kind === 'bool' ? String(v === 'true' || v === '1') : v)),
            );
      specs.push({ kind: 'categorical', feature: f, values });
    }
  }
  const [refCounts, curCounts] = await Promise.all([
    'window' in reference
      ? store.binCounts(table, specs, reference.window)
      : Promise.resolve(
          new Map(
            specs.map((s) => [
              s.feature.column,
              countValues(
                fileValues
                  .get(s.feature.column)!
                  .map((v) => (s.feature.kind === 'bool' && v !== '' ? String(v === 'true' || v === '1') : v)),
                s.kind === 'numeric' ? { edges: s.edges } : { values: new Set(s.values) },
              ),
            ]),
          ),
        ),
    store.binCounts(table, specs, current),
  ]);
  const features: FeatureDrift[] = table.features.map((f) => {
    const threshold = thresholdOf(repo, f);
    const minRows = opts.minRows ?? driftOptionsOf(repo, f)?.minRows ?? DEFAULT_MIN_ROWS;
    const spec = specs.find((s) => s.feature === f);
    if (!spec)
      return {
        view: f.view,
        feature: f.feature,
        kind: 'unsupported',
        psi: null,
        threshold,
        drifted: false,
        minRows,
        enoughRows: false,
        referenceCount: 0,
        currentCount: 0,
        referenceNullRate: null,
        currentNullRate: null,
        nullRateChange: null,
        edges: [],
        bins: [],
      };
    const ref = refCounts.get(f.column) ?? new Map();
    const cur = curCounts.get(f.column) ?? new Map();
    const bins = allBins(spec.kind === 'numeric' ? { edges: spec.edges } : { values: spec.values });
    const total = (m: BinCounts) => [...m.values()].reduce((a, b) => a + b, 0);
    const rc = total(ref);
    const cc = total(cur);
    const rn = rc ? (ref.get('null') ?? 0) / rc : null;
    const cn = cc ? (cur.get('null') ?? 0) / cc : null;
    const value = psi(bins, ref, cur);
    const enoughRows = rc >= minRows && cc >= minRows;
    return {
      view: f.view,
      feature: f.feature,
      kind: spec.kind,
      psi: value,
      threshold,
      drifted: enoughRows && value !== null && value > threshold,
      minRows,
      enoughRows,
      referenceCount: rc,
      currentCount: cc,
      referenceNullRate: rn,
      currentNullRate: cn,
      nullRateChange: rn !== null && cn !== null ? cn - rn : null,
      edges: spec.kind === 'numeric' ? spec.edges : [],
      bins: bins.map((bin) => ({ bin, reference: ref.get(bin) ?? 0, current: cur.get(bin) ?? 0 })),
    };
  });
  return {
    service,
    reference: 'window' in reference ? reference.window.text : reference.file,
    current: current.text,
    drifted: features.some((f) => f.drifted),
    features,
    elapsedMs: performance.now() - started,
  };
};

/** A report as rows of the drift table (for /metrics' last-run PSI). */
export const driftRecords = (r: DriftReport): DriftRecord[] =>
  r.features
    .filter((f) => f.kind !== 'unsupported')
    .map((f) => ({
      service: r.service,
      view: f.view,
      feature: f.feature,
      psi: f.psi,
      threshold: f.threshold,
      drifted: f.drifted,
      reference: r.reference,
      current: r.current,
    }));

const fmt = (n: number | null, digits = 4) => (n === null ? '-' : n.toFixed(digits));

/** The report as a text table, drifted features marked. */
export const formatDriftTable = (r: DriftReport): string => {
  const name = (f: FeatureDrift) => `${f.view}:${f.feature}`;
  // PSI is shown for these, but they are not judged (docs/monitoring.md, "Too few rows").
  const unjudged = (f: FeatureDrift) => f.kind !== 'unsupported' && !f.enoughRows;
  const head = ['feature', 'psi', 'threshold', 'ref rows', 'cur rows', 'ref null', 'cur null', 'null Δ', ''];
  const rows = r.features.map((f) => [
    name(f),
    f.kind === 'unsupported' ? 'n/a' : fmt(f.psi),
    fmt(f.threshold, 2),
    String(f.referenceCount),
    String(f.currentCount),
    fmt(f.referenceNullRate, 3),
    fmt(f.currentNullRate, 3),
    fmt(f.nullRateChange, 3),
    f.drifted ? 'DRIFTED' : unjudged(f) ? `too few rows (< ${f.minRows})` : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const notJudged = r.features.filter(unjudged);
  return [
    `drift of ${r.service}: reference ${r.reference}, current ${r.current}`,
    line(head),
    ...rows.map(line),
    r.drifted
      ? `drifted: ${r.features
          .filter((f) => f.drifted)
          .map(name)
          .join(', ')}`
      : 'no feature drifted',
    ...(notJudged.length ? [`not judged, too few rows on a side: ${notJudged.map(name).join(', ')}`] : []),
  ].join('\n');
};
