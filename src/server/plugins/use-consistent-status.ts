import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

interface HttpExtensions {
  http?: { status?: number; spec?: boolean };
}

/**
 * A request refused before execution (parse, validation, limits) gets its error's status (400) whatever the
 * Accept header. Yoga follows the GraphQL-over-HTTP spec's legacy rule and answers such errors with 200 under
 * `application/json` but 400 under `application/graphql-response+json`; one pipeline should give every request
 * shape the same outcome (docs/production.md). Results with data keep their status.
 */
export const useConsistentStatus = (): Plugin => ({
  onResultProcess({ result, setResult }) {
    if (Array.isArray(result) || Symbol.asyncIterator in (result as object)) return;
    const r = result as ExecutionResult<unknown, HttpExtensions>;
    if (r.data !== undefined || !r.errors?.length || r.extensions?.http?.status) return;
    let status = 0;
    for (const e of r.errors) {
      const s = (e.extensions as HttpExtensions | undefined)?.http?.status;
      if (s && s > status) status = s;
    }
    if (status) setResult({ ...r, extensions: { ...r.extensions, http: { ...r.extensions?.http, status } } });
  },
});
