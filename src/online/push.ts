import type { ViewSpec } from '../definitions/resolve.js';
import { PushStoreError, classifyOnlineError, classifySqlError } from './push-errors.js';
import { IdempotencyKeyReusedError, requestHash } from './push-idempotency.js';
import { keyBytesOver, PUSH_MAX_KEY_BYTES, PushValidationError, validatePushRows, type ValidRow } from './push-validate.js';
import type { OfflineStore, PushLedger } from '../offline/store.js';
import type { OnlineRow, OnlineStore } from './store.js';
import { monitoringEvents } from '../monitoring/events.js';
import type { AggregationSpec } from '../definitions/aggregation-spec.js';

export { PushValidationError, validatePushRows, MAX_LISTED_PROBLEMS, type PushProblem, type ValidRow } from './push-validate.js';
export { PushStoreError } from './push-errors.js';
export { IdempotencyKeyReusedError } from './push-idempotency.js';

export type PushTarget = 'ONLINE' | 'OFFLINE' | 'ONLINE_AND_OFFLINE';

export interface PushSummary {
  readonly view: string;
  readonly target: PushTarget;
  readonly rows: number;
  readonly onlineWritten: number;
  /** Rows newly appended offline (rows already there — replays — are not appended again). */
  readonly offlineWritten: number;
  /** True when an Idempotency-Key matched an earlier request: its offline part was not repeated. */
  readonly replayed?: boolean;
}

export interface PushOptions {
  /** Makes a retried request write nothing twice (docs/writes.md). */
  readonly idempotencyKey?: string;
  /**
   * Set when `view` is the events view of an aggregation view (docs/aggregations.md): rows are raw events,
   * identified by (keys, event id) offline and online, and go online into its windows.
   */
  readonly aggregation?: AggregationSpec;
}

/** Rows per online write call: bounded, so a 100k-row push never holds a store (or a timeout) long. */
export const ONLINE_CHUNK = 5_000;

class KeyTakenMeanwhile extends Error {}

/**
 * Push a batch (docs/writes.md): validated as a whole first (nothing written on any error), then offline
 * in one transaction (replays skipped, the Idempotency-Key recorded with it), then online by
 * write-if-newer, so a row readable online is in the offline history too. If the online part fails after
 * the offline commit, a retry completes it and duplicates nothing.
 */
export const pushRows = async (
  deps: { offline: OfflineStore; online: OnlineStore; project: string },
  view: ViewSpec,
  rows: readonly unknown[],
  target: PushTarget,
  opts: PushOptions = {},
): Promise<PushSummary> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await pushOnce(deps, view, rows, target, opts);
    } catch (err) {
      // A concurrent request with the same key committed first: run again, now as its replay.
      if (err instanceof KeyTakenMeanwhile && attempt === 0) continue;
      throw err;
    }
  }
};

const offlineStep = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof KeyTakenMeanwhile || err instanceof IdempotencyKeyReusedError || err instanceof PushValidationError) throw err;
    const code = classifySqlError(err);
    throw new PushStoreError(
      code === 'OFFLINE_STORE_UNAVAILABLE'
        ? 'the offline store is unavailable; nothing was written, retry later'
        : 'push failed in the offline store; nothing was written',
      code,
      false,
      { cause: err },
    );
  }
};

