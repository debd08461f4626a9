import { Kind, type DefinitionNode, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { FeatureGraphMetrics } from '../../monitoring/metrics.js';
import { requestIdOf } from '../../monitoring/logger.js';
import { RequestObserver } from '../../monitoring/request-observer.js';
import { refusalResponse } from '../error-log.js';

/** Whether a request may read /metrics: true, or why not (no or unknown key: 'unauthenticated'; false or 'forbidden': not allowed). */
export type MetricsAccess = boolean | 'unauthenticated' | 'forbidden';

export interface MetricsOptions {
  readonly metrics: FeatureGraphMetrics;
  /**
   * Path of the Prometheus endpoint on this server; `false` serves none here (e.g. with `--metrics-port`).
   * @default '/metrics'
   */
  readonly endpoint?: string | false;
  /**
   * Who may scrape. Metrics expose view, feature and operation names: in production pass a check (an `admin`
   * API key) or serve them on their own listener. Default: everyone (the demo).
   */
  readonly authorize?: (request: Request) => MetricsAccess | Promise<MetricsAccess>;
  /**
   * Distinct operation names kept as label values; later new names count as `other`, so a client cannot grow
   * the label set without bound. Names are also cut to 64 characters of [A-Za-z0-9_].
   * @default 100
   */
  readonly maxOperations?: number;
  /** The GraphQL endpoint whose requests are counted. @default '/graphql' */
  readonly graphqlEndpoint?: string;
}

interface RequestState {
  readonly start: number;
  operation: string;
  outcome: string;
}

const outcomeOf = (r: ExecutionResult): string => (!r.errors?.length ? 'ok' : r.data ? 'partial' : 'error');

/**
 * Prometheus metrics (docs/monitoring.md#metrics): counts and times every GraphQL request by operation and
 * outcome, flushes what the request's DataLoaders observed (online reads, values served by status), and serves
 * `/metrics` (aggregated across `serve --workers`).
 */
export const useMetrics = (opts: MetricsOptions): Plugin => {
  const m = opts.metrics;
  const endpoint = opts.endpoint === undefined ? '/metrics' : opts.endpoint;
  const graphql = opts.graphqlEndpoint ?? '/graphql';
  const max = opts.maxOperations ?? 100;
  const names = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    const clean = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64);
    if (names.has(clean)) return clean;
    if (names.size >= max) return 'other';
    names.add(clean);
    return clean;
  };
  // The label of a document's operation, found once per parsed document (they are cached) and operation name.
  const labels = new WeakMap<DocumentNode, Map<string, string>>();
  const labelOf = (document: DocumentNode, operationName: string | null | undefined): string => {
    let byName = labels.get(document);
    if (!byName) labels.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let label = byName.get(key);
    if (label === undefined) {
      const op = document.definitions.find(
        (d: DefinitionNode) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName),
      );
      byName.set(key, (label = operationLabel(op?.kind === Kind.OPERATION_DEFINITION ? op.name?.value : undefined)));
    }
    return label;
  };
  const states = new WeakMap<Request, RequestState>();
  // Label-bound children, looked up once per label set: prom-client otherwise hashes the label object on every
  // inc/observe, and these run for every request.
  const requestChildren = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  const requestChild = (operation: string, outcome: string) => {
    const k = `${operation}\u0000${outcome}`;
    let c = requestChildren.get(k);
    if (!c) requestChildren.set(k, (c = { count: m.requests.labels(operation, outcome), time: m.duration.labels(operation, outcome) }));
    return c;
  };
  const servedChildren = new Map<string, Record<string, { inc(n: number): void }>>();
  const servedChild = (view: string, status: string) => {
    let v = servedChildren.get(view);
    if (!v) servedChildren.set(view, (v = {}));
    return (v[status] ??= m.served.labels(view, status));
  };
  const roundTripsOk = m.roundTrips.labels('ok');
  const roundTripsFailed = m.roundTrips.labels('failed');
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (endpoint && url.pathname === endpoint) {
        return (async () => {
          const access = opts.authorize ? await opts.authorize(request) : true;
          if (access !== true) {
            // As every other endpoint refuses: 401 with a challenge for no key or an unknown one, 403 for a key
            // without `admin`.
            const unauthenticated = access === 'unauthenticated';
            return endResponse(
              refusalResponse(fetchAPI.Response, {
                status: unauthenticated ? 401 : 403,
                message: unauthenticated ? 'metrics need an admin key: send "Authorization: Bearer <key>"' : 'metrics need an admin key',
                code: unauthenticated ? 'UNAUTHENTICATED' : 'FORBIDDEN',
                requestId: requestIdOf(request),
                plain: true,
                ...(unauthenticated ? { headers: { 'www-authenticate': 'Bearer realm="featuregraph"' } } : {}),
              }),
            );
          }
          try {
            endResponse(new fetchAPI.Response(await m.text(), { status: 200, headers: { 'content-type': m.contentType } }));
          } catch {
            endResponse(new fetchAPI.Response('metrics are unavailable', { status: 503 }));
          }
        })();
      }
      if (url.pathname === graphql) states.set(request, { start: performance.now(), operation: 'unknown', outcome: 'rejected' });
    },
    onExecute({ args }) {
      return {
        onExecuteDone({ result }) {
          const ctx = args.contextValue as { request?: Request; loaders?: { observer?: unknown } };
          const state = ctx.request ? states.get(ctx.request) : undefined;
          if (state) {
            state.operation = labelOf(args.document, args.operationName);
            state.outcome = Symbol.asyncIterator in result ? 'ok' : outcomeOf(result);
          }
          const obs = ctx.loaders?.observer;
          if (!(obs instanceof RequestObserver)) return;
          for (const ms of obs.readMs) m.onlineRead.observe(ms / 1000);
          if (obs.readMs.length > obs.readFailures) roundTripsOk.inc(obs.readMs.length - obs.readFailures);
          if (obs.readFailures) roundTripsFailed.inc(obs.readFailures);
          if (obs.readKeys) m.readKeys.inc(obs.readKeys);
          for (const [view, counts] of obs.counts) {
            if (counts.present) servedChild(view, 'present').inc(counts.present);
            if (counts.expired) servedChild(view, 'expired').inc(counts.expired);
            if (counts.unknown) servedChild(view, 'unknown').inc(counts.unknown);
            if (counts.error) servedChild(view, 'error').inc(counts.error);
          }
        },
      };
    },
    onResponse({ request }) {
      const state = states.get(request);
      if (!state) return;
      const c = requestChild(state.operation, state.outcome);
      c.count.inc();
      c.time.observe((performance.now() - state.start) / 1000);
    },
  };
};
