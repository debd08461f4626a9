import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type AppOptions } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import { trustedDocuments } from '../../src/server/trusted-documents.js';
import {
  ALLOWED_ORIGIN,
  SHAPES,
  apolloHash,
  openStores,
  sha256,
  type Doc,
  type Outcome,
  type Shape,
  type Stores,
} from './pipeline-fixture.js';

// Documents of the matrix. All of them are in the manifest, so persisted shapes can send every one.
const ONE: Doc = {
  query: 'query One($id: ID!) { driver(driverId: $id) { driverStats { avgDailyTrips } } }',
  operationName: 'One',
  variables: { id: '3' },
};
const MANY = (n: number): Doc => ({
  query: 'query Many($ids: [ID!]!) { drivers(driverIds: $ids) { driverId } }',
  operationName: 'Many',
  variables: { ids: Array.from({ length: n }, (_, i) => String((i % 20) + 1)) },
});
const ALIASES: Doc = {
  query: `query Aliases { ${Array.from({ length: 40 }, (_, i) => `a${i}: driver(driverId: "1") { driverId }`).join(' ')} }`,
  operationName: 'Aliases',
};
// The small schema is three levels deep at most; the 'shallow' server allows two, and 500 tokens (so the
// documents over it still fit in a GET URL).
const DEEP: Doc = { query: 'query Deep { featureViews { source { name } } }', operationName: 'Deep' };
const DIRECTIVES: Doc = {
  query: `query Directives { driver(driverId: "1") { driverId ${'@include(if: true) '.repeat(60)} } }`,
  operationName: 'Directives',
};
const TOKENS: Doc = { query: `query Tokens { driver(driverId: "1") { ${'driverId '.repeat(600)} } }`, operationName: 'Tokens' };
const SLOW: Doc = { query: 'query Slow { driver(driverId: "13") { driverStats { avgDailyTrips } } }', operationName: 'Slow' };
const BROKEN: Doc = { query: 'query Broken { registryHistory { version } }', operationName: 'Broken' };
const INTROSPECT: Doc = { query: 'query Introspect { __schema { queryType { name } } }', operationName: 'Introspect' };
const TYPO: Doc = { query: 'query Typo { driver(driverId: "1") { driverStat { avgDailyTrips } } }', operationName: 'Typo' };
const DOCS = [ONE, MANY(1), ALIASES, DEEP, DIRECTIVES, TOKENS, SLOW, BROKEN, INTROSPECT, TYPO];
// A document that is not in the manifest: only the non-persisted shapes can send it at all.
const ADHOC: Doc = { query: 'query Adhoc { driver(driverId: "2") { driverId } }', operationName: 'Adhoc' };

const manifest = Object.fromEntries(DOCS.map((d) => [sha256(d.query), d.query]));

interface Server {
  running: RunningServer;
  runs: number;
}

/** Which front answered a request: the node front (node-front.ts) or Yoga's own listener. */
type Front = 'node' | 'yoga';

/**
 * Every request shape a client sends × every policy: each policy gives the same outcome whatever the shape,
 * and every executed query ran in the one pipeline's compiled executor (its counter moves by exactly one).
 * Run twice: with the node front (JSON POSTs answered by it, the other shapes by Yoga, so every comparison
 * across shapes also compares the two fronts) and with Yoga's listener alone.
 */