const pushOnce = async (
  deps: { offline: OfflineStore; online: OnlineStore; project: string },
  view: ViewSpec,
  rows: readonly unknown[],
  target: PushTarget,
  opts: PushOptions,
): Promise<PushSummary> => {
  const key = opts.idempotencyKey;
  // Push tables and idempotency records live in the offline store, for an engine that keeps them (docs/writes.md).
  const ledger = deps.offline.pushes;
  if (!ledger && (target !== 'ONLINE' || key))
    throw new PushStoreError(
      'this offline store keeps no push tables; push with to: ONLINE and no Idempotency-Key',
      'BAD_USER_INPUT',
      false,
    );
  // Bad input is refused before any store is asked (docs/writes.md, "Error codes"): with the offline store
  // down, a bad batch is still a 400, never a 503 that invites a retry of the same rows.
  if (target !== 'ONLINE' && view.source.kind === 'postgres' && !view.source.table)
    throw new PushValidationError(view.name, [
      { row: 0, field: '(target)', message: `${view.name} reads a SQL query, which cannot be appended to; push with to: ONLINE` },
    ]);
  // Parquet sources are read-only: featuregraph does not rewrite a user's files (docs/offline-stores.md).
  if (target !== 'ONLINE' && view.source.kind === 'file')
    throw new PushValidationError(view.name, [
      {
        row: 0,
        field: '(target)',
        message: `${view.name} reads Parquet files, which featuregraph does not append to; push with to: ONLINE`,
      },
    ]);
  const validate = (now: Date): ValidRow[] => {
    try {
      const valid = validatePushRows(view, rows, now);
      const agg = opts.aggregation;
      if (agg) {
        const missing = valid.flatMap((v, i) => {
          const id = v.row.values[agg.eventId];
          if (id === null) return [{ row: i, field: agg.eventId, message: 'is required: it identifies the event (a replay counts once)' }];
          // Stored in an index with the keys, as a join key is: the same bound.
          const bytes = typeof id === 'string' ? keyBytesOver(id) : 0;
          return bytes
            ? [{ row: i, field: agg.eventId, message: `is ${bytes} bytes long; an event id may be at most ${PUSH_MAX_KEY_BYTES} bytes` }]
            : [];
        });
        if (missing.length) throw new PushValidationError(view.name, missing);
      }
      return valid;
    } catch (err) {
      monitoringEvents.emit('push', { view: view.name, accepted: 0, rejected: rows.length }); // for /metrics
      throw err;
    }
  };
  let now = new Date();
  let valid = validate(now);
  const hash = key ? requestHash(view.name, target, rows) : '';
  const stored = key && ledger ? await offlineStep(() => ledger.findRequest(deps.project, key)) : null;
  if (key && stored && stored.requestHash !== hash) throw new IdempotencyKeyReusedError(key);
  // A retry reuses the first attempt's `now` for rows without a created time: the same rows again.
  if (stored?.defaultCreated) {
    now = stored.defaultCreated;
    valid = validate(now);
  }

  let online: readonly OnlineRow[] = valid.map((v) => v.row);
  let offlineWritten = 0;
  if (target !== 'ONLINE' || (key && !stored)) {
    // One transaction: the append (a replay's rows are found, not inserted) and the key commit together.
    const r = await offlineStep(() =>
      (ledger as PushLedger).commit(deps.project, view, {
        rows: target !== 'ONLINE' ? valid : null,
        ...(opts.aggregation ? { identity: [opts.aggregation.eventId] } : {}),
        ...(key && !stored ? { record: { key, requestHash: hash, defaultCreated: now } } : {}),
      }),
    );
    if (!r) throw new KeyTakenMeanwhile();
    offlineWritten = r.inserted;
    // Rows already stored keep their stored created time online too, so online equals asOf.
    // An event id already stored (aggregation views) goes online as its stored copy: events are immutable.
    if (r.existing.size)
      online = valid.map((v, i) => r.stored?.get(i) ?? (r.existing.has(i) ? { ...v.row, createdTs: r.existing.get(i)! } : v.row));
  }

  let onlineWritten = 0;
  if (target !== 'OFFLINE') {
    try {
      const agg = opts.aggregation;
      for (let i = 0; i < online.length; i += ONLINE_CHUNK) {
        const chunk = online.slice(i, i + ONLINE_CHUNK);
        onlineWritten += (agg ? await deps.online.writeEvents(agg, chunk) : await deps.online.write(view, chunk)).written;
      }
    } catch (err) {
      const code = classifyOnlineError(err);
      const committed = target === 'ONLINE_AND_OFFLINE';
      const what = code === 'ONLINE_STORE_UNAVAILABLE' ? 'the online store is unavailable' : 'the online write failed';
      throw new PushStoreError(
        committed
          ? `${what}: the rows are stored offline but not all online; retry the same request (with the same Idempotency-Key) to complete it — nothing is written twice`
          : `${what}; retry the same request — nothing is written twice`,
        code,
        committed,
        { cause: err },
      );
    }
  }
  monitoringEvents.emit('push', { view: view.name, accepted: valid.length, rejected: 0 });
  return { view: view.name, target, rows: valid.length, onlineWritten, offlineWritten, ...(stored ? { replayed: true } : {}) };
};
