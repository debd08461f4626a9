import { createHash } from 'node:crypto';

/** The same key sent with a different request: a client bug, never retried into a write. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(readonly key: string) {
    super(`Idempotency-Key ${JSON.stringify(key.slice(0, 80))} was already used for a different request; use a new key for new rows`);
  }
}

/** What an Idempotency-Key is bound to (docs/writes.md): the view, the target and the rows as sent. */
export const requestHash = (view: string, target: string, rows: readonly unknown[]): string =>
  createHash('sha256')
    .update(JSON.stringify([view, target, rows], (_, v) => (typeof v === 'bigint' ? v.toString() : v)))
    .digest('hex');
