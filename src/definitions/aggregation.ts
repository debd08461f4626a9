import type { Duration } from './duration.js';
import type { FeatureLike } from './feature.js';
import type { Entity, FeatureView, PostgresSource, PushSource } from './objects.js';
import { featureView } from './dsl.js';

/**
 * Streaming windowed aggregations (docs/aggregations.md): an aggregation view reads raw events (a push
 * source or a Postgres table), each with entity keys, an event time and a declared event id, and serves
 * aggregations of them over windows `(t − window, t]`, online from tiles and offline from the raw events.
 */

/** The aggregation functions; `count` counts events, the others read one field (nulls skipped). */
export type AggregationFn = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'last';

export interface AggregationDef<Fn extends AggregationFn = AggregationFn> {
  readonly kind: 'aggregation';
  readonly fn: Fn;
  /** The event field it reads; undefined for `count`. */
  readonly field?: string;
  readonly window: Duration;
  readonly description?: string;
}

type AggMeta = { readonly description?: string };

const agg = <Fn extends AggregationFn>(fn: Fn, field: string | undefined, window: Duration, meta: AggMeta = {}): AggregationDef<Fn> =>
  Object.freeze({ kind: 'aggregation' as const, fn, ...(field !== undefined ? { field } : {}), window, ...meta });

/** Events in the window. Int32; 0 when there are none. */
export const count = (window: Duration, meta?: AggMeta): AggregationDef<'count'> => agg('count', undefined, window, meta);
/** Sum of an Int32 field over the window (exact): Int64; 0 when there are no values. */
export const sum = (field: string, window: Duration, meta?: AggMeta): AggregationDef<'sum'> => agg('sum', field, window, meta);
/** Mean of an Int32 field (exact sum / count): Float64; null when there are no values. */
export const avg = (field: string, window: Duration, meta?: AggMeta): AggregationDef<'avg'> => agg('avg', field, window, meta);
/** Least value of an Int32, Float32 or Float64 field; null when there are no values. */
export const min = (field: string, window: Duration, meta?: AggMeta): AggregationDef<'min'> => agg('min', field, window, meta);
/** Greatest value of an Int32, Float32 or Float64 field; null when there are no values. */
export const max = (field: string, window: Duration, meta?: AggMeta): AggregationDef<'max'> => agg('max', field, window, meta);
/** The field of the window's last event (greatest by the one tie rule); null when there is none. */
export const last = (field: string, window: Duration, meta?: AggMeta): AggregationDef<'last'> => agg('last', field, window, meta);

export type EventSource = PushSource | PostgresSource;

/** Output name → aggregation, as declared. */
export type Aggregations = Readonly<Record<string, AggregationDef>>;

/**
 * An aggregation view's outputs as an on-demand transform reads them (docs/aggregations.md, "In on-demand
 * views"): never null as a whole; count and sum are numbers (sum a bigint, exact), the others may be null.
 */
export type AggregationRowOf<A extends Aggregations> = {
  readonly [K in keyof A]: A[K] extends AggregationDef<'count'>
    ? number
    : A[K] extends AggregationDef<'sum'>
      ? bigint
      : A[K] extends AggregationDef<'avg' | 'min' | 'max'>
        ? number | null
        : string | number | bigint | boolean | Date | Uint8Array | null;
};

export interface AggregationView<
  N extends string = string,
  E extends readonly Entity[] = readonly Entity[],
  A extends Aggregations = Aggregations,
> {
  readonly kind: 'aggregationView';
  readonly name: N;
  readonly entities: E;
  readonly source: EventSource;
  /** The field holding each event's id: a replayed event (same entity and id) counts once. */
  readonly eventId: string;
  /** Event fields (besides keys and timestamps), the event id among them. */
  readonly fields: Readonly<Record<string, FeatureLike>>;
  /** Output name → aggregation, e.g. `quotes_5m: count('5m')`. */
  readonly aggregations: A;
  /**
   * The raw events as a feature view (keys, timestamps, fields): what push validates and appends, what the
   * offline store reads. Not served itself.
   */
  readonly events: FeatureView;
  readonly description?: string;
  readonly owner?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export const aggregationView = <const N extends string, const E extends readonly Entity[], const A extends Aggregations>(spec: {
  name: N;
  entities: E;
  source: EventSource;
  eventId: string;
  fields: Readonly<Record<string, FeatureLike>>;
  aggregations: A;
  description?: string;
  owner?: string;
  tags?: Record<string, string>;
}): AggregationView<N, E, A> => {
  const events = featureView({
    name: spec.name,
    entities: spec.entities,
    features: spec.fields,
    source: spec.source,
    // The events view is never served; its ttl only documents how far back windows reach.
    ttl: 0,
    online: true,
  });
  return Object.freeze({ kind: 'aggregationView' as const, ...spec, events });
};
