/**
 * Public types of the registry: what is stored per object, per version and per view,
 * and what plan, apply and lineage return.
 */

export type ObjectKind = 'entity' | 'source' | 'feature_view' | 'on_demand_view' | 'feature_service' | 'aggregation_view';

export const OBJECT_KINDS: readonly ObjectKind[] = [
  'entity',
  'source',
  'feature_view',
  'on_demand_view',
  'feature_service',
  'aggregation_view',
];

export const KIND_LABELS: Readonly<Record<ObjectKind, string>> = {
  entity: 'entity',
  source: 'source',
  feature_view: 'feature view',
  on_demand_view: 'on-demand view',
  feature_service: 'feature service',
  aggregation_view: 'aggregation view',
};

export type Tags = Readonly<Record<string, string>>;

/** Fields every stored object description has. */
interface SpecMeta {
  readonly name: string;
  readonly description: string | null;
  readonly owner: string | null;
  readonly tags: Tags;
}

export interface EntitySpecJson extends SpecMeta {
  readonly kind: 'entity';
  readonly joinKey: string;
  readonly valueType: string;
}

export interface PostgresSourceSpecJson extends SpecMeta {
  readonly kind: 'source';
  readonly type: 'postgres';
  readonly table: string | null;
  readonly query: string | null;
  readonly timestampField: string;
  readonly createdTimestampColumn: string | null;
  readonly fieldMapping: Readonly<Record<string, string>>;
}

export interface PushSourceSpecJson extends SpecMeta {
  readonly kind: 'source';
  readonly type: 'push';
}

export interface FileSourceSpecJson extends SpecMeta {
  readonly kind: 'source';
  readonly type: 'file';
  readonly path: string;
  readonly timestampField: string;
  readonly createdTimestampColumn: string | null;
  readonly fieldMapping: Readonly<Record<string, string>>;
}

export type SourceSpecJson = PostgresSourceSpecJson | PushSourceSpecJson | FileSourceSpecJson;

/** A feature as stored: name, value type label, and description/unit/range when the definition gives them. */
export interface FeatureSpecJson {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly unit?: string;
  readonly range?: readonly [number, number];
  /** The entity whose join key the feature holds, and its relation field name. */
  readonly references?: string;
  readonly relation?: string;
}

export interface FeatureViewSpecJson extends SpecMeta {
  readonly kind: 'feature_view';
  readonly entities: readonly string[];
  /** Feature name → value type label (`Float32`, `List<Int64>`), in definition order. */
  readonly features: readonly FeatureSpecJson[];
  readonly ttlSeconds: number;
  readonly online: boolean;
  /** Set only when true, so views without it keep their content hash. */
  readonly asKnownAt?: true;
  /** The source is part of the view: a change to it changes what the view serves. */
  readonly source: SourceSpecJson;
}

export interface OnDemandViewSpecJson extends SpecMeta {
  readonly kind: 'on_demand_view';
  /** Alias → feature view name. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly request: readonly FeatureSpecJson[];
  readonly features: readonly FeatureSpecJson[];
  /** The transform's source text: editing the function changes the hash. */
  readonly transform: string;
}

export interface FeatureServiceSpecJson extends SpecMeta {
  readonly kind: 'feature_service';
  readonly features: readonly { readonly view: string; readonly features: readonly string[] }[];
}

/** An aggregation view (docs/aggregations.md): its events' fields and id, and each output's function, field and window. */
export interface AggregationViewSpecJson extends SpecMeta {
  readonly kind: 'aggregation_view';
  readonly entities: readonly string[];
  readonly eventId: string;
  readonly fields: readonly FeatureSpecJson[];
  readonly aggregations: readonly {
    readonly name: string;
    readonly fn: string;
    readonly field: string | null;
    readonly windowSeconds: number;
  }[];
  readonly source: SourceSpecJson;
}

export type ObjectSpecJson =
  | EntitySpecJson
  | SourceSpecJson
  | FeatureViewSpecJson
  | OnDemandViewSpecJson
  | FeatureServiceSpecJson
  | AggregationViewSpecJson;

