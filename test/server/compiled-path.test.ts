import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import { applyRepository } from '../../src/registry/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import { sqlRegistryInfo, type RegistryInfo } from '../../src/graphql/registry-info.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';

interface Exchange {
  status: number;
  type: string | null;
  body: string;
}

/**
 * Over HTTP, `listen` serves valid JSON queries through graphql-jit compiled functions; `app.fetch` always
 * goes through Yoga. Every request here must get the same answer both ways: same status, content type, body.
 */
describe('the compiled serving path answers exactly as Yoga does', () => {
  const project = 'compiled';
  const schema = 'compiled_src';
  const at = new Date(Date.now() - 60_000);
  let sql: SqlClient;
  let apps: { name: string; app: FeatureGraphApp; server: RunningServer }[] = [];

  const start = async (name: string, online: OnlineStore, registry: RegistryInfo) => {
    const repo = resolveRepository(smallRepository(project, schema), project);
    const app = createApp({ repo, online, offline: openOfflineStore(sql), registry, now: Date.now }, { logging: false });
    apps.push({ name, app, server: await listen(app, 0, '127.0.0.1') });
  };

  const both = async (name: string, init: { method?: string; headers?: Record<string, string>; body?: string }, path = '/graphql') => {
    const a = apps.find((x) => x.name === name)!;
    const read = async (res: Response): Promise<Exchange> => ({ status: res.status, type: res.headers.get('content-type'), body: await res.text() });
    const url = a.server.url.replace('/graphql', path).replace('localhost', '127.0.0.1');
    const overHttp = await read(await fetch(url, init));
    const viaYoga = await read(await a.app.fetch(`http://test${path}`, init));
    return { overHttp, viaYoga };
  };
  const post = (body: unknown, headers: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  beforeAll(async () => {
    sql = await createPgliteClient();
    await seedSmallSources(sql, schema, 20, at);
    const defs = smallRepository(project, schema);
    await applyRepository(sql, defs, { project, onlineTables: true, createSourceIndexes: true });
    const online = createSqlOnlineStore(sql, project);
    await materializeViews({ sql, online, repo: resolveRepository(defs, project) }, { start: new Date(at.getTime() - 86_400_000), end: new Date() });
    await start('healthy', online, sqlRegistryInfo(sql, project));
    const failing: OnlineStore = { ...online, read: async () => Promise.reject(new Error('connection refused')) };
    const brokenRegistry: RegistryInfo = { ...sqlRegistryInfo(sql, project), history: async () => Promise.reject(new Error('registry table is gone')) };
    await start('broken', failing, brokenRegistry);
  });

  afterAll(async () => {
    for (const a of apps) await a.server.close();
    apps = [];
    await sql.close();
  });

  const queries: [string, unknown][] = [
    ['online values with exact types', { query: '{ driver(driverId: "7") { driverId driverStats { convRate avgDailyTrips eventTimestamp } } }' }],
    [
      'a batch with variables, aliases, fragments and @skip',
      {
        query:
          'query Q($ids: [ID!]!, $no: Boolean!) { drivers(driverIds: $ids) { ...F r: driverRating { rating } s2: driverStats @skip(if: $no) { convRate } } } fragment F on Driver { driverId driverStats { ... on DriverStats { avgDailyTrips } } }',
        variables: { ids: ['3', '1', '3', '999'], no: true },
        operationName: 'Q',
      },
    ],
    ['a point-in-time value', { query: 'query($t: DateTime) { driver(driverId: "2") { driverStats(asOf: $t) { convRate eventTimestamp } } }', variables: { t: at.toISOString() } }],
    ['a malformed ID (BAD_USER_INPUT, data null)', { query: '{ driver(driverId: "12abc") { driverStats { convRate } } }' }],
    ['a malformed DateTime literal (validation)', { query: '{ driver(driverId: "1") { driverStats(asOf: "yesterday") { convRate } } }' }],
    ['a malformed DateTime variable', { query: 'query($t: DateTime) { driver(driverId: "1") { driverStats(asOf: $t) { convRate } } }', variables: { t: 'soon' } }],
    ['a missing variable', { query: 'query($id: ID!) { driver(driverId: $id) { driverId } }' }],
    ['an unknown field', { query: '{ driver(driverId: "1") { driverStats { nope } } }' }],
    ['a syntax error', { query: '{ driver(driverId: "1") { ' }],
    ['no query', { variables: {} }],
    ['an unknown operation name', { query: 'query A { featureViews { name } }', operationName: 'B' }],
    ['registry metadata', { query: '{ featureViews { name features { name type } } }' }],
    ['introspection', { query: '{ __schema { queryType { name } } }' }],
  ];

  it.each(queries)('%s', async (_, body) => {
    const { overHttp, viaYoga } = await both('healthy', post(body));
    expect(overHttp).toEqual(viaYoga);
  });

  it('a store that fails fails only its fields, with extensions.code', async () => {
    const { overHttp, viaYoga } = await both('broken', post({ query: '{ driver(driverId: "1") { driverId driverStats { convRate } } featureViews { name } }' }));
    expect(overHttp).toEqual(viaYoga);
    const parsed = JSON.parse(overHttp.body) as { data: unknown; errors: { extensions: { code: string } }[] };
    expect(parsed.data).toEqual({ driver: { driverId: '1', driverStats: null }, featureViews: [{ name: 'driver_stats' }, { name: 'driver_rating' }, { name: 'customer_profile' }] });
    expect(parsed.errors[0]?.extensions.code).toBe('ONLINE_STORE_UNAVAILABLE');
  });

  it('an unexpected error is masked the same way', async () => {
    const { overHttp, viaYoga } = await both('broken', post({ query: '{ registryHistory { version } featureViews { name } }' }));
    expect(overHttp).toEqual(viaYoga);
    expect(overHttp.body).toContain('Unexpected error.');
  });

  it('mutations, browsers, other Accept types and malformed JSON are left to Yoga', async () => {
    const cases = [
      post({ query: 'mutation { __typename }' }),
      post({ query: '{ featureViews { name } }' }, { origin: 'http://example.com' }),
      post({ query: '{ featureViews { name } }' }, { accept: 'application/graphql-response+json' }),
      post('{"query": '),
    ];
    for (const init of cases) {
      const { overHttp, viaYoga } = await both('healthy', init);
      expect(overHttp).toEqual(viaYoga);
    }
  });

  it('GraphiQL, GET queries, /health and /ready still answer', async () => {
    const base = apps[0]!.server.url.replace('localhost', '127.0.0.1');
    const page = await fetch(base, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('featuregraph');
    // GraphiQL's scripts and styles are in the page: it works without internet access.
    expect(html).toContain('renderYogaGraphiQL');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//);
    const get = await fetch(`${base}?query=${encodeURIComponent('{ featureViews { name } }')}`);
    expect(((await get.json()) as { data: { featureViews: unknown[] } }).data.featureViews).toHaveLength(3);
    expect((await fetch(base.replace('/graphql', '/health'))).status).toBe(200);
    expect((await fetch(base.replace('/graphql', '/ready'))).status).toBe(200);
  });
});
