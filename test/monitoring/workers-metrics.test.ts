import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { createPgClient } from '../../src/sql/pg.js';
import { DATABASE_URL, uniqueProject } from '../support/env.js';

const BIN = join(import.meta.dirname, '../../bin/featuregraph.js');
const DEFS = join(import.meta.dirname, '../fixtures/logged-push-definitions.ts');

if (!DATABASE_URL) console.warn('workers-metrics: skipped, `serve --workers` needs Postgres and DATABASE_URL is not set');

describeWith('DATABASE_URL', 'serve --workers 2 with metrics and the served-feature log (Postgres)', () => {
  const project = uniqueProject('wk');
  const children: ChildProcess[] = [];
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [BIN, '--definitions', DEFS, '--project', project, ...args], {
      env: { ...process.env, DATABASE_URL: DATABASE_URL!, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return { child, output: () => out, exited: new Promise<number | null>((r) => child.on('exit', (c) => r(c))) };
  };
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    const sql = createPgClient(DATABASE_URL!);
    await sql.query(`DROP SCHEMA IF EXISTS "fg_${project}" CASCADE`);
    await sql.close();
  });

  it('aggregates every worker in /metrics and logs every request once', async () => {
    expect(await cli(['apply']).exited).toBe(0);
    // Materialized once, as in production: the online store then carries its population marker, so no worker
    // takes a fresh store for one that lost its data (docs/writes.md).
    expect(await cli(['materialize', '--start', 'now-1d', '--end', 'now']).exited).toBe(0);
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const server = cli(['serve', '--workers', '2', '--allow-anonymous'], { PORT: port });
    const end = Date.now() + 90_000;
    while (!/2 workers serving/.test(server.output())) {
      if (Date.now() > end) throw new Error(`server did not start:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Both workers serve, and the banner is said once (by the first), not once per worker.
    expect(server.output().match(/featuregraph serving project/g)).toHaveLength(1);
    const base = `http://127.0.0.1:${port}`;
    // New connections each time: the primary hands them to the workers in turn.
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ query: 'query R { riskV1s(customerIds: ["C1", "C2"]) { locationRisk { risk } } }' }),
      });
      expect(res.status).toBe(200);
    }
    for (let scrape = 0; scrape < 4; scrape++) {
      const text = await (await fetch(`${base}/metrics`, { headers: { connection: 'close' } })).text();
      expect(text).toMatch(/^featuregraph_requests_total\{operation="R",outcome="ok"\} 12$/m);
      expect(text).toMatch(/^featuregraph_values_served_total\{view="location_risk",status="unknown"\} 24$/m);
    }
    server.child.kill('SIGTERM');
    await server.exited;
    const sql = createPgClient(DATABASE_URL!);
    try {
      const r = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "fg_${project}"."served_log_risk_v1"`);
      expect(r.rows[0]?.n).toBe(24);
    } finally {
      await sql.close();
    }
  }, 180_000);
});
