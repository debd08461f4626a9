import {
  Float64,
  Int32,
  Int64,
  String as Str,
  entity,
  feature,
  featureView,
  postgresSource,
  repository,
  type Repository,
} from '../../src/definitions/index.js';
import type { SqlClient } from '../../src/sql/client.js';

/**
 * A repository with three levels of relations: trip_facts → driver (driver_stats) and customer (credit_score),
 * driver_stats → city (city_stats). Every source has a created timestamp (nullable) so ties are exercised.
 */
export const relationRepository = (project: string, schema: string): Repository => {
  const trip = entity({ name: 'trip', joinKey: 'trip_id', valueType: Str, description: 'A trip.' });
  const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64, description: 'A driver.' });
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str, description: 'A customer.' });
  const city = entity({ name: 'city', joinKey: 'city_id', valueType: Str, description: 'A city.' });
  const src = (name: string) =>
    postgresSource({
      name: `${name}_src`,
      table: `${schema}.${name}`,
      timestampField: 'event_timestamp',
      createdTimestampColumn: 'created',
    });
  const tripFacts = featureView({
    name: 'trip_facts',
    entities: [trip],
    features: {
      fare: Float64,
      driver_id: feature(Int64, { references: driver, description: 'The driver.' }),
      customer_id: feature(Str, { references: customer, description: 'The customer.' }),
    },
    source: src('trip_facts'),
    ttl: '1h',
  });
  const driverStats = featureView({
    name: 'driver_stats',
    entities: [driver],
    features: { conv_rate: Float64, home_city_id: feature(Str, { references: city }) },
    source: src('driver_stats'),
    ttl: '30m',
  });
  const creditScore = featureView({
    name: 'credit_score',
    entities: [customer],
    features: { score: Int32 },
    source: src('credit_score'),
    ttl: '2h',
  });
  const cityStats = featureView({
    name: 'city_stats',
    entities: [city],
    features: { surge: Float64 },
    source: src('city_stats'),
    ttl: '45m',
  });
  return repository({ project, featureViews: [tripFacts, driverStats, creditScore, cityStats] });
};

/** Source columns of each view of `relationRepository`, after the key, event_timestamp and created. */
export const RELATION_TABLES = {
  trip_facts: { key: 'trip_id text', features: ['fare double precision', 'driver_id bigint', 'customer_id text'] },
  driver_stats: { key: 'driver_id bigint', features: ['conv_rate double precision', 'home_city_id text'] },
  credit_score: { key: 'customer_id text', features: ['score integer'] },
  city_stats: { key: 'city_id text', features: ['surge double precision'] },
} as const;

export type RelationTable = keyof typeof RELATION_TABLES;

/** Create the (empty) source tables of `relationRepository` in `schema`. */
export const createRelationSources = async (sql: SqlClient, schema: string) => {
  await sql.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  for (const [name, t] of Object.entries(RELATION_TABLES))
    await sql.query(
      `CREATE TABLE "${schema}".${name} (${t.key}, event_timestamp timestamptz NOT NULL, created timestamptz, ${t.features.join(', ')})`,
    );
};
