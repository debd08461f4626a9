import type { LoadObserver, ServedStatus, ViewLoad } from '../graphql/loaders.js';
import type { OnlineRecord } from '../online/store.js';

/** What one (view, entity key) read was served as. */
export interface ServedRead {
  readonly status: ServedStatus;
  readonly eventTs: Date | null;
}

/** Loads of one view by status. */
export type StatusCounts = Record<ServedStatus, number>;

/**
 * One request's online reads, as the DataLoaders report them (loaders.ts): batch latencies and status
 * counts for /metrics, and per (view, key) what was served, for the served-feature log. Kept per view in
 * nested maps: this runs for every value served, so it builds no composite string keys.
 */
export class RequestObserver implements LoadObserver {
  readonly readMs: number[] = [];
  readFailures = 0;
  readKeys = 0;
  /** view name → loads per status. */
  readonly counts = new Map<string, StatusCounts>();
  /** view name → entity key → what was served; only kept when a served-feature log may want it. */
  readonly reads: Map<string, Map<string, ServedRead>> | null;

  constructor(keepReads: boolean) {
    this.reads = keepReads ? new Map() : null;
  }

  onlineRead(ms: number, failed: boolean, keys: number): void {
    this.readMs.push(ms);
    if (failed) this.readFailures++;
    this.readKeys += keys;
  }

  served(load: ViewLoad, status: ServedStatus, record: OnlineRecord | null): void {
    const view = load.view.name;
    let c = this.counts.get(view);
    if (!c) this.counts.set(view, (c = { present: 0, expired: 0, unknown: 0, error: 0 }));
    c[status]++;
    if (!this.reads) return;
    let r = this.reads.get(view);
    if (!r) this.reads.set(view, (r = new Map()));
    r.set(load.key, { status, eventTs: record?.eventTs ?? null });
  }
}
