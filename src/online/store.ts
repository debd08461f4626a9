import { toJson, type FeatureValue } from '../definitions/values.js';
import type { ViewSpec } from '../definitions/resolve.js';
import { tieKey } from './tie-key.js';
import type { ChangeFeed } from './changes.js';
import type { AggregationSpec } from '../definitions/aggregation-spec.js';

/** One row as the online store keeps it, per view and entity key. */
export interface OnlineRow {
  /** Canonical entity key (see `encodeEntityKey`). */
  readonly key: string;
  readonly eventTs: Date;
  /** Ingestion time; null when the source has none. Breaks ties on eventTs. */
  readonly createdTs: Date | null;
  /** Feature name → value, in TypeScript form. */
  readonly values: Readonly<Record<string, FeatureValue>>;
}

/** The raw record read back: the row's timestamps and the selected features. TTL is not applied here. */
export interface OnlineRecord {
  readonly eventTs: Date;
  readonly createdTs: Date | null;
  readonly values: Readonly<Record<string, FeatureValue>>;
}

/** A read of some keys of one view, for some of its features. */
export interface OnlineReadRequest {
  readonly view: ViewSpec;
  readonly keys: readonly string[];
  /** Feature names to return; others may be skipped. */
  readonly features: readonly string[];
}

/**
 * An online read of an aggregation view (docs/aggregations.md): every output of each key over the windows
 * ending at `at` (epoch ms). The record's values are the outputs by name; its eventTs is `at`.
 */
export interface AggregationReadRequest {
  readonly spec: AggregationSpec;
  readonly keys: readonly string[];
  readonly at: number;
}

export interface WriteSummary {
  /** Rows that became the online value. */
  readonly written: number;
  /** Rows ignored because the store already held a newer (or equal-and-greater) row. */
  readonly skipped: number;
}

/**
 * The online store: per view and key, the row greatest by (eventTs, createdTs), written if newer, atomically.
 * Implementations: `sql.ts` (Postgres/PGlite table) and `redis.ts` (standalone or Cluster).
 */
export interface OnlineStore {
  readonly kind: 'sql' | 'redis';
  readonly description: string;
  /** Create what the views (and aggregation views) need (tables); idempotent. */
  prepare(views: readonly ViewSpec[], aggregations?: readonly AggregationSpec[]): Promise<void>;
  /**
   * Write-if-newer: a row replaces the stored one only if greater by (eventTs, createdTs, tie key);
   * a replayed or concurrent older write never regresses a value.
   */
  write(view: ViewSpec, rows: readonly OnlineRow[]): Promise<WriteSummary>;
  /**
   * Add raw events of an aggregation view (docs/aggregations.md): idempotent per (entity key, event id),
   * atomic per event; events at or before `now` minus the longest window (and a minute of grace) are skipped.
   */
  writeEvents(spec: AggregationSpec, rows: readonly OnlineRow[], now?: number): Promise<WriteSummary>;
  /**
   * Read several views — and aggregation views — at once (one round trip where the store can):
   * result[i][j] is the record of requests[i].keys[j], or null when the store has none; then
   * result[requests.length + i][j] is the record of aggregations[i].keys[j] (never null).
   */
  read(
    requests: readonly OnlineReadRequest[],
    aggregations?: readonly AggregationReadRequest[],
    options?: OnlineReadOptions,
  ): Promise<(OnlineRecord | null)[][]>;
  /** Throws when the store cannot serve (for /ready). */
  ping(): Promise<void>;
  /**
   * A store that can lose its data on its own (Redis restarted without persistence) keeps a marker, written
   * only by a run that rebuilt every view in full (or the self-heal), so the gateway can notice and
   * re-materialize (self-heal.ts, docs/writes.md).
   */
  readonly marker?: PopulationMarker;
  /**
   * Every row that becomes a value (push or materialization) is announced here: through Redis pub/sub to
   * every process, or within this process for the SQL store (docs/subscriptions.md).
   */
  readonly changes?: ChangeFeed;
  close(): Promise<void>;
}

export interface OnlineReadOptions {
  /**
   * A store with a marker proves, with the read itself, that the marker is there, and throws
   * MarkerAbsentError when it is not: a read replayed on a new connection to a Redis that came back empty
   * must not answer nulls (self-heal.ts). Redis: an EXISTS inside the read script, same round trip.
   */
  readonly requireMarker?: boolean;
}

/** A read with `requireMarker` found the marker gone: the store lost its data. */
export class MarkerAbsentError extends Error {
  override readonly name = 'MarkerAbsentError';
  constructor() {
    super('the online store lost its data (its marker is gone)');
  }
}

/** See `OnlineStore.marker`. */
export interface PopulationMarker {
  /** Record that the store holds a complete materialization (after a full run, at its very end). */
  write(): Promise<void>;
  /** False when the marker is gone: the store lost its data. */
  present(): Promise<boolean>;
  /** Take the re-materialization lock for `ttlMs` (one process heals); false while another holds it. */
  lock(owner: string, ttlMs: number): Promise<boolean>;
  unlock(owner: string): Promise<void>;
  /**
   * A number that changes whenever the store reconnected (the server behind it may have restarted empty): the
   * first read after a change checks the marker before serving (self-heal.ts). Absent: only the periodic check.
   */
  readonly connection?: () => number;
}

/**
 * The one row order of every store and path (docs/writes.md, "One tie rule"): event time, then created
 * time (none sorts lowest), then the tie key — the feature values in the offline order (`tieKey`).
 * Replays and concurrent writers converge on the row `asOf` picks.
 */
export const compareRows = (
  a: { eventTs: Date; createdTs: Date | null; tie: string },
  b: { eventTs: Date; createdTs: Date | null; tie: string },
): number => {
  const e = a.eventTs.getTime() - b.eventTs.getTime();
  if (e !== 0) return e;
  const c = (a.createdTs?.getTime() ?? -Infinity) - (b.createdTs?.getTime() ?? -Infinity);
  if (c !== 0 && !Number.isNaN(c)) return c;
  return a.tie === b.tie ? 0 : a.tie < b.tie ? -1 : 1; // lowercase hex: string order is byte order
};

/** TTL on read (docs/semantics.md): the record only if `now - ttl <= eventTs`; ttl 0 never expires. */
export const liveRecord = (rec: OnlineRecord | null, ttlSeconds: number, now: number): OnlineRecord | null =>
  rec && (ttlSeconds === 0 || rec.eventTs.getTime() >= now - ttlSeconds * 1000) ? rec : null;

/** The canonical payload of a row: its features in declaration order, in the codec's JSON form. */
export const canonicalPayload = (view: ViewSpec, values: Readonly<Record<string, FeatureValue>>): string =>
  JSON.stringify(Object.fromEntries(view.features.map((f) => [f.name, toJson(f.type, values[f.name] ?? null)])));

/** Keep, per key, only the greatest row of a batch (a batch may carry several rows of one key). */
export const greatestPerKey = (view: ViewSpec, rows: readonly OnlineRow[]): { row: OnlineRow; payload: string; tie: string }[] => {
  const best = new Map<string, { row: OnlineRow; tie: string }>();
  for (const row of rows) {
    const cand = { row, tie: tieKey(view, row.values) };
    const cur = best.get(row.key);
    if (!cur || compareRows({ ...row, tie: cand.tie }, { ...cur.row, tie: cur.tie }) > 0) best.set(row.key, cand);
  }
  return [...best.values()].map((b) => ({ ...b, payload: canonicalPayload(view, b.row.values) }));
};
