/**
 * The online benchmark's repository and data: entity `driver` with three online views of three features
 * each (`driver_stats` as in the demo, plus two more on the same entity so one request can read 1×3 views).
 */
import { Float32, Float64, Int32, Int64, String as Str, entity, featureView, pushSource, repository } from '../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository, type ViewSpec } from '../src/definitions/resolve.js';
import type { FeatureValue } from '../src/definitions/values.js';
import type { OnlineRow } from '../src/online/store.js';

export const ENTITIES = 100_000;
/** Every bench key starts with this, so a crashed run's leftovers are easy to find and remove. */
export const KEY_PREFIX = 'fgbench:';
export const VIEW_NAMES = ['driver_stats', 'driver_quality', 'driver_activity'] as const;

/** The entity `driver` and its three push views, as definitions (the logging bench adds a service over them). */
export const driverDefinitions = () => {
  const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
  const stats = featureView({
    name: 'driver_stats',
    entities: [driver],
    features: { conv_rate: Float32, acc_rate: Float32, avg_daily_trips: Int32 },
    source: pushSource({ name: 'driver_stats_push' }),
    ttl: '2d',
  });
  const quality = featureView({
    name: 'driver_quality',
    entities: [driver],
    features: { rating: Float64, complaints_30d: Int32, cancel_rate: Float32 },
    source: pushSource({ name: 'driver_quality_push' }),
    ttl: '30d',
  });
  const activity = featureView({
    name: 'driver_activity',
    entities: [driver],
    features: { online_hours_7d: Float64, trips_7d: Int32, last_city: Str },
    source: pushSource({ name: 'driver_activity_push' }),
    ttl: '7d',
  });
  return { driver, stats, quality, activity };
};

export const benchRepository = (project: string): ResolvedRepository => {
  const { driver, stats, quality, activity } = driverDefinitions();
  return resolveRepository(repository({ project, entities: [driver], featureViews: [stats, quality, activity] }), project);
};

const CITIES = ['Lisbon', 'Porto', 'Braga', 'Faro', 'Coimbra'];

/** Deterministic feature values of entity `i` (1-based) for a view. */
const valuesOf = (view: string, i: number): Record<string, FeatureValue> => {
  switch (view) {
    case 'driver_stats':
      return { conv_rate: Math.fround((i % 97) / 97), acc_rate: Math.fround((i % 89) / 89), avg_daily_trips: i % 300 };
    case 'driver_quality':
      return { rating: 3 + (i % 200) / 100, complaints_30d: i % 7, cancel_rate: Math.fround((i % 13) / 100) };
    default:
      return { online_hours_7d: (i % 600) / 10, trips_7d: i % 150, last_city: CITIES[i % CITIES.length] ?? null };
  }
};

/** Rows of entities [from, to) of a view, an hour old. */
export const benchRows = (view: ViewSpec, from: number, to: number, now: number): OnlineRow[] => {
  const rows: OnlineRow[] = [];
  for (let i = from; i < to; i++)
    rows.push({ key: String(i), eventTs: new Date(now - 3600_000), createdTs: null, values: valuesOf(view.name, i) });
  return rows;
};
