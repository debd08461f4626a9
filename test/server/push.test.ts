import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import {
  Float64,
  Int64,
  Json,
  List,
  Int32,
  String as Str,
  entity,
  featureView,
  pushSource,
  repository,
} from '../../src/definitions/index.js';
import { pushTableName, resolveRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { validatePushRows } from '../../src/online/push.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';

const definitions = (project: string) => {
  const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
  const risk = featureView({
    name: 'location_risk',
    entities: [customer],
    features: { risk: Float64, big: Int64, tags: List(Int32), extra: Json },
    source: pushSource({ name: 'risk_push' }),
    ttl: '1h',
  });
  return repository({ project, featureViews: [risk] });
};

describe.each(sqlBackends)('push on $name', ({ open }) => {
  const project = uniqueProject('push');
  let sql: SqlClient;
  let app: FeatureGraphApp;
  const t = new Date(Date.now() - 60_000).toISOString();

  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const res = await app.fetch(`http://test${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const gql = (query: string, variables?: unknown) => post('/graphql', JSON.stringify({ query, variables }));
  const offlineCount = async () =>
    Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${pushTableName(project, 'location_risk')}`)).rows[0]?.n);
  const riskOf = async (id: string) =>
    (
      (await gql(`{ customer(customerId: "${id}") { locationRisk { risk big tags extra } } }`)).body.data as {
        customer: { locationRisk: unknown };
      }
    ).customer.locationRisk;

  beforeAll(async () => {
    sql = await open();
    const defs = definitions(project);
    await applyRepository(sql, defs, { project, onlineTables: true });
    const repo = resolveRepository(defs, project);
    app = createApp(
      { repo, online: createSqlOnlineStore(sql, project), offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now },
      { logging: false, maxPushBytes: 4096 },
    );
  });
  afterAll(async () => {
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
  });

  it('a GraphQL push is readable by the next query, with exact types, and lands offline', async () => {
    const res = await gql(
      `mutation($rows: [LocationRiskRowInput!]!) { pushLocationRisk(rows: $rows) { rows onlineWritten offlineWritten target } }`,
      { rows: [{ customerId: 'C1', eventTimestamp: t, risk: 0.25, big: '9007199254740993', tags: [1, null, 3], extra: { a: [1] } }] },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ pushLocationRisk: { rows: 1, onlineWritten: 1, offlineWritten: 1, target: 'ONLINE_AND_OFFLINE' } });
    expect(await riskOf('C1')).toEqual({ risk: 0.25, big: '9007199254740993', tags: [1, null, 3], extra: { a: [1] } });
    expect(await offlineCount()).toBe(1);
  });

  it('POST /push/<view> takes a JSON array and NDJSON', async () => {
    const arr = await post('/push/location_risk?to=ONLINE', JSON.stringify([{ customer_id: 'C2', event_timestamp: t, risk: 0.5 }]));
    expect(arr).toEqual({ status: 200, body: expect.objectContaining({ rows: 1, onlineWritten: 1, offlineWritten: 0 }) });
    const nd = `{"customer_id":"C3","event_timestamp":"${t}","risk":0.75}\n{"customer_id":"C4","event_timestamp":"${t}","risk":1}\n`;
    const res = await post('/push/location_risk', nd, { 'content-type': 'application/x-ndjson' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ rows: 2, onlineWritten: 2, offlineWritten: 2 });
    expect(await riskOf('C4')).toMatchObject({ risk: 1 });
  });

  it('rejects a whole batch with one bad row, naming row and field, writing nothing', async () => {
    const before = await offlineCount();
    const rows = [
      { customer_id: 'C9', event_timestamp: t, risk: 0.1 },
      { customer_id: 'C9', event_timestamp: t, risk: 'high' },
    ];
    const res = await post('/push/location_risk', JSON.stringify(rows));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/row 1, field "risk": expected Float64, got "high"/);
    expect(await offlineCount()).toBe(before);
    expect(await riskOf('C9')).toBeNull();
    const g = await gql(`mutation($rows: [LocationRiskRowInput!]!) { pushLocationRisk(rows: $rows) { rows } }`, {
      rows: [
        { customerId: 'C9', eventTimestamp: t },
        { customerId: 'C9', eventTimestamp: t, tags: [3000000000] },
      ],
    });
    expect((g.body.errors as { message: string }[])[0]?.message).toMatch(/rows\[1\]\.tags\[0\]/);
    expect(await riskOf('C9')).toBeNull();
  });

  it('refuses a time from the future and an empty String key, writing nothing, but takes a clock a little ahead', async () => {
    const before = await offlineCount();
    const ahead = (ms: number) => new Date(Date.now() + ms).toISOString();
    const future = await post(
      '/push/location_risk',
      JSON.stringify([{ customer_id: 'C20', event_timestamp: '2099-01-01T00:00:00Z', risk: 0.9 }]),
    );
    expect(future.status).toBe(400);
    expect(future.body.error).toMatch(
      /row 0, field "event_timestamp": 2099-01-01T00:00:00.000Z is more than 5 minutes after the server's time/,
    );
    const created = await post(
      '/push/location_risk',
      JSON.stringify([{ customer_id: 'C20', event_timestamp: t, created_timestamp: ahead(3_600_000), risk: 0.9 }]),
    );
    expect(created.status).toBe(400);
    expect(created.body.error).toMatch(/field "created_timestamp": .* is more than 5 minutes after the server's time/);
    for (const id of ['', '   ']) {
      const res = await post('/push/location_risk', JSON.stringify([{ customer_id: id, event_timestamp: t, risk: 0.9 }]));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/field "customer_id": is (empty|only spaces): a join key needs a value/);
    }
    const g = await gql(`mutation($rows: [LocationRiskRowInput!]!) { pushLocationRisk(rows: $rows) { rows } }`, {
      rows: [{ customerId: 'C20', eventTimestamp: ahead(86_400_000), risk: 0.9 }],
    });
    expect((g.body.errors as { message: string; extensions: { code: string } }[])[0]).toMatchObject({
      message: expect.stringMatching(/more than 5 minutes after the server's time/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await offlineCount()).toBe(before);
    expect(await riskOf('C20')).toBeNull();
    // A writer whose clock runs a minute ahead is not refused, and its row serves.
    const skew = await post('/push/location_risk', JSON.stringify([{ customer_id: 'C21', event_timestamp: ahead(60_000), risk: 0.3 }]));
    expect(skew.status).toBe(200);
    expect(await riskOf('C21')).toMatchObject({ risk: 0.3 });
  });

  it('a join key over 1,024 bytes is bad input, named, writing nothing; one of 1,024 bytes is stored', async () => {
    const before = await offlineCount();
    const long = 'é'.repeat(600); // 1,200 bytes in UTF-8
    const rest = await post('/push/location_risk', JSON.stringify([{ customer_id: long, event_timestamp: t, risk: 0.5 }]));
    expect(rest.status).toBe(400);
    expect(rest.body.error).toMatch(/row 0, field "customer_id": is 1200 bytes long; a join key may be at most 1024 bytes/);
    const g = await gql(`mutation($rows: [LocationRiskRowInput!]!) { pushLocationRisk(rows: $rows, to: ONLINE_AND_OFFLINE) { rows } }`, {
      rows: [{ customerId: 'x'.repeat(900_000), eventTimestamp: t, risk: 0.5 }],
    });
    expect((g.body.errors as { message: string; extensions: { code: string } }[])[0]).toMatchObject({
      message: expect.stringMatching(/is 900000 bytes long; a join key may be at most 1024 bytes/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(await offlineCount()).toBe(before);
    const fits = 'é'.repeat(512);
    const ok = await post('/push/location_risk', JSON.stringify([{ customer_id: fits, event_timestamp: t, risk: 0.5 }]));
    expect(ok.status).toBe(200);
    expect(await offlineCount()).toBe(before + 1);
  });

  it('the 1,024-byte bound is on the whole key: two parts of 600 bytes are refused together', () => {
    const a = entity({ name: 'a', joinKey: 'a_id', valueType: Str });
    const b = entity({ name: 'b', joinKey: 'b_id', valueType: Str });
    const pair = featureView({
      name: 'pair',
      entities: [a, b],
      features: { x: Float64 },
      source: pushSource({ name: 'pair_push' }),
      ttl: 0,
    });
    const view = resolveRepository(repository({ project: 'pairs', featureViews: [pair] }), 'pairs').views[0]!;
    const row = (n: number) => ({ a_id: 'x'.repeat(n), b_id: 'y'.repeat(n), event_timestamp: t, x: 1 });
    expect(validatePushRows(view, [row(500)])).toHaveLength(1);
    expect(() => validatePushRows(view, [row(600)])).toThrow(
      /field "\(key\)": the join key parts are \d+ bytes long; a join key may be at most 1024 bytes/,
    );
  });

  it('a key with the NUL character is the caller’s error on reads too, not the offline store’s', async () => {
    for (const asOf of ['', ', asOf: "2026-01-01T00:00:00Z"']) {
      const res = await gql(`{ customer(customerId: "C1\\u0000"${asOf}) { locationRisk { risk } } }`);
      expect((res.body.errors as { message: string; extensions: { code: string } }[])[0]).toMatchObject({
        message: expect.stringMatching(/customerId: a key may not contain the NUL character/),
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  });

  it('a key with an unpaired surrogate is refused on reads as on pushes: no stored key can hold it', async () => {
    const read = await gql('query($id: ID!) { customer(customerId: $id) { locationRisk { risk } } }', { id: 'C1\uD800' });
    expect((read.body.errors as { message: string; extensions: { code: string } }[])[0]).toMatchObject({
      message: expect.stringMatching(/customerId: a key may not contain an unpaired UTF-16 surrogate/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const push = await post('/push/location_risk', JSON.stringify([{ customer_id: 'C1\uD800', event_timestamp: t, risk: 0.5 }]));
    expect(push.status).toBe(400);
    expect(push.body.error).toMatch(/unpaired UTF-16 surrogate/);
  });

  it('answers 404 with the known views, and 413 for an oversized body', async () => {
    const res = await app.fetch('http://test/push/nope', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    // The body carries the request id of the x-request-id header, as every other error does.
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 404,
      body: {
        error: 'unknown feature view "nope"',
        code: 'NOT_FOUND',
        views: ['location_risk'],
        requestId: res.headers.get('x-request-id'),
      },
    });
    const big = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ customer_id: `C${i}`, event_timestamp: t, risk: 0.5 })));
    expect((await post('/push/location_risk', big)).status).toBe(413);
  });

  /** A push of raw bytes, its status, body and request id header. */
  const pushBytes = async (body: Uint8Array | string, type: string | null, headers: Record<string, string> = {}) => {
    const res = await app.fetch('http://test/push/location_risk?to=ONLINE_AND_OFFLINE', {
      method: 'POST',
      headers: { ...(type === null ? {} : { 'content-type': type }), ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, requestId: res.headers.get('x-request-id') };
  };
  const latin1 = (text: string) => Buffer.from(text, 'latin1');

  it('a body that is not UTF-8 is a 400 naming the first bad byte, never a key with U+FFFD in it; nothing is written', async () => {
    const before = await offlineCount();
    const row = (id: string) => `[{"customer_id":"${id}","event_timestamp":"${t}","risk":0.5}]`;
    // "Cété" and "Cütü" in Latin-1: decoded as UTF-8 with replacement, both would be "C\uFFFDt\uFFFD".
    for (const [body, type] of [
      [latin1(row('Cété')), 'application/json'],
      [latin1(row('Cütü')), 'application/json; charset=utf-8'],
      [latin1(`${row('Cété').slice(1, -1)}\n`), 'application/x-ndjson'],
    ] as const) {
      const res = await pushBytes(body, type);
      const at = body.findIndex((b) => b > 0x7f);
      expect(res).toEqual({
        status: 400,
        body: {
          error: `the body is not valid UTF-8: invalid sequence at byte offset ${at} (0x${body[at]!.toString(16).toUpperCase()}); send it in UTF-8`,
          code: 'BAD_USER_INPUT',
          requestId: res.requestId,
        },
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
    expect(await offlineCount()).toBe(before);
    expect(await riskOf('C\uFFFDt\uFFFD')).toBeNull();
    // The same key in UTF-8 is its own key.
    expect((await pushBytes(Buffer.from(row('Cété'), 'utf8'), 'application/json')).status).toBe(200);
    expect(await riskOf('Cété')).toMatchObject({ risk: 0.5 });
    expect(await riskOf('Cütü')).toBeNull();
  });

  it('a push declared in another charset or content type is a 415 naming it, not read as JSON', async () => {
    const before = await offlineCount();
    const body = JSON.stringify([{ customer_id: 'C415', event_timestamp: t, risk: 0.5 }]);
    const refused = async (b: Uint8Array | string, type: string | null, headers: Record<string, string> = {}) => {
      const res = await pushBytes(b, type, headers);
      expect(res.status, String(type)).toBe(415);
      expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', requestId: res.requestId });
      return res.body.error;
    };
    expect(await refused(latin1(body), 'application/json; charset=iso-8859-1')).toBe(
      'the body must be JSON in UTF-8; charset iso-8859-1 is not read',
    );
    expect(await refused(body, 'application/x-ndjson; charset=utf-16')).toBe(
      'the body must be NDJSON in UTF-8; charset utf-16 is not read',
    );
    expect(await refused(body, 'image/png')).toBe(
      'POST /push/<view> takes JSON (content-type: application/json) or NDJSON (application/x-ndjson), not "image/png"',
    );
    // Past the CSRF check (its header), a simple or missing content type is still not a push body.
    expect(await refused(body, 'text/plain', { 'x-featuregraph-csrf': '1' })).toMatch(/takes JSON .*not "text\/plain"$/);
    expect(await refused(Buffer.from(body), null, { 'x-featuregraph-csrf': '1' })).toMatch(/takes JSON .*\(application\/x-ndjson\)$/);
    expect(await offlineCount()).toBe(before);
    // Every accepted spelling: any case, a UTF-8 charset, application/ndjson.
    expect((await pushBytes(body, 'APPLICATION/JSON; charset="UTF-8"')).status).toBe(200);
    expect((await pushBytes(`${body.slice(1, -1)}\n`, 'application/ndjson')).status).toBe(200);
  });

  it("a body that is not JSON is told where it breaks, without the parser's message or any of the body", async () => {
    const array = await pushBytes('[\n  {"customer_id": SECRET-VALUE}\n]', 'application/json');
    expect(array.body).toEqual({
      error: 'body is not valid JSON (at line 2, column 19)',
      code: 'BAD_USER_INPUT',
      requestId: array.requestId,
    });
    const cut = await pushBytes('[{"customer_id": "C1"', 'application/json');
    expect(cut.body.error).toBe('body is not valid JSON (it ends before the JSON value does)');
    const nd = await pushBytes(`{"customer_id":"C1","event_timestamp":"${t}"}\n{"customer_id": SECRET}\n`, 'application/x-ndjson');
    expect(nd.body).toEqual({ error: 'line 2 is not valid JSON (at column 17)', code: 'BAD_USER_INPUT', line: 2, requestId: nd.requestId });
    expect(JSON.stringify([array.body, cut.body, nd.body])).not.toMatch(/SECRET|Expected|Unexpected|C1/);
  });

  it("another method is a 405 naming POST (with Allow), not a CSRF refusal; a rate-limited push keeps /push's shape", async () => {
    for (const method of ['DELETE', 'PUT', 'GET']) {
      const res = await app.fetch('http://test/push/location_risk', { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect(await res.json()).toEqual({
        error: `${method} is not allowed on /push/<view>: use POST`,
        code: 'METHOD_NOT_ALLOWED',
        requestId: res.headers.get('x-request-id'),
      });
    }
    // A cross-site form POST is still refused, in /push's shape.
    const form = await app.fetch('http://test/push/location_risk', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '[]',
    });
    expect(form.status).toBe(403);
    expect(await form.json()).toMatchObject({ code: 'CSRF_REFUSED', requestId: form.headers.get('x-request-id') });
    const limited = createApp(
      {
        repo: resolveRepository(definitions(project), project),
        online: createSqlOnlineStore(sql, project),
        offline: openOfflineStore(sql),
        registry: unappliedRegistry,
        now: Date.now,
      },
      { logging: false, rateLimit: { perSecond: 0.01, burst: 1, identify: () => 'pusher' } },
    );
    const send = () =>
      limited.fetch('http://test/push/location_risk', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ customer_id: 'C429', event_timestamp: t, risk: 0.5 }]),
      });
    expect((await send()).status).toBe(200);
    const res = await send();
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toEqual({
      error: 'rate limit of 0.01 requests per second exceeded for pusher',
      code: 'RATE_LIMITED',
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('never lets an older push overwrite a newer value', async () => {
    const newer = new Date(Date.now() - 1000).toISOString();
    await post('/push/location_risk?to=ONLINE', JSON.stringify([{ customer_id: 'C5', event_timestamp: newer, risk: 0.9 }]));
    const old = await post('/push/location_risk?to=ONLINE', JSON.stringify([{ customer_id: 'C5', event_timestamp: t, risk: 0.1 }]));
    expect(old.body).toMatchObject({ onlineWritten: 0 });
    expect(await riskOf('C5')).toMatchObject({ risk: 0.9 });
  });
});
