import type { Plugin } from 'graphql-yoga';
import { requestIdOf } from '../../monitoring/logger.js';
import { hasPlainRefusals, refusalBody } from '../error-log.js';

/** What Yoga answers GraphQL requests with, in its order of preference (docs/production.md). */
const RESPONSE_TYPES = 'application/graphql-response+json, application/json, text/event-stream, multipart/mixed';

const refusalFor = (status: number, request: Request, endpoint: string): { message: string; code: string } | null => {
  if (status === 415) {
    const type = request.headers.get('content-type');
    return {
      message: `${request.method} ${new URL(request.url).pathname} takes a JSON body (content-type: application/json)${type ? `, not ${JSON.stringify(type)}` : ''}`,
      code: 'BAD_REQUEST',
    };
  }
  if (status === 406)
    return {
      message: `the accept header ${JSON.stringify(request.headers.get('accept') ?? '')} allows none of the response types: ${RESPONSE_TYPES}`,
      code: 'BAD_REQUEST',
    };
  if (status === 404)
    return { message: `not found: ${new URL(request.url).pathname}; GraphQL is served at ${endpoint}`, code: 'NOT_FOUND' };
  return null;
};

/**
 * Yoga refuses an unsupported content type (415), an Accept it cannot meet (406) and a path it does not serve
 * (404: `/Graphql`, `/catalog` with the catalog off) with an empty body. A client then sees only a status. This
 * gives those refusals the error body every other refusal has: a message naming what was wrong, a code
 * (BAD_REQUEST, NOT_FOUND) and the request id. Headers (Accept, x-request-id) are kept; a HEAD answer stays empty.
 */
export const useRefusalBodies = (options: { readonly endpoint?: string } = {}): Plugin => {
  const endpoint = options.endpoint ?? '/graphql';
  return {
    onResponse({ request, response, setResponse, fetchAPI }) {
      if (response.body !== null || request.method === 'HEAD') return;
      const refusal = refusalFor(response.status, request, endpoint);
      if (!refusal) return;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      const requestId = requestIdOf(request);
      headers.set('x-request-id', requestId);
      const body = refusalBody({ ...refusal, requestId, plain: hasPlainRefusals(new URL(request.url).pathname) });
      setResponse(new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }));
    },
  };
};
