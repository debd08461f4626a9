import {
  Float32,
  Float64,
  Int32,
  Int64,
  String as Str,
  entity,
  featureView,
  postgresSource,
  repository,
  type Repository,
} from '../../src/definitions/index.js';
import type { SqlClient } from '../../src/sql/client.js';

/**
 * A small repository over source tables in the test's own schema: drivers (Int64 key) with hourly stats
 * (ttl 2h) and ratings (ttl 1d, no created timestamp), customers (String key) with a profile (ttl 0).
 */
export const smallRepository = (project: string, schema: string): Repository => {
  const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64, description: 'A driver.' });
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const driverStats = featureView({
    name: 'driver_stats',
    entities: [driver],
    features: { conv_rate: Float32, avg_daily_trips: Int32 },
    source: postgresSource({
      name: 'driver_src',
      table: `${schema}.driver_stats`,
      timestampField: 'event_timestamp',
      createdTimestampColumn: 'created',
    }),
    ttl: '2h',
    description: 'Driver stats.',
  });
  const driverRating = featureView({
    name: 'driver_rating',
    entities: [driver],
    features: { rating: Float64 },
    source: postgresSource({ name: 'rating_src', table: `${schema}.driver_rating`, timestampField: 'rated_at' }),
    ttl: '1d',
  });
  const customerProfile = featureView({
    name: 'customer_profile',
    entities: [customer],
    features: { segment: Str },
    source: postgresSource({ name: 'customer_src', table: `${schema}.customer_profile`, timestampField: 'event_timestamp' }),
    ttl: 0,
  });
  return repository({ project, featureViews: [driverStats, driverRating, customerProfile] });
};

/** Create the source tables of `smallRepository` and fill drivers 1..n with rows at `at` and at - 1h. */
export const seedSmallSources = async (sql: SqlClient, schema: string, n: number, at: Date) => {
  await sql.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await sql.query(
    `CREATE TABLE "${schema}".driver_stats (driver_id bigint, event_timestamp timestamptz, created timestamptz, conv_rate real, avg_daily_trips integer)`,
  );
  await sql.query(`CREATE TABLE "${schema}".driver_rating (driver_id bigint, rated_at timestamptz, rating double precision)`);
  await sql.query(
    `INSERT INTO "${schema}".driver_rating SELECT g, $1::timestamptz - interval '3 hours', g / 10.0 FROM generate_series(1, $2::int) g`,
    [at, n],
  );
  await sql.query(`CREATE TABLE "${schema}".customer_profile (customer_id text, event_timestamp timestamptz, segment text)`);
  await sql.query(
    `INSERT INTO "${schema}".driver_stats
     SELECT g, $1::timestamptz - (h || ' hours')::interval, $1::timestamptz, (g % 100) / 100.0 + h, g * 10 + h
       FROM generate_series(1, $2::int) g, generate_series(0, 1) h`,
    [at, n],
  );
  await sql.query(`INSERT INTO "${schema}".customer_profile VALUES ('C1', $1, 'gold'), ('C2', $1, 'silver')`, [at]);
};
