import type { FeatureSpec, ResolvedRepository, ViewSpec } from '../../definitions/resolve.js';
import type { ValueType } from '../../definitions/value-types.js';
import { TrainingSetError } from './errors.js';
import { planTrainingSet, serviceRefs, type TrainingPlan } from './feature-refs.js';
import { planAggregations, type AggregationPlan } from './aggregation-refs.js';
import { featureColumnName } from './output-columns.js';

/**
 * Training-set features reached through a relation (docs/offline-stores.md, "Features through a relation"):
 * `trip_facts.driver:driver_stats:conv_rate` reads `driver_stats:conv_rate` for the driver that
 * `trip_facts:driver_id` names as of the entity row's time. Several hops chain:
 * `trip_facts.driver:driver_stats.home_city:city_stats:surge`.
 */

/** At most this many relations in one path: deeper paths are refused (each hop is one more read per batch). */
export const MAX_RELATION_HOPS = 3;

/** A view reached through a relation, read point in time at each entity row's time (one node per distinct path). */
export interface RelationNode {
  /** The path that reaches it, `trip_facts.driver:driver_stats`: also its name in the training set's view list. */
  readonly label: string;
  readonly view: ViewSpec;
  /** Where its key comes from: a base output column (the first hop), or a feature of an earlier node. */
  readonly parent: { readonly column: string } | { readonly node: number; readonly feature: string };
  /** Features read: the outputs, then the reference features later hops follow. */
  readonly features: string[];
}

/** One output column reached through a relation. */
export interface RelationColumn {
  readonly name: string;
  readonly node: number;
  readonly feature: string;
  readonly type: ValueType;
}

export interface RelationPlan {
  /** The reached views, parents before children. */
  readonly nodes: readonly RelationNode[];
  /** Output columns, in the order first named; they follow the other columns. */
  readonly columns: readonly RelationColumn[];
  /** Base output columns joined only to feed a first hop (`trip_facts__driver_id` when not selected itself). */
  readonly hidden: readonly string[];
}

/** Whether a reference names a path through a relation rather than `view:feature`. */
export const isRelationRef = (ref: string): boolean => {
  const parts = ref.trim().split(':');
  return parts.length > 2 || (parts[0] ?? '').includes('.');
};

const relationsOf = (v: ViewSpec): string[] => v.features.flatMap((f) => (f.references ? [f.references.relation] : []));

interface Step {
  readonly view: ViewSpec;
  readonly via: FeatureSpec;
}

/** One path's hops and its target feature, or why it is not a valid path. */
const parsePath = (repo: ResolvedRepository, ref: string): { steps: Step[]; target: ViewSpec; feature: FeatureSpec } | string => {
  const parts = ref.trim().split(':');
  if (parts.length < 3)
    return `"${ref}": a relation leads to a view; write view.relation:view:feature (e.g. trip_facts.driver:driver_stats:conv_rate)`;
  const hops = parts.slice(0, -2);
  const [targetName, featureName] = parts.slice(-2) as [string, string];
  if (hops.length > MAX_RELATION_HOPS) return `"${ref}": ${hops.length} relations; at most ${MAX_RELATION_HOPS} are followed in one path`;
  const steps: Step[] = [];
  let expected: string | null = null; // the entity the previous hop reaches
  const seen = new Set<string>();
  const viewNamed = (name: string, what: string): ViewSpec | string => {
    const v = repo.views.find((x) => x.name === name);
    if (v) return v;
    if (repo.onDemandViews.some((o) => o.name === name)) return `"${ref}": on-demand view "${name}" cannot be ${what} in a training set`;
    if (repo.aggregationViews.some((a) => a.name === name))
      return `"${ref}": aggregation view "${name}" cannot be ${what} in a training set yet; name its outputs directly (${name}:<output>) with entity rows of its own key (docs/aggregations.md)`;
    return `"${ref}": unknown feature view "${name}"`;
  };
  const reaches = (v: ViewSpec): string | null => {
    if (expected === null) return null;
    if (v.keys.length === 1 && v.keys[0]?.entity === expected) return null;
    return `"${ref}": the relation before "${v.name}" reaches entity "${expected}", but view "${v.name}" is keyed by ${v.entityNames.join(', ')}`;
  };
  const visit = (v: ViewSpec): string | null => {
    if (seen.has(v.name))
      return `"${ref}": the path visits view "${v.name}" twice (a cycle); name the feature directly or by a shorter path`;
    seen.add(v.name);
    return null;
  };
  for (const hop of hops) {
    const dot = hop.indexOf('.');
    if (dot <= 0 || dot === hop.length - 1 || hop.indexOf('.', dot + 1) >= 0) return `"${ref}": "${hop}" is not view.relation`;
    const v = viewNamed(hop.slice(0, dot), 'followed through a relation');
    if (typeof v === 'string') return v;
    const problem = reaches(v) ?? visit(v);
    if (problem) return problem;
    const rel = hop.slice(dot + 1);
    // The relation's name, or the name of the reference feature itself (`trip_facts.driver_id`).
    const via = v.features.find((f) => f.references?.relation === rel) ?? v.features.find((f) => f.name === rel);
    if (!via) return `"${ref}": view "${v.name}" has no relation "${rel}"; its relations: ${relationsOf(v).join(', ') || '(none)'}`;
    if (!via.references)
      return `"${ref}": feature "${v.name}:${via.name}" is not a reference (declare it feature(type, { references: entity })); relations of "${v.name}": ${relationsOf(v).join(', ') || '(none)'}`;
    steps.push({ view: v, via });
    expected = via.references.entity;
  }
  if (targetName.includes('.'))
    return `"${ref}": "${targetName}" is followed by a feature, not by a relation; write ${targetName}:view:feature`;
  const target = viewNamed(targetName, 'reached through a relation');
  if (typeof target === 'string') return target;
  const problem = reaches(target) ?? visit(target);
  if (problem) return problem;
  const feature = target.features.find((f) => f.name === featureName);
  if (!feature)
    return `"${ref}": feature view "${target.name}" has no feature "${featureName}"; it has: ${target.features.map((f) => f.name).join(', ')}`;
  return { steps, target, feature };
};

