import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScopeCache } from '../../src/auth/document-scopes.js';
import { openKeyLookup, type KeyLookup } from '../../src/auth/key-lookup.js';
import { createApiKey, revokeApiKey } from '../../src/auth/key-store.js';
import { pushTableName, resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { encodeEntityKey } from '../../src/definitions/values.js';
import { sqlRegistryInfo } from '../../src/graphql/registry-info.js';
import { pushRows } from '../../src/online/push.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { OnlineStore } from '../../src/online/store.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { useApiKeys } from '../../src/server/plugins/use-api-keys.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import definitions from '../auth/fixtures/keys-repository.js';

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

const REFRESH_MS = 300;

describe.each(sqlBackends)('API keys on $name', ({ open }) => {
  const project = uniqueProject('keys');
  const cache = createScopeCache(100);
  const secret: Record<'all' | 'driver' | 'driver2' | 'pricing' | 'credit' | 'pusher' | 'admin', string> = {
    all: '',
    driver: '',
    driver2: '',
    pricing: '',
    credit: '',
    pusher: '',
    admin: '',
  };
  let sql: SqlClient;
  let online: OnlineStore;
  let repo: ResolvedRepository;
  let keys: KeyLookup;
  let app: FeatureGraphApp;
  const t = new Date(Date.now() - 60_000).toISOString();

  const request = async (
    path: string,
    init: { key?: string; header?: 'authorization' | 'x-api-key'; body?: unknown; method?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
    if (init.key !== undefined)
      headers[init.header ?? 'authorization'] = (init.header ?? 'authorization') === 'authorization' ? `Bearer ${init.key}` : init.key;
    const res = await app.fetch(`http://test${path}`, {
      method: init.method ?? 'POST',
      headers,
      ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
    });
    const body = (await res.json()) as GqlBody & Record<string, unknown>;
    // Every error carries the request id the response header names (the pipeline's useRequestId); checked
    // here once, then dropped so the assertions below compare the rest exactly.
    for (const e of (body.errors ?? []) as { extensions?: Record<string, unknown> }[]) {
      if (e.extensions && 'requestId' in e.extensions) {
        expect(e.extensions.requestId).toBe(res.headers.get('x-request-id'));
        delete e.extensions.requestId;
      }
    }
    return { status: res.status, headers: res.headers, body };
  };
  const gql = (query: string, key?: string, variables?: unknown, header?: 'authorization' | 'x-api-key') =>
    request('/graphql', { ...(key !== undefined ? { key } : {}), ...(header ? { header } : {}), body: { query, variables } });

  const riskPushRows = async () =>
    Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${pushTableName(project, 'location_risk')}`)).rows[0]?.n);
  const scorePushRows = async () =>
    Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${pushTableName(project, 'credit_score')}`)).rows[0]?.n);
  /** The online store's value, read from the store itself rather than through the API under test. */
  const onlineRisk = async (customer: string) => {
    const view = repo.views.find((v) => v.name === 'location_risk')!;
    const [[record]] = (await online.read([{ view, keys: [encodeEntityKey([customer])], features: ['risk'] }])) as [
      [{ values: Record<string, unknown> } | null],
    ];
    return record?.values.risk ?? null;
  };

  beforeAll(async () => {
    sql = await open();
    await applyRepository(sql, definitions, { project, onlineTables: true });
    repo = resolveRepository(definitions, project);
    online = createSqlOnlineStore(sql, project);
    const deps = { offline: openOfflineStore(sql), online, project };
    const view = (n: string) => repo.views.find((v) => v.name === n)!;
    await pushRows(deps, view('driver_stats'), [{ driver_id: 1, event_timestamp: t, conv_rate: 0.5 }], 'ONLINE');
    await pushRows(deps, view('credit_score'), [{ customer_id: 'C1', event_timestamp: t, score: 700 }], 'ONLINE');
    await pushRows(deps, view('location_risk'), [{ customer_id: 'C1', event_timestamp: t, risk: 0.25 }], 'ONLINE');
    for (const [name, scopes] of Object.entries({
      all: ['read:*', 'push:*', 'admin'],
      driver: ['read:driver_stats'],
      driver2: ['read:driver_stats'],
      pricing: ['read:pricing'],
      credit: ['read:credit_score'],
      pusher: ['push:location_risk'],
      admin: ['admin'],
    }))
      secret[name as keyof typeof secret] = (await createApiKey(sql, project, { name, scopes, createdBy: 'test' })).secret;
    keys = await openKeyLookup({ sql, project, refreshMs: REFRESH_MS, missRefreshMs: 100 });
    app = createApp(
      { repo, online, offline: openOfflineStore(sql), registry: sqlRegistryInfo(sql, project), now: Date.now },
      { logging: false, plugins: [useApiKeys({ keys, repo, scopeCache: cache })] },
    );
  });
  afterAll(async () => {
    await keys?.close();
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  it('answers 401 in GraphQL-over-HTTP shape, with WWW-Authenticate, to no key, an unknown key or a malformed header', async () => {
    const none = await gql('{ driver(driverId: "1") { driverStats { convRate } } }');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="featuregraph"');
    expect(none.body).toEqual({
      errors: [{ message: expect.stringMatching(/an API key is required/), extensions: { code: 'UNAUTHENTICATED' } }],
    });

    const unknown = await gql('{ driver(driverId: "1") { driverStats { convRate } } }', 'fgk_not-a-key');
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('www-authenticate')).toBe('Bearer realm="featuregraph", error="invalid_token"');
    expect(unknown.body.errors?.[0]).toMatchObject({
      message: 'the API key is not valid (unknown or revoked)',
      extensions: { code: 'UNAUTHENTICATED' },
    });

    const basic = await request('/graphql', { headers: { authorization: `Basic ${secret.all}` }, body: { query: '{ __typename }' } });
    expect(basic.status).toBe(401);
    expect(basic.body.errors?.[0]?.message).toMatch(/must be "Bearer <API key>"/);

    const get = await app.fetch(`http://test/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(get.status).toBe(401);
    expect(get.headers.get('content-type')).toMatch(/application\/graphql-response\+json/);
    expect(((await get.json()) as GqlBody).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const push = await request('/push/location_risk', { body: [{ customer_id: 'C1', event_timestamp: t, risk: 0.9 }] });
    expect(push.status).toBe(401);
    expect(push.headers.get('www-authenticate')).toBe('Bearer realm="featuregraph"');
    expect(push.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await onlineRisk('C1')).toBe(0.25);

    expect((await app.fetch('http://test/health')).status).toBe(200);
    // The GraphiQL page itself is static and open; the queries it sends need a key.
    const page = await app.fetch('http://test/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('featuregraph');
  });

  it('takes the key from Authorization: Bearer or from x-api-key', async () => {
    const q = '{ driver(driverId: "1") { driverStats { convRate } } }';
    for (const header of ['authorization', 'x-api-key'] as const) {
      const res = await gql(q, secret.driver, undefined, header);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { driver: { driverStats: { convRate: 0.5 } } } });
    }
  });

  it('a field outside the key scopes is null with FORBIDDEN naming the view, and the rest resolves', async () => {
    const res = await gql(
      '{ driver(driverId: "1") { driverStats { convRate } } customer(customerId: "C1") { customerId creditScore { score } riskDoubled { doubled } } }',
      secret.driver,
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      driver: { driverStats: { convRate: 0.5 } },
      customer: { customerId: 'C1', creditScore: null, riskDoubled: null },
    });
    expect(res.body.errors).toEqual([
      {
        message: 'this API key may not read feature view credit_score: it needs the scope read:credit_score',
        locations: expect.any(Array),
        path: ['customer', 'creditScore'],
        extensions: { code: 'FORBIDDEN', view: 'credit_score', scope: 'read:credit_score' },
      },
      {
        message: 'this API key may not read on-demand view risk_doubled: it needs the scope read:risk_doubled',
        locations: expect.any(Array),
        path: ['customer', 'riskDoubled'],
        extensions: { code: 'FORBIDDEN', view: 'risk_doubled', scope: 'read:risk_doubled' },
      },
    ]);
    const all = await gql('{ customer(customerId: "C1") { creditScore { score } riskDoubled { doubled } } }', secret.all);
    expect(all.body).toEqual({ data: { customer: { creditScore: { score: 700 }, riskDoubled: { doubled: 0.5 } } } });
  });

  it('read of a service grants its features through the service root field only', async () => {
    const q =
      '{ pricing(customerId: "C1") { creditScore { score } locationRisk { risk } } customer(customerId: "C1") { creditScore { score } } }';
    const viaService = await gql(q, secret.pricing);
    expect(viaService.body.data).toEqual({
      pricing: { creditScore: { score: 700 }, locationRisk: { risk: 0.25 } },
      customer: { creditScore: null },
    });
    expect(viaService.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['customer', 'creditScore'], 'FORBIDDEN']]);

    // A view's own scope covers that view's part of a service, and nothing more of it.
    const viaView = await gql(q, secret.credit);
    expect(viaView.body.data).toEqual({
      pricing: { creditScore: { score: 700 }, locationRisk: null },
      customer: { creditScore: { score: 700 } },
    });
    expect(viaView.body.errors?.[0]).toMatchObject({
      path: ['pricing', 'locationRisk'],
      extensions: { code: 'FORBIDDEN', service: 'pricing', view: 'location_risk', scope: 'read:pricing' },
    });
  });

  it('registry metadata needs admin', async () => {
    const denied = await gql('{ featureViews { name } }', secret.driver);
    expect(denied.body.data).toBeNull();
    expect(denied.body.errors?.[0]).toMatchObject({ path: ['featureViews'], extensions: { code: 'FORBIDDEN', scope: 'admin' } });
    const allowed = await gql('{ featureViews { name } }', secret.admin);
    expect(allowed.body).toEqual({ data: { featureViews: expect.arrayContaining([{ name: 'driver_stats' }, { name: 'location_risk' }]) } });
  });

  it('an unknown /push view names only the views the key may push to', async () => {
    const row = [{ customer_id: 'C1', event_timestamp: new Date().toISOString(), risk: 0.9 }];
    const pusher = await request('/push/nope', { key: secret.pusher, body: row });
    expect(pusher.status).toBe(404);
    expect(pusher.body.views).toEqual(['location_risk']);
    const reader = await request('/push/nope', { key: secret.driver, body: row });
    expect(reader.status).toBe(404);
    expect(reader.body.views).toEqual([]);
  });

  it('a push without push scope is 403 on /push and FORBIDDEN as a mutation, and writes nothing', async () => {
    const before = { offline: await riskPushRows(), scores: await scorePushRows() };
    const rest = await request('/push/location_risk', {
      key: secret.driver,
      body: [{ customer_id: 'C1', event_timestamp: new Date().toISOString(), risk: 0.9 }],
    });
    expect(rest.status).toBe(403);
    expect(rest.body).toEqual({
      error: 'this API key may not push to feature view location_risk: it needs the scope push:location_risk',
      code: 'FORBIDDEN',
      view: 'location_risk',
      scope: 'push:location_risk',
    });

    const mutation = 'mutation($rows: [LocationRiskRowInput!]!) { pushLocationRisk(rows: $rows) { rows } }';
    const rows = [{ customerId: 'C1', eventTimestamp: new Date().toISOString(), risk: 0.9 }];
    const denied = await gql(mutation, secret.driver, { rows });
    expect(denied.body).toEqual({
      data: null,
      errors: [
        {
          message: 'this API key may not push to feature view location_risk: it needs the scope push:location_risk',
          path: ['pushLocationRisk'],
          extensions: { code: 'FORBIDDEN', view: 'location_risk', scope: 'push:location_risk' },
        },
      ],
    });

    // An allowed push next to a forbidden one: the mutation is refused whole, so neither writes.
    const mixed = await gql(
      `mutation($rows: [LocationRiskRowInput!]!, $scores: [CreditScoreRowInput!]!) {
         risk: pushLocationRisk(rows: $rows) { rows }
         score: pushCreditScore(rows: $scores) { rows } }`,
      secret.pusher,
      { rows, scores: [{ customerId: 'C1', eventTimestamp: new Date().toISOString(), score: 1 }] },
    );
    expect(mixed.body.data).toBeNull();
    expect(mixed.body.errors?.map((e) => [e.path, e.extensions?.scope])).toEqual([[['score'], 'push:credit_score']]);

    expect(await onlineRisk('C1')).toBe(0.25);
    expect({ offline: await riskPushRows(), scores: await scorePushRows() }).toEqual(before);

    const ok = await gql(mutation, secret.pusher, { rows });
    expect(ok.body).toEqual({ data: { pushLocationRisk: { rows: 1 } } });
    expect(await onlineRisk('C1')).toBe(0.9);
    const okRest = await request('/push/location_risk?to=ONLINE', {
      key: secret.pusher,
      body: [{ customer_id: 'C2', event_timestamp: t, risk: 0.1 }],
    });
    expect(okRest.status).toBe(200);
    expect(await onlineRisk('C2')).toBe(0.1);
    expect(await riskPushRows()).toBe(before.offline + 1);
  });

  it('works out forbidden fields once per document and scope set, not per request', async () => {
    const q = `{ driver(driverId: "1") { driverStats { convRate } } customer(customerId: "C1") { creditScore { score } } } # ${Math.random()}`;
    const start = cache.computations;
    const first = await gql(q, secret.driver);
    expect(cache.computations).toBe(start + 1);
    for (let i = 0; i < 5; i++) expect((await gql(q, secret.driver)).body).toEqual(first.body);
    expect(cache.computations).toBe(start + 1);
    // Another key with the same scopes shares the verdict; other scopes get their own.
    expect((await gql(q, secret.driver2)).body).toEqual(first.body);
    expect(cache.computations).toBe(start + 1);
    const wide = await gql(q, secret.all);
    expect(wide.body.errors).toBeUndefined();
    expect(cache.computations).toBe(start + 2);
    await gql(q, secret.all);
    expect(cache.computations).toBe(start + 2);
  });

  it(`a new key works at once; a revoked key is refused within the refresh interval (${REFRESH_MS} ms here)`, async () => {
    const { secret: temp } = await createApiKey(sql, project, { name: 'temp', scopes: ['read:driver_stats'] });
    const q = '{ driver(driverId: "1") { driverStats { convRate } } }';
    expect((await gql(q, temp)).status).toBe(200);
    await revokeApiKey(sql, project, 'temp');
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 5_000) {
      status = (await gql(q, temp)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(401);
    // The interval plus one re-read query, with slack for a loaded machine.
    expect(Date.now() - revokedAt).toBeLessThan(REFRESH_MS + 1_500);
    expect((await gql(q, secret.driver)).status).toBe(200);
  });
});
