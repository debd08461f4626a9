import DataLoader from 'dataloader';
import type { ViewSpec } from '../definitions/resolve.js';
import type { AggregationSpec } from '../definitions/aggregation-spec.js';
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

/** One read of an aggregation view for one entity key: online at the request's now, or as of `asOf` (docs/aggregations.md). */
export interface AggregationLoad {
  readonly aggregation: AggregationSpec;
  readonly key: string;
  readonly parts: readonly string[];
  readonly asOf?: Date;
}

type AnyLoad = ViewLoad | AggregationLoad;
const isAggregation = (l: AnyLoad): l is AggregationLoad => 'aggregation' in l;
const loadName = (l: AnyLoad): string => (isAggregation(l) ? l.aggregation.name : l.view.name);

// Resolvers share one feature array per selection, so its joined form is computed once, not per load.
const joined = new WeakMap<readonly string[], string>();
const featureKey = (features: readonly string[]): string => {
  let k = joined.get(features);
  if (k === undefined) joined.set(features, (k = features.join(',')));
  return k;
};
const cacheKey = (l: AnyLoad) =>
  isAggregation(l) ? `\u0001${l.aggregation.name}\u0000${l.key}\u0000${l.asOf?.getTime() ?? ''}` : viewCacheKey(l);
const viewCacheKey = (l: ViewLoad) =>
  `${l.view.name}\u0000${l.key}\u0000${l.asOf?.getTime() ?? ''}\u0000${l.asKnownAt ?? ''}\u0000${featureKey(l.features)}`;

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
 * `offlineTimeLimitMs`: the request's time limit, given to the offline store's point-in-time and aggregation
 * reads so that a statement does not run on after the request answered 504 (OfflineStore PointInTimeOptions).
 */
export const createLoaders = (rt: ServingRuntime, observer?: LoadObserver, offlineTimeLimitMs?: number) => {
  const limit = offlineTimeLimitMs === undefined ? {} : { timeLimitMs: offlineTimeLimitMs };
  const online = new DataLoader<AnyLoad, OnlineRecord | null, string>(
    async (all) => {
      // Views and aggregation views of one tick go to the store in one read: one Redis round trip.
      const viewAt = all.flatMap((l, i) => (isAggregation(l) ? [] : [i]));
      const loads = viewAt.map((i) => all[i] as ViewLoad);
      const groups = [...byView(loads)];
      const aggGroups = new Map<AggregationSpec, { idx: number[]; keys: string[]; keyIndex: Map<string, number> }>();
      all.forEach((l, i) => {
        if (!isAggregation(l)) return;
        let g = aggGroups.get(l.aggregation);
        if (!g) aggGroups.set(l.aggregation, (g = { idx: [], keys: [], keyIndex: new Map<string, number>() }));
        g.idx.push(i);
        if (!g.keyIndex.has(l.key)) g.keyIndex.set(l.key, g.keys.push(l.key) - 1);
      });
      const out: (OnlineRecord | null | Error)[] = new Array(all.length).fill(null);
      let results: (OnlineRecord | null)[][];
      const started = observer ? performance.now() : 0;
      const at = rt.now();
      try {
        results = await rt.online.read(
          groups.map(([view, g]) => ({ view, keys: g.keys, features: [...g.features] })),
          [...aggGroups].map(([spec, g]) => ({ spec, keys: g.keys, at })),
        );
      } catch (err) {
        if (observer) {
          observer.onlineRead(performance.now() - started, true, all.length);
          for (const l of loads) observer.served(l, 'error', null);
        }
        // Redis came back empty and is being re-materialized: say so, not a silent null (docs/writes.md).
        if (err instanceof OnlineStoreEmptyError) return all.map((l) => fgError(err.message, 'ONLINE_STORE_EMPTY', { view: loadName(l) }));
        return all.map((l) => storeError('ONLINE_STORE_UNAVAILABLE', 'the online store', loadName(l), err));
      }
      observer?.onlineRead(performance.now() - started, false, all.length);
      const now = rt.now();
      groups.forEach(([view, g], gi) => {
        const recs = results[gi];
        for (const j of g.idx) {
          const i = viewAt[j]!;
          const raw = recs?.[g.keyIndex.get(loads[j]!.key)!] ?? null;
          const live = liveRecord(raw, view.ttlSeconds, now);
          out[i] = live;
          observer?.served(loads[j]!, live ? 'present' : raw ? 'expired' : 'unknown', live);
        }
      });
      [...aggGroups.values()].forEach((g, ai) => {
        const recs = results[groups.length + ai];
        for (const i of g.idx) out[i] = recs?.[g.keyIndex.get(all[i]!.key)!] ?? null;
      });
      return out;
    },
    { cacheKeyFn: cacheKey },
  );

  const offlineAggregations = new DataLoader<AggregationLoad, OnlineRecord | null, string>(
    async (loads) => {
      const out: (OnlineRecord | null | Error)[] = new Array(loads.length).fill(null);
      const now = new Date(rt.now());
      const bySpec = new Map<AggregationSpec, number[]>();
      loads.forEach((l, i) => bySpec.set(l.aggregation, [...(bySpec.get(l.aggregation) ?? []), i]));
      await Promise.all(
        [...bySpec].map(async ([spec, idx]) => {
          try {
            const recs = await rt.offline.aggregate(
              spec,
              idx.map((i) => ({ keys: loads[i]!.parts, asOf: loads[i]!.asOf ?? now })),
              { now, ...limit },
            );
            idx.forEach((i, j) => (out[i] = recs[j] ?? null));
          } catch (err) {
            for (const i of idx) out[i] = storeError('OFFLINE_STORE_UNAVAILABLE', 'the offline store', spec.name, err);
          }
        }),
      );
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
        return [...byView(idx.map((i) => loads[i]!))].map(
          ([view, g]) => [view, { ...g, idx: g.idx.map((j) => idx[j]!), asKnownAt }] as const,
        );
      });
      await Promise.all(
        groups.map(async ([view, g]) => {
          try {
            const recs = await rt.offline.pointInTime(
              view,
              g.idx.map((i) => ({ keys: loads[i]!.parts, asOf: loads[i]!.asOf ?? now })),
              [...g.features],
              { now, ...limit, ...(g.asKnownAt !== undefined ? { asKnownAt: g.asKnownAt } : {}) },
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
    /** An aggregation view: online at now, or from the raw events as of asOf (docs/aggregations.md). */
    loadAggregation: (l: AggregationLoad) => (l.asOf ? offlineAggregations.load(l) : online.load(l)),
    /** On-demand results, computed once per (view, entity, arguments) per request. */
    onDemand: new Map<string, Promise<unknown>>(),
    /** The request's monitoring observer, if any (read by the metrics and served-feature log plugins). */
    observer,
    /** The time limit the offline reads were given (a subscription's next event's loaders keep it). */
    offlineTimeLimitMs,
  };
};

export type Loaders = ReturnType<typeof createLoaders>;
