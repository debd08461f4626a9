import { parseDuration } from '../definitions/duration.js';
import type { ResolvedRepository, ViewSpec } from '../definitions/resolve.js';
import type { OfflineStore } from '../offline/store.js';
import { getFreshness } from '../registry/index.js';
import type { ViewFreshness } from '../registry/types.js';
import type { SqlClient } from '../sql/client.js';

/** How current a view is against its objective (docs/monitoring.md#freshness-objectives). */
export interface ViewFreshnessReport {
  readonly view: string;
  /** The declared `freshness`, in seconds; null when the view declares none. */
  readonly objectiveSeconds: number | null;
  /** Event time of the newest value materialized or pushed to the view. */
  readonly newestValueAt: Date | null;
  readonly newestValueAgeSeconds: number | null;
  readonly lastMaterializedAt: Date | null;
  readonly lastMaterializationAgeSeconds: number | null;
  /** Rows the last materialization wrote. */
  readonly lastRowCount: number | null;
  /** The objective is declared and the newest value is older than it (or there is none). */
  readonly breached: boolean;
}

export const objectiveSeconds = (v: ViewSpec): number | null => {
  if (v.def.freshness === undefined) return null;
  const d = parseDuration(v.def.freshness);
  return 'error' in d ? null : d.seconds;
};

/**
 * The newest value's event time, read by the offline store of the view's engine (Postgres tables and push
 * tables, Parquet files): for a push source, the newest pushed row (the push table keeps every row pushed
 * offline); for any other source, the newest source row up to the end of the last materialized range.
 * Null when nothing qualifies or the relation is missing (never applied).
 */
export const newestValueAt = async (
  offline: OfflineStore,
  v: ViewSpec,
  state: ViewFreshness | undefined,
  now: Date,
): Promise<Date | null> => {
  const upTo = v.source.kind === 'push' ? now : state?.lastRangeEnd;
  return upTo ? offline.newestEventTime(v, upTo) : null;
};

const age = (d: Date | null, now: Date) => (d ? Math.max(0, (now.getTime() - d.getTime()) / 1000) : null);

export const freshnessReport = (v: ViewSpec, state: ViewFreshness | undefined, newest: Date | null, now: Date): ViewFreshnessReport => {
  const objective = objectiveSeconds(v);
  const newestAge = age(newest, now);
  return {
    view: v.name,
    objectiveSeconds: objective,
    newestValueAt: newest,
    newestValueAgeSeconds: newestAge,
    lastMaterializedAt: state?.lastMaterializedAt ?? null,
    lastMaterializationAgeSeconds: age(state?.lastMaterializedAt ?? null, now),
    lastRowCount: state?.lastRowCount ?? null,
    breached: objective !== null && (newestAge === null || newestAge > objective),
  };
};

/** Freshness of every online view. */
export const freshnessReports = async (
  sql: SqlClient,
  offline: OfflineStore,
  repo: ResolvedRepository,
  now = new Date(),
): Promise<ViewFreshnessReport[]> => {
  const states = new Map((await getFreshness(sql, repo.project)).map((f) => [f.view, f]));
  return Promise.all(
    repo.views
      .filter((v) => v.online)
      .map(async (v) => freshnessReport(v, states.get(v.name), await newestValueAt(offline, v, states.get(v.name), now), now)),
  );
};

/**
 * `freshnessReports` computed at most once per `maxAgeMs` (scrapes and /ready polls do not each scan sources);
 * ages are recomputed against the current time on every call.
 */
export const cachedFreshness = (
  sql: SqlClient,
  offline: OfflineStore,
  repo: ResolvedRepository,
  maxAgeMs = 15_000,
  clock: () => number = Date.now,
) => {
  let cache: { at: number; reports: Promise<ViewFreshnessReport[]> } | null = null;
  return async (): Promise<ViewFreshnessReport[]> => {
    if (!cache || clock() - cache.at >= maxAgeMs) {
      cache = { at: clock(), reports: freshnessReports(sql, offline, repo, new Date(clock())) };
      cache.reports.catch(() => (cache = null));
    }
    const now = new Date(clock());
    return (await cache.reports).map((r) => {
      const v = repo.views.find((x) => x.name === r.view)!;
      return freshnessReport(
        v,
        {
          view: r.view,
          watermark: null,
          lastMaterializedAt: r.lastMaterializedAt,
          lastRangeStart: null,
          lastRangeEnd: null,
          lastRowCount: r.lastRowCount,
        },
        r.newestValueAt,
        now,
      );
    });
  };
};
