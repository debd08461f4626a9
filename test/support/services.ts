import { appendFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe } from 'vitest';

/**
 * What a suite needs beyond the embedded stores. A suite whose service is absent is not registered; the
 * reason goes to the file the global setup (test/support/global-setup.ts) prints as a summary at the end,
 * so `npm test` on a machine without Redis or Postgres passes and says what it did not run and why.
 */
export type Service = 'REDIS_URL' | 'DATABASE_URL' | 'redis-server' | 'chromium';

const ENABLE: Record<Service, string> = {
  REDIS_URL: 'set REDIS_URL (e.g. redis://127.0.0.1:6379)',
  DATABASE_URL: 'set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  'redis-server': 'put redis-server on PATH (apt-get install redis-server): the suite starts its own servers',
  chromium: 'install chromium (apt-get install chromium) or set CHROMIUM_PATH: browser tests drive it',
};

/** The browser the browser tests drive (Debian's chromium unless CHROMIUM_PATH says otherwise). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const onPath = (bin: string): boolean => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;

const present = new Map<Service, boolean>();
/** Whether a service is there (no record: for setup shared by suites that each say `requires`). */
export const available = (s: Service): boolean => {
  let ok = present.get(s);
  if (ok === undefined) {
    ok = s === 'redis-server' ? onPath('redis-server') : s === 'chromium' ? existsSync(CHROMIUM_PATH) : Boolean(process.env[s]?.trim());
    present.set(s, ok);
  }
  return ok;
};

/** Record that `suite` did not run because `service` is absent (read by the global setup's summary). */
export const recordSkip = (suite: string, service: Service): void => {
  const file = process.env.FEATUREGRAPH_TEST_SKIPS;
  if (file) appendFileSync(file, `${JSON.stringify({ suite, service, enable: ENABLE[service] })}\n`);
};

/** True when every service is there; otherwise records why `suite` is skipped and returns false. */
export const requires = (suite: string, ...services: Service[]): boolean => {
  const missing = services.filter((s) => !available(s));
  for (const s of missing) recordSkip(suite, s);
  return missing.length === 0;
};

/** `describe` that runs only when the services are there (and says why not in the summary). */
export const describeWith = (services: Service | readonly Service[], name: string, fn: () => void): void => {
  const list = typeof services === 'string' ? [services] : [...services];
  describe.runIf(requires(name, ...list))(name, fn);
};
