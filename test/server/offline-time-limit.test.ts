import { afterAll, beforeAll, expect, it } from 'vitest';
import { entity, featureView, Int32, Int64, postgresSource, repository } from '../../src/definitions/index.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { unappliedRegistry } from '../../src/graphql/registry-info.js';
import { openOfflineStore } from '../../src/offline/index.js';
import { createApp } from '../../src/server/app.js';
import { listen, type RunningServer } from '../../src/server/serve.js';
import { createSqlOnlineStore } from '../../src/online/sql.js';
import type { SqlClient } from '../../src/sql/client.js';
import { createPgClient } from '../../src/sql/pg.js';
import { DATABASE_URL, dropSchemas, uniqueProject } from '../support/env.js';
import { describeWith } from '../support/services.js';

/**
 * A point-in-time read whose request passed its time limit: the caller gets 504, and the Postgres statement is
 * cancelled at the limit rather than holding its pool connection until it finishes (docs/production.md).
 */
describeWith('DATABASE_URL', 'an asOf read past the time limit', () => {
  const project = uniqueProject('ptlimit');
  const src = `${project}_src`;
  let sql: SqlClient;
  let watcher: SqlClient;
  let server: RunningServer;

  beforeAll(async () => {
    sql = createPgClient(DATABASE_URL as string);
    watcher = createPgClient(DATABASE_URL as string, { max: 1 });
    await sql.query(`CREATE SCHEMA "${src}"`);
    await sql.query(`CREATE TABLE "${src}".base (driver_id bigint, event_ts timestamptz, trips integer)`);
    await sql.query(`INSERT INTO "${src}".base VALUES (1, now() - interval '1 hour', 7)`);
    // Each row read takes 4 s: the statement outlives a 300 ms request unless it is cancelled.
    await sql.query(
      `CREATE VIEW "${src}".slow AS SELECT b.driver_id, b.event_ts, b.trips FROM "${src}".base b CROSS JOIN LATERAL (SELECT pg_sleep(4) AS fg_test_sleep) s`,
    );
    const driver = entity({ name: 'driver', joinKey: 'driver_id', valueType: Int64 });
    const slowStats = featureView({
      name: 'slow_stats',
      entities: [driver],
      features: { trips: Int32 },
      source: postgresSource({ name: 'slow_src', table: `${src}.slow`, timestampField: 'event_ts' }),
      ttl: '1d',
    });
    const repo = resolveRepository(repository({ project, entities: [driver], featureViews: [slowStats] }), project);
    const rt = {
      repo,
      online: createSqlOnlineStore(sql, project),
      offline: openOfflineStore(sql),
      registry: unappliedRegistry,
      now: Date.now,
    };
    server = await listen(createApp(rt, { logging: false, limits: { timeoutMs: 300 } }), 0, '127.0.0.1');
  });
  afterAll(async () => {
    await server?.close();
    await dropSchemas(sql, src, `fg_${project}`);
    await watcher?.close();
    await sql?.close();
  });

  const sleeping = async () =>
    Number(
      (
        await watcher.query<{ n: string }>(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%${src}%' AND pid <> pg_backend_pid()`,
        )
      ).rows[0]?.n ?? 0,
    );

  it('answers 504 at the limit, and Postgres stops the statement then instead of 4 s later', async () => {
    const t = performance.now();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ driver(driverId: "1") { slowStats(asOf: "${new Date().toISOString()}") { trips } } }` }),
    });
    const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(res.status).toBe(504);
    expect(body.errors?.[0]?.extensions?.code).toBe('TIMEOUT');
    expect(performance.now() - t).toBeLessThan(2000);
    // The statement was running when the request timed out (it reads the view)...
    // ...and is gone well before its 4 s sleep would end.
    const deadline = Date.now() + 1500;
    let active = await sleeping();
    while (active > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      active = await sleeping();
    }
    expect(active).toBe(0);
    expect(performance.now() - t).toBeLessThan(3500);
    // The pool's connections are back without the limit: a statement on them may run longer than 300 ms.
    const { rows } = await sql.query<{ t: string }>("SELECT current_setting('statement_timeout') AS t");
    expect(rows[0]?.t).toBe('0');
  });

  it('a statement under queryWithin is cancelled at its limit; the connection is reset for the next user', async () => {
    const t = performance.now();
    await expect(sql.queryWithin(200, 'SELECT pg_sleep(3)')).rejects.toThrow(/statement timeout/);
    expect(performance.now() - t).toBeLessThan(1500);
    const pool = await Promise.all(
      Array.from({ length: 10 }, () => sql.query<{ t: string }>("SELECT current_setting('statement_timeout') AS t")),
    );
    expect(pool.map((r) => r.rows[0]?.t)).toEqual(Array(10).fill('0'));
    expect((await sql.queryWithin<{ n: number }>(1000, 'SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
  });
});
