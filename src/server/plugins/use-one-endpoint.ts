import { requestIdOf } from '../../monitoring/logger.js';
import type { Plugin } from 'graphql-yoga';
import { refusalResponse } from '../error-log.js';

export interface OneEndpointOptions {
  /** The GraphQL endpoint, exactly. @default '/graphql' */
  readonly endpoint?: string;
  /** Path prefixes that are not GraphQL and are left alone (their own plugins answer them). @default ['/push/'] */
  readonly otherPrefixes?: readonly string[];
}

/**
 * GraphQL is served at one path, exactly (docs/production.md, "One pipeline"). Yoga also takes as GraphQL any
 * request whose URL merely ends in the endpoint — `/graphql/`, `//graphql`, `/x/graphql`, `/?a=/graphql` —
 * while policies that look at the path (CSRF prevention, the rate limit, metrics) see another path and let it
 * pass. Such requests are answered 404 here, first, so every request that reaches GraphQL has the one path
 * every policy guards.
 */
export const useOneEndpoint = (options: OneEndpointOptions = {}): Plugin => {
  const endpoint = options.endpoint ?? '/graphql';
  const others = options.otherPrefixes ?? ['/push/'];
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === endpoint || others.some((p) => url.pathname.startsWith(p))) return;
      // What Yoga's router takes as its endpoint (graphql-yoga's useUnhandledRoute), other than the path itself.
      const yogaWouldServe =
        request.url.endsWith(endpoint) ||
        request.url.endsWith(`${endpoint}/`) ||
        url.pathname === `${endpoint}/` ||
        url.pathname.endsWith(endpoint);
      if (!yogaWouldServe) return;
      endResponse(
        refusalResponse(fetchAPI.Response, {
          status: 404,
          message: `not found: GraphQL is served at ${endpoint} exactly`,
          code: 'NOT_FOUND',
          requestId: requestIdOf(request),
          plain: false,
        }),
      );
    },
  };
};
