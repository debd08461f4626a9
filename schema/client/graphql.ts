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
  /** A signed 64-bit integer as a decimal string (exact beyond 2^53). Inputs also accept safe JSON integers. */
  Int64: { input: string | number; output: string; }
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
export type PushTarget =
  /** The offline push table only. */
  | 'OFFLINE'
  /** The online store only. */
  | 'ONLINE'
  /** Both (the default). */
  | 'ONLINE_AND_OFFLINE';

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