import type { FeatureSpec, OnDemandSpec, ResolvedRepository, ViewSpec } from '../../definitions/resolve.js';
import { typeLabel, type ScalarType, type ValueType } from '../../definitions/value-types.js';
import { TrainingSetError } from './errors.js';

/**
 * The features of one view a training set reads: first those selected as output columns, in the order
 * first referenced, then any others an on-demand transform reads (it gets every feature of its inputs).
 */
export interface ViewSelection {
  readonly view: ViewSpec;
  readonly features: readonly FeatureSpec[];
  /** How many of `features`, from the first, are output columns. */
  readonly outputs: number;
}

/** A selected on-demand view: its output features, and which plan view feeds each input alias. */
export interface OnDemandSelection {
  readonly spec: OnDemandSpec;
  readonly features: readonly string[];
  readonly inputs: readonly { readonly alias: string; readonly view: number }[];
}

/** A request argument of the selected on-demand views: a typed column of the entity rows. */
export interface RequestColumn {
  readonly name: string;
  readonly type: ValueType;
}

/** A join key column of the entity rows, shared by every selected view keyed by that entity. */
export interface EntityKeyColumn {
  readonly name: string;
  readonly type: ScalarType;
}

export interface TrainingPlan {
  readonly views: readonly ViewSelection[];
  /** On-demand selections, computed in the row stream with the view's transform. */
  readonly onDemand: readonly OnDemandSelection[];
  /** Request arguments the on-demand selections need, as entity row columns. */
  readonly request: readonly RequestColumn[];
  /** Join keys the entity rows must carry, in first-referenced order. */
  readonly keys: readonly EntityKeyColumn[];
}

const validRefs = (repo: ResolvedRepository): string[] => [
  ...repo.views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`)),
  ...repo.onDemandViews.flatMap((o) => o.features.map((f) => `${o.name}:${f.name}`)),
  ...repo.aggregationViews.flatMap((a) => a.outputs.map((o) => `${a.name}:${o.name}`)),
];

/**
 * Entity row columns needed by features computed above the join (aggregation outputs, docs/aggregations.md):
 * their join keys and request arguments, each with the name of the object that needs it (for errors).
 */
export interface ExtraPlanColumns {
  readonly keys: readonly { readonly joinKey: string; readonly type: ScalarType; readonly owner: string }[];
  readonly request: readonly (RequestColumn & { readonly owner: string })[];
}

/** A feature service's selections as `view:feature` references; throws listing the services when unknown. */
export const serviceRefs = (repo: ResolvedRepository, service: string): string[] => {
  const svc = repo.services.find((s) => s.name === service);
  if (!svc)
    throw new TrainingSetError(
      'UNKNOWN_FEATURE',
      `unknown feature service "${service}"; valid services: ${repo.services.map((s) => s.name).join(', ') || '(none)'}`,
    );
  return svc.selections.flatMap((s) => s.features.map((feature) => `${s.view}:${feature}`));
};

/**
 * `view:feature` references (or a feature service's selections) → the views and features to join.
 * Unknown references fail together, listing the valid ones. `extra` adds the join keys and request
 * arguments of features computed above the join; with it, the references may be empty.
 */
export const planTrainingSet = (
  repo: ResolvedRepository,
  selection: { features?: readonly string[]; service?: string },
  extra?: ExtraPlanColumns,
): TrainingPlan => {
  let refs: { view: string; feature: string }[];
  if (selection.service !== undefined) {
    refs = serviceRefs(repo, selection.service).map((r) => {
      const [view, feature] = r.split(':') as [string, string];
      return { view, feature };
    });
  } else {
    const raw = selection.features ?? [];
    if (raw.length === 0 && !extra)
      throw new TrainingSetError('UNKNOWN_FEATURE', 'no features selected: give view:feature references or a feature service');
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
      throw new TrainingSetError(
        'UNKNOWN_FEATURE',
        `unknown feature reference${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}; valid references: ${validRefs(repo).join(', ')}`,
      );
  }
  const views = new Map<string, { view: ViewSpec; features: FeatureSpec[]; outputs: number }>();
  const onDemand = new Map<string, string[]>();
  for (const { view, feature } of refs) {
    const v = repo.views.find((x) => x.name === view);
    if (v) {
      const sel = views.get(view) ?? { view: v, features: [], outputs: 0 };
      views.set(view, sel);
      const f = v.features.find((x) => x.name === feature);
      if (f && !sel.features.includes(f)) sel.outputs = sel.features.push(f);
    } else {
      const list = onDemand.get(view) ?? [];
      onDemand.set(view, list);
      if (!list.includes(feature)) list.push(feature);
    }
  }
  // An on-demand view's inputs are read whole, as online serving reads them; features not selected are fetched unseen.
  const selected: OnDemandSelection[] = [...onDemand].map(([name, features]) => {
    const spec = repo.onDemandViews.find((o) => o.name === name) as OnDemandSpec;
    if (spec.inputs.some((i) => i.kind === 'aggregation'))
      throw new TrainingSetError(
        'UNSUPPORTED',
        `on-demand view "${name}" reads aggregation outputs: plan it with planTrainingRequest (training/aggregation-refs.ts)`,
      );
    const inputs = spec.inputs.map(({ alias, view }) => {
      const v = repo.views.find((x) => x.name === view) as ViewSpec;
      const sel = views.get(view) ?? { view: v, features: [], outputs: 0 };
      views.set(view, sel);
      for (const f of v.features) if (!sel.features.includes(f)) sel.features.push(f);
      return { alias, view: [...views.keys()].indexOf(view) };
    });
    return { spec, features, inputs };
  });
  const request: RequestColumn[] = [];
  const requestArgs = [
    ...selected.flatMap((o) => o.spec.request.map((r) => ({ r, owner: o.spec.name }))),
    ...(extra?.request ?? []).map((r) => ({ r, owner: r.owner })),
  ];
  for (const { r, owner } of requestArgs) {
    const seen = request.find((x) => x.name === r.name);
    if (!seen) request.push({ name: r.name, type: r.type });
    else if (typeLabel(seen.type) !== typeLabel(r.type))
      throw new TrainingSetError(
        'UNSUPPORTED',
        `request argument "${r.name}" has type ${typeLabel(seen.type)} in one on-demand view and ${typeLabel(r.type)} in "${owner}"`,
      );
  }
  const keys: EntityKeyColumn[] = [];
  const joinKeys = [
    ...[...views.values()].flatMap(({ view }) => view.keys.map((k) => ({ joinKey: k.joinKey, type: k.type, owner: view.name }))),
    ...(extra?.keys ?? []),
  ];
  for (const k of joinKeys) {
    const seen = keys.find((x) => x.name === k.joinKey);
    if (!seen) keys.push({ name: k.joinKey, type: k.type });
    else if (seen.type.name !== k.type.name)
      throw new TrainingSetError(
        'UNSUPPORTED',
        `join key "${k.joinKey}" has type ${seen.type.name} in one view and ${k.type.name} in "${k.owner}"`,
      );
  }
  for (const r of request)
    if (keys.some((k) => k.name === r.name))
      throw new TrainingSetError('UNSUPPORTED', `request argument "${r.name}" has the name of a join key`);
  return { views: [...views.values()], onDemand: selected, request, keys };
};
