import type {
  Entity,
  FeatureSchema,
  FeatureSelection,
  FeatureService,
  FeatureView,
  DriftOptions,
  LoggingOptions,
  OnDemandInput,
  OnDemandView,
  FileSource,
  PointInTimeOptions,
  PostgresSource,
  PushSource,
  Repository,
  Source,
} from './objects.js';
import type { Duration } from './duration.js';
import type { ScalarType } from './value-types.js';
import { featureReference } from './feature.js';
import type { AggregationView } from './aggregation.js';

type Meta = { description?: string; owner?: string; tags?: Record<string, string> };

export const entity = <const N extends string, const K extends string, T extends ScalarType>(
  spec: { name: N; joinKey: K; valueType: T } & Meta,
): Entity<N, K, T> => Object.freeze({ kind: 'entity', ...spec });

export const postgresSource = <const N extends string>(
  spec: {
    name: N;
    table?: string;
    query?: string;
    timestampField: string;
    createdTimestampColumn?: string;
    fieldMapping?: Record<string, string>;
  } & Meta,
): PostgresSource<N> => Object.freeze({ kind: 'postgresSource', ...spec });

/** Parquet files (a file, a glob or a directory) read with the embedded DuckDB engine (docs/offline-stores.md). */
export const fileSource = <const N extends string>(
  spec: {
    name: N;
    path: string;
    timestampField: string;
    createdTimestampColumn?: string;
    fieldMapping?: Record<string, string>;
  } & Meta,
): FileSource<N> => Object.freeze({ kind: 'fileSource', ...spec });

export const pushSource = <const N extends string>(spec: { name: N } & Meta): PushSource<N> =>
  Object.freeze({ kind: 'pushSource', ...spec });

const selector =
  (view: unknown) =>
  (...features: string[]): FeatureSelection =>
    Object.freeze({ kind: 'featureSelection', view: view as FeatureSelection['view'], features: Object.freeze([...features]) });

export const featureView = <const N extends string, const F extends FeatureSchema, const E extends readonly Entity[]>(
  spec: {
    name: N;
    entities: E;
    features: F;
    source: Source;
    ttl: Duration;
    online?: boolean;
    pointInTime?: PointInTimeOptions;
    freshness?: Duration;
    drift?: DriftOptions;
  } & Meta,
): FeatureView<N, F, E> => {
  const view = { kind: 'featureView' as const, online: true, ...spec } as FeatureView<N, F, E>;
  (view as { select: unknown }).select = selector(view);
  return Object.freeze(view);
};

export const onDemandView = <
  const N extends string,
  const F extends FeatureSchema,
  const R extends FeatureSchema,
  const I extends Readonly<Record<string, OnDemandInput>>,
>(
  spec: Omit<OnDemandView<N, F, R, I>, 'kind' | 'select'> & Meta,
): OnDemandView<N, F, R, I> => {
  const view = { kind: 'onDemandView' as const, ...spec } as OnDemandView<N, F, R, I>;
  (view as { select: unknown }).select = selector(view);
  return Object.freeze(view);
};

export const featureService = <const N extends string>(
  spec: { name: N; features: readonly FeatureSelection[]; logging?: LoggingOptions } & Meta,
): FeatureService<N> => Object.freeze({ kind: 'featureService', ...spec });

/**
 * A feature repository. Sources and entities referenced by views are collected automatically,
 * so listing the views and services is enough.
 */
export const repository = (spec: {
  project?: string;
  entities?: readonly Entity[];
  sources?: readonly Source[];
  featureViews?: readonly FeatureView[];
  onDemandViews?: readonly OnDemandView[];
  featureServices?: readonly FeatureService[];
  aggregationViews?: readonly AggregationView[];
}): Repository => {
  const entities = new Set<Entity>(spec.entities ?? []);
  const sources = new Set<Source>(spec.sources ?? []);
  const views = new Set<FeatureView>(spec.featureViews ?? []);
  const odfvs = new Set<OnDemandView>(spec.onDemandViews ?? []);
  for (const s of spec.featureServices ?? [])
    for (const sel of s.features) {
      if (sel.view?.kind === 'featureView') views.add(sel.view as FeatureView);
      else if (sel.view?.kind === 'onDemandView') odfvs.add(sel.view as OnDemandView);
    }
  const aggregations = new Set<AggregationView>(spec.aggregationViews ?? []);
  for (const o of odfvs)
    for (const v of Object.values(o.sources ?? {})) {
      if (v?.kind === 'featureView') views.add(v);
      else if (v?.kind === 'aggregationView') aggregations.add(v);
    }
  for (const v of views) {
    for (const e of v.entities ?? []) entities.add(e);
    // Entities reached through a relation are part of the repository too (docs/graphql.md, "Relations").
    for (const [name, f] of Object.entries(v.features ?? {})) {
      const ref = featureReference(name, f);
      if (ref?.entity?.kind === 'entity') entities.add(ref.entity);
    }
    if (v.source) sources.add(v.source);
  }
  for (const a of aggregations) {
    for (const e of a.entities ?? []) entities.add(e);
    if (a.source) sources.add(a.source);
  }
  return Object.freeze({
    kind: 'repository',
    project: spec.project,
    entities: [...entities],
    sources: [...sources],
    featureViews: [...views],
    onDemandViews: [...odfvs],
    featureServices: [...(spec.featureServices ?? [])],
    aggregationViews: [...aggregations],
  });
};
