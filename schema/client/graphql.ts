/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Binary data as base64 text. */
  Bytes: { input: string; output: string; }
  /** An instant as ISO 8601 text with a time zone, e.g. `2026-11-26T10:00:00Z` (a bare date is midnight UTC). */
  DateTime: { input: string; output: string; }
  /** A length of time as in a view's ttl: `"90s"`, `"30m"`, `"2h"`, `"1d"`, `"1w"`, or a whole number of seconds. */
  Duration: { input: any; output: any; }
  /** A signed 64-bit integer as a decimal string (exact beyond 2^53). Inputs also accept safe JSON integers. */
  Int64: { input: string | number; output: string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

/** Accidents in the last twelve months and where the last one happened. */
export type AccidentHistory = {
  __typename?: 'AccidentHistory';
  /** Accidents the customer had in the last twelve months. Unit: accidents. */
  accidents12m?: Maybe<Scalars['Int']['output']>;
  /** How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp). */
  ageSeconds: Scalars['Float']['output'];
  /** Ingestion (created) time of that row; null when the view's source has no created timestamp. */
  createdTimestamp?: Maybe<Scalars['DateTime']['output']>;
  /** The customer's customer_id this value belongs to. */
  customerId: Scalars['ID']['output'];
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  /** Latitude of the last accident; null when there was none. Unit: degrees. Range: [-90, 90]. */
  lastAccidentLat?: Maybe<Scalars['Float']['output']>;
  /** Longitude of the last accident; null when there was none. Unit: degrees. Range: [-180, 180]. */
  lastAccidentLon?: Maybe<Scalars['Float']['output']>;
};

/** A row pushed to accident_history. */
export type AccidentHistoryRowInput = {
  /** Accidents the customer had in the last twelve months. Unit: accidents. */
  accidents12m?: InputMaybe<Scalars['Int']['input']>;
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The row's customer_id (join key of customer). */
  customerId: Scalars['ID']['input'];
  /** Event time of the row. */
  eventTimestamp: Scalars['DateTime']['input'];
  /** Latitude of the last accident; null when there was none. Unit: degrees. Range: [-90, 90]. */
  lastAccidentLat?: InputMaybe<Scalars['Float']['input']>;
  /** Longitude of the last accident; null when there was none. Unit: degrees. Range: [-180, 180]. */
  lastAccidentLon?: InputMaybe<Scalars['Float']['input']>;
};

/** Great-circle distance from where the customer is to their last accident. */
export type AccidentProximity = {
  __typename?: 'AccidentProximity';
  /** Great-circle distance from the customer to their last accident; null without one. Unit: km. */
  distanceKm?: Maybe<Scalars['Float']['output']>;
  /** Whether that distance is under 5 km. */
  nearLastAccident?: Maybe<Scalars['Boolean']['output']>;
};

/** One output of an aggregation view: a function of its events over a window (t − window, t]. */
export type AggregationOutputInfo = {
  __typename?: 'AggregationOutputInfo';
  /** What the value means, from the definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** The event field it reads; null for count. */
  eventField?: Maybe<Scalars['String']['output']>;
  /** Its GraphQL field name, e.g. `quotes5m`. */
  field: Scalars['String']['output'];
  /** count, sum, avg, min, max or last. */
  function: Scalars['String']['output'];
  /** Definition name, e.g. `quotes_5m`. */
  name: Scalars['String']['output'];
  /** Its value type, e.g. `Int32`. */
  valueType: Scalars['String']['output'];
  /** The window in seconds. */
  windowSeconds: Scalars['Int']['output'];
};

/** An aggregation view: windowed aggregations of raw events (docs/aggregations.md). */
export type AggregationViewInfo = {
  __typename?: 'AggregationViewInfo';
  /** What it is, from the definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** Names of the entities whose join keys key the view, in order. */
  entities: Array<Scalars['String']['output']>;
  /** The event field that identifies an event (a replay counts once). */
  eventId: Scalars['String']['output'];
  /** The fields of its raw events. */
  fields: Array<FeatureInfo>;
  /** Content hash of the applied definition; null before the first apply. */
  hash?: Maybe<Scalars['String']['output']>;
  /** Definition name, e.g. `quote_activity`. */
  name: Scalars['String']['output'];
  /** Its outputs, in definition order. */
  outputs: Array<AggregationOutputInfo>;
  /** Who owns it (team or address), from the definition. */
  owner?: Maybe<Scalars['String']['output']>;
  /** Where its raw events come from. */
  source: SourceInfo;
  /** Tags from the definition. */
  tags: Array<Tag>;
  /** Registry version in which this object last changed; null before the first apply. */
  version?: Maybe<Scalars['Int']['output']>;
};

/** The customer's credit score, refreshed nightly. */
export type CreditScore = {
  __typename?: 'CreditScore';
  /** How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp). */
  ageSeconds: Scalars['Float']['output'];
  /** Ingestion (created) time of that row; null when the view's source has no created timestamp. */
  createdTimestamp?: Maybe<Scalars['DateTime']['output']>;
  /** The customer's customer_id this value belongs to. */
  customerId: Scalars['ID']['output'];
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  /** Credit bureau score; higher is better. Unit: points. Range: [300, 850]. */
  score?: Maybe<Scalars['Int']['output']>;
};

/** A row pushed to credit_score. */
export type CreditScoreRowInput = {
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The row's customer_id (join key of customer). */
  customerId: Scalars['ID']['input'];
  /** Event time of the row. */
  eventTimestamp: Scalars['DateTime']['input'];
  /** Credit bureau score; higher is better. Unit: points. Range: [300, 850]. */
  score?: InputMaybe<Scalars['Int']['input']>;
};

/** An insurance customer asking for a price. */
export type Customer = {
  __typename?: 'Customer';
  /** Accidents in the last twelve months and where the last one happened. */
  accidentHistory?: Maybe<AccidentHistory>;
  /** Great-circle distance from where the customer is to their last accident. */
  accidentProximity?: Maybe<AccidentProximity>;
  /** The customer's credit score, refreshed nightly. */
  creditScore?: Maybe<CreditScore>;
  /** The customer's customer_id (its join key). */
  customerId: Scalars['ID']['output'];
  /** Risk score of the area the customer is in, pushed in real time. */
  locationRisk?: Maybe<LocationRisk>;
  /** How often the customer asked for a price recently; many requests in minutes hint at price shopping. */
  quoteActivity?: Maybe<QuoteActivity>;
};


/** An insurance customer asking for a price. */
export type CustomerAccidentHistoryArgs = {
  asKnownAt?: InputMaybe<Scalars['Boolean']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  maxAge?: InputMaybe<Scalars['Duration']['input']>;
};


/** An insurance customer asking for a price. */
export type CustomerAccidentProximityArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  userLat: Scalars['Float']['input'];
  userLon: Scalars['Float']['input'];
};


