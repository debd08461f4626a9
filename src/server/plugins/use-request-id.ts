import { requestIdOf } from '../../monitoring/logger.js';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorCause } from '../../graphql/errors.js';

export interface RequestIdOptions {
  /** Where unexpected errors and store failures go, whole (stack, driver message), with the request id. */
  readonly log: (requestId: string, error: unknown, what?: string) => void;
}

const errorIds = new WeakMap<object, string>();

/** The request's id: the one `requestIdOf` (monitoring/logger.ts) gives every log line and response of it. */
export const getRequestId = (request: Request): string => requestIdOf(request);
/** The id of the request an error happened in, when it happened during execution. */
export const requestIdOfError = (error: unknown): string | undefined =>
  typeof error === 'object' && error ? errorIds.get(error) : undefined;

const withoutOriginalError = (extensions: Record<string, unknown>): Record<string, unknown> => {
  if (!('originalError' in extensions)) return extensions;
  const { originalError: _, ...rest } = extensions;
  return rest;
};

/**
 * An error with no code and no path is about the request itself, before execution (a variable's value that
 * does not coerce, a required variable missing): the caller's, `BAD_USER_INPUT` (docs/production.md, "Errors").
 * graphql-js gives those no code; every other error already has one (masked ones included).
 */
const codeOf = (e: GraphQLError): { code?: string } => (e.extensions.code === undefined && !e.path ? { code: 'BAD_USER_INPUT' } : {});

/**
 * Every response carries a request id (header, and `extensions.requestId` on each error); the server log
 * gets the full error under the same id, while the caller sees only the masked message (see
 * docs/production.md, "Errors").
 */
export const useRequestId = (options: RequestIdOptions): Plugin => {
  const header = 'x-request-id';
  // Each error of a result gets the request's id: store failures are logged with it here (expected, not masked,
  // but their driver error is only for the log), and an unexpected error Yoga masks is logged with it (error-log.ts).
  const noteErrors = (request: Request | undefined, errors: readonly GraphQLError[] | undefined) => {
    if (!request || !errors) return;
    const id = requestIdOf(request);
    for (const e of errors) {
      errorIds.set(e, id);
      if (e.originalError) errorIds.set(e.originalError, id);
      const cause = errorCause(e) ?? (e.originalError instanceof GraphQLError ? errorCause(e.originalError) : undefined);
      if (cause !== undefined) options.log(id, cause, e.message);
    }
  };
  const requestOf = (contextValue: unknown) => (contextValue as { request?: Request } | null)?.request;
  return {
    onExecute({ args }) {
      const request = requestOf(args.contextValue);
      return {
        onExecuteDone({ result }) {
          if ('errors' in result) noteErrors(request, result.errors);
        },
      };
    },
    // A subscription that failed to start (its store is down, docs/subscriptions.md) answers one result with
    // errors instead of a stream: the same as a query's.
    onSubscribe({ args }) {
      const request = requestOf(args.contextValue);
      return {
        onSubscribeResult({ result }) {
          if (!(Symbol.asyncIterator in result)) noteErrors(request, result.errors);
        },
      };
    },
    onResultProcess({ request, result, setResult }) {
      if (Symbol.asyncIterator in (result as object)) return;
      const id = requestIdOf(request);
      // A copy per request: the same error object can be shared (Yoga caches validation errors per document).
      const withId = (e: GraphQLError): GraphQLError => {
        const copy = new GraphQLError(e.message, {
          ...(e.nodes ? { nodes: e.nodes } : {}),
          ...(e.source ? { source: e.source } : {}),
          ...(e.positions ? { positions: e.positions } : {}),
          ...(e.path ? { path: e.path } : {}),
          ...(e.originalError ? { originalError: e.originalError } : {}),
          // Yoga puts the JSON parser's own error (which quotes the body) in `originalError`: never sent.
          extensions: { ...withoutOriginalError(e.extensions), ...codeOf(e), requestId: id },
        });
        return copy;
      };
      const add = (r: { errors?: readonly GraphQLError[] }) => (r.errors?.length ? { ...r, errors: r.errors.map(withId) } : r);
      setResult(Array.isArray(result) ? result.map(add) : add(result as { errors?: readonly GraphQLError[] }));
    },
    onResponse({ request, response }) {
      response.headers.set(header, requestIdOf(request));
    },
  };
};
