import type { SqlClient } from '../sql/client.js';
import type { DefinitionProblem } from '../definitions/errors.js';
import type { FeatureSpec, ViewSpec } from '../definitions/resolve.js';
import type { FeatureValue } from '../definitions/values.js';
import type { OnlineRecord, OnlineRow } from '../online/store.js';
import type { TrainingPlan } from './training/feature-refs.js';
import type { AggregationSpec } from '../definitions/aggregation-spec.js';
import type { TrainingSetOptions, TrainingSetRequest, TrainingSetSink } from './training/types.js';

/** One point-in-time read: a key of the view (canonical join key values, in `view.keys` order) as of a time. */
export interface PointInTimeRequest {
  readonly keys: readonly unknown[];
  readonly asOf: Date;
}

/** How a point-in-time read runs (docs/offline-stores.md). */
export interface PointInTimeOptions {
  /** As-of times after `now` are clamped to it. */
  readonly now: Date;
  /**
   * Keep only rows with `coalesce(created, event) <= asOf` ("as known at"); undefined = the view's own
   * `pointInTime.asKnownAt`. A view without a created timestamp reads the same either way.
   */
  readonly asKnownAt?: boolean;
  /**
   * The caller's time limit in ms (a GraphQL request's): an engine that can stop a statement stops it then
   * (Postgres: statement_timeout, SqlClient.queryWithin), so it does not outlive the request. None by default.
   */
  readonly timeLimitMs?: number;
}

/** The source rows a materialization run reads (materialize/window.ts builds it). */
export interface LatestRowsWindow {
  readonly eventFrom: Date | null;
  readonly end: Date;
  readonly since?: { readonly createdFrom: Date | null; readonly eventFrom: Date };
}

/** A validated pushed row: its join keys by join key name, and the row. */
export interface AppendRow {
  readonly keys: Readonly<Record<string, FeatureValue>>;
  readonly row: OnlineRow;
  /** Whether the row carried its own created timestamp (otherwise it is the push's `now`). */
  readonly createdGiven: boolean;
}

/** What an offline append did (docs/writes.md). */
export interface OfflineAppend {
  /** Rows inserted. */
  readonly inserted: number;
  /**
   * Rows that were already there (a replay), by batch index → the created time stored with them, so
   * the online write carries the same row as the offline history.
   */
  readonly existing: ReadonlyMap<number, Date | null>;
  /**
   * For a push identified by an event id (PushCommit.identity), each already-stored row's stored copy — the one
   * that counts (docs/aggregations.md, "Replays") — by batch index: the online write carries that copy, not the
   * replay's payload, so online equals asOf whatever the replay held.
   */
  readonly stored?: ReadonlyMap<number, OnlineRow>;
}

/** A push's Idempotency-Key as recorded with its offline part (docs/writes.md). */
export interface StoredPush {
  /** Hash of (view, target, rows): the same key with another request is refused. */
  readonly requestHash: string;
  /** The `now` that stood in for missing created timestamps: a retry writes the same rows. */
  readonly defaultCreated: Date;
  readonly offlineWritten: number;
}

/** The offline part of one push, committed as one transaction by `PushLedger.commit`. */
export interface PushCommit {
  /** Rows to append to the view's offline source; null when the push goes online only (its key is still recorded). */
  readonly rows: readonly AppendRow[] | null;
  /**
   * Features that, with the keys, identify a row: a row with the same keys and these values is already
   * stored. Default: every column (event time, features, created time when given). Aggregation views
   * identify an event by its id (docs/aggregations.md).
   */
  readonly identity?: readonly string[];
  /** The Idempotency-Key to record in the same transaction, with what a retry needs. */
  readonly record?: { readonly key: string } & Omit<StoredPush, 'offlineWritten'>;
}

/**
 * Push tables and Idempotency-Key records (docs/writes.md), for an engine that keeps them: pushed rows become
 * part of the offline history, replays are found rather than inserted again, and a key commits with the rows.
 */
export interface PushLedger {
  /** The push recorded under `key`, or null. */
  findRequest(project: string, key: string): Promise<StoredPush | null>;
  /**
   * One transaction, serialized per target: append `commit.rows` (rows already stored are not inserted again)
   * and record `commit.record`. Null, with nothing written, when another request recorded that key first.
   */
  commit(project: string, view: ViewSpec, commit: PushCommit): Promise<OfflineAppend | null>;
}

