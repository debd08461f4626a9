/**
 * What a generated root or object field serves, on its `extensions`, so a schema walk (auth scopes,
 * metrics) can find view, on-demand, service, push and registry fields without parsing names.
 * See docs/graphql.md.
 */
export type FieldKind = 'entity' | 'view' | 'onDemand' | 'service' | 'push' | 'registry' | 'relation' | 'subscription' | 'aggregation';

export interface FeatureGraphFieldInfo {
  readonly kind: FieldKind;
  /** The definition name (`driver_stats`, `pricing_v1`); for registry fields, the field name; for relations, `view.relation`. */
  readonly name: string;
}

declare module 'graphql' {
  interface GraphQLFieldExtensions<_TSource, _TContext, _TArgs> {
    featuregraph?: FeatureGraphFieldInfo;
  }
}

export const fieldInfo = (kind: FieldKind, name: string): { featuregraph: FeatureGraphFieldInfo } => ({ featuregraph: { kind, name } });