/** `trip_facts__driver__driver_stats__conv_rate`: each hop's view and relation, then the view and feature. */
export const relationColumnName = (steps: readonly { view: string; relation: string }[], view: string, feature: string): string =>
  [...steps.map((s) => `${s.view}__${s.relation}`), featureColumnName(view, feature)].join('__');

/**
 * Split references into direct ones (`view:feature`, planned as before) and paths through relations, planned
 * here; every bad path is reported at once. `direct` gets the first hops' reference features appended (as
 * hidden columns when not selected themselves): the engines join them like any feature.
 */
export const planRelations = (repo: ResolvedRepository, refs: readonly string[]): { direct: string[]; relations: RelationPlan | null } => {
  const direct = refs.filter((r) => !isRelationRef(r));
  const paths = refs.filter(isRelationRef);
  if (paths.length === 0) return { direct, relations: null };
  const bad: string[] = [];
  const nodes: RelationNode[] = [];
  const columns: RelationColumn[] = [];
  const hidden: string[] = [];
  const selected = new Set(direct.map((r) => r.trim()));
  for (const ref of paths) {
    const p = parsePath(repo, ref);
    if (typeof p === 'string') {
      bad.push(p);
      continue;
    }
    let prefix = ''; // the path so far, up to the view being followed: '', 'trip_facts.driver:', ...
    let node = -1;
    p.steps.forEach((s, i) => {
      let parent: RelationNode['parent'];
      if (i === 0) {
        const first = `${s.view.name}:${s.via.name}`;
        if (!selected.has(first)) {
          selected.add(first);
          direct.push(first);
          hidden.push(featureColumnName(s.view.name, s.via.name));
        }
        parent = { column: featureColumnName(s.view.name, s.via.name) };
      } else {
        const features = (nodes[node] as RelationNode).features;
        if (!features.includes(s.via.name)) features.push(s.via.name);
        parent = { node, feature: s.via.name };
      }
      prefix = `${prefix}${s.view.name}.${(s.via.references as { relation: string }).relation}:`;
      const next = p.steps[i + 1]?.view ?? p.target;
      const label = `${prefix}${next.name}`;
      node = nodes.findIndex((n) => n.label === label);
      if (node < 0) node = nodes.push({ label, view: next, parent, features: [] }) - 1;
    });
    const name = relationColumnName(
      p.steps.map((s) => ({ view: s.view.name, relation: (s.via.references as { relation: string }).relation })),
      p.target.name,
      p.feature.name,
    );
    if (columns.some((c) => c.name === name)) continue;
    const features = (nodes[node] as RelationNode).features;
    if (!features.includes(p.feature.name)) features.push(p.feature.name);
    columns.push({ name, node, feature: p.feature.name, type: p.feature.type });
  }
  if (bad.length > 0) throw new TrainingSetError('UNKNOWN_FEATURE', `bad relation path${bad.length > 1 ? 's' : ''}: ${bad.join('; ')}`);
  return { direct, relations: { nodes, columns, hidden } };
};

/**
 * The plan the engines join (direct references, plus the first hops' keys) and what is added above it per
 * batch: relation paths, and aggregation outputs (training/aggregation-refs.ts). A feature service's
 * selections are planned as the references they name.
 */
export const planTrainingRequest = (
  repo: ResolvedRepository,
  selection: { features?: readonly string[]; service?: string },
): { plan: TrainingPlan; relations: RelationPlan | null; aggregations: AggregationPlan | null } => {
  const refs = selection.service !== undefined ? serviceRefs(repo, selection.service) : selection.features;
  if (refs === undefined || refs.length === 0) return { plan: planTrainingSet(repo, selection), relations: null, aggregations: null };
  const planned = planRelations(repo, refs);
  const { direct, aggregations, extra } = planAggregations(repo, planned.direct);
  return {
    plan: aggregations ? planTrainingSet(repo, { features: direct }, extra) : planTrainingSet(repo, { features: direct }),
    relations: planned.relations,
    aggregations,
  };
};
