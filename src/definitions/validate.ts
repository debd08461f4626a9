import type { FeatureService, FeatureView, OnDemandView, Repository, Source } from './objects.js';
import type { DefinitionProblem } from './errors.js';
import { IDENTIFIER, camelCase, compositeName, pascalCase, pluralField } from './naming.js';
import { isValueType } from './value-types.js';
import { monitoringProblems } from './monitoring-options.js';
import { describe, validationContext, type ValidationContext } from './validate-shared.js';
import { checkViews } from './views-validate.js';

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

/**
 * Static checks of a repository: every problem is collected, none stops the others. Each kind has its checks
 * (views in views-validate.ts, aggregation windows and functions in aggregation-validate.ts, monitoring options
 * in monitoring-options.ts); the names shared across kinds are checked here.
 * Checks that need the database (source tables and columns) live in `offline/source-checks.ts`.
 */
export const validateRepository = (repo: Repository, project?: string): DefinitionProblem[] => {
  const cx = validationContext();
  const { add } = cx;

  const projectName = project ?? repo.project ?? 'default';
  if (!IDENTIFIER.test(projectName) || projectName.length > 40)
    add(describe('project', projectName), 'must be lower_snake_case (a-z, 0-9, _), start with a letter, at most 40 characters');

  checkEntitiesAndSources(repo, cx);
  for (const e of cx.entities.values()) cx.groupField(e.name, camelCase(e.joinKey), `join key "${e.joinKey}"`, describe('entity', e.name));
  const views = checkViews(repo, cx);
  checkServices(repo, cx, views);
  checkGraphqlNames(repo, cx);
  cx.problems.push(...monitoringProblems(repo));
  return cx.problems;
};

/** Entities (names, join keys and their types) and sources (a table or query, or a file path, and the event time column). */
const checkEntitiesAndSources = (repo: Repository, cx: ValidationContext) => {
  const { add, entities, checkName, checkMeta, dup } = cx;
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
};

/** Feature services: known views, known features, one entity key. */
const checkServices = (repo: Repository, cx: ValidationContext, views: ReadonlyMap<string, FeatureView | OnDemandView>) => {
  const { add, checkName, checkMeta, dup } = cx;
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
};

/** GraphQL type and root field names must be unique after case conversion, and not featuregraph's own. */
const checkGraphqlNames = (repo: Repository, cx: ValidationContext) => {
  const { add, entities } = cx;
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
};
