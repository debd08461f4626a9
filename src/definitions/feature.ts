import type { Entity } from './objects.js';
import type { ValueType } from './value-types.js';

/** What a feature says about itself besides its type; shown in the GraphQL schema, the registry and lineage. */
export interface FeatureMeta {
  /** What the value means; becomes the GraphQL field's description. */
  readonly description?: string;
  /** Unit of the value, e.g. `ratio`, `km`, `trips/day`. */
  readonly unit?: string;
  /** Expected [min, max] of a numeric value (documentation; not enforced on reads). */
  readonly range?: readonly [number, number];
}

/**
 * A feature of a view whose value is another entity's join key: `driver_id: feature(Int64, { references: driver })`.
 * The view's GraphQL type then has a field of that entity's type (docs/graphql.md, "Relations").
 */
export interface FeatureReference {
  /** The entity whose join key the value is; the feature's value type must equal the entity's join key type. */
  readonly references?: Entity;
  /** Name of the relation field (snake_case); default: the feature name without a trailing `_id`, else the entity name. */
  readonly relation?: string;
}

/** A feature with a description, unit or range: `feature(Float32, { description: '…', unit: 'ratio', range: [0, 1] })`. */
export interface FeatureDef<T extends ValueType = ValueType> extends FeatureMeta, FeatureReference {
  readonly kind: 'feature';
  readonly type: T;
}

/** A feature as declared: its bare value type (`conv_rate: Float32`) or a `feature(...)`. */
export type FeatureLike = ValueType | FeatureDef;

/** The value type of a declared feature, for either form. */
export type ValueTypeOf<F> = F extends FeatureDef<infer T extends ValueType> ? T : F extends ValueType ? F : never;

export const feature = <T extends ValueType>(type: T, meta: FeatureMeta & FeatureReference = {}): FeatureDef<T> =>
  Object.freeze({ kind: 'feature' as const, type, ...meta });

export const isFeatureDef = (f: unknown): f is FeatureDef =>
  typeof f === 'object' && f !== null && (f as { kind?: unknown }).kind === 'feature';

/** The value type of a declared feature (either form). */
export const featureType = (f: FeatureLike): ValueType => (isFeatureDef(f) ? f.type : f);

/** The description, unit and range of a declared feature, only those given. */
export const featureMeta = (f: FeatureLike): FeatureMeta => {
  if (!isFeatureDef(f)) return {};
  return {
    ...(f.description !== undefined ? { description: f.description } : {}),
    ...(f.unit !== undefined ? { unit: f.unit } : {}),
    ...(f.range !== undefined ? { range: f.range } : {}),
  };
};

/** The relation field name of a feature that references an entity: `driver_id` → `driver`, `pickup_driver_id` → `pickup_driver`. */
export const relationName = (featureName: string, f: FeatureReference & { references: Entity }): string =>
  f.relation ?? (/^.+_id$/.test(featureName) ? featureName.slice(0, -3) : f.references.name);

/** The entity a declared feature references and its relation field name, when it references one. */
export const featureReference = (name: string, f: FeatureLike): { readonly entity: Entity; readonly relation: string } | undefined =>
  isFeatureDef(f) && f.references ? { entity: f.references, relation: relationName(name, { ...f, references: f.references }) } : undefined;
