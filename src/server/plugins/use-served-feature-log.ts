import { monitoringSql } from '../../monitoring/log-store.js';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ServingRuntime } from '../../graphql/runtime.js';
import { createSqlLogStore, type ServedLogStore } from '../../monitoring/log-store.js';
import { logTableOf } from '../../monitoring/log-table.js';
import { requestIdOf, type Logger } from '../../monitoring/logger.js';
import type { FeatureGraphMetrics } from '../../monitoring/metrics.js';
import { RequestObserver } from '../../monitoring/request-observer.js';
import { loggedServiceOf, serviceRootFields, servedRowsOf, type LoggedService } from '../../monitoring/served-rows.js';
import { ServedLogWriter } from '../../monitoring/served-log-writer.js';

export interface ServedFeatureLogOptions {
  readonly rt: ServingRuntime;
  /** Where rows go. Default: the log table in the offline store (Postgres/PGlite). */
  readonly store?: ServedLogStore;
  /** Rows held per service before new ones are dropped (and counted). @default 10000 */
  readonly maxBufferedRows?: number;
  /** Rows per written batch. @default 1000 */
  readonly batchRows?: number;
  /** Longest wait before a partial batch is written. @default 1000 */
  readonly flushIntervalMs?: number;
  /** Counts written and dropped rows. */
  readonly metrics?: FeatureGraphMetrics;
  /** Failed writes are logged here. */
  readonly logger?: Logger;
  /** Random numbers for sampling (tests). @default Math.random */
  readonly random?: () => number;
}

/** The plugin, plus what shutdown and tests need: write what is buffered. */
export type ServedFeatureLogPlugin = Plugin & {
  /** Services that log (sample rate above 0). */
  readonly services: readonly string[];
  flush(): Promise<void>;
  close(): Promise<void>;
};

/**
 * The served-feature log (docs/monitoring.md#served-feature-log): for each sampled request to a feature service
 * declaring `logging: { sampleRate }`, one row per entity with keys, request arguments and, per feature, value,
 * event time and status, written to `fg_<project>.served_log_<service>` in batches off the request path.
 * Hooks only the execution result and what the DataLoaders observed, so it applies to every executor.
 */
export const useServedFeatureLog = (opts: ServedFeatureLogOptions): ServedFeatureLogPlugin => {
  const { rt } = opts;
  const store = opts.store ?? createSqlLogStore(monitoringSql(rt.offline));
  const random = opts.random ?? Math.random;
  const logged: LoggedService[] = rt.repo.services
    .filter((s) => (s.def.logging?.sampleRate ?? 0) > 0)
    .map((spec) => loggedServiceOf(rt.repo, spec, logTableOf(rt.repo, spec), spec.def.logging!.sampleRate));
  const servedRows = servedRowsOf(serviceRootFields(logged));
  const writers = new Map(
    logged.map((s) => [
      s,
      new ServedLogWriter({
        store,
        table: s.table,
        ...(opts.maxBufferedRows !== undefined ? { maxBufferedRows: opts.maxBufferedRows } : {}),
        ...(opts.batchRows !== undefined ? { batchRows: opts.batchRows } : {}),
        ...(opts.flushIntervalMs !== undefined ? { flushIntervalMs: opts.flushIntervalMs } : {}),
        onWritten: (n) => opts.metrics?.logRows.inc({ service: s.spec.name }, n),
        onDrop: (n, reason) => opts.metrics?.logDropped.inc({ service: s.spec.name, reason }, n),
        onError: (err) => opts.logger?.error({ err, service: s.spec.name }, 'served-feature log write failed; rows dropped'),
      }),
    ]),
  );
  const sampled = (s: LoggedService) => s.sampleRate >= 1 || random() < s.sampleRate;
  return {
    services: logged.map((s) => s.spec.name),
    onExecute({ args }) {
      if (logged.length === 0) return;
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const ctx = args.contextValue as { request?: Request; loaders?: { observer?: unknown } };
          const obs = ctx.loaders?.observer;
          if (!(obs instanceof RequestObserver) || !obs.reads) return;
          // The log never fails a request: the answer is computed already.
          let rows: ReturnType<typeof servedRows>;
          try {
            rows = servedRows(
              {
                schema: args.schema,
                document: args.document,
                operationName: args.operationName ?? null,
                variables: (args.variableValues ?? {}) as Record<string, unknown>,
                result: result as ExecutionResult,
                reads: obs.reads,
                requestId: ctx.request ? requestIdOf(ctx.request) : crypto.randomUUID(),
                at: new Date(rt.now()),
              },
              sampled,
            );
          } catch (err) {
            opts.logger?.error(
              { err, requestId: ctx.request ? requestIdOf(ctx.request) : undefined },
              'served-feature log: the request could not be logged',
            );
            return;
          }
          for (const [s, r] of rows) if (r.length) writers.get(s)!.add(r);
        },
      };
    },
    async flush() {
      await Promise.all([...writers.values()].map((w) => w.flush()));
    },
    async close() {
      await Promise.all([...writers.values()].map((w) => w.close()));
    },
  };
};
