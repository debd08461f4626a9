import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { FeatureGraphContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Binary data as base64 text. */
  Bytes: { input: Uint8Array; output: Uint8Array; }
  /** An instant as ISO 8601 text with a time zone, e.g. `2026-11-26T10:00:00Z` (a bare date is midnight UTC). */
  DateTime: { input: Date; output: Date | string; }
  /** A signed 64-bit integer as a decimal string (exact beyond 2^53). Inputs also accept safe JSON integers. */
  Int64: { input: bigint; output: bigint | string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

/** Accidents in the last twelve months and where the last one happened. */
export type AccidentHistory = {
  __typename?: 'AccidentHistory';
  accidents12m?: Maybe<Scalars['Int']['output']>;
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  lastAccidentLat?: Maybe<Scalars['Float']['output']>;
  lastAccidentLon?: Maybe<Scalars['Float']['output']>;
};

/** A row pushed to accident_history. */
export type AccidentHistoryRowInput = {
  accidents12m?: InputMaybe<Scalars['Int']['input']>;
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  customerId: Scalars['ID']['input'];
  eventTimestamp: Scalars['DateTime']['input'];
  lastAccidentLat?: InputMaybe<Scalars['Float']['input']>;
  lastAccidentLon?: InputMaybe<Scalars['Float']['input']>;
};

/** Great-circle distance from where the customer is to their last accident. */
export type AccidentProximity = {
  __typename?: 'AccidentProximity';
  distanceKm?: Maybe<Scalars['Float']['output']>;
  nearLastAccident?: Maybe<Scalars['Boolean']['output']>;
};

/** The customer's credit score, refreshed nightly. */
export type CreditScore = {
  __typename?: 'CreditScore';
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  score?: Maybe<Scalars['Int']['output']>;
};

/** A row pushed to credit_score. */
export type CreditScoreRowInput = {
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  customerId: Scalars['ID']['input'];
  eventTimestamp: Scalars['DateTime']['input'];
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
  customerId: Scalars['ID']['output'];
  /** Risk score of the area the customer is in, pushed in real time. */
  locationRisk?: Maybe<LocationRisk>;
};


/** An insurance customer asking for a price. */
export type CustomerAccidentHistoryArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An insurance customer asking for a price. */
export type CustomerAccidentProximityArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  userLat: Scalars['Float']['input'];
  userLon: Scalars['Float']['input'];
};


/** An insurance customer asking for a price. */
export type CustomerCreditScoreArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};


/** An insurance customer asking for a price. */
export type CustomerLocationRiskArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};

/** One bin of a drift comparison. */
export type DriftBin = {
  __typename?: 'DriftBin';
  /** A numeric bin index (bin i holds edges[i-1] <= x < edges[i]), v:<value>, other, or null. */
  bin: Scalars['String']['output'];
  current: Scalars['Int']['output'];
  reference: Scalars['Int']['output'];
};

/** A drift report of a feature service's served-feature log. */
export type DriftReport = {
  __typename?: 'DriftReport';
  current: Scalars['String']['output'];
  /** Whether any feature drifted. */
  drifted: Scalars['Boolean']['output'];
  features: Array<FeatureDrift>;
  reference: Scalars['String']['output'];
  service: Scalars['String']['output'];
};

/** A driver of the ride-hailing fleet. */
export type Driver = {
  __typename?: 'Driver';
  driverId: Scalars['ID']['output'];
  /** Hourly conversion, acceptance and trip statistics of a driver. */
  driverStats?: Maybe<DriverStats>;
};


/** A driver of the ride-hailing fleet. */
export type DriverDriverStatsArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Hourly conversion, acceptance and trip statistics of a driver. */
export type DriverStats = {
  __typename?: 'DriverStats';
  accRate?: Maybe<Scalars['Float']['output']>;
  avgDailyTrips?: Maybe<Scalars['Int']['output']>;
  convRate?: Maybe<Scalars['Float']['output']>;
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
};

/** A row pushed to driver_stats. */
export type DriverStatsRowInput = {
  accRate?: InputMaybe<Scalars['Float']['input']>;
  avgDailyTrips?: InputMaybe<Scalars['Int']['input']>;
  convRate?: InputMaybe<Scalars['Float']['input']>;
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  driverId: Scalars['ID']['input'];
  eventTimestamp: Scalars['DateTime']['input'];
};

