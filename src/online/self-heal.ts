import { randomBytes } from 'node:crypto';
import type { ResolvedRepository } from '../definitions/resolve.js';
import { materializeViews, type MarkerOutcome } from '../materialize/index.js';
import type { SqlClient } from '../sql/client.js';
import { MarkerAbsentError, type OnlineStore } from './store.js';

/** Reads and /ready fail with this while the online store is empty and being re-materialized. */
export class OnlineStoreEmptyError extends Error {
  override readonly name = 'OnlineStoreEmptyError';
  readonly code = 'ONLINE_STORE_EMPTY';
}

export interface OnlineHealerOptions {
  readonly sql: SqlClient;
  readonly online: OnlineStore;
  readonly repo: ResolvedRepository;
  /** Progress and decisions. Default console.error. */
  readonly log?: (message: string) => void;
  /** How often the marker is checked. Default 1000 ms. */
  readonly intervalMs?: number;
  /** How long the re-materialization lock is held before it must be renewed. Default 30 s. */
  readonly lockMs?: number;
}

export interface OnlineHealer {
  /** Null when the store serves; otherwise why it does not (for /ready and field errors). */
  readonly problem: () => string | null;
  /** Check the marker once, and heal if it is gone and no other process is healing. */
  check(): Promise<void>;
  /** The online store, failing reads and ping with OnlineStoreEmptyError while there is a problem. */
  readonly store: OnlineStore;
  stop(): void;
}

/**
 * The self-healing online store (docs/writes.md): a store that can lose its data by itself (Redis restarted
 * without persistence) has a marker written at materialization. When it is gone, reads fail with
 * ONLINE_STORE_EMPTY instead of serving silent nulls, /ready answers 503 with the reason, and one process
 * (a lock in the store itself, so workers and replicas do not all do it) re-materializes the latest values
 * from the offline store, logging progress; then the marker is back and everyone serves again.
 * Rows pushed with to: ONLINE only were never offline and cannot come back.
 */
export const createOnlineHealer = (opts: OnlineHealerOptions): OnlineHealer => {
  const { online } = opts;
  const marker = online.marker;
  const log = opts.log ?? ((m: string) => console.error(m));
  const lockMs = opts.lockMs ?? 30_000;
  const me = `${process.pid}-${randomBytes(4).toString('hex')}`;
  let problem: string | null = null;
  let running: Promise<void> | null = null;
  // The connection the marker was last seen on: after a reconnect, the first read checks it again before
  // serving, rather than answer nulls from a Redis that came back empty until the next periodic check.
  const connection = marker?.connection;
  let verifiedOn: number | undefined;

  const heal = async () => {
    if (!marker || !(await marker.lock(me, lockMs))) {
      problem = 'the online store lost its data (its marker is gone); another process is re-materializing it from the offline store';
      return;
    }
    problem = 'the online store lost its data (its marker is gone); re-materializing it from the offline store';
    log(`online store: ${problem}`);
    const renew = setInterval(() => void marker.lock(me, lockMs).catch(() => undefined), lockMs / 3);
    const started = Date.now();
    let outcome = 'none' as MarkerOutcome;
    try {
      // Every view, all of history up to now: per key the latest row, exactly what materialize writes.
      const runs = await materializeViews(
        { sql: opts.sql, online, repo: opts.repo },
        {
          start: new Date(0),
          end: new Date(),
          onProgress: (p) =>
            log(`online store: re-materializing ${p.view}: ${p.written} of ${p.rows} rows written${p.done ? ' (done)' : ''}`),
          // The run writes the marker at its very end, once every view (aggregation views too) is rebuilt.
          onMarker: (o) => (outcome = o),
        },
      );
      const keys = runs.reduce((n, r) => n + r.written, 0);
      if (outcome !== 'written') {
        // The store reconnected during the run (it may have restarted empty again): not marked, healed again.
        log(`online store: re-materialized ${runs.length} views (${keys} keys) but the store reconnected meanwhile; checking again`);
        return;
      }
      log(`online store: re-materialized ${runs.length} views (${keys} keys) in ${Date.now() - started} ms; serving again`);
      problem = null;
    } finally {
      clearInterval(renew);
      await marker.unlock(me).catch(() => undefined);
    }
  };

  const check = async () => {
    if (!marker) return;
    if (running) return running;
    running = (async () => {
      const on = connection?.();
      try {
        if (await marker.present()) {
          verifiedOn = on;
          if (problem) log('online store: the marker is back; serving again');
          problem = null;
        } else await heal();
      } catch (err) {
        // Unreachable store: reads and ping report that themselves; keep the last known problem.
        if (problem) log(`online store: re-materialization interrupted: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  // After a reconnect: is the marker there? Present, the read serves; gone, the read fails with
  // ONLINE_STORE_EMPTY at once while the healing starts in the background (a read never waits for it).
  let verifying: Promise<void> | null = null;
  const verify = (): Promise<void> =>
    (verifying ??= (async () => {
      const on = connection?.();
      try {
        if (await marker!.present()) verifiedOn = on;
        else {
          problem ??= 'the online store lost its data (its marker is gone); re-materializing it from the offline store';
          void check();
        }
      } catch {
        // Unreachable: the read itself reports that; the next read verifies again.
      } finally {
        verifying = null;
      }
    })());

  const timer = setInterval(() => void check(), opts.intervalMs ?? 1000);
  timer.unref();
  const guard = () => {
    if (problem) throw new OnlineStoreEmptyError(problem);
  };
  const store: OnlineStore = {
    ...online,
    kind: online.kind,
    description: online.description,
    prepare: (views, aggregations) => online.prepare(views, aggregations),
    write: (view, rows) => online.write(view, rows),
    writeEvents: (spec, rows, now) => online.writeEvents(spec, rows, now),
    async read(requests, aggregations) {
      if (connection && connection() !== verifiedOn) await verify();
      guard();
      try {
        // The read itself proves the marker is there (same round trip): a read queued while Redis was
        // down and replayed on the new, empty connection fails instead of answering nulls.
        return await online.read(requests, aggregations, { requireMarker: true });
      } catch (err) {
        if (!(err instanceof MarkerAbsentError)) throw err;
        problem ??= 'the online store lost its data (its marker is gone); re-materializing it from the offline store';
        void check();
        throw new OnlineStoreEmptyError(problem);
      }
    },
    async ping() {
      await online.ping();
      // Readiness asks the store itself (one EXISTS), so /ready is 503 from the moment the data is gone,
      // not from the next periodic check; the check it starts heals the store.
      if (!problem && marker && !(await marker.present())) {
        void check();
        throw new OnlineStoreEmptyError('the online store lost its data (its marker is gone); re-materializing it from the offline store');
      }
      guard();
    },
    close: () => online.close(),
  };
  return { problem: () => problem, check, store, stop: () => clearInterval(timer) };
};
