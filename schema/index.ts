/**
 * The demo feature repository: the Feast quickstart (drivers) and the insurance
 * real-time pricing example (customers). Its source tables live in the `demo` schema
 * and are filled by `featuregraph demo` (see schema/demo-data.ts).
 */
import {
  aggregationView,
  count,
  Bool,
  Float32,
  Float64,
  Int32,
  Int64,
  String as Str,
  entity,
  feature,
  featureService,
  featureView,
  fileSource,
  onDemandView,
  postgresSource,
  pushSource,
  repository,
} from '../src/definitions/index.js';

export const driver = entity({
  name: 'driver',
  joinKey: 'driver_id',
  valueType: Int64,
  description: 'A driver of the ride-hailing fleet.',
});

export const customer = entity({
  name: 'customer',
  joinKey: 'customer_id',
  valueType: Str,
  description: 'An insurance customer asking for a price.',
});

export const trip = entity({
  name: 'trip',
  joinKey: 'trip_id',
  valueType: Str,
  description: 'A completed ride: who drove it and who rode.',
});

/**
 * `FEATUREGRAPH_DEMO_DRIVER_SOURCE=parquet` (what `featuregraph demo --driver-source parquet` sets) reads
 * the driver statistics from Parquet files partitioned by date under the data dir, through DuckDB
 * (docs/offline-stores.md), instead of the `demo` table; `featuregraph demo` writes them.
 */
const driverSourceFiles = process.env.FEATUREGRAPH_DEMO_DRIVER_SOURCE === 'parquet';

export const driverStats = featureView({
  name: 'driver_stats',
  entities: [driver],
  features: {
    conv_rate: feature(Float32, {
      description: 'Share of ride offers the driver converted into trips, over the last hour.',
      unit: 'ratio',
      range: [0, 1],
    }),
    acc_rate: feature(Float32, {
      description: 'Share of ride offers the driver accepted, over the last hour.',
      unit: 'ratio',
      range: [0, 1],
    }),
    avg_daily_trips: feature(Int32, { description: 'Average number of trips the driver completes per day.', unit: 'trips/day' }),
  },
  source: driverSourceFiles
    ? fileSource({
        name: 'driver_hourly_stats',
        path: `${process.env.FEATUREGRAPH_DATA_DIR || '.featuregraph'}/parquet/driver_hourly_stats/`,
        timestampField: 'event_timestamp',
        createdTimestampColumn: 'created',
        description: 'Hourly driver statistics from the trips pipeline, as Parquet files partitioned by date.',
      })
    : postgresSource({
        name: 'driver_hourly_stats',
        table: 'demo.driver_hourly_stats',
        timestampField: 'event_timestamp',
        createdTimestampColumn: 'created',
        description: 'Hourly driver statistics from the trips pipeline.',
      }),
  ttl: '2d',
  freshness: '2h',
  description: 'Hourly conversion, acceptance and trip statistics of a driver.',
  owner: 'mobility-ml@example.com',
  tags: { team: 'mobility' },
});

export const creditScore = featureView({
  name: 'credit_score',
  entities: [customer],
  features: {
    score: feature(Int32, { description: 'Credit bureau score; higher is better.', unit: 'points', range: [300, 850] }),
  },
  source: postgresSource({
    name: 'credit_scores',
    table: 'demo.credit_scores',
    timestampField: 'event_timestamp',
    createdTimestampColumn: 'created',
    description: 'Nightly credit bureau export.',
  }),
  ttl: '30d',
  freshness: '2d',
  drift: { threshold: 0.25 },
  description: "The customer's credit score, refreshed nightly.",
  owner: 'pricing-ml@example.com',
  tags: { team: 'pricing' },
});

export const accidentHistory = featureView({
  name: 'accident_history',
  entities: [customer],
  features: {
    accidents_12m: feature(Int32, { description: 'Accidents the customer had in the last twelve months.', unit: 'accidents' }),
    last_accident_lat: feature(Float64, {
      description: 'Latitude of the last accident; null when there was none.',
      unit: 'degrees',
      range: [-90, 90],
    }),
    last_accident_lon: feature(Float64, {
      description: 'Longitude of the last accident; null when there was none.',
      unit: 'degrees',
      range: [-180, 180],
    }),
  },
  source: postgresSource({
    name: 'accident_history_monthly',
    table: 'demo.accident_history',
    timestampField: 'event_timestamp',
    createdTimestampColumn: 'created',
    description: 'Monthly claims roll-up.',
  }),
  ttl: '62d',
  description: 'Accidents in the last twelve months and where the last one happened.',
  owner: 'pricing-ml@example.com',
  tags: { team: 'pricing' },
});

