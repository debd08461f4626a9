import type { Plugin } from 'graphql-yoga';
import { requestIdOf } from '../../monitoring/logger.js';
import { hasPlainRefusals, refusalResponse } from '../error-log.js';

export interface CsrfPreventionOptions {
  /** Paths guarded (exact, or a prefix when it ends with `/`). @default ['/graphql', '/push/'] */
  readonly paths?: readonly string[];
  /**
   * Headers that mark a request as not sendable by a plain HTML form; any one of them lets a request with a
   * "simple" content type through. @default ['x-featuregraph-csrf', 'apollo-require-preflight', 'x-graphql-yoga-csrf']
   */
  readonly requestHeaders?: readonly string[];
}

// The content types a browser sends cross-site without a CORS preflight (the Fetch standard's "CORS-safelisted").
const SIMPLE_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * CSRF prevention as Apollo Server and Yoga's `useCSRFPrevention` do it: a request that a page on another site
 * could send without a preflight (a POST with no or a simple content type, and none of the custom headers) is
 * refused with 403 before anything is parsed or written. JSON clients, `application/graphql`, NDJSON pushes
 * and GET queries (Yoga refuses mutations over GET) are unaffected. POST is the only method concerned: it is the
 * only CORS-safelisted method with a body, and a page's PUT, PATCH or DELETE is always preflighted (refused
 * unless CORS allows its origin); those get their route's own 405 naming the method it takes. See docs/production.md.
 */
export const useCsrfPrevention = (options: CsrfPreventionOptions = {}): Plugin => {
  const paths = options.paths ?? ['/graphql', '/push/'];
  const headers = options.requestHeaders ?? ['x-featuregraph-csrf', 'apollo-require-preflight', 'x-graphql-yoga-csrf'];
  const guarded = (path: string) => paths.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== '' && !SIMPLE_TYPES.includes(type)) return;
      if (headers.some((h) => request.headers.has(h))) return;
      if (!guarded(url.pathname)) return;
      const message = `refused as a possible cross-site request: send content-type application/json (or one of the headers ${headers.join(', ')})`;
      // In the shape of the route refused: GraphQL's at /graphql, `{ error, code, requestId }` on /push.
      endResponse(
        refusalResponse(fetchAPI.Response, {
          status: 403,
          message,
          code: 'CSRF_REFUSED',
          requestId: requestIdOf(request),
          plain: hasPlainRefusals(url.pathname),
        }),
      );
    },
  };
};