/** An insurance customer asking for a price. */
export type CustomerCreditScoreArgs = {
  asKnownAt?: InputMaybe<Scalars['Boolean']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  maxAge?: InputMaybe<Scalars['Duration']['input']>;
};


/** An insurance customer asking for a price. */
export type CustomerLocationRiskArgs = {
  asKnownAt?: InputMaybe<Scalars['Boolean']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  maxAge?: InputMaybe<Scalars['Duration']['input']>;
};


/** An insurance customer asking for a price. */
export type CustomerQuoteActivityArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};

/** One bin of a drift comparison. */
export type DriftBin = {
  __typename?: 'DriftBin';
  /** A numeric bin index (bin i holds edges[i-1] <= x < edges[i]), v:<value>, other, or null. */
  bin: Scalars['String']['output'];
  /** Rows of the current window in this bin. */
  current: Scalars['Int']['output'];
  /** Rows of the reference in this bin. */
  reference: Scalars['Int']['output'];
};

/** A drift report of a feature service's served-feature log. */
export type DriftReport = {
  __typename?: 'DriftReport';
  /** The current window, as given. */
  current: Scalars['String']['output'];
  /** Whether any feature drifted. */
  drifted: Scalars['Boolean']['output'];
  /** One entry per feature of the service. */
  features: Array<FeatureDrift>;
  /** The reference window, as given. */
  reference: Scalars['String']['output'];
  /** The feature service. */
  service: Scalars['String']['output'];
};

/** A driver of the ride-hailing fleet. */
export type Driver = {
  __typename?: 'Driver';
  /** The driver's driver_id (its join key). */
  driverId: Scalars['ID']['output'];
  /** Hourly conversion, acceptance and trip statistics of a driver. */
  driverStats?: Maybe<DriverStats>;
};


/** A driver of the ride-hailing fleet. */
export type DriverDriverStatsArgs = {
  asKnownAt?: InputMaybe<Scalars['Boolean']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  maxAge?: InputMaybe<Scalars['Duration']['input']>;
};

/** Hourly conversion, acceptance and trip statistics of a driver. */
export type DriverStats = {
  __typename?: 'DriverStats';
  /** Share of ride offers the driver accepted, over the last hour. Unit: ratio. Range: [0, 1]. */
  accRate?: Maybe<Scalars['Float']['output']>;
  /** How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp). */
  ageSeconds: Scalars['Float']['output'];
  /** Average number of trips the driver completes per day. Unit: trips/day. */
  avgDailyTrips?: Maybe<Scalars['Int']['output']>;
  /** Share of ride offers the driver converted into trips, over the last hour. Unit: ratio. Range: [0, 1]. */
  convRate?: Maybe<Scalars['Float']['output']>;
  /** Ingestion (created) time of that row; null when the view's source has no created timestamp. */
  createdTimestamp?: Maybe<Scalars['DateTime']['output']>;
  /** The driver's driver_id this value belongs to. */
  driverId: Scalars['ID']['output'];
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
};

