import type { Entity, FeatureSchema, FeatureService, FeatureView, OnDemandView, Repository, Source } from './objects.js';
import type { DefinitionProblem } from './errors.js';
import { parseDuration } from './duration.js';
import { IDENTIFIER, camelCase, compositeName, pascalCase, pluralField } from './naming.js';
import { isValueType } from './value-types.js';
import { isFeatureDef, relationName } from './feature.js';
import { monitoringProblems } from './monitoring-options.js';
import { aggregationProblems } from './aggregation-validate.js';

/** GraphQL type names featuregraph itself defines; definitions may not produce them. */
export const RESERVED_TYPE_NAMES = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'DateTime',
  'Int64',
  'Bytes',
  'JSON',
  'PushTarget',
  'PushResult',
  'FeatureViewInfo',
  'FeatureInfo',
  'EntityInfo',
  'SourceInfo',
  'FeatureServiceInfo',
  'FeatureServiceFeature',
  'OnDemandViewInfo',
  'RegistryVersion',
  'Tag',
  'Freshness',
  'Duration',
  'FeatureRange',
]);

/** Root fields featuregraph itself defines. */
export const RESERVED_ROOT_FIELDS = new Set([
  'featureViews',
  'featureView',
  'entities',
  'entity',
  'featureServices',
  'featureService',
  'onDemandViews',
  'registryHistory',
  'registryVersion',
]);

/** Feature names that would collide with fields every view type has. */
const RESERVED_FEATURES = new Set(['event_timestamp', 'created_timestamp', 'age_seconds', '__typename']);

const describe = (kind: string, name: unknown): string => `${kind} ${JSON.stringify(name)}`;

const KIND_LABEL: Record<string, string> = {
  entity: 'entity',
  postgresSource: 'source',
  pushSource: 'source',
  fileSource: 'source',
  featureView: 'feature view',
  aggregationView: 'aggregation view',
  onDemandView: 'on-demand view',
  featureService: 'feature service',
};

/**
 * Static checks of a repository: every problem is collected, none stops the others.
 * Checks that need the database (source tables and columns) live in `offline/source-checks.ts`.
 */
