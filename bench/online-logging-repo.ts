/** The logging benchmark's repository: the online bench's driver views and a feature service over two of them that logs every request. */
import { featureService, repository } from '../src/definitions/index.js';
import { resolveRepository, type ResolvedRepository } from '../src/definitions/resolve.js';
import { driverDefinitions } from './online-repo.js';

export const LOG_BENCH_PREFIX = 'fgbench-log:';
export const LOG_BENCH_ENTITIES = 20_000;

export const loggingBenchRepository = (project: string, sampleRate: number): ResolvedRepository => {
  const { driver, stats, quality } = driverDefinitions();
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
