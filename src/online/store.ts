import { toJson, type FeatureValue } from '../definitions/values.js';
import type { ViewSpec } from '../definitions/resolve.js';

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
  /** Create what the views need (tables); idempotent. */
  prepare(views: readonly ViewSpec[]): Promise<void>;
  /**
   * Write-if-newer: a row replaces the stored one only if greater by (eventTs, createdTs, tie-break);
   * a replayed or concurrent older write never regresses a value.
   */
  write(view: ViewSpec, rows: readonly OnlineRow[]): Promise<WriteSummary>;
  /**
   * Read several views at once (one round trip where the store can): result[i][j] is the record of
   * requests[i].keys[j], or null when the store has none.
   */
  read(requests: readonly OnlineReadRequest[]): Promise<(OnlineRecord | null)[][]>;
  /** Throws when the store cannot serve (for /ready). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Tie-break for rows equal on (eventTs, createdTs): the greater canonical JSON payload wins, compared by
 * UTF-8 bytes (= code points), which is what SQL's COLLATE "C" and a byte-wise Lua compare do too. It
 * depends only on the rows, so replays and concurrent writers converge on one value in every store.
 */
export const compareRows = (
  a: { eventTs: Date; createdTs: Date | null; payload: string },
  b: { eventTs: Date; createdTs: Date | null; payload: string },
): number => {
  const e = a.eventTs.getTime() - b.eventTs.getTime();
  if (e !== 0) return e;
  const c = (a.createdTs?.getTime() ?? -Infinity) - (b.createdTs?.getTime() ?? -Infinity);
  if (c !== 0 && !Number.isNaN(c)) return c;
  return a.payload === b.payload ? 0 : Buffer.compare(Buffer.from(a.payload, 'utf8'), Buffer.from(b.payload, 'utf8'));
};

/** TTL on read (docs/semantics.md): the record only if `now - ttl <= eventTs`; ttl 0 never expires. */
export const liveRecord = (rec: OnlineRecord | null, ttlSeconds: number, now: number): OnlineRecord | null =>
  rec && (ttlSeconds === 0 || rec.eventTs.getTime() >= now - ttlSeconds * 1000) ? rec : null;

/**
 * The canonical payload of a row: its features in declaration order, in the codec's JSON form.
 * Every store keeps it, so the tie-break compares the same string everywhere.
 */
export const canonicalPayload = (view: ViewSpec, values: Readonly<Record<string, FeatureValue>>): string =>
  JSON.stringify(Object.fromEntries(view.features.map((f) => [f.name, toJson(f.type, values[f.name] ?? null)])));

/** Keep, per key, only the greatest row of a batch (a batch may carry several rows of one key). */
export const greatestPerKey = (view: ViewSpec, rows: readonly OnlineRow[]): { row: OnlineRow; payload: string }[] => {
  const best = new Map<string, { row: OnlineRow; payload: string }>();
  for (const row of rows) {
    const cand = { row, payload: canonicalPayload(view, row.values) };
    const cur = best.get(row.key);
    if (!cur || compareRows({ ...row, payload: cand.payload }, { ...cur.row, payload: cur.payload }) > 0) best.set(row.key, cand);
  }
  return [...best.values()];
};
