import { monitoringSql } from './log-store.js';
import type { Plugin } from 'graphql-yoga';
import type { ServingRuntime } from '../graphql/runtime.js';
import { useMetrics, type MetricsOptions } from '../server/plugins/use-metrics.js';
import { useRequestLog } from '../server/plugins/use-request-log.js';
import {
  useServedFeatureLog,
  type ServedFeatureLogOptions,
  type ServedFeatureLogPlugin,
} from '../server/plugins/use-served-feature-log.js';
import { cachedFreshness } from './freshness.js';
import { createSqlLogStore, type DriftRecord } from './log-store.js';
import { createLogger, type Logger } from './logger.js';
import { FeatureGraphMetrics } from './metrics.js';
import { RequestObserver } from './request-observer.js';
import { monitoringEvents } from './events.js';

export {
  computeDrift,
  driftRecords,
  formatDriftTable,
  parseCurrent,
  parseReference,
  DriftInputError,
  type DriftReport,
  type FeatureDrift,
} from './drift.js';
export { freshnessReports, type ViewFreshnessReport } from './freshness.js';
export { createSqlLogStore, logEntityRowsSql, type ServedLogStore } from './log-store.js';
export { logTableOf, loggedService } from './log-table.js';
export { parseTimeWindow, type TimeWindow } from './time-window.js';
export { FeatureGraphMetrics, serveClusterMetrics } from './metrics.js';
export { createLogger, requestIdOf, type Logger } from './logger.js';

export interface ServerMonitoringOptions {
  /** Prometheus metrics. @default true */
  readonly metrics?: boolean;
  /** See MetricsOptions.endpoint (`false` with `--metrics-port`). */
  readonly metricsEndpoint?: MetricsOptions['endpoint'];
  /** See MetricsOptions.authorize: the lead's `admin` key check in production. */
  readonly authorizeMetrics?: MetricsOptions['authorize'];
  /** Write the served-feature log of services that declare `logging`. @default true */
  readonly servedLog?: boolean;
  readonly servedLogOptions?: Omit<ServedFeatureLogOptions, 'rt' | 'metrics' | 'logger'>;
  /** JSON logs; `false` for none. @default a pino logger on stdout */
  readonly logger?: Logger | false;
  /** `/ready` fails while a view breaches its freshness objective. @default false */
  readonly readyRequiresFresh?: boolean;
  /** How long freshness and last-drift figures are cached between scrapes. @default 15000 */
  readonly cacheMs?: number;
}

/** What the server wires in: plugins, the per-request DataLoader observer, readiness, shutdown. */
export interface ServerMonitoring {
  readonly plugins: Plugin[];
  readonly metrics: FeatureGraphMetrics | null;
  readonly servedLog: ServedFeatureLogPlugin | null;
  readonly logger: Logger | null;
  /** A fresh observer per request, or undefined when nothing needs one. */
  observer(): RequestObserver | undefined;
  /** Reasons `/ready` should fail (empty: ready). */
  readinessFailures(): Promise<string[]>;
  close(): Promise<void>;
}

const cached = <T>(fn: () => Promise<T>, ms: number): (() => Promise<T>) => {
  let c: { at: number; v: Promise<T> } | null = null;
  return () => {
    if (!c || Date.now() - c.at > ms) {
      c = { at: Date.now(), v: fn() };
      c.v.catch(() => (c = null));
    }
    return c.v;
  };
};

type ExecuteHook = NonNullable<Plugin['onExecute']>;
type ExecuteHookResult = Extract<ReturnType<ExecuteHook>, { onExecuteDone?: unknown }>;
type ExecuteDone = (payload: Parameters<NonNullable<ExecuteHookResult['onExecuteDone']>>[0]) => unknown;

/**
 * The same plugins, their `onExecute` hooks run by one hook at the first one's place. The monitoring hooks read
 * only `args` and the result, synchronously; envelop builds a payload with closures for every `onExecute` and
 * `onExecuteDone` it calls, per request, so three hooks cost three times what one does (docs/monitoring.md).
 */
const withOneExecuteHook = (plugins: Plugin[]): Plugin[] => {
  const hooks = plugins.flatMap((p) => (p.onExecute ? [p.onExecute] : []));
  if (hooks.length < 2) return plugins;
  const combined: Plugin = {
    onExecute(payload) {
      const dones: ExecuteDone[] = [];
      for (const h of hooks) {
        const r = h(payload) as { onExecuteDone?: ExecuteDone } | undefined;
        if (r?.onExecuteDone) dones.push(r.onExecuteDone);
      }
      if (dones.length === 0) return;
      return {
        onExecuteDone(done) {
          for (const d of dones) d(done);
        },
      };
    },
  };
  return [combined, ...plugins.map(({ onExecute: _, ...rest }) => rest as Plugin)];
};

/** Metrics, served-feature log, request logs and freshness readiness for one server (docs/monitoring.md). */
export const createServerMonitoring = (rt: ServingRuntime, opts: ServerMonitoringOptions = {}): ServerMonitoring => {
  const logger = opts.logger === false ? null : (opts.logger ?? createLogger());
  const metrics = opts.metrics === false ? null : new FeatureGraphMetrics();
  const cacheMs = opts.cacheMs ?? 15_000;
  const freshness = cachedFreshness(monitoringSql(rt.offline), rt.offline, rt.repo, cacheMs, rt.now);
  const store = createSqlLogStore(monitoringSql(rt.offline));
  metrics?.setSources({ freshness, drift: cached<readonly DriftRecord[]>(() => store.lastDrift(rt.repo.project), cacheMs) });
  const servedLog =
    opts.servedLog === false
      ? null
      : useServedFeatureLog({ rt, ...opts.servedLogOptions, ...(metrics ? { metrics } : {}), ...(logger ? { logger } : {}) });
  const logging = !!servedLog && servedLog.services.length > 0;
  const onPushFailed = (e: { view: string; requestId: string; err: unknown }) =>
    logger?.error({ requestId: e.requestId, view: e.view, err: e.err }, `push to ${e.view} failed`);
  monitoringEvents.on('pushFailed', onPushFailed);
  const plugins: Plugin[] = withOneExecuteHook([
    useRequestLog({ logger }),
    ...(metrics
      ? [
          useMetrics({
            metrics,
            ...(opts.metricsEndpoint !== undefined ? { endpoint: opts.metricsEndpoint } : {}),
            ...(opts.authorizeMetrics ? { authorize: opts.authorizeMetrics } : {}),
          }),
        ]
      : []),
    ...(logging && servedLog ? [servedLog] : []),
  ]);
  return {
    plugins,
    metrics,
    servedLog,
    logger,
    observer: () => (metrics || logging ? new RequestObserver(logging) : undefined),
    async readinessFailures() {
      if (!opts.readyRequiresFresh) return [];
      const reports = await freshness().catch(() => null);
      if (!reports) return ['freshness: the registry could not be read'];
      return reports.filter((f) => f.breached).map((f) => `view ${f.view} breaches its freshness objective of ${f.objectiveSeconds} s`);
    },
    async close() {
      monitoringEvents.off('pushFailed', onPushFailed);
      await servedLog?.close();
      metrics?.close();
    },
  };
};
