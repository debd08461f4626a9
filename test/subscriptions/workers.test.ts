import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWith } from '../support/services.js';
import { resolveRepository } from '../../src/definitions/resolve.js';
import { createRedisOnlineStore } from '../../src/online/redis.js';
import { createPgClient } from '../../src/sql/pg.js';
import definitions from '../fixtures/logged-push-definitions.js';
import { DATABASE_URL, REDIS_URL, uniqueProject } from '../support/env.js';
import { subscribeSse, subscribeWs, untilLive, wsClient, type Received } from './support.js';

const BIN = join(import.meta.dirname, '../../bin/featuregraph.js');
const DEFS = join(import.meta.dirname, '../fixtures/logged-push-definitions.ts');

if (!DATABASE_URL || !REDIS_URL) console.warn('subscriptions workers: skipped, needs DATABASE_URL and REDIS_URL');

/**
 * The done-when test of docs/subscriptions.md: a 2-worker server (node:cluster), subscribers over SSE and
 * WebSocket, each on one worker, and changes written by both workers (each push on a new connection, which
 * the primary hands out round-robin), by another process writing the online store directly, and by a
 * `featuregraph materialize` process: every change arrives, in order per key.
 */
describeWith(['DATABASE_URL', 'REDIS_URL'], 'subscriptions on serve --workers 2 (Redis pub/sub, Postgres)', () => {
  const project = uniqueProject('subw');
  const children: ChildProcess[] = [];
  const cli = (args: string[], env: Record<string, string> = {}) => {
    const child = spawn(process.execPath, [BIN, '--definitions', DEFS, '--project', project, ...args], {
      env: { ...process.env, DATABASE_URL: DATABASE_URL!, REDIS_URL: REDIS_URL!, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return { child, output: () => out, exited: new Promise<number | null>((r) => child.on('exit', (c) => r(c))) };
  };
  const online = createRedisOnlineStore({ project, url: REDIS_URL! });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await online.deleteProjectKeys().catch(() => undefined);
    await online.close();
    const sql = createPgClient(DATABASE_URL!);
    await sql.query(`DROP SCHEMA IF EXISTS "fg_${project}" CASCADE`);
    await sql.close();
  });

  it('exits 1 when the grace period of a worker cut a request, as a single process does', async () => {
    expect(await cli(['apply']).exited).toBe(0);
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const server = cli(['serve', '--workers', '2', '--allow-anonymous'], { PORT: port, FEATUREGRAPH_SHUTDOWN_GRACE_MS: '300' });
    const end = Date.now() + 90_000;
    while (!/2 workers serving/.test(server.output())) {
      if (Date.now() > end || server.child.exitCode !== null) throw new Error(`server did not start:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Two requests whose bodies never end, one per worker (the primary hands connections out in turn).
    const held = [0, 1].map(() => {
      const s = connect(Number(port), '127.0.0.1');
      s.on('error', () => undefined);
      s.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query"');
      return s;
    });
    await new Promise((r) => setTimeout(r, 500));
    server.child.kill('SIGTERM');
    expect(await server.exited, server.output()).toBe(1);
    for (const s of held) s.destroy();
  }, 120_000);

  it('delivers every change made by any worker or process, over SSE and WebSocket, in order per key', async () => {
    expect(await cli(['apply']).exited).toBe(0);
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const server = cli(['serve', '--workers', '2', '--allow-anonymous'], { PORT: port });
    const end = Date.now() + 90_000;
    while (!/2 workers serving/.test(server.output())) {
      if (Date.now() > end) throw new Error(`server did not start:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const url = `http://127.0.0.1:${port}/graphql`;
    let tick = 0;
    const base = Date.now() - 30 * 60_000;
    const at = () => new Date(base + tick++ * 1000).toISOString();
    const push = async (id: string, risk: number, to = 'ONLINE_AND_OFFLINE') => {
      // A new connection each time: the primary hands them to the workers in turn.
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({
          query: `mutation P($rows: [LocationRiskRowInput!]!) { pushLocationRisk(rows: $rows, to: ${to}) { rows } }`,
          variables: { rows: [{ customerId: id, eventTimestamp: at(), risk }] },
        }),
      });
      const body = (await res.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
    };
    const query = 'subscription { locationRiskChanged(customerIds: ["C1", "C2"]) { customerId risk eventTimestamp createdTimestamp } }';
    const sse = subscribeSse(url, query);
    const client = wsClient(url);
    const ws = subscribeWs(client, query);
    // Live once a marker (C2, negative values) arrives at both.
    await untilLive([sse, ws], (i) => push('C2', -1 - i));
    const from = [sse.results.length, ws.results.length];

    const expected: { customerId: string; risk: number }[] = [];
    for (let i = 0; i < 40; i++) {
      const id = i % 3 === 0 ? 'C2' : 'C1';
      await push(id, i);
      expected.push({ customerId: id, risk: i });
    }
    // Another process writes the online store itself (a replica, or a job).
    const view = resolveRepository(definitions, project).views[0]!;
    for (let i = 40; i < 45; i++) {
      await online.write(view, [{ key: 'C1', eventTs: new Date(at()), createdTs: new Date(), values: { risk: i } }]);
      expected.push({ customerId: 'C1', risk: i });
    }
    // Offline only, then a materialize process: it writes (and announces) the latest row of each key.
    await push('C1', 100, 'OFFLINE');
    await push('C2', 200, 'OFFLINE');
    await push('C1', 101, 'OFFLINE');
    const mat = cli(['materialize', '--start', 'now-1d', '--end', 'now']);
    expect(await mat.exited, mat.output()).toBe(0);
    expected.push({ customerId: 'C2', risk: 200 }, { customerId: 'C1', risk: 101 });

    for (const [r, n] of [
      [sse, from[0]!],
      [ws, from[1]!],
    ] as [Received, number][]) {
      await r.atLeast(n + expected.length, 20_000);
      const got = r.results
        .slice(n)
        .map((x) => x.data?.locationRiskChanged as { customerId: string; risk: number; eventTimestamp: string });
      // Per key, exactly the pushed sequence, in order (materialization's two keys may come in either order).
      for (const id of ['C1', 'C2'])
        expect(got.filter((g) => g.customerId === id).map((g) => g.risk)).toEqual(
          expected.filter((e) => e.customerId === id).map((e) => e.risk),
        );
      expect(got.slice(0, 45).map((g) => g.risk)).toEqual(expected.slice(0, 45).map((e) => e.risk));
      expect(r.error).toBeUndefined();
    }
    sse.dispose();
    ws.dispose();
    await client.dispose();

    // SIGTERM with a subscriber still connected: the server stops cleanly and promptly, its Redis subscribers gone.
    const late = subscribeSse(url, query);
    const lateWs = subscribeWs(wsClient(url), query);
    await untilLive([late, lateWs], (i) => push('C2', 1000 + i));
    const stopping = Date.now();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5000);
    await late.atLeast(1_000_000, 5000).catch(() => undefined);
    expect(late.completed).toBe(true);
    const numsub = (await online.client.call('PUBSUB', 'NUMSUB', `fg:{${project}}:changed:location_risk`)) as [string, number];
    expect(Number(numsub[1])).toBe(0);
  }, 180_000);
});
