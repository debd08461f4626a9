/** The logging benchmark's repository: two views of `driver` and a feature service over them that logs every request. */
import { Float32, Float64, Int32, Int64, entity, featureService, featureView, pushSource, repository } from '../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository } from '../src/definitions/resolve.js';

export const LOG_BENCH_PREFIX = 'fgbench-log:';
export const LOG_BENCH_ENTITIES = 20_000;

export const loggingBenchRepository = (project: string, sampleRate: number): ResolvedRepository => {
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
    features: { rating: Float64, complaints_30d: Int32 },
    source: pushSource({ name: 'driver_quality_push' }),
    ttl: '30d',
  });
  const service = featureService({
    name: 'dispatch_v1',
    features: [stats.select('conv_rate', 'acc_rate', 'avg_daily_trips'), quality.select('rating', 'complaints_30d')],
    ...(sampleRate > 0 ? { logging: { sampleRate } } : {}),
  });
  return resolveRepository(
    repository({ project, entities: [driver], featureViews: [stats, quality], featureServices: [service] }),
    project,
  );
};
