import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface BodyLimitOptions {
  /** Largest GraphQL request body in bytes; 413 above it. @default 1 MiB */
  readonly maxBytes?: number;
}

/** The GraphQL body limit when none is given (the node front reads bodies up to the same limit). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = (limit: number) =>
  new GraphQLError(`the request body is over the ${limit}-byte limit`, {
    // The rest of the body may still be arriving (chunked): close the connection after the answer, so no
    // shutdown waits for a request that never ends.
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413, headers: { connection: 'close' } } },
  });

/**
 * The GraphQL body limit. A request with a Content-Length (what clients send) is judged by that header alone,
 * before a byte is read, and then read as it is: no per-request stream wrapping on the hot path (Yoga's own
 * `maxRequestBodySize` pipes every body through a TransformStream). A body without a length (chunked) is read
 * here up to the limit and handed on. See docs/production.md, "Limits".
 */
export const useBodyLimit = (options: BodyLimitOptions = {}): Plugin => {
  const limit = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const length = request.headers.get('content-length');
      if (length !== null) {
        if (!/^\d+$/.test(length))
          throw new GraphQLError('Content-Length header is invalid.', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        if (Number(length) > limit) throw tooLarge(limit);
        return;
      }
      if (!request.body || !requestParser) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        const chunks: Uint8Array[] = [];
        let size = 0;
        const reader = req.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          size += value.byteLength;
          if (size > limit) {
            await reader.cancel().catch(() => undefined);
            throw tooLarge(limit);
          }
          chunks.push(value);
        }
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body: Buffer.concat(chunks) }));
      });
    },
  };
};