/** A row pushed to driver_stats. */
export type DriverStatsRowInput = {
  /** Share of ride offers the driver accepted, over the last hour. Unit: ratio. Range: [0, 1]. */
  accRate?: InputMaybe<Scalars['Float']['input']>;
  /** Average number of trips the driver completes per day. Unit: trips/day. */
  avgDailyTrips?: InputMaybe<Scalars['Int']['input']>;
  /** Share of ride offers the driver converted into trips, over the last hour. Unit: ratio. Range: [0, 1]. */
  convRate?: InputMaybe<Scalars['Float']['input']>;
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The row's driver_id (join key of driver). */
  driverId: Scalars['ID']['input'];
  /** Event time of the row. */
  eventTimestamp: Scalars['DateTime']['input'];
};

/** An entity: what features are keyed by. */
export type EntityInfo = {
  __typename?: 'EntityInfo';
  /** What it is, from the definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** Content hash of the applied definition; null before the first apply. */
  hash?: Maybe<Scalars['String']['output']>;
  /** Its join key column, e.g. `driver_id`. */
  joinKey: Scalars['String']['output'];
  /** Definition name, e.g. `driver`. */
  name: Scalars['String']['output'];
  /** Who owns it (team or address), from the definition. */
  owner?: Maybe<Scalars['String']['output']>;
  /** Tags from the definition. */
  tags: Array<Tag>;
  /** Value type of the join key (Int32, Int64 or String). */
  valueType: Scalars['String']['output'];
  /** Registry version in which this object last changed; null before the first apply. */
  version?: Maybe<Scalars['Int']['output']>;
};

/** Drift of one feature between the reference and the current window. */
export type FeatureDrift = {
  __typename?: 'FeatureDrift';
  /** Counts per bin, reference and current. */
  bins: Array<DriftBin>;
  /** Logged values in the current window. */
  currentCount: Scalars['Int']['output'];
  /** Share of nulls in the current window. */
  currentNullRate?: Maybe<Scalars['Float']['output']>;
  /** psi > threshold, judged only when both sides have at least minRows rows. */
  drifted: Scalars['Boolean']['output'];
  /** Lower edges of the numeric bins. */
  edges: Array<Scalars['Float']['output']>;
  /** Both sides have at least minRows rows; when false, psi is shown but drifted stays false. */
  enoughRows: Scalars['Boolean']['output'];
  /** The feature's definition name. */
  feature: Scalars['String']['output'];
  /** numeric (reference deciles), categorical (reference values + other) or unsupported (no PSI). */
  kind: Scalars['String']['output'];
  /** Rows each side needs before the feature is judged (the argument, else the view's drift.minRows, else 100). */
  minRows: Scalars['Int']['output'];
  /** Current minus reference null rate. */
  nullRateChange?: Maybe<Scalars['Float']['output']>;
  /** Population stability index; null when a side has no rows. */
  psi?: Maybe<Scalars['Float']['output']>;
  /** Logged values in the reference. */
  referenceCount: Scalars['Int']['output'];
  /** Share of nulls in the reference. */
  referenceNullRate?: Maybe<Scalars['Float']['output']>;
  /** PSI above this means drifted (the feature's, else the view's, else 0.2). */
  threshold: Scalars['Float']['output'];
  /** The view the feature belongs to. */
  view: Scalars['String']['output'];
};

/** A feature (or request argument), its type and what its definition says about it. */
export type FeatureInfo = {
  __typename?: 'FeatureInfo';
  /** What the value means, from the definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** Its GraphQL field name. */
  field: Scalars['String']['output'];
  /** Definition name, e.g. `conv_rate`. */
  name: Scalars['String']['output'];
  /** Expected range of a numeric value, from the definition. */
  range?: Maybe<FeatureRange>;
  /** The entity whose join key this feature holds (a relation); null when it references none. */
  references?: Maybe<Scalars['String']['output']>;
  /** The GraphQL field of the view's type that walks to that entity, e.g. `driver`; null without a relation. */
  relationField?: Maybe<Scalars['String']['output']>;
  /** Unit of the value, from the definition. */
  unit?: Maybe<Scalars['String']['output']>;
  /** Value type, e.g. `Float32` or `List<Int64>`. */
  valueType: Scalars['String']['output'];
};

/** The expected range of a numeric feature, from its definition (documentation; not enforced). */
export type FeatureRange = {
  __typename?: 'FeatureRange';
  /** Largest expected value. */
  max: Scalars['Float']['output'];
  /** Smallest expected value. */
  min: Scalars['Float']['output'];
};

/** One feature of a feature service and where it comes from. */
export type FeatureServiceFeature = {
  __typename?: 'FeatureServiceFeature';
  /** What the value means, from the feature definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** Definition name of the feature. */
  feature: Scalars['String']['output'];
  /** The on-demand view's input views; empty for stored features. */
  inputs: Array<Scalars['String']['output']>;
  /** Whether it is computed at request time. */
  onDemand: Scalars['Boolean']['output'];
  /** The view's owner. */
  owner?: Maybe<Scalars['String']['output']>;
  /** The view's source; null for on-demand features. */
  source?: Maybe<SourceInfo>;
  /** The view's time to live in seconds; null for on-demand features. */
  ttlSeconds?: Maybe<Scalars['Int']['output']>;
  /** Unit of the value, from the feature definition. */
  unit?: Maybe<Scalars['String']['output']>;
  /** The view (or on-demand view) it belongs to. */
  view: Scalars['String']['output'];
  /** Registry version of the view. */
  viewVersion?: Maybe<Scalars['Int']['output']>;
};

