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

/** A feature with a description, unit or range: `feature(Float32, { description: '…', unit: 'ratio', range: [0, 1] })`. */
export interface FeatureDef<T extends ValueType = ValueType> extends FeatureMeta {
  readonly kind: 'feature';
  readonly type: T;
}

/** A feature as declared: its bare value type (`conv_rate: Float32`) or a `feature(...)`. */
export type FeatureLike = ValueType | FeatureDef;

/** The value type of a declared feature, for either form. */
export type ValueTypeOf<F> = F extends FeatureDef<infer T extends ValueType> ? T : F extends ValueType ? F : never;

export const feature = <T extends ValueType>(type: T, meta: FeatureMeta = {}): FeatureDef<T> =>
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