/**
 * The offline store: every read and write of source rows goes through it, so nothing above it writes SQL
 * for one engine. Implementations, one folder each: `postgres/` (Postgres and PGlite tables, queries and
 * push tables) and `duckdb/` (Parquet files). `router.ts` combines engines into one store, sending each view
 * to the engine that `serves` it. Semantics: docs/offline-stores.md; the contract suite is
 * test/offline/contract.ts.
 */
export interface OfflineStore {
  readonly engine: string;
  /** Where it points, without credentials. */
  readonly description: string;
  /** Push tables and Idempotency-Key records, when this store keeps them (online/push.ts, docs/writes.md). */
  readonly pushes?: PushLedger;
  /**
   * The SQL database of this store, when it has one: the served-feature log and drift runs are tables there
   * (src/monitoring/log-store.ts, docs/monitoring.md).
   */
  readonly sqlDatabase?: SqlClient;
  /** Whether this store reads the view's source. */
  serves(view: ViewSpec): boolean;
  /**
   * The point-in-time value of `view` for each request, in request order (duplicates allowed): the record of
   * the greatest row with the key and `asOf - ttl <= event_ts <= asOf` (as known at, if asked), or null.
   */
  pointInTime(
    view: ViewSpec,
    requests: readonly PointInTimeRequest[],
    features: readonly string[],
    options: PointInTimeOptions,
  ): Promise<(OnlineRecord | null)[]>;
  /**
   * The outputs of an aggregation view for each request (docs/aggregations.md): every window `(t − w, t]`
   * with t the request's as-of time clamped to `now`, from the raw events, in request order. The record's
   * eventTs is t, its values the outputs by name.
   */
  aggregate(
    spec: AggregationSpec,
    requests: readonly PointInTimeRequest[],
    options: { readonly now: Date; readonly timeLimitMs?: number },
  ): Promise<OnlineRecord[]>;
  /**
   * Raw events of an aggregation view with `from < event_ts <= end` (materialization rebuilds the online tiles
   * from them), copies of one event id once, streamed in batches of at most `batchSize`.
   */
  events(spec: AggregationSpec, from: Date, end: Date, batchSize: number): AsyncIterable<OnlineRow[]>;
  /** Per key, the latest row of the window (materialization), streamed in batches of at most `batchSize`. */
  latestRows(view: ViewSpec, window: LatestRowsWindow, batchSize: number): AsyncIterable<OnlineRow[]>;
  /** The store's clock, which stamps created timestamps (incremental watermarks never pass it). */
  clock(): Promise<Date>;
  /**
   * The newest event time of the view's source rows at or before `upTo` (freshness, docs/monitoring.md#freshness-objectives);
   * null when there is none or the source is missing.
   */
  newestEventTime(view: ViewSpec, upTo: Date): Promise<Date | null>;
  /** Problems of the views' sources: missing tables, files or columns, incompatible types. */
  checkSources(views: readonly ViewSpec[]): Promise<DefinitionProblem[]>;
  /**
   * Join entity rows to the plan's views (all served by this store) and stream them to `sink` in entity row
   * order, duplicates kept.
   */
  trainingSet(
    plan: TrainingPlan,
    request: TrainingSetRequest,
    sink: TrainingSetSink,
    options: TrainingSetOptions,
  ): Promise<{ rows: number }>;
  /**
   * Optional: write the training set to a CSV file inside the engine, byte-identical to the streaming path's
   * output; null when this request needs the streaming path (nothing is left behind then).
   */
  exportCsv?(plan: TrainingPlan, request: TrainingSetRequest, out: string): Promise<{ rows: number } | null>;
  /** Throws when the store cannot serve (for /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The as-known-at setting of a read: the per-read override, else the view's own. */
export const asKnownAtFor = (view: ViewSpec, override: boolean | undefined): boolean => override ?? view.asKnownAt;

/**
 * An as-of time after `now` is clamped to `now`: the future has not been written yet, so "as of tomorrow"
 * means "the latest value as of now", and a source row with a future event time is never returned.
 */
export const clampAsOf = (asOf: Date, now: Date): Date => (asOf.getTime() > now.getTime() ? now : asOf);

/** An error of the store itself (not of the caller's input): reported as OFFLINE_STORE_UNAVAILABLE. */
export class OfflineStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OfflineStoreError';
  }
}

/** The features of `view` named in `names`, in the order given; throws listing the valid names otherwise. */
export const pickFeatures = (view: ViewSpec, names: readonly string[]): FeatureSpec[] =>
  names.map((n) => {
    const f = view.features.find((x) => x.name === n);
    if (!f) throw new Error(`feature view "${view.name}" has no feature "${n}"; it has: ${view.features.map((x) => x.name).join(', ')}`);
    return f;
  });