/** An entity: what features are keyed by. */
export type EntityInfo = {
  __typename?: 'EntityInfo';
  description?: Maybe<Scalars['String']['output']>;
  hash?: Maybe<Scalars['String']['output']>;
  joinKey: Scalars['String']['output'];
  name: Scalars['String']['output'];
  owner?: Maybe<Scalars['String']['output']>;
  tags: Array<Tag>;
  valueType: Scalars['String']['output'];
  /** Registry version in which this entity last changed; null before the first apply. */
  version?: Maybe<Scalars['Int']['output']>;
};

/** Drift of one feature between the reference and the current window. */
export type FeatureDrift = {
  __typename?: 'FeatureDrift';
  bins: Array<DriftBin>;
  currentCount: Scalars['Int']['output'];
  currentNullRate?: Maybe<Scalars['Float']['output']>;
  /** psi > threshold. */
  drifted: Scalars['Boolean']['output'];
  /** Lower edges of the numeric bins. */
  edges: Array<Scalars['Float']['output']>;
  feature: Scalars['String']['output'];
  /** numeric (reference deciles), categorical (reference values + other) or unsupported (no PSI). */
  kind: Scalars['String']['output'];
  /** Current minus reference null rate. */
  nullRateChange?: Maybe<Scalars['Float']['output']>;
  /** Population stability index; null when a side has no rows. */
  psi?: Maybe<Scalars['Float']['output']>;
  referenceCount: Scalars['Int']['output'];
  referenceNullRate?: Maybe<Scalars['Float']['output']>;
  threshold: Scalars['Float']['output'];
  view: Scalars['String']['output'];
};

/** A feature (or request argument) and its type. */
export type FeatureInfo = {
  __typename?: 'FeatureInfo';
  /** Its GraphQL field name. */
  field: Scalars['String']['output'];
  name: Scalars['String']['output'];
  valueType: Scalars['String']['output'];
};

/** One feature of a feature service and where it comes from. */
export type FeatureServiceFeature = {
  __typename?: 'FeatureServiceFeature';
  feature: Scalars['String']['output'];
  /** The on-demand view's input views; empty for stored features. */
  inputs: Array<Scalars['String']['output']>;
  onDemand: Scalars['Boolean']['output'];
  owner?: Maybe<Scalars['String']['output']>;
  /** The view's source; null for on-demand features. */
  source?: Maybe<SourceInfo>;
  ttlSeconds?: Maybe<Scalars['Int']['output']>;
  view: Scalars['String']['output'];
  /** Registry version of the view. */
  viewVersion?: Maybe<Scalars['Int']['output']>;
};

/** A feature service: the features one model consumes. */
export type FeatureServiceInfo = {
  __typename?: 'FeatureServiceInfo';
  description?: Maybe<Scalars['String']['output']>;
  features: Array<FeatureServiceFeature>;
  hash?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  owner?: Maybe<Scalars['String']['output']>;
  tags: Array<Tag>;
  version?: Maybe<Scalars['Int']['output']>;
};

/** A feature view. */
export type FeatureViewInfo = {
  __typename?: 'FeatureViewInfo';
  description?: Maybe<Scalars['String']['output']>;
  entities: Array<Scalars['String']['output']>;
  features: Array<FeatureInfo>;
  freshness: Freshness;
  hash?: Maybe<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  online: Scalars['Boolean']['output'];
  owner?: Maybe<Scalars['String']['output']>;
  source: SourceInfo;
  tags: Array<Tag>;
  /** Time to live in seconds; 0 means values never expire. */
  ttlSeconds: Scalars['Int']['output'];
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
  /** Event time of the row the values come from. */
  eventTimestamp: Scalars['DateTime']['output'];
  risk?: Maybe<Scalars['Float']['output']>;
};

/** A row pushed to location_risk. */
export type LocationRiskRowInput = {
  /** Ingestion time; defaults to the time of the push. */
  createdTimestamp?: InputMaybe<Scalars['DateTime']['input']>;
  customerId: Scalars['ID']['input'];
  eventTimestamp: Scalars['DateTime']['input'];
  risk?: InputMaybe<Scalars['Float']['input']>;
};

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
};