export const locationRisk = featureView({
  name: 'location_risk',
  entities: [customer],
  features: {
    risk: feature(Float64, {
      description: 'Risk score of the area, from the geo-risk model; higher is riskier.',
      unit: 'score',
      range: [0, 1],
    }),
  },
  source: pushSource({ name: 'location_risk_push', description: 'Pushed by the geo-risk stream processor.' }),
  ttl: '1h',
  freshness: '15m',
  description: 'Risk score of the area the customer is in, pushed in real time.',
  owner: 'pricing-ml@example.com',
  tags: { team: 'pricing' },
});

export const tripFacts = featureView({
  name: 'trip_facts',
  entities: [trip],
  features: {
    fare: feature(Float64, { description: 'What the rider paid for the trip.', unit: 'EUR' }),
    // References: the TripFacts type gets `driver: Driver` and `customer: Customer` fields (docs/graphql.md, "Relations").
    driver_id: feature(Int64, { references: driver, description: 'The driver who drove the trip.' }),
    customer_id: feature(Str, { references: customer, description: 'The customer who rode.' }),
  },
  source: postgresSource({
    name: 'trips',
    table: 'demo.trip_facts',
    timestampField: 'event_timestamp',
    createdTimestampColumn: 'created',
    description: 'One row per completed trip, from the trips pipeline.',
  }),
  ttl: 0,
  description: 'Facts of a trip: its fare, its driver and its customer; walk from here to their features.',
  owner: 'mobility-ml@example.com',
  tags: { team: 'mobility' },
});

/**
 * Quote requests per customer, pushed as raw events (`POST /push/quote_activity`), counted over 5 minutes,
 * an hour and a day — exactly, online from Redis tiles and in training sets from the raw events
 * (docs/aggregations.md). `featuregraph demo --quote-stream` pushes live requests while it serves.
 */
export const quoteActivity = aggregationView({
  name: 'quote_activity',
  entities: [customer],
  source: pushSource({ name: 'quote_requests', description: 'Quote requests from the pricing frontend, one event per request.' }),
  eventId: 'request_id',
  fields: {
    request_id: feature(Str, { description: 'Id of the quote request; a replayed request counts once.' }),
    channel: feature(Str, { description: 'Where the request came from: web, app or broker.' }),
  },
  aggregations: {
    quotes_5m: count('5m', { description: 'Quote requests of the customer in the last 5 minutes.' }),
    quotes_1h: count('1h', { description: 'Quote requests of the customer in the last hour.' }),
    quotes_1d: count('1d', { description: 'Quote requests of the customer in the last day.' }),
  },
  description: 'How often the customer asked for a price recently; many requests in minutes hint at price shopping.',
  owner: 'pricing-ml@example.com',
  tags: { team: 'pricing' },
});

const EARTH_RADIUS_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

export const accidentProximity = onDemandView({
  name: 'accident_proximity',
  sources: { accident_history: accidentHistory },
  request: {
    user_lat: feature(Float64, { description: 'Latitude of where the customer is now.', unit: 'degrees', range: [-90, 90] }),
    user_lon: feature(Float64, { description: 'Longitude of where the customer is now.', unit: 'degrees', range: [-180, 180] }),
  },
  features: {
    distance_km: feature(Float64, {
      description: 'Great-circle distance from the customer to their last accident; null without one.',
      unit: 'km',
    }),
    near_last_accident: feature(Bool, { description: 'Whether that distance is under 5 km.' }),
  },
  description: 'Great-circle distance from where the customer is to their last accident.',
  owner: 'pricing-ml@example.com',
  transform: ({ accident_history }, { user_lat, user_lon }) => {
    const lat = accident_history?.last_accident_lat;
    const lon = accident_history?.last_accident_lon;
    if (lat == null || lon == null) return { distance_km: null, near_last_accident: null };
    const dLat = rad(lat - user_lat);
    const dLon = rad(lon - user_lon);
    const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(user_lat)) * Math.cos(rad(lat)) * Math.sin(dLon / 2) ** 2;
    const distance_km = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    return { distance_km, near_last_accident: distance_km < 5 };
  },
});

export const pricingV1 = featureService({
  name: 'pricing_v1',
  features: [
    creditScore.select('score'),
    accidentHistory.select('accidents_12m'),
    locationRisk.select('risk'),
    accidentProximity.select('distance_km'),
  ],
  // Every request is logged (docs/monitoring.md): drift and "log, then train" read it.
  logging: { sampleRate: 1 },
  description: 'Inputs of the real-time pricing model, version 1.',
  owner: 'pricing-ml@example.com',
});

export default repository({
  project: 'demo',
  entities: [driver, customer, trip],
  featureViews: [driverStats, creditScore, accidentHistory, locationRisk, tripFacts],
  onDemandViews: [accidentProximity],
  featureServices: [pricingV1],
  aggregationViews: [quoteActivity],
});
