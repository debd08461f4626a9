import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { renderOfflineGraphiQL } from '../graphiql.js';

export interface GraphiQLPageOptions {
  /** GraphiQL's settings (title, the query it opens with). */
  readonly graphiql: GraphiQLOptions;
  /** Where it is served (browsers asking for HTML with GET). @default '/graphql' */
  readonly endpoint?: string;
}

interface Encoded {
  readonly br: Buffer;
  readonly gzip: Buffer;
  readonly identity: Buffer;
}

/**
 * GraphiQL, compressed: the page holds its scripts (about 9 MB, see graphiql.ts), so it is rendered once,
 * compressed once with brotli and gzip, and sent in the best encoding the browser accepts (about 1.5 MB).
 */
export const useGraphiQLPage = (options: GraphiQLPageOptions): Plugin => {
  const endpoint = options.endpoint ?? '/graphql';
  let page: Promise<Encoded> | undefined;
  const encoded = () =>
    (page ??= renderOfflineGraphiQL(options.graphiql).then((html) => {
      const identity = Buffer.from(html);
      return {
        identity,
        gzip: gzipSync(identity, { level: 9 }),
        br: brotliCompressSync(identity, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: identity.length },
        }),
      };
    }));
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' || url.pathname !== endpoint || !request.headers.get('accept')?.includes('text/html')) return;
      const accepted = request.headers.get('accept-encoding') ?? '';
      return encoded().then((e) => {
        const [encoding, body] = accepted.includes('br')
          ? ['br', e.br]
          : accepted.includes('gzip')
            ? ['gzip', e.gzip]
            : [undefined, e.identity];
        const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8', vary: 'accept-encoding' };
        if (encoding) headers['content-encoding'] = encoding;
        endResponse(new fetchAPI.Response(new Uint8Array(body), { status: 200, headers }));
      });
    },
  };
};
