import type { LoadObserver, ServedStatus, ViewLoad } from '../graphql/loaders.js';
import type { OnlineRecord } from '../online/store.js';

/** What one (view, entity key) read was served as. */
export interface ServedRead {
  readonly status: ServedStatus;
  readonly eventTs: Date | null;
}

/**
 * One request's online reads, as the DataLoaders report them (loaders.ts): batch latencies and status
 * counts for /metrics, and per (view, key) what was served, for the served-feature log.
 */
export class RequestObserver implements LoadObserver {
  readonly readMs: number[] = [];
  readFailures = 0;
  readKeys = 0;
  /** `view \0 status` → loads. */
  readonly counts = new Map<string, number>();
  /** `view \0 key` → what was served; only kept when a served-feature log may want it. */
  readonly reads: Map<string, ServedRead> | null;

  constructor(keepReads: boolean) {
    this.reads = keepReads ? new Map() : null;
  }

  onlineRead(ms: number, failed: boolean, keys: number): void {
    this.readMs.push(ms);
    if (failed) this.readFailures++;
    this.readKeys += keys;
  }

  served(load: ViewLoad, status: ServedStatus, record: OnlineRecord | null): void {
    const k = `${load.view.name}\u0000${status}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    this.reads?.set(`${load.view.name}\u0000${load.key}`, { status, eventTs: record?.eventTs ?? null });
  }
}
