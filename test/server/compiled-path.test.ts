import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import { applyRepository } from '../../src/registry/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createApp } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import { sqlRegistryInfo, type RegistryInfo } from '../../src/graphql/registry-info.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';

interface Exchange {
  status: number;
  type: string | null;
  body: string;
}

/**
 * One pipeline, two executors: the same app served with graphql-jit compiled execution (the default) and with
 * graphql-js `execute`. Every request must get the same answer from both (status, content type, body), and
 * the compiled executor's counter proves which one ran.
 */
describe('compiled execution answers exactly as graphql-js execute does', () => {
  const project = 'compiled';
  const schema = 'compiled_src';
  const at = new Date(Date.now() - 60_000);
  let sql: SqlClient;
  let compiledRuns = 0;
  let apps: { name: string; compiled: boolean; server: RunningServer }[] = [];

  const start = async (name: string, online: OnlineStore, registry: RegistryInfo) => {
    const repo = resolveRepository(smallRepository(project, schema), project);
    for (const compiled of [true, false]) {
      const app = createApp(
        { repo, online, offline: openOfflineStore(sql), registry, now: Date.now },
        { logging: false, compiled, onCompiledExecution: () => compiledRuns++ },
      );
      apps.push({ name, compiled, server: await listen(app, 0, '127.0.0.1') });
    }
  };

  const both = async (name: string, init: { method?: string; headers?: Record<string, string>; body?: string }, path = '/graphql') => {
    const read = async (res: Response): Promise<Exchange> => ({
      status: res.status,
      type: res.headers.get('content-type'),
      body: stripIds(await res.text()),
    });
    const url = (compiled: boolean) =>
      apps
        .find((x) => x.name === name && x.compiled === compiled)!
        .server.url.replace('/graphql', path)
        .replace('localhost', '127.0.0.1');
    const before = compiledRuns;
    const compiled = await read(await fetch(url(true), init));
    const ranCompiled = compiledRuns - before;
    const plain = await read(await fetch(url(false), init));
    expect(compiledRuns - before).toBe(ranCompiled);
    return { compiled, plain, ranCompiled };
  };
  // Request ids differ per request by design.
  const stripIds = (body: string) => body.replace(/"requestId":"[^"]*"/g, '"requestId":"-"');
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
    await materializeViews(
      { sql, online, repo: resolveRepository(defs, project) },
      { start: new Date(at.getTime() - 86_400_000), end: new Date() },
    );
    await start('healthy', online, sqlRegistryInfo(sql, project));
    const failing: OnlineStore = { ...online, read: async () => Promise.reject(new Error('connection refused')) };
    const brokenRegistry: RegistryInfo = {
      ...sqlRegistryInfo(sql, project),
      history: async () => Promise.reject(new Error('registry table is gone')),
    };
    await start('broken', failing, brokenRegistry);
  });

  afterAll(async () => {
    for (const a of apps) await a.server.close();
    apps = [];
    await sql.close();
  });

  const queries: [string, unknown][] = [
    [
      'online values with exact types',
      { query: '{ driver(driverId: "7") { driverId driverStats { convRate avgDailyTrips eventTimestamp } } }' },
    ],
    [
      'a batch with variables, aliases, fragments and @skip',
      {
        query:
          'query Q($ids: [ID!]!, $no: Boolean!) { drivers(driverIds: $ids) { ...F r: driverRating { rating } s2: driverStats @skip(if: $no) { convRate } } } fragment F on Driver { driverId driverStats { ... on DriverStats { avgDailyTrips } } }',
        variables: { ids: ['3', '1', '3', '999'], no: true },
        operationName: 'Q',
      },
    ],
    [
      'a point-in-time value',
      {
        query: 'query($t: DateTime) { driver(driverId: "2") { driverStats(asOf: $t) { convRate eventTimestamp } } }',
        variables: { t: at.toISOString() },
      },
    ],
    ['a malformed ID (BAD_USER_INPUT, data null)', { query: '{ driver(driverId: "12abc") { driverStats { convRate } } }' }],
    ['a malformed DateTime literal (validation)', { query: '{ driver(driverId: "1") { driverStats(asOf: "yesterday") { convRate } } }' }],
    [
      'a malformed DateTime variable',
      { query: 'query($t: DateTime) { driver(driverId: "1") { driverStats(asOf: $t) { convRate } } }', variables: { t: 'soon' } },
    ],
    ['a missing variable', { query: 'query($id: ID!) { driver(driverId: $id) { driverId } }' }],
    ['an unknown field', { query: '{ driver(driverId: "1") { driverStats { nope } } }' }],
    ['a syntax error', { query: '{ driver(driverId: "1") { ' }],
    ['no query', { variables: {} }],
    ['an unknown operation name', { query: 'query A { featureViews { name } }', operationName: 'B' }],
    ['registry metadata', { query: '{ featureViews { name features { name type } } }' }],
    ['introspection', { query: '{ __schema { queryType { name } } }' }],
  ];

  // Valid queries run compiled; documents that fail parsing or validation never reach an executor.
  const executes = new Set([
    'online values with exact types',
    'a batch with variables, aliases, fragments and @skip',
    'a point-in-time value',
    'a malformed ID (BAD_USER_INPUT, data null)',
    'a malformed DateTime variable',
    'a missing variable',
    'introspection',
  ]);

  it.each(queries)('%s', async (name, body) => {
    const { compiled, plain, ranCompiled } = await both('healthy', post(body));
    expect(compiled).toEqual(plain);
    expect(ranCompiled).toBe(executes.has(name) ? 1 : 0);
  });

  it('a store that fails fails only its fields, with extensions.code and no driver text', async () => {
    const { compiled, plain, ranCompiled } = await both(
      'broken',
      post({ query: '{ driver(driverId: "1") { driverId driverStats { convRate } } featureViews { name } }' }),
    );
    expect(compiled).toEqual(plain);
    expect(ranCompiled).toBe(1);
    const parsed = JSON.parse(compiled.body) as { data: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(parsed.data).toEqual({
      driver: { driverId: '1', driverStats: null },
      featureViews: [{ name: 'driver_stats' }, { name: 'driver_rating' }, { name: 'customer_profile' }],
    });
    expect(parsed.errors[0]?.extensions.code).toBe('ONLINE_STORE_UNAVAILABLE');
    expect(compiled.body).not.toContain('connection refused');
  });

  it('an unexpected error is masked the same way', async () => {
    const { compiled, plain } = await both('broken', post({ query: '{ registryHistory { version } featureViews { name } }' }));
    expect(compiled).toEqual(plain);
    expect(compiled.body).toContain('Unexpected error.');
    expect(compiled.body).not.toContain('registry table is gone');
  });

  it('mutations, browsers, other Accept types and malformed JSON answer alike', async () => {
    const cases = [
      post({ query: 'mutation { __typename }' }),
      post({ query: '{ featureViews { name } }' }, { origin: 'http://example.com' }),
      post({ query: '{ featureViews { name } }' }, { accept: 'application/graphql-response+json' }),
      post('{"query": '),
    ];
    for (const init of cases) {
      const { compiled, plain } = await both('healthy', init);
      expect(compiled).toEqual(plain);
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
    const before = compiledRuns;
    const get = await fetch(`${base}?query=${encodeURIComponent('{ featureViews { name } }')}`);
    expect(((await get.json()) as { data: { featureViews: unknown[] } }).data.featureViews).toHaveLength(3);
    expect(compiledRuns).toBe(before + 1);
    expect((await fetch(base.replace('/graphql', '/health'))).status).toBe(200);
    expect((await fetch(base.replace('/graphql', '/ready'))).status).toBe(200);
  });
});
