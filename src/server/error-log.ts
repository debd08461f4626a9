import type { YogaLogger } from 'graphql-yoga';
import { requestIdOfError } from './plugins/use-request-id.js';

/** Where the server writes a full error: the request id the caller got, and the error with its stack. */
export type ErrorLog = (requestId: string, error: unknown) => void;

/** One JSON line per error on stderr, for log collectors. */
export const jsonErrorLog: ErrorLog = (requestId, error) => {
  const e = error instanceof Error ? error : new Error(String(error));
  process.stderr.write(
    `${JSON.stringify({ level: 'error', time: new Date().toISOString(), requestId, message: e.message, stack: e.stack })}\n`,
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
