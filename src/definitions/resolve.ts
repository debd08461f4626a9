import type { Entity, FeatureService, FeatureView, OnDemandView, Repository } from './objects.js';
import { parseDuration } from './duration.js';
import { compositeName } from './naming.js';
import type { ScalarType, ValueType } from './value-types.js';
import { featureMeta, featureReference, featureType, type FeatureLike, type FeatureMeta } from './feature.js';
import { resolveAggregation, type AggregationSpec } from './aggregation-spec.js';

/** One join key of a view, with the source column that holds it. */
export interface KeySpec {
  readonly entity: string;
  readonly joinKey: string;
  readonly type: ScalarType;
  readonly column: string;
}

/** A feature (or request argument) with its value type and what the definition says about it. */
export interface FeatureSpec extends FeatureMeta {
  readonly name: string;
  readonly type: ValueType;
  /** Column in the offline source. */
  readonly column: string;
  /** The entity whose join key this feature holds, and the name of the relation field (docs/graphql.md, "Relations"). */
  readonly references?: { readonly entity: string; readonly relation: string };
}

/** Where a view's offline rows live: a SQL relation or files, and its timestamp columns. */
export interface OfflineSourceSpec {
  readonly sourceName: string;
  /** Which offline engine reads it (docs/offline-stores.md): postgres and push on Postgres/PGlite, file on DuckDB. */
  readonly kind: 'postgres' | 'push' | 'file';
  /** Postgres and push: a relation usable after FROM, a quoted table name or a parenthesised query; file: ''. */
  readonly relation: string;
  /** File sources: the Parquet file, glob or directory; null otherwise. */
  readonly path: string | null;
  /** For source checks and lineage: the table, or null for a query source. */
  readonly table: string | null;
  readonly eventTimestampColumn: string;
  readonly createdTimestampColumn: string | null;
}

/** A feature view with everything the stores need resolved. */
export interface ViewSpec {
  readonly name: string;
  readonly def: FeatureView;
  /** Entity names in order; their join keys make the view's key. */
  readonly entityNames: readonly string[];
  /** `driver` or `driver_customer` for composite keys. */
  readonly keyName: string;
  readonly keys: readonly KeySpec[];
  readonly features: readonly FeatureSpec[];
  readonly ttlSeconds: number;
  readonly online: boolean;
  /** Point-in-time reads keep only rows known (created) by the as-of time unless overridden per read. */
  readonly asKnownAt: boolean;
  readonly source: OfflineSourceSpec;
}

/** A feature or request argument without a source column. */
export type TypedFeature = Omit<FeatureSpec, 'column'>;

const typed = ([name, f]: [string, FeatureLike]): TypedFeature => ({ name, type: featureType(f), ...featureMeta(f) });

export interface OnDemandSpec {
  readonly name: string;
  readonly def: OnDemandView;
  readonly entityNames: readonly string[];
  readonly keyName: string;
  /** Its inputs by alias: a feature view, or an aggregation view (docs/aggregations.md, "In on-demand views"). */
  readonly inputs: readonly { readonly alias: string; readonly view: string; readonly kind: 'view' | 'aggregation' }[];
  readonly request: readonly TypedFeature[];
  readonly features: readonly TypedFeature[];
}

export interface ServiceSpec {
  readonly name: string;
  readonly def: FeatureService;
  readonly entityNames: readonly string[];
  readonly keyName: string;
  readonly selections: readonly { readonly view: string; readonly onDemand: boolean; readonly features: readonly string[] }[];
}

