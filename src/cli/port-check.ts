import { InvalidArgumentError } from 'commander';
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

/**
 * A commander parser for a whole-number flag within [min, max]: anything else is refused naming the flag and
 * the value given (`--port must be a whole number from 0 to 65535, got "abc"`), before anything starts.
 */
export const wholeNumber =
  (flag: string, min: number, max: number) =>
  (value: string): number => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return n;
  };
