import type { ViewSpec } from '../definitions/resolve.js';
import type { OnlineRecord } from './store.js';

/**
 * One change of an online value: a row that became the value of (view, key) by write-if-newer — from a push
 * or a materialization, in any process (docs/subscriptions.md). Rows a write skipped (older than the stored
 * one) are not changes.
 */
export interface OnlineChange {
  readonly view: string;
  /** Canonical entity key (`encodeEntityKey`). */
  readonly key: string;
  /** The new value, every feature of the view. */
  readonly record: OnlineRecord;
}

export type ChangeListener = (change: OnlineChange) => void;

/**
 * Where an online store announces its changes. Per view and key, changes arrive in the order they became the
 * value (each greater than the one before by the row order), which is what subscriptions deliver.
 */
export interface ChangeFeed {
  /**
   * Listen to one view's changes. Resolves once delivery is active: every change written after that is
   * delivered (while the feed's connection holds). Call the returned function to stop listening; `ended` is
   * called if the feed closes first.
   */
  listen(view: ViewSpec, listener: ChangeListener, ended?: () => void): Promise<() => void>;
  /** Stop every listener (calling their `ended`) and release the feed's connection (shutdown). */
  close(): Promise<void>;
}

/** A change feed within one process: the SQL online store's (embedded mode), and the shape the Redis one fans out to. */
export interface LocalChangeFeed extends ChangeFeed {
  /** Deliver a change to this process's listeners of its view. */
  publish(change: OnlineChange): void;
  /** Whether any listener is registered for the view (so a writer can skip building changes). */
  has(view: string): boolean;
}

/** Listeners and their `ended` callbacks, shared by both feeds. */
export const endAll = (ends: Map<ChangeListener, (() => void) | undefined>): void => {
  const all = [...ends.values()];
  ends.clear();
  for (const e of all) e?.();
};

export const createLocalChangeFeed = (): LocalChangeFeed => {
  const byView = new Map<string, Set<ChangeListener>>();
  const ends = new Map<ChangeListener, (() => void) | undefined>();
  return {
    async listen(view, listener, ended) {
      let set = byView.get(view.name);
      if (!set) byView.set(view.name, (set = new Set()));
      set.add(listener);
      ends.set(listener, ended);
      return () => {
        ends.delete(listener);
        set.delete(listener);
        if (set.size === 0 && byView.get(view.name) === set) byView.delete(view.name);
      };
    },
    publish(change) {
      const set = byView.get(change.view);
      if (!set) return;
      for (const l of set) l(change);
    },
    has: (view) => byView.has(view),
    async close() {
      byView.clear();
      endAll(ends);
    },
  };
};
