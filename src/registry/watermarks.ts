import type { SqlClient } from '../sql/client.js';
import { createRegistryTables, lockRegistry, registryExists, registryTable } from './tables.js';
import type { ViewFreshness } from './types.js';

interface StateRow {
  view: string;
  watermark: Date | null;
  last_materialized_at: Date | null;
  last_range_start: Date | null;
  last_range_end: Date | null;
  last_row_count: string | number | null;
}

const date = (d: Date | string | null): Date | null => (d === null ? null : new Date(d));

const toFreshness = (r: StateRow): ViewFreshness => ({
  view: r.view,
  watermark: date(r.watermark),
  lastMaterializedAt: date(r.last_materialized_at),
  lastRangeStart: date(r.last_range_start),
  lastRangeEnd: date(r.last_range_end),
  lastRowCount: r.last_row_count === null ? null : Number(r.last_row_count),
});

// Writers may run before any apply (tests, tools); creating the tables keeps them simple.
const ensureTables = async (sql: SqlClient, project: string) => {
  if (await registryExists(sql, project)) return;
  await sql.transaction(async (tx) => {
    await lockRegistry(tx, project);
    await createRegistryTables(tx, project);
  });
};

/** Where incremental materialization of `view` continues from; null before its first run. */
export const getWatermark = async (sql: SqlClient, project: string, view: string): Promise<Date | null> => {
  if (!(await registryExists(sql, project))) return null;
  const r = await sql.query<{ watermark: Date | null }>(
    `SELECT watermark FROM ${registryTable(project, 'registry_view_state')} WHERE view = $1`,
    [view],
  );
  return date(r.rows[0]?.watermark ?? null);
};

/**
 * Set the watermark of `view` to exactly `ts` (the caller decides whether it runs on event or
 * ingestion time). Pass the materializer's transaction to move it atomically with the data.
 */
export const setWatermark = async (sql: SqlClient, project: string, view: string, ts: Date): Promise<void> => {
  await ensureTables(sql, project);
  await sql.query(
    `INSERT INTO ${registryTable(project, 'registry_view_state')} (view, watermark) VALUES ($1, $2)
     ON CONFLICT (view) DO UPDATE SET watermark = EXCLUDED.watermark`,
    [view, ts],
  );
};

export interface MaterializationRun {
  /** Start of the materialized range; null for an open start (incremental from nothing). */
  readonly start: Date | null;
  readonly end: Date;
  /** Rows written to the online store, when known. */
  readonly rowCount?: number;
  /** When the run finished; now by default. */
  readonly at?: Date;
}

/** Record a materialization run of `view`, for freshness. Does not move the watermark. */
export const recordMaterialization = async (sql: SqlClient, project: string, view: string, run: MaterializationRun): Promise<void> => {
  await ensureTables(sql, project);
  await sql.query(
    `INSERT INTO ${registryTable(project, 'registry_view_state')} (view, last_materialized_at, last_range_start, last_range_end, last_row_count)
     VALUES ($1, COALESCE($2::timestamptz, now()), $3, $4, $5)
     ON CONFLICT (view) DO UPDATE SET last_materialized_at = EXCLUDED.last_materialized_at,
       last_range_start = EXCLUDED.last_range_start, last_range_end = EXCLUDED.last_range_end, last_row_count = EXCLUDED.last_row_count`,
    [view, run.at ?? null, run.start, run.end, run.rowCount ?? null],
  );
};

/** Freshness of every view that has materialization state. */
export const getFreshness = async (sql: SqlClient, project: string): Promise<ViewFreshness[]> => {
  if (!(await registryExists(sql, project))) return [];
  const r = await sql.query<StateRow>(`SELECT * FROM ${registryTable(project, 'registry_view_state')} ORDER BY view`);
  return r.rows.map(toFreshness);
};

/** Freshness of one view; all-null fields when it was never materialized. */
export const getViewFreshness = async (sql: SqlClient, project: string, view: string): Promise<ViewFreshness> =>
  (await getFreshness(sql, project)).find((f) => f.view === view) ?? {
    view,
    watermark: null,
    lastMaterializedAt: null,
    lastRangeStart: null,
    lastRangeEnd: null,
    lastRowCount: null,
  };
