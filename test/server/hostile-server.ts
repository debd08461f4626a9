/**
 * A featuregraph server in its own process (embedded stores) for tests that measure its memory and latency
 * apart from the test's own: prints `{"port":…,"pid":…}` once it listens, exits on SIGTERM. Run with
 * --expose-gc, SIGUSR2 collects garbage and prints `{"rss":…}`: what the process retains, not what a
 * collection has yet to free.
 */
import { createApp } from '../../src/server/app.js';
import { listen } from '../../src/server/serve.js';
import { openStores } from './pipeline-fixture.js';

const stores = await openStores('none');
const server = await listen(createApp(stores.rt, { logging: false }), 0, '127.0.0.1');
const addr = server.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof addr === 'object' && addr ? addr.port : 0, pid: process.pid })}\n`);
process.on(
  'SIGTERM',
  () =>
    void server
      .close()
      .then(() => stores.close())
      .then(() => process.exit(0)),
);
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stdout.write(`${JSON.stringify({ rss: process.memoryUsage().rss })}\n`);
});
