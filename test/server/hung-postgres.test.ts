import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { openOfflineStore } from '../../src/offline/index.js';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { createPgClient, PG_CONNECT_TIMEOUT_MS } from '../../src/sql/pg.js';
import type { SqlClient } from '../../src/sql/client.js';
import { REDIS_URL, uniqueProject } from '../support/env.js';
import { describeWith } from '../support/services.js';
import { riskRepository } from '../support/risk-repository.js';

/**
 * A Postgres that is stopped or hung (SIGSTOP): the kernel accepts the connection, nothing ever answers. It is
 * reported as unavailable within a bound, as a refused connection is at once (docs/writes.md, "Error codes").
 */
describeWith('REDIS_URL', 'a hung Postgres is reported as unavailable, not waited for', () => {
  const project = uniqueProject('hung');
  let hung: Server;
  const sockets = new Set<Socket>();
  let sql: SqlClient;
  let online: RedisOnlineStore;
  let app: FeatureGraphApp;

  beforeAll(async () => {
    hung = createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    const port = (hung.address() as { port: number }).port;
    sql = createPgClient(`postgres://postgres@127.0.0.1:${port}/test`);
    online = createRedisOnlineStore({ url: REDIS_URL!, project, keyPrefix: `${project}:` });
    const repo = resolveRepository(riskRepository(project), project);
    app = createApp({ repo, online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now }, { logging: false });
  });
  afterAll(async () => {
    await online?.close();
    for (const s of sockets) s.destroy();
    await new Promise((r) => hung?.close(r));
    await sql?.close().catch(() => undefined);
  });

  it('/ready answers 503 naming the offline store within about 2 s', async () => {
    const started = Date.now();
    const res = await app.fetch('http://test/ready');
    const took = Date.now() - started;
    expect(res.status).toBe(503);
    expect(((await res.json()) as { failures: string[] }).failures).toEqual(['offline store unavailable']);
    expect(took).toBeLessThan(4000);
  });

  it('a bad batch is refused with 400 at once, with or without an Idempotency-Key, the store not asked', async () => {
    for (const key of [undefined, 'batch-1']) {
      const started = Date.now();
      const res = await app.fetch('http://test/push/risk', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify([{ customer_id: 'H2', event_timestamp: '2026-11-26T10:00:00Z', score: 'x' }]),
      });
      expect([key, res.status, ((await res.json()) as { code: string }).code]).toEqual([key, 400, 'BAD_USER_INPUT']);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('a push to the offline store answers 503 OFFLINE_STORE_UNAVAILABLE after the connect timeout, with nothing written', async () => {
    const started = Date.now();
    const res = await app.fetch('http://test/push/risk?to=ONLINE_AND_OFFLINE', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ customer_id: 'H1', event_timestamp: '2026-11-26T10:00:00Z', score: 1 }]),
    });
    const took = Date.now() - started;
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'OFFLINE_STORE_UNAVAILABLE', offlineCommitted: false });
    expect(took).toBeGreaterThanOrEqual(PG_CONNECT_TIMEOUT_MS - 100);
    expect(took).toBeLessThan(PG_CONNECT_TIMEOUT_MS + 5000);
    // The offline part failed first: the online value was not written either.
    const read = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ customer(customerId: "H1") { risk { score } } }' }),
    });
    expect(((await read.json()) as { data: { customer: { risk: unknown } } }).data.customer.risk).toBeNull();
  }, 30_000);
});
