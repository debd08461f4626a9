import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isPromise } from '../error-log.js';

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface ExecutionTimeoutOptions {
  /** Milliseconds an operation may run before the caller gets a TIMEOUT error (504). @default 10000 */
  readonly ms?: number;
}

/**
 * A per-request time limit. The answer is sent when the limit passes; the request's DataLoaders start nothing
 * new for it, and a Postgres statement it started is cancelled once it has run as long as the limit
 * (createLoaders' offlineTimeLimitMs). Other work already handed to a store finishes in the background, its
 * result dropped. Wraps whatever executor is in place (put it after `useCompiledExecutor`).
 */
export const useExecutionTimeout = (options: ExecutionTimeoutOptions = {}): Plugin => {
  const ms = options.ms ?? DEFAULT_TIMEOUT_MS;
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args: ExecutionArgs) => {
        const out = executeFn(args) as ExecutionResult | Promise<ExecutionResult>;
        if (!isPromise<ExecutionResult>(out)) return out;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(
            () =>
              resolve({
                errors: [
                  new GraphQLError(`the request took longer than its ${ms} ms limit`, {
                    extensions: { code: 'TIMEOUT', http: { status: 504 } },
                  }),
                ],
              }),
            ms,
          );
        });
        return Promise.race([out, timeout]).finally(() => clearTimeout(timer));
      });
    },
  };
};
