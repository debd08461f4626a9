import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';
import { CompressedCache, encodedHeaders, negotiateEncoding, responseBody } from '../compress.js';

export interface CatalogOptions {
  /**
   * Serve the catalog. Like GraphiQL it shows the whole registry (names, owners, sources, tables), so production
   * deployments turn it on deliberately.
   * @default process.env.NODE_ENV !== 'production'
   */
  readonly enabled?: boolean;
  /**
   * Where the catalog is served (`/catalog` redirects to `/catalog/`).
   * @default '/catalog'
   */
  readonly path?: string;
  /**
   * The GraphQL endpoint the catalog reads (it has no other data path).
   * @default '/graphql'
   */
  readonly graphqlEndpoint?: string;
  /**
   * Directory of the catalog's assets (index.html, catalog.css, catalog.js).
   * @default the package's src/catalog/
   */
  readonly assetsDir?: string;
}

const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'catalog.css': 'text/css; charset=utf-8',
  'catalog.js': 'text/javascript; charset=utf-8',
};

// The page runs only its own script and styles and talks only to this origin.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

interface Asset {
  readonly body: Uint8Array;
  readonly type: string;
  readonly etag: string;
}

/**
 * The feature catalog at `/catalog`: a static page (bundled in the package, no CDN) that reads the registry
 * through the GraphQL API. Assets are sent compressed (brotli or gzip, compressed once) with an ETag.
 * See docs/catalog.md.
 */
export const useCatalog = (opts: CatalogOptions = {}): Plugin => {
  const enabled = opts.enabled ?? process.env.NODE_ENV !== 'production';
  const base = (opts.path ?? '/catalog').replace(/\/+$/, '');
  const endpoint = opts.graphqlEndpoint ?? '/graphql';
  const dir = opts.assetsDir ?? fileURLToPath(new URL('../../catalog/', import.meta.url));
  const cache = new CompressedCache(Object.keys(ASSETS).length * 2);
  const assets = new Map<string, Promise<Asset>>();

  const load = (name: string): Promise<Asset> => {
    let a = assets.get(name);
    if (!a) {
      a = readFile(`${dir}/${name}`).then((buf) => {
        const text = name === 'index.html' ? buf.toString('utf8').replaceAll('%GRAPHQL_ENDPOINT%', endpoint.replace(/[&"<>]/g, '')) : null;
        const body = text === null ? new Uint8Array(buf) : new TextEncoder().encode(text);
        return { body, type: ASSETS[name]!, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      });
      a.catch(() => assets.delete(name));
      assets.set(name, a);
    }
    return a;
  };

  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (!enabled || (url.pathname !== base && !url.pathname.startsWith(`${base}/`))) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(new fetchAPI.Response('Method Not Allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
      }
      if (url.pathname === base)
        return endResponse(new fetchAPI.Response(null, { status: 308, headers: { location: `${base}/${url.search}` } }));
      const name = url.pathname.slice(base.length + 1) || 'index.html';
      if (!Object.hasOwn(ASSETS, name))
        return endResponse(new fetchAPI.Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain' } }));
      const asset = await load(name);
      const headers = new fetchAPI.Headers({
        'content-type': asset.type,
        'cache-control': 'no-cache',
        etag: asset.etag,
        ...SECURITY_HEADERS,
      });
      if (request.headers.get('if-none-match') === asset.etag) return endResponse(new fetchAPI.Response(null, { status: 304, headers }));
      const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
      const body = encoding ? await cache.get(asset.body, encoding) : asset.body;
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : responseBody(body), {
          status: 200,
          headers: encodedHeaders(headers, encoding, body.byteLength),
        }),
      );
    },
  };
};
