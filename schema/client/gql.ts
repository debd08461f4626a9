/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DriverStats($driverId: ID!, $asOf: DateTime) {\n  driver(driverId: $driverId, asOf: $asOf) {\n    driverId\n    driverStats {\n      convRate\n      accRate\n      avgDailyTrips\n      eventTimestamp\n    }\n  }\n}": typeof types.DriverStatsDocument,
    "query DriversBatch($driverIds: [ID!]!) {\n  drivers(driverIds: $driverIds) {\n    driverId\n    driverStats {\n      convRate\n      accRate\n      avgDailyTrips\n    }\n  }\n}": typeof types.DriversBatchDocument,
    "query PricingV1($customerId: ID!, $userLat: Float!, $userLon: Float!, $asOf: DateTime) {\n  pricingV1(\n    customerId: $customerId\n    userLat: $userLat\n    userLon: $userLon\n    asOf: $asOf\n  ) {\n    creditScore {\n      score\n    }\n    accidentHistory {\n      accidents12m\n    }\n    locationRisk {\n      risk\n    }\n    accidentProximity {\n      distanceKm\n    }\n  }\n}": typeof types.PricingV1Document,
    "mutation PushLocationRisk($rows: [LocationRiskRowInput!]!) {\n  pushLocationRisk(rows: $rows) {\n    rows\n    onlineWritten\n    offlineWritten\n  }\n}": typeof types.PushLocationRiskDocument,
};
const documents: Documents = {
    "query DriverStats($driverId: ID!, $asOf: DateTime) {\n  driver(driverId: $driverId, asOf: $asOf) {\n    driverId\n    driverStats {\n      convRate\n      accRate\n      avgDailyTrips\n      eventTimestamp\n    }\n  }\n}": types.DriverStatsDocument,
    "query DriversBatch($driverIds: [ID!]!) {\n  drivers(driverIds: $driverIds) {\n    driverId\n    driverStats {\n      convRate\n      accRate\n      avgDailyTrips\n    }\n  }\n}": types.DriversBatchDocument,
    "query PricingV1($customerId: ID!, $userLat: Float!, $userLon: Float!, $asOf: DateTime) {\n  pricingV1(\n    customerId: $customerId\n    userLat: $userLat\n    userLon: $userLon\n    asOf: $asOf\n  ) {\n    creditScore {\n      score\n    }\n    accidentHistory {\n      accidents12m\n    }\n    locationRisk {\n      risk\n    }\n    accidentProximity {\n      distanceKm\n    }\n  }\n}": types.PricingV1Document,
    "mutation PushLocationRisk($rows: [LocationRiskRowInput!]!) {\n  pushLocationRisk(rows: $rows) {\n    rows\n    onlineWritten\n    offlineWritten\n  }\n}": types.PushLocationRiskDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DriverStats($driverId: ID!, $asOf: DateTime) {\n  driver(driverId: $driverId, asOf: $asOf) {\n    driverId\n    driverStats {\n      convRate\n      accRate\n      avgDailyTrips\n      eventTimestamp\n    }\n  }\n}"): (typeof documents)["query DriverStats($driverId: ID!, $asOf: DateTime) {\n  driver(driverId: $driverId, asOf: $asOf) {\n    driverId\n    driverStats {\n      convRate\n      accRate\n      avgDailyTrips\n      eventTimestamp\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DriversBatch($driverIds: [ID!]!) {\n  drivers(driverIds: $driverIds) {\n    driverId\n    driverStats {\n      convRate\n      accRate\n      avgDailyTrips\n    }\n  }\n}"): (typeof documents)["query DriversBatch($driverIds: [ID!]!) {\n  drivers(driverIds: $driverIds) {\n    driverId\n    driverStats {\n      convRate\n      accRate\n      avgDailyTrips\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PricingV1($customerId: ID!, $userLat: Float!, $userLon: Float!, $asOf: DateTime) {\n  pricingV1(\n    customerId: $customerId\n    userLat: $userLat\n    userLon: $userLon\n    asOf: $asOf\n  ) {\n    creditScore {\n      score\n    }\n    accidentHistory {\n      accidents12m\n    }\n    locationRisk {\n      risk\n    }\n    accidentProximity {\n      distanceKm\n    }\n  }\n}"): (typeof documents)["query PricingV1($customerId: ID!, $userLat: Float!, $userLon: Float!, $asOf: DateTime) {\n  pricingV1(\n    customerId: $customerId\n    userLat: $userLat\n    userLon: $userLon\n    asOf: $asOf\n  ) {\n    creditScore {\n      score\n    }\n    accidentHistory {\n      accidents12m\n    }\n    locationRisk {\n      risk\n    }\n    accidentProximity {\n      distanceKm\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PushLocationRisk($rows: [LocationRiskRowInput!]!) {\n  pushLocationRisk(rows: $rows) {\n    rows\n    onlineWritten\n    offlineWritten\n  }\n}"): (typeof documents)["mutation PushLocationRisk($rows: [LocationRiskRowInput!]!) {\n  pushLocationRisk(rows: $rows) {\n    rows\n    onlineWritten\n    offlineWritten\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;