import type { SqlClient } from '../sql/client.js';
import { duckDbOptionsFromEnv, type DuckDbOptions } from './duckdb/connection.js';
import { createDuckDbOfflineStore } from './duckdb/store.js';
import { createPostgresOfflineStore } from './postgres/store.js';
import { routeOfflineStores } from './router.js';
import type { OfflineStore } from './store.js';

export type { OfflineStore, PointInTimeOptions, PointInTimeRequest, LatestRowsWindow, AppendRow } from './store.js';
export { createPostgresOfflineStore } from './postgres/store.js';
export { createDuckDbOfflineStore } from './duckdb/store.js';
export { routeOfflineStores } from './router.js';

/**
 * The offline store of a feature store: Postgres/PGlite (tables, queries, push tables) and DuckDB (Parquet
 * files, started on first use). A new engine is one folder beside these and one entry here.
 */
export const openOfflineStore = (sql: SqlClient, options: { duckdb?: DuckDbOptions } = {}): OfflineStore =>
  routeOfflineStores([createPostgresOfflineStore(sql), createDuckDbOfflineStore(options.duckdb ?? duckDbOptionsFromEnv())]);
