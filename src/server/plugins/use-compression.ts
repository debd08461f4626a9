import type { Plugin } from 'graphql-yoga';
import { CompressedCache, encodedHeaders, negotiateEncoding, responseBody } from '../compress.js';

export interface CompressionOptions {
  /**
   * Compress responses whose `content-type` matches. GraphQL results are not matched by default: they differ
   * per request and are small, so compressing them costs the hot path CPU for little gain.
   * @default /^(text\/html|text\/css|text\/javascript|application\/javascript|image\/svg\+xml)\b/
   */
  readonly contentTypes?: RegExp;
  /**
   * Leave bodies smaller than this many bytes as they are.
   * @default 1024
   */
  readonly minBytes?: number;
  /**
   * Compressed bodies kept (each page or asset is compressed once, then served from memory).
   * @default 32
   */
  readonly cacheEntries?: number;
}

/**
 * Compresses pages and assets (GraphiQL's 9 MB page, the catalog) with brotli or gzip, as the request's
 * `Accept-Encoding` allows. See docs/catalog.md.
 */
export const useCompression = (opts: CompressionOptions = {}): Plugin => {
  const types = opts.contentTypes ?? /^(text\/html|text\/css|text\/javascript|application\/javascript|image\/svg\+xml)\b/;
  const minBytes = opts.minBytes ?? 1024;
  const cache = new CompressedCache(opts.cacheEntries ?? 32);
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      if (!encoding || request.method === 'HEAD' || !response.body || response.headers.has('content-encoding')) return;
      if (!types.test(response.headers.get('content-type') ?? '')) return;
      const body = new Uint8Array(await response.arrayBuffer());
      const keep = (bytes: Uint8Array, enc: typeof encoding | null) =>
        setResponse(
          new fetchAPI.Response(responseBody(bytes), {
            status: response.status,
            statusText: response.statusText,
            headers: encodedHeaders(response.headers, enc, bytes.byteLength),
          }),
        );
      if (body.byteLength < minBytes) return keep(body, null);
      keep(await cache.get(body, encoding), encoding);
    },
  };
};
