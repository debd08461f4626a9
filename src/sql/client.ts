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
  /** Run `fn` in one transaction on one connection; commits on success, rolls back on throw. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** Stream a query's rows in batches through a server-side cursor: bounded memory. */
  cursor<R = Record<string, unknown>>(text: string, params?: readonly unknown[], batchSize?: number): AsyncIterable<R[]>;
  /** Where it points, without credentials. */
  readonly description: string;
  close(): Promise<void>;
}

export const DEFAULT_CURSOR_BATCH = 5000;