/** An object as described by the definitions in code (not yet stored). */
export interface DescribedObject {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly hash: string;
  readonly spec: ObjectSpecJson;
}

/** An object as stored in one registry version. */
export interface RegistryObject extends DescribedObject {
  /** The registry version where this object's hash last changed. */
  readonly version: number;
  /** The registry version this row belongs to. */
  readonly registryVersion: number;
  readonly description: string | null;
  readonly owner: string | null;
  readonly tags: Tags;
}

export interface ObjectChange {
  readonly action: 'add' | 'change' | 'remove';
  readonly kind: ObjectKind;
  readonly name: string;
  /** For `change`: the top-level spec fields that differ (`ttlSeconds`, `features`, …). */
  readonly fields: readonly string[];
  /** For `change`: each differing value, old → new, by path (`ttlSeconds`, `features.conv_rate.type`, `tags.team`). */
  readonly values?: readonly ValueChange[];
}

/** One value that differs between two descriptions of an object; `undefined` = absent on that side. */
export interface ValueChange {
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

export interface Plan {
  readonly project: string;
  /** The registry's current version, or null when nothing was applied yet. */
  readonly currentVersion: number | null;
  readonly changes: readonly ObjectChange[];
  /** Number of objects that stay as they are. */
  readonly unchanged: number;
  readonly hasChanges: boolean;
  /** Hash of the whole repository as it would be recorded. */
  readonly repositoryHash: string;
}

export interface RegistryVersion {
  readonly version: number;
  readonly appliedAt: Date;
  readonly appliedBy: string;
  readonly repositoryHash: string;
  readonly changes: readonly ObjectChange[];
}

export interface ApplyResult {
  readonly project: string;
  /** The version now current (the new one, or the unchanged current one). */
  readonly version: number;
  readonly previousVersion: number | null;
  /** False when the definitions matched the current version: nothing was recorded. */
  readonly created: boolean;
  readonly plan: Plan;
  /** Indexes created or confirmed on postgres source tables (`schema.index_name`). */
  readonly sourceIndexes: readonly string[];
  /** Push tables created or confirmed. */
  readonly pushTables: readonly string[];
  /** Online tables created or confirmed. */
  readonly onlineTables: readonly string[];
}

/** Freshness of one view: how far incremental materialization got, and when it last ran. */
export interface ViewFreshness {
  readonly view: string;
  readonly watermark: Date | null;
  readonly lastMaterializedAt: Date | null;
  readonly lastRangeStart: Date | null;
  readonly lastRangeEnd: Date | null;
  readonly lastRowCount: number | null;
}

export interface LineageSource {
  readonly name: string;
  readonly type: 'postgres' | 'push' | 'file';
  /** The table read (`demo.credit_scores`), the push table (`fg_demo.push_location_risk`), or null for a query. */
  readonly table: string | null;
  readonly query: string | null;
  /** File sources: the Parquet file, glob or directory read. */
  readonly path?: string;
}

/** A feature view as lineage shows it. */
export interface LineageView {
  readonly view: string;
  readonly viewVersion: number;
  readonly source: LineageSource;
  readonly ttlSeconds: number;
  readonly owner: string | null;
}

export interface LineageFeature {
  readonly feature: string;
  /** The feature's description and unit from its definition, when given. */
  readonly description: string | null;
  readonly unit: string | null;
  readonly view: string;
  readonly viewKind: 'feature_view' | 'on_demand_view';
  readonly viewVersion: number;
  /** The view's source; null for an on-demand view (see `inputs`). */
  readonly source: LineageSource | null;
  /** The view's ttl; null for an on-demand view. */
  readonly ttlSeconds: number | null;
  readonly owner: string | null;
  /** For an on-demand view: the feature views its transform reads. */
  readonly inputs: readonly LineageView[];
}

export interface ServiceLineage {
  readonly project: string;
  readonly service: string;
  readonly serviceVersion: number;
  readonly registryVersion: number;
  readonly hash: string;
  readonly description: string | null;
  readonly owner: string | null;
  readonly features: readonly LineageFeature[];
}
