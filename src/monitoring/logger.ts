import { randomUUID } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

/** featuregraph's JSON logger: one line per event on stdout (docs/monitoring.md#logs). `LOG_LEVEL` sets the level. */
export const createLogger = (opts: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger =>
  pino({ base: { service: 'featuregraph' }, level: opts.level ?? process.env.LOG_LEVEL ?? 'info' }, opts.destination ?? process.stdout);

// A client's id is kept only when it is short and plain: it is echoed into logs and a response header.
const SAFE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const ids = new WeakMap<Request, string>();

/** The request id of a request: its `x-request-id` when safe, else a new UUID; the same for every caller. */
export const requestIdOf = (request: Request): string => {
  let id = ids.get(request);
  if (id === undefined) {
    const given = request.headers.get('x-request-id');
    ids.set(request, (id = given && SAFE_ID.test(given) ? given : randomUUID()));
  }
  return id;
};