export type MutationPushAccidentHistoryArgs = {
  rows: Array<AccidentHistoryRowInput>;
  to?: InputMaybe<PushTarget>;
};


export type MutationPushCreditScoreArgs = {
  rows: Array<CreditScoreRowInput>;
  to?: InputMaybe<PushTarget>;
};


export type MutationPushDriverStatsArgs = {
  rows: Array<DriverStatsRowInput>;
  to?: InputMaybe<PushTarget>;
};


export type MutationPushLocationRiskArgs = {
  rows: Array<LocationRiskRowInput>;
  to?: InputMaybe<PushTarget>;
};

/** An on-demand view: features computed at request time. */
export type OnDemandViewInfo = {
  __typename?: 'OnDemandViewInfo';
  description?: Maybe<Scalars['String']['output']>;
  features: Array<FeatureInfo>;
  hash?: Maybe<Scalars['String']['output']>;
  /** The feature views its transform reads. */
  inputs: Array<Scalars['String']['output']>;
  name: Scalars['String']['output'];
  owner?: Maybe<Scalars['String']['output']>;
  requestArguments: Array<FeatureInfo>;
  tags: Array<Tag>;
  version?: Maybe<Scalars['Int']['output']>;
};

/** Inputs of the real-time pricing model, version 1. */
export type PricingV1 = {
  __typename?: 'PricingV1';
  accidentHistory?: Maybe<PricingV1AccidentHistory>;
  accidentProximity?: Maybe<PricingV1AccidentProximity>;
  creditScore?: Maybe<PricingV1CreditScore>;
  locationRisk?: Maybe<PricingV1LocationRisk>;
};

/** accident_history features of pricing_v1. */
export type PricingV1AccidentHistory = {
  __typename?: 'PricingV1AccidentHistory';
  accidents12m?: Maybe<Scalars['Int']['output']>;
  eventTimestamp: Scalars['DateTime']['output'];
};

/** accident_proximity features of pricing_v1. */
export type PricingV1AccidentProximity = {
  __typename?: 'PricingV1AccidentProximity';
  distanceKm?: Maybe<Scalars['Float']['output']>;
};

/** credit_score features of pricing_v1. */
export type PricingV1CreditScore = {
  __typename?: 'PricingV1CreditScore';
  eventTimestamp: Scalars['DateTime']['output'];
  score?: Maybe<Scalars['Int']['output']>;
};

/** location_risk features of pricing_v1. */
export type PricingV1LocationRisk = {
  __typename?: 'PricingV1LocationRisk';
  eventTimestamp: Scalars['DateTime']['output'];
  risk?: Maybe<Scalars['Float']['output']>;
};

/** What a push wrote. */
export type PushResult = {
  __typename?: 'PushResult';
  /** Rows appended to the offline push table. */
  offlineWritten: Scalars['Int']['output'];
  /** Rows that became the online value (older rows are ignored). */
  onlineWritten: Scalars['Int']['output'];
  /** Rows received. */
  rows: Scalars['Int']['output'];
  target: PushTarget;
  view: Scalars['String']['output'];
};

/** Where pushed rows go. */
export enum PushTarget {
  /** The offline push table only. */
  Offline = 'OFFLINE',
  /** The online store only. */
  Online = 'ONLINE',
  /** Both (the default). */
  OnlineAndOffline = 'ONLINE_AND_OFFLINE'
}

export type Query = {
  __typename?: 'Query';
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
  pricingV1s: Array<PricingV1>;
  /** Every applied registry version, newest first. */
  registryHistory: Array<RegistryVersion>;
};


export type QueryCustomerArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  customerId: Scalars['ID']['input'];
};


export type QueryCustomersArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  customerIds: Array<Scalars['ID']['input']>;
};


export type QueryDriverArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  driverId: Scalars['ID']['input'];
};


export type QueryDriversArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  driverIds: Array<Scalars['ID']['input']>;
};


export type QueryFeatureDriftArgs = {
  current: Scalars['String']['input'];
  reference: Scalars['String']['input'];
  service: Scalars['String']['input'];
};


export type QueryFeatureServiceArgs = {
  name: Scalars['String']['input'];
};


export type QueryFeatureViewArgs = {
  name: Scalars['String']['input'];
};


