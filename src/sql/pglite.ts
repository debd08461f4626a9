import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import type { QueryResult, SqlClient } from './client.js';
import { DEFAULT_CURSOR_BATCH } from './client.js';
import { parseTimestamptzText } from './timestamp-text.js';

type Queryable = PGlite | Transaction;

// Same conventions as the pg client: int8 and numeric as exact strings, timestamptz read as pg reads it.
const parsers = { [types.INT8]: (v: string) => v, [types.NUMERIC]: (v: string) => v, [types.TIMESTAMPTZ]: parseTimestamptzText };

let cursorSeq = 0;

/** CSV text handed to one `COPY ... FROM '/dev/blob'`: bounds memory while loading large inputs. */
const COPY_BLOB_BYTES = 4 << 20;

/**
 * PGlite is single-connection: transactions are serialised by PGlite itself, so a cursor
 * runs inside its own transaction and holds the database while it streams.
 */
const wrap = (db: PGlite, q: Queryable, description: string, inTx: boolean): SqlClient => {
  const client: SqlClient = {
    dialect: 'pglite',
    description,
    async query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const r = await q.query<R>(text, params as unknown[] | undefined, { parsers });
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    // In this process and single-threaded: nothing can interrupt a statement (SqlClient.queryWithin).
    queryWithin: <R>(_ms: number, text: string, params?: readonly unknown[]) => client.query<R>(text, params),
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (inTx) return fn(client);
      return db.transaction((tx) => fn(wrap(db, tx, description, true)));
    },
    async *cursor<R>(text: string, params?: readonly unknown[], batchSize = DEFAULT_CURSOR_BATCH): AsyncIterable<R[]> {
      // PGlite cannot yield from inside db.transaction's callback, so page with FETCH inside short transactions
      // would lose the cursor; a WITH HOLD cursor survives its transaction and is closed explicitly.
      const name = `fg_cursor_${++cursorSeq}`;
      await q.query(`DECLARE ${name} NO SCROLL CURSOR WITH HOLD FOR ${text}`, params as unknown[] | undefined, { parsers });
      try {
        for (;;) {
          const r = await q.query<R>(`FETCH ${batchSize} FROM ${name}`, [], { parsers });
          if (r.rows.length === 0) break;
          yield r.rows;
          if (r.rows.length < batchSize) break;
        }
      } finally {
        await q.query(`CLOSE ${name}`).catch(() => undefined);
      }
    },
    async copyFrom(table: string, columns: readonly string[], csv: AsyncIterable<string>): Promise<number> {
      const text = `COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' (FORMAT csv)`;
      let parts: string[] = [];
      let size = 0;
      let rows = 0;
      const flush = async () => {
        if (parts.length > 0) rows += (await q.query(text, [], { blob: new Blob(parts) })).affectedRows ?? 0;
        parts = [];
        size = 0;
      };
      for await (const chunk of csv) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= COPY_BLOB_BYTES) await flush();
      }
      await flush();
      return rows;
    },
    async copyFromBinary(table: string, columns: readonly string[], data: Uint8Array): Promise<number> {
      const r = await q.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' (FORMAT binary)`, [], {
        blob: new Blob([data as Uint8Array<ArrayBuffer>]),
      });
      return r.affectedRows ?? 0;
    },
    async *copyTo(query: string): AsyncIterable<Uint8Array> {
      const r = await q.query(`COPY (${query}) TO '/dev/blob' (FORMAT binary)`);
      if (r.blob) yield new Uint8Array(await r.blob.arrayBuffer());
    },
    async close() {
      if (!inTx && !db.closed) await db.close();
    },
  };
  return client;
};

/** An embedded PGlite database in `dataDir` (created if missing), or in memory when `dataDir` is undefined. */
export const createPgliteClient = async (dataDir?: string): Promise<SqlClient> => {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  return wrap(db, db, dataDir ? `embedded PGlite at ${dataDir}` : 'embedded PGlite (in memory)', false);
};