export const validateRepository = (repo: Repository, project?: string): DefinitionProblem[] => {
  const problems: DefinitionProblem[] = [];
  const add = (object: string, message: string, field?: string) => problems.push({ object, message, ...(field ? { field } : {}) });

  const projectName = project ?? repo.project ?? 'default';
  if (!IDENTIFIER.test(projectName) || projectName.length > 40)
    add(describe('project', projectName), 'must be lower_snake_case (a-z, 0-9, _), start with a letter, at most 40 characters');

  const checkName = (obj: { kind: string; name: unknown }) => {
    const label = describe(KIND_LABEL[obj.kind] ?? obj.kind, obj.name);
    if (typeof obj.name !== 'string' || !IDENTIFIER.test(obj.name) || obj.name.length > 50)
      add(label, 'name must be lower_snake_case (a-z, 0-9, _), start with a letter, at most 50 characters');
    return label;
  };
  const checkMeta = (label: string, o: { tags?: unknown; description?: unknown; owner?: unknown }) => {
    if (o.description !== undefined && typeof o.description !== 'string') add(label, 'must be a string', 'description');
    if (o.owner !== undefined && typeof o.owner !== 'string') add(label, 'must be a string', 'owner');
    if (o.tags !== undefined && (typeof o.tags !== 'object' || o.tags === null || Object.values(o.tags).some((t) => typeof t !== 'string')))
      add(label, 'must map tag names to strings', 'tags');
  };

  const checkFeatureMeta = (label: string, name: string, f: { description?: unknown; unit?: unknown; range?: unknown; type: unknown }) => {
    if (f.description !== undefined && typeof f.description !== 'string') add(label, 'description must be a string', name);
    if (f.unit !== undefined && (typeof f.unit !== 'string' || f.unit === '')) add(label, 'unit must be a non-empty string', name);
    if (f.range === undefined) return;
    const r = f.range;
    const numeric = isValueType(f.type) && f.type.kind === 'scalar' && ['Int32', 'Int64', 'Float32', 'Float64'].includes(f.type.name);
    if (!numeric) add(label, 'range is only for numeric features (Int32, Int64, Float32, Float64)', name);
    else if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number' && Number.isFinite(x)) || r[0] > r[1])
      add(label, `range must be [min, max] with finite numbers and min <= max, got ${JSON.stringify(r)}`, name);
  };

  // Duplicate names within a kind, and between views and on-demand views (they share types and fields).
  const seen = new Map<string, Map<string, unknown>>();
  const dup = (space: string, label: string, name: string, obj: unknown) => {
    const m = seen.get(space) ?? new Map<string, unknown>();
    seen.set(space, m);
    if (m.has(name) && m.get(name) !== obj) add(label, `is defined more than once (names must be unique among ${space})`);
    m.set(name, obj);
  };

  const checkSchema = (label: string, what: string, schema: unknown, reserved: Set<string>): Map<string, string> => {
    const camel = new Map<string, string>();
    if (typeof schema !== 'object' || schema === null || Object.keys(schema).length === 0) {
      add(label, `must declare at least one ${what}`, `${what}s`);
      return camel;
    }
    for (const [name, declared] of Object.entries(schema as FeatureSchema)) {
      if (!IDENTIFIER.test(name)) add(label, `${what} name must be lower_snake_case`, name);
      if (reserved.has(name)) add(label, `"${name}" is reserved`, name);
      const type = isFeatureDef(declared) ? declared.type : declared;
      if (isFeatureDef(declared)) checkFeatureMeta(label, name, declared);
      if (!isValueType(type))
        add(
          label,
          `unknown value type ${JSON.stringify(type)}; use Bool, Int32, Int64, Float32, Float64, String, Bytes, Timestamp, Json or List(scalar)`,
          name,
        );
      const c = camelCase(name);
      if (camel.has(c)) add(label, `"${name}" and "${camel.get(c)}" both become GraphQL field "${c}"`, name);
      camel.set(c, name);
    }
    return camel;
  };

  /**
   * A feature that references an entity (docs/graphql.md, "Relations"): the entity is one of this repository,
   * the value type equals its join key type, and the relation field's name is free on the view's type.
   */
  const checkReferences = (label: string, schema: unknown, camel: Map<string, string>) => {
    if (typeof schema !== 'object' || schema === null) return;
    const relations = new Map<string, string>();
    for (const [name, declared] of Object.entries(schema as FeatureSchema)) {
      if (!isFeatureDef(declared) || (declared.references === undefined && declared.relation === undefined)) continue;
      const e = declared.references as unknown;
      if (typeof e !== 'object' || e === null || (e as { kind?: unknown }).kind !== 'entity') {
        add(label, `references ${JSON.stringify(e)}, which is not an entity() definition`, name);
        continue;
      }
      const ent = e as Entity;
      if (entities.get(ent.name) !== ent) {
        add(label, `references unknown entity "${ent.name}"`, name);
        continue;
      }
      const t = declared.type;
      if (isValueType(t) && (t.kind !== 'scalar' || t.name !== ent.valueType.name))
        add(
          label,
          `references entity "${ent.name}", whose join key ${ent.joinKey} is ${ent.valueType.name}, but the feature is ${t.kind === 'scalar' ? t.name : 'a list'}`,
          name,
        );
      const rel = relationName(name, { ...declared, references: ent });
      if (typeof rel !== 'string' || !IDENTIFIER.test(rel)) {
        add(label, `relation name ${JSON.stringify(rel)} must be lower_snake_case`, name);
        continue;
      }
      const c = camelCase(rel);
      if (RESERVED_FEATURES.has(rel)) add(label, `relation name "${rel}" is reserved`, name);
      else if (camel.has(c))
        add(label, `relation "${rel}" becomes GraphQL field "${c}", as feature "${camel.get(c)}" does; name it with relation: '…'`, name);
      else if (relations.has(c))
        add(
          label,
          `relation "${rel}" becomes GraphQL field "${c}", as the relation of "${relations.get(c)}" does; name it with relation: '…'`,
          name,
        );
      relations.set(c, name);
    }
  };

  const entities = new Map<string, Entity>();
  for (const e of repo.entities) {
    const label = checkName(e);
    checkMeta(label, e);
    dup('entities', label, e.name, e);
    entities.set(e.name, e);
    if (typeof e.joinKey !== 'string' || !IDENTIFIER.test(e.joinKey)) add(label, 'join key must be lower_snake_case', 'joinKey');
    if (!isValueType(e.valueType) || e.valueType.kind !== 'scalar' || !['Int32', 'Int64', 'String'].includes(e.valueType.name))
      add(label, 'join key type must be Int32, Int64 or String', 'valueType');
  }

  for (const s of repo.sources as readonly Source[]) {
    const label = checkName(s);
    checkMeta(label, s);
    dup('sources', label, s.name, s);
    if (s.kind === 'postgresSource') {
      if (!s.table === !s.query) add(label, 'give exactly one of `table` or `query`');
      if (s.table !== undefined && !/^("?[A-Za-z_][A-Za-z0-9_$]*"?\.)?"?[A-Za-z_][A-Za-z0-9_$]*"?$/.test(s.table))
        add(label, `table ${JSON.stringify(s.table)} must be a table name, optionally schema-qualified`, 'table');
      if (s.query !== undefined && !/^\s*(select|with)\b/i.test(s.query)) add(label, 'query must be a SELECT (or WITH … SELECT)', 'query');
      if (typeof s.timestampField !== 'string' || !s.timestampField) add(label, 'must name the event timestamp column', 'timestampField');
    }
    if (s.kind === 'fileSource') {
      if (typeof s.path !== 'string' || !s.path.trim()) add(label, 'must give the path of a Parquet file, a glob or a directory', 'path');
      else if (s.path.includes("'")) add(label, 'path must not contain a single quote', 'path');
      if (typeof s.timestampField !== 'string' || !s.timestampField) add(label, 'must name the event timestamp column', 'timestampField');
    }
  }

  const viewFieldsByGroup = new Map<string, Map<string, string>>();
  const groupField = (group: string, field: string, owner: string, label: string) => {
    const m = viewFieldsByGroup.get(group) ?? new Map<string, string>();
    viewFieldsByGroup.set(group, m);
    if (m.has(field) && m.get(field) !== owner) add(label, `becomes field "${field}" of ${pascalCase(group)}, as ${m.get(field)} does`);
    m.set(field, owner);
  };
  for (const e of entities.values()) groupField(e.name, camelCase(e.joinKey), `join key "${e.joinKey}"`, describe('entity', e.name));

  const views = new Map<string, FeatureView | OnDemandView>();
  for (const v of repo.featureViews) {
    const label = checkName(v);
    checkMeta(label, v);
    dup('feature views and on-demand views', label, v.name, v);
    views.set(v.name, v);
    const ttl = parseDuration(v.ttl);
    if ('error' in ttl) add(label, `ttl ${ttl.error}`, 'ttl');
    if (!Array.isArray(v.entities) || v.entities.length === 0) add(label, 'must be keyed by at least one entity', 'entities');
    const names: string[] = [];
    for (const e of v.entities ?? []) {
      if (typeof e !== 'object' || e === null || e.kind !== 'entity')
        add(label, `unknown entity ${JSON.stringify(e)}; pass an entity() definition`, 'entities');
      else if (entities.get(e.name) !== e) add(label, `unknown entity "${e.name}"`, 'entities');
      else names.push(e.name);
    }
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
    if (!Array.isArray(a.entities) || a.entities.length === 0) add(label, 'must be keyed by at least one entity', 'entities');
    const names: string[] = [];
    for (const e of a.entities ?? []) {
      if (typeof e !== 'object' || e === null || e.kind !== 'entity')
        add(label, `unknown entity ${JSON.stringify(e)}; pass an entity() definition`, 'entities');
      else if (entities.get(e.name) !== e) add(label, `unknown entity "${e.name}"`, 'entities');
      else names.push(e.name);
    }
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

  for (const s of repo.featureServices as readonly FeatureService[]) {
    const label = checkName(s);
    checkMeta(label, s);
    dup('feature services', label, s.name, s);
    if (!Array.isArray(s.features) || s.features.length === 0) add(label, 'must select at least one feature', 'features');
    const groups = new Set<string>();
    for (const sel of s.features ?? []) {
      const v = sel?.view;
      if (!v || views.get(v.name) !== v) {
        add(label, `selects from unknown view ${JSON.stringify(v?.name)}`, 'features');
        continue;
      }
      for (const f of sel.features)
        if (!(f in v.features))
          add(label, `view "${v.name}" has no feature "${f}" (it has ${Object.keys(v.features).join(', ')})`, 'features');
      if (v.kind === 'featureView') groups.add(compositeName(v.entities.map((e) => e.name)));
      else {
        const first = Object.values(v.sources ?? {})[0];
        if (first) groups.add(compositeName(first.entities.map((e) => e.name)));
      }
    }
    if (groups.size > 1) add(label, `mixes views of different entities (${[...groups].join(', ')})`, 'features');
  }

  // GraphQL type and root field names must be unique after case conversion.
  const types = new Map<string, string>();
  const typeOf = (name: string, owner: string) => {
    if (RESERVED_TYPE_NAMES.has(name)) add(owner, `becomes GraphQL type "${name}", which featuregraph reserves`);
    else if (types.has(name) && types.get(name) !== owner) add(owner, `becomes GraphQL type "${name}", as ${types.get(name)} does`);
    types.set(name, owner);
  };
  const roots = new Map<string, string>();
  const rootOf = (name: string, owner: string) => {
    if (RESERVED_ROOT_FIELDS.has(name)) add(owner, `becomes root field "${name}", which featuregraph reserves`);
    else if (roots.has(name) && roots.get(name) !== owner) add(owner, `becomes root field "${name}", as ${roots.get(name)} does`);
    roots.set(name, owner);
  };
  const groupsSeen = new Set<string>();
  const group = (name: string, owner: string) => {
    if (groupsSeen.has(name)) return;
    groupsSeen.add(name);
    typeOf(pascalCase(name), owner);
    rootOf(camelCase(name), owner);
    rootOf(pluralField(name), owner);
  };
  for (const e of entities.values()) group(e.name, describe('entity', e.name));
  for (const v of repo.featureViews) {
    const label = describe('feature view', v.name);
    typeOf(pascalCase(v.name), label);
    typeOf(`${pascalCase(v.name)}RowInput`, label);
    rootOf(camelCase(`push_${v.name}`), label);
    if (Array.isArray(v.entities) && v.entities.length > 1) group(compositeName(v.entities.map((e) => e?.name)), label);
  }
  for (const o of repo.onDemandViews) typeOf(pascalCase(o.name), describe('on-demand view', o.name));
  for (const a of repo.aggregationViews ?? []) {
    const label = describe('aggregation view', a.name);
    typeOf(pascalCase(a.name), label);
    typeOf(`${pascalCase(a.name)}RowInput`, label);
    rootOf(camelCase(`push_${a.name}`), label);
    if (Array.isArray(a.entities) && a.entities.length > 1) group(compositeName(a.entities.map((e) => e?.name)), label);
  }
  for (const s of repo.featureServices) {
    const label = describe('feature service', s.name);
    typeOf(pascalCase(s.name), label);
    rootOf(camelCase(s.name), label);
    rootOf(pluralField(s.name), label);
  }
  problems.push(...monitoringProblems(repo));
  return problems;
};