/** A feature service: the features one model consumes. */
export type FeatureServiceInfo = {
  __typename?: 'FeatureServiceInfo';
  /** What it is, from the definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** Its features with their lineage, in selection order. */
  features: Array<FeatureServiceFeature>;
  /** Content hash of the applied definition; null before the first apply. */
  hash?: Maybe<Scalars['String']['output']>;
  /** Definition name, e.g. `pricing_v1`. */
  name: Scalars['String']['output'];
  /** Who owns it (team or address), from the definition. */
  owner?: Maybe<Scalars['String']['output']>;
  /** Tags from the definition. */
  tags: Array<Tag>;
  /** Registry version in which this object last changed; null before the first apply. */
  version?: Maybe<Scalars['Int']['output']>;
};

/** A feature view. */
export type FeatureViewInfo = {
  __typename?: 'FeatureViewInfo';
  /** What it is, from the definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** Names of the entities whose join keys key the view, in order. */
  entities: Array<Scalars['String']['output']>;
  /** Its features, in definition order. */
  features: Array<FeatureInfo>;
  /** Materialization watermark and time. */
  freshness: Freshness;
  /** Content hash of the applied definition; null before the first apply. */
  hash?: Maybe<Scalars['String']['output']>;
  /** Definition name, e.g. `driver_stats`. */
  name: Scalars['String']['output'];
  /** Whether it is served online (else only with asOf). */
  online: Scalars['Boolean']['output'];
  /** Who owns it (team or address), from the definition. */
  owner?: Maybe<Scalars['String']['output']>;
  /** Where its offline rows come from. */
  source: SourceInfo;
  /** Tags from the definition. */
  tags: Array<Tag>;
  /** Time to live in seconds; 0 means values never expire. */
  ttlSeconds: Scalars['Int']['output'];
  /** Registry version in which this object last changed; null before the first apply. */
  version?: Maybe<Scalars['Int']['output']>;
};

/** How current a view's online values are. */
export type Freshness = {
  __typename?: 'Freshness';
  /** The objective is declared and the newest value is older (or there is none). */
  breached: Scalars['Boolean']['output'];
  /** Seconds since the last materialization. */
  lastMaterializationAgeSeconds?: Maybe<Scalars['Float']['output']>;
  /** When the view was last materialized. */
  lastMaterializedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Age of that value in seconds. */
  newestValueAgeSeconds?: Maybe<Scalars['Float']['output']>;
  /** Event time of the newest materialized or pushed value. */
  newestValueAt?: Maybe<Scalars['DateTime']['output']>;
  /** The declared freshness objective in seconds; null when the view declares none. */
  objectiveSeconds?: Maybe<Scalars['Int']['output']>;
  /** Incremental materialization has copied every row up to this time. */
  watermark?: Maybe<Scalars['DateTime']['output']>;
};

/** Risk score of the area the customer is in, pushed in real time. */
export type LocationRisk = {
  __typename?: 'LocationRisk';
  /** How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp). */
  ageSeconds: Scalars['Float']['output'];
  /** Ingestion (created) time of that row; null when the view's source has no created timestamp. */
  createdTimestamp?: Maybe<Scalars['DateTime']['output']>;
  /** The customer's customer_id this value belongs to. */
  customerId: Scalars['ID']['output'];
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  /** Risk score of the area, from the geo-risk model; higher is riskier. Unit: score. Range: [0, 1]. */
  risk?: Maybe<Scalars['Float']['output']>;
};

/** A row pushed to location_risk. */
export type LocationRiskRowInput = {
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The row's customer_id (join key of customer). */
  customerId: Scalars['ID']['input'];
  /** Event time of the row. */
  eventTimestamp: Scalars['DateTime']['input'];
  /** Risk score of the area, from the geo-risk model; higher is riskier. Unit: score. Range: [0, 1]. */
  risk?: InputMaybe<Scalars['Float']['input']>;
};

/** Write features: push rows to views. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Push rows to accident_history: the whole batch is validated first; readable online immediately. */
  pushAccidentHistory: PushResult;
  /** Push rows to credit_score: the whole batch is validated first; readable online immediately. */
  pushCreditScore: PushResult;
  /** Push rows to driver_stats: the whole batch is validated first; readable online immediately. */
  pushDriverStats: PushResult;
  /** Push rows to location_risk: the whole batch is validated first; readable online immediately. */
  pushLocationRisk: PushResult;
  /** Push raw events to the aggregation view quote_activity (docs/aggregations.md): the whole batch is validated first; counted in its windows online immediately, each event id once. */
  pushQuoteActivity: PushResult;
  /** Push rows to trip_facts: the whole batch is validated first; readable online immediately. */
  pushTripFacts: PushResult;
};


/** Write features: push rows to views. */
export type MutationPushAccidentHistoryArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  rows: Array<AccidentHistoryRowInput>;
  to?: InputMaybe<PushTarget>;
};


/** Write features: push rows to views. */
export type MutationPushCreditScoreArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  rows: Array<CreditScoreRowInput>;
  to?: InputMaybe<PushTarget>;
};


