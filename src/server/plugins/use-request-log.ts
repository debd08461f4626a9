import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { requestIdOf, type Logger } from '../../monitoring/logger.js';

export interface RequestLogOptions {
  /** The pino logger lines go to; without one, requests still get their id (header and log rows). */
  readonly logger?: Logger | null;
  /**
   * Log a line per completed request at `info` (else at `debug`). Costs a JSON line per request.
   * @default false
   */
  readonly logEveryRequest?: boolean;
}

const STORE_CODES = new Set(['ONLINE_STORE_UNAVAILABLE', 'OFFLINE_STORE_UNAVAILABLE']);

/**
 * Structured request logs (docs/monitoring.md#logs): every request gets an id (the client's `x-request-id` when
 * safe, else a UUID), returned in the `x-request-id` response header and carried by every log line about it.
 * Store failures are logged at `error`, other errors with an original cause at `warn`.
 */
export const useRequestLog = (opts: RequestLogOptions): Plugin => {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      requestIdOf(request);
      // Only when the per-request line will be written: a WeakMap entry per request is work for every GC.
      if (opts.logger?.isLevelEnabled(opts.logEveryRequest ? 'info' : 'debug')) started.set(request, performance.now());
    },
    onExecute({ args }) {
      const logger = opts.logger;
      if (!logger) return;
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result) return;
          const request = (args.contextValue as { request?: Request }).request;
          if (!request) return;
          for (const e of (result.errors ?? []) as GraphQLError[]) {
            const code = e.extensions?.code as string | undefined;
            if (code && STORE_CODES.has(code))
              logger.error({ requestId: requestIdOf(request), code, path: e.path, err: e.originalError ?? e }, e.message);
            else if (e.originalError && !code)
              logger.warn({ requestId: requestIdOf(request), path: e.path, err: e.originalError }, e.message);
          }
        },
      };
    },
    onResponse({ request, response }) {
      // The x-request-id header is set by useRequestId, which every server runs.
      const level = opts.logEveryRequest ? 'info' : 'debug';
      if (!opts.logger?.isLevelEnabled(level)) return;
      const id = requestIdOf(request);
      const t = started.get(request);
      const line = {
        requestId: id,
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        ms: t === undefined ? null : performance.now() - t,
      };
      opts.logger[level](line, 'request');
    },
  };
};
