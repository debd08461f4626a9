import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorCause } from '../../graphql/errors.js';

export interface RequestIdOptions {
  /** Where unexpected errors and store failures go, whole (stack, driver message), with the request id. */
  readonly log: (requestId: string, error: unknown) => void;
  /** Response header carrying the id (also in each error's `extensions.requestId`). @default 'x-request-id' */
  readonly header?: string;
}

const ids = new WeakMap<Request, string>();
const errorIds = new WeakMap<object, string>();
// A caller-supplied id (from a load balancer) is kept when it is short and plain.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The request's id (set for every request by `useRequestId`). */
export const getRequestId = (request: Request): string | undefined => ids.get(request);
/** The id of the request an error happened in, when it happened during execution. */
export const requestIdOfError = (error: unknown): string | undefined => (typeof error === 'object' && error ? errorIds.get(error) : undefined);


/**
 * Every response carries a request id (header, and `extensions.requestId` on each error); the server log
 * gets the full error under the same id, while the caller sees only the masked message (see
 * docs/production.md, "Errors").
 */
export const useRequestId = (options: RequestIdOptions): Plugin => {
  const header = options.header ?? 'x-request-id';
  return {
    onRequest({ request }) {
      const given = request.headers.get(header);
      ids.set(request, given && SAFE_ID.test(given) ? given : randomUUID());
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      return {
        onExecuteDone({ result }) {
          if (!request || !('errors' in result) || !result.errors) return;
          const id = ids.get(request) ?? '-';
          for (const e of result.errors) {
            errorIds.set(e, id);
            // Store failures are expected (not masked) but their driver error is only for the log.
            const cause = errorCause(e) ?? (e.originalError instanceof GraphQLError ? errorCause(e.originalError) : undefined);
            if (cause !== undefined) options.log(id, cause);
          }
        },
      };
    },
    onResultProcess({ request, result, setResult }) {
      const id = ids.get(request);
      if (!id || Symbol.asyncIterator in (result as object)) return;
      // A copy per request: the same error object can be shared (Yoga caches validation errors per document).
      const withId = (e: GraphQLError): GraphQLError => {
        const copy = new GraphQLError(e.message, {
          ...(e.nodes ? { nodes: e.nodes } : {}),
          ...(e.source ? { source: e.source } : {}),
          ...(e.positions ? { positions: e.positions } : {}),
          ...(e.path ? { path: e.path } : {}),
          ...(e.originalError ? { originalError: e.originalError } : {}),
          extensions: { ...e.extensions, requestId: id },
        });
        return copy;
      };
      const add = (r: { errors?: readonly GraphQLError[] }) => (r.errors?.length ? { ...r, errors: r.errors.map(withId) } : r);
      setResult(Array.isArray(result) ? result.map(add) : add(result as { errors?: readonly GraphQLError[] }));
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id) response.headers.set(header, id);
    },
  };
};