/** Write features: push rows to views. */
export type MutationPushDriverStatsArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  rows: Array<DriverStatsRowInput>;
  to?: InputMaybe<PushTarget>;
};


/** Write features: push rows to views. */
export type MutationPushLocationRiskArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  rows: Array<LocationRiskRowInput>;
  to?: InputMaybe<PushTarget>;
};


/** Write features: push rows to views. */
export type MutationPushQuoteActivityArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  rows: Array<QuoteActivityRowInput>;
  to?: InputMaybe<PushTarget>;
};


/** Write features: push rows to views. */
export type MutationPushTripFactsArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  rows: Array<TripFactsRowInput>;
  to?: InputMaybe<PushTarget>;
};

/** An on-demand view: features computed at request time. */
export type OnDemandViewInfo = {
  __typename?: 'OnDemandViewInfo';
  /** What it is, from the definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** Its output features. */
  features: Array<FeatureInfo>;
  /** Content hash of the applied definition; null before the first apply. */
  hash?: Maybe<Scalars['String']['output']>;
  /** The feature views and aggregation views its transform reads. */
  inputs: Array<Scalars['String']['output']>;
  /** Definition name, e.g. `accident_proximity`. */
  name: Scalars['String']['output'];
  /** Who owns it (team or address), from the definition. */
  owner?: Maybe<Scalars['String']['output']>;
  /** Arguments the caller passes with each request. */
  requestArguments: Array<FeatureInfo>;
  /** Tags from the definition. */
  tags: Array<Tag>;
  /** Registry version in which this object last changed; null before the first apply. */
  version?: Maybe<Scalars['Int']['output']>;
};

/** Inputs of the real-time pricing model, version 1. */
export type PricingV1 = {
  __typename?: 'PricingV1';
  /** Accidents in the last twelve months and where the last one happened. */
  accidentHistory?: Maybe<PricingV1AccidentHistory>;
  /** Great-circle distance from where the customer is to their last accident. */
  accidentProximity?: Maybe<PricingV1AccidentProximity>;
  /** The customer's credit score, refreshed nightly. */
  creditScore?: Maybe<PricingV1CreditScore>;
  /** Risk score of the area the customer is in, pushed in real time. */
  locationRisk?: Maybe<PricingV1LocationRisk>;
};


/** Inputs of the real-time pricing model, version 1. */
export type PricingV1AccidentHistoryArgs = {
  maxAge?: InputMaybe<Scalars['Duration']['input']>;
};


/** Inputs of the real-time pricing model, version 1. */
export type PricingV1CreditScoreArgs = {
  maxAge?: InputMaybe<Scalars['Duration']['input']>;
};


/** Inputs of the real-time pricing model, version 1. */
export type PricingV1LocationRiskArgs = {
  maxAge?: InputMaybe<Scalars['Duration']['input']>;
};

/** accident_history features of pricing_v1. */
export type PricingV1AccidentHistory = {
  __typename?: 'PricingV1AccidentHistory';
  /** Accidents the customer had in the last twelve months. Unit: accidents. */
  accidents12m?: Maybe<Scalars['Int']['output']>;
  /** How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp). */
  ageSeconds: Scalars['Float']['output'];
  /** Ingestion (created) time of that row; null when the view's source has no created timestamp. */
  createdTimestamp?: Maybe<Scalars['DateTime']['output']>;
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
};

/** accident_proximity features of pricing_v1. */
export type PricingV1AccidentProximity = {
  __typename?: 'PricingV1AccidentProximity';
  /** Great-circle distance from the customer to their last accident; null without one. Unit: km. */
  distanceKm?: Maybe<Scalars['Float']['output']>;
};

/** credit_score features of pricing_v1. */
export type PricingV1CreditScore = {
  __typename?: 'PricingV1CreditScore';
  /** How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp). */
  ageSeconds: Scalars['Float']['output'];
  /** Ingestion (created) time of that row; null when the view's source has no created timestamp. */
  createdTimestamp?: Maybe<Scalars['DateTime']['output']>;
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  /** Credit bureau score; higher is better. Unit: points. Range: [300, 850]. */
  score?: Maybe<Scalars['Int']['output']>;
};

/** location_risk features of pricing_v1. */
export type PricingV1LocationRisk = {
  __typename?: 'PricingV1LocationRisk';
  /** How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp). */
  ageSeconds: Scalars['Float']['output'];
  /** Ingestion (created) time of that row; null when the view's source has no created timestamp. */
  createdTimestamp?: Maybe<Scalars['DateTime']['output']>;
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  /** Risk score of the area, from the geo-risk model; higher is riskier. Unit: score. Range: [0, 1]. */
  risk?: Maybe<Scalars['Float']['output']>;
};

