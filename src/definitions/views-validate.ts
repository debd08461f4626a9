import type { FeatureView, OnDemandView, Repository } from './objects.js';
import { parseDuration } from './duration.js';
import { camelCase, compositeName } from './naming.js';
import { isValueType } from './value-types.js';
import { isFeatureDef } from './feature.js';
import { aggregationProblems } from './aggregation-validate.js';
import { RESERVED_FEATURES, type ValidationContext } from './validate-shared.js';

/**
 * The checks of feature views, aggregation views and on-demand views, in that order (docs/graphql.md for the names
 * they become).
 * Returns every view by name (an aggregation view by its events), for the feature services' checks.
 */
export const checkViews = (repo: Repository, cx: ValidationContext): Map<string, FeatureView | OnDemandView> => {
  const { add, entities, checkName, checkMeta, checkSchema, checkReferences, dup, groupField, problems } = cx;
  const views = new Map<string, FeatureView | OnDemandView>();
  /** A view's entities, each an entity() of this repository (at least one): the names of those that are. */
  const entityNames = (label: string, list: readonly unknown[] | undefined): string[] => {
    if (!Array.isArray(list) || list.length === 0) add(label, 'must be keyed by at least one entity', 'entities');
    const names: string[] = [];
    for (const e of (list ?? []) as readonly { kind?: unknown; name: string }[]) {
      if (typeof e !== 'object' || e === null || e.kind !== 'entity')
        add(label, `unknown entity ${JSON.stringify(e)}; pass an entity() definition`, 'entities');
      else if (entities.get(e.name) !== e) add(label, `unknown entity "${e.name}"`, 'entities');
      else names.push(e.name);
    }
    return names;
  };
  for (const v of repo.featureViews) {
    const label = checkName(v);
    checkMeta(label, v);
    dup('feature views and on-demand views', label, v.name, v);
    views.set(v.name, v);
    const ttl = parseDuration(v.ttl);
    if ('error' in ttl) add(label, `ttl ${ttl.error}`, 'ttl');
    const names = entityNames(label, v.entities);
    if (new Set(names).size !== names.length) add(label, 'lists an entity twice', 'entities');
    const joinKeys = new Set((v.entities ?? []).map((e) => e?.joinKey));
    const camel = checkSchema(label, 'feature', v.features, new Set([...RESERVED_FEATURES, ...joinKeys].filter((x): x is string => !!x)));
    // The view's type also has its join key fields (docs/subscriptions.md): a relation may not take their names.
    const taken = new Map([
      ...camel,
      ...[...joinKeys].filter((k): k is string => !!k).map((k) => [camelCase(k), `join key ${k}`] as const),
    ]);
    checkReferences(label, v.features, taken);
    if (!v.source || (v.source.kind !== 'postgresSource' && v.source.kind !== 'pushSource' && v.source.kind !== 'fileSource'))
      add(label, 'source must be a postgresSource(), fileSource() or pushSource()', 'source');
    else if (v.pointInTime?.asKnownAt === true && v.source.kind !== 'pushSource' && !v.source.createdTimestampColumn)
      add(label, 'asKnownAt needs a source with a createdTimestampColumn (the time each row became known)', 'pointInTime');
    if (names.length) groupField(compositeName(names), camelCase(v.name), `feature view "${v.name}"`, label);
  }

  for (const a of repo.aggregationViews ?? []) {
    const label = checkName(a);
    checkMeta(label, a);
    dup('feature views and on-demand views', label, a.name, a);
    views.set(a.name, a.events);
    const names = entityNames(label, a.entities);
    const joinKeys = new Set((a.entities ?? []).map((e) => e?.joinKey));
    checkSchema(label, 'field', a.fields, new Set([...RESERVED_FEATURES, ...joinKeys].filter((x): x is string => !!x)));
    if (!a.source || (a.source.kind !== 'postgresSource' && a.source.kind !== 'pushSource'))
      add(label, 'source must be a pushSource() or a postgresSource() of raw events', 'source');
    problems.push(...aggregationProblems(label, a));
    if (names.length) groupField(compositeName(names), camelCase(a.name), `aggregation view "${a.name}"`, label);
  }

  for (const o of repo.onDemandViews) {
    const label = checkName(o);
    checkMeta(label, o);
    dup('feature views and on-demand views', label, o.name, o);
    views.set(o.name, o);
    checkSchema(label, 'feature', o.features, RESERVED_FEATURES);
    if (Object.keys(o.request ?? {}).length > 0) checkSchema(label, 'request argument', o.request, new Set(['as_of']));
    for (const [name, declared] of [...Object.entries(o.features ?? {}), ...Object.entries(o.request ?? {})])
      if (isFeatureDef(declared) && declared.references !== undefined) add(label, 'references is only for features of feature views', name);
    for (const [name, declared] of Object.entries(o.request ?? {})) {
      const t = isFeatureDef(declared) ? declared.type : declared;
      if (isValueType(t) && (t.kind === 'list' || ['Bytes', 'Json'].includes(t.name)))
        add(label, 'request arguments must be Bool, Int32, Int64, Float32, Float64, String or Timestamp', name);
    }
    if (typeof o.transform !== 'function') add(label, 'transform must be a function', 'transform');
    const inputs = Object.entries(o.sources ?? {});
    if (inputs.length === 0) add(label, 'must read at least one feature view or aggregation view', 'sources');
    const keySets = new Set<string>();
    for (const [alias, v] of inputs) {
      // Aggregation outputs are inputs too (docs/aggregations.md, "In on-demand views").
      const known =
        (v?.kind === 'featureView' && repo.featureViews.includes(v)) ||
        (v?.kind === 'aggregationView' && (repo.aggregationViews ?? []).includes(v));
      if (!known) add(label, `input "${alias}" is not a feature view or aggregation view of this repository`, 'sources');
      else keySets.add(compositeName(v.entities.map((e) => e.name)));
    }
    if (keySets.size > 1)
      add(label, `reads views of different entities (${[...keySets].join(', ')}); all inputs must share one entity key`, 'sources');
    const [group] = [...keySets];
    if (group) groupField(group, camelCase(o.name), `on-demand view "${o.name}"`, label);
  }
  return views;
};
