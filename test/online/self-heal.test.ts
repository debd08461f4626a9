import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveRepository, type ResolvedRepository } from '../../src/definitions/resolve.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { materializeViews } from '../../src/materialize/index.js';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { createOnlineHealer, type OnlineHealer } from '../../src/online/self-heal.js';
import { applyRepository } from '../../src/registry/index.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import type { SqlClient } from '../../src/sql/client.js';
import { dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { seedSmallSources, smallRepository } from '../support/fixture.js';
import { describeWith } from '../support/services.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-cluster.js';

const AT = new Date(Date.now() - 60_000);

describeWith('redis-server', `self-healing online store: Redis restarted empty (offline on ${sqlBackends.at(-1)!.name})`, () => {
  const project = uniqueProject('heal');
  let sql: SqlClient;
  let redis: RedisServerProcess;
  let online: RedisOnlineStore;
  let healer: OnlineHealer;
  let app: FeatureGraphApp;
  let repo: ResolvedRepository;
  const logs: string[] = [];

  const convRate = async () => {
    const res = await app.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ driver(driverId: "7") { driverStats { convRate } } }' }),
    });
    return (await res.json()) as {
      data?: { driver: { driverStats: { convRate: number } | null } };
      errors?: { extensions: { code: string } }[];
    };
  };
  const ready = async () => {
    const res = await app.fetch('http://test/ready');
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    sql = await sqlBackends.at(-1)!.open();
    const defs = smallRepository(project, project);
    await seedSmallSources(sql, project, 20, AT);
    await applyRepository(sql, defs, { project });
    repo = resolveRepository(defs, project);
    redis = await startRedisServer();
    online = createRedisOnlineStore({ url: redis.url, project });
    await materializeViews({ sql, online, repo }, { start: new Date(0), end: new Date() });
    healer = createOnlineHealer({ sql, online, repo, log: (m) => logs.push(m), intervalMs: 3_600_000 });
    app = createApp(
      { repo, online: healer.store, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now },
      { logging: false },
    );
  });
  afterAll(async () => {
    healer?.stop();
    await online?.close();
    await redis?.destroy();
    await dropSchemas(sql, project, `fg_${project}`);
    await sql.close();
  });

  it('notices the lost data, answers ONLINE_STORE_EMPTY and /ready 503, then re-materializes by itself (one process)', async () => {
    const before = await convRate();
    expect(before.data?.driver.driverStats?.convRate).toEqual(expect.any(Number));
    await healer.check();
    expect(healer.problem()).toBeNull();
    expect((await ready()).status).toBe(200);

    await redis.kill();
    await redis.restart(); // no persistence: empty
    await online.ping().catch(() => undefined);
    // Another process (a worker, a replica) holds the re-materialization lock: this one waits and says so.
    for (let i = 0; i < 50 && !(await online.marker!.lock('other-process', 60_000).catch(() => false)); i++)
      await new Promise((r) => setTimeout(r, 100));
    await healer.check();
    expect(healer.problem()).toMatch(/lost its data.*another process is re-materializing/);
    const during = await convRate();
    expect(during.data?.driver.driverStats ?? null).toBeNull();
    expect(during.errors?.[0]?.extensions.code).toBe('ONLINE_STORE_EMPTY');
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.text).toMatch(/lost its data/);
    expect(r.text).not.toMatch(/127\.0\.0\.1/);

    await online.marker!.unlock('other-process');
    await healer.check();
    expect(healer.problem()).toBeNull();
    expect(logs.join('\n')).toMatch(/re-materializing driver_stats: \d+ of \d+ rows written[\s\S]*re-materialized 3 views/);
    expect(await convRate()).toEqual(before);
    expect((await ready()).status).toBe(200);
  }, 120_000);

  it('the first read after Redis comes back empty is ONLINE_STORE_EMPTY, not a silent null (no periodic check ran)', async () => {
    const before = await convRate();
    expect(before.data?.driver.driverStats?.convRate).toEqual(expect.any(Number));
    await redis.kill();
    await redis.restart(); // empty; the healer's periodic check is an hour away
    let first = await convRate();
    // Reads during the reconnect fail as unavailable; the first one served by the new Redis must not be a null.
    for (let i = 0; i < 100 && first.errors?.[0]?.extensions.code === 'ONLINE_STORE_UNAVAILABLE'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      first = await convRate();
    }
    expect(first.errors?.[0]?.extensions.code, JSON.stringify(first)).toBe('ONLINE_STORE_EMPTY');
    expect(first.data?.driver.driverStats ?? null).toBeNull();
    // It started the re-materialization itself: the value comes back.
    for (let i = 0; i < 100 && healer.problem() !== null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await convRate()).toEqual(before);
  }, 120_000);
});
