import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** The embedded default on its own data dir and a free port. */
const run = (args: string[], dataDir: string) => runCli(args, dataDir, { PORT: '0' });

const waitFor = async (pred: () => boolean, ms: number, what: string, output: () => string) => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('the featuregraph command on the embedded default', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-demo-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('demo prepares everything, and a second run reuses it', async () => {
    const first = run(['demo', '--no-serve'], dataDir);
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/driver_hourly_stats: 16,900 rows/);
    expect(first.output()).toMatch(/registry version 1/);
    const second = run(['demo', '--no-serve'], dataDir);
    expect(await second.exited).toBe(0);
    expect(second.output()).toMatch(/No changes: project demo stays at registry version 1/);
    expect(second.output()).not.toMatch(/16,900 rows\n/);
  }, 120_000);

  it('serves GraphiQL, /health and /ready, answers the example query, and shuts down on SIGTERM', async () => {
    const server = run(['serve', '--allow-anonymous'], dataDir);
    children.push(server.child);
    await waitFor(() => /serving project "demo" at (\S+)/.test(server.output()), 60_000, 'the server', server.output);
    const url = /at (http:\/\/\S+\/graphql)/.exec(server.output())![1]!;
    const base = url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const page = await (await fetch(url, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('featuregraph');
    expect(page).toContain('driverStats');
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ driver(driverId: "1001") { driverStats { convRate accRate avgDailyTrips eventTimestamp } } }' }),
    });
    const body = (await res.json()) as { data: { driver: { driverStats: Record<string, unknown> } } };
    expect(Object.values(body.data.driver.driverStats).every((v) => v !== null)).toBe(true);
    // serve runs with metrics and the served-feature log on: the node front stays on with them.
    expect(server.output()).not.toMatch(/node front: off/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM received/);
  }, 120_000);

  it('says when the node front is off, and why', async () => {
    const server = runCli(['serve', '--allow-anonymous'], dataDir, { PORT: '0', FEATUREGRAPH_NODE_FRONT: 'off' });
    children.push(server.child);
    await waitFor(() => /node front: off/.test(server.output()), 60_000, 'the banner', server.output);
    expect(server.output()).toMatch(/node front: off \(turned off\); every request goes through Yoga's own transport/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 120_000);

  it('the demo (npm start) serves without API keys, on 127.0.0.1 only, and says so', async () => {
    const demo = run(['demo'], dataDir);
    children.push(demo.child);
    await waitFor(() => /bound to 127\.0\.0\.1 only/.test(demo.output()), 90_000, 'the demo server', demo.output);
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(demo.output())?.[1];
    expect(url, demo.output()).toBeDefined();
    expect(demo.output()).toContain('anonymous: no API key needed');
    const res = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ driver(driverId: "1001") { driverId } }' }),
    });
    expect(res.status).toBe(200);
    // A page whose name was rebound to 127.0.0.1 (DNS rebinding) sends its own Host: refused, for reads and pushes.
    const withHost = (path: string, hostHeader: string, body: string) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const u = new URL(url!);
        const req = httpRequest(
          { host: '127.0.0.1', port: u.port, path, method: 'POST', headers: { host: hostHeader, 'content-type': 'application/json' } },
          (r) => {
            let text = '';
            r.on('data', (c: Buffer) => (text += c));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const port0 = new URL(url!).port;
    const rebound = await withHost(
      '/graphql',
      `attacker.example:${port0}`,
      JSON.stringify({ query: '{ driver(driverId: "1001") { driverId } }' }),
    );
    expect(rebound.status).toBe(400);
    expect(rebound.text).toContain('answers only requests to localhost');
    // Refused before the app, and still with a request id, as every answer has (docs/production.md, "Errors").
    expect((JSON.parse(rebound.text) as { requestId?: string }).requestId).toMatch(/^[\w-]{8,}$/);
    const push = await withHost(
      '/push/location_risk',
      `attacker.example:${port0}`,
      JSON.stringify([{ customer_id: 'C1001', event_timestamp: new Date().toISOString(), risk: 0.9 }]),
    );
    expect(push.status).toBe(400);
    expect((await withHost('/graphql', `localhost:${port0}`, JSON.stringify({ query: '{ __typename }' }))).status).toBe(200);
    // The same for a WebSocket: its upgrade is refused before any operation.
    const wsStatus = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`ws://127.0.0.1:${port0}/graphql`, 'graphql-transport-ws', {
        headers: { host: `attacker.example:${port0}` },
      });
      socket.once('open', () => {
        socket.close();
        resolve(101);
      });
      socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.once('error', () => undefined);
    });
    expect(wsStatus).toBe(400);
    // Not reachable on any other interface of this machine.
    const port = new URL(url!).port;
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) await expect(fetch(`http://${external.address}:${port}/health`)).rejects.toThrow();
    else console.log('serve-process: no non-loopback IPv4 interface here, so only the banner and the loopback URL are checked');
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
  }, 120_000);

  it('refuses to serve invalid definitions, listing every problem', async () => {
    const bad = run(['serve', '--definitions', join(import.meta.dirname, '../fixtures/bad-definitions.ts')], dataDir);
    expect(await bad.exited).toBe(1);
    const out = bad.output();
    expect(out).toMatch(/feature view "Driver-Stats": name must be lower_snake_case/);
    expect(out).toMatch(/"conv__rate" and "conv_rate" both become GraphQL field "convRate"/);
    expect(out).toMatch(/ttl must be a duration/);
  }, 60_000);
});
