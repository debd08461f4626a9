import type { YogaLogger } from 'graphql-yoga';
import { requestIdOfError } from './plugins/use-request-id.js';

/**
 * Where the server writes a full error: the request id the caller got, the error with its stack, and what
 * happened when it is known (a store that is down: the message the caller got), else it is unexpected.
 */
export type ErrorLog = (requestId: string, error: unknown, what?: string) => void;

/**
 * The body of the 500 an unexpected error gets in place of a GraphQL answer: the masked message, and the request
 * id the log line carries when there is one (docs/production.md, "Errors").
 */
export const unexpectedErrorBody = (requestId?: string): string =>
  JSON.stringify({
    errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', ...(requestId ? { requestId } : {}) } }],
  });

/** A value or a promise of it: whether it is the promise (hooks may answer either way). */
export const isPromise = <T = unknown>(v: unknown): v is Promise<T> => typeof (v as Promise<T> | null)?.then === 'function';

/** One JSON line per error on stderr, for log collectors. */
export const jsonErrorLog: ErrorLog = (requestId, error, what) => {
  const e = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(
    `${JSON.stringify({ level: 'error', time: new Date().toISOString(), requestId, ...(what ? { what } : {}), message: e.message, stack: e.stack })}\n`,
  );
};

/**
 * Yoga's logger, writing the errors Yoga masks (it logs each unmasked original) through `log` with the
 * id of the request they happened in.
 */
export const yogaLogger = (log: ErrorLog | false): YogaLogger => {
  const none = () => undefined;
  return {
    debug: none,
    info: none,
    warn: none,
    error: (...args: unknown[]) => {
      if (!log) return;
      for (const a of args) log(requestIdOfError(a) ?? '-', a);
    },
  };
};
