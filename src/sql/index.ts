import { join } from 'node:path';
import type { SqlClient } from './client.js';
import { createPgClient } from './pg.js';
import { lockDataDir } from './data-dir-lock.js';

export type { SqlClient, QueryResult } from './client.js';
export { createPgClient } from './pg.js';
/**
 * The embedded PGlite database (sql/pglite.ts), loaded on first use: a server on Postgres never loads
 * PGlite's WebAssembly build (about 45 MB RSS).
 */
export const createPgliteClient = async (...args: Parameters<typeof import('./pglite.js').createPgliteClient>): Promise<SqlClient> =>
  (await import('./pglite.js')).createPgliteClient(...args);
export { DataDirInUseError, dataDirOwner, lockDataDir, noteDataDirPort } from './data-dir-lock.js';

/**
 * `DATABASE_URL` → Postgres; otherwise the embedded PGlite database in the data dir, which this process
 * then holds alone until it closes it (data-dir-lock.ts).
 */
export const openSql = async (opts: { databaseUrl?: string; dataDir: string }): Promise<SqlClient> => {
  if (opts.databaseUrl) return createPgClient(opts.databaseUrl);
  const unlock = lockDataDir(opts.dataDir);
  try {
    const sql = await createPgliteClient(join(opts.dataDir, 'pglite'));
    return {
      ...sql,
      async close() {
        try {
          await sql.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
};
