import { projectSchema, quoteIdent, type ViewSpec } from '../../definitions/resolve.js';
import type { SqlClient } from '../../sql/client.js';
import type { OfflineAppend, PushLedger, StoredPush } from '../store.js';
import { appendOffline, lockPushTarget } from './push-append.js';

/**
 * Idempotency keys of pushes (docs/writes.md): `fg_<project>.push_requests` remembers each key with a hash
 * of its request and the `now` that stood in for missing created timestamps, written in the same
 * transaction as the offline append. A retry with the key finds it, skips the offline part (already
 * committed) and redoes the online part, which is idempotent by write-if-newer. Keys are kept a day.
 */
export const IDEMPOTENCY_RETENTION = '1 day';

const table = (project: string) => `${quoteIdent(projectSchema(project))}.push_requests`;

const ensured = new Map<string, Promise<void>>();

/** Create the key table once per process and database (concurrent creators are fine). */
const ensureIdempotencyTable = (sql: SqlClient, project: string): Promise<void> => {
  const id = `${sql.description}\0${project}`;
  let p = ensured.get(id);
  if (!p) {
    p = (async () => {
      try {
        await sql.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(projectSchema(project))}`);
        await sql.query(
          `CREATE TABLE IF NOT EXISTS ${table(project)} (
             idempotency_key text PRIMARY KEY,
             request_hash text NOT NULL,
             default_created timestamptz NOT NULL,
             offline_written integer NOT NULL,
             created_at timestamptz NOT NULL DEFAULT now())`,
        );
      } catch (err) {
        // Two processes creating it at once: one loses on the catalog's unique index, and the table exists.
        const code = (err as { code?: string }).code;
        if (code !== '23505' && code !== '42P07') throw err;
      }
      // Forget keys older than the retention; once per process start is enough to keep the table small.
      await sql.query(`DELETE FROM ${table(project)} WHERE created_at < now() - interval '${IDEMPOTENCY_RETENTION}'`);
    })();
    ensured.set(id, p);
    p.catch(() => ensured.delete(id));
  }
  return p;
};

/** Record the key inside the push's transaction; false when another request holds it already. */
const recordRequest = async (tx: SqlClient, project: string, key: string, req: StoredPush): Promise<boolean> => {
  const r = await tx.query(
    `INSERT INTO ${table(project)} (idempotency_key, request_hash, default_created, offline_written) VALUES ($1, $2, $3, $4)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1`,
    [key, req.requestHash, req.defaultCreated, req.offlineWritten],
  );
  return r.rowCount === 1;
};

/** Push tables and Idempotency-Key records in a Postgres/PGlite database (the PushLedger of ../store.ts). */
export const postgresPushLedger = (sql: SqlClient): PushLedger => ({
  async findRequest(project, key) {
    await ensureIdempotencyTable(sql, project);
    const r = await sql.query<{ request_hash: string; default_created: Date; offline_written: number }>(
      `SELECT request_hash, default_created, offline_written FROM ${table(project)} WHERE idempotency_key = $1`,
      [key],
    );
    const row = r.rows[0];
    return row
      ? { requestHash: row.request_hash, defaultCreated: new Date(row.default_created), offlineWritten: Number(row.offline_written) }
      : null;
  },
  async commit(project: string, view: ViewSpec, c) {
    if (c.record) await ensureIdempotencyTable(sql, project);
    const taken = Symbol('taken');
    try {
      return await sql.transaction(async (tx) => {
        let append: OfflineAppend = { inserted: 0, existing: new Map<number, Date | null>() };
        if (c.rows) {
          await lockPushTarget(tx, project, view);
          append = await appendOffline(tx, project, view, c.rows, c.identity ? { identity: c.identity } : {});
        }
        const { record } = c;
        if (record && !(await recordRequest(tx, project, record.key, { ...record, offlineWritten: append.inserted }))) throw taken;
        return append;
      });
    } catch (err) {
      if (err === taken) return null; // rolled back: nothing written
      throw err;
    }
  },
});
