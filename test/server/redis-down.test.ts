import { afterAll, beforeAll, expect, it } from 'vitest';
import { openOfflineStore } from '../../src/offline/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { sqlRegistryInfo } from '../../src/graphql/registry-info.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { createPgliteClient } from '../../src/sql/pglite.js';
import type { SqlClient } from '../../src/sql/client.js';
import { uniqueProject } from '../support/env.js';
import { describeWith } from '../support/services.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-cluster.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import { sseRaw, subscribeWs, wsClient } from '../subscriptions/support.js';

interface GqlResponse {
  data?: { driver: { driverStats: { avgDailyTrips: number } | null }; featureViews: { name: string }[] } | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

// One online view and one registry field: only the first depends on Redis.
const QUERY = '{ driver(driverId: "1") { driverStats { avgDailyTrips } } featureViews { name } }';
const SUBSCRIPTION = 'subscription { driverStatsChanged(driverIds: ["1"]) { avgDailyTrips } }';

const eventually = async <T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> => {
  const start = Date.now();
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() - start > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

describeWith('redis-server', 'the server while its Redis online store goes down and comes back', () => {
  const project = uniqueProject('rd');
  let redis: RedisServerProcess;
  let sql: SqlClient;
  let online: RedisOnlineStore;
  let app: FeatureGraphApp;
  let running: RunningServer | undefined;
  const logged: { id: string; text: string }[] = [];

  const query = async (): Promise<GqlResponse> => {
    const res = await app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as GqlResponse;
  };
  const ready = async () => {
    const res = await app.fetch('http://localhost/ready');
    return { status: res.status, body: await res.text() };
  };
  const served = async () => {
    const r = await query();
    expect(r.errors).toBeUndefined();
    expect(r.data?.driver.driverStats?.avgDailyTrips).toBe(10);
  };

  beforeAll(async () => {
    // An append-only file synced on every write, so the data written before the crash is there after the restart.
    redis = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
    // The offline store and registry are an in-memory PGlite of this test alone.
    sql = await createPgliteClient();
    const schema = `src_${project}`;
    await seedSmallSources(sql, schema, 3, new Date(Date.now() - 10 * 60_000));
    const definitions = smallRepository(project, schema);
    await applyRepository(sql, definitions, { project, onlineTables: false });
    const repo = resolveRepository(definitions, project);
    online = createRedisOnlineStore({ url: redis.url, project });
    await materializeViews({ sql, online, repo }, { start: new Date(0), end: new Date() });
    app = createApp(
      { repo, online, offline: openOfflineStore(sql), registry: sqlRegistryInfo(sql, project), now: Date.now },
      { logging: (id, e) => logged.push({ id, text: String(e) }) },
    );
  });
  afterAll(async () => {
    await running?.close();
    await online?.close();
    await sql?.close();
    await redis?.destroy();
  });

  it('serves online and registry fields while Redis is up, and is ready', async () => {
    await served();
    expect((await ready()).status).toBe(200);
  });

  it('answers with partial data while Redis is down: the online field null with ONLINE_STORE_UNAVAILABLE, the registry field resolved', async () => {
    await redis.kill();
    const r = await query();
    expect(r.data?.driver.driverStats).toBeNull();
    expect(r.data?.featureViews.map((v) => v.name)).toContain('driver_stats');
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]!.extensions?.code).toBe('ONLINE_STORE_UNAVAILABLE');
    expect(r.errors![0]!.path).toEqual(['driver', 'driverStats']);
    // The caller learns which store failed, never its address; the log has the driver's message under the request id.
    expect(JSON.stringify(r)).not.toContain(String(redis.port));
    const requestId = (r.errors![0]!.extensions as { requestId?: string }).requestId;
    expect(logged.find((l) => l.id === requestId)?.text).toContain(`127.0.0.1:${redis.port}`);
  });

  it('reports not ready, naming the online store', async () => {
    const r = await ready();
    expect(r.status).toBe(503);
    const body = JSON.parse(r.body) as { ready: boolean; failures: string[] };
    expect(body.ready).toBe(false);
    expect(body.failures).toHaveLength(1);
    expect(body.failures[0]).toBe('online store unavailable');
    expect(r.body).not.toContain(String(redis.port));
  });

  it('refuses a subscription with ONLINE_STORE_UNAVAILABLE, over SSE and WebSocket, and logs the cause under its request id', async () => {
    running = await listen(app, 0, '127.0.0.1');
    const sse = await sseRaw(running.url, SUBSCRIPTION, { 'x-request-id': 'sub-while-redis-down' });
    expect(sse.status).toBe(200);
    const event = /data: (.*)/.exec(sse.text)?.[1];
    const body = JSON.parse(event ?? 'null') as { errors?: { message: string; extensions?: Record<string, unknown> }[] } | null;
    expect(body?.errors).toHaveLength(1);
    expect(body!.errors![0]!.extensions).toMatchObject({
      code: 'ONLINE_STORE_UNAVAILABLE',
      view: 'driver_stats',
      requestId: 'sub-while-redis-down',
    });
    expect(sse.text).not.toContain(String(redis.port));
    // The log line has the request id the caller got, and the driver's error.
    expect(logged.filter((l) => l.id === 'sub-while-redis-down').map((l) => l.text)).not.toHaveLength(0);
    expect(logged.some((l) => l.id === '-')).toBe(false);

    const client = wsClient(running.url);
    const ws = subscribeWs(client, SUBSCRIPTION);
    await ws.atLeast(1, 15_000);
    expect(JSON.stringify(ws.error ?? ws.results)).toContain('ONLINE_STORE_UNAVAILABLE');
    expect(JSON.stringify(ws.error ?? ws.results)).not.toContain(String(redis.port));
    await client.dispose();
  });

  it('serves again by itself once Redis is back on the same port, and is ready again', async () => {
    await redis.restart();
    // Same app, same store: its client reconnects (at most a second apart) and the data is back from the AOF.
    await eventually(served);
    expect((await ready()).status).toBe(200);
  });
});
