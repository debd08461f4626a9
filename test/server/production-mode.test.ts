import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plugin } from 'graphql-yoga';
import { createApp, type AppOptions, type FeatureGraphApp } from '../../src/server/app.js';
import { getPrincipal, hasScope, setPrincipal } from '../../src/server/principal.js';
import { openStores, type Stores } from './pipeline-fixture.js';

/** A stand-in for the API-key plugin: it reads `x-test-key` and records the principal, as `useApiKeys` will. */
const useTestKeys = (): Plugin => ({
  onRequest({ request }) {
    const key = request.headers.get('x-test-key');
    if (key === 'admin') setPrincipal(request, { name: 'ops', scopes: ['admin', 'read:*'] });
    if (key === 'reader') setPrincipal(request, { name: 'svc', scopes: ['read:*'] });
  },
});

const gql = (app: FeatureGraphApp, query: string, headers: Record<string, string> = {}) =>
  app.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });

describe('production mode and the plugin slot for API keys', () => {
  let stores: Stores;
  const make = (opts: AppOptions) => createApp(stores.rt, { logging: false, ...opts });

  beforeAll(async () => {
    stores = await openStores('none');
  });
  afterAll(async () => stores?.close());

  it('GraphiQL is off in production unless asked for, and then sent compressed', async () => {
    const html = { headers: { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' } };
    const off = await make({ production: true }).fetch('http://test/graphql', html);
    expect(off.headers.get('content-type') ?? '').not.toContain('text/html');
    const on = make({ production: true, graphiql: true });
    const br = await on.fetch('http://test/graphql', html);
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    const compressed = Buffer.from(await br.arrayBuffer());
    const page = brotliDecompressSync(compressed).toString('utf8');
    expect(page).toContain('renderYogaGraphiQL');
    expect(compressed.length).toBeLessThan(page.length / 3);
    const gz = await on.fetch('http://test/graphql', { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).toBe(page);
  });

  it('introspection is refused in production except where allowIntrospection says yes (admin keys)', async () => {
    const app = make({ production: true, plugins: [useTestKeys()], allowIntrospection: (r) => hasScope(r, 'admin') });
    const q = '{ __schema { queryType { name } } }';
    const anonymous = await gql(app, q);
    expect(anonymous.status).toBe(400);
    expect(await anonymous.text()).toContain('introspection');
    const reader = (await (await gql(app, q, { 'x-test-key': 'reader' })).json()) as { errors: { extensions: { code: string } }[] };
    expect(reader.errors[0]!.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await (await gql(app, q, { 'x-test-key': 'admin' })).json()).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('no "Did you mean" in production; still in development', async () => {
    const typo = '{ driver(driverId: "1") { driverStat { avgDailyTrips } } }';
    expect(await (await gql(make({ production: true }), typo)).text()).not.toContain('Did you mean');
    expect(await (await gql(make({ production: false }), typo)).text()).toContain('Did you mean');
  });

  it('bad input keeps its precise BAD_USER_INPUT message in production', async () => {
    const body = (await (await gql(make({ production: true }), '{ driver(driverId: "12abc") { driverId } }')).json()) as {
      errors: { message: string; extensions: { code: string } }[];
    };
    expect(body.errors[0]).toMatchObject({ message: 'driverId: not a valid Int64 key: "12abc"', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('trusted-documents mode lets allowArbitraryOperations admit a principal (keys with adhoc)', async () => {
    const app = make({
      plugins: [useTestKeys()],
      trustedDocuments: {
        documents: { byId: new Map(), texts: new Set(), maxLength: 0 },
        only: true,
        allowArbitraryOperations: (r) => getPrincipal(r)?.name === 'ops',
      },
    });
    expect((await gql(app, '{ featureViews { name } }')).status).toBe(403);
    expect((await gql(app, '{ featureViews { name } }', { 'x-test-key': 'admin' })).status).toBe(200);
  });

  it('the rate limit gives a caller its burst, then 429 with Retry-After; others are not affected', async () => {
    const app = make({ plugins: [useTestKeys()], rateLimit: { perSecond: 0.5, burst: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await gql(app, '{ featureViews { name } }', { 'x-test-key': 'reader' })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await gql(app, '{ featureViews { name } }', { 'x-test-key': 'reader' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await gql(app, '{ featureViews { name } }', { 'x-test-key': 'admin' })).status).toBe(200);
  });
});
