import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openStores } from './pipeline-fixture.js';

// The request timeout is read when serve.ts loads: set before it is imported (this file's own module graph).
process.env.FEATUREGRAPH_REQUEST_TIMEOUT_MS = '2000';
const { createApp } = await import('../../src/server/app.js');
const { listen } = await import('../../src/server/serve.js');
// Read now; other files that share this worker keep the default.
delete process.env.FEATUREGRAPH_REQUEST_TIMEOUT_MS;

describe('slow requests (docs/production.md, "Slow requests")', () => {
  it('a client that trickles its headers is closed at the headers timeout, not up to 30 s later', async () => {
    const stores = await openStores('none');
    const server = await listen(createApp(stores.rt, { logging: false }), 0, '127.0.0.1');
    try {
      const port = Number(new URL(server.url).port);
      const socket = connect(port, '127.0.0.1');
      const started = Date.now();
      socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n');
      // One header line every 300 ms: the headers never end, the connection never goes quiet.
      const trickle = setInterval(() => socket.writable && socket.write(`x-slow-${Date.now()}: 1\r\n`), 300);
      const closedAfter = await new Promise<number>((resolve) => {
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Date.now() - started));
        socket.resume();
      });
      clearInterval(trickle);
      // The timeout is 2 s here; Node checks it only every connectionsCheckingInterval (30 s by default).
      expect(closedAfter).toBeGreaterThanOrEqual(1900);
      expect(closedAfter).toBeLessThan(6000);
    } finally {
      await server.close();
      await stores.close();
    }
  }, 45_000);
});