describe.each([
  ['node front', true],
  ['Yoga only', false],
])('request shape × policy matrix (%s)', (_, nodeFront) => {
  let stores: Stores;
  const servers = new Map<string, Server>();

  const start = async (name: string, opts: AppOptions) => {
    const s: Server = { running: undefined as unknown as RunningServer, runs: 0 };
    const app = createApp(stores.rt, { logging: false, ...opts, onCompiledExecution: () => s.runs++ });
    s.running = await listen(app, 0, '127.0.0.1', { nodeFront });
    expect(s.running.front.off === null).toBe(nodeFront);
    servers.set(name, s);
  };

  const send = async (server: string, shape: Shape, doc: Doc, edit?: (init: RequestInit) => RequestInit) => {
    const s = servers.get(server)!;
    const { url, init } = shape.init(doc, s.running.url);
    const before = s.runs;
    const taken = s.running.front.stats.taken;
    const res = await fetch(url, edit ? edit(init) : init);
    const text = await res.text();
    let body: { data?: unknown; errors?: { extensions?: { code?: string; requestId?: string } }[] } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      // Not JSON (e.g. a body-limit refusal before parsing): compared by status.
    }
    const outcome: Outcome = {
      status: res.status,
      code: body.errors?.[0]?.extensions?.code,
      data: body.data,
      compiledRuns: s.runs - before,
      front: (s.running.front.stats.taken > taken ? 'node' : 'yoga') as Front,
    };
    return { outcome, res, text, body };
  };

  /** The outcome of `doc` for every shape (those `only` keeps), keyed by shape name. */
  const matrix = async (server: string, doc: Doc, only: (s: Shape) => boolean = () => true, edit?: (init: RequestInit) => RequestInit) => {
    const out: Record<string, Outcome> = {};
    for (const shape of SHAPES.filter(only)) out[shape.name] = (await send(server, shape, doc, edit)).outcome;
    return out;
  };
  const allEqual = (m: Record<string, Outcome>, expected: Partial<Outcome>) => {
    for (const [name, o] of Object.entries(m)) expect({ name, ...o }).toEqual({ name, ...o, ...expected });
  };

  beforeAll(async () => {
    stores = await openStores('13');
    console.log(`pipeline matrix on ${stores.description}`);
    const documents = trustedDocuments(manifest);
    const base: AppOptions = { corsOrigins: [ALLOWED_ORIGIN], limits: { timeoutMs: 200, maxKeys: 1000, maxBodyBytes: 64 * 1024 } };
    await start('open', { ...base, trustedDocuments: { documents, only: false } });
    await start('production', { ...base, production: true, trustedDocuments: { documents, only: false } });
    await start('shallow', {
      ...base,
      limits: { ...base.limits, maxDepth: 2, maxTokens: 500 },
      trustedDocuments: { documents, only: false },
    });
    await start('trusted', { ...base, production: true, trustedDocuments: { documents, only: true } });
  });
  afterAll(async () => {
    for (const s of servers.values()) await s.running.close();
    await stores?.close();
  });

  it('every shape reads the same data through the compiled executor', async () => {
    const m = await matrix('open', ONE);
    allEqual(m, { status: 200, code: undefined, data: { driver: { driverStats: { avgDailyTrips: 30 } } }, compiledRuns: 1 });
  });

  it(`${nodeFront ? 'the node front answers every JSON POST, Yoga the GETs' : "Yoga's listener answers every shape"}`, async () => {
    const fronts = Object.fromEntries(Object.entries(await matrix('production', ONE)).map(([name, o]) => [name, o.front]));
    const expected = Object.fromEntries(SHAPES.map((sh) => [sh.name, nodeFront && sh.name.startsWith('POST') ? 'node' : 'yoga']));
    expect(fronts).toEqual(expected);
    expect(Object.values(fronts)).toContain(nodeFront ? 'node' : 'yoga');
  });

  it.each([
    ['aliases', ALIASES, 'open'],
    ['depth', DEEP, 'shallow'],
    ['directives', DIRECTIVES, 'open'],
    ['tokens', TOKENS, 'shallow'],
  ])('the %s limit refuses with 400 BAD_USER_INPUT for every shape, before execution', async (_, doc, server) => {
    allEqual(await matrix(server, doc), { status: 400, code: 'BAD_USER_INPUT', data: undefined, compiledRuns: 0 });
  });

  it('the key cap counts list arguments: 1,000 keys run, 1,001 are refused for every shape', async () => {
    const m = await matrix('open', MANY(1000));
    for (const o of Object.values(m)) o.data = (o.data as { drivers: unknown[] } | undefined)?.drivers.length;
    allEqual(m, { status: 200, code: undefined, data: 1000, compiledRuns: 1 });
    allEqual(await matrix('open', MANY(1001)), { status: 400, code: 'BAD_USER_INPUT', data: undefined, compiledRuns: 0 });
  });

  it('the body limit refuses an oversized body with 413 for every shape that has a body', async () => {
    const padded = (init: RequestInit): RequestInit => {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      return { ...init, body: JSON.stringify({ ...body, extensions: { ...(body.extensions as object), pad: 'x'.repeat(70 * 1024) } }) };
    };
    allEqual(await matrix('open', ONE, (s) => s.body, padded), { status: 413, data: undefined, compiledRuns: 0 });
  });

  it('the time limit answers 504 TIMEOUT for every shape', async () => {
    allEqual(await matrix('open', SLOW), { status: 504, code: 'TIMEOUT', data: undefined, compiledRuns: 1 });
  });

  it('CORS: an allowed Origin gets its origin back with credentials, another origin gets no CORS headers, for every shape', async () => {
    for (const shape of SHAPES) {
      const withOrigin = (origin: string) => (init: RequestInit) => ({
        ...init,
        headers: { ...(init.headers as Record<string, string>), origin },
      });
      const ok = await send('open', shape, ONE, withOrigin(ALLOWED_ORIGIN));
      expect([
        shape.name,
        ok.res.headers.get('access-control-allow-origin'),
        ok.res.headers.get('access-control-allow-credentials'),
        ok.res.headers.get('vary')?.split(/,\s*/).includes('Origin'),
      ]).toEqual([shape.name, ALLOWED_ORIGIN, 'true', true]);
      const evil = await send('open', shape, ONE, withOrigin('https://evil.example'));
      expect([
        shape.name,
        evil.res.headers.get('access-control-allow-origin'),
        evil.res.headers.get('access-control-allow-credentials'),
        // The answer depends on the Origin: a shared cache must not reuse it for another origin.
        evil.res.headers.get('vary')?.split(/,\s*/).includes('Origin'),
      ]).toEqual([shape.name, null, null, true]);
    }
  });

  it('CSRF: every shape re-sent as a simple (form or text/plain) request is refused with 403 before anything runs', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const simple = (init: RequestInit) => ({ ...init, headers: { ...(init.headers as Record<string, string>), 'content-type': type } });
      allEqual(await matrix('open', ONE, (s) => s.body, simple), { status: 403, code: 'CSRF_REFUSED', data: undefined, compiledRuns: 0 });
    }
  });

  it('production masks unexpected errors for every shape: no driver text, and a request id in the body and the header', async () => {
    for (const shape of SHAPES) {
      const { outcome, res, text, body } = await send('production', shape, BROKEN);
      expect({ shape: shape.name, code: outcome.code }).toEqual({ shape: shape.name, code: 'INTERNAL_SERVER_ERROR' });
      expect(text).not.toMatch(/fg_history|pglite|postgres:|stack|originalError|\.ts:/);
      expect(body.errors?.[0]?.extensions?.requestId).toBe(res.headers.get('x-request-id'));
    }
  });

  it('production refuses introspection and gives no suggestions, for every shape', async () => {
    allEqual(await matrix('production', INTROSPECT), { status: 400, code: 'GRAPHQL_VALIDATION_FAILED', data: undefined, compiledRuns: 0 });
    for (const shape of SHAPES) {
      const { text } = await send('production', shape, TYPO);
      expect(text).not.toContain('Did you mean');
    }
    // Not in production: introspection works (the same shapes).
    allEqual(await matrix('open', INTROSPECT), {
      status: 200,
      code: undefined,
      data: { __schema: { queryType: { name: 'Query' } } },
      compiledRuns: 1,
    });
  });

  it('trusted documents: every shape runs a trusted document; an arbitrary one is refused before it runs', async () => {
    allEqual(await matrix('trusted', ONE), {
      status: 200,
      code: undefined,
      data: { driver: { driverStats: { avgDailyTrips: 30 } } },
      compiledRuns: 1,
    });
    const byText = await matrix('trusted', ADHOC, (s) => !s.name.includes('persist') && !s.name.includes('documentId'));
    allEqual(byText, { status: 403, code: 'PERSISTED_QUERY_ONLY', data: undefined, compiledRuns: 0 });
    const byId = await matrix('trusted', ADHOC, (s) => s.name.includes('persist') || s.name.includes('documentId'));
    allEqual(byId, { status: 404, code: 'PERSISTED_QUERY_NOT_FOUND', data: undefined, compiledRuns: 0 });
    // Without trusted-only mode the same document runs for every shape that can send its text.
    allEqual(await matrix('open', ADHOC, (s) => !s.name.includes('persist') && !s.name.includes('documentId')), {
      status: 200,
      compiledRuns: 1,
    });
  });

  it('a document sent with the id of another is refused with 400 before it runs, with or without trusted-only mode', async () => {
    for (const server of ['trusted', 'open']) {
      const s = servers.get(server)!;
      const post = async (body: object) => {
        const before = s.runs;
        const res = await fetch(s.running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json = (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
        return { status: res.status, code: json.errors?.[0]?.extensions?.code, message: json.errors?.[0]?.message, runs: s.runs - before };
      };
      const oneId = sha256(ONE.query);
      const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
      const mismatch = { status: 400, code: 'PERSISTED_QUERY_HASH_MISMATCH', runs: 0 };
      expect(await post({ query: ADHOC.query, extensions: persisted(oneId) })).toMatchObject(mismatch);
      expect(await post({ query: ADHOC.query, documentId: oneId })).toMatchObject(mismatch);
      expect((await post({ query: ADHOC.query, documentId: oneId })).message).toContain(oneId);
      // The id's own document, as sent or printed differently, still runs.
      expect(await post({ query: ONE.query, variables: ONE.variables, extensions: persisted(oneId) })).toMatchObject({
        status: 200,
        runs: 1,
      });
      expect(await post({ query: `  ${ONE.query.replace(/ \{/g, '{')}`, variables: ONE.variables, documentId: oneId })).toMatchObject({
        status: 200,
        runs: 1,
      });
    }
  });

  it('ids are the manifest key, sha256 of the text, and Apollo-style sha256 of the printed document', () => {
    const d = trustedDocuments(manifest);
    expect(d.byId.get(sha256(ONE.query))).toBe(ONE.query);
    expect(d.byId.get(apolloHash(ONE.query))).toBe(ONE.query);
  });
});
