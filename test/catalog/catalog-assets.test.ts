import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { createYoga } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleCatalog, BUNDLE_PATH } from '../../src/catalog/build.js';
import { useCatalog, type CatalogOptions } from '../../src/server/plugins/use-catalog.js';

/** A Yoga app with only the catalog plugin and a trivial schema: the plugin answers before GraphQL. */
const appWith = (opts: CatalogOptions = {}) =>
  createYoga({ plugins: [useCatalog(opts)], logging: false, graphiql: false, landingPage: false });

const get = (app: ReturnType<typeof appWith>, path: string, headers: Record<string, string> = {}, method = 'GET') =>
  app.fetch(`http://localhost${path}`, { method, headers, redirect: 'manual' });

describe('the catalog plugin', () => {
  const env = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = env;
  });

  it('redirects /catalog to /catalog/ and serves the page with a strict content security policy', async () => {
    const app = appWith();
    const r = await get(app, '/catalog?x=1');
    expect(r.status).toBe(308);
    expect(r.headers.get('location')).toBe('/catalog/?x=1');
    const page = await get(app, '/catalog/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('data-graphql="/graphql"');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
  });

  it('sends brotli or gzip as the client accepts, identical to the files once decoded', async () => {
    const app = appWith();
    const file = await readFile(BUNDLE_PATH);
    const br = await get(app, '/catalog/catalog.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/Accept-Encoding/i);
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(Number(br.headers.get('content-length'))).toBe(brBytes.length);
    expect(brotliDecompressSync(brBytes).equals(file)).toBe(true);
    expect(brBytes.length).toBeLessThan(file.length / 2);

    const gz = await get(app, '/catalog/catalog.js', { 'accept-encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(file)).toBe(true);

    const plain = await get(app, '/catalog/catalog.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await plain.arrayBuffer()).equals(file)).toBe(true);
  });

  it('answers a matching ETag with 304', async () => {
    const app = appWith();
    const first = await get(app, '/catalog/catalog.css');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    const again = await get(app, '/catalog/catalog.css', { 'if-none-match': etag! });
    expect(again.status).toBe(304);
  });

  it('serves only its own assets: unknown names and traversal are 404, writes are 405', async () => {
    const app = appWith();
    for (const path of [
      '/catalog/build.ts',
      '/catalog/ui/main.ts',
      '/catalog/..%2F..%2Fpackage.json',
      '/catalog/%2e%2e/%2e%2e/package.json',
    ]) {
      const r = await get(app, path);
      expect(r.status, path).toBe(404);
      expect(await r.text()).not.toContain('"name"');
    }
    expect((await get(app, '/catalog/', {}, 'POST')).status).toBe(405);
  });

  it('is off when disabled, and by default in production', async () => {
    expect((await get(appWith({ enabled: false }), '/catalog/')).status).toBe(404);
    process.env.NODE_ENV = 'production';
    expect((await get(appWith(), '/catalog/')).status).toBe(404);
    expect((await get(appWith({ enabled: true }), '/catalog/')).status).toBe(200);
  });

  it('serves under another path and points the page at the configured GraphQL endpoint', async () => {
    const app = appWith({ path: '/ui/catalog/', graphqlEndpoint: '/api/graphql' });
    const html = await (await get(app, '/ui/catalog/')).text();
    expect(html).toContain('data-graphql="/api/graphql"');
    expect((await get(app, '/catalog/')).status).toBe(404);
  });
});

describe('the catalog bundle', () => {
  it('is built from the current sources (npm run build:catalog rewrites it)', async () => {
    expect(await readFile(BUNDLE_PATH, 'utf8')).toBe(await bundleCatalog());
  });

  it('type-checks against the DOM library', async () => {
    const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
    const ui = new URL('../../src/catalog/ui/tsconfig.json', import.meta.url).pathname;
    await expect(promisify(execFile)(process.execPath, [tsc, '-p', ui, '--noEmit'])).resolves.toBeDefined();
  });
});
