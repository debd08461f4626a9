import type { FeatureSpec, ResolvedRepository, ViewSpec } from '../../definitions/resolve.js';
import type { ScalarType } from '../../definitions/value-types.js';
import { TrainingSetError } from './errors.js';

/** The features of one view a training set selects, in the order first referenced. */
export interface ViewSelection {
  readonly view: ViewSpec;
  readonly features: readonly FeatureSpec[];
}

/** A join key column of the entity rows, shared by every selected view keyed by that entity. */
export interface EntityKeyColumn {
  readonly name: string;
  readonly type: ScalarType;
}

export interface TrainingPlan {
  readonly views: readonly ViewSelection[];
  /** On-demand selections. Extension point: a later change computes them in the row stream with the view's transform. */
  readonly onDemand: readonly { readonly view: string; readonly features: readonly string[] }[];
  /** Join keys the entity rows must carry, in first-referenced order. */
  readonly keys: readonly EntityKeyColumn[];
}

const validRefs = (repo: ResolvedRepository): string[] => [
  ...repo.views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`)),
  ...repo.onDemandViews.flatMap((o) => o.features.map((f) => `${o.name}:${f.name}`)),
];

/**
 * `view:feature` references (or a feature service's selections) → the views and features to join.
 * Unknown references fail together, listing the valid ones.
 */
export const planTrainingSet = (repo: ResolvedRepository, selection: { features?: readonly string[]; service?: string }): TrainingPlan => {
  let refs: { view: string; feature: string }[];
  if (selection.service !== undefined) {
    const svc = repo.services.find((s) => s.name === selection.service);
    if (!svc)
      throw new TrainingSetError('UNKNOWN_FEATURE', `unknown feature service "${selection.service}"; valid services: ${repo.services.map((s) => s.name).join(', ') || '(none)'}`);
    refs = svc.selections.flatMap((s) => s.features.map((feature) => ({ view: s.view, feature })));
  } else {
    const raw = selection.features ?? [];
    if (raw.length === 0) throw new TrainingSetError('UNKNOWN_FEATURE', 'no features selected: give view:feature references or a feature service');
    const bad: string[] = [];
    refs = [];
    for (const r of raw) {
      const m = /^([^:]+):([^:]+)$/.exec(r.trim());
      const view = m?.[1];
      const feature = m?.[2];
      const known =
        view !== undefined &&
        feature !== undefined &&
        (repo.views.some((v) => v.name === view && v.features.some((f) => f.name === feature)) ||
          repo.onDemandViews.some((o) => o.name === view && o.features.some((f) => f.name === feature)));
      if (known) refs.push({ view, feature });
      else bad.push(r);
    }
    if (bad.length > 0)
      throw new TrainingSetError('UNKNOWN_FEATURE', `unknown feature reference${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}; valid references: ${validRefs(repo).join(', ')}`);
  }
  const views = new Map<string, { view: ViewSpec; features: FeatureSpec[] }>();
  const onDemand = new Map<string, string[]>();
  for (const { view, feature } of refs) {
    const v = repo.views.find((x) => x.name === view);
    if (v) {
      const sel = views.get(view) ?? { view: v, features: [] };
      views.set(view, sel);
      const f = v.features.find((x) => x.name === feature);
      if (f && !sel.features.includes(f)) sel.features.push(f);
    } else {
      const list = onDemand.get(view) ?? [];
      onDemand.set(view, list);
      if (!list.includes(feature)) list.push(feature);
    }
  }
  const keys: EntityKeyColumn[] = [];
  for (const { view } of views.values())
    for (const k of view.keys) {
      const seen = keys.find((x) => x.name === k.joinKey);
      if (!seen) keys.push({ name: k.joinKey, type: k.type });
      else if (seen.type.name !== k.type.name)
        throw new TrainingSetError('UNSUPPORTED', `join key "${k.joinKey}" has type ${seen.type.name} in one view and ${k.type.name} in "${view.name}"`);
    }
  return { views: [...views.values()], onDemand: [...onDemand].map(([view, features]) => ({ view, features })), keys };
};
