import { RedisStoreError } from './redis-connection.js';

/** What a failed store call means for the client (docs/writes.md, "Error codes"). */
export type StoreFailure = 'ONLINE_STORE_UNAVAILABLE' | 'OFFLINE_STORE_UNAVAILABLE' | 'BAD_USER_INPUT' | 'INTERNAL';

// SQLSTATE classes and codes that mean "the database cannot serve right now", not "this data is bad":
// 08 connection exception, 53 insufficient resources, 57P01–57P05 shutdown / cannot connect now,
// 40001/40P01 serialization failure and deadlock (retry), 25006 read-only transaction (a standby).
const SQL_UNAVAILABLE = /^(08|53|57P0|40001|40P01|25006|58)/;
// Node socket errors and the messages pg and PGlite use when the connection or database goes away (pg's
// "timeout expired": a new connection got no answer within its connect timeout, sql/pg.ts).
const NET_UNAVAILABLE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;
const MESSAGE_UNAVAILABLE =
  /connection terminated|terminating connection|Connection terminated|timeout exceeded when trying to connect|^timeout expired$|the database system is|PGlite is closed|Client has encountered a connection error|Cannot use a pool after calling end/i;
// Redis replies that mean the server cannot take the write now.
const REDIS_BUSY = /^(OOM|LOADING|BUSY|READONLY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|NOREPLICAS)\b/;

/** Classify an error from the offline (SQL) store by its origin: connection trouble vs. data. */
export const classifySqlError = (err: unknown): StoreFailure => {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (SQL_UNAVAILABLE.test(code) || NET_UNAVAILABLE.test(code)) return 'OFFLINE_STORE_UNAVAILABLE';
  if (typeof e?.message === 'string' && MESSAGE_UNAVAILABLE.test(e.message)) return 'OFFLINE_STORE_UNAVAILABLE';
  // 22 data exception, 23 integrity violation: input validation should have caught it; still the input's fault.
  if (/^2[23]/.test(code)) return 'BAD_USER_INPUT';
  return 'INTERNAL';
};

/** Classify an error from the online store. */
export const classifyOnlineError = (err: unknown): StoreFailure => {
  if (err instanceof RedisStoreError) {
    if (err.code === 'REDIS_UNAVAILABLE') return 'ONLINE_STORE_UNAVAILABLE';
    const cause = (err.cause as Error | undefined)?.message ?? '';
    return REDIS_BUSY.test(cause) ? 'ONLINE_STORE_UNAVAILABLE' : 'INTERNAL';
  }
  const sql = classifySqlError(err);
  return sql === 'OFFLINE_STORE_UNAVAILABLE' ? 'ONLINE_STORE_UNAVAILABLE' : sql;
};

/**
 * A push that failed in a store. `offlineCommitted` rows are in the offline store (committed) but the
 * online part did not finish: a retry (same Idempotency-Key, or the same rows) completes it without
 * duplicating anything. The message is safe to show: no host, SQL or stack.
 */
export class PushStoreError extends Error {
  override readonly name = 'PushStoreError';
  constructor(
    message: string,
    readonly code: StoreFailure,
    readonly offlineCommitted: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** HTTP status for the push route. */
  get status(): number {
    return this.code === 'BAD_USER_INPUT' ? 400 : this.code === 'INTERNAL' ? 500 : 503;
  }
}
