import type { Principal } from '../server/principal.js';
import type { SqlClient } from '../sql/client.js';
import { hashSecret } from './key-secret.js';
import { loadActiveKeys, recordKeyUse } from './key-store.js';

export interface KeyLookupOptions {
  readonly sql: SqlClient;
  readonly project: string;
  /**
   * How often the active keys are re-read from the registry database, in ms. A revoked key is refused by
   * every server process (each `--workers` process reads on its own) at most this long after
   * `keys revoke`, plus one query, and its open subscriptions end. Last-used times are written back on
   * the same beat.
   * @default 4000
   */
  readonly refreshMs?: number;
  /**
   * An unknown key triggers an early re-read, so a key just created works at once. Re-reads happen at most
   * once per this many ms; an unknown key that comes sooner waits for the next one (all waiting requests
   * share it). This bounds the queries a caller with bad keys can cause, and slows guessing.
   * @default 1000
   */
  readonly missRefreshMs?: number;
  /** Told when a re-read fails (the keys read last stay in force). @default console.error */
  readonly log?: (msg: string) => void;
}

/** Finds the principal of a presented secret among the active keys. */
export interface KeyLookup {
  /** The key's principal, or undefined for an unknown or revoked key. Synchronous when the key is known. */
  find(secret: string): Principal | undefined | Promise<Principal | undefined>;
  /** Re-read the active keys now (and write back last-used times). */
  refresh(): Promise<void>;
  /**
   * Whether a principal `find` returned is still in force: false once its key is revoked or its scopes
   * changed (a re-read then gives a new principal). Long-lived operations (subscriptions) check it.
   */
  isActive(principal: Principal): boolean;
  /** Call `listener` after every re-read; returns the unsubscribe. */
  watch(listener: () => void): () => void;
  /** Active keys currently held. */
  readonly size: number;
  /** Stop re-reading and write back last-used times. */
  close(): Promise<void>;
}

interface Held {
  readonly id: string;
  readonly principal: Principal;
  /** name and scopes, to reuse the principal object when nothing changed (scope caches key on it). */
  readonly sig: string;
}

/**
 * Keys held in memory as a Map from secret hash to principal, re-read every `refreshMs`
 * (docs/auth.md). A request costs a Map lookup (a sha256 the first time a key is seen after each
 * re-read), never a query.
 */
export const openKeyLookup = async (opts: KeyLookupOptions): Promise<KeyLookup> => {
  const refreshMs = opts.refreshMs ?? 4000;
  const missRefreshMs = opts.missRefreshMs ?? 1000;
  const log = opts.log ?? ((m: string) => console.error(m));
  let byHash = new Map<string, Held>();
  // Secrets already matched since the last re-read: a request then costs one Map lookup, no hash. Only
  // valid secrets enter (at most one per active key), and a re-read empties it, so a revoked key leaves.
  let bySecret = new Map<string, Held>();
  let used = new Map<string, number>();
  let lastRead = 0;
  let inFlight: Promise<void> | null = null;
  let missRead: Promise<void> | null = null;
  let closed = false;
  let active = new WeakSet<Principal>();
  const listeners = new Set<() => void>();

  const read = async () => {
    lastRead = Date.now();
    const pending = used;
    used = new Map();
    try {
      await recordKeyUse(opts.sql, opts.project, pending);
    } catch {
      // Last-used times are informational: keep them for the next beat rather than fail the re-read.
      for (const [id, at] of pending) if ((used.get(id) ?? 0) < at) used.set(id, at);
    }
    const rows = await loadActiveKeys(opts.sql, opts.project);
    const next = new Map<string, Held>();
    for (const k of rows) {
      const sig = JSON.stringify([k.name, k.scopes]);
      const prev = byHash.get(k.secretHash);
      next.set(
        k.secretHash,
        prev && prev.id === k.id && prev.sig === sig
          ? prev
          : { id: k.id, sig, principal: Object.freeze({ name: k.name, scopes: Object.freeze([...k.scopes]) }) },
      );
    }
    byHash = next;
    bySecret = new Map();
    active = new WeakSet([...next.values()].map((h) => h.principal));
    // A failing listener must not fail the re-read: the keys just read are in force either way.
    for (const l of listeners) {
      try {
        l();
      } catch (err) {
        log(`featuregraph: a key-change listener failed (${(err as Error).message})`);
      }
    }
  };

  const refresh = (): Promise<void> => {
    if (closed) return Promise.resolve();
    inFlight ??= read()
      .catch((err: unknown) =>
        log(`featuregraph: re-reading API keys failed (${(err as Error).message}); the keys read before stay in force`),
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  // The re-read an unknown key waits for: now, or as soon as missRefreshMs have passed since the last one.
  const readForMiss = (): Promise<void> => {
    missRead ??= new Promise<void>((res) => setTimeout(res, Math.max(0, lastRead + missRefreshMs - Date.now())).unref())
      .then(refresh)
      .finally(() => {
        missRead = null;
      });
    return missRead;
  };

  await read();
  const timer = setInterval(() => void refresh(), refreshMs);
  timer.unref();

  const hit = (secret: string, hash: string): Principal | undefined => {
    const held = byHash.get(hash);
    if (!held) return undefined;
    bySecret.set(secret, held);
    used.set(held.id, Date.now());
    return held.principal;
  };

  return {
    find(secret) {
      const known = bySecret.get(secret);
      if (known) {
        used.set(known.id, Date.now());
        return known.principal;
      }
      const hash = hashSecret(secret);
      const p = hit(secret, hash);
      if (p || closed) return p;
      return readForMiss().then(() => hit(secret, hash));
    },
    refresh,
    isActive: (principal) => active.has(principal),
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get size() {
      return byHash.size;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await inFlight;
      await recordKeyUse(opts.sql, opts.project, used).catch(() => undefined);
    },
  };
};
