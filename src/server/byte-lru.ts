/**
 * A least-recently-used cache bounded by an estimate of the bytes its entries hold, not only by their count:
 * a few huge documents cannot push the process's memory up the way a thousand-entry cache of them would
 * (see docs/production.md, "Limits").
 */
export interface ByteLru<V> {
  get(key: string): V | undefined;
  /** Keep `value`, estimated at `bytes`; an entry over a quarter of the budget is not kept at all. */
  set(key: string, value: V, bytes?: number): void;
  readonly size: number;
  readonly bytes: number;
}

export interface ByteLruOptions {
  /** Total estimated bytes kept. */
  readonly maxBytes: number;
  /** Entries kept at most. Default unbounded (only bytes count). */
  readonly maxEntries?: number;
}

export const byteLru = <V>(opts: ByteLruOptions): ByteLru<V> => {
  // Map iterates in insertion order: re-inserting on a hit marks the entry most recently used. A hit on an entry
  // among the newer half of the insertions since is left where it is (re-inserting costs two more hash
  // lookups of the key, and these caches are read on every request): an entry in use still never reaches the
  // old end, where eviction takes entries from.
  const entries = new Map<string, { value: V; bytes: number; at: number }>();
  let total = 0;
  let clock = 0;
  const maxEntries = opts.maxEntries ?? Number.POSITIVE_INFINITY;
  const evict = () => {
    while (total > opts.maxBytes || entries.size > maxEntries) {
      const oldest = entries.keys().next();
      if (oldest.done) return;
      total -= entries.get(oldest.value)!.bytes;
      entries.delete(oldest.value);
    }
  };
  return {
    get(key) {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (clock - hit.at > entries.size >> 1) {
        hit.at = ++clock;
        entries.delete(key);
        entries.set(key, hit);
      }
      return hit.value;
    },
    set(key, value, bytes = key.length * 2) {
      const old = entries.get(key);
      if (old) {
        total -= old.bytes;
        entries.delete(key);
      }
      if (bytes > opts.maxBytes / 4) return;
      entries.set(key, { value, bytes, at: ++clock });
      total += bytes;
      evict();
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return total;
    },
  };
};
