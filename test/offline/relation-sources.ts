import { entity, feature, featureView, fileSource, postgresSource, repository } from '../../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { Float64, Int32, Int64, String as Str } from '../../src/definitions/value-types.js';
import type { FeatureValue } from '../../src/definitions/values.js';
import type { SourceRow } from './brute-force.js';
import { BASE, MIN, type rng } from './random-sources.js';

export type RelationView = 'trip_facts' | 'driver_stats' | 'city_stats';

/**
 * Three views chained by relations: trip_facts.driver → driver_stats, driver_stats.home_city → city_stats,
 * and city_stats.mayor → driver_stats (a cycle, for the error cases). `files` puts the named views on Parquet
 * under `dir` (the others are tables in `schema`), so hops can cross engines. driver_stats is read as known
 * at each time by default; city_stats has no ttl and no created time.
 */
export const relationTestRepository = (schema: string, files?: { dir: string; views: readonly RelationView[] }): ResolvedRepository => {
  const trip = entity({ name: 'trip', joinKey: 'trip_id', valueType: Str });
  const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
  const city = entity({ name: 'city', joinKey: 'city_id', valueType: Str });
  const src = (name: RelationView, created: boolean) => {
    const common = { name: `${name}_src`, timestampField: 'event_ts', ...(created ? { createdTimestampColumn: 'created_ts' } : {}) };
    return files?.views.includes(name)
      ? fileSource({ ...common, path: `${files.dir}/${name}.parquet` })
      : postgresSource({ ...common, table: `${schema}.${name}` });
  };
  const tripFacts = featureView({
    name: 'trip_facts',
    entities: [trip],
    features: { fare: Float64, driver_id: feature(Int64, { references: driver }) },
    source: src('trip_facts', true),
    ttl: '1h',
  });
  const driverStats = featureView({
    name: 'driver_stats',
    entities: [driver],
    features: { conv_rate: Float64, rating: Int32, home_city_id: feature(Str, { references: city }) },
    source: src('driver_stats', true),
    ttl: '30m',
    pointInTime: { asKnownAt: true },
  });
  const cityStats = featureView({
    name: 'city_stats',
    entities: [city],
    features: { surge: Float64, mayor_id: feature(Int64, { references: driver }) },
    source: src('city_stats', false),
    ttl: 0,
  });
  return resolveRepository(repository({ project: schema, featureViews: [tripFacts, driverStats, cityStats] }), schema);
};

export const TRIPS = ['T1', 'T2', 'T3', 'T4', 'T5', 'T9']; // T9 never has rows
const DRIVERS = ['1', '2', '3', '4']; // trips also name driver 5, which has no rows
const CITIES = ['a', 'B', 'ab']; // drivers also name city zz, which has no rows

/**
 * Random rows on a 5-minute grid (ties on event and created time, ttl edges hit exactly), late rows, null
 * created times, null features and null references, and trips whose driver changes from row to row.
 */
export const relationRows = (r: ReturnType<typeof rng>, repo: ResolvedRepository): Map<RelationView, SourceRow[]> => {
  const maybe = <T>(xs: readonly T[], nulls = 0.2): T | null => (r.next() < nulls ? null : r.pick(xs));
  const rows = (name: RelationView, keys: readonly string[], count: number, values: () => FeatureValue[]): SourceRow[] => {
    const hasCreated = repo.views.find((v) => v.name === name)?.source.createdTimestampColumn !== null;
    return Array.from({ length: count }, () => {
      const eventMin = r.int(40) * 5;
      const late = r.next() < 0.1;
      const created =
        hasCreated && r.next() > 0.1 ? new Date(BASE + (late ? eventMin + 20 + r.int(3) * 10 : eventMin + r.int(2) * 5) * MIN) : null;
      return { keys: [r.pick(keys)], eventTs: new Date(BASE + eventMin * MIN), createdTs: created, values: values() };
    });
  };
  const bigint = (xs: readonly string[], nulls = 0.2) => {
    const v = maybe(xs, nulls);
    return v === null ? null : BigInt(v);
  };
  return new Map<RelationView, SourceRow[]>([
    ['trip_facts', rows('trip_facts', TRIPS.slice(0, 5), 150, () => [maybe([1.5, 2.5]), bigint([...DRIVERS, '5'])])],
    ['driver_stats', rows('driver_stats', DRIVERS, 80, () => [maybe([0.25, 0.5]), maybe([1, 2]), maybe([...CITIES, 'zz'])])],
    ['city_stats', rows('city_stats', CITIES, 40, () => [maybe([1, 1.5]), bigint(DRIVERS)])],
  ]);
};
