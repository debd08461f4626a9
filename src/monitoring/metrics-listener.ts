import { createServer, type Server } from 'node:http';

/**
 * `--metrics-port`: Prometheus metrics on a listener of their own (GET /metrics), so production can keep them
 * off the public port without an API key. Binds loopback unless told otherwise.
 */
export const listenMetrics = (
  source: { text(): Promise<string>; contentType: string },
  port: number,
  host = '127.0.0.1',
): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      source.text().then(
        (text) => res.writeHead(200, { 'content-type': source.contentType }).end(text),
        () => res.writeHead(503).end('metrics are unavailable'),
      );
    });
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
