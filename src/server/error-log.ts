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

/**
 * The body of a refusal (a request answered with an error before anything ran) on the GraphQL endpoint: one
 * error with its code and the request id, as every GraphQL error carries it (docs/production.md, "Errors").
 */
const graphqlRefusalBody = (message: string, code: string, requestId: string): string =>
  JSON.stringify({ errors: [{ message, extensions: { code, requestId } }] });

/**
 * The body of a refusal on a route that is not GraphQL (`/push/<view>`, `/metrics`, what Node refuses before
 * any route): `{ error, code, requestId }` and the route's own details (docs/writes.md, "Error codes").
 */
const plainRefusalBody = (error: string, code: string, requestId: string, details: object = {}): string =>
  JSON.stringify({ error, code, ...details, requestId });

/** Routes whose refusals have the plain shape (plainRefusalBody), not GraphQL's. */
export const hasPlainRefusals = (pathname: string): boolean => pathname.startsWith('/push/') || pathname === '/metrics';

export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly code: string;
  readonly requestId: string;
  /** The plain shape (plainRefusalBody) rather than GraphQL's. */
  readonly plain: boolean;
  /** Fields of the plain shape beyond error, code and requestId (`views`, `problems`…). */
  readonly details?: object;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A refusal's body, in the shape its route promises. */
export const refusalBody = (r: Omit<Refusal, 'status' | 'headers'>): string =>
  r.plain ? plainRefusalBody(r.message, r.code, r.requestId, r.details) : graphqlRefusalBody(r.message, r.code, r.requestId);

/** A refusal as a response: JSON in the shape its route promises, with the request id in body and header. */
export const refusalResponse = (ResponseCtor: typeof Response, r: Refusal): Response =>
  new ResponseCtor(refusalBody(r), {
    status: r.status,
    headers: { 'content-type': 'application/json', 'x-request-id': r.requestId, ...r.headers },
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
