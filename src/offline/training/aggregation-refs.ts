import type { AggregationSpec } from '../../definitions/aggregation-spec.js';
import type { OnDemandSpec, ResolvedRepository } from '../../definitions/resolve.js';
import type { ValueType } from '../../definitions/value-types.js';
import { TrainingSetError } from './errors.js';
import type { ExtraPlanColumns } from './feature-refs.js';
import { featureColumnName } from './output-columns.js';

/**
 * Aggregation outputs in training sets (docs/aggregations.md, "In training sets"): `quote_activity:quotes_5m`
 * is, for the entity row `(key, t)`, the output over `(t − w, t]` of the raw events, as `asOf` computes it.
 * The engines do not join them: they are read per batch above the OfflineStore interface
 * (training/aggregation-outputs.ts), with the store's `aggregate`. So are the features of on-demand views
 * that read aggregation outputs ("In on-demand views"): their feature-view inputs are joined by the engines
 * (as hidden columns when not selected), the transform runs here.
 */

/** One output column computed above the join: an aggregation output, or a feature of an on-demand view over one. */
export type AggregationColumn =
  | {
      readonly kind: 'output';
      readonly name: string;
      readonly type: ValueType;
      /** Index in `AggregationPlan.specs`. */
      readonly spec: number;
      readonly output: string;
    }
  | {
      readonly kind: 'onDemand';
      readonly name: string;
      readonly type: ValueType;
      /** Index in `AggregationPlan.onDemand`. */
      readonly onDemand: number;
      readonly feature: string;
    };

/** An input of an on-demand view computed above the join: joined columns of a feature view, or an aggregation view. */
export type AboveJoinInput =
  | { readonly alias: string; readonly view: string; readonly features: readonly { readonly name: string; readonly column: string }[] }
  | { readonly alias: string; readonly spec: number };

export interface AggregationPlan {
  /** The aggregation views read, in the order first named (on-demand inputs included). */
  readonly specs: readonly AggregationSpec[];
  /** On-demand views with aggregation inputs, computed above the join. */
  readonly onDemand: readonly { readonly spec: OnDemandSpec; readonly inputs: readonly AboveJoinInput[] }[];
  /** Output columns, in the order first named; they follow the columns the engines join. */
  readonly columns: readonly AggregationColumn[];
  /** Joined columns only read here (inputs of those on-demand views), not output. */
  readonly hidden: readonly string[];
}

/** `view:output` when `view` names an aggregation view; null otherwise. */
const aggregationRef = (repo: ResolvedRepository, ref: string): { spec: AggregationSpec; output: string } | null => {
  const m = /^([^:.]+):([^:]+)$/.exec(ref.trim());
  const spec = m ? repo.aggregationViews.find((a) => a.name === m[1]) : undefined;
  return spec && m ? { spec, output: m[2] as string } : null;
};

/** `view:feature` when `view` names an on-demand view that reads an aggregation view; null otherwise. */
const onDemandRef = (repo: ResolvedRepository, ref: string): { spec: OnDemandSpec; feature: string } | null => {
  const m = /^([^:.]+):([^:]+)$/.exec(ref.trim());
  const spec = m ? repo.onDemandViews.find((o) => o.name === m[1]) : undefined;
  return spec && m && spec.inputs.some((i) => i.kind === 'aggregation') ? { spec, feature: m[2] as string } : null;
};

/**
 * Split references into those the engines join (returned as `direct`, with the hidden inputs of on-demand
 * views computed here appended) and those planned here: aggregation outputs, and features of on-demand views
 * that read aggregation outputs. Unknown outputs of an aggregation view fail together, naming the view, the
 * output and the view's outputs.
 */
export const planAggregations = (
  repo: ResolvedRepository,
  refs: readonly string[],
): { direct: string[]; aggregations: AggregationPlan | null; extra: ExtraPlanColumns } => {
  const direct: string[] = [];
  const specs: AggregationSpec[] = [];
  const onDemand: { spec: OnDemandSpec; inputs: AboveJoinInput[] }[] = [];
  const columns: AggregationColumn[] = [];
  const bad: string[] = [];
  const specIndex = (spec: AggregationSpec) => {
    const s = specs.indexOf(spec);
    return s < 0 ? specs.push(spec) - 1 : s;
  };
  const hiddenRefs: string[] = [];
  for (const ref of refs) {
    const a = aggregationRef(repo, ref);
    const od = a ? null : onDemandRef(repo, ref);
    if (!a && !od) {
      direct.push(ref);
      continue;
    }
    if (a) {
      const out = a.spec.outputs.find((o) => o.name === a.output);
      if (!out) {
        bad.push(
          `aggregation view "${a.spec.name}" has no output "${a.output}"; its outputs: ${a.spec.outputs.map((o) => o.name).join(', ')}`,
        );
        continue;
      }
      const s = specIndex(a.spec);
      const name = featureColumnName(a.spec.name, out.name);
      if (!columns.some((c) => c.name === name)) columns.push({ kind: 'output', name, type: out.type, spec: s, output: out.name });
      continue;
    }
    const { spec, feature } = od as { spec: OnDemandSpec; feature: string };
    const f = spec.features.find((x) => x.name === feature);
    if (!f) {
      bad.push(`on-demand view "${spec.name}" has no feature "${feature}"; it has: ${spec.features.map((x) => x.name).join(', ')}`);
      continue;
    }
    let o = onDemand.findIndex((x) => x.spec === spec);
    if (o < 0) {
      // Its feature-view inputs are read whole, as online serving reads them: every feature, joined by the engines.
      const inputs = spec.inputs.map((i): AboveJoinInput => {
        if (i.kind === 'aggregation')
          return { alias: i.alias, spec: specIndex(repo.aggregationViews.find((x) => x.name === i.view) as AggregationSpec) };
        const v = repo.views.find((x) => x.name === i.view);
        const features = (v?.features ?? []).map((x) => ({ name: x.name, column: featureColumnName(i.view, x.name) }));
        for (const x of features) hiddenRefs.push(`${i.view}:${x.name}`);
        return { alias: i.alias, view: i.view, features };
      });
      o = onDemand.push({ spec, inputs }) - 1;
    }
    const name = featureColumnName(spec.name, f.name);
    if (!columns.some((c) => c.name === name)) columns.push({ kind: 'onDemand', name, type: f.type, onDemand: o, feature: f.name });
  }
  if (bad.length > 0) throw new TrainingSetError('UNKNOWN_FEATURE', `unknown feature${bad.length > 1 ? 's' : ''}: ${bad.join('; ')}`);
  if (specs.length === 0) return { direct, aggregations: null, extra: { keys: [], request: [] } };
  const selected = new Set(direct.map((r) => r.trim()));
  const hidden: string[] = [];
  for (const r of hiddenRefs)
    if (!selected.has(r)) {
      selected.add(r);
      direct.push(r);
      const [view, feature] = r.split(':') as [string, string];
      hidden.push(featureColumnName(view, feature));
    }
  return {
    direct,
    aggregations: { specs, onDemand, columns, hidden },
    extra: {
      keys: specs.flatMap((s) => s.events.keys.map((k) => ({ ...k, owner: s.name }))),
      request: onDemand.flatMap((o) => o.spec.request.map((r) => ({ name: r.name, type: r.type, owner: o.spec.name }))),
    },
  };
};
