import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { MAX_CONNECTIONS, listen } from '../../src/server/serve.js';
import { openStores } from './pipeline-fixture.js';

/** Open a connection; resolves when it is connected. */
const open = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });

/** A GET /health on a connection: the status line, or what ended the connection. */
const health = (s: Socket): Promise<string> =>
  new Promise((resolve) => {
    let got = '';
    s.on('data', (c: Buffer) => {
      got += c.toString();
      if (got.includes('\r\n')) resolve(got.slice(0, got.indexOf('\r\n')));
    });
    s.once('close', () => resolve(got ? got.slice(0, got.indexOf('\r\n')) : 'closed'));
    s.once('error', () => resolve('closed'));
    s.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
  });

describe('open connections per process (docs/production.md, "Slow requests")', () => {
  it('defaults to 4096, and closes a connection over the cap at once while those under it are served', async () => {
    expect(MAX_CONNECTIONS).toBe(4096);
    const stores = await openStores('none');
    const server = await listen(createApp(stores.rt, { logging: false }), 0, '127.0.0.1', { maxConnections: 2 });
    const sockets: Socket[] = [];
    try {
      expect(server.server.maxConnections).toBe(2);
      const port = Number(new URL(server.url).port);
      // Two idle connections (a client that stalls): the cap is reached.
      sockets.push(await open(port), await open(port));
      await new Promise((r) => setTimeout(r, 50));
      const third = await open(port);
      sockets.push(third);
      expect(await health(third)).toBe('closed');
      // The two within the cap are served.
      expect(await health(sockets[0]!)).toBe('HTTP/1.1 200 OK');
      expect(await health(sockets[1]!)).toBe('HTTP/1.1 200 OK');
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
      await stores.close();
    }
  });
});
