import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Float64, String as Str, entity, featureView, pushSource, repository } from '../../src/definitions/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { openOfflineStore } from '../../src/offline/index.js';
import type { LocalChangeFeed } from '../../src/online/changes.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp } from '../../src/server/app.js';
import { useApiKeys } from '../../src/server/plugins/use-api-keys.js';
import type { Principal } from '../../src/server/principal.js';
import type { GraphQLWsOptions } from '../../src/server/graphql-ws.js';
import { listen, type ListenOptions, type RunningServer } from '../../src/server/serve.js';
import { trustedDocuments } from '../../src/server/trusted-documents.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import type { SqlClient } from '../../src/sql/client.js';
import { uniqueProject } from '../support/env.js';
import { openKeyLookup } from '../../src/auth/key-lookup.js';
import { createApiKey, revokeApiKey } from '../../src/auth/key-store.js';
import WebSocket from 'ws';
import { sseRaw, subscribeSse, subscribeWs, untilLive, wsClient, type Received } from './support.js';

const project = uniqueProject('subs');
const customer = entity({ name: 'customer', joinKey: 'customer_id', valueType: Str });
const risk = featureView({
  name: 'location_risk',
  entities: [customer],
  features: { risk: Float64 },
  source: pushSource({ name: 'risk_push' }),
  ttl: '1h',
});
const score = featureView({
  name: 'credit_score',
  entities: [customer],
  features: { score: Float64 },
  source: pushSource({ name: 'score_push' }),
  ttl: 0,
});
const defs = repository({ project, featureViews: [risk, score] });

const KEYS: Record<string, Principal> = {
  fgk_all: { name: 'all', scopes: ['read:*', 'push:*'] },
  fgk_score: { name: 'score-only', scopes: ['read:credit_score', 'push:*'] },
};
const SUB =
  'subscription { locationRiskChanged(customerIds: ["C1", "C2"]) { customerId risk eventTimestamp createdTimestamp ageSeconds } }';

/** A raw graphql-transport-ws socket that sends `connection_init` with `payload`: whether it is acknowledged, how it closes. */
const initWs = async (url: string, payload: Record<string, unknown>) => {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const acked = new Promise<'acked'>((resolve) =>
    socket.on('message', (m) => {
      if ((JSON.parse(String(m)) as { type: string }).type === 'connection_ack') resolve('acked');
    }),
  );
  socket.send(JSON.stringify({ type: 'connection_init', payload }));
  return { socket, closed, acked };
};
/** `p`, or 'pending' when it has not settled within `ms`. */
const within = <T>(p: Promise<T>, ms: number): Promise<T | 'pending'> =>
  Promise.race([p, new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms))]);

