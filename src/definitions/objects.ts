import type { Duration } from './duration.js';
import type { FeatureLike, ValueTypeOf } from './feature.js';
import type { ScalarType, TsTypeOf } from './value-types.js';
import type { AggregationRowOf, AggregationView } from './aggregation.js';

/** Feature name → value type, or `feature(type, { description, unit, range })`. */
export type FeatureSchema = Record<string, FeatureLike>;

/** A row of features as read: every feature may be null. */
export type RowOf<F extends FeatureSchema> = { [K in keyof F]: TsTypeOf<ValueTypeOf<F[K]>> | null };

export interface Entity<N extends string = string, K extends string = string, T extends ScalarType = ScalarType> {
  readonly kind: 'entity';
  readonly name: N;
  readonly joinKey: K;
  readonly valueType: T;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface PostgresSource<N extends string = string> {
  readonly kind: 'postgresSource';
  readonly name: N;
  /** A table (optionally schema-qualified), or… */
  readonly table?: string;
  /** …a SELECT whose columns are the source's columns. */
  readonly query?: string;
  /** Column holding the event time. */
  readonly timestampField: string;
  /** Column holding the ingestion time; breaks ties and drives late-row-safe incremental materialization. */
  readonly createdTimestampColumn?: string;
  /** Feature or join key name → source column name, where they differ. */
  readonly fieldMapping?: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface PushSource<N extends string = string> {
  readonly kind: 'pushSource';
  readonly name: N;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Rows in Parquet files read by the embedded DuckDB engine (docs/offline-stores.md): one file, a glob, or a
 * directory (every `*.parquet` below it; hive partitions such as `date=2026-11-26/` become columns).
 * `s3://…` paths are read through DuckDB's httpfs.
 */
export interface FileSource<N extends string = string> {
  readonly kind: 'fileSource';
  readonly name: N;
  readonly path: string;
  readonly timestampField: string;
  readonly createdTimestampColumn?: string;
  readonly fieldMapping?: Readonly<Record<string, string>>;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export type Source = PostgresSource | PushSource | FileSource;

/** How a view's point-in-time reads treat late rows (docs/offline-stores.md, "As known at"). */
export interface PointInTimeOptions {
  /**
   * Keep only rows whose created (ingestion) timestamp is at or before the as-of time, so a training row
   * sees exactly what serving could have seen then. Needs a created timestamp. Default false.
   */
  readonly asKnownAt?: boolean;
}

/** Drift thresholds of a view's features (see docs/monitoring.md): PSI above it means drifted. */
export interface DriftOptions {
  /** Default for every feature of the view. Default 0.2. */
  readonly threshold?: number;
  /** Per feature name, overriding `threshold`. */
  readonly features?: Readonly<Record<string, number>>;
  /**
   * Rows a side (reference or current) needs before a feature of the view can be judged drifted: with fewer,
   * PSI is still reported but never flags (docs/monitoring.md, "Too few rows"). Default 100.
   */
  readonly minRows?: number;
}

/** Served-feature logging of a feature service (see docs/monitoring.md). */
export interface LoggingOptions {
  /** Fraction of requests logged, 0..1. */
  readonly sampleRate: number;
}

export interface FeatureView<
  N extends string = string,
  F extends FeatureSchema = FeatureSchema,
  E extends readonly Entity[] = readonly Entity[],
> {
  readonly kind: 'featureView';
  readonly name: N;
  readonly entities: E;
  readonly features: F;
  readonly source: Source;
  readonly ttl: Duration;
  /** Served online (materialized and pushed to the online store). Default true. */
  readonly online: boolean;
  /** Point-in-time read options; each can be overridden per training set and per `asOf` query. */
  readonly pointInTime?: PointInTimeOptions;
  /** Freshness objective: the newest online value should be at most this old (docs/monitoring.md). */
  readonly freshness?: Duration;
  readonly drift?: DriftOptions;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** A projection of some of this view's features, for feature services. */
  select<K extends keyof F & string>(...features: K[]): FeatureSelection<N, K>;
}

/** A row as a view's source provides it: join keys, timestamps and features. */
export type SourceRowOf<V extends FeatureView> = RowOf<V['features']> & {
  readonly [key: string]: unknown;
};

/** What an on-demand view reads: feature views, and aggregation views (docs/aggregations.md, "In on-demand views"). */
export type OnDemandInput = FeatureView | AggregationView;

/**
 * An input as the transform gets it: a feature view's row, or null when it has none; an aggregation view's
 * outputs over windows ending at the read's time (never null: an empty window has count 0).
 */
export type InputRowOf<V extends OnDemandInput> =
  V extends AggregationView<string, readonly Entity[], infer A>
    ? AggregationRowOf<A>
    : V extends FeatureView
      ? RowOf<V['features']> | null
      : never;

export interface OnDemandView<
  N extends string = string,
  F extends FeatureSchema = FeatureSchema,
  R extends FeatureSchema = FeatureSchema,
  I extends Readonly<Record<string, OnDemandInput>> = Readonly<Record<string, OnDemandInput>>,
> {
  readonly kind: 'onDemandView';
  readonly name: N;
  /** Views whose (point-in-time or online) rows, or aggregation views whose outputs, the transform reads, by name. */
  readonly sources: I;
  /** Typed request arguments. */
  readonly request: R;
  readonly features: F;
  /** Pure and synchronous: the same function serves online and training data. */
  readonly drift?: DriftOptions;
  transform(inputs: { [K in keyof I]: InputRowOf<I[K]> }, request: { [K in keyof R]: TsTypeOf<ValueTypeOf<R[K]>> }): RowOf<F>;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
  select<K extends keyof F & string>(...features: K[]): FeatureSelection<N, K>;
}

/** What a selection points at: a feature view or an on-demand view. */
export type SelectableView = FeatureView | OnDemandView;

export interface FeatureSelection<N extends string = string, K extends string = string> {
  readonly kind: 'featureSelection';
  readonly view: SelectableView & { readonly name: N };
  readonly features: readonly K[];
}

export interface FeatureService<N extends string = string> {
  readonly kind: 'featureService';
  readonly name: N;
  readonly features: readonly FeatureSelection[];
  /** Log what this service serves, sampled, to the offline store (docs/monitoring.md). */
  readonly logging?: LoggingOptions;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export type Definition = Entity | Source | FeatureView | OnDemandView | FeatureService | AggregationView;

/** Everything a feature repository defines. */
export interface Repository {
  readonly kind: 'repository';
  readonly project?: string;
  readonly entities: readonly Entity[];
  readonly sources: readonly Source[];
  readonly featureViews: readonly FeatureView[];
  readonly onDemandViews: readonly OnDemandView[];
  readonly featureServices: readonly FeatureService[];
  /** Windowed aggregations over raw events (docs/aggregations.md). */
  readonly aggregationViews?: readonly AggregationView[];
}
