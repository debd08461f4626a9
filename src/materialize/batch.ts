import type { ViewSpec } from '../definitions/resolve.js';
import type { OfflineStore } from '../offline/store.js';
import type { OnlineStore } from '../online/store.js';
import type { MaterializeWindow } from './window.js';

export interface MaterializeProgress {
  readonly view: string;
  readonly rows: number;
  readonly written: number;
  readonly done: boolean;
  readonly elapsedMs: number;
}

export interface MaterializeOptions {
  /** Which source rows to read (see window.ts). */
  readonly window: MaterializeWindow;
  /** Rows per FETCH, and so per online write. */
  readonly batchSize?: number;
  /** Online writes in flight at once while the next batches are fetched and decoded. */
  readonly maxInFlight?: number;
  readonly onProgress?: (p: MaterializeProgress) => void;
}

export interface MaterializeResult {
  readonly view: string;
  readonly rows: number;
  readonly written: number;
  readonly skipped: number;
  readonly elapsedMs: number;
}

/** Default rows per FETCH: large enough to amortise the round trips, small enough to keep memory flat. */
export const MATERIALIZE_BATCH = 10_000;

/**
 * Copy the per-key latest rows of one view's window into the online store, streaming through a cursor so
 * memory stays bounded: at most `maxInFlight` batches being written plus the one being fetched. Writes of
 * several batches overlap each other and the next FETCH, so neither the database nor the online store waits
 * on the other. Idempotent: write-if-newer makes a re-run a no-op. On a failed write no further batch is
 * sent, the writes in flight are awaited, and the error is thrown.
 */
export const materializeView = async (
  offline: OfflineStore,
  online: OnlineStore,
  view: ViewSpec,
  opts: MaterializeOptions,
): Promise<MaterializeResult> => {
  const t0 = Date.now();
  const maxInFlight = Math.max(1, opts.maxInFlight ?? 2);
  let rows = 0;
  let written = 0;
  // A holder, not a `let`: it is set from write callbacks.
  const failed: { err?: unknown; yes: boolean } = { yes: false };
  const inFlight = new Set<Promise<void>>();
  const report = (done: boolean) => opts.onProgress?.({ view: view.name, rows, written, done, elapsedMs: Date.now() - t0 });
  // Shown before the first FETCH: sorting a large source for DISTINCT ON takes a while.
  report(false);
  try {
    for await (const decoded of offline.latestRows(view, opts.window, opts.batchSize ?? MATERIALIZE_BATCH)) {
      while (inFlight.size >= maxInFlight && !failed.yes) await Promise.race(inFlight);
      if (failed.yes) break;
      const p: Promise<void> = online.write(view, decoded).then(
        (w) => {
          written += w.written;
          rows += decoded.length;
          report(false);
        },
        (err: unknown) => {
          if (!failed.yes) Object.assign(failed, { yes: true, err });
        },
      );
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  } finally {
    // Never return (or throw) with writes still running: the caller moves the watermark next.
    await Promise.all(inFlight);
  }
  if (failed.yes) throw failed.err;
  const elapsedMs = Date.now() - t0;
  report(true);
  return { view: view.name, rows, written, skipped: rows - written, elapsedMs };
};
