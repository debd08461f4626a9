import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { createPgClient } from '../../src/sql/pg.js';
import type { SqlClient } from '../../src/sql/client.js';
import { runCli } from '../support/cli.js';
import { DATABASE_URL, dropSchemas, uniqueProject } from '../support/env.js';
import { seedSmallSources } from '../support/fixture.js';
import { startRedisServer, type RedisServerProcess } from '../support/redis-cluster.js';

const DEFS = join(import.meta.dirname, 'fixtures/env-repository.ts');

describeWith(
  ['DATABASE_URL', 'redis-server'],
  'featuregraph serve heals its own Redis after a restart without data (real processes)',
  () => {
    const schema = uniqueProject('sh');
    let sql: SqlClient;
    let redis: RedisServerProcess;
    const dataDir = mkdtempSync(join(tmpdir(), 'fg-sh-'));
    const env = () => ({ FG_TEST_PROJECT: schema, FG_TEST_SCHEMA: schema });
    const cli = (args: string[], extra: Record<string, string> = {}) =>
      runCli(['--database-url', DATABASE_URL!, '--redis-url', redis.url, '--definitions', DEFS, ...args], dataDir, { ...env(), ...extra });

    beforeAll(async () => {
      sql = createPgClient(DATABASE_URL!);
      await seedSmallSources(sql, schema, 50, new Date(Date.now() - 60_000));
      redis = await startRedisServer();
    });
    afterAll(async () => {
      await redis?.destroy();
      await dropSchemas(sql, schema, `fg_${schema}`);
      await sql.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('/ready goes 503 with the reason, then 200, and values come back without a manual step', async () => {
      expect(await cli(['apply']).exited).toBe(0);
      // A windowed run of one view onto the empty Redis does not mark it complete, and says so.
      const partial = cli(['materialize', '--start', 'now-1m', '--end', 'now', '--views', 'driver_stats']);
      expect(await partial.exited, partial.output()).toBe(0);
      expect(partial.output()).toMatch(/the online store has no complete materialization \(no marker\)/);
      const raw = new Redis(redis.url);
      try {
        expect(await raw.exists(`fg:{${schema}}:_marker`)).toBe(0);
      } finally {
        raw.disconnect();
      }
      const mat = cli(['materialize', '--start', 'now-7d', '--end', 'now']);
      expect(await mat.exited, mat.output()).toBe(0);
      expect(mat.output()).not.toMatch(/no complete materialization/);
      const server = cli(['serve', '--allow-anonymous'], { PORT: '0' });
      try {
        const deadline = Date.now() + 90_000;
        while (!/at (http:\/\/\S+)\/graphql/.test(server.output())) {
          if (Date.now() > deadline || server.child.exitCode !== null) throw new Error(`server did not start:\n${server.output()}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const base = /at (http:\/\/\S+)\/graphql/.exec(server.output())![1]!;
        const value = async () => {
          const res = await fetch(`${base}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ driver(driverId: "7") { driverStats { convRate } } }' }),
          });
          return (await res.json()) as { data?: { driver: { driverStats: unknown } }; errors?: { extensions: { code: string } }[] };
        };
        const before = await value();
        expect(before.data?.driver.driverStats).toEqual({ convRate: expect.any(Number) });
        expect((await fetch(`${base}/ready`)).status).toBe(200);

        // The heal of 102 keys takes tens of milliseconds: fast enough to slip between two polls. A
        // transaction holding the source tables makes the heal's read wait, so the 503 it causes is seen for
        // certain; committing it lets the heal finish.
        const holder = new pg.Client({ connectionString: DATABASE_URL! });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query(`LOCK TABLE "${schema}".driver_stats, "${schema}".driver_rating, "${schema}".customer_profile`);
          await redis.kill();
          await redis.restart();
          const seen: string[] = [];
          const poll = async (done: (status: number, text: string) => boolean, what: string) => {
            const end = Date.now() + 60_000;
            for (;;) {
              const r = await fetch(`${base}/ready`);
              const text = await r.text();
              seen.push(`${r.status} ${text}`);
              if (done(r.status, text)) return;
              if (Date.now() > end) throw new Error(`${what}: ${seen.slice(-5).join('\n')}\n${server.output()}`);
              await new Promise((res) => setTimeout(res, 50));
            }
          };
          await poll((status, text) => status === 503 && /lost its data/.test(text), 'never reported the loss');
          await holder.query('COMMIT');
          await poll((status) => status === 200, 'never healed');
        } finally {
          await holder.end();
        }
        expect(await value()).toEqual(before);
        expect(server.output()).toMatch(/lost its data[\s\S]*re-materializing driver_stats[\s\S]*serving again/);
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
    }, 240_000);
  },
);
