/**
 * One small SQL client interface over pg (Pool) and PGlite, so every SQL path runs on both.
 * Both return int8 and numeric as strings (exactness is the codec's job) and timestamptz as Date.
 */
export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

export interface SqlClient {
  readonly dialect: 'postgres' | 'pglite';
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * `query` for a caller with a time limit (a GraphQL request's): Postgres cancels the statement once it has
   * run `ms` (statement_timeout), so a request that already answered 504 does not hold a connection while its
   * statement runs on. PGlite runs in this process and cannot be interrupted: there it is `query`.
   */
  queryWithin<R = Record<string, unknown>>(ms: number, text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Run `fn` in one transaction on one connection; commits on success, rolls back on throw. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Stream a query's rows in batches through a server-side cursor: bounded memory. */
  cursor<R = Record<string, unknown>>(text: string, params?: readonly unknown[], batchSize?: number): AsyncIterable<R[]>;
  /**
   * Bulk-load CSV text (whole lines per chunk; unquoted empty field = NULL) into `table (columns)` with
   * `COPY ... FROM`. pg streams the chunks over the connection; PGlite feeds them through its `/dev/blob`
   * device a few MB at a time. Returns the number of rows loaded.
   */
  copyFrom(table: string, columns: readonly string[], csv: AsyncIterable<string>): Promise<number>;
  /**
   * Bulk-load one whole binary COPY stream (header, tuples, trailer: binary-copy-writer.ts) into
   * `table (columns)` with `COPY ... FROM (FORMAT binary)`. Callers bound its size. Returns the rows loaded.
   */
  copyFromBinary(table: string, columns: readonly string[], data: Uint8Array): Promise<number>;
  /**
   * `COPY (query) TO ... (FORMAT binary)`: the raw binary COPY stream, in chunks. pg streams it with
   * back-pressure (the server waits while the consumer does); PGlite returns the whole result as one
   * chunk, so callers bound the result's size. The query takes no parameters (COPY accepts none).
   */
  copyTo(query: string): AsyncIterable<Uint8Array>;
  /** Where it points, without credentials. */
  readonly description: string;
  close(): Promise<void>;
}

export const DEFAULT_CURSOR_BATCH = 5000;
