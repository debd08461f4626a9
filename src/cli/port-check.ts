import { createServer } from 'node:net';

/** Fail at once, naming the port, when it is taken (0 = any port, always free). */
export const assertPortFree = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    if (port === 0) return resolve();
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `port ${port} is already in use (another featuregraph serving?): stop that process or choose another with --port or PORT; nothing was changed`
            : `cannot listen on port ${port}: ${err.message}`,
        ),
      ),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
