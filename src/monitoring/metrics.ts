import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DriftRecord } from './log-store.js';
import { monitoringEvents } from './events.js';
import type { ViewFreshnessReport } from './freshness.js';

/** Where the scrape-time gauges come from; each is cached by its provider. */
export interface MetricSources {
  freshness?: () => Promise<readonly ViewFreshnessReport[]>;
  drift?: () => Promise<readonly DriftRecord[]>;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * featuregraph's Prometheus metrics (every one is listed in docs/monitoring.md#metrics), in a registry of its
 * own. Counters and histograms are per process and summed across `serve --workers` by prom-client's
 * AggregatorRegistry; gauges read from the database at scrape time take the first worker's value.
 */
export class FeatureGraphMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'featuregraph_requests_total',
    help: 'GraphQL requests by operation name and outcome (ok, partial, error, rejected).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'featuregraph_request_duration_seconds',
    help: 'GraphQL request duration, from the request to the response, by operation and outcome.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly onlineRead = new Histogram({
    name: 'featuregraph_online_read_duration_seconds',
    help: 'Duration of one online-store read (one batch of a request: one Redis round trip).',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly roundTrips = new Counter({
    name: 'featuregraph_online_read_round_trips_total',
    help: 'Online-store reads (batches); on Redis each is one round trip.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly readKeys = new Counter({
    name: 'featuregraph_online_read_keys_total',
    help: 'View keys asked of the online store.',
    registers: [this.registry],
  });
  readonly served = new Counter({
    name: 'featuregraph_values_served_total',
    help: 'Online view values served, by view and status (present, expired, unknown, error).',
    labelNames: ['view', 'status'] as const,
    registers: [this.registry],
  });
  readonly pushRows = new Counter({
    name: 'featuregraph_push_rows_total',
    help: 'Pushed rows by view and outcome (accepted, rejected).',
    labelNames: ['view', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly materializedRows = new Counter({
    name: 'featuregraph_materialization_rows_total',
    help: 'Rows written to the online store by materialization runs in this process.',
    labelNames: ['view'] as const,
    registers: [this.registry],
  });
  readonly materializeDuration = new Histogram({
    name: 'featuregraph_materialization_duration_seconds',
    help: 'Duration of materialization runs in this process, per view.',
    labelNames: ['view'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [this.registry],
  });
  readonly logRows = new Counter({
    name: 'featuregraph_served_log_rows_total',
    help: 'Served-feature log rows written, per service.',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });
  readonly logDropped = new Counter({
    name: 'featuregraph_served_log_dropped_total',
    help: 'Served-feature log rows dropped, per service and reason (overflow: buffer full; write_failed).',
    labelNames: ['service', 'reason'] as const,
    registers: [this.registry],
  });
  private sources: MetricSources = {};
  private readonly off: () => void;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const gauge = (name: string, help: string, labelNames: readonly string[], fill: (g: Gauge) => Promise<void>) =>
      new Gauge({
        name,
        help,
        labelNames,
        aggregator: 'first',
        registers: [this.registry],
        async collect() {
          this.reset();
          await fill(this).catch(() => undefined);
        },
      });
    const fresh = async (g: Gauge, pick: (f: ViewFreshnessReport) => number | null) => {
      for (const f of (await this.sources.freshness?.()) ?? []) {
        const v = pick(f);
        if (v !== null) g.set({ view: f.view }, v);
      }
    };
    gauge('featuregraph_view_freshness_seconds', 'Age of the newest materialized or pushed value of a view.', ['view'], (g) =>
      fresh(g, (f) => f.newestValueAgeSeconds),
    );
    gauge('featuregraph_view_last_materialization_age_seconds', 'Time since the view was last materialized.', ['view'], (g) =>
      fresh(g, (f) => f.lastMaterializationAgeSeconds),
    );
    gauge('featuregraph_view_freshness_objective_seconds', 'The freshness objective declared on the view.', ['view'], (g) =>
      fresh(g, (f) => f.objectiveSeconds),
    );
    gauge('featuregraph_view_freshness_breached', '1 when the view breaches its freshness objective, else 0.', ['view'], (g) =>
      fresh(g, (f) => (f.objectiveSeconds === null ? null : f.breached ? 1 : 0)),
    );
    gauge(
      'featuregraph_materialization_last_rows',
      'Rows written by the last materialization run of the view (from the registry).',
      ['view'],
      (g) => fresh(g, (f) => f.lastRowCount),
    );
    gauge('featuregraph_feature_psi', 'PSI of a feature in the last drift run.', ['service', 'view', 'feature'], async (g) => {
      for (const d of (await this.sources.drift?.()) ?? [])
        if (d.psi !== null) g.set({ service: d.service, view: d.view, feature: d.feature }, d.psi);
    });
    gauge('featuregraph_feature_drifted', '1 when the last drift run flagged the feature.', ['service', 'view', 'feature'], async (g) => {
      for (const d of (await this.sources.drift?.()) ?? [])
        g.set({ service: d.service, view: d.view, feature: d.feature }, d.drifted ? 1 : 0);
    });
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'featuregraph_' });
    const onPush = (e: { view: string; accepted: number; rejected: number }) => {
      if (e.accepted) this.pushRows.inc({ view: e.view, outcome: 'accepted' }, e.accepted);
      if (e.rejected) this.pushRows.inc({ view: e.view, outcome: 'rejected' }, e.rejected);
    };
    const onMaterialized = (e: { view: string; rows: number; elapsedMs: number }) => {
      this.materializedRows.inc({ view: e.view }, e.rows);
      this.materializeDuration.observe({ view: e.view }, e.elapsedMs / 1000);
    };
    monitoringEvents.on('push', onPush);
    monitoringEvents.on('materialized', onMaterialized);
    this.off = () => {
      monitoringEvents.off('push', onPush);
      monitoringEvents.off('materialized', onMaterialized);
    };
    // In a `serve --workers` worker, the primary's AggregatorRegistry asks this registry for its metrics.
    // (Constructing an AggregatorRegistry is what installs prom-client's worker-side message listener.)
    if (cluster.isWorker) {
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
  }

  setSources(s: MetricSources): void {
    this.sources = { ...this.sources, ...s };
  }

  /** The exposition text: this process's, or in a worker, every worker's aggregated by the primary. */
  async text(): Promise<string> {
    return cluster.isWorker && process.send ? requestClusterMetrics() : this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.off();
  }
}

let seq = 0;
/** Ask the primary (workers.ts `serveClusterMetrics`) for the metrics of all workers. */
const requestClusterMetrics = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const id = `${process.pid}:${++seq}`;
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the primary did not answer with cluster metrics in 5 s'));
    }, 5000);
    const onMessage = (msg: { featuregraphMetricsReply?: string; text?: string; error?: string }) => {
      if (msg?.featuregraphMetricsReply !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (msg.error) reject(new Error(msg.error));
      else resolve(msg.text ?? '');
    };
    process.on('message', onMessage);
    process.send!({ featuregraphMetrics: id });
  });

/**
 * In the `serve --workers` primary: answer workers' requests for aggregated metrics (so `/metrics` on the
 * shared port shows every worker), and return a function the primary's own `--metrics-port` listener uses.
 */
export const serveClusterMetrics = (): { text: () => Promise<string>; contentType: string } => {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, msg: { featuregraphMetrics?: string }) => {
    if (typeof msg?.featuregraphMetrics !== 'string') return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ featuregraphMetricsReply: msg.featuregraphMetrics, text }),
      (err: Error) => worker.send({ featuregraphMetricsReply: msg.featuregraphMetrics, error: err.message }),
    );
  });
  return { text: () => aggregator.clusterMetrics(), contentType: aggregator.contentType };
};
