import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import type { ResolvedRepository } from '../../definitions/resolve.js';
import type { ValueType } from '../../definitions/value-types.js';
import { TrainingSetError } from './errors.js';
import type { ExtraPlanColumns } from './feature-refs.js';
import { featureColumnName } from './output-columns.js';

/**
 * Aggregation outputs in training sets (docs/aggregations.md, "In training sets"): `quote_activity:quotes_5m`
 * is, for the entity row `(key, t)`, the output over `(t − w, t]` of the raw events, as `asOf` computes it.
 * The engines do not join them: they are read per batch above the OfflineStore interface
 * (training/aggregation-outputs.ts), with the store's `aggregate`.
 */

/** One output column computed above the join: an aggregation output. */
export interface AggregationColumn {
  readonly name: string;
  /** Index in `AggregationPlan.specs`. */
  readonly spec: number;
  readonly output: string;
  readonly type: ValueType;
}

export interface AggregationPlan {
  /** The aggregation views read, in the order first named. */
  readonly specs: readonly AggregationSpec[];
  /** Output columns, in the order first named; they follow the columns the engines join. */
  readonly columns: readonly AggregationColumn[];
  /** Joined columns only read here, not output (none yet). */
  readonly hidden: readonly string[];
}

/** `view:output` when `view` names an aggregation view; null otherwise. */
const aggregationRef = (repo: ResolvedRepository, ref: string): { spec: AggregationSpec; output: string } | null => {
  const m = /^([^:.]+):([^:]+)$/.exec(ref.trim());
  const spec = m ? repo.aggregationViews.find((a) => a.name === m[1]) : undefined;
  return spec && m ? { spec, output: m[2] as string } : null;
};

/**
 * Split references into those the engines join (returned as `direct`) and aggregation outputs, planned here.
 * Unknown outputs of an aggregation view fail together, naming the view, the output and the view's outputs.
 */
export const planAggregations = (
  repo: ResolvedRepository,
  refs: readonly string[],
): { direct: string[]; aggregations: AggregationPlan | null; extra: ExtraPlanColumns } => {
  const direct: string[] = [];
  const specs: AggregationSpec[] = [];
  const columns: AggregationColumn[] = [];
  const bad: string[] = [];
  for (const ref of refs) {
    const a = aggregationRef(repo, ref);
    if (!a) {
      direct.push(ref);
      continue;
    }
    const out = a.spec.outputs.find((o) => o.name === a.output);
    if (!out) {
      bad.push(
        `aggregation view "${a.spec.name}" has no output "${a.output}"; its outputs: ${a.spec.outputs.map((o) => o.name).join(', ')}`,
      );
      continue;
    }
    let s = specs.indexOf(a.spec);
    if (s < 0) s = specs.push(a.spec) - 1;
    const name = featureColumnName(a.spec.name, out.name);
    if (!columns.some((c) => c.name === name)) columns.push({ name, spec: s, output: out.name, type: out.type });
  }
  if (bad.length > 0)
    throw new TrainingSetError('UNKNOWN_FEATURE', `unknown aggregation output${bad.length > 1 ? 's' : ''}: ${bad.join('; ')}`);
  if (specs.length === 0) return { direct, aggregations: null, extra: { keys: [], request: [] } };
  return {
    direct,
    aggregations: { specs, columns, hidden: [] },
    extra: { keys: specs.flatMap((s) => s.events.keys.map((k) => ({ ...k, owner: s.name }))), request: [] },
  };
};
