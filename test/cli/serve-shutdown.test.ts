import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { loadDefinitions } from '../../src/definitions/load.js';
import { pushTableName, resolveRepository } from '../../src/definitions/resolve.js';
import { createRedisOnlineStore, type RedisOnlineStore } from '../../src/online/redis.js';
import { applyRepository } from '../../src/registry/index.js';
import { createPgClient } from '../../src/sql/pg.js';
import type { SqlClient } from '../../src/sql/client.js';
import { runCli } from '../support/cli.js';
import { DATABASE_URL, REDIS_URL, dropSchemas, uniqueProject } from '../support/env.js';

const DEFS = join(import.meta.dirname, 'fixtures/push-repository.ts');

describeWith(['DATABASE_URL', 'REDIS_URL'], 'featuregraph serve under push load stops cleanly on SIGTERM', () => {
  const project = uniqueProject('sd');
  let sql: SqlClient;
  let online: RedisOnlineStore;
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-sd-'));
  beforeAll(async () => {
    process.env.FG_TEST_PROJECT = project;
    sql = createPgClient(DATABASE_URL!);
    await applyRepository(sql, await loadDefinitions(DEFS), { project });
    online = createRedisOnlineStore({ url: REDIS_URL!, project });
  });
  afterAll(async () => {
    await online.deleteProjectKeys();
    await online.close();
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes in-flight pushes, exits 0, and every acknowledged row is in both stores', async () => {
    const server = runCli(
      ['--database-url', DATABASE_URL!, '--redis-url', REDIS_URL!, '--definitions', DEFS, 'serve', '--allow-anonymous'],
      dataDir,
      {
        PORT: '0',
        FG_TEST_PROJECT: project,
      },
    );
    const deadline = Date.now() + 90_000;
    while (!/at (http:\/\/\S+\/graphql)/.test(server.output())) {
      if (Date.now() > deadline || server.child.exitCode !== null) throw new Error(`server did not start:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const base = /at (http:\/\/\S+)\/graphql/.exec(server.output())![1]!;
    const acked: string[] = [];
    let refused = 0;
    let stop = false;
    // 8 clients on keep-alive connections, each pushing 200-row batches back to back.
    const client = async (c: number) => {
      for (let b = 0; !stop; b++) {
        const ids = Array.from({ length: 200 }, (_, i) => `c${c}-b${b}-r${i}`);
        const body = ids.map((id) => JSON.stringify({ customer_id: id, event_timestamp: '2026-11-26T10:00:00Z', score: b })).join('\n');
        try {
          const res = await fetch(`${base}/push/risk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
          if (res.status === 200) acked.push(...ids);
          else throw new Error(`push answered ${res.status}: ${await res.text()}`);
        } catch (err) {
          if ((err as Error).message.startsWith('push answered')) throw err;
          refused++; // the server stopped accepting: this batch was never acknowledged
          if (server.child.exitCode !== null || refused > 50) return;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    while (acked.length < 4000) await new Promise((r) => setTimeout(r, 50));
    server.child.kill('SIGTERM');
    const code = await server.exited;
    stop = true;
    await Promise.all(clients);
    expect(code, server.output()).toBe(0);
    expect(server.output()).toMatch(/SIGTERM received[\s\S]*stopped cleanly/);

    const view = resolveRepository(await loadDefinitions(DEFS), project).views[0]!;
    const offline = await sql.query<{ customer_id: string }>(`SELECT customer_id FROM ${pushTableName(project, 'risk')}`);
    const offlineIds = new Set(offline.rows.map((r) => r.customer_id));
    const missingOffline = acked.filter((id) => !offlineIds.has(id));
    expect(missingOffline).toEqual([]);
    expect(offline.rows.length).toBe(offlineIds.size); // nothing twice
    const [res] = await online.read([{ view, keys: acked, features: ['score'] }]);
    const missingOnline = acked.filter((_, i) => !res![i]);
    expect(missingOnline).toEqual([]);
  }, 180_000);
});
