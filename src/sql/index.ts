import { join } from 'node:path';
import type { SqlClient } from './client.js';
import { createPgClient } from './pg.js';
import { createPgliteClient } from './pglite.js';

export type { SqlClient, QueryResult } from './client.js';
export { createPgClient } from './pg.js';
export { createPgliteClient } from './pglite.js';

/** `DATABASE_URL` → Postgres; otherwise the embedded PGlite database in the data dir. */
export const openSql = async (opts: { databaseUrl?: string; dataDir: string }): Promise<SqlClient> =>
  opts.databaseUrl ? createPgClient(opts.databaseUrl) : createPgliteClient(join(opts.dataDir, 'pglite'));
