import DataLoader from 'dataloader';
import type { ViewSpec } from '../definitions/resolve.js';
import { liveRecord, type OnlineRecord } from '../online/store.js';
import { OnlineStoreEmptyError } from '../online/self-heal.js';
import { fgError, storeUnavailable } from './errors.js';
import type { ServingRuntime } from './runtime.js';

/** One read of a view for one entity key: online when `asOf` is undefined, else point-in-time. */
export interface ViewLoad {
  readonly view: ViewSpec;
  /** Canonical key (see encodeEntityKey). */
  readonly key: string;
  /** Canonical join key values, in view.keys order. */
  readonly parts: readonly string[];
  readonly features: readonly string[];
  readonly asOf?: Date;
  /** Point-in-time only: as-known-at override (docs/offline-stores.md); undefined = the view's setting. */
  readonly asKnownAt?: boolean;
}

// Resolvers share one feature array per selection, so its joined form is computed once, not per load.
const joined = new WeakMap<readonly string[], string>();
const featureKey = (features: readonly string[]): string => {
  let k = joined.get(features);
  if (k === undefined) joined.set(features, (k = features.join(',')));
  return k;
};
const cacheKey = (l: ViewLoad) => `${l.view.name}\u0000${l.key}\u0000${l.asOf?.getTime() ?? ''}\u0000${l.asKnownAt ?? ''}\u0000${featureKey(l.features)}`;

/** Group loads by view, keeping their positions, with the union of selected features and the distinct keys per view. */
const byView = (loads: readonly ViewLoad[]) => {
  const groups = new Map<ViewSpec, { idx: number[]; features: Set<string>; keys: string[]; keyIndex: Map<string, number> }>();
  loads.forEach((l, i) => {
    let g = groups.get(l.view);
    if (!g) groups.set(l.view, (g = { idx: [], features: new Set<string>(), keys: [], keyIndex: new Map<string, number>() }));
    g.idx.push(i);
    for (const f of l.features) g.features.add(f);
    if (!g.keyIndex.has(l.key)) g.keyIndex.set(l.key, g.keys.push(l.key) - 1);
  });
  return groups;
};

/** What an online read returned for one load (docs/monitoring.md). */
export type ServedStatus = 'present' | 'expired' | 'unknown' | 'error';

/** Told what each online read did, for metrics and the served-feature log; absent, it costs nothing. */
export interface LoadObserver {
  /** One online-store `read` (one batch): its duration, whether it failed, and how many keys it asked for. */
  onlineRead(ms: number, failed: boolean, keys: number): void;
  /** What one load was served: its status, and the record when present. */
  served(load: ViewLoad, status: ServedStatus, record: OnlineRecord | null): void;
}

const storeError = (code: 'ONLINE_STORE_UNAVAILABLE' | 'OFFLINE_STORE_UNAVAILABLE', what: string, view: string, err: unknown) =>
  storeUnavailable(`${what} could not serve ${view}: it is unavailable`, code, err, { view });

/**
 * Per-request DataLoaders. Everything the resolvers of one tick ask for becomes one online-store `read`
 * (one round trip on Redis, one query per view on SQL) and one point-in-time statement per view.
 */
export const createLoaders = (rt: ServingRuntime, observer?: LoadObserver) => {
  const online = new DataLoader<ViewLoad, OnlineRecord | null, string>(
    async (loads) => {
      const groups = [...byView(loads)];
      const out: (OnlineRecord | null | Error)[] = new Array(loads.length).fill(null);
      let results: (OnlineRecord | null)[][];
      const started = observer ? performance.now() : 0;
      try {
        results = await rt.online.read(groups.map(([view, g]) => ({ view, keys: g.keys, features: [...g.features] })));
      } catch (err) {
        if (observer) {
          observer.onlineRead(performance.now() - started, true, loads.length);
          for (const l of loads) observer.served(l, 'error', null);
        }
        // Redis came back empty and is being re-materialized: say so, not a silent null (docs/writes.md).
        if (err instanceof OnlineStoreEmptyError) return loads.map((l) => fgError(err.message, 'ONLINE_STORE_EMPTY', { view: l.view.name }));
        return loads.map((l) => storeError('ONLINE_STORE_UNAVAILABLE', 'the online store', l.view.name, err));
      }
      observer?.onlineRead(performance.now() - started, false, loads.length);
      const now = rt.now();
      groups.forEach(([view, g], gi) => {
        const recs = results[gi];
        for (const i of g.idx) {
          const raw = recs?.[g.keyIndex.get(loads[i]!.key)!] ?? null;
          const live = liveRecord(raw, view.ttlSeconds, now);
          out[i] = live;
          observer?.served(loads[i]!, live ? 'present' : raw ? 'expired' : 'unknown', live);
        }
      });
      return out;
    },
    { cacheKeyFn: cacheKey },
  );

  const offline = new DataLoader<ViewLoad, OnlineRecord | null, string>(
    async (loads) => {
      const out: (OnlineRecord | null | Error)[] = new Array(loads.length).fill(null);
      const now = new Date(rt.now());
      // One statement per view and as-known-at setting.
      const settings = [...new Set(loads.map((l) => l.asKnownAt))];
      const groups = settings.flatMap((asKnownAt) => {
        const idx = loads.flatMap((l, i) => (l.asKnownAt === asKnownAt ? [i] : []));
        return [...byView(idx.map((i) => loads[i]!))].map(([view, g]) => [view, { ...g, idx: g.idx.map((j) => idx[j]!), asKnownAt }] as const);
      });
      await Promise.all(
        groups.map(async ([view, g]) => {
          try {
            const recs = await rt.offline.pointInTime(
              view,
              g.idx.map((i) => ({ keys: loads[i]!.parts, asOf: loads[i]!.asOf ?? now })),
              [...g.features],
              { now, ...(g.asKnownAt !== undefined ? { asKnownAt: g.asKnownAt } : {}) },
            );
            g.idx.forEach((i, j) => (out[i] = recs[j] ?? null));
          } catch (err) {
            for (const i of g.idx) out[i] = storeError('OFFLINE_STORE_UNAVAILABLE', 'the offline store', view.name, err);
          }
        }),
      );
      return out;
    },
    { cacheKeyFn: cacheKey },
  );

  return {
    /** Online or point-in-time, by whether the load has an `asOf`. */
    load: (l: ViewLoad) => (l.asOf ? offline.load(l) : online.load(l)),
    /** On-demand results, computed once per (view, entity, arguments) per request. */
    onDemand: new Map<string, Promise<unknown>>(),
    /** The request's monitoring observer, if any (read by the metrics and served-feature log plugins). */
    observer,
  };
};

export type Loaders = ReturnType<typeof createLoaders>;