export type QueryPricingV1Args = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  customerId: Scalars['ID']['input'];
  userLat: Scalars['Float']['input'];
  userLon: Scalars['Float']['input'];
};


export type QueryPricingV1sArgs = {
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  customerIds: Array<Scalars['ID']['input']>;
  userLat: Scalars['Float']['input'];
  userLon: Scalars['Float']['input'];
};

/** One applied registry version. */
export type RegistryVersion = {
  __typename?: 'RegistryVersion';
  appliedAt: Scalars['DateTime']['output'];
  appliedBy?: Maybe<Scalars['String']['output']>;
  hash: Scalars['String']['output'];
  version: Scalars['Int']['output'];
};

/** Where a view's offline rows come from. */
export type SourceInfo = {
  __typename?: 'SourceInfo';
  createdTimestampColumn?: Maybe<Scalars['String']['output']>;
  description?: Maybe<Scalars['String']['output']>;
  eventTimestampColumn: Scalars['String']['output'];
  /** postgres or push. */
  kind: Scalars['String']['output'];
  name: Scalars['String']['output'];
  query?: Maybe<Scalars['String']['output']>;
  /** The table (for push sources, the push table); null for a query source. */
  table?: Maybe<Scalars['String']['output']>;
};

/** A tag of a definition. */
export type Tag = {
  __typename?: 'Tag';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AccidentHistory: ResolverTypeWrapper<AccidentHistory>;
  AccidentHistoryRowInput: AccidentHistoryRowInput;
  AccidentProximity: ResolverTypeWrapper<AccidentProximity>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Bytes: ResolverTypeWrapper<Scalars['Bytes']['output']>;
  CreditScore: ResolverTypeWrapper<CreditScore>;
  CreditScoreRowInput: CreditScoreRowInput;
  Customer: ResolverTypeWrapper<Customer>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DriftBin: ResolverTypeWrapper<DriftBin>;
  DriftReport: ResolverTypeWrapper<DriftReport>;
  Driver: ResolverTypeWrapper<Driver>;
  DriverStats: ResolverTypeWrapper<DriverStats>;
  DriverStatsRowInput: DriverStatsRowInput;
  EntityInfo: ResolverTypeWrapper<EntityInfo>;
  FeatureDrift: ResolverTypeWrapper<FeatureDrift>;
  FeatureInfo: ResolverTypeWrapper<FeatureInfo>;
  FeatureServiceFeature: ResolverTypeWrapper<FeatureServiceFeature>;
  FeatureServiceInfo: ResolverTypeWrapper<FeatureServiceInfo>;
  FeatureViewInfo: ResolverTypeWrapper<FeatureViewInfo>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  Freshness: ResolverTypeWrapper<Freshness>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Int64: ResolverTypeWrapper<Scalars['Int64']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  LocationRisk: ResolverTypeWrapper<LocationRisk>;
  LocationRiskRowInput: LocationRiskRowInput;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OnDemandViewInfo: ResolverTypeWrapper<OnDemandViewInfo>;
  PricingV1: ResolverTypeWrapper<PricingV1>;
  PricingV1AccidentHistory: ResolverTypeWrapper<PricingV1AccidentHistory>;
  PricingV1AccidentProximity: ResolverTypeWrapper<PricingV1AccidentProximity>;
  PricingV1CreditScore: ResolverTypeWrapper<PricingV1CreditScore>;
  PricingV1LocationRisk: ResolverTypeWrapper<PricingV1LocationRisk>;
  PushResult: ResolverTypeWrapper<PushResult>;
  PushTarget: PushTarget;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RegistryVersion: ResolverTypeWrapper<RegistryVersion>;
  SourceInfo: ResolverTypeWrapper<SourceInfo>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Tag: ResolverTypeWrapper<Tag>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AccidentHistory: AccidentHistory;
  AccidentHistoryRowInput: AccidentHistoryRowInput;
  AccidentProximity: AccidentProximity;
  Boolean: Scalars['Boolean']['output'];
  Bytes: Scalars['Bytes']['output'];
  CreditScore: CreditScore;
  CreditScoreRowInput: CreditScoreRowInput;
  Customer: Customer;
  DateTime: Scalars['DateTime']['output'];
  DriftBin: DriftBin;
  DriftReport: DriftReport;
  Driver: Driver;
  DriverStats: DriverStats;
  DriverStatsRowInput: DriverStatsRowInput;
  EntityInfo: EntityInfo;
  FeatureDrift: FeatureDrift;
  FeatureInfo: FeatureInfo;
  FeatureServiceFeature: FeatureServiceFeature;
  FeatureServiceInfo: FeatureServiceInfo;
  FeatureViewInfo: FeatureViewInfo;
  Float: Scalars['Float']['output'];
  Freshness: Freshness;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Int64: Scalars['Int64']['output'];
  JSON: Scalars['JSON']['output'];
  LocationRisk: LocationRisk;
  LocationRiskRowInput: LocationRiskRowInput;
  Mutation: Record<PropertyKey, never>;
  OnDemandViewInfo: OnDemandViewInfo;
  PricingV1: PricingV1;
  PricingV1AccidentHistory: PricingV1AccidentHistory;
  PricingV1AccidentProximity: PricingV1AccidentProximity;
  PricingV1CreditScore: PricingV1CreditScore;
  PricingV1LocationRisk: PricingV1LocationRisk;
  PushResult: PushResult;
  Query: Record<PropertyKey, never>;
  RegistryVersion: RegistryVersion;
  SourceInfo: SourceInfo;
  String: Scalars['String']['output'];
  Tag: Tag;
};

