import { openOfflineStore } from '../../src/offline/index.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pushTableName, resolveRepository } from '../../src/definitions/resolve.js';
import { applyRepository } from '../../src/registry/index.js';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { createApp, type FeatureGraphApp } from '../../src/server/app.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { createPgClient } from '../../src/sql/pg.js';
import type { SqlClient } from '../../src/sql/client.js';
import { DATABASE_URL, dropSchemas, sqlBackends, uniqueProject } from '../support/env.js';
import { describeWith } from '../support/services.js';
import { riskRepository } from '../support/risk-repository.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-cluster.js';

const defs = riskRepository;

const t = '2026-11-26T10:00:00Z';

const serve = (sql: SqlClient, online: RedisOnlineStore, project: string): FeatureGraphApp =>
  createApp(
    { repo: resolveRepository(defs(project), project), online, offline: openOfflineStore(sql), registry: unappliedRegistry, now: Date.now },
    { logging: false },
  );

const post = async (app: FeatureGraphApp, body: unknown, key?: string) => {
  const res = await app.fetch('http://test/push/risk', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describeWith(
  'redis-server',
  `push after a partial failure: Redis killed and restarted empty (offline on ${sqlBackends.at(-1)!.name})`,
  () => {
    const project = uniqueProject('pf');
    let sql: SqlClient;
    let redis: RedisServerProcess;
    let online: RedisOnlineStore;
    let app: FeatureGraphApp;
    const offlineRows = async (id: string) =>
      Number(
        (await sql.query<{ n: string }>(`SELECT count(*) AS n FROM ${pushTableName(project, 'risk')} WHERE customer_id = $1`, [id]))
          .rows[0]!.n,
      );

    beforeAll(async () => {
      sql = await sqlBackends.at(-1)!.open();
      await applyRepository(sql, defs(project), { project });
      redis = await startRedisServer();
      online = createRedisOnlineStore({ url: redis.url, project });
      app = serve(sql, online, project);
    });
    afterAll(async () => {
      await online?.close();
      await redis?.destroy();
      await dropSchemas(sql, `fg_${project}`);
      await sql.close();
    });

    it('answers 503 ONLINE_STORE_UNAVAILABLE with offlineCommitted, and a retry with the same key completes it once', async () => {
      const rows = Array.from({ length: 50 }, (_, i) => ({ customer_id: `P${i}`, event_timestamp: t, score: i / 10 }));
      await redis.kill();
      const failed = await post(app, rows, 'batch-7');
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({ code: 'ONLINE_STORE_UNAVAILABLE', offlineCommitted: true });
      expect(failed.body.error).toMatch(/retry the same request/);
      expect(JSON.stringify(failed.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);
      expect(await offlineRows('P7')).toBe(1);

      await redis.restart(); // empty: no persistence
      let retried = await post(app, rows, 'batch-7');
      for (let i = 0; i < 50 && retried.status === 503; i++) {
        await new Promise((r) => setTimeout(r, 100));
        retried = await post(app, rows, 'batch-7');
      }
      expect(retried).toMatchObject({ status: 200, body: { rows: 50, offlineWritten: 0, onlineWritten: 50, replayed: true } });
      for (const id of ['P0', 'P7', 'P49']) expect(await offlineRows(id)).toBe(1);
      const [res] = await online.read([{ view: resolveRepository(defs(project), project).views[0]!, keys: ['P7'], features: ['score'] }]);
      expect(res![0]?.values).toEqual({ score: 0.7 });
    });

    it('without a key, retrying the same rows completes it too and duplicates nothing', async () => {
      const rows = [{ customer_id: 'Q1', event_timestamp: t, score: 0.5 }];
      await redis.kill();
      expect((await post(app, rows)).status).toBe(503);
      await redis.restart();
      let retried = await post(app, rows);
      for (let i = 0; i < 50 && retried.status === 503; i++) {
        await new Promise((r) => setTimeout(r, 100));
        retried = await post(app, rows);
      }
      expect(retried).toMatchObject({ status: 200, body: { offlineWritten: 0, onlineWritten: 1 } });
      expect(await offlineRows('Q1')).toBe(1);
    });
  },
);

describeWith(['DATABASE_URL', 'redis-server'], 'push while Postgres backends are terminated', () => {
  const project = uniqueProject('pt');
  const appName = `fg_push_fault_${project}`;
  let admin: SqlClient;
  let sql: SqlClient;
  let redis: RedisServerProcess;
  let online: RedisOnlineStore;
  beforeAll(async () => {
    admin = createPgClient(DATABASE_URL!);
    sql = createPgClient(`${DATABASE_URL}${DATABASE_URL!.includes('?') ? '&' : '?'}application_name=${appName}`);
    await applyRepository(admin, defs(project), { project });
    redis = await startRedisServer();
    online = createRedisOnlineStore({ url: redis.url, project });
  });
  afterAll(async () => {
    await online?.close();
    await redis?.destroy();
    await dropSchemas(admin, `fg_${project}`);
    await sql.close();
    await admin.close();
  });

  it('an unreachable offline store is a 503 OFFLINE_STORE_UNAVAILABLE with nothing written online', async () => {
    const down = createPgClient('postgres://postgres@127.0.0.1:1/test');
    const app = serve(down, online, project);
    const res = await post(app, [{ customer_id: 'D1', event_timestamp: t, score: 1 }]);
    expect(res).toMatchObject({ status: 503, body: { code: 'OFFLINE_STORE_UNAVAILABLE', offlineCommitted: false } });
    expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    const [r] = await online.read([{ view: resolveRepository(defs(project), project).views[0]!, keys: ['D1'], features: ['score'] }]);
    expect(r![0]).toBeNull();
    await down.close();
  });

  it('a backend terminated mid-push loses nothing and duplicates nothing after the retry', async () => {
    const app = serve(sql, online, project);
    const rows = Array.from({ length: 30_000 }, (_, i) => ({ customer_id: `M${i}`, event_timestamp: t, score: i }));
    const killer = (async () => {
      for (let i = 0; i < 200; i++) {
        const r = await admin.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`,
          [appName],
        );
        if (r.rows[0]!.n > 0) return true;
        await new Promise((res) => setTimeout(res, 5));
      }
      return false;
    })();
    const first = await post(app, rows, 'big-1');
    const killed = await killer;
    expect(killed).toBe(true);
    expect([200, 503]).toContain(first.status);
    if (first.status === 503) expect(first.body.code).toBe('OFFLINE_STORE_UNAVAILABLE');
    const second = await post(app, rows, 'big-1');
    expect(second.status).toBe(200);
    const n = await admin.query<{ n: string; d: string }>(
      `SELECT count(*) AS n, count(DISTINCT customer_id) AS d FROM ${pushTableName(project, 'risk')} WHERE customer_id LIKE 'M%'`,
    );
    expect(n.rows[0]).toEqual({ n: '30000', d: '30000' });
    const [r] = await online.read([
      { view: resolveRepository(defs(project), project).views[0]!, keys: ['M0', 'M29999'], features: ['score'] },
    ]);
    expect(r!.map((x) => x?.values.score)).toEqual([0, 29_999]);
  }, 120_000);
});
