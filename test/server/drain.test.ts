import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { listen } from '../../src/server/serve.js';
import { openStores } from './pipeline-fixture.js';

describe('closing the server (docs/writes.md, graceful shutdown)', () => {
  it('a request in flight when the server starts closing completes, answered with Connection: close', async () => {
    const stores = await openStores('none');
    const server = await listen(createApp(stores.rt, { logging: false }), 0, '127.0.0.1');
    try {
      const port = Number(new URL(server.url).port);
      const body = JSON.stringify({ query: '{ driver(driverId: "5") { driverStats { convRate } } }' });
      // The body arrives in two parts, the second after close() has begun: the request is in flight meanwhile.
      const answered = new Promise<{ status: number; connection: string | undefined; text: string }>((resolve, reject) => {
        const req = request(
          {
            port,
            host: '127.0.0.1',
            method: 'POST',
            path: '/graphql',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => req.end(body.slice(10)), 300);
      });
      await new Promise((r) => setTimeout(r, 100));
      const closing = server.close();
      const got = await answered;
      expect(got.status).toBe(200);
      expect(got.connection).toBe('close');
      expect(JSON.parse(got.text)).toHaveProperty('data.driver');
      await closing;
    } finally {
      await server.close().catch(() => undefined);
      await stores.close();
    }
  });

  it('with a drain period: keep-alive clients under load lose no request, /ready says 503, responses say Connection: close', async () => {
    const stores = await openStores('none');
    const server = await listen(createApp(stores.rt, { logging: false }), 0, '127.0.0.1');
    const port = Number(new URL(server.url).port);
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const body = JSON.stringify({ query: '{ driver(driverId: "5") { driverStats { convRate } } }' });
    const send = (method: 'POST' | 'GET', path: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        const req = request(
          { port, host: '127.0.0.1', method, path, agent, headers: method === 'POST' ? { 'content-type': 'application/json' } : {} },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
          },
        );
        req.on('error', reject);
        req.end(method === 'POST' ? body : undefined);
      });
    try {
      let sending = true;
      const errors: string[] = [];
      const afterClose: { status: number; connection: string | undefined }[] = [];
      let closingSince = 0;
      const loop = async () => {
        while (sending) {
          try {
            // Only requests sent once close() began: an answer whose headers went out just before keeps its
            // keep-alive, as it should.
            const sentWhileClosing = closingSince !== 0;
            const r = await send('POST', '/graphql');
            if (sentWhileClosing) afterClose.push(r);
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
      };
      const loops = Array.from({ length: 8 }, loop);
      await new Promise((r) => setTimeout(r, 300)); // keep-alive sockets in use, some idle between requests
      closingSince = Date.now();
      const drainMs = 3000;
      let drained = false;
      const closed = server.close({ drainMs }).then(() => (drained = true));
      expect((await send('GET', '/ready')).status).toBe(503);
      // A load balancer stops sending once /ready fails; these clients go on a little, then stop, well inside
      // the drain (whatever the machine's load: they stop when the answers they wait for have come).
      await new Promise((r) => setTimeout(r, 200));
      sending = false;
      await Promise.all(loops);
      expect(drained).toBe(false); // the clients stopped during the drain, as the test means
      await closed;
      expect(errors).toEqual([]);
      expect(afterClose.length).toBeGreaterThan(0);
      expect(afterClose.every((r) => r.status === 200 && r.connection === 'close')).toBe(true);
    } finally {
      agent.destroy();
      await server.close().catch(() => undefined);
      await stores.close();
    }
  });

  it("closes a connection that never carried a request (a client's spare) instead of waiting for its client", async () => {
    const stores = await openStores('none');
    const server = await listen(createApp(stores.rt, { logging: false }), 0, '127.0.0.1');
    // Opened and never written to, as undici and browsers open spares; Node's closeIdleConnections leaves it.
    const spare = connect(Number(new URL(server.url).port), '127.0.0.1');
    const spareClosed = new Promise<number>((r) => spare.once('close', () => r(Date.now())));
    try {
      await new Promise((r) => spare.once('connect', r));
      const started = Date.now();
      await server.close();
      const took = Date.now() - started;
      // Closed by the server within its 1 s grace for a first request, not when this client would give up.
      expect(took).toBeLessThan(3000);
      expect((await spareClosed) - started).toBeLessThan(3000);
    } finally {
      spare.destroy();
      await server.close().catch(() => undefined);
      await stores.close();
    }
  }, 30_000);
});
