import type { Plugin } from 'graphql-yoga';
import { requestIdOf } from '../../monitoring/logger.js';

/** What Yoga answers GraphQL requests with, in its order of preference (docs/production.md). */
const RESPONSE_TYPES = 'application/graphql-response+json, application/json, text/event-stream, multipart/mixed';

const messageFor = (status: number, request: Request): string | null => {
  if (status === 415) {
    const type = request.headers.get('content-type');
    return `${request.method} ${new URL(request.url).pathname} takes a JSON body (content-type: application/json)${type ? `, not ${JSON.stringify(type)}` : ''}`;
  }
  if (status === 406)
    return `the accept header ${JSON.stringify(request.headers.get('accept') ?? '')} allows none of the response types: ${RESPONSE_TYPES}`;
  return null;
};

/**
 * Yoga refuses an unsupported content type (415) or an Accept it cannot meet (406) with an empty body. A
 * client then sees only a status. This gives those refusals the error body every other refusal has: a message
 * naming what was wrong, the code BAD_REQUEST and the request id. Headers (Accept, x-request-id) are kept.
 */
export const useRefusalBodies = (): Plugin => ({
  onResponse({ request, response, setResponse, fetchAPI }) {
    if (response.body !== null) return;
    const message = messageFor(response.status, request);
    if (!message) return;
    const headers = new fetchAPI.Headers(response.headers);
    headers.set('content-type', 'application/json; charset=utf-8');
    const requestId = requestIdOf(request);
    headers.set('x-request-id', requestId);
    setResponse(
      new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST', requestId } }] }), {
        status: response.status,
        statusText: response.statusText,
        headers,
      }),
    );
  },
});
