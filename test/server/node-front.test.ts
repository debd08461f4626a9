import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plugin } from 'graphql-yoga';
import { createServerMonitoring } from '../../src/monitoring/index.js';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import { useApiKeys } from '../../src/server/plugins/use-api-keys.js';
import { getPrincipal, type Principal } from '../../src/server/principal.js';
import { ALLOWED_ORIGIN, openStores, type Stores } from './pipeline-fixture.js';

const KEYS: Record<string, Principal> = {
  'k-read': { name: 'reader', scopes: ['read:*'] },
  'k-none': { name: 'nobody', scopes: [] },
  'k-admin': { name: 'admin', scopes: ['admin', 'read:*'] },
  'k-burst': { name: 'burst', scopes: ['read:*'] },
};
const ONE = 'query One($id: ID!) { driver(driverId: $id) { driverStats { avgDailyTrips } } }';

interface Sent {
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body: string | Uint8Array<ArrayBuffer>;
}

const json = (body: unknown, key?: string, headers: Record<string, string> = {}): Sent => ({
  headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A response as the caller sees it, with the per-request id taken out (it differs on every request). */
const seen = async (res: Response) => {
  const id = res.headers.get('x-request-id');
  const text = await res.text();
  const headers = Object.fromEntries(
    ['content-type', 'www-authenticate', 'retry-after', 'access-control-allow-origin', 'access-control-allow-credentials', 'accept'].map(
      (h) => [h, res.headers.get(h)],
    ),
  );
  return { status: res.status, headers, hasRequestId: !!id, body: id ? text.split(id).join('<id>') : text };
};

/** A plugin whose hooks fail when asked to (header `x-boom`), with a message that must not reach the caller. */
const boom: Plugin = {
  onRequest({ request }) {
    if (request.headers.get('x-boom') === 'request') throw new Error('secret db host 10.0.0.5:5432 is down');
  },
  onResponse({ request }) {
    if (request.headers.get('x-boom') === 'response') throw new Error('secret db host 10.0.0.5:5432 is down');
  },
};

/** One raw HTTP request (fetch cannot set Host), its status and body. */
const raw = (url: string, headers: Record<string, string>, body: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const u = new URL(url);
    const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });

/**
 * The node front against Yoga's own listener: twin servers with the same policies (API keys with scopes, rate
 * limit, production mode, CORS, trusted documents off, monitoring off), the same requests, the same answers
 * byte for byte; and proof of which front answered each one.
 */
describe('node front', () => {
  let stores: Stores;
  let front: RunningServer;
  let yoga: RunningServer;

  const options = (): AppOptions => ({
    logging: false,
    production: true,
    corsOrigins: [ALLOWED_ORIGIN],
    // Only the `burst` key is limited, so the other tests are not.
    rateLimit: { perSecond: 0.01, burst: 2, identify: (r) => (getPrincipal(r)?.name === 'burst' ? 'burst' : undefined) },
    allowIntrospection: () => false,
    plugins: [useApiKeys({ keys: { find: (s) => KEYS[s] }, repo: stores.rt.repo }), boom],
  });

  beforeAll(async () => {
    stores = await openStores('none');
    front = await listen(createApp(stores.rt, options()), 0, '127.0.0.1', { nodeFront: true });
    yoga = await listen(createApp(stores.rt, options()), 0, '127.0.0.1', { nodeFront: false });
  });
  afterAll(async () => {
    await front?.close();
    await yoga?.close();
    await stores?.close();
  });

  /** Send to both; return both answers and whether the node front answered the first one itself. */
  const both = async (r: Sent) => {
    const send = (s: RunningServer) =>
      fetch(s.url.replace('/graphql', r.path ?? '/graphql'), { method: 'POST', headers: r.headers ?? {}, body: r.body });
    const taken = front.front.stats.taken;
    const a = await seen(await send(front));
    const tookIt = front.front.stats.taken > taken;
    const b = await seen(await send(yoga));
    return { a, b, tookIt };
  };

  it('is on in front of the app, and off for the twin', () => {
    expect(front.front.off).toBeNull();
    expect(yoga.front.off).not.toBeNull();
  });

  it.each([
    ['a read with a key', json({ query: ONE, variables: { id: '3' } }, 'k-read'), 200],
    [
      'Apollo Client shape',
      json({ operationName: 'One', query: ONE, variables: { id: '3' }, extensions: { x: 1 } }, 'k-read', {
        accept: 'application/graphql-response+json,application/json;q=0.9',
      }),
      200,
    ],
    ['no key', json({ query: ONE, variables: { id: '3' } }), 401],
    ['an unknown key', json({ query: ONE, variables: { id: '3' } }, 'k-nope'), 401],
    ['a key without the read scope (field FORBIDDEN)', json({ query: ONE, variables: { id: '3' } }, 'k-none'), 200],
    ['a browser with an allowed Origin', json({ query: ONE, variables: { id: '3' } }, 'k-read', { origin: ALLOWED_ORIGIN }), 200],
    ['introspection in production', json({ query: '{ __schema { queryType { name } } }' }, 'k-read'), 400],
    ['a validation error (no suggestions)', json({ query: '{ driver(driverId: "1") { driverStat { avgDailyTrips } } }' }, 'k-read'), 400],
    ['variables of the wrong type', json({ query: ONE, variables: { id: { no: 1 } } }, 'k-read'), 400],
    ['no query at all', json({ variables: {} }, 'k-read'), 400],
    ['an Accept the server cannot give', json({ query: ONE, variables: { id: '3' } }, 'k-read', { accept: 'application/xml' }), 406],
    [
      'content-type with a charset',
      json({ query: ONE, variables: { id: '3' } }, 'k-read', { 'content-type': 'application/json; charset=utf-8' }),
      200,
    ],
  ])('%s: the same answer from both fronts, answered by the node front', async (_, req, status) => {
    const { a, b, tookIt } = await both(req);
    expect(a).toEqual(b);
    expect(a.status).toBe(status);
    expect(tookIt).toBe(true);
  });

  it.each([
    ['a body that is not JSON', json('{"query": ', 'k-read'), 400],
    ['a JSON body that is not an object', json('"{ __typename }"', 'k-read'), 400],
    ['a batch (JSON array)', json([{ query: '{ __typename }' }], 'k-read'), 400],
    ['a stream asked for (SSE)', json({ query: '{ __typename }' }, 'k-read', { accept: 'text/event-stream' }), 200],
    ['a query string on the URL', { ...json({ query: '{ __typename }' }, 'k-read'), path: '/graphql?x=1' }, 200],
    [
      'a content type that is not JSON (415, explained)',
      { ...json({ query: '{ __typename }' }, 'k-read'), headers: { 'content-type': 'application/xml', authorization: 'Bearer k-read' } },
      415,
    ],
    [
      'a simple content type (CSRF)',
      { ...json({ query: '{ __typename }' }, 'k-read'), headers: { 'content-type': 'text/plain', authorization: 'Bearer k-read' } },
      403,
    ],
  ])('%s: handed to Yoga, with the same answer as Yoga alone', async (_, req, status) => {
    const { a, b, tookIt } = await both(req);
    expect(a).toEqual(b);
    expect(a.status).toBe(status);
    expect(tookIt).toBe(false);
  });

  it('explains a 415 and a 406 in an error body with the request id, as every other refusal', async () => {
    const ask = (headers: Record<string, string>) =>
      fetch(front.url, {
        method: 'POST',
        headers: { authorization: 'Bearer k-read', ...headers },
        body: JSON.stringify({ query: ONE, variables: { id: '3' } }),
      });
    const r415 = await ask({ 'content-type': 'application/xml' });
    const b415 = (await r415.json()) as { errors: { message: string; extensions: { code: string; requestId: string } }[] };
    expect(r415.status).toBe(415);
    expect(b415.errors[0]!.message).toBe('POST /graphql takes a JSON body (content-type: application/json), not "application/xml"');
    expect(b415.errors[0]!.extensions).toEqual({ code: 'BAD_REQUEST', requestId: r415.headers.get('x-request-id') });
    const r406 = await ask({ 'content-type': 'application/json', accept: 'application/xml' });
    const b406 = (await r406.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(r406.status).toBe(406);
    expect(r406.headers.get('accept')).toContain('application/json');
    expect(b406.errors[0]!.message).toMatch(/^the accept header "application\/xml" allows none of the response types: /);
    expect(b406.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('a body that is not UTF-8 is a 400 naming the first bad byte from both fronts (the node front hands it to Yoga), never read with U+FFFD', async () => {
    // "Cété" in Latin-1: read as UTF-8 with replacement, it would be the key "C\uFFFDt\uFFFD".
    const doc = JSON.stringify({ query: ONE, variables: { id: 'Cété' } });
    const at = Buffer.from(doc, 'latin1').indexOf(0xe9);
    const message = `the body is not valid UTF-8: invalid sequence at byte offset ${at} (0xE9); send it in UTF-8`;
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/graphql']) {
      const body = new Uint8Array(
        Buffer.from(type === 'application/graphql' ? `{ driver(driverId: "Cété") { driverId } }` : doc, 'latin1'),
      );
      const { a, b, tookIt } = await both({ headers: { 'content-type': type, authorization: 'Bearer k-read' }, body });
      expect(a).toEqual(b);
      expect(tookIt).toBe(false);
      expect(a.status, type).toBe(400);
      expect(JSON.parse(a.body), type).toEqual({
        errors: [
          {
            message: type === 'application/graphql' ? message.replace(`offset ${at}`, 'offset 21') : message,
            extensions: { code: 'BAD_USER_INPUT', requestId: '<id>' },
          },
        ],
      });
    }
    // The same request in UTF-8 is taken by the node front and answered.
    const { a, tookIt } = await both(json({ query: ONE, variables: { id: 'Cété' } }, 'k-read'));
    expect(tookIt).toBe(true);
    expect(a.body).not.toContain('not valid UTF-8');
  });

  it('an operationName the document does not define is named, with the operations the document has', async () => {
    const doc = `query One { __typename } query Two { __typename }`;
    const cases: [Record<string, unknown>, string][] = [
      [{ query: doc, operationName: 'Three' }, 'unknown operation "Three": the document\'s operations are "One", "Two"'],
      [{ query: doc }, 'the document has 2 operations ("One", "Two"): send operationName naming the one to execute'],
      [{ query: '{ __typename }', operationName: 'One' }, 'unknown operation "One": the document\'s operations are an anonymous one'],
    ];
    for (const [request, message] of cases) {
      const { a, b } = await both(json(request, 'k-read'));
      expect(a).toEqual(b);
      expect({ status: a.status, body: JSON.parse(a.body) }).toEqual({
        status: 400,
        body: { errors: [{ message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE', requestId: '<id>' } }] },
      });
    }
    const named = await both(json({ query: doc, operationName: 'Two' }, 'k-read'));
    expect(named.a.status).toBe(200);
  });

  it('a path that is not served (/Graphql, /catalog with the catalog off) is a 404 with an error body and the request id', async () => {
    for (const [method, path] of [
      ['POST', '/Graphql'],
      ['GET', '/catalog/'],
      ['GET', '/nothing/here'],
    ] as const) {
      const res = await fetch(front.url.replace('/graphql', path), {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({
        errors: [
          {
            message: `not found: ${path}; GraphQL is served at /graphql`,
            extensions: { code: 'NOT_FOUND', requestId: res.headers.get('x-request-id') },
          },
        ],
      });
    }
  });

  it('the rate limit counts requests the node front takes: 429 with Retry-After after the burst, as with Yoga', async () => {
    const req = json({ query: ONE, variables: { id: '3' } }, 'k-burst');
    const statuses: number[][] = [];
    for (let i = 0; i < 3; i++) {
      const { a, b, tookIt } = await both(req);
      expect(a).toEqual(b);
      expect(tookIt).toBe(true);
      statuses.push([a.status, Number(a.headers['retry-after'] ?? 0) > 0 ? 1 : 0]);
    }
    expect(statuses).toEqual([
      [200, 0],
      [200, 0],
      [429, 1],
    ]);
    // The refusal carries the request id in its body too, as every other error does.
    const { a } = await both(req);
    expect(JSON.parse(a.body)).toEqual({
      errors: [
        { message: 'rate limit of 0.01 requests per second exceeded for burst', extensions: { code: 'RATE_LIMITED', requestId: '<id>' } },
      ],
    });
  });

  it.each(['request', 'response'])(
    'a plugin whose on%s hook throws: a masked 500 from both fronts, nothing of the error in it',
    async (where) => {
      const { a, b } = await both(json({ query: ONE, variables: { id: '3' } }, 'k-read', { 'x-boom': where }));
      expect(a).toEqual(b);
      expect(a.status).toBe(500);
      expect(a.body).toContain('Unexpected error.');
      expect(a.body).not.toMatch(/secret|10\.0\.0\.5|at |node_modules/);
      expect(a.hasRequestId).toBe(true);
    },
  );

  it('a Host that is not a host name is refused with 400 by both, before any policy or route sees its path', async () => {
    for (const host of ['h/x?', 'h/push/driver_stats?', 'a b', 'h#x', 'user@h']) {
      const body = JSON.stringify({ driver_id: 1001 });
      const headers = { host, 'content-type': 'application/json', authorization: 'Bearer k-read' };
      // Each refusal has its own request id; apart from it, both answer the same.
      const withoutId = (r: { status: number; body: string }) => {
        const { requestId, ...rest } = JSON.parse(r.body) as { requestId?: string };
        expect(requestId).toMatch(/^[\w-]{8,}$/);
        return { status: r.status, body: rest };
      };
      const [a, b] = [withoutId(await raw(front.url, headers, body)), withoutId(await raw(yoga.url, headers, body))];
      expect({ host, a, b }).toEqual({ host, a: { status: 400, body: a.body }, b: a });
      expect(JSON.stringify(a.body)).not.toMatch(/at |node_modules|TypeError/);
    }
    const ok = await raw(
      front.url,
      { host: 'localhost:1234', 'content-type': 'application/json', authorization: 'Bearer k-read' },
      JSON.stringify({ query: '{ __typename }' }),
    );
    expect(ok.status).toBe(200);
  });

  it('stays on with metrics on and with a plugin that has methods of its own (not hooks), as the served-feature log has', async () => {
    const monitoring = createServerMonitoring(stores.rt, { logger: false });
    const own = { onRequest: () => undefined, flush: async () => undefined, close: async () => undefined } as unknown as Plugin;
    const s = await listen(createApp(stores.rt, { ...options(), plugins: [...options().plugins!, own], monitoring }), 0, '127.0.0.1');
    try {
      expect(s.front.off).toBeNull();
      const res = await fetch(s.url, { method: 'POST', ...json({ query: ONE, variables: { id: '3' } }, 'k-read') });
      expect(res.status).toBe(200);
      expect(s.front.stats.taken).toBe(1);
      const metrics = await (await fetch(s.url.replace('/graphql', '/metrics'))).text();
      expect(metrics).toMatch(/featuregraph_requests_total\{operation="One",outcome="ok"\} 1/);
    } finally {
      await s.close();
      await monitoring.close();
    }
  });

  it('a plugin with a hook the front does not drive turns it off: every request then goes to Yoga', async () => {
    const odd = { onSomethingNew: () => undefined } as unknown as Plugin;
    const s = await listen(createApp(stores.rt, { ...options(), plugins: [...options().plugins!, odd] }), 0, '127.0.0.1');
    try {
      expect(s.front.off).toMatch(/hook onSomethingNew/);
      const res = await fetch(s.url, { method: 'POST', ...json({ query: ONE, variables: { id: '3' } }, 'k-read') });
      expect(res.status).toBe(200);
      expect(s.front.stats.taken).toBe(0);
    } finally {
      await s.close();
    }
  });
});