/** A validated repository in the shape the registry, stores and schema builder use. */
export interface ResolvedRepository {
  readonly project: string;
  readonly entities: readonly Entity[];
  readonly views: readonly ViewSpec[];
  readonly onDemandViews: readonly OnDemandSpec[];
  readonly services: readonly ServiceSpec[];
  /** Windowed aggregations over raw events (docs/aggregations.md). */
  readonly aggregationViews: readonly AggregationSpec[];
  /** Key groups that get a GraphQL type: single entities and composite keys of views. */
  readonly keyGroups: readonly { readonly name: string; readonly entities: readonly Entity[] }[];
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** `schema.table` → `"schema"."table"`. */
export const quoteQualified = (name: string): string =>
  name
    .split('.')
    .map((p) => quoteIdent(p.replace(/^"|"$/g, '')))
    .join('.');

/** The schema that holds a project's registry, online tables and push tables. */
export const projectSchema = (project: string): string => `fg_${project}`;

export const pushTableName = (project: string, view: string): string =>
  `${quoteIdent(projectSchema(project))}.${quoteIdent(`push_${view}`)}`;

export const PUSH_EVENT_TS = 'event_timestamp';
export const PUSH_CREATED_TS = 'created_timestamp';

const sourceSpec = (project: string, v: FeatureView): OfflineSourceSpec => {
  const s = v.source;
  if (s.kind === 'pushSource')
    return {
      sourceName: s.name,
      kind: 'push',
      relation: pushTableName(project, v.name),
      path: null,
      table: `${projectSchema(project)}.push_${v.name}`,
      eventTimestampColumn: PUSH_EVENT_TS,
      createdTimestampColumn: PUSH_CREATED_TS,
    };
  if (s.kind === 'fileSource')
    return {
      sourceName: s.name,
      kind: 'file',
      relation: '',
      path: s.path,
      table: null,
      eventTimestampColumn: s.timestampField,
      createdTimestampColumn: s.createdTimestampColumn ?? null,
    };
  return {
    sourceName: s.name,
    kind: 'postgres',
    relation: s.table ? quoteQualified(s.table) : `(${s.query ?? ''})`,
    path: null,
    table: s.table ?? null,
    eventTimestampColumn: s.timestampField,
    createdTimestampColumn: s.createdTimestampColumn ?? null,
  };
};

const column = (v: FeatureView, name: string): string =>
  v.source.kind === 'postgresSource' || v.source.kind === 'fileSource' ? (v.source.fieldMapping?.[name] ?? name) : name;

export const resolveView = (project: string, v: FeatureView): ViewSpec => {
  const ttl = parseDuration(v.ttl);
  return {
    name: v.name,
    def: v,
    entityNames: v.entities.map((e) => e.name),
    keyName: compositeName(v.entities.map((e) => e.name)),
    keys: v.entities.map((e) => ({ entity: e.name, joinKey: e.joinKey, type: e.valueType, column: column(v, e.joinKey) })),
    features: Object.entries(v.features).map(([name, f]) => {
      const ref = featureReference(name, f);
      return {
        name,
        type: featureType(f),
        column: column(v, name),
        ...featureMeta(f),
        ...(ref ? { references: { entity: ref.entity.name, relation: ref.relation } } : {}),
      };
    }),
    ttlSeconds: 'seconds' in ttl ? ttl.seconds : 0,
    online: v.online !== false,
    asKnownAt: v.pointInTime?.asKnownAt === true,
    source: sourceSpec(project, v),
  };
};

/**
 * Resolve a repository that `validateRepository` accepted. The project name comes from
 * the environment/flags when given, else from the repository, else `default`.
 */
export const resolveRepository = (repo: Repository, projectOverride?: string): ResolvedRepository => {
  const project = projectOverride ?? repo.project ?? 'default';
  const views = repo.featureViews.map((v) => resolveView(project, v));
  const byName = new Map(views.map((v) => [v.name, v]));
  const aggregationViews = (repo.aggregationViews ?? []).map((a) => resolveAggregation(project, a));
  const inputByName = new Map<string, { entityNames: readonly string[] }>([
    ...byName,
    ...aggregationViews.map((a) => [a.name, a] as const),
  ]);
  const onDemandViews: OnDemandSpec[] = repo.onDemandViews.map((o) => {
    const inputs = Object.entries(o.sources).map(([alias, v]) => ({
      alias,
      view: v.name,
      kind: v.kind === 'aggregationView' ? ('aggregation' as const) : ('view' as const),
    }));
    const first = inputs[0] ? inputByName.get(inputs[0].view) : undefined;
    const entityNames = first?.entityNames ?? [];
    return {
      name: o.name,
      def: o,
      entityNames,
      keyName: compositeName(entityNames),
      inputs,
      request: Object.entries(o.request).map(typed),
      features: Object.entries(o.features).map(typed),
    };
  });
  const odByName = new Map(onDemandViews.map((o) => [o.name, o]));
  const services: ServiceSpec[] = repo.featureServices.map((s) => {
    const selections = s.features.map((sel) => ({
      view: sel.view.name,
      onDemand: sel.view.kind === 'onDemandView',
      features: [...sel.features],
    }));
    const first = selections[0];
    const entityNames = first ? (byName.get(first.view)?.entityNames ?? odByName.get(first.view)?.entityNames ?? []) : [];
    return { name: s.name, def: s, entityNames, keyName: compositeName(entityNames), selections };
  });
  const entityByName = new Map(repo.entities.map((e) => [e.name, e]));
  const groups = new Map<string, Entity[]>();
  for (const e of repo.entities) groups.set(e.name, [e]);
  for (const v of [...views, ...aggregationViews])
    if (!groups.has(v.keyName))
      groups.set(
        v.keyName,
        v.entityNames.map((n) => entityByName.get(n)).filter((e): e is Entity => !!e),
      );
  return {
    project,
    entities: repo.entities,
    views,
    onDemandViews,
    services,
    aggregationViews,
    keyGroups: [...groups].map(([name, entities]) => ({ name, entities })),
  };
};