export type AccidentHistoryResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['AccidentHistory'] = ResolversParentTypes['AccidentHistory']> = {
  accidents12m?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  eventTimestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  lastAccidentLat?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  lastAccidentLon?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type AccidentProximityResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['AccidentProximity'] = ResolversParentTypes['AccidentProximity']> = {
  distanceKm?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  nearLastAccident?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
};

export interface BytesScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Bytes'], any> {
  name: 'Bytes';
}

export type CreditScoreResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['CreditScore'] = ResolversParentTypes['CreditScore']> = {
  eventTimestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  score?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type CustomerResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer']> = {
  accidentHistory?: Resolver<Maybe<ResolversTypes['AccidentHistory']>, ParentType, ContextType, Partial<CustomerAccidentHistoryArgs>>;
  accidentProximity?: Resolver<Maybe<ResolversTypes['AccidentProximity']>, ParentType, ContextType, RequireFields<CustomerAccidentProximityArgs, 'userLat' | 'userLon'>>;
  creditScore?: Resolver<Maybe<ResolversTypes['CreditScore']>, ParentType, ContextType, Partial<CustomerCreditScoreArgs>>;
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  locationRisk?: Resolver<Maybe<ResolversTypes['LocationRisk']>, ParentType, ContextType, Partial<CustomerLocationRiskArgs>>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DriftBinResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['DriftBin'] = ResolversParentTypes['DriftBin']> = {
  bin?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  current?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reference?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type DriftReportResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['DriftReport'] = ResolversParentTypes['DriftReport']> = {
  current?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  drifted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['FeatureDrift']>, ParentType, ContextType>;
  reference?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  service?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type DriverResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['Driver'] = ResolversParentTypes['Driver']> = {
  driverId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  driverStats?: Resolver<Maybe<ResolversTypes['DriverStats']>, ParentType, ContextType, Partial<DriverDriverStatsArgs>>;
};

export type DriverStatsResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['DriverStats'] = ResolversParentTypes['DriverStats']> = {
  accRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  avgDailyTrips?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  convRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  eventTimestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type EntityInfoResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['EntityInfo'] = ResolversParentTypes['EntityInfo']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hash?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  joinKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['Tag']>, ParentType, ContextType>;
  valueType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type FeatureDriftResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['FeatureDrift'] = ResolversParentTypes['FeatureDrift']> = {
  bins?: Resolver<Array<ResolversTypes['DriftBin']>, ParentType, ContextType>;
  currentCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  currentNullRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  drifted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  edges?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  feature?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  nullRateChange?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  psi?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  referenceCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  referenceNullRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  threshold?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  view?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type FeatureInfoResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['FeatureInfo'] = ResolversParentTypes['FeatureInfo']> = {
  field?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  valueType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type FeatureServiceFeatureResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['FeatureServiceFeature'] = ResolversParentTypes['FeatureServiceFeature']> = {
  feature?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  inputs?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  onDemand?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['SourceInfo']>, ParentType, ContextType>;
  ttlSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  view?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  viewVersion?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type FeatureServiceInfoResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['FeatureServiceInfo'] = ResolversParentTypes['FeatureServiceInfo']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['FeatureServiceFeature']>, ParentType, ContextType>;
  hash?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['Tag']>, ParentType, ContextType>;
  version?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type FeatureViewInfoResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['FeatureViewInfo'] = ResolversParentTypes['FeatureViewInfo']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entities?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['FeatureInfo']>, ParentType, ContextType>;
  freshness?: Resolver<ResolversTypes['Freshness'], ParentType, ContextType>;
  hash?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  online?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['SourceInfo'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['Tag']>, ParentType, ContextType>;
  ttlSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  version?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type FreshnessResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['Freshness'] = ResolversParentTypes['Freshness']> = {
  breached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lastMaterializationAgeSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  lastMaterializedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  newestValueAgeSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  newestValueAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  objectiveSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  watermark?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export interface Int64ScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Int64'], any> {
  name: 'Int64';
}

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LocationRiskResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['LocationRisk'] = ResolversParentTypes['LocationRisk']> = {
  eventTimestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  risk?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type MutationResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  pushAccidentHistory?: Resolver<ResolversTypes['PushResult'], ParentType, ContextType, RequireFields<MutationPushAccidentHistoryArgs, 'rows' | 'to'>>;
  pushCreditScore?: Resolver<ResolversTypes['PushResult'], ParentType, ContextType, RequireFields<MutationPushCreditScoreArgs, 'rows' | 'to'>>;
  pushDriverStats?: Resolver<ResolversTypes['PushResult'], ParentType, ContextType, RequireFields<MutationPushDriverStatsArgs, 'rows' | 'to'>>;
  pushLocationRisk?: Resolver<ResolversTypes['PushResult'], ParentType, ContextType, RequireFields<MutationPushLocationRiskArgs, 'rows' | 'to'>>;
};

export type OnDemandViewInfoResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['OnDemandViewInfo'] = ResolversParentTypes['OnDemandViewInfo']> = {
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  features?: Resolver<Array<ResolversTypes['FeatureInfo']>, ParentType, ContextType>;
  hash?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  inputs?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requestArguments?: Resolver<Array<ResolversTypes['FeatureInfo']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['Tag']>, ParentType, ContextType>;
  version?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type PricingV1Resolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['PricingV1'] = ResolversParentTypes['PricingV1']> = {
  accidentHistory?: Resolver<Maybe<ResolversTypes['PricingV1AccidentHistory']>, ParentType, ContextType>;
  accidentProximity?: Resolver<Maybe<ResolversTypes['PricingV1AccidentProximity']>, ParentType, ContextType>;
  creditScore?: Resolver<Maybe<ResolversTypes['PricingV1CreditScore']>, ParentType, ContextType>;
  locationRisk?: Resolver<Maybe<ResolversTypes['PricingV1LocationRisk']>, ParentType, ContextType>;
};

export type PricingV1AccidentHistoryResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['PricingV1AccidentHistory'] = ResolversParentTypes['PricingV1AccidentHistory']> = {
  accidents12m?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  eventTimestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type PricingV1AccidentProximityResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['PricingV1AccidentProximity'] = ResolversParentTypes['PricingV1AccidentProximity']> = {
  distanceKm?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type PricingV1CreditScoreResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['PricingV1CreditScore'] = ResolversParentTypes['PricingV1CreditScore']> = {
  eventTimestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  score?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type PricingV1LocationRiskResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['PricingV1LocationRisk'] = ResolversParentTypes['PricingV1LocationRisk']> = {
  eventTimestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  risk?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type PushResultResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['PushResult'] = ResolversParentTypes['PushResult']> = {
  offlineWritten?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  onlineWritten?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rows?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  target?: Resolver<ResolversTypes['PushTarget'], ParentType, ContextType>;
  view?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  customer?: Resolver<ResolversTypes['Customer'], ParentType, ContextType, RequireFields<QueryCustomerArgs, 'customerId'>>;
  customers?: Resolver<Array<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomersArgs, 'customerIds'>>;
  driver?: Resolver<ResolversTypes['Driver'], ParentType, ContextType, RequireFields<QueryDriverArgs, 'driverId'>>;
  drivers?: Resolver<Array<ResolversTypes['Driver']>, ParentType, ContextType, RequireFields<QueryDriversArgs, 'driverIds'>>;
  entities?: Resolver<Array<ResolversTypes['EntityInfo']>, ParentType, ContextType>;
  featureDrift?: Resolver<ResolversTypes['DriftReport'], ParentType, ContextType, RequireFields<QueryFeatureDriftArgs, 'current' | 'reference' | 'service'>>;
  featureService?: Resolver<Maybe<ResolversTypes['FeatureServiceInfo']>, ParentType, ContextType, RequireFields<QueryFeatureServiceArgs, 'name'>>;
  featureServices?: Resolver<Array<ResolversTypes['FeatureServiceInfo']>, ParentType, ContextType>;
  featureView?: Resolver<Maybe<ResolversTypes['FeatureViewInfo']>, ParentType, ContextType, RequireFields<QueryFeatureViewArgs, 'name'>>;
  featureViews?: Resolver<Array<ResolversTypes['FeatureViewInfo']>, ParentType, ContextType>;
  onDemandViews?: Resolver<Array<ResolversTypes['OnDemandViewInfo']>, ParentType, ContextType>;
  pricingV1?: Resolver<ResolversTypes['PricingV1'], ParentType, ContextType, RequireFields<QueryPricingV1Args, 'customerId' | 'userLat' | 'userLon'>>;
  pricingV1s?: Resolver<Array<ResolversTypes['PricingV1']>, ParentType, ContextType, RequireFields<QueryPricingV1sArgs, 'customerIds' | 'userLat' | 'userLon'>>;
  registryHistory?: Resolver<Array<ResolversTypes['RegistryVersion']>, ParentType, ContextType>;
};

export type RegistryVersionResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['RegistryVersion'] = ResolversParentTypes['RegistryVersion']> = {
  appliedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  appliedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SourceInfoResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['SourceInfo'] = ResolversParentTypes['SourceInfo']> = {
  createdTimestampColumn?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  eventTimestampColumn?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  query?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  table?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type TagResolvers<ContextType = FeatureGraphContext, ParentType extends ResolversParentTypes['Tag'] = ResolversParentTypes['Tag']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = FeatureGraphContext> = {
  AccidentHistory?: AccidentHistoryResolvers<ContextType>;
  AccidentProximity?: AccidentProximityResolvers<ContextType>;
  Bytes?: GraphQLScalarType;
  CreditScore?: CreditScoreResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DriftBin?: DriftBinResolvers<ContextType>;
  DriftReport?: DriftReportResolvers<ContextType>;
  Driver?: DriverResolvers<ContextType>;
  DriverStats?: DriverStatsResolvers<ContextType>;
  EntityInfo?: EntityInfoResolvers<ContextType>;
  FeatureDrift?: FeatureDriftResolvers<ContextType>;
  FeatureInfo?: FeatureInfoResolvers<ContextType>;
  FeatureServiceFeature?: FeatureServiceFeatureResolvers<ContextType>;
  FeatureServiceInfo?: FeatureServiceInfoResolvers<ContextType>;
  FeatureViewInfo?: FeatureViewInfoResolvers<ContextType>;
  Freshness?: FreshnessResolvers<ContextType>;
  Int64?: GraphQLScalarType;
  JSON?: GraphQLScalarType;
  LocationRisk?: LocationRiskResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  OnDemandViewInfo?: OnDemandViewInfoResolvers<ContextType>;
  PricingV1?: PricingV1Resolvers<ContextType>;
  PricingV1AccidentHistory?: PricingV1AccidentHistoryResolvers<ContextType>;
  PricingV1AccidentProximity?: PricingV1AccidentProximityResolvers<ContextType>;
  PricingV1CreditScore?: PricingV1CreditScoreResolvers<ContextType>;
  PricingV1LocationRisk?: PricingV1LocationRiskResolvers<ContextType>;
  PushResult?: PushResultResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RegistryVersion?: RegistryVersionResolvers<ContextType>;
  SourceInfo?: SourceInfoResolvers<ContextType>;
  Tag?: TagResolvers<ContextType>;
};

