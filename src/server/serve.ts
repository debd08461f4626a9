import { createServer, type Server } from 'node:http';
import type { FeatureGraphApp } from './app.js';

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  /** Stop accepting, let in-flight requests finish, then resolve. */
  close(): Promise<void>;
}

/** Listen on `port` (0 = any free port) on all interfaces. */
export const listen = (app: FeatureGraphApp, port: number, host?: string): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const server = createServer(app);
    server.keepAliveTimeout = 65_000;
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      resolve({
        server,
        url: `http://${host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost'}:${actual}/graphql`,
        close: () =>
          new Promise<void>((res) => {
            server.close(() => res());
            server.closeIdleConnections();
          }),
      });
    });
  });

/** Graceful shutdown on SIGTERM/SIGINT: stop the server, then `cleanup` (close stores), then exit. */
export const closeOnSignals = (running: RunningServer, cleanup: () => Promise<void>, log: (msg: string) => void = console.error) => {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal} received: finishing in-flight requests, then closing the stores`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running
      .close()
      .then(cleanup)
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
};
