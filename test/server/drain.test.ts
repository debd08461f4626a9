import { request } from 'node:http';
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
});
