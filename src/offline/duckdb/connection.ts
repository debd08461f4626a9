import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';

/** Options of the embedded DuckDB engine (docs/offline-stores.md). */
export interface DuckDbOptions {
  /**
   * DuckDB's memory limit for joins and sorts; larger intermediate results spill to a temporary directory
   * under the OS temp dir. Low by default, to bound a large export's RSS: the ASOF join holds memory of its own
   * beyond this limit, so a 1M-row export peaks well above it (docs/offline-stores.md, "Speed"). 64 MB is too
   * little for a 1M-row ordered export.
   * @default '80MB'
   */
  readonly memoryLimit?: string;
  /** Worker threads. @default DuckDB's default (one per core) */
  readonly threads?: number;
  /**
   * SQL run once when DuckDB starts, e.g. `CREATE SECRET (TYPE s3, PROVIDER credential_chain)` for s3:// paths.
   * The CLI and server take it from `FEATUREGRAPH_DUCKDB_INIT`. It is the operator's own configuration.
   */
  readonly init?: string;
}

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

/**
 * A memory limit as DuckDB takes it (`80MB`, `1.5GB`, `512MiB`), checked here: `what` (the option or variable
 * it came from) names it in the error. Below 16MB DuckDB cannot even read a CSV header; say so rather than
 * with its own error.
 */
export const checkMemoryLimit = (value: string, what: string): string => {
  const memory = value.trim();
  const size = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.exec(memory);
  if (!size) throw new Error(`${what} must be a size such as 80MB or 1GB, got "${memory}"`);
  if (Number(size[1]) * UNIT_BYTES[size[2]!.toLowerCase()]! < 16e6)
    throw new Error(`${what} is ${memory}: DuckDB needs at least 16MB (the default is 80MB)`);
  return memory;
};

/** The CLI's and server's DuckDB settings: FEATUREGRAPH_DUCKDB_INIT and FEATUREGRAPH_DUCKDB_MEMORY_LIMIT (docs/offline-stores.md). */
export const duckDbOptionsFromEnv = (): DuckDbOptions => {
  const memory = process.env.FEATUREGRAPH_DUCKDB_MEMORY_LIMIT?.trim();
  return {
    ...(process.env.FEATUREGRAPH_DUCKDB_INIT ? { init: process.env.FEATUREGRAPH_DUCKDB_INIT } : {}),
    ...(memory ? { memoryLimit: checkMemoryLimit(memory, 'FEATUREGRAPH_DUCKDB_MEMORY_LIMIT') } : {}),
  };
};

/** One in-memory DuckDB database per store; each operation gets its own (cheap) connection. */
export const openDuckDb = async (options: DuckDbOptions = {}) => {
  const memoryLimit = checkMemoryLimit(options.memoryLimit ?? '80MB', 'DuckDbOptions.memoryLimit');
  // Imported here, not at the top: DuckDB's native module takes longer to load than the rest of the CLI,
  // and a repository without file sources never needs it, nor maps its library (about 25 MB RSS; docs/offline-stores.md).
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const setup = await instance.connect();
  // Times are compared and returned in UTC: a TIMESTAMP WITH TIME ZONE column becomes UTC wall time.
  await setup.run(`SET GLOBAL TimeZone = 'UTC'`);
  await setup.run(`SET GLOBAL memory_limit = '${memoryLimit}'`);
  // Spills go to the OS temp dir, not a `.tmp` in the working directory.
  await setup.run(`SET GLOBAL temp_directory = '${join(tmpdir(), `featuregraph-duckdb-${process.pid}`).replace(/'/g, "''")}'`);
  if (options.threads) await setup.run(`SET GLOBAL threads = ${Math.max(1, Math.trunc(options.threads))}`);
  if (options.init?.trim()) await setup.run(options.init);
  setup.closeSync();
  let closed = false;
  return {
    async with<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
      if (closed) throw new Error('the DuckDB offline store is closed');
      const c = await instance.connect();
      try {
        return await fn(c);
      } finally {
        c.closeSync();
      }
    },
    /** A connection the caller closes (for results streamed across awaits). */
    async connection(): Promise<DuckDBConnection> {
      if (closed) throw new Error('the DuckDB offline store is closed');
      return instance.connect();
    },
    close() {
      if (closed) return;
      closed = true;
      instance.closeSync();
    },
  };
};

export type DuckDb = Awaited<ReturnType<typeof openDuckDb>>;