/** What a push wrote. */
export type PushResult = {
  __typename?: 'PushResult';
  /** Rows appended to the offline push table. */
  offlineWritten: Scalars['Int']['output'];
  /** Rows that became the online value (older rows are ignored). */
  onlineWritten: Scalars['Int']['output'];
  /** True when the idempotency key had already been used with this request: nothing new was written offline, the online part was redone. */
  replayed: Scalars['Boolean']['output'];
  /** Rows received. */
  rows: Scalars['Int']['output'];
  /** Where the rows went. */
  target: PushTarget;
  /** The view pushed to (definition name). */
  view: Scalars['String']['output'];
};

/** Where pushed rows go. */
export type PushTarget =
  /** The offline push table only. */
  | 'OFFLINE'
  /** The online store only. */
  | 'ONLINE'
  /** Both (the default). */
  | 'ONLINE_AND_OFFLINE';

/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type Query = {
  __typename?: 'Query';
  /** Every aggregation view. */
  aggregationViews: Array<AggregationViewInfo>;
  /** One customer by customer_id; its views are null when unknown. */
  customer: Customer;
  /** Several customers, in the order given (duplicates allowed). */
  customers: Array<Customer>;
  /** One driver by driver_id; its views are null when unknown. */
  driver: Driver;
  /** Several drivers, in the order given (duplicates allowed). */
  drivers: Array<Driver>;
  /** Every entity. */
  entities: Array<EntityInfo>;
  /** PSI of each feature of a logging feature service: reference and current are time windows such as now-2d..now-1d. */
  featureDrift: DriftReport;
  /** One feature service by name, with the lineage of each of its features. */
  featureService?: Maybe<FeatureServiceInfo>;
  /** Every feature service, with the lineage of each of its features. */
  featureServices: Array<FeatureServiceInfo>;
  /** One feature view by its definition name (e.g. `driver_stats`). */
  featureView?: Maybe<FeatureViewInfo>;
  /** Every feature view, with its definition, version and freshness. */
  featureViews: Array<FeatureViewInfo>;
  /** Every on-demand view. */
  onDemandViews: Array<OnDemandViewInfo>;
  /** Inputs of the real-time pricing model, version 1. */
  pricingV1: PricingV1;
  /** pricing_v1 for several keys, in the order given (duplicates allowed). */
  pricingV1s: Array<PricingV1>;
  /** Every applied registry version, newest first. */
  registryHistory: Array<RegistryVersion>;
  /** One trip by trip_id; its views are null when unknown. */
  trip: Trip;
  /** Several trips, in the order given (duplicates allowed). */
  trips: Array<Trip>;
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryCustomerArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  customerId: Scalars['ID']['input'];
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryCustomersArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  customerIds: Array<Scalars['ID']['input']>;
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryDriverArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  driverId: Scalars['ID']['input'];
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryDriversArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  driverIds: Array<Scalars['ID']['input']>;
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryFeatureDriftArgs = {
  current: Scalars['String']['input'];
  minRows?: InputMaybe<Scalars['Int']['input']>;
  reference: Scalars['String']['input'];
  service: Scalars['String']['input'];
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryFeatureServiceArgs = {
  name: Scalars['String']['input'];
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryFeatureViewArgs = {
  name: Scalars['String']['input'];
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryPricingV1Args = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  customerId: Scalars['ID']['input'];
  userLat: Scalars['Float']['input'];
  userLon: Scalars['Float']['input'];
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryPricingV1sArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  customerIds: Array<Scalars['ID']['input']>;
  userLat: Scalars['Float']['input'];
  userLon: Scalars['Float']['input'];
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryTripArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  tripId: Scalars['ID']['input'];
};


/** Read features: online or point in time (asOf), by entity or by feature service, and the registry behind them. */
export type QueryTripsArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  tripIds: Array<Scalars['ID']['input']>;
};

/** How often the customer asked for a price recently; many requests in minutes hint at price shopping. */
export type QuoteActivity = {
  __typename?: 'QuoteActivity';
  /** Quote requests of the customer in the last day. Number of events in the last 1d: events with windowEnd − 1d < event time ≤ windowEnd, each event id once. */
  quotes1d: Scalars['Int']['output'];
  /** Quote requests of the customer in the last hour. Number of events in the last 1h: events with windowEnd − 1h < event time ≤ windowEnd, each event id once. */
  quotes1h: Scalars['Int']['output'];
  /** Quote requests of the customer in the last 5 minutes. Number of events in the last 5m: events with windowEnd − 5m < event time ≤ windowEnd, each event id once. */
  quotes5m: Scalars['Int']['output'];
  /** The instant t every window (t − w, t] ends at: the time of the read online, asOf (at most now) offline. */
  windowEnd: Scalars['DateTime']['output'];
};

/** A raw event pushed to the aggregation view quote_activity; request_id identifies it (a replay counts once). */
export type QuoteActivityRowInput = {
  /** Where the request came from: web, app or broker. */
  channel?: InputMaybe<Scalars['String']['input']>;
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The row's customer_id (join key of customer). */
  customerId: Scalars['ID']['input'];
  /** Event time of the row. */
  eventTimestamp: Scalars['DateTime']['input'];
  /** Id of the quote request; a replayed request counts once. */
  requestId?: InputMaybe<Scalars['String']['input']>;
};

/** One applied registry version. */
export type RegistryVersion = {
  __typename?: 'RegistryVersion';
  /** When it was applied. */
  appliedAt: Scalars['DateTime']['output'];
  /** Who applied it, when known. */
  appliedBy?: Maybe<Scalars['String']['output']>;
  /** Content hash of the whole repository at this version. */
  hash: Scalars['String']['output'];
  /** Version number, increasing with each apply that changed something. */
  version: Scalars['Int']['output'];
};

/** Where a view's offline rows come from. */
export type SourceInfo = {
  __typename?: 'SourceInfo';
  /** Column holding the ingestion time; null when the source has none. */
  createdTimestampColumn?: Maybe<Scalars['String']['output']>;
  /** What it is, from the definition. */
  description?: Maybe<Scalars['String']['output']>;
  /** Column holding the event time. */
  eventTimestampColumn: Scalars['String']['output'];
  /** postgres or push. */
  kind: Scalars['String']['output'];
  /** Definition name of the source. */
  name: Scalars['String']['output'];
  /** The SELECT of a query source; null for a table. */
  query?: Maybe<Scalars['String']['output']>;
  /** The table (for push sources, the push table); null for a query source. */
  table?: Maybe<Scalars['String']['output']>;
};

/** Watch features: each new online value of a view for some keys (docs/subscriptions.md). */
export type Subscription = {
  __typename?: 'Subscription';
  /** Each new online value of accident_history for these keys (a push or a materialization), per key in the order the values became current. */
  accidentHistoryChanged: AccidentHistory;
  /** Each new online value of credit_score for these keys (a push or a materialization), per key in the order the values became current. */
  creditScoreChanged: CreditScore;
  /** Each new online value of driver_stats for these keys (a push or a materialization), per key in the order the values became current. */
  driverStatsChanged: DriverStats;
  /** Each new online value of location_risk for these keys (a push or a materialization), per key in the order the values became current. */
  locationRiskChanged: LocationRisk;
  /** Each new online value of trip_facts for these keys (a push or a materialization), per key in the order the values became current. */
  tripFactsChanged: TripFacts;
};


/** Watch features: each new online value of a view for some keys (docs/subscriptions.md). */
export type SubscriptionAccidentHistoryChangedArgs = {
  customerIds: Array<Scalars['ID']['input']>;
};


/** Watch features: each new online value of a view for some keys (docs/subscriptions.md). */
export type SubscriptionCreditScoreChangedArgs = {
  customerIds: Array<Scalars['ID']['input']>;
};


/** Watch features: each new online value of a view for some keys (docs/subscriptions.md). */
export type SubscriptionDriverStatsChangedArgs = {
  driverIds: Array<Scalars['ID']['input']>;
};


/** Watch features: each new online value of a view for some keys (docs/subscriptions.md). */
export type SubscriptionLocationRiskChangedArgs = {
  customerIds: Array<Scalars['ID']['input']>;
};


/** Watch features: each new online value of a view for some keys (docs/subscriptions.md). */
export type SubscriptionTripFactsChangedArgs = {
  tripIds: Array<Scalars['ID']['input']>;
};

/** A tag of a definition. */
export type Tag = {
  __typename?: 'Tag';
  /** Tag name. */
  key: Scalars['String']['output'];
  /** Tag value. */
  value: Scalars['String']['output'];
};

/** A completed ride: who drove it and who rode. */
export type Trip = {
  __typename?: 'Trip';
  /** Facts of a trip: its fare, its driver and its customer; walk from here to their features. */
  tripFacts?: Maybe<TripFacts>;
  /** The trip's trip_id (its join key). */
  tripId: Scalars['ID']['output'];
};


/** A completed ride: who drove it and who rode. */
export type TripTripFactsArgs = {
  asKnownAt?: InputMaybe<Scalars['Boolean']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  maxAge?: InputMaybe<Scalars['Duration']['input']>;
};

/** Facts of a trip: its fare, its driver and its customer; walk from here to their features. */
export type TripFacts = {
  __typename?: 'TripFacts';
  /** How old the value is, in seconds: now − eventTimestamp at read time (with asOf: asOf − eventTimestamp). */
  ageSeconds: Scalars['Float']['output'];
  /** Ingestion (created) time of that row; null when the view's source has no created timestamp. */
  createdTimestamp?: Maybe<Scalars['DateTime']['output']>;
  /** The customer that customer_id references, read at the same instant as this value (its asOf, if any); null when customer_id is null. */
  customer?: Maybe<Customer>;
  /** The customer who rode. */
  customerId?: Maybe<Scalars['String']['output']>;
  /** The driver that driver_id references, read at the same instant as this value (its asOf, if any); null when driver_id is null. */
  driver?: Maybe<Driver>;
  /** The driver who drove the trip. */
  driverId?: Maybe<Scalars['Int64']['output']>;
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  /** What the rider paid for the trip. Unit: EUR. */
  fare?: Maybe<Scalars['Float']['output']>;
  /** The trip's trip_id this value belongs to. */
  tripId: Scalars['ID']['output'];
};

/** A row pushed to trip_facts. */
export type TripFactsRowInput = {
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** The customer who rode. */
  customerId?: InputMaybe<Scalars['String']['input']>;
  /** The driver who drove the trip. */
  driverId?: InputMaybe<Scalars['Int64']['input']>;
  /** Event time of the row. */
  eventTimestamp: Scalars['DateTime']['input'];
  /** What the rider paid for the trip. Unit: EUR. */
  fare?: InputMaybe<Scalars['Float']['input']>;
  /** The row's trip_id (join key of trip). */
  tripId: Scalars['ID']['input'];
};

export type DriverStatsQueryVariables = Exact<{
  driverId: Scalars['ID']['input'];
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
}>;


export type DriverStatsQuery = { __typename?: 'Query', driver: { __typename?: 'Driver', driverId: string, driverStats?: { __typename?: 'DriverStats', convRate?: number | null, accRate?: number | null, avgDailyTrips?: number | null, eventTimestamp: string } | null } };

export type DriversBatchQueryVariables = Exact<{
  driverIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DriversBatchQuery = { __typename?: 'Query', drivers: Array<{ __typename?: 'Driver', driverId: string, driverStats?: { __typename?: 'DriverStats', convRate?: number | null, accRate?: number | null, avgDailyTrips?: number | null } | null }> };

export type PricingV1QueryVariables = Exact<{
  customerId: Scalars['ID']['input'];
  userLat: Scalars['Float']['input'];
  userLon: Scalars['Float']['input'];
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
}>;


export type PricingV1Query = { __typename?: 'Query', pricingV1: { __typename?: 'PricingV1', creditScore?: { __typename?: 'PricingV1CreditScore', score?: number | null } | null, accidentHistory?: { __typename?: 'PricingV1AccidentHistory', accidents12m?: number | null } | null, locationRisk?: { __typename?: 'PricingV1LocationRisk', risk?: number | null } | null, accidentProximity?: { __typename?: 'PricingV1AccidentProximity', distanceKm?: number | null } | null } };

export type PushLocationRiskMutationVariables = Exact<{
  rows: Array<LocationRiskRowInput> | LocationRiskRowInput;
}>;


export type PushLocationRiskMutation = { __typename?: 'Mutation', pushLocationRisk: { __typename?: 'PushResult', rows: number, onlineWritten: number, offlineWritten: number } };


export const DriverStatsDocument = {"__meta__":{"hash":"e1793f6a620fffce1388e417ab3a3726ddd85475"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DriverStats"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"driverId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"driver"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"driverId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"driverId"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"driverId"}},{"kind":"Field","name":{"kind":"Name","value":"driverStats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"convRate"}},{"kind":"Field","name":{"kind":"Name","value":"accRate"}},{"kind":"Field","name":{"kind":"Name","value":"avgDailyTrips"}},{"kind":"Field","name":{"kind":"Name","value":"eventTimestamp"}}]}}]}}]}}]} as unknown as DocumentNode<DriverStatsQuery, DriverStatsQueryVariables>;
export const DriversBatchDocument = {"__meta__":{"hash":"ac4384d6965244618e820a3bd3bbc0fd8eb71c1f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DriversBatch"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"driverIds"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"drivers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"driverIds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"driverIds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"driverId"}},{"kind":"Field","name":{"kind":"Name","value":"driverStats"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"convRate"}},{"kind":"Field","name":{"kind":"Name","value":"accRate"}},{"kind":"Field","name":{"kind":"Name","value":"avgDailyTrips"}}]}}]}}]}}]} as unknown as DocumentNode<DriversBatchQuery, DriversBatchQueryVariables>;
export const PricingV1Document = {"__meta__":{"hash":"9bb26bf6777003e04c81daa2230f58c90d022d63"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PricingV1"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userLat"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userLon"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Float"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pricingV1"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"customerId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"customerId"}}},{"kind":"Argument","name":{"kind":"Name","value":"userLat"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userLat"}}},{"kind":"Argument","name":{"kind":"Name","value":"userLon"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userLon"}}},{"kind":"Argument","name":{"kind":"Name","value":"asOf"},"value":{"kind":"Variable","name":{"kind":"Name","value":"asOf"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"creditScore"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}}]}},{"kind":"Field","name":{"kind":"Name","value":"accidentHistory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accidents12m"}}]}},{"kind":"Field","name":{"kind":"Name","value":"locationRisk"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"risk"}}]}},{"kind":"Field","name":{"kind":"Name","value":"accidentProximity"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"distanceKm"}}]}}]}}]}}]} as unknown as DocumentNode<PricingV1Query, PricingV1QueryVariables>;
export const PushLocationRiskDocument = {"__meta__":{"hash":"9457a3de1d4cdab701f3501adb9e30892dfa6296"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PushLocationRisk"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"rows"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LocationRiskRowInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pushLocationRisk"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"rows"},"value":{"kind":"Variable","name":{"kind":"Name","value":"rows"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"}},{"kind":"Field","name":{"kind":"Name","value":"onlineWritten"}},{"kind":"Field","name":{"kind":"Name","value":"offlineWritten"}}]}}]}}]} as unknown as DocumentNode<PushLocationRiskMutation, PushLocationRiskMutationVariables>;