describe('subscriptions in one process (embedded store: PGlite, SQL online store)', () => {
  let sql: SqlClient;
  let feed: LocalChangeFeed;
  const servers: RunningServer[] = [];
  const start = async (
    opts: Parameters<typeof createApp>[1],
    ws?: GraphQLWsOptions,
    keys: Parameters<typeof useApiKeys>[0]['keys'] = { find: (s) => KEYS[s] },
    listening: Pick<ListenOptions, 'maxConnections'> = {},
  ) => {
    const repo = resolveRepository(defs, project);
    const online = createSqlOnlineStore(sql, project);
    feed = online.changes as LocalChangeFeed;
    const app = createApp(
      { repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now },
      { logging: false, plugins: [useApiKeys({ keys, repo })], ...opts },
    );
    const running = await listen(app, 0, '127.0.0.1', {
      ...(ws ? { webSocket: ws } : {}),
      ...listening,
      beforeClose: async () => online.changes?.close(),
    });
    servers.push(running);
    return running.url;
  };
  let seq = 0;
  const push = async (url: string, id: string, value: number, key = 'fgk_all') => {
    const at = new Date(Date.now() - 60_000 + seq++).toISOString();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: 'mutation P($rows: [LocationRiskRowInput!]!) { pushLocationRisk(rows: $rows, to: ONLINE) { onlineWritten } }',
        variables: { rows: [{ customerId: id, eventTimestamp: at, risk: value }] },
      }),
    });
    const body = (await res.json()) as { errors?: unknown };
    expect(body.errors).toBeUndefined();
  };
  const values = (r: Received) => r.results.map((x) => (x.data?.locationRiskChanged as { customerId: string; risk: number }) ?? x);

  beforeAll(async () => {
    sql = await createPgliteClient();
    await applyRepository(sql, defs, { project, onlineTables: true });
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
    await sql.close();
  });

  it('delivers every pushed value over SSE and WebSocket, in order per key, with the query field shape', async () => {
    const url = await start({});
    const sse = subscribeSse(url, SUB, { authorization: 'Bearer fgk_all' });
    const client = wsClient(url, { authorization: 'Bearer fgk_all' });
    const ws = subscribeWs(client, SUB);
    await untilLive([sse, ws], (i) => push(url, 'C2', -1 - i));
    const before = [sse.results.length, ws.results.length];
    for (let i = 0; i < 20; i++) await push(url, i % 2 ? 'C1' : 'C3', i); // C3 is not subscribed to
    await sse.atLeast(before[0]! + 10);
    await ws.atLeast(before[1]! + 10);
    for (const [r, n] of [
      [sse, before[0]!],
      [ws, before[1]!],
    ] as const) {
      const got = values(r).slice(n);
      expect(got.map((v) => v.risk)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
      const first = r.results[n]!.data!.locationRiskChanged as Record<string, unknown>;
      expect(first).toMatchObject({ customerId: 'C1', risk: 1 });
      expect(typeof first.eventTimestamp).toBe('string');
      expect(typeof first.createdTimestamp).toBe('string'); // pushes default it to the time of the push
      expect(first.ageSeconds as number).toBeGreaterThan(59);
    }
    // An older row is not a change: write-if-newer skipped it.
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer fgk_all' },
      body: JSON.stringify({
        query: `mutation { pushLocationRisk(rows: [{ customerId: "C1", eventTimestamp: "2000-01-01T00:00:00Z", risk: 99 }], to: ONLINE) { onlineWritten } }`,
      }),
    });
    expect(((await res.json()) as { data: { pushLocationRisk: { onlineWritten: number } } }).data.pushLocationRisk.onlineWritten).toBe(0);
    await push(url, 'C1', 100);
    await sse.atLeast(before[0]! + 11);
    expect(values(sse).at(-1)).toMatchObject({ risk: 100 });
    sse.dispose();
    ws.dispose();
    await client.dispose();
    // Disconnected: nothing listens to the store any more.
    const until = Date.now() + 5000;
    while (feed.has('location_risk') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(feed.has('location_risk')).toBe(false);
  });

  it('needs the read scope of the view, over SSE and WebSocket; a WebSocket key comes in connectionParams, checked when it connects', async () => {
    const url = await start({});
    const sse = await sseRaw(url, SUB, { authorization: 'Bearer fgk_score' });
    expect(sse.text).toContain('"FORBIDDEN"');
    expect((await sseRaw(url, SUB)).status).toBe(401);
    const forbidden = subscribeWs(wsClient(url, { 'x-api-key': 'fgk_score' }), SUB);
    await forbidden.atLeast(1);
    expect(JSON.stringify(forbidden.error ?? forbidden.results)).toContain('FORBIDDEN');
    // No key: the connection itself is refused (4401, the client does not retry), before any operation.
    const anonymous = subscribeWs(wsClient(url), SUB);
    await anonymous.atLeast(1);
    expect(anonymous.error).toMatchObject({ code: 4401, reason: expect.stringContaining('API key') });
    const allowed = subscribeWs(
      wsClient(url, { 'x-api-key': 'fgk_score' }),
      'subscription { creditScoreChanged(customerIds: ["C1"]) { score } }',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(allowed.error).toBeUndefined();
    expect(allowed.completed).toBe(false);
    allowed.dispose();
  });

  it('bounds ids per subscription (the key cap), subscriptions per connection, and runs trusted documents only', async () => {
    const url = await start(
      { limits: { maxKeys: 3 }, trustedDocuments: { documents: trustedDocuments({ a: SUB }), only: true } },
      { maxSubscriptionsPerConnection: 2 },
    );
    const tooMany = 'subscription { locationRiskChanged(customerIds: ["1", "2", "3", "4"]) { risk } }';
    const sse = await sseRaw(url, tooMany, { authorization: 'Bearer fgk_all' });
    expect(sse.status).toBe(403);
    expect(sse.text).toContain('PERSISTED_QUERY_ONLY');
    const client = wsClient(url, { authorization: 'Bearer fgk_all' });
    const untrusted = subscribeWs(client, tooMany);
    await untrusted.atLeast(1);
    expect(JSON.stringify(untrusted.error)).toContain('PERSISTED_QUERY_ONLY');
    const a = subscribeWs(client, SUB);
    const b = subscribeWs(client, SUB);
    await new Promise((r) => setTimeout(r, 300));
    const c = subscribeWs(client, SUB);
    await c.atLeast(1);
    expect(JSON.stringify(c.error)).toContain('BAD_USER_INPUT');
    expect(a.completed || b.completed).toBe(false);
    a.dispose();
    b.dispose();
    await client.dispose();
  });

  it('refuses more ids than the key cap', async () => {
    const url = await start({ limits: { maxKeys: 3 } });
    const query = 'subscription { locationRiskChanged(customerIds: ["1", "2", "3", "4"]) { risk } }';
    const sse = await sseRaw(url, query, { authorization: 'Bearer fgk_all' });
    expect(sse.status).toBe(400);
    expect(sse.text).toContain('at most 3 are allowed');
    const client = wsClient(url, { authorization: 'Bearer fgk_all' });
    const ws = subscribeWs(client, query);
    await ws.atLeast(1);
    expect(JSON.stringify(ws.error)).toContain('at most 3 are allowed');
    await client.dispose();
  });

  it("counts a variable's default ids against the key cap, over SSE and WebSocket", async () => {
    const url = await start({ limits: { maxKeys: 3 } });
    const query = 'subscription($ids: [ID!]! = ["1", "2", "3", "4"]) { locationRiskChanged(customerIds: $ids) { risk } }';
    const sse = await sseRaw(url, query, { authorization: 'Bearer fgk_all' });
    expect(sse.status).toBe(400);
    expect(sse.text).toContain('this request reads 4 entity keys; at most 3 are allowed');
    const client = wsClient(url, { authorization: 'Bearer fgk_all' });
    const ws = subscribeWs(client, query);
    await ws.atLeast(1);
    expect(JSON.stringify(ws.error)).toContain('this request reads 4 entity keys; at most 3 are allowed');
    // A default within the cap opens the stream.
    const within = subscribeWs(
      client,
      'subscription($ids: [ID!]! = ["C1", "C2", "C3"]) { locationRiskChanged(customerIds: $ids) { risk } }',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(within.error).toBeUndefined();
    expect(within.completed).toBe(false);
    within.dispose();
    await client.dispose();
  });

  it('ends a subscription, over SSE and WebSocket, when its key is revoked (at the next re-read of the keys)', async () => {
    const { secret } = await createApiKey(sql, project, { name: 'watcher', scopes: ['read:*'] });
    const { secret: pusher } = await createApiKey(sql, project, { name: 'pusher', scopes: ['push:*'] });
    const { secret: kept } = await createApiKey(sql, project, { name: 'kept', scopes: ['read:location_risk'] });
    const keys = await openKeyLookup({ sql, project, refreshMs: 200 });
    try {
      const url = await start({}, undefined, keys);
      const sse = subscribeSse(url, SUB, { authorization: `Bearer ${secret}` });
      const client = wsClient(url, { authorization: `Bearer ${secret}` });
      const ws = subscribeWs(client, SUB);
      await untilLive([sse, ws], (i) => push(url, 'C1', i, pusher));
      await revokeApiKey(sql, project, 'watcher');
      const revokedAt = Date.now();
      // Pushes go on: a stream that was not ended would keep delivering them.
      while ((!sse.completed || !ws.completed) && Date.now() - revokedAt < 5_000) await push(url, 'C2', 1, pusher);
      expect(Date.now() - revokedAt).toBeLessThan(3_000);
      for (const r of [sse, ws]) {
        expect(r.completed).toBe(true);
        expect(JSON.stringify(r.results.at(-1) ?? r.error)).toContain('UNAUTHENTICATED');
      }
      // A key still in force keeps its stream.
      const other = subscribeSse(url, SUB, { authorization: `Bearer ${kept}` });
      await untilLive([other], (i) => push(url, 'C1', 100 + i, pusher));
      await new Promise((r) => setTimeout(r, 500));
      expect(other.completed).toBe(false);
      other.dispose();
      await client.dispose();
    } finally {
      await keys.close();
    }
  });

  it('closes a WebSocket whose message is larger than the HTTP body limit, before reading any key', async () => {
    const url = await start({ limits: { maxBodyBytes: 64 * 1024 } });
    const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(100 * 1024) } }));
    const open = new Promise<string>((resolve) => setTimeout(() => resolve('still open'), 5_000));
    expect(await Promise.race([closed, open])).toBe(1009); // message too big
  });

  it('closes a WebSocket with 4401 at connection_init without a valid key, so keyless sockets cannot hold the connection cap', async () => {
    const url = await start({}, undefined, undefined, { maxConnections: 5 });
    // As many sockets as the cap, each with an empty connection_init: none is acknowledged, each is closed at once.
    const keyless = await Promise.all(Array.from({ length: 5 }, () => initWs(url, {})));
    for (const s of keyless) {
      expect(await within(Promise.race([s.closed, s.acked]), 2_000)).toMatchObject({
        code: 4401,
        reason: expect.stringContaining('API key'),
      });
    }
    // The cap is free again: the server answers.
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(new URL('/health', url))).status).toBe(200);
    for (const payload of [{ 'x-api-key': 'fgk_unknown' }, { authorization: 'Basic fgk_all' }, { authorization: 'Bearer fgk_unknown' }]) {
      const s = await initWs(url, payload);
      expect(await within(Promise.race([s.closed, s.acked]), 2_000)).toMatchObject({ code: 4401 });
    }
    // A valid key, as `authorization` or `x-api-key`, in any case: acknowledged.
    for (const payload of [{ authorization: 'Bearer fgk_all' }, { 'X-Api-Key': 'fgk_score' }]) {
      const s = await initWs(url, payload);
      expect(await within(s.acked, 2_000)).toBe('acked');
      s.socket.close();
    }
  });

  it('closes a WebSocket that has had no operation for the idle timeout; a running subscription keeps it open', async () => {
    const url = await start({}, { idleTimeoutMs: 1_000 });
    const idle = await initWs(url, { authorization: 'Bearer fgk_all' });
    expect(await within(idle.acked, 2_000)).toBe('acked');
    const openedAt = Date.now();
    expect(await within(idle.closed, 3_000)).toMatchObject({ code: 1000 });
    expect(Date.now() - openedAt).toBeGreaterThan(800);

    const busy = await initWs(url, { authorization: 'Bearer fgk_all' });
    expect(await within(busy.acked, 2_000)).toBe('acked');
    busy.socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUB } }));
    expect(await within(busy.closed, 2_500)).toBe('pending');
    // Its subscription completed, the socket is idle again: closed after the timeout.
    busy.socket.send(JSON.stringify({ id: '1', type: 'complete' }));
    expect(await within(busy.closed, 3_000)).toMatchObject({ code: 1000 });
  });

  it('accepts a WebSocket without a key on an anonymous server (the demo), and closes it when idle', async () => {
    const url = await start({ plugins: [] }, { idleTimeoutMs: 1_000 });
    const s = await initWs(url, {});
    expect(await within(s.acked, 2_000)).toBe('acked');
    expect(await within(s.closed, 3_000)).toMatchObject({ code: 1000 });
  });

  it('refuses a WebSocket from a page of another origin (CORS does not cover WebSockets), and takes its own', async () => {
    const url = await start({ corsOrigins: ['https://app.example'] });
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.once('error', () => undefined);
      });
    const own = new URL(url).origin;
    expect(await status({ origin: 'http://evil.example' })).toBe(403);
    expect(await status({ origin: own })).toBe(101);
    expect(await status({ origin: 'https://app.example' })).toBe(101);
    expect(await status({})).toBe(101); // not a browser: judged by its key, as every request
  });
});
