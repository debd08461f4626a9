import type { SqlClient } from '../sql/client.js';
import type { DuckDbOptions } from './duckdb/connection.js';
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

const UNIT_BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** The CLI's and server's DuckDB settings: FEATUREGRAPH_DUCKDB_INIT and FEATUREGRAPH_DUCKDB_MEMORY_LIMIT (docs/offline-stores.md). */
const duckDbOptionsFromEnv = (): DuckDbOptions => {
  const memory = process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT?.trim();
  const size = memory ? /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(memory) : null;
  if (memory && !size) throw new Error(`FEATUREGRAPH_DUCKDB_MEMORY_LIMIT must be a size such as 80MB or 1GB, got "${memory}"`);
  // Below a few MB DuckDB cannot even read a CSV header; say so here rather than with its own error.
  if (size && Number(size[1]) * UNIT_BYTES[size[2]!.toLowerCase()]! < 16e6)
    throw new Error(`FEATUREGRAPH_DUCKDB_MEMORY_LIMIT is ${memory}: DuckDB needs at least 16MB (the default is 80MB)`);
  return {
    ...(process.env.FEATUREGRAPH_DUCKDB_INIT ? { init: process.env.FEATUREGRAPH_DUCKDB_INIT } : {}),
    ...(memory ? { memoryLimit: memory } : {}),
  };
};
