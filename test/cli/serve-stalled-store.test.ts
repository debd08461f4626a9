import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPgClient } from '../../src/sql/pg.js';
import type { SqlClient } from '../../src/sql/client.js';
import { runCli } from '../support/cli.js';
import { DATABASE_URL, REDIS_URL, dropSchemas, uniqueProject } from '../support/env.js';
import { describeWith } from '../support/services.js';

const DEFS = join(import.meta.dirname, '../fixtures/logged-push-definitions.ts');

/**
 * SIGTERM while Postgres has stopped answering (a hung host, a dead network path: connections open, nothing
 * comes back). The served-feature log's last batch can never be written; the server must still exit, after
 * the stores' grace period, not wait for Postgres forever.
 */
describeWith(['DATABASE_URL', 'REDIS_URL'], 'featuregraph serve on SIGTERM with a stalled Postgres', () => {
  const project = uniqueProject('stall');
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-stall-'));
  let sql: SqlClient;
  let proxy: Server;
  const sockets: Socket[] = [];
  let stalled = false;

  beforeAll(async () => {
    sql = createPgClient(DATABASE_URL!);
    const target = new URL(DATABASE_URL!);
    // A TCP proxy to Postgres that can stop passing bytes, as a stalled host would.
    proxy = createServer((client) => {
      const server = createConnection(Number(target.port || 5432), target.hostname);
      for (const s of [client, server]) {
        sockets.push(s);
        s.on('error', () => undefined);
        if (stalled) s.pause();
      }
      client.pipe(server);
      server.pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    proxy.close();
    await dropSchemas(sql, `fg_${project}`);
    await sql.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 1 after the grace period for the stores, saying why', async () => {
    const via = new URL(DATABASE_URL!);
    via.port = String((proxy.address() as { port: number }).port);
    via.hostname = '127.0.0.1';
    const cli = (args: string[], env: Record<string, string> = {}) =>
      runCli(
        ['--definitions', DEFS, '--project', project, '--database-url', via.toString(), '--redis-url', REDIS_URL!, ...args],
        dataDir,
        env,
      );
    const apply = cli(['apply']);
    expect(await apply.exited, apply.output()).toBe(0);
    const server = cli(['serve', '--allow-anonymous'], { PORT: '0', FEATUREGRAPH_SHUTDOWN_GRACE_MS: '1500' });
    try {
      const deadline = Date.now() + 90_000;
      while (!/at (http:\/\/\S+\/graphql)/.test(server.output())) {
        if (Date.now() > deadline || server.child.exitCode !== null) throw new Error(`server did not start:\n${server.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const url = /at (http:\/\/\S+\/graphql)/.exec(server.output())![1]!;
      const read = async () => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ riskV1(customerId: "C1") { locationRisk { risk } } }' }),
        });
        expect(res.status).toBe(200);
      };
      await read();
      // Postgres stops answering; a logged request leaves a row for the log's next batch.
      stalled = true;
      for (const s of sockets) s.pause();
      await read();
      const t = Date.now();
      server.child.kill('SIGTERM');
      const code = await server.exited;
      expect(code, server.output()).toBe(1);
      expect(server.output()).toMatch(/closing the stores did not finish within 1500 ms/);
      expect(Date.now() - t).toBeLessThan(20_000);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      stalled = false;
      for (const s of sockets) s.resume();
    }
  }, 120_000);
});
