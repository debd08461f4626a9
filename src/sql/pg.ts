import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin, to as copyToStdout } from 'pg-copy-streams';
import type { QueryResult, SqlClient } from './client.js';
import { DEFAULT_CURSOR_BATCH } from './client.js';

// int8 stays a string (exact); the codec turns it into a bigint.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

type Queryable = pg.Pool | pg.PoolClient;

const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

let cursorSeq = 0;

const wrap = (q: Queryable, pool: pg.Pool, description: string, inTx: boolean): SqlClient => {
  /**
   * A connection taken from the pool. A checked-out client whose backend dies (Postgres restarted, the connection
   * cut) emits 'error'; unheard, that would crash the process. Here it is heard: the failing statement reports
   * it, and `release` destroys such a client instead of giving it back to the pool, as it does one the caller
   * marks broken (`broke`: a clean-up statement that failed, a COPY left half-way).
   */
  const checkout = async () => {
    const c = await pool.connect();
    let broken: Error | undefined;
    const broke = (err: Error) => {
      broken ??= err;
    };
    c.on('error', broke);
    const release = () => {
      // A broken client keeps the listener: it is being destroyed, and may still report the end of its socket.
      if (!broken) c.off('error', broke);
      c.release(broken);
    };
    return { c, broke, release };
  };
  /** A connection borrowed for `fn` (checkout). */
  const borrow = async <T>(fn: (c: pg.PoolClient, broke: (err: Error) => void) => Promise<T>): Promise<T> => {
    const { c, broke, release } = await checkout();
    try {
      return await fn(c, broke);
    } finally {
      release();
    }
  };
  // COPY needs one connection for its whole exchange: the transaction's, or one borrowed from the pool. A
  // connection left mid-COPY cannot be reused.
  const withConnection = async <T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> => {
    if (inTx) return fn(q as pg.PoolClient);
    return borrow(async (c, broke) => {
      try {
        return await fn(c);
      } catch (err) {
        broke(err instanceof Error ? err : new Error(String(err)));
        throw err;
      }
    });
  };
  const client: SqlClient = {
    dialect: 'postgres',
    description,
    async query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const r = await q.query(text, params as unknown[] | undefined);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    async queryWithin<R>(ms: number, text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      const limit = Math.max(1, Math.ceil(ms));
      // In a transaction the limit lasts until it ends (SET LOCAL); otherwise on a borrowed connection, set and
      // reset around the statement so the pool's other users never inherit it.
      if (inTx) {
        await q.query(`SET LOCAL statement_timeout = ${limit}`);
        return client.query<R>(text, params);
      }
      return borrow(async (c, broke) => {
        await c.query(`SET statement_timeout = ${limit}`);
        try {
          const r = await c.query(text, params as unknown[] | undefined);
          return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
        } finally {
          // A connection whose timeout cannot be reset is not given back.
          await c.query('RESET statement_timeout').catch(broke);
        }
      });
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
      if (inTx) return fn(client);
      return borrow(async (c, broke) => {
        try {
          await c.query('BEGIN');
          const out = await fn(wrap(c, pool, description, true));
          await c.query('COMMIT');
          return out;
        } catch (err) {
          await c.query('ROLLBACK').catch(broke);
          throw err;
        }
      });
    },
    async *cursor<R>(text: string, params?: readonly unknown[], batchSize = DEFAULT_CURSOR_BATCH): AsyncIterable<R[]> {
      const run = async function* (c: SqlClient) {
        const name = `fg_cursor_${++cursorSeq}`;
        await c.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, params);
        try {
          for (;;) {
            const r = await c.query<R>(`FETCH ${batchSize} FROM ${name}`);
            if (r.rows.length === 0) break;
            yield r.rows;
            if (r.rows.length < batchSize) break;
          }
        } finally {
          await c.query(`CLOSE ${name}`).catch(() => undefined);
        }
      };
      if (inTx) {
        yield* run(client);
        return;
      }
      const { c, broke, release } = await checkout();
      let ok = false;
      try {
        await c.query('BEGIN READ ONLY');
        yield* run(wrap(c, pool, description, true));
        ok = true;
      } finally {
        // A connection whose transaction cannot be ended is not given back.
        await c.query(ok ? 'COMMIT' : 'ROLLBACK').catch(broke);
        release();
      }
    },
    async copyFrom(table: string, columns: readonly string[], csv: AsyncIterable<string>): Promise<number> {
      return withConnection(async (c) => {
        const stream = c.query(copyFromStdin(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT csv)`));
        await pipeline(Readable.from(csv), stream);
        return stream.rowCount;
      });
    },
    async copyFromBinary(table: string, columns: readonly string[], data: Uint8Array): Promise<number> {
      return withConnection(async (c) => {
        const stream = c.query(copyFromStdin(`COPY ${table} (${columns.join(', ')}) FROM STDIN (FORMAT binary)`));
        await pipeline(Readable.from([data]), stream);
        return stream.rowCount;
      });
    },
    async *copyTo(query: string): AsyncIterable<Uint8Array> {
      const borrowed = inTx ? null : await checkout();
      const c = borrowed?.c ?? (q as pg.PoolClient);
      const stream = c.query(copyToStdout(`COPY (${query}) TO STDOUT (FORMAT binary)`));
      let done = false;
      try {
        for await (const chunk of stream) yield chunk as Buffer;
        done = true;
      } finally {
        if (!done && inTx) {
          // The consumer stopped early: drain the rest so the transaction's connection can run its next statement.
          stream.resume();
          await finished(stream).catch(() => undefined);
        }
        if (borrowed) {
          if (!done) borrowed.broke(new Error('COPY TO left before its end'));
          borrowed.release();
        }
      }
    },
    async close() {
      if (!inTx) await pool.end();
    },
  };
  return client;
};

/**
 * How long a new connection may take to be set up (docs/writes.md, "Error codes"). A Postgres that is stopped
 * or hung accepts the TCP connection (the kernel does) and then never answers: without a bound, a push or
 * `/ready` would wait for it forever, where a refused connection fails at once.
 */
export const PG_CONNECT_TIMEOUT_MS = 5000;

/**
 * Each new connection bounded by PG_CONNECT_TIMEOUT_MS. Set on the client rather than the pool: the pool's own
 * option would also bound the wait for a free pooled connection, which a long training-set query may hold
 * for minutes. It fails as "Connection terminated", a store that is unavailable (push-errors.ts).
 */
class BoundedClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super({ ...config, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  }
}

/** A pg Pool client for `DATABASE_URL`. */
export const createPgClient = (connectionString: string, options: { max?: number; idleTimeoutMillis?: number } = {}): SqlClient => {
  const pool = new pg.Pool({
    Client: BoundedClient,
    connectionString,
    max: options.max ?? 10,
    application_name: 'featuregraph',
    // 0 keeps idle connections open (pg's default closes them after 10 s).
    ...(options.idleTimeoutMillis !== undefined ? { idleTimeoutMillis: options.idleTimeoutMillis } : {}),
  });
  // An idle client's error (e.g. the server restarting) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return wrap(pool, pool, `postgres ${redact(connectionString)}`, false);
};

export const pgPoolOf = (connectionString: string) => new pg.Pool({ connectionString });